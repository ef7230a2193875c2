"""An empty, self-explaining input workbook, built from the contract in `schema`.

Every sheet of `schema.SHEETS` gets its headers (styled, frozen, filterable), the
number formats and dropdowns its column value types call for, and a `Toelichting` sheet
explains every sheet and column in Dutch. Nothing here restates a column: names,
value types, choices, descriptions and examples all come from `schema`.

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
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline.errors import IntervisieError
from pipeline.files import write_atomic
from pipeline.workbook import schema
from pipeline.workbook.schema import Column, Sheet, ValueType
from pipeline.workbook.values import and_list

TOELICHTING = "Toelichting"
CREATOR = "intervisie-docs"
# Fixed document properties and zip entry times: the same input gives the same bytes.
DEFAULT_TIMESTAMP = dt.datetime(2027, 1, 4, 9, 0, 0)

FIRST_DATA_ROW = 2
LAST_FORMATTED_ROW = 1000  # formats and dropdowns are applied to rows 2..1000

DATE_FORMAT = "dd-mm-yyyy"
TIME_FORMAT = "hh:mm"
TEXT_FORMAT = "@"
# Identifiers that look like numbers but must keep their leading zeros. Postcodes
# are covered by their value type.
_KEEP_AS_TEXT = frozenset({"personeelsnummer"})

_REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
_OPTIONAL_FILL = PatternFill("solid", fgColor="5B9BD5")
_SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14, color="1F4E79")
_SECTION_FONT = Font(bold=True, size=12, color="1F4E79")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(vertical="center")

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
    _write_toelichting(toelichting, theme_names)
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


def requirement(column: Column) -> str:
    """'ja', 'nee' or the condition under which the column is required ('bij online')."""
    if column.required:
        return "ja"
    if column.required_when is not None:
        return f"bij {column.required_when.value}"
    return "nee"


def choices_of(column: Column, themes: Sequence[str]) -> tuple[str, ...]:
    """The allowed values of a CHOICE column; `thema` takes the configured themes."""
    if column.value_type is not ValueType.CHOICE:
        return ()
    return column.choices or tuple(themes)


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
        _style_header(worksheet.cell(row=1, column=number, value=name), required=True)
    for row, veld in enumerate(sheet.columns, start=FIRST_DATA_ROW):
        key = worksheet.cell(row=row, column=1, value=veld.name)
        key.font = _BOLD if veld.required else Font()
        value = worksheet.cell(row=row, column=2)
        value.alignment = _WRAP_TOP
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
        _style_header(worksheet.cell(row=1, column=number, value=column.name), column.required)
        worksheet.column_dimensions[letter].width = _width(column, themes)
        number_format = _number_format(column)
        wrap = column.value_type is ValueType.MULTILINE
        if number_format or wrap:
            for row in range(FIRST_DATA_ROW, last_row + 1):
                cell = worksheet.cell(row=row, column=number)
                if number_format:
                    cell.number_format = number_format
                if wrap:
                    cell.alignment = _WRAP_TOP
        validation = _validation(column, themes)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        worksheet.add_data_validation(validation)
    last_letter = get_column_letter(len(sheet.columns))
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{last_letter}{last_row}"


def _style_header(cell: Any, required: bool) -> None:
    cell.font = _HEADER_FONT
    cell.fill = _REQUIRED_FILL if required else _OPTIONAL_FILL
    cell.alignment = _HEADER_ALIGN
    cell.border = _BOX


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


# ------------------------------------------------------------------------- Toelichting


def _conditions_text() -> str:
    """What 'bij ...' in the Verplicht column means, for every condition in the contract."""
    by_column: dict[str, list[str]] = {}
    for sheet in schema.SHEETS:
        for column in sheet.columns:
            if column.required_when is not None:
                condition = column.required_when
                by_column.setdefault(condition.column, []).append(f"'bij {condition.value}'")
    return "; ".join(
        f"{and_list(values)} {'betekent' if len(values) == 1 else 'betekenen'} dat de cel "
        f"verplicht is als de kolom {column} die waarde heeft"
        for column, values in by_column.items()
    )


_INTRO = (
    "Dit werkboek is de enige bron voor een cyclus intervisiesessies. Vul de bladen "
    "Organisatie, Sessies, Deelnemers en Indeling in; Uitkomsten vult u na afloop van "
    "een sessie in. Daarna maakt het programma er de uitnodigingen, draaiboeken, "
    "syllabi en vervolgadviezen van.",
    "Kolomkoppen: laat ze staan zoals ze zijn. De volgorde mag anders, hoofdletters "
    "maken niet uit en een spatie telt als een liggend streepje (Duur minuten = "
    "duur_minuten). Extra kolommen en lege rijen worden overgeslagen.",
    "Donkerblauwe kolomkoppen zijn verplichte kolommen, lichtblauwe zijn optioneel. "
    f"Elke verplichte cel moet gevuld zijn; {_conditions_text()}.",
    "Datums: een datumcel of tekst dd-mm-jjjj. Tijden: een tijdcel of tekst uu:mm. "
    "Keuzekolommen hebben een keuzelijst; andere waarden worden geweigerd.",
    "Personeelsnummers en postcodes staan als tekst opgemaakt, zodat voorloopnullen blijven staan.",
    "Regels bij de controle: elke sessie heeft 3 tot en met 10 deelnemers, niemand "
    "staat in twee sessies die tegelijk plaatsvinden, codes en personeelsnummers zijn "
    "uniek en elke rij in Indeling verwijst naar een bestaande sessie en persoon. Alle "
    "fouten worden samen gemeld; bij een fout worden geen documenten gemaakt.",
    "Dit blad (Toelichting) wordt door het programma niet gelezen.",
)

_TABLE_HEADERS = ("Kolom", "Verplicht", "Soort", "Keuzes", "Uitleg", "Voorbeeld")
_TOELICHTING_WIDTHS = (24, 16, 24, 34, 70, 40)


def _write_toelichting(worksheet: Worksheet, themes: Sequence[str]) -> None:
    width = len(_TABLE_HEADERS)
    last_letter = get_column_letter(width)
    for number, size in enumerate(_TOELICHTING_WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = size

    row = 1
    worksheet.cell(
        row=row, column=1, value="Toelichting bij het intervisie-werkboek"
    ).font = _TITLE_FONT
    row += 2
    for paragraph in _INTRO:
        cell = worksheet.cell(row=row, column=1, value=paragraph)
        cell.alignment = _WRAP_TOP
        worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        worksheet.row_dimensions[row].height = 15 * _lines(paragraph, 200)
        row += 1

    for sheet in schema.SHEETS:
        row += 1
        verplicht = "verplicht blad" if sheet.required else "optioneel blad"
        title = worksheet.cell(row=row, column=1, value=f"Blad {sheet.name} ({verplicht})")
        title.font = _SECTION_FONT
        for number in range(1, width + 1):
            worksheet.cell(row=row, column=number).fill = _SECTION_FILL
        row += 1
        description = sheet.description
        if sheet is schema.ORGANISATIE:
            description += (
                f" Zet de naam van het veld in kolom {schema.ORGANISATIE_KEY} en de inhoud "
                f"in kolom {schema.ORGANISATIE_VALUE}; de velden staan er al."
            )
        cell = worksheet.cell(row=row, column=1, value=description)
        cell.alignment = _WRAP_TOP
        worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        row += 1
        headers = ("Veld", *_TABLE_HEADERS[1:]) if sheet is schema.ORGANISATIE else _TABLE_HEADERS
        for number, header in enumerate(headers, start=1):
            _style_header(worksheet.cell(row=row, column=number, value=header), required=True)
        row += 1
        for column in sheet.columns:
            values = (
                column.name,
                requirement(column),
                column.value_type.value,
                ", ".join(choices_of(column, themes)),
                column.description,
                column.example,
            )
            for number, value in enumerate(values, start=1):
                cell = worksheet.cell(row=row, column=number, value=value)
                cell.alignment = _WRAP_TOP
                cell.border = _BOX
                cell.number_format = TEXT_FORMAT
            worksheet.cell(row=row, column=1).font = _BOLD
            row += 1
    worksheet.freeze_panes = "A2"
    worksheet.sheet_view.showGridLines = False
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(text) // per_line))


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
