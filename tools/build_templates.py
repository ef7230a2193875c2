"""Build the five .docx templates under templates/ with python-docx.

The templates are committed and are the source HR edits in Word; this script documents
how they were made and rebuilds them (`make templates`). It never overwrites a template
that was changed after it was last built (its bytes differ from what the script wrote,
recorded in templates/sjablonen.sha256) unless asked to with --forceer.

The house-style helpers (house_style, para, facts, table, keep_with_next, hyperlink, ...)
are shared by every template builder, so a new document kind looks the same.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.render.word_settings import make_dutch

HOUSE_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
TABLE_STYLE = "Light Grid Accent 1"
MM_TWIPS = 56.7
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
SIDE_MARGIN_MM = 25
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * SIDE_MARGIN_MM  # 160
FOOTER_PT = 9
# The window of a C5/EA5 left-window envelope: 22 mm from the left, 50 mm from the top,
# 85 x 30 mm. The address starts at the body's left edge (25 mm), inside the window.
WINDOW_MM = (22.0, 50.0, 85.0, 30.0)
ADDRESS_BOX_MM = (SIDE_MARGIN_MM, 53.0, 80.0, 25.0)
SENDER_BOX_MM = (130.0, 53.0, 55.0, 25.0)
# The record of what this script last wrote, so an edited template is never overwritten.
RECORD = "sjablonen.sha256"
APPLICATION = "intervisie-docs (tools/build_templates.py)"
FIXED_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _field(paragraph: Paragraph, instruction: str, placeholder: str, size_pt: float) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update on opening; its
    result has the size of the text around it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(size_pt * 2)))
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def hyperlink(paragraph: Paragraph, target: str, shown: str) -> None:
    """A clickable link as a HYPERLINK field: its target can hold a docxtpl tag (a
    relationship-based w:hyperlink cannot, its target lives in a static part)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f' HYPERLINK "{target}" ')
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "1F4E79")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _link_style(doc: DocumentObject) -> None:
    """A 'Hyperlink' character style (python-docx's default template has none)."""
    from docx.enum.style import WD_STYLE_TYPE

    if "Hyperlink" in [s.name for s in doc.styles]:
        return
    style = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = LINK_COLOUR
    style.font.underline = True


def house_style(kind_label: str, page_count: bool = True, body_pt: float = 11) -> DocumentObject:
    """A4, margins, fonts, the municipality as letterhead and a numbered footer.

    Letters number their pages without the total: printed one after another in one file
    (the print bundle), a total would count every letter's pages together.
    """
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin = section.right_margin = Mm(SIDE_MARGIN_MM)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(body_pt)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    # A paragraph's last or first line never stands alone on a page.
    normal.paragraph_format.widow_control = True
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = HOUSE_COLOUR
        # A heading never ends a page: it stays with what it introduces.
        style.paragraph_format.keep_with_next = True
    # Tables a point smaller than the text, so narrow columns keep their words whole.
    styles[TABLE_STYLE].font.size = Pt(body_pt - 1)
    _link_style(doc)
    doc.core_properties.author = "intervisie-docs"
    doc.core_properties.title = kind_label

    # Header: the municipality left, the document kind flush with the right margin.
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _clear_style_tabs(doc, "Header")
    run = header.add_run("{{ organisatie.gemeente }}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = HOUSE_COLOUR
    header.add_run(f"\t{kind_label}").font.size = Pt(FOOTER_PT)
    _bottom_border(header)

    footer = section.footer.paragraphs[0]
    styles["Footer"].font.size = Pt(FOOTER_PT)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ organisatie.cyclus }} · pagina ")
    _field(footer, "PAGE", "1", FOOTER_PT)
    if page_count:
        footer.add_run(" van ")
        _field(footer, "NUMPAGES", "1", FOOTER_PT)
    for run in footer.runs:
        run.font.size = Pt(FOOTER_PT)
    return doc


def _clear_style_tabs(doc: DocumentObject, style_name: str) -> None:
    """The default Header style has tabs at 82.5 and 165 mm, past our 160 mm text width."""
    ppr = doc.styles[style_name].element.pPr
    if ppr is not None:
        for tabs in ppr.findall(qn("w:tabs")):
            ppr.remove(tabs)


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it disappears."""
    doc.add_paragraph(text)


def para(
    doc: DocumentObject,
    text: str = "",
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
    return paragraph


def lead(doc: DocumentObject, label: str, text: str) -> Paragraph:
    """A paragraph that starts with a bold run-in label: 'Voorbereiding. ...'."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}. ").bold = True
    paragraph.add_run(text)
    return paragraph


def keep_with_next(*paragraphs: Paragraph) -> None:
    """Keep each paragraph on the page of the one after it (and whole)."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True


def loop_list(
    doc: DocumentObject,
    items: str,
    text: str,
    style: str = "List Bullet",
    var: str = "item",
    together: bool = False,
) -> Paragraph:
    """A bulleted or numbered list with one paragraph per item; `together` keeps the
    whole list on one page (a short checklist never leaves one line behind)."""
    tag(doc, f"{{%p for {var} in {items} %}}")
    paragraph = para(doc, text, style)
    if style == "List Number":
        restart_numbering(doc, paragraph)
    if together:
        keep_with_next(paragraph)
    tag(doc, "{%p endfor %}")
    return paragraph


def restart_numbering(doc: DocumentObject, paragraph: Paragraph) -> None:
    """Give this list its own numbering instance so it starts at 1 again."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    source = next(n for n in numbering.findall(qn("w:num")) if n.numId == style_num)
    new = copy.deepcopy(source)
    new_id = max(n.numId for n in numbering.findall(qn("w:num"))) + 1
    new.set(qn("w:numId"), str(new_id))
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    new.append(override)
    numbering.append(new)
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(new_id))
    num_pr.append(ilvl)
    num_pr.append(num_id)
    ppr.append(num_pr)


def _row_properties(tbl: Table, header_rows: int) -> None:
    """No row breaks across pages; header rows repeat on every page the table spans."""
    for index, row in enumerate(tbl.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def table(
    doc: DocumentObject, headers: list[str], cells: list[str], loop: str, widths_mm: list[int]
) -> Table:
    """A styled table: a header row and one row per item of `loop` ('row in rows')."""
    tbl = doc.add_table(rows=4, cols=len(headers))
    tbl.style = doc.styles[TABLE_STYLE]
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, header in enumerate(headers):
        tbl.rows[0].cells[i].text = header
    tbl.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for i, cell in enumerate(cells):
        tbl.rows[2].cells[i].text = cell
    tbl.rows[3].cells[0].text = "{%tr endfor %}"
    set_widths(tbl, widths_mm)
    _row_properties(tbl, header_rows=1)
    return tbl


def blank_table(doc: DocumentObject, headers: list[str], rows: int, widths_mm: list[int]) -> Table:
    """A table with empty rows to write in (a draft's room to record)."""
    tbl = doc.add_table(rows=rows + 1, cols=len(headers))
    tbl.style = doc.styles[TABLE_STYLE]
    for i, header in enumerate(headers):
        tbl.rows[0].cells[i].text = header
    for row in tbl.rows[1:]:
        row.height = Mm(9)
    set_widths(tbl, widths_mm)
    _row_properties(tbl, header_rows=1)
    return tbl


def set_widths(tbl: Table, widths_mm: list[int]) -> None:
    """Column widths in the grid (LibreOffice reads these) and on every cell (Word)."""
    tbl.autofit = False
    for grid_col, width in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        grid_col.set(qn("w:w"), str(round(width * MM_TWIPS)))
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def no_header_row(tbl: Table) -> None:
    """A table of labels and values has no header row: switch off its header look."""
    look = tbl._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "0")
    look.set(qn("w:val"), "0480")


def facts(doc: DocumentObject, rows: list[tuple[str, str]]) -> Table:
    """A two-column table of labels and values. A value 'LINK' is the session's place:
    a clickable link when online, else the location."""
    tbl = doc.add_table(rows=len(rows), cols=2)
    tbl.style = doc.styles[TABLE_STYLE]
    for row, (label, value) in zip(tbl.rows, rows, strict=True):
        row.cells[0].text = label
        if value == "LINK":
            place_cell(row.cells[1])
        else:
            row.cells[1].text = value
    set_widths(tbl, [40, 120])
    no_header_row(tbl)
    _row_properties(tbl, header_rows=0)
    return tbl


def place_cell(cell: object, var: str = "sessie") -> None:
    """A session's place in a table cell: the meeting link (clickable, with break
    chances in what is shown) or the location."""
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    paragraphs[0].text = f"{{%p if {var}.online %}}"
    link = cell.add_paragraph()  # type: ignore[attr-defined]
    hyperlink(link, f"{{{{ {var}.link }}}}", f"{{{{ {var}.link_weergave }}}}")
    cell.add_paragraph("{%p else %}")  # type: ignore[attr-defined]
    cell.add_paragraph(f"{{{{ {var}.locatie }}}}")  # type: ignore[attr-defined]
    cell.add_paragraph("{%p endif %}")  # type: ignore[attr-defined]


def letter_style(kind_label: str) -> DocumentObject:
    """The house style for letters: one page where the text allows, so a compact body;
    pages numbered without a total (letters are printed one after another)."""
    doc = house_style(kind_label, page_count=False, body_pt=10)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(4), 1.0
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(8)
    doc.styles["Heading 2"].font.size = Pt(12)
    doc.sections[0].bottom_margin = Mm(19)
    return doc


def letter_head(doc: DocumentObject, subject: str) -> None:
    """The top of every letter: the sender beside the envelope window, the address in the
    window of a C5/EA5 left-window envelope aligned with the body text ('INTERNE POST'
    first for internal mail, as the post room reads it), then date, reference
    (`kenmerk`) and subject below the window."""
    tag(doc, "{%p for regel in organisatie.afzender_adres %}")
    sender = para(doc, "{{ regel }}")
    sender.runs[0].font.size = Pt(9)
    frame(sender, *SENDER_BOX_MM)
    tag(doc, "{%p endfor %}")
    lines = [
        "{%p if not ontvanger.per_post %}",
        "INTERNE POST",
        "{%p endif %}",
        "{{ ontvanger.naam }}",
        "{%p if ontvanger.per_post %}",
        "{%p for regel in ontvanger.adresregels %}",
        "{{ regel }}",
        "{%p endfor %}",
        "{%p else %}",
        "{{ ontvanger.functie }}",
        "{{ ontvanger.afdeling }}",
        "{%p endif %}",
    ]
    for line in lines:
        paragraph = para(doc, line, bold=line == "INTERNE POST")
        frame(paragraph, *ADDRESS_BOX_MM)
    spacer = para(doc)
    spacer.paragraph_format.space_before = Mm(46)
    reference = [
        ("Datum", "{{ organisatie.briefdatum }}"),
        ("Ons kenmerk", "{{ kenmerk }}"),
    ]
    for label, value in reference:
        line = para(doc, f"{label}\t{value}")
        line.paragraph_format.tab_stops.add_tab_stop(Mm(32))
        line.paragraph_format.space_after = Pt(0)
        line.runs[0].font.size = Pt(9.5)
    line = para(doc, f"Onderwerp\t{subject}", bold=True)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(32))
    # A long subject wraps under itself, not under the label.
    line.paragraph_format.left_indent = Mm(32)
    line.paragraph_format.first_line_indent = Mm(-32)
    line.paragraph_format.space_before = Pt(4)
    line.paragraph_format.space_after = Pt(9)
    para(doc, "{{ ontvanger.aanhef_regel }}")


def closing_block(doc: DocumentObject, *last_words: tuple[str, str]) -> Table:
    """The letter's last paragraphs ((run-in label or "", text) each), closing, signature,
    name and title as one table row that cannot split: the closing and signature never
    stand alone on a page, and move to the next page together with the text before them.
    Every letter (invitation, cancellation) ends with it."""
    tbl = doc.add_table(rows=1, cols=1)
    set_widths(tbl, [TEXT_WIDTH_MM])
    _row_properties(tbl, header_rows=0)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl._tbl.tblPr.append(margins)
    cell = tbl.rows[0].cells[0]
    first = cell.paragraphs[0]
    for label, text in last_words:
        paragraph = first if first is not None else cell.add_paragraph()
        first = None
        if label:
            paragraph.add_run(f"{label}. ").bold = True
        paragraph.add_run(text)
    cell.add_paragraph("Met vriendelijke groet,")
    cell.add_paragraph("{%p if handtekening %}")
    cell.add_paragraph("{{ handtekening }}").paragraph_format.space_after = Pt(0)
    cell.add_paragraph("{%p else %}")
    cell.add_paragraph()
    cell.add_paragraph("{%p endif %}")
    name = cell.add_paragraph("{{ organisatie.gemeentesecretaris }}")
    name.paragraph_format.space_after = Pt(0)
    cell.add_paragraph("{{ organisatie.functie_ondertekenaar }}")
    return tbl


def frame(paragraph: Paragraph, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> None:
    """Position a paragraph absolutely on the page (the window of a window envelope)."""
    ppr = paragraph._p.get_or_add_pPr()
    frame_pr = OxmlElement("w:framePr")
    for key, value in (("w", w_mm), ("h", h_mm), ("x", x_mm), ("y", y_mm)):
        frame_pr.set(qn(f"w:{key}"), str(round(value * MM_TWIPS)))
    frame_pr.set(qn("w:hRule"), "exact")
    frame_pr.set(qn("w:hAnchor"), "page")
    frame_pr.set(qn("w:vAnchor"), "page")
    frame_pr.set(qn("w:wrap"), "around")
    ppr.insert(0, frame_pr)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0


# --- the five documents -------------------------------------------------------------

SU = "{% if lezer.formeel %}"  # the syllabus follows its reader's register too
SJE = "{% else %}"
SEND = "{% endif %}"
U = "{% if ontvanger.formeel %}"  # the letter's register: 'u' ...
JE = "{% else %}"  # ... or 'je'
END = "{% endif %}"


def uitnodiging() -> DocumentObject:
    doc = letter_style("Uitnodiging")
    # The code is in the reference (kenmerk); the subject says what and when.
    letter_head(
        doc,
        "{% if wijziging.vervangt %}Gewijzigde uitnodiging{% else %}Uitnodiging{% endif %}"
        " intervisie{% if thema.pijler %} {{ thema.naam }}"
        "{% else %} (probleemronde){% endif %} op {{ sessie.datum }}",
    )
    # A re-sent invitation says first that it replaces the earlier one and what changed
    # (the register remembers what the earlier version said; the sentence follows the
    # letter's u or je, and the e-mail opens with the same sentence).
    tag(doc, "{%p if wijziging.vervangt %}")
    para(doc, "{{ wijziging.samenvatting }}", bold=True)
    tag(doc, "{%p endif %}")
    para(
        doc,
        f"Graag nodig ik {U}u{JE}je{END} uit voor een intervisiesessie voor leidinggevenden"
        "{% if thema.pijler %} over {{ thema.naam|lower }}{% endif %} op "
        "{{ sessie.datum }}. {{ thema.uitleg }}",
    )
    para(doc, "Doel van de sessie: {{ thema.doel_in_zin }}")
    keep_with_next(para(doc, "Een vraag om alvast over na te denken:"))
    question = para(doc, "„{{ prikkelende_vraag }}”", italic=True)
    question.paragraph_format.left_indent = Mm(8)
    doc.add_heading("Praktische informatie", level=2)
    # No group size: it is no reason to send the letter again (documents/matters.py), so
    # the letter must not state it.
    facts(
        doc,
        [
            ("Wanneer", "{{ sessie.datum }}, {{ sessie.tijd }} uur"),
            ("{% if sessie.online %}Online{% else %}Locatie{% endif %}", "LINK"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding_tekst }})"),
        ],
    )
    # The preparation: for an inbrenger what that role asks, addressed to the reader
    # (not the method's third-person description, which is for the facilitator).
    tag(doc, "{%p if inbrenger and thema.heeft_rondes %}")
    keep_with_next(
        lead(
            doc,
            f"{U}U bent{JE}Je bent{END} inbrenger",
            f"Breng één actueel vraagstuk uit {U}uw{JE}je{END} eigen werk mee dat nog niet "
            f"is opgelost. Het krijgt een eigen ronde van {{{{ thema.ronde_minuten }}}} "
            f"minuten: {U}u licht{JE}je licht{END} het toe, de groep vraagt door en denkt mee "
            f"terwijl {U}u{JE}jij{END} luistert, en tot slot {U}vertelt u{JE}vertel je{END} "
            f"wat {U}u meeneemt{JE}je meeneemt{END}. Deze vragen helpen bij de voorbereiding:",
        )
    )
    tag(doc, "{%p elif inbrenger %}")
    keep_with_next(
        lead(
            doc,
            f"{U}U bent{JE}Je bent{END} inbrenger",
            f"Werk vooraf één praktijksituatie uit {U}uw{JE}je{END} eigen werk uit met de "
            f"vragen hieronder. Met {U}uw{JE}jouw{END} situatie begint de eerste "
            "voorbeeldronde: de groep bespreekt die als eerste en wat uitgebreider.",
        )
    )
    tag(doc, "{%p else %}")
    preparation = "{{ thema.voorbereiding }} De praktijkvragen in het kort:"
    keep_with_next(lead(doc, "Voorbereiding", preparation))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if ontvanger.formeel %}")
    short = loop_list(doc, "thema.praktijkvragen_kort_u", "{{ item }}", together=True)
    short.paragraph_format.space_after = Pt(1)
    tag(doc, "{%p else %}")
    short = loop_list(doc, "thema.praktijkvragen_kort", "{{ item }}", together=True)
    short.paragraph_format.space_after = Pt(1)
    tag(doc, "{%p endif %}")
    closing_block(
        doc,
        ("Vertrouwelijk", "{{ algemeen.vertrouwelijkheid }}"),
        (
            "",
            f"{U}Hebt u vragen, of kunt u{JE}Heb je vragen, of kun je{END} onverhoopt niet "
            "aanwezig zijn? Neem dan contact op met {{ organisatie.contactpersoon }} via "
            "{{ organisatie.contact_email }}"
            "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}"
            "{% endif %}.",
        ),
        ("", f"Ik hoop {U}u{JE}je{END} te zien bij de sessie."),
    )
    return doc


def draaiboek() -> DocumentObject:
    doc = house_style("Draaiboek")
    doc.add_heading("Draaiboek {{ thema.naam }} – {{ sessie.code }}", level=0)
    facts(
        doc,
        [
            ("Datum", "{{ sessie.datum }}"),
            ("Tijd", "{{ sessie.tijd }} uur ({{ sessie.duur_minuten }} minuten)"),
            ("{% if sessie.online %}Online{% else %}Locatie{% endif %}", "LINK"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding }})"),
            ("Groepsgrootte", "{{ sessie.groepsgrootte }}"),
        ],
    )
    doc.add_heading("Deelnemers", level=1)
    table(
        doc,
        ["Naam", "Functie en afdeling", "Rol"],
        [
            "{{ d.naam }}",
            "{{ d.functie }}{% if d.functie and d.afdeling %}, {% endif %}{{ d.afdeling }}",
            "{{ d.rol }}",
        ],
        "d in deelnemers",
        [50, 85, 25],
    )
    tag(doc, "{%p if inbrengers %}")
    para(doc, "Inbrenger in deze werkvorm: {{ thema.inbrenger }}", italic=True)
    tag(doc, "{%p endif %}")
    doc.add_heading("Doel en afspraken", level=1)
    para(doc, "{{ thema.doel }}")
    para(doc, "{{ thema.uitleg }}")
    keep_with_next(para(doc, "Maak bij de start deze afspraken:", bold=True))
    loop_list(doc, "thema.spelregels", "{{ item }}")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    para(doc, "Prikkelende vraag uit de uitnodiging: „{{ prikkelende_vraag }}”", italic=True)
    doc.add_heading("Tijdschema", level=1)
    table(
        doc,
        ["Tijd", "Min.", "Onderdeel"],
        ["{{ r.tijd }}", "{{ r.minuten }}", "{{ r.titel }}"],
        "r in agenda",
        [30, 15, 115],
    )
    tag(doc, "{%p if thema.bij_tijdgebrek %}")
    keep_with_next(para(doc, "Als de tijd krap is", bold=True))
    para(doc, "{{ thema.bij_tijdgebrek }}")
    tag(doc, "{%p endif %}")
    doc.add_heading("Per stap", level=1)
    tag(doc, "{%p for stap in stappen %}")
    doc.add_heading("{{ stap.tijd }}  {{ stap.titel }} ({{ stap.minuten }} min)", level=2)
    tag(doc, "{%p if stap.inbrenger_start and inbrengers %}")
    para(
        doc,
        "Begin met de praktijksituatie van de inbrenger: {{ inbrengers|join(', ') }}. "
        "Laat daarna de anderen aanvullen met hun eigen voorbeelden.",
        bold=True,
    )
    tag(doc, "{%p endif %}")
    para(doc, "{{ stap.uitleg }}")
    tag(doc, "{%p if stap.grote_groep %}")
    para(doc, "Grote groep: {{ algemeen.grote_groep_regel }}", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if stap.analyse %}")
    keep_with_next(para(doc, "{{ thema.analyse_vraag }}"))
    loop_list(doc, "thema.analyse_categorieen", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ronde in stap.rondes %}")
    doc.add_heading(
        "Ronde {{ ronde.nummer }}: inbrenger {{ ronde.inbrenger }} ({{ ronde.tijd }})", level=3
    )
    # The roles per step once, in the first round; later rounds only what differs: the
    # inbrenger and the clock.
    tag(doc, "{%p if loop.first %}")
    table(
        doc,
        ["Tijd", "Stap", "Inbrenger", "Groep"],
        [
            "{{ s.tijd }}",
            "{{ s.titel }} ({{ s.minuten }} min)",
            "{{ s.eigenaar }}",
            "{{ s.groep }}",
        ],
        "s in ronde.stappen",
        [25, 35, 50, 50],
    )
    tag(doc, "{%p else %}")
    keep_with_next(para(doc, "Dezelfde stappen en rollen als in ronde 1:", italic=True))
    table(
        doc,
        ["Tijd", "Stap"],
        ["{{ s.tijd }}", "{{ s.titel }} ({{ s.minuten }} min)"],
        "s in ronde.stappen",
        [25, 135],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if thema.beeldvorming %}")
    doc.add_heading("Onderwerpen voor de beeldvorming", level=1)
    loop_list(doc, "thema.beeldvorming", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    doc.add_heading("Praktijksituatie uitvragen", level=1)
    loop_list(doc, "thema.praktijkvragen", "{{ item }}", style="List Number")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    doc.add_heading("Checklist na afloop", level=1)
    loop_list(doc, "algemeen.vervolg_checklist", "☐ {{ item }}", style="Normal", together=True)
    return doc


def syllabus() -> DocumentObject:
    doc = house_style("Syllabus")
    doc.add_heading("Syllabus intervisie", level=0)
    para(doc, "{{ organisatie.cyclus }}", style="Subtitle")
    para(
        doc,
        "Persoonlijk exemplaar voor {{ lezer.naam }}"
        "{% if lezer.functie %}, {{ lezer.functie }}{% endif %}",
        bold=True,
    )
    doc.add_heading(f"{SU}Uw{SJE}Jouw{SEND} sessies", level=2)
    # Date and time together in one column wide enough for the longest date ('donderdag
    # 30 september 2027') on one line, the time on the line below.
    sessions = table(
        doc,
        ["Wanneer", "Thema", "Waar", "Rol"],
        [
            "{{ s.datum }}",
            "{{ s.thema }} ({{ s.code }}), begeleiding {{ s.begeleider }}",
            "",
            "{{ s.rol }}",
        ],
        "s in sessies",
        [50, 46, 44, 20],
    )
    sessions.rows[2].cells[0].add_paragraph("{{ s.tijd }} uur")
    place_cell(sessions.rows[2].cells[2], "s")
    for row in sessions.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    para(
        doc,
        f"In deze cyclus {SU}neemt u{SJE}neem je{SEND} deel aan {{{{ cyclus.aantal }}}} "
        "{% if cyclus.aantal == 1 %}sessie{% else %}sessies{% endif %} over "
        "{{ cyclus.themas }}, van {{ cyclus.duur }} minuten, in "
        "{% if cyclus.aantal == 1 %}een groep{% else %}groepen{% endif %} van "
        "{{ cyclus.groep }} leidinggevenden.",
    )
    para(
        doc,
        "Vragen? {{ organisatie.contactpersoon }}, {{ organisatie.contact_email }}"
        "{% if organisatie.contact_telefoon %}, {{ organisatie.contact_telefoon }}"
        "{% endif %}.",
    )
    doc.add_page_break()
    doc.add_heading("Wat is intervisie?", level=1)
    para(doc, "{{ algemeen.wat_is }}")
    para(doc, "{{ algemeen.duurzame_inzetbaarheid }}")
    para(doc, "{{ algemeen.programma }}")
    doc.add_heading("Waarom intervisie?", level=2)
    loop_list(doc, "algemeen.doelen", "{{ item }}")
    doc.add_heading("Wat intervisie niet is", level=2)
    loop_list(doc, "algemeen.wat_het_niet_is", "{{ item }}")
    doc.add_heading("Spelregels", level=1)
    keep_with_next(para(doc, "In elke sessie:"))
    loop_list(doc, "algemeen.spelregels", "{{ item }}")
    tag(doc, "{%p if methode.aanwezig %}")
    keep_with_next(para(doc, "In de probleemronde ook:"))
    loop_list(doc, "algemeen.spelregels_probleemronde", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    doc.add_heading("Rollen", level=1)
    tag(doc, "{%p for rol in algemeen.rollen %}")
    tag(doc, "{%p if methode.aanwezig or not rol.probleemronde %}")
    role = para(
        doc, "{{ rol.naam }}{% if rol.probleemronde %} (in de probleemronde){% endif %}", bold=True
    )
    role.paragraph_format.space_after = Pt(0)
    keep_with_next(role)
    para(doc, "{{ rol.omschrijving }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    doc.add_heading(f"Vaardigheden die {SU}u oefent{SJE}je oefent{SEND}", level=1)
    loop_list(doc, "algemeen.vaardigheden", "{{ item }}")
    doc.add_heading("De werkvormen", level=1)
    tag(doc, "{%p for thema in themas %}")
    tag(doc, "{%p if not thema.heeft_rondes %}")
    doc.add_heading("{{ thema.naam }}", level=2)
    para(doc, "{{ thema.uitleg }}")
    keep_with_next(para(doc, "Zo verloopt de sessie:"))
    table(
        doc,
        ["Stap", "Tijd"],
        ["{{ st.titel }}", "{{ st.minuten }}"],
        "st in thema.stappen",
        [120, 40],
    )
    para(doc, "Als inbrenger: {{ thema.inbrenger }}")
    tag(doc, "{%p if thema.onderscheid %}")
    para(doc, "{{ thema.onderscheid }}", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if methode.aanwezig %}")
    doc.add_heading("De probleemronde ({{ methode.ronde_minuten }} minuten per inbrenger)", level=2)
    para(doc, "{{ methode.uitleg }}")
    table(
        doc,
        ["Stap", "Min.", "Inbrenger", "Groep"],
        ["{{ rs.titel }}", "{{ rs.minuten }}", "{{ rs.eigenaar }}", "{{ rs.groep }}"],
        "rs in methode.rondestappen",
        [35, 15, 55, 55],
    )
    para(doc, "Als inbrenger: {{ methode.inbrenger }}")
    tag(doc, "{%p endif %}")
    doc.add_heading(f"Voorbereiding: {SU}uw{SJE}je{SEND} praktijksituatie", level=1)
    tag(doc, "{%p for thema in themas %}")
    doc.add_heading("{{ thema.naam }}", level=2)
    para(doc, "{{ thema.voorbereiding }}")
    # Inside the loop over themes one Word list would number on across themes
    # (1-5, 6-10, ...): the number is written out instead.
    tag(doc, "{%p for item in thema.praktijkvragen %}")
    question = para(doc, "{{ loop.index }}.\t{{ item }}")
    question.paragraph_format.left_indent = Mm(8)
    question.paragraph_format.first_line_indent = Mm(-8)
    question.paragraph_format.tab_stops.add_tab_stop(Mm(8))
    # The questions and the focus question are one block: never 'Voor extra focus'
    # alone on a page, cut off from the list it belongs to.
    keep_with_next(question)
    tag(doc, "{%p endfor %}")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    tag(doc, "{%p endfor %}")
    return doc


def vervolgadvies() -> DocumentObject:
    doc = house_style("Vervolgadvies")
    doc.add_heading(
        "Vervolgadvies {{ thema.naam }} – {{ sessie.code }}"
        "{% if advies.concept %} (concept){% endif %}",
        level=0,
    )
    facts(
        doc,
        [
            (
                "Datum",
                "{{ adviesdatum }}",
            ),
            ("Van", "{{ organisatie.contactpersoon }}, HR ({{ organisatie.contact_email }})"),
            ("Aan", "De leidinggevenden van de groep: {{ deelnemers|join(', ') }}"),
            ("Sessie", "{{ sessie.code }}, {{ sessie.datum }}, {{ sessie.tijd }} uur"),
            ("Thema", "{{ thema.naam }}"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding }})"),
        ],
    )
    tag(doc, "{%p if advies.concept %}")
    para(doc, "{{ algemeen.advies_zonder_uitkomsten }}", italic=True)
    doc.add_heading("Wat de groep lastig vindt", level=2)
    blank_table(doc, ["In te vullen na de sessie"], 3, [160])
    doc.add_heading("Wat helpt om verder te komen", level=2)
    blank_table(doc, ["In te vullen na de sessie"], 3, [160])
    doc.add_heading("Afspraken", level=2)
    blank_table(doc, ["Afspraak", "Wie", "Wanneer"], 3, [100, 35, 25])
    tag(doc, "{%p else %}")
    doc.add_heading("Wat de sessie opleverde", level=1)
    tag(doc, "{%p if advies.knelpunten %}")
    doc.add_heading("Wat de groep lastig vond", level=2)
    loop_list(doc, "advies.knelpunten", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if advies.wat_helpt %}")
    doc.add_heading("Wat helpt om verder te komen", level=2)
    loop_list(doc, "advies.wat_helpt", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if advies.acties %}")
    doc.add_heading("Actielijst", level=2)
    keep_with_next(para(doc, "Deze afspraken maakte de groep; vink ze af als ze zijn gedaan."))
    loop_list(doc, "advies.acties", "☐ {{ item }}", style="Normal", together=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    doc.add_heading("Advies", level=1)
    tag(doc, "{%p if not advies.concept and advies.overige %}")
    para(doc, "De suggesties hieronder zijn gekozen en geordend naar wat de groep inbracht.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for suggestie in advies.gekozen %}")
    doc.add_heading("{{ suggestie.titel }}", level=2)
    # The reason and the advice in one paragraph, kept whole: the reason is never left
    # at the foot of a page without the advice it explains.
    tag(doc, "{%p if suggestie.aanleiding %}")
    reasoned = doc.add_paragraph()
    reason = reasoned.add_run("Aanleiding: de groep noemde „{{ suggestie.aanleiding }}”")
    reason.italic = True
    reason.add_break()
    reasoned.add_run("{{ suggestie.tekst }}")
    reasoned.paragraph_format.keep_together = True
    tag(doc, "{%p else %}")
    para(doc, "{{ suggestie.tekst }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if advies.overige %}")
    doc.add_heading("Verder mogelijk", level=2)
    loop_list(doc, "advies.overige", "{{ item.titel }}: {{ item.tekst }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if thema.onderscheid %}")
    doc.add_heading("{{ thema.onderscheid_titel }}", level=2)
    para(doc, "{{ thema.onderscheid }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if grote_groep %}")
    doc.add_heading("Meer sessies plannen", level=2)
    para(
        doc,
        "Deze groep telt {{ sessie.groepsgrootte }} deelnemers. {{ algemeen.advies_grote_groep }}",
    )
    tag(doc, "{%p endif %}")
    return doc


def afzegging() -> DocumentObject:
    """The short letter for a booking that no longer applies: the invitation's house
    style, sender, window-envelope address block, reference and signature."""
    doc = letter_style("Afzegging")
    letter_head(
        doc, "Afzegging {{ sessie.titel }} op {{ sessie.datum }} om {{ sessie.begintijd }} uur"
    )
    para(
        doc,
        "Eerder {% if ontvanger.formeel %}hebt u{% else %}heb je{% endif %} een uitnodiging "
        "ontvangen voor de sessie {{ sessie.omschrijving }} op {{ sessie.datum }} van "
        "{{ sessie.tijd }} "
        "uur{% if sessie.plaats %} ({{ sessie.plaats }}){% endif %}. Door een wijziging in de "
        "indeling gaat deze sessie voor {% if ontvanger.formeel %}u{% else %}jou{% endif %} "
        "niet door. De afspraak in {% if ontvanger.formeel %}uw{% else %}je{% endif %} agenda "
        "vervalt; een bericht van de agenda volgt per e-mail.",
    )
    tag(doc, "{%p if overige_sessies %}")
    keep_with_next(
        para(
            doc,
            "{% if ontvanger.formeel %}Uw{% else %}Je{% endif %} andere "
            "{% if overige_sessies|length == 1 %}sessie in deze cyclus gaat"
            "{% else %}sessies in deze cyclus gaan{% endif %} wel door:",
        )
    )
    loop_list(
        doc,
        "overige_sessies",
        "{{ item.thema }} ({{ item.code }}): {{ item.datum }}, {{ item.tijd }} uur, "
        "{{ item.plaats }}",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Voor een andere sessie van deze cyclus {% if ontvanger.formeel %}bent u{% else %}ben je"
        "{% endif %} op dit moment niet ingedeeld.",
    )
    tag(doc, "{%p endif %}")
    closing_block(
        doc,
        (
            "",
            "{% if ontvanger.formeel %}Hebt u vragen? Neem dan{% else %}Heb je vragen? Neem dan"
            "{% endif %} contact op met {{ organisatie.contactpersoon }} via "
            "{{ organisatie.contact_email }}"
            "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}"
            "{% endif %}.",
        ),
    )
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "uitnodiging.docx": uitnodiging,
    "draaiboek.docx": draaiboek,
    "syllabus.docx": syllabus,
    "vervolgadvies.docx": vervolgadvies,
    "afzegging.docx": afzegging,
}

# --- the package: honest metadata, no thumbnail, the same bytes on every build -------

_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    f'docPropsVTypes"><Application>{APPLICATION}</Application></Properties>'
)
_THUMBNAIL = "docProps/thumbnail.jpeg"


def package(doc: DocumentObject) -> bytes:
    """The saved document without python-docx's blank thumbnail and its 'Microsoft
    Macintosh Word' app metadata (file browsers would show an empty preview), with fixed
    zip dates so an unchanged builder writes the same bytes."""
    make_dutch(doc)  # proofing language nl-NL, Word 2013+ mode (compatibilityMode 15)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == _THUMBNAIL:
                continue
            data = source.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = _APP_XML.encode("utf-8")
            elif info.filename == "_rels/.rels":
                data = _drop_relationship(data, _THUMBNAIL)
            member = zipfile.ZipInfo(info.filename, FIXED_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, data)
    return out.getvalue()


def _drop_relationship(rels: bytes, target: str) -> bytes:
    from lxml import etree

    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Target") in (target, f"/{target}"):
            root.remove(rel)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --- never overwrite what HR edited ---------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(target: Path) -> dict[str, str]:
    """name -> sha256 of the bytes this script last wrote."""
    path = target / RECORD
    if not path.exists():
        return {}
    record = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            record[name] = digest
    return record


def edited(target: Path, names: Iterable[str]) -> list[str]:
    """Templates whose bytes differ from what this script last wrote (or that exist
    without a record): someone edited them, in Word or otherwise."""
    record = read_record(target)
    return [
        name
        for name in names
        if (target / name).exists()
        and record.get(name) != _digest((target / name).read_bytes())
    ]


def build(target: Path, force: bool = False) -> int:
    """Write every template; refuse (exit code 1) when one was edited, unless forced."""
    target.mkdir(parents=True, exist_ok=True)
    changed = edited(target, BUILDERS)
    if changed and not force:
        for name in changed:
            print(
                f"niet overschreven: {target / name} is gewijzigd sinds het laatst is gebouwd "
                "(bijvoorbeeld in Word).",
                file=sys.stderr,
            )
        print(
            "Er is niets geschreven. Bewaar de wijzigingen eerst elders, of bouw toch opnieuw "
            "met: python tools/build_templates.py --forceer (dat overschrijft ze).",
            file=sys.stderr,
        )
        return 1
    record = read_record(target)
    for name, builder in BUILDERS.items():
        data = package(builder())
        (target / name).write_bytes(data)
        record[name] = _digest(data)
        note = " (gewijzigde versie overschreven)" if name in changed else ""
        print(f"geschreven: {target / name}{note}")
    (target / RECORD).write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(record.items())),
        encoding="utf-8",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de Word-sjablonen in templates/.")
    parser.add_argument(
        "map", nargs="?", type=Path, default=Path(__file__).parent.parent / "templates"
    )
    parser.add_argument(
        "--forceer",
        action="store_true",
        help="overschrijf ook sjablonen die na de laatste bouw zijn gewijzigd",
    )
    args = parser.parse_args(argv)
    return build(args.map, force=args.forceer)


if __name__ == "__main__":
    sys.exit(main())
