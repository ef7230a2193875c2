"""What the two letters (invitation, cancellation) share: the compact letter style, the
head with sender and window-envelope address, and the closing block with the signature.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from tools.template_builder.style import (
    ADDRESS_BOX_MM,
    MM_TWIPS,
    SENDER_BOX_MM,
    TEXT_WIDTH_MM,
    house_style,
    para,
    tag,
)
from tools.template_builder.tables import row_properties, set_widths


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
    row_properties(tbl, header_rows=0)
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

