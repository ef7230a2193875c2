"""An empty, self-explaining input workbook, built from the contract in `schema`.

Every sheet of `schema.SHEETS` gets its headers (styled, frozen, filterable), the
number formats and dropdowns its column value types call for (cell_style.py), and a
`Toelichting` sheet (toelichting.py) explains every sheet and column in Dutch. Nothing
here restates a column: names, value types, choices, descriptions and examples all come
from `schema`.

`build_empty_workbook` returns the openpyxl workbook so that a caller (the example
generator) can fill rows before saving it with `save_workbook`, which writes
byte-for-byte the same file for the same workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline.errors import IntervisieError
from pipeline.files import write_atomic
from pipeline.workbook import schema
from pipeline.workbook.cell_style import (
    BOLD,
    DATE_FORMAT,
    TEXT_FORMAT,
    TIME_FORMAT,
    WRAP_TOP,
    style_header,
)
from pipeline.workbook.schema import Column, Sheet, ValueType, choices_of, requirement
from pipeline.workbook.toelichting import write_toelichting

TOELICHTING = "Toelichting"
CREATOR = "intervisie-docs"
# Fixed document properties and zip entry times: the same input gives the same bytes.
DEFAULT_TIMESTAMP = dt.datetime(2027, 1, 4, 9, 0, 0)

FIRST_DATA_ROW = 2
LAST_FORMATTED_ROW = 1000  # formats and dropdowns are applied to rows 2..1000

# Identifiers that look like numbers but must keep their leading zeros. Postcodes
# are covered by their value type.
_KEEP_AS_TEXT = frozenset({"personeelsnummer"})

_MIN_WIDTH = 12
_MAX_WIDTH = 50
_MULTILINE_WIDTH = 50

# Excel limits for data-validation texts.
_TITLE_LIMIT = 32
_MESSAGE_LIMIT = 255
_LIST_LIMIT = 255


# --------------------------------------------------------------------------- public API


def build_empty_workbook(themes: Sequence[str]) -> Workbook:
    """The empty workbook: Toelichting first, then every sheet of the contract."""
    theme_names = _check_themes(themes)
    workbook = Workbook()
    toelichting = workbook.active
    toelichting.title = TOELICHTING
    write_toelichting(toelichting, theme_names)
    for sheet in schema.SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        if sheet is schema.ORGANISATIE:
            _write_organisatie(worksheet, sheet)
        else:
            _write_table_sheet(worksheet, sheet, theme_names)
    workbook.active = 0
    return workbook


def save_workbook(
    workbook: Workbook,
    path: Path,
    *,
    timestamp: dt.datetime = DEFAULT_TIMESTAMP,
    creator: str = CREATOR,
) -> None:
    """Save deterministically: fixed document properties and zip entry times."""
    workbook.properties.creator = creator
    workbook.properties.lastModifiedBy = creator
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would stamp the current time as modified.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    stamp = (
        timestamp.year,
        timestamp.month,
        timestamp.day,
        timestamp.hour,
        timestamp.minute,
        timestamp.second,
    )
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    write_atomic(path, output.getvalue())


def write_empty_workbook(path: Path, themes: Sequence[str]) -> None:
    """Write the empty workbook for `themes` (the dropdown of column `thema`) to `path`."""
    save_workbook(build_empty_workbook(themes), path)


def header_columns(worksheet: Worksheet) -> dict[str, int]:
    """Column number (1-based) per normalised header name of row 1."""
    found: dict[str, int] = {}
    for cell in worksheet[1]:
        if isinstance(cell.value, str) and cell.value.strip():
            found[schema.normalise_header(cell.value)] = int(cell.column)
    return found


# ------------------------------------------------------------------------ data sheets


def _check_themes(themes: Sequence[str]) -> tuple[str, ...]:
    names = tuple(theme.strip() for theme in themes if theme.strip())
    for name in names:
        if "," in name or '"' in name:
            raise IntervisieError(
                f"kan de keuzelijst voor 'thema' niet maken: de themanaam '{name}' bevat een "
                "komma of aanhalingsteken; pas de naam aan in het inhoudsbestand van het thema."
            )
    if len(_list_formula(names)) > _LIST_LIMIT:
        raise IntervisieError(
            "kan de keuzelijst voor 'thema' niet maken: de namen van de thema's zijn samen "
            f"langer dan de {_LIST_LIMIT} tekens die Excel in een keuzelijst toelaat."
        )
    return names


def _write_organisatie(worksheet: Worksheet, sheet: Sheet) -> None:
    headers = (schema.ORGANISATIE_KEY, schema.ORGANISATIE_VALUE)
    for number, name in enumerate(headers, start=1):
        style_header(worksheet.cell(row=1, column=number, value=name), required=True)
    for row, veld in enumerate(sheet.columns, start=FIRST_DATA_ROW):
        key = worksheet.cell(row=row, column=1, value=veld.name)
        key.font = BOLD if veld.required else Font()
        value = worksheet.cell(row=row, column=2)
        value.alignment = WRAP_TOP
        value.number_format = DATE_FORMAT if veld.value_type is ValueType.DATE else TEXT_FORMAT
        # An input message per value cell explains the field where it is filled in.
        prompt = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=_clip(veld.name, _TITLE_LIMIT),
            prompt=_clip(f"{_verplicht_zin(veld)} {veld.description}", _MESSAGE_LIMIT),
        )
        prompt.add(value.coordinate)
        worksheet.add_data_validation(prompt)
    worksheet.column_dimensions["A"].width = max(
        _MIN_WIDTH, max(len(column.name) for column in sheet.columns) + 4
    )
    worksheet.column_dimensions["B"].width = 60
    worksheet.freeze_panes = "A2"


def _write_table_sheet(worksheet: Worksheet, sheet: Sheet, themes: Sequence[str]) -> None:
    last_row = LAST_FORMATTED_ROW
    for number, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(number)
        style_header(worksheet.cell(row=1, column=number, value=column.name), column.required)
        worksheet.column_dimensions[letter].width = _width(column, themes)
        number_format = _number_format(column)
        wrap = column.value_type is ValueType.MULTILINE
        if number_format or wrap:
            for row in range(FIRST_DATA_ROW, last_row + 1):
                cell = worksheet.cell(row=row, column=number)
                if number_format:
                    cell.number_format = number_format
                if wrap:
                    cell.alignment = WRAP_TOP
        validation = _validation(column, themes)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        worksheet.add_data_validation(validation)
    last_letter = get_column_letter(len(sheet.columns))
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{last_letter}{last_row}"


def _number_format(column: Column) -> str | None:
    if column.value_type is ValueType.DATE:
        return DATE_FORMAT
    if column.value_type is ValueType.TIME:
        return TIME_FORMAT
    if column.value_type is ValueType.POSTCODE or column.name in _KEEP_AS_TEXT:
        return TEXT_FORMAT
    return None


def _width(column: Column, themes: Sequence[str]) -> float:
    if column.value_type is ValueType.MULTILINE:
        return _MULTILINE_WIDTH
    texts = [column.name, *column.example.splitlines(), *choices_of(column, themes)]
    return float(min(_MAX_WIDTH, max(_MIN_WIDTH, max(len(text) for text in texts) + 4)))


def _validation(column: Column, themes: Sequence[str]) -> DataValidation:
    """A dropdown for a choice column, a whole-number check for integers, else a hint."""
    prompt = _clip(f"{_verplicht_zin(column)} {column.description}", _MESSAGE_LIMIT)
    common: dict[str, object] = {
        "allow_blank": True,
        "showInputMessage": True,
        "promptTitle": _clip(column.name, _TITLE_LIMIT),
        "prompt": prompt,
    }
    choices = choices_of(column, themes)
    if choices:
        return DataValidation(
            type="list",
            formula1=_list_formula(choices),
            showDropDown=False,  # openpyxl's inverted flag: False shows the arrow
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_clip(f"Ongeldige {column.name}", _TITLE_LIMIT),
            error=_clip(f"Kies een waarde uit de lijst: {', '.join(choices)}.", _MESSAGE_LIMIT),
            **common,
        )
    if column.value_type is ValueType.INTEGER:
        return DataValidation(
            type="whole",
            operator="greaterThan",
            formula1="0",
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_clip(f"Ongeldige {column.name}", _TITLE_LIMIT),
            error="Vul een geheel getal groter dan 0 in, of laat de cel leeg.",
            **common,
        )
    return DataValidation(**common)


def _list_formula(choices: Iterable[str]) -> str:
    return '"' + ",".join(choices) + '"'


def _verplicht_zin(column: Column) -> str:
    needed = requirement(column)
    if needed == "ja":
        return "Verplicht."
    if needed == "nee":
        return "Niet verplicht."
    return f"Verplicht {needed}."


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fill_workbook(
    workbook: Workbook,
    organisatie: Mapping[str, object],
    rows: Mapping[str, Sequence[Mapping[str, object]]],
) -> None:
    """Fill an empty workbook: Organisatie values by veld, and rows (by header name) per
    sheet below the header, keeping the prepared cell formats. For the example workbook
    and the benchmark's synthetic ones."""
    sheet = workbook[schema.ORGANISATIE.name]
    known = {column.name for column in schema.ORGANISATIE.columns}
    unknown = set(organisatie) - known
    if unknown:
        raise ValueError(f"unknown Organisatie fields: {sorted(unknown)}")
    for row in range(2, sheet.max_row + 1):
        veld = sheet.cell(row=row, column=1).value
        if veld in organisatie:
            sheet.cell(row=row, column=2, value=organisatie[veld])
    for name, values in rows.items():
        worksheet = workbook[name]
        columns = header_columns(worksheet)
        for offset, row_values in enumerate(values):
            for column, value in row_values.items():
                if value is not None and value != "":
                    worksheet.cell(row=2 + offset, column=columns[column], value=value)
