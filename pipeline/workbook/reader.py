"""Workbook file -> plain values.

The reader knows the contract's sheet and column names (from `schema`) but nothing of
their meaning: it finds each contract sheet, its header row and the known columns, and
returns the non-empty rows as plain, cleaned values. Checking those values is the
validator's job.

Safety. The workbook comes from outside, so before openpyxl sees it the file is checked
as a zip: size, number of members, total uncompressed size and compression ratio (zip
bombs). openpyxl parses the sheet XML with defusedxml (it does so automatically when
defusedxml is installed, which `openpyxl.DEFUSEDXML` reports; with lxml installed its
other parser runs with entity resolution off). The workbook is opened in read-only
mode so memory stays small for long sheets.

Formulas. A formula whose result Excel never stored (a workbook written by a script,
or saved without recalculating) has no value to read. The first pass reads the formulas
themselves (`data_only=False`); only when a known column holds a formula is the
workbook opened a second time with `data_only=True` to pick up the stored results, and
a formula without one is reported at its cell.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import openpyxl
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from pipeline.errors import Location, Problem, WorkbookFileError
from pipeline.workbook import schema

if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
    raise ImportError("defusedxml ontbreekt; installeer intervisie-docs opnieuw (pip install .)")

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100
# Real workbooks compress well too (openpyxl: repeated long text, 100x and more); a
# member is judged on its ratio only once it is large enough to hurt when unpacked.
RATIO_CHECK_FROM_BYTES = 64 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

FORMULA_WITHOUT_VALUE = (
    "formule zonder (of met een lege) berekende waarde; typ de waarde in, of open het "
    "werkboek in Excel en sla het opnieuw op."
)

Value = str | int | float | bool | dt.date | dt.time | dt.datetime | None

# Line breaks in all their spellings become "\n"; other control characters cannot be
# written to a Word document and are dropped.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Everything XML 1.0 cannot carry (a .docx is XML): C0 controls but tab and line
# breaks, DEL, lone surrogates (from '_xD800_'-style escapes) and U+FFFE/U+FFFF; and
# the C1 controls (U+0080-U+009F, no text uses them; a terminal obeys some of them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# The spaces Excel users paste (no-break, figure, narrow no-break) are plain spaces.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})


@dataclass(frozen=True)
class RawCell:
    value: Value
    column_letter: str


@dataclass(frozen=True)
class RawRow:
    row: int
    cells: Mapping[str, RawCell]  # normalised header -> cell; known columns only


@dataclass(frozen=True)
class RawSheet:
    name: str  # the contract's sheet name
    columns: Mapping[str, str]  # normalised header -> column letter; known columns only
    header_row: int
    rows: tuple[RawRow, ...]


@dataclass(frozen=True)
class RawWorkbook:
    path: Path
    sheets: Mapping[str, RawSheet]  # by the contract's sheet name
    problems: tuple[Problem, ...] = field(default=())


def read_workbook(path: Path) -> RawWorkbook:
    """Read every contract sheet of `path`; raise WorkbookFileError if it is no workbook.

    Sheets that are not in the contract are ignored; contract sheets that are missing are
    simply absent from `sheets` (the validator reports them)."""
    check_file(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions,
            # conditional formatting, ...); none of them matter for reading values.
            warnings.simplefilter("ignore")
            return _read(path)
    except WorkbookFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on malformed files
        raise WorkbookFileError(
            f"'{path.name}' is beschadigd en kan niet worden gelezen ({type(exc).__name__}). "
            "Open het in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)'."
        ) from exc


# --- file checks ---------------------------------------------------------------------


def check_file(path: Path) -> None:
    """Refuse anything that is not a plausible, harmless xlsx file, before parsing it."""
    name = path.name
    if not path.exists():
        raise WorkbookFileError(f"'{path}' bestaat niet.")
    if path.is_dir():
        raise WorkbookFileError(f"'{path}' is een map, geen Excel-werkboek.")
    if not path.is_file():
        raise WorkbookFileError(f"'{path}' is geen gewoon bestand en geen Excel-werkboek.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise WorkbookFileError(f"'{name}' kan niet worden geopend: {exc.strerror}.") from exc
    if size == 0:
        raise WorkbookFileError(f"'{name}' is leeg (0 bytes); dit is geen Excel-werkboek.")
    if size > MAX_FILE_BYTES:
        raise WorkbookFileError(
            f"'{name}' is {size // (1024 * 1024)} MB; een werkboek mag hoogstens "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB zijn."
        )
    if magic.startswith(OLE2_MAGIC[:4]):
        raise WorkbookFileError(
            f"'{name}' is met een wachtwoord beveiligd of in het oude .xls-formaat; "
            "sla het in Excel op als 'Excel-werkmap (*.xlsx)' zonder wachtwoord."
        )
    if not magic.startswith(ZIP_MAGICS):
        raise WorkbookFileError(_not_a_workbook(path))
    _check_zip(path)


def _not_a_workbook(path: Path) -> str:
    kind = " maar een tekstbestand (csv)" if path.suffix.lower() in (".csv", ".txt") else ""
    return (
        f"'{path.name}' is geen Excel-werkboek (.xlsx){kind}. "
        "Sla het bestand in Excel op als 'Excel-werkmap (*.xlsx)'."
    )


def _check_zip(path: Path) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookFileError(
            f"'{name}' is beschadigd (geen geldig zip-bestand). "
            "Open het in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)'."
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise WorkbookFileError(
            f"'{name}' bevat {len(members)} onderdelen; een werkboek heeft er hoogstens "
            f"{MAX_MEMBERS}. Het bestand wordt niet gelezen."
        )
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookFileError(
            f"'{name}' is uitgepakt groter dan {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB; "
            "het bestand wordt niet gelezen."
        )
    for member in members:
        if member.file_size > RATIO_CHECK_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise WorkbookFileError(
                f"'{name}' is verdacht sterk ingepakt (onderdeel '{member.filename}'); "
                "het bestand wordt niet gelezen."
            )
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.endswith("workbook.xml") for n in names):
        raise WorkbookFileError(_not_a_workbook(path))


# --- reading -------------------------------------------------------------------------


@dataclass
class _Sheet:
    """A sheet being read: header positions and rows with their raw values."""

    spec: schema.Sheet
    title: str  # the workbook's own sheet title
    header_row: int
    columns: dict[str, int]  # normalised header -> 1-based column index
    rows: list[tuple[int, list[Any]]]  # (row number, values in column order of `columns`)


def _read(path: Path) -> RawWorkbook:
    problems: list[Problem] = []
    with path.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        try:
            titles = _match_titles(book.sheetnames, problems)
            sheets = [_read_sheet(book[title], spec, title, problems) for spec, title in titles]
        finally:
            book.close()
    if any(_formula_rows(sheet) for sheet in sheets):
        _fill_formula_results(path, sheets)
    raw = {sheet.spec.name: _finish_sheet(sheet, problems) for sheet in sheets}
    return RawWorkbook(path, MappingProxyType(raw), tuple(problems))


def _match_titles(titles: list[str], problems: list[Problem]) -> list[tuple[schema.Sheet, str]]:
    """Contract sheets found in the workbook, matched case-insensitively and stripped."""
    found: list[tuple[schema.Sheet, str]] = []
    for spec in schema.SHEETS:
        matches = [title for title in titles if title.strip().lower() == spec.name.lower()]
        if len(matches) > 1:
            problems.append(
                Problem(
                    f"het werkboek heeft {len(matches)} bladen met de naam '{spec.name}' "
                    f"({', '.join(repr(t) for t in matches)}); geef maar één blad die naam.",
                    Location(spec.name),
                )
            )
        if matches:
            found.append((spec, matches[0]))
    return found


def known_columns(spec: schema.Sheet) -> tuple[str, ...]:
    """The headers the reader keeps for a sheet."""
    if spec is schema.ORGANISATIE:
        return (schema.ORGANISATIE_KEY, schema.ORGANISATIE_VALUE)
    return tuple(column.name for column in spec.columns)


def _read_sheet(ws: Any, spec: schema.Sheet, title: str, problems: list[Problem]) -> _Sheet:
    # Do not trust the <dimension> element: it may be missing, too small or huge.
    ws.reset_dimensions()
    header_row, header = _find_header(ws)
    columns = _header_columns(spec, header_row, header, problems)
    sheet = _Sheet(spec, title, header_row, columns, [])
    if not columns:
        return sheet
    width = max(columns.values())
    positions = [index - 1 for index in columns.values()]
    for number, values in _rows(ws, header_row + 1, width):
        picked = [values[i] if i < len(values) else None for i in positions]
        if any(_clean(value) is not None for value in picked):
            sheet.rows.append((number, picked))
    return sheet


def _find_header(ws: Any) -> tuple[int, tuple[Any, ...]]:
    """The first non-empty row; (0, ()) for an empty sheet."""
    for number, values in _rows(ws, 1, None):
        if any(_clean(value) is not None for value in values):
            return number, values
    return 0, ()


def _rows(ws: Any, first: int, width: int | None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Numbered rows from `first` on, skipping runs of empty rows cheaply.

    openpyxl yields one shared empty tuple for every row missing from the file, so a
    stray cell at row 100000 costs a loop over identical objects, not 100000 rows.
    """
    empty: tuple[Any, ...] | None = None
    rows = ws.iter_rows(min_row=first, max_col=width, values_only=True)
    for number, values in enumerate(rows, start=first):
        if values is empty:
            continue
        if not values or all(value is None for value in values):
            empty = values
            continue
        yield number, values


def _header_columns(
    spec: schema.Sheet, header_row: int, header: tuple[Any, ...], problems: list[Problem]
) -> dict[str, int]:
    known = known_columns(spec)
    columns: dict[str, int] = {}
    for index, value in enumerate(header, start=1):
        text = _clean(value)
        if text is None:
            continue
        name = schema.normalise_header(str(text))
        if name not in known:
            continue
        if name in columns:
            first = get_column_letter(columns[name])
            problems.append(
                Problem(
                    f"kolom '{name}' staat twee keer in de kopregel (ook in kolom {first}); "
                    "verwijder of hernoem een van beide.",
                    Location(spec.name, header_row, name, get_column_letter(index)),
                )
            )
            continue
        columns[name] = index
    return columns


def _is_formula(value: Any) -> bool:
    if isinstance(value, ArrayFormula | DataTableFormula):
        return True
    return isinstance(value, str) and value.startswith("=")


def _formula_rows(sheet: _Sheet) -> set[int]:
    return {number for number, values in sheet.rows if any(map(_is_formula, values))}


def _fill_formula_results(path: Path, sheets: list[_Sheet]) -> None:
    """Replace formulas by the results Excel stored, from a `data_only` pass."""
    with path.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        try:
            for sheet in sheets:
                wanted = _formula_rows(sheet)
                if wanted:
                    _fill_sheet(book[sheet.title], sheet, wanted)
        finally:
            book.close()


def _fill_sheet(ws: Any, sheet: _Sheet, wanted: set[int]) -> None:
    ws.reset_dimensions()
    width = max(sheet.columns.values())
    positions = [index - 1 for index in sheet.columns.values()]
    by_number = dict(sheet.rows)
    rows = ws.iter_rows(min_row=min(wanted), max_row=max(wanted), max_col=width, values_only=True)
    for number, values in enumerate(rows, start=min(wanted)):
        if number not in wanted:
            continue
        current = by_number[number]
        for slot, i in enumerate(positions):
            if _is_formula(current[slot]):
                result = values[i] if i < len(values) else None
                current[slot] = _FormulaWithoutValue() if result is None else result


class _FormulaWithoutValue:
    """Marks a cell whose formula has no stored result."""


def _finish_sheet(sheet: _Sheet, problems: list[Problem]) -> RawSheet:
    letters = {name: get_column_letter(index) for name, index in sheet.columns.items()}
    names = list(sheet.columns)
    rows = []
    for number, values in sheet.rows:
        cells = {}
        for name, value in zip(names, values, strict=True):
            letter = letters[name]
            cells[name] = RawCell(
                _cell_value(value, sheet.spec.name, number, name, letter, problems), letter
            )
        rows.append(RawRow(number, MappingProxyType(cells)))
    return RawSheet(sheet.spec.name, MappingProxyType(letters), sheet.header_row, tuple(rows))


def _cell_value(
    value: Any, sheet: str, row: int, column: str, letter: str, problems: list[Problem]
) -> Value:
    location = Location(sheet, row, column, letter)
    # Every '='-text was replaced by its stored result in _fill_formula_results; one
    # still starting with '=' is text typed as such ("'=..." in Excel), not a formula.
    if isinstance(value, _FormulaWithoutValue | ArrayFormula | DataTableFormula):
        problems.append(Problem(FORMULA_WITHOUT_VALUE, location))
        return None
    if isinstance(value, str) and value.strip() in ERROR_CODES:
        problems.append(
            Problem(
                f"de cel bevat de Excel-foutwaarde '{value.strip()}'; "
                "herstel de formule of typ de waarde in.",
                location,
            )
        )
        return None
    return _clean(value)


def _clean(value: Any) -> Value:
    """Plain, stripped values; empty text -> None; Excel's _xHHHH_ escapes decoded."""
    if isinstance(value, str):
        text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", unescape(value))).translate(_SPACES)
        text = text.strip()
        return text or None
    if isinstance(value, dt.timedelta):  # a [u]:mm duration format
        if dt.timedelta(0) <= value < dt.timedelta(days=1):
            return (dt.datetime.min + value).time()
        return value.total_seconds() / 86400
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time):
        return value
    return str(value)
