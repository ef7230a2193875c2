"""The Toelichting sheet of the empty workbook: every sheet and column of the contract
explained in Dutch, all of it read from `schema`."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.workbook import schema
from pipeline.workbook.cell_style import (
    BOLD,
    BOX,
    SECTION_FILL,
    SECTION_FONT,
    TEXT_FORMAT,
    TITLE_FONT,
    WRAP_TOP,
    style_header,
)
from pipeline.workbook.schema import choices_of, requirement
from pipeline.workbook.values import and_list


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
    "syllabi en vervolgadviezen van, en een afzegging voor wie sinds de vorige keer uit "
    "een sessie is gehaald.",
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


def write_toelichting(worksheet: Worksheet, themes: Sequence[str]) -> None:
    width = len(_TABLE_HEADERS)
    last_letter = get_column_letter(width)
    for number, size in enumerate(_TOELICHTING_WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = size

    row = 1
    worksheet.cell(
        row=row, column=1, value="Toelichting bij het intervisie-werkboek"
    ).font = TITLE_FONT
    row += 2
    for paragraph in _INTRO:
        cell = worksheet.cell(row=row, column=1, value=paragraph)
        cell.alignment = WRAP_TOP
        worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        worksheet.row_dimensions[row].height = 15 * _lines(paragraph, 200)
        row += 1

    for sheet in schema.SHEETS:
        row += 1
        verplicht = "verplicht blad" if sheet.required else "optioneel blad"
        title = worksheet.cell(row=row, column=1, value=f"Blad {sheet.name} ({verplicht})")
        title.font = SECTION_FONT
        for number in range(1, width + 1):
            worksheet.cell(row=row, column=number).fill = SECTION_FILL
        row += 1
        description = sheet.description
        if sheet is schema.ORGANISATIE:
            description += (
                f" Zet de naam van het veld in kolom {schema.ORGANISATIE_KEY} en de inhoud "
                f"in kolom {schema.ORGANISATIE_VALUE}; de velden staan er al."
            )
        cell = worksheet.cell(row=row, column=1, value=description)
        cell.alignment = WRAP_TOP
        worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        row += 1
        headers = ("Veld", *_TABLE_HEADERS[1:]) if sheet is schema.ORGANISATIE else _TABLE_HEADERS
        for number, header in enumerate(headers, start=1):
            style_header(worksheet.cell(row=row, column=number, value=header), required=True)
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
                cell.alignment = WRAP_TOP
                cell.border = BOX
                cell.number_format = TEXT_FORMAT
            worksheet.cell(row=row, column=1).font = BOLD
            row += 1
    worksheet.freeze_panes = "A2"
    worksheet.sheet_view.showGridLines = False
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(text) // per_line))
