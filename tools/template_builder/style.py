"""The house style every template shares: page, fonts, letterhead, footer, and the
paragraph helpers (para, lead, tag, loop_list, hyperlink, ...) that keep a new document
kind looking the same.
"""

from __future__ import annotations

import copy

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

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
