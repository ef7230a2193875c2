"""Tables in the house style: rows never split across pages, header rows repeat, and
column widths are set for both Word and LibreOffice.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table

from tools.template_builder.style import MM_TWIPS, TABLE_STYLE, hyperlink


def row_properties(tbl: Table, header_rows: int) -> None:
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
    row_properties(tbl, header_rows=1)
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
    row_properties(tbl, header_rows=1)
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
    row_properties(tbl, header_rows=0)
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

