"""A copy of the workbook with every problem marked where HR fixes it (`--markeer`).

The copy `<naam>-controle.xlsx` is the original loaded in full (formats, formulas, data
validation, hidden sheets and column widths kept) with, for each problem, a comment and
a fill on its cell (errors red, warnings orange), or on its row when it has no cell,
and a first sheet `Controle` that lists every problem with a link to where it sits. The
workbook itself is never written.

Ownership. The copy carries a custom document property holding the sha256 of every
other part of the package as the program wrote it. An existing copy is replaced only
when that property is there and still matches: a copy HR edited and saved (Excel
rewrites every part) or any other file of that name is left alone.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import ElementTree
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.errors import (
    Location,
    OutputError,
    Problem,
    Severity,
    describe_os_error,
    plural,
)
from pipeline.files import write_atomic
from pipeline.workbook.reader import MAX_UNCOMPRESSED_BYTES

CONTROL_SHEET = "Controle"
AUTHOR = "intervisie-docs"
OWNER_PROPERTY = "intervisie-docs-controle"
CUSTOM_PART = "docProps/custom.xml"
_PLACEHOLDER = "0" * 64
ERROR_COLOUR = "FFFF7C80"
WARNING_COLOUR = "FFFFC000"
FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor=ERROR_COLOUR),
    Severity.WARNING: PatternFill("solid", fgColor=WARNING_COLOUR),
}
LABELS = {Severity.ERROR: "FOUT", Severity.WARNING: "WAARSCHUWING"}
ROW_WIDTH_LIMIT = 50  # columns filled when a whole row is marked
HEADERS = ("Soort", "Blad", "Rij", "Kolom", "Melding", "Ga naar")
FIRST_PROBLEM_ROW = 6
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"


def copy_path(workbook: Path) -> Path:
    """Where the marked copy of `workbook` goes: beside it, `<naam>-controle.xlsx`."""
    return workbook.with_name(f"{workbook.stem}-controle.xlsx")


@dataclass(frozen=True)
class MarkedCopy:
    path: Path
    cells: int  # problems marked on their cell
    rows: int  # problems marked on their row (no cell)
    listed: int  # problems listed on the Controle sheet (all of them)


def write_marked_copy(workbook: Path, problems: Sequence[Problem]) -> MarkedCopy:
    """Write the marked copy of `workbook` (never the workbook itself); OutputError when
    an existing file of the copy's name is not an untouched copy of ours."""
    target = copy_path(workbook)
    ensure_own_copy(target)
    book = _load(workbook)
    cells, rows = _mark_sheets(book, problems)
    _control_sheet(book, workbook.name, problems)
    data = _signed(book)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise OutputError(
            f"kan de controlekopie '{target}' niet schrijven: {describe_os_error(exc)}"
        ) from None
    return MarkedCopy(target, cells, rows, len(problems))


# --- ownership -----------------------------------------------------------------------


def _digest(package: zipfile.ZipFile) -> str:
    """sha256 over every member but the custom properties (which hold the digest)."""
    digest = hashlib.sha256()
    for name in sorted(package.namelist()):
        if name == CUSTOM_PART:
            continue
        digest.update(name.encode() + b"\0" + package.read(name) + b"\0")
    return digest.hexdigest()


def _stored_digest(package: zipfile.ZipFile) -> str | None:
    try:
        root = ElementTree.fromstring(package.read(CUSTOM_PART))
    except (KeyError, ElementTree.ParseError, ValueError):
        return None
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        if prop.get("name") == OWNER_PROPERTY:
            value = prop.find(f"{_VT_NS}lpwstr")
            return value.text if value is not None else None
    return None


def is_own_copy(path: Path) -> bool:
    """Whether `path` is a marked copy this program wrote, unchanged since."""
    try:
        with zipfile.ZipFile(path) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNCOMPRESSED_BYTES:
                return False  # not ours, and not worth unpacking to find out
            stored = _stored_digest(package)
            return stored is not None and stored == _digest(package)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False


def ensure_own_copy(target: Path) -> None:
    """Refuse (OutputError, Dutch) to replace anything but an untouched copy of ours."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_file():
        raise OutputError(
            f"'{target}' bestaat al en is geen gewoon bestand; het programma vervangt "
            "alleen een controlekopie die het zelf schreef. Hernoem of verplaats het."
        )
    try:
        with zipfile.ZipFile(target) as package:
            ours = _stored_digest(package) is not None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        ours = False
    if not ours:
        raise OutputError(
            f"'{target}' bestaat al en is niet door dit programma geschreven; het wordt "
            "niet vervangen. Hernoem of verplaats het en controleer opnieuw."
        )
    if not is_own_copy(target):
        raise OutputError(
            f"'{target}' is gewijzigd nadat het programma het schreef; het wordt niet "
            "vervangen. Herstel de problemen in het werkboek zelf; bewaar de gewijzigde "
            "kopie onder een andere naam (of verwijder haar) en controleer opnieuw."
        )


def _signed(book: Any) -> bytes:
    """The workbook as xlsx bytes, its custom property holding the digest of the rest."""
    props = book.custom_doc_props
    # A copy of a copy: the old mark makes way for the new one.
    props.props = [p for p in props.props if p.name != OWNER_PROPERTY]
    props.append(StringProperty(name=OWNER_PROPERTY, value=_PLACEHOLDER))
    buffer = io.BytesIO()
    book.save(buffer)
    signed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(signed, "w") as target:
        digest = _digest(source)
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == CUSTOM_PART:
                data = data.replace(_PLACEHOLDER.encode(), digest.encode())
            target.writestr(info, data)
    return signed.getvalue()


# --- loading and marking -------------------------------------------------------------


def _load(workbook: Path) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it cannot keep; the copy is a help, the
            # workbook itself stays as it is.
            warnings.simplefilter("ignore")
            with workbook.open("rb") as handle:
                return openpyxl.load_workbook(
                    handle, data_only=False, keep_links=True, rich_text=True
                )
    except OSError as exc:
        raise OutputError(
            f"kan '{workbook.name}' niet lezen voor de controlekopie: {describe_os_error(exc)}"
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on what read-only mode accepted
        raise OutputError(
            f"kan van '{workbook.name}' geen controlekopie maken ({type(exc).__name__})."
        ) from None


def _sheet_for(book: Any, name: str) -> Worksheet | None:
    """The workbook's sheet for a contract sheet name, matched as the reader does."""
    for title in book.sheetnames:
        if title.strip().lower() == name.lower():
            sheet: Worksheet = book[title]
            return sheet
    return None


def _target(location: Location | None) -> tuple[str, int, int | None] | None:
    """(sheet, row, column index or None for the whole row) of a problem, if any."""
    if location is None or location.row is None:
        return None
    column = column_index_from_string(location.column_letter) if location.column_letter else None
    return location.sheet, location.row, column


def _comment_text(problems: Iterable[Problem]) -> str:
    return "\n\n".join(f"{LABELS[p.severity]}: {p.message}" for p in problems)


def _severity(problems: Sequence[Problem]) -> Severity:
    errors = any(p.severity is Severity.ERROR for p in problems)
    return Severity.ERROR if errors else Severity.WARNING


def _top_left(ws: Worksheet, row: int, column: int) -> Any:
    cell = ws.cell(row, column)
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if cell.coordinate in merged:
                return ws.cell(merged.min_row, merged.min_col)
    return cell


def _annotate(cell: Any, problems: Sequence[Problem]) -> None:
    text = _comment_text(problems)
    if cell.comment is not None:  # HR's own note stays, ours follows it
        text = f"{cell.comment.text}\n\n{text}"
    lines = sum(len(line) // 40 + 1 for line in text.splitlines())
    cell.comment = Comment(text, AUTHOR, height=min(40 + 15 * lines, 600), width=320)


def _mark_sheets(book: Any, problems: Sequence[Problem]) -> tuple[int, int]:
    """Comment and fill every problem's cell or row; (cell problems, row problems)."""
    grouped: dict[tuple[str, int, int | None], list[Problem]] = defaultdict(list)
    for problem in problems:
        target = _target(problem.location)
        if target is not None and _sheet_for(book, target[0]) is not None:
            grouped[target].append(problem)
    cells = rows = 0
    for (name, row, column), found in grouped.items():
        ws = _sheet_for(book, name)
        assert ws is not None
        fill = FILLS[_severity(found)]
        if column is not None:
            cell = _top_left(ws, row, column)
            cell.fill = fill
            _annotate(cell, found)
            cells += len(found)
            continue
        for index in range(1, min(max(ws.max_column, 1), ROW_WIDTH_LIMIT) + 1):
            _top_left(ws, row, index).fill = fill
        _annotate(_top_left(ws, row, 1), found)
        rows += len(found)
    return cells, rows


# --- the Controle sheet --------------------------------------------------------------


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _link(book: Any, location: Location | None) -> tuple[str, str] | None:
    """(text, in-workbook location) of the link to a problem's place, if it has one."""
    if location is None:
        return None
    ws = _sheet_for(book, location.sheet)
    if ws is None:
        return None
    if location.row is None:
        return f"blad {ws.title}", f"{_quoted(ws.title)}!A1"
    letter = location.column_letter
    if letter is None:
        return f"rij {location.row}", f"{_quoted(ws.title)}!A{location.row}"
    return f"{letter}{location.row}", f"{_quoted(ws.title)}!{letter}{location.row}"


def _column_text(location: Location | None) -> str:
    if location is None or location.column is None:
        return ""
    letter = f" ({location.column_letter})" if location.column_letter else ""
    return f"{location.column}{letter}"


def _control_title(book: Any) -> str:
    taken = {title.casefold() for title in book.sheetnames}
    title, number = CONTROL_SHEET, 2
    while title.casefold() in taken:
        title, number = f"{CONTROL_SHEET} {number}", number + 1
    return title


def _control_sheet(book: Any, name: str, problems: Sequence[Problem]) -> None:
    ws = book.create_sheet(_control_title(book), 0)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings_ = len(problems) - errors
    ws["A1"] = f"Controle van het werkboek '{name}'"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{plural(errors, 'fout', 'fouten')}, "
        f"{plural(warnings_, 'waarschuwing', 'waarschuwingen')}. Dit is een kopie: herstel "
        f"de problemen in het werkboek zelf ('{name}') en controleer het opnieuw."
    )
    ws["A3"] = (
        "Een cel met een fout is rood, een cel met een waarschuwing oranje; de opmerking "
        "bij de cel zegt wat er mis is. Een probleem zonder cel kleurt de hele rij (bij "
        "een ontbrekende kolom: de kopregel); een ontbrekend blad staat alleen in deze "
        "lijst."
    )
    ws["A4"] = "Klik in de kolom 'Ga naar' om naar de plek van het probleem te gaan."
    for row, height in ((2, 30), (3, 45)):  # the explanation wraps over the table's width
        ws.merge_cells(f"A{row}:{get_column_letter(len(HEADERS))}{row}")
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = height
    header_row = FIRST_PROBLEM_ROW - 1
    for index, header in enumerate(HEADERS, start=1):
        ws.cell(header_row, index, header).font = Font(bold=True)
    if not problems:
        ws.cell(FIRST_PROBLEM_ROW, 1, "Geen problemen gevonden.")
    for number, problem in enumerate(problems, start=FIRST_PROBLEM_ROW):
        location = problem.location
        values = (
            problem.severity.value,
            location.sheet if location else "",
            location.row if location and location.row is not None else None,
            _column_text(location),
            problem.message,
        )
        for index, value in enumerate(values, start=1):
            ws.cell(number, index, value)
        ws.cell(number, 1).fill = FILLS[problem.severity]
        ws.cell(number, 5).alignment = Alignment(wrap_text=True, vertical="top")
        link = _link(book, location)
        if link is not None:
            cell = ws.cell(number, 6, link[0])
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link[1], display=link[0])
            cell.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEF", (14, 14, 6, 22, 90, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{FIRST_PROBLEM_ROW}"
    last = FIRST_PROBLEM_ROW + max(len(problems), 1) - 1
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{last}"
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
