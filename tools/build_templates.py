"""Build the four .docx templates under templates/ with python-docx.

The templates are committed; this script documents how they were made and rebuilds them
(`make templates`). HR may edit the .docx files in Word afterwards: the pipeline only
relies on the docxtpl tags, never on this script.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

HOUSE_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
TABLE_STYLE = "Light Grid Accent 1"
MM_TWIPS = 56.7


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update on opening."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
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


def house_style(kind_label: str, page_count: bool = True) -> DocumentObject:
    """A4, margins, fonts, the municipality as letterhead and a numbered footer.

    Letters number their pages without the total: printed one after another in one file
    (the print bundle), a total would count every letter's pages together.
    """
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = HOUSE_COLOUR
    doc.core_properties.author = "intervisie-docs"
    doc.core_properties.title = kind_label

    header = section.header.paragraphs[0]
    run = header.add_run("{{ organisatie.gemeente }}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = HOUSE_COLOUR
    header.add_run(f"\t\t{kind_label}").font.size = Pt(9)
    _bottom_border(header)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ organisatie.cyclus }} · pagina ").font.size = Pt(9)
    _field(footer, "PAGE", "1")
    if page_count:
        footer.add_run(" van ").font.size = Pt(9)
        _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(9)
    return doc


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


def loop_list(
    doc: DocumentObject, items: str, text: str, style: str = "List Bullet", var: str = "item"
) -> None:
    """A bulleted or numbered list with one paragraph per item."""
    tag(doc, f"{{%p for {var} in {items} %}}")
    paragraph = para(doc, text, style)
    if style == "List Number":
        restart_numbering(doc, paragraph)
    tag(doc, "{%p endfor %}")


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


def facts(doc: DocumentObject, rows: list[tuple[str, str]]) -> None:
    """A two-column table of labels and values."""
    tbl = doc.add_table(rows=len(rows), cols=2)
    tbl.style = doc.styles[TABLE_STYLE]
    for row, (label, value) in zip(tbl.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = value
    set_widths(tbl, [45, 115])
    no_header_row(tbl)


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


# --- the four documents -------------------------------------------------------------


def uitnodiging() -> DocumentObject:
    doc = house_style("Uitnodiging", page_count=False)
    # Sender, top right, small.
    tag(doc, "{%p for regel in organisatie.afzender_adres %}")
    sender = para(doc, "{{ regel }}")
    sender.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sender.paragraph_format.space_after = Pt(0)
    tag(doc, "{%p endfor %}")
    # Address block in the window of a standard Dutch window envelope (left 22 mm, top 50 mm).
    box = (22.0, 50.0, 85.0, 30.0)
    lines = [
        "{{ ontvanger.naam }}",
        "{%p if ontvanger.per_post %}",
        "{%p for regel in ontvanger.adresregels %}",
        "{{ regel }}",
        "{%p endfor %}",
        "{%p else %}",
        "INTERNE POST",
        "{{ ontvanger.functie }}",
        "{{ ontvanger.afdeling }}",
        "{%p endif %}",
    ]
    for line in lines:
        paragraph = para(doc, line)
        frame(paragraph, *box)
    spacer = para(doc)
    spacer.paragraph_format.space_before = Mm(36)
    para(doc, "{{ organisatie.plaats }}, {{ organisatie.briefdatum }}")
    para(
        doc,
        "Onderwerp: uitnodiging intervisie{% if thema.pijler %} {{ thema.naam }}"
        "{% else %} (probleemronde){% endif %}, {{ sessie.code }}",
        bold=True,
    )
    para(doc)
    para(doc, "{{ ontvanger.aanhef_regel }}")
    para(
        doc,
        "Graag nodig ik {% if ontvanger.formeel %}u{% else %}je{% endif %} uit voor een "
        "intervisiesessie voor leidinggevenden"
        "{% if thema.pijler %} over {{ thema.naam|lower }}{% endif %} op "
        "{{ sessie.datum }}.",
    )
    para(doc, "{{ thema.uitleg }}")
    para(doc, "Doel van de sessie: {{ thema.doel }}")
    para(doc, "Om alvast over na te denken:")
    para(doc, "{{ prikkelende_vraag }}", style="Quote")
    doc.add_heading("Praktische informatie", level=2)
    facts(
        doc,
        [
            ("Datum", "{{ sessie.datum }}"),
            ("Tijd", "{{ sessie.tijd }} uur"),
            (
                "{% if sessie.online %}Online{% else %}Locatie{% endif %}",
                "{% if sessie.online %}{{ sessie.link }}{% else %}{{ sessie.locatie }}{% endif %}",
            ),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding_tekst }})"),
            ("Groep", "{{ sessie.groepsgrootte }} leidinggevenden"),
        ],
    )
    doc.add_heading("Voorbereiding", level=2)
    para(doc, "{{ thema.voorbereiding }} De praktijkvragen staan in de syllabus.")
    tag(doc, "{%p if inbrenger %}")
    para(
        doc,
        "Voor deze sessie {% if ontvanger.formeel %}bent u{% else %}ben je{% endif %} "
        "ingedeeld als inbrenger: {% if ontvanger.formeel %}u brengt een casus uit uw"
        "{% else %}je brengt een casus uit je{% endif %} eigen praktijk in, waarmee de groep "
        "aan de slag gaat. Een toelichting van een paar minuten is genoeg.",
        bold=True,
    )
    tag(doc, "{%p endif %}")
    doc.add_heading("Vertrouwelijk", level=2)
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    para(
        doc,
        "{% if ontvanger.formeel %}Hebt u vragen, of kunt u{% else %}Heb je vragen, of kun je"
        "{% endif %} onverhoopt niet aanwezig zijn? Neem dan contact op met "
        "{{ organisatie.contactpersoon }} via {{ organisatie.contact_email }}"
        "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}"
        "{% endif %}.",
    )
    para(doc, "Ik hoop {% if ontvanger.formeel %}u{% else %}je{% endif %} te zien bij de sessie.")
    para(doc, "Met vriendelijke groet,")
    tag(doc, "{%p if handtekening %}")
    para(doc, "{{ handtekening }}")
    tag(doc, "{%p else %}")
    para(doc)
    tag(doc, "{%p endif %}")
    para(doc, "{{ organisatie.gemeentesecretaris }}").paragraph_format.space_after = Pt(0)
    para(doc, "{{ organisatie.functie_ondertekenaar }}")
    return doc


def draaiboek() -> DocumentObject:
    doc = house_style("Draaiboek")
    doc.add_heading("Draaiboek {{ thema.naam }} – {{ sessie.code }}", level=0)
    facts(
        doc,
        [
            ("Datum", "{{ sessie.datum }}"),
            ("Tijd", "{{ sessie.tijd }} uur ({{ sessie.duur_minuten }} minuten)"),
            (
                "{% if sessie.online %}Online{% else %}Locatie{% endif %}",
                "{% if sessie.online %}{{ sessie.link }}{% else %}{{ sessie.locatie }}{% endif %}",
            ),
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
        [55, 80, 25],
    )
    doc.add_heading("Doel en afspraken", level=1)
    para(doc, "{{ thema.doel }}")
    para(doc, "{{ thema.uitleg }}")
    para(doc, "Maak bij de start deze afspraken:", bold=True)
    loop_list(doc, "algemeen.spelregels", "{{ item }}")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    para(doc, "Prikkelende vraag uit de uitnodiging: {{ prikkelende_vraag }}", italic=True)
    doc.add_heading("Tijdschema", level=1)
    table(
        doc,
        ["Tijd", "Min.", "Onderdeel"],
        ["{{ r.tijd }}", "{{ r.minuten }}", "{{ r.titel }}"],
        "r in agenda",
        [32, 15, 113],
    )
    doc.add_heading("Per stap", level=1)
    tag(doc, "{%p for stap in stappen %}")
    doc.add_heading("{{ stap.tijd }}  {{ stap.titel }}", level=2)
    para(doc, "{{ stap.uitleg }}")
    tag(doc, "{%p if stap.grote_groep %}")
    para(doc, "Grote groep: {{ algemeen.grote_groep_regel }}", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if stap.analyse %}")
    para(doc, "{{ thema.analyse_vraag }}")
    loop_list(doc, "thema.analyse_categorieen", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ronde in stap.rondes %}")
    doc.add_heading(
        "Ronde {{ ronde.nummer }}: inbrenger {{ ronde.inbrenger }} ({{ ronde.tijd }})", level=3
    )
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
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if thema.beeldvorming %}")
    doc.add_heading("Onderwerpen voor de beeldvorming", level=1)
    loop_list(doc, "thema.beeldvorming", "{{ item }}")
    tag(doc, "{%p endif %}")
    doc.add_heading("Praktijksituatie uitvragen", level=1)
    loop_list(doc, "thema.praktijkvragen", "{{ item }}", style="List Number")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    doc.add_heading("Checklist na afloop", level=1)
    loop_list(doc, "algemeen.vervolg_checklist", "☐ {{ item }}", style="Normal")
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
    doc.add_heading("Jouw sessies", level=2)
    table(
        doc,
        ["Datum", "Tijd", "Thema", "Waar", "Rol"],
        [
            "{{ s.datum }}",
            "{{ s.tijd }} uur",
            "{{ s.thema }} ({{ s.code }})",
            "{{ s.plaats }}",
            "{{ s.rol }}",
        ],
        "s in sessies",
        [34, 26, 30, 48, 22],
    )
    doc.add_page_break()
    doc.add_heading("Wat is intervisie?", level=1)
    para(doc, "{{ algemeen.wat_is }}")
    para(doc, "{{ algemeen.duurzame_inzetbaarheid }}")
    doc.add_heading("Waarom intervisie?", level=2)
    loop_list(doc, "algemeen.doelen", "{{ item }}")
    doc.add_heading("Wat intervisie niet is", level=2)
    loop_list(doc, "algemeen.wat_het_niet_is", "{{ item }}")
    para(doc, "{{ algemeen.programma }}")
    doc.add_heading("Spelregels", level=1)
    loop_list(doc, "algemeen.spelregels", "{{ item }}", style="List Number")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    doc.add_heading("Rollen", level=1)
    tag(doc, "{%p for rol in algemeen.rollen %}")
    para(doc, "{{ rol.naam }}", bold=True).paragraph_format.space_after = Pt(0)
    para(doc, "{{ rol.omschrijving }}")
    tag(doc, "{%p endfor %}")
    doc.add_heading("Vaardigheden die je oefent", level=1)
    loop_list(doc, "algemeen.vaardigheden", "{{ item }}")
    doc.add_heading("De werkvormen", level=1)
    tag(doc, "{%p for thema in themas %}")
    tag(doc, "{%p if not thema.heeft_rondes %}")
    doc.add_heading("{{ thema.naam }}", level=2)
    para(doc, "{{ thema.uitleg }}")
    para(doc, "Zo verloopt de sessie:")
    table(
        doc,
        ["Stap", "Tijd"],
        ["{{ st.titel }}", "{{ st.minuten }}"],
        "st in thema.stappen",
        [120, 40],
    )
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
    tag(doc, "{%p endif %}")
    doc.add_heading("Voorbereiding: je praktijksituatie", level=1)
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
    tag(doc, "{%p endfor %}")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    tag(doc, "{%p endfor %}")
    doc.add_heading("Praktisch", level=1)
    tag(doc, "{%p for s in sessies %}")
    para(
        doc,
        "{{ s.datum }}, {{ s.tijd }} uur – {{ s.thema }} ({{ s.code }}): {{ s.plaats }}. "
        "Begeleiding: {{ s.begeleider }}.",
        style="List Bullet",
    )
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "Vragen? {{ organisatie.contactpersoon }}, {{ organisatie.contact_email }}"
        "{% if organisatie.contact_telefoon %}, {{ organisatie.contact_telefoon }}"
        "{% endif %}.",
    )
    return doc


def vervolgadvies() -> DocumentObject:
    doc = house_style("Vervolgadvies")
    doc.add_heading("Vervolgadvies {{ thema.naam }} – {{ sessie.code }}", level=0)
    facts(
        doc,
        [
            ("Sessie", "{{ sessie.code }}, {{ sessie.datum }}, {{ sessie.tijd }} uur"),
            ("Thema", "{{ thema.naam }}"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding }})"),
            ("Groep", "{{ deelnemers|join(', ') }}"),
        ],
    )
    doc.add_heading("Wat de sessie opleverde", level=1)
    tag(doc, "{%p if uitkomsten.aanwezig %}")
    tag(doc, "{%p if uitkomsten.knelpunten %}")
    doc.add_heading("Wat de groep lastig vond", level=2)
    loop_list(doc, "uitkomsten.knelpunten", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if uitkomsten.wat_helpt %}")
    doc.add_heading("Wat helpt om verder te komen", level=2)
    loop_list(doc, "uitkomsten.wat_helpt", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if uitkomsten.afspraken %}")
    doc.add_heading("Afspraken en vervolgstappen", level=2)
    loop_list(doc, "uitkomsten.afspraken", "{{ item }}")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "De adviezen hieronder sluiten aan op deze uitkomsten: begin bij wat de groep "
        "lastig vond en bouw voort op wat helpt.",
    )
    tag(doc, "{%p else %}")
    para(doc, "{{ algemeen.advies_zonder_uitkomsten }}", italic=True)
    tag(doc, "{%p endif %}")
    doc.add_heading("Advies", level=1)
    tag(doc, "{%p for suggestie in thema.vervolgsuggesties %}")
    doc.add_heading("{{ suggestie.titel }}", level=2)
    para(doc, "{{ suggestie.tekst }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if thema.onderscheid %}")
    doc.add_heading("{{ thema.onderscheid_titel }}", level=2)
    para(doc, "{{ thema.onderscheid }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if grote_groep %}")
    doc.add_heading("Meer sessies plannen", level=2)
    para(
        doc,
        "Deze groep telde {{ sessie.groepsgrootte }} deelnemers. {{ algemeen.advies_grote_groep }}",
    )
    tag(doc, "{%p endif %}")
    return doc


def afzegging() -> DocumentObject:
    """The short letter for a booking that no longer applies: the invitation's house
    style, sender, window-envelope address block and signature."""
    doc = house_style("Afzegging", page_count=False)
    tag(doc, "{%p for regel in organisatie.afzender_adres %}")
    sender = para(doc, "{{ regel }}")
    sender.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sender.paragraph_format.space_after = Pt(0)
    tag(doc, "{%p endfor %}")
    box = (22.0, 50.0, 85.0, 30.0)  # the window of a standard Dutch window envelope
    for line in (
        "{{ ontvanger.naam }}",
        "{%p if ontvanger.per_post %}",
        "{%p for regel in ontvanger.adresregels %}",
        "{{ regel }}",
        "{%p endfor %}",
        "{%p else %}",
        "INTERNE POST",
        "{{ ontvanger.functie }}",
        "{{ ontvanger.afdeling }}",
        "{%p endif %}",
    ):
        frame(para(doc, line), *box)
    spacer = para(doc)
    spacer.paragraph_format.space_before = Mm(36)
    para(doc, "{{ organisatie.plaats }}, {{ organisatie.briefdatum }}")
    para(doc, "Onderwerp: afzegging intervisiesessie {{ sessie.code }}", bold=True)
    para(doc)
    para(doc, "{{ ontvanger.aanhef_regel }}")
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
    para(
        doc,
        "{% if ontvanger.formeel %}Bent u{% else %}Ben je{% endif %} ingedeeld voor een "
        "andere sessie, dan {% if ontvanger.formeel %}ontvangt u{% else %}ontvang je{% endif %} "
        "daarvoor een aparte uitnodiging.",
    )
    para(
        doc,
        "{% if ontvanger.formeel %}Hebt u vragen? Neem dan{% else %}Heb je vragen? Neem dan"
        "{% endif %} contact op met {{ organisatie.contactpersoon }} via "
        "{{ organisatie.contact_email }}"
        "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}{% endif %}.",
    )
    para(doc, "Met vriendelijke groet,")
    tag(doc, "{%p if handtekening %}")
    para(doc, "{{ handtekening }}")
    tag(doc, "{%p else %}")
    para(doc)
    tag(doc, "{%p endif %}")
    para(doc, "{{ organisatie.gemeentesecretaris }}").paragraph_format.space_after = Pt(0)
    para(doc, "{{ organisatie.functie_ondertekenaar }}")
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "uitnodiging.docx": uitnodiging,
    "draaiboek.docx": draaiboek,
    "syllabus.docx": syllabus,
    "vervolgadvies.docx": vervolgadvies,
    "afzegging.docx": afzegging,
}


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build().save(str(target / name))
        print(f"geschreven: {target / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "templates")
