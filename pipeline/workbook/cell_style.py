"""The look of the empty workbook's cells, shared by its data sheets (empty.py) and its
Toelichting sheet (toelichting.py): number formats, header fills, fonts, borders."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

DATE_FORMAT = "dd-mm-yyyy"
TIME_FORMAT = "hh:mm"
TEXT_FORMAT = "@"

REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
OPTIONAL_FILL = PatternFill("solid", fgColor="5B9BD5")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14, color="1F4E79")
SECTION_FONT = Font(bold=True, size=12, color="1F4E79")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(vertical="center")


def style_header(cell: Any, required: bool) -> None:
    """A header cell: dark blue for a required column, light blue for an optional one."""
    cell.font = HEADER_FONT
    cell.fill = REQUIRED_FILL if required else OPTIONAL_FILL
    cell.alignment = HEADER_ALIGN
    cell.border = BOX
