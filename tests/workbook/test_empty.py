"""The empty workbook (`nieuw-werkboek`) and the example workbook `inputs/voorbeeld.xlsx`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import struct
import warnings
import zlib
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pipeline.errors import IntervisieError
from pipeline.model import Aanhef, Rol
from pipeline.workbook import schema
from pipeline.workbook.cell_style import DATE_FORMAT, TEXT_FORMAT, TIME_FORMAT
from pipeline.workbook.empty import (
    LAST_FORMATTED_ROW,
    TOELICHTING,
    build_empty_workbook,
    save_workbook,
    write_empty_workbook,
)
from pipeline.workbook.schema import ValueType, choices_of, requirement

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "inputs" / "voorbeeld.xlsx"
SIGNATURE = ROOT / "inputs" / "handtekening.png"
THEMES = ["Leerruimte", "Autonomie", "Participatie", "Intervisie"]


def _load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("leeg") / "leeg.xlsx"
    write_empty_workbook(path, THEMES)
    return _load(path)


def _headers(ws: Any) -> dict[str, int]:
    return {
        schema.normalise_header(str(cell.value)): cell.column
        for cell in ws[1]
        if cell.value is not None
    }


def _validations(ws: Any) -> list[Any]:
    return list(ws.data_validations.dataValidation)


def _covering(ws: Any, coordinate: str) -> list[Any]:
    return [dv for dv in _validations(ws) if coordinate in dv.sqref]


# ------------------------------------------------------------------------ empty workbook


def test_every_sheet_and_header_is_there(empty: Any) -> None:
    assert empty.sheetnames == [TOELICHTING, *(sheet.name for sheet in schema.SHEETS)]
    assert empty.active.title == TOELICHTING
    for sheet in schema.SHEETS:
        ws = empty[sheet.name]
        assert ws.freeze_panes == "A2"
        header = [cell.value for cell in ws[1]]
        if sheet is schema.ORGANISATIE:
            assert header == [schema.ORGANISATIE_KEY, schema.ORGANISATIE_VALUE]
            velden = [ws.cell(row=row, column=1).value for row in range(2, ws.max_row + 1)]
            assert velden == [column.name for column in sheet.columns]
            assert all(ws.cell(row=row, column=2).value is None for row in range(2, ws.max_row + 1))
        else:
            assert header == [column.name for column in sheet.columns]
        assert all(cell.font.bold for cell in ws[1])
        assert all(cell.fill.fgColor.rgb not in (None, "00000000") for cell in ws[1])


def test_dropdowns_for_every_choice_column(empty: Any) -> None:
    seen = 0
    for sheet in schema.SHEETS[1:]:
        ws = empty[sheet.name]
        columns = _headers(ws)
        for column in sheet.columns:
            letter = get_column_letter(columns[column.name])
            for row in (2, LAST_FORMATTED_ROW):
                lists = [dv for dv in _covering(ws, f"{letter}{row}") if dv.type == "list"]
                if column.value_type is not ValueType.CHOICE:
                    assert not lists
                    continue
                assert len(lists) == 1, (sheet.name, column.name)
                dv = lists[0]
                values = dv.formula1.strip('"').split(",")
                assert values == list(choices_of(column, THEMES))
                assert dv.showErrorMessage and dv.error and dv.errorTitle
                assert dv.showInputMessage and dv.prompt
                seen += 1
            assert _covering(ws, f"{letter}{LAST_FORMATTED_ROW + 1}") == []
    # vorm, begeleiding, thema, aanhef, rol: two rows each
    assert seen == 2 * 5
    thema = schema.SESSIES.column("thema")
    assert choices_of(thema, THEMES) == tuple(THEMES)


def test_number_formats(empty: Any) -> None:
    for sheet in schema.SHEETS[1:]:
        ws = empty[sheet.name]
        columns = _headers(ws)
        for column in sheet.columns:
            expected = {
                ValueType.DATE: DATE_FORMAT,
                ValueType.TIME: TIME_FORMAT,
                ValueType.POSTCODE: TEXT_FORMAT,
            }.get(column.value_type)
            if column.name == "personeelsnummer":
                expected = TEXT_FORMAT
            if expected is None:
                continue
            for row in (2, 500, LAST_FORMATTED_ROW):
                cell = ws.cell(row=row, column=columns[column.name])
                assert cell.number_format == expected, (sheet.name, column.name, row)
    assert empty["Sessies"]["C2"].number_format == "dd-mm-yyyy"
    assert empty["Sessies"]["D2"].number_format == "hh:mm"
    organisatie = empty[schema.ORGANISATIE.name]
    for row in range(2, organisatie.max_row + 1):
        veld = schema.ORGANISATIE.column(organisatie.cell(row=row, column=1).value)
        expected = DATE_FORMAT if veld.value_type is ValueType.DATE else TEXT_FORMAT
        assert organisatie.cell(row=row, column=2).number_format == expected


def test_toelichting_explains_every_sheet_and_column(empty: Any) -> None:
    ws = empty[TOELICHTING]
    rows = [
        tuple(str(v) if v is not None else "" for v in row)
        for row in ws.iter_rows(values_only=True)
    ]
    text = "\n".join(" ".join(row) for row in rows)
    by_name: dict[tuple[str, str], tuple[str, ...]] = {}
    current = ""
    for row in rows:
        for sheet in schema.SHEETS:
            if row[0].startswith(f"Blad {sheet.name} "):
                current = sheet.name
        if current and row[0]:
            by_name[(current, row[0])] = row
    for sheet in schema.SHEETS:
        assert f"Blad {sheet.name}" in text
        for column in sheet.columns:
            row = by_name[(sheet.name, column.name)]
            assert row[1] == requirement(column)
            assert row[2] == column.value_type.value
            assert row[3] == ", ".join(choices_of(column, THEMES))
            assert row[4] == column.description
            assert row[5] == column.example
    assert by_name[("Sessies", "link")][1] == "bij online"
    assert by_name[("Sessies", "locatie")][1] == "bij op locatie"
    assert by_name[("Sessies", "sessie")][1] == "ja"
    assert by_name[("Sessies", "duur_minuten")][1] == "nee"
    assert (
        "'bij op locatie' en 'bij online' betekenen dat de cel verplicht is als de kolom "
        "vorm die waarde heeft" in text
    )
    for theme in THEMES:
        assert theme in by_name[("Sessies", "thema")][3]


def test_written_deterministically(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_empty_workbook(first, THEMES)
    write_empty_workbook(second, THEMES)
    assert first.read_bytes() == second.read_bytes()
    props = _load(first).properties
    assert props.creator == "intervisie-docs"
    assert props.created == props.modified == dt.datetime(2027, 1, 4, 9, 0)


def test_theme_names_must_fit_a_dropdown() -> None:
    with pytest.raises(IntervisieError, match="komma"):
        build_empty_workbook(["Leerruimte, extra"])


def test_filled_workbook_round_trips(tmp_path: Path) -> None:
    workbook = build_empty_workbook(THEMES)
    ws = workbook["Sessies"]
    ws["A2"], ws["C2"], ws["D2"] = "LR-01", dt.date(2027, 3, 9), dt.time(14, 0)
    path = tmp_path / "gevuld.xlsx"
    save_workbook(workbook, path)
    again = _load(path)["Sessies"]
    assert again["C2"].value == dt.datetime(2027, 3, 9)
    assert again["D2"].value == dt.time(14, 0)
    assert again["C2"].number_format == DATE_FORMAT
    assert again["D2"].number_format == TIME_FORMAT


# ----------------------------------------------------------------------- the example


@pytest.fixture(scope="module")
def example() -> dict[str, list[dict[str, Any]]]:
    """Every contract sheet of the example as a list of rows keyed by header."""
    assert EXAMPLE.is_file(), "run: .venv/bin/python tools/make_example.py"
    workbook = _load(EXAMPLE)
    sheets: dict[str, list[dict[str, Any]]] = {}
    for sheet in schema.SHEETS:
        ws = workbook[sheet.name]
        header = [schema.normalise_header(str(c.value)) if c.value else "" for c in ws[1]]
        rows = []
        for values in ws.iter_rows(min_row=2, values_only=True):
            if any(value not in (None, "") for value in values):
                rows.append(dict(zip(header, values, strict=False)))
        sheets[sheet.name] = rows
    return sheets


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.strptime(str(value), "%d-%m-%Y").date()


def _as_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    return dt.datetime.strptime(str(value), "%H:%M").time()


def test_example_organisation(example: dict[str, list[dict[str, Any]]]) -> None:
    values = {row["veld"]: row["waarde"] for row in example["Organisatie"]}
    for veld in schema.ORGANISATIE.columns:
        if veld.required:
            assert values.get(veld.name), veld.name
    assert values["handtekening"] == SIGNATURE.name
    assert len(str(values["afzender_adres"]).splitlines()) >= 2
    assert values["cyclus"] == "Intervisie voorjaar 2027"


def test_example_sessions(example: dict[str, list[dict[str, Any]]]) -> None:
    sessions = example["Sessies"]
    assert len(sessions) >= 6
    assert {row["thema"] for row in sessions} == set(THEMES)
    assert {row["vorm"] for row in sessions} == {"online", "op locatie"}
    assert {row["begeleiding"] for row in sessions} == {"HR", "extern"}
    assert any(row["prikkelende_vraag"] for row in sessions)
    assert any(row["duur_minuten"] is None for row in sessions)
    for row in sessions:
        day = _as_date(row["datum"])
        assert dt.date(2027, 3, 1) <= day <= dt.date(2027, 6, 30)
        assert day.weekday() < 5
        if row["vorm"] == "online":
            assert str(row["link"]).startswith("https://")
        else:
            assert row["locatie"]


def test_example_people(example: dict[str, list[dict[str, Any]]]) -> None:
    people = example["Deelnemers"]
    assert 35 <= len(people) <= 45
    assert len({row["personeelsnummer"] for row in people}) == len(people)
    assert all(isinstance(row["personeelsnummer"], str) for row in people)
    assert any("&" in str(row["afdeling"]) for row in people)
    without = [row for row in people if not (row["adres"] and row["postcode"] and row["plaats"])]
    assert len(without) >= 5
    assert {row["aanhef"] for row in people} == set(schema.values_of(Aanhef))
    assert {"'t", "van der", "van den", "ter"} <= {row["tussenvoegsel"] for row in people}


def test_example_bookings(example: dict[str, list[dict[str, Any]]]) -> None:
    sessions = {row["sessie"]: row for row in example["Sessies"]}
    people = {row["personeelsnummer"] for row in example["Deelnemers"]}
    groups: dict[str, list[str]] = defaultdict(list)
    inbrengers: dict[str, list[str]] = defaultdict(list)
    booked: dict[str, list[str]] = defaultdict(list)
    for row in example["Indeling"]:
        assert row["sessie"] in sessions and row["personeelsnummer"] in people
        groups[row["sessie"]].append(row["personeelsnummer"])
        booked[row["personeelsnummer"]].append(row["sessie"])
        if row["rol"] == Rol.INBRENGER.value:
            inbrengers[row["sessie"]].append(row["personeelsnummer"])
    assert set(groups) == set(sessions)
    assert all(3 <= len(group) <= 10 for group in groups.values())
    assert set(booked) == people
    assert all(1 <= len(codes) <= 3 for codes in booked.values())
    everyone = [person for names in inbrengers.values() for person in names]
    assert len(everyone) == len(set(everyone)), "someone is inbrenger twice"
    for code, row in sessions.items():
        if row["thema"] == "Intervisie":
            assert 4 <= len(groups[code]) <= 6
            assert 2 <= len(inbrengers[code]) <= 3

    def span(code: str) -> tuple[dt.datetime, dt.datetime]:
        row = sessions[code]
        start = dt.datetime.combine(_as_date(row["datum"]), _as_time(row["begintijd"]))
        # Without a length, assume a generous one: the check must not depend on defaults.
        minutes = row["duur_minuten"] or 30 + 40 * max(1, len(inbrengers[code]))
        return start, start + dt.timedelta(minutes=minutes)

    for codes in booked.values():
        for index, first in enumerate(codes):
            for second in codes[index + 1 :]:
                (a, b), (c, d) = span(first), span(second)
                assert b <= c or d <= a, f"{first} overlaps {second}"


def test_example_outcomes(example: dict[str, list[dict[str, Any]]]) -> None:
    outcomes = example["Uitkomsten"]
    sessions = {row["sessie"] for row in example["Sessies"]}
    assert len(outcomes) == 2
    assert {row["sessie"] for row in outcomes} <= sessions
    assert any("\n" in str(row["knelpunten"]) for row in outcomes)


def test_signature_is_a_valid_png() -> None:
    data = SIGNATURE.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth, colour) == (600, 200, 8, 6)
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (1 + 4 * width)
    inked = sum(1 for i in range(4, len(pixels), 4) if pixels[i] == 255)
    assert inked > 1000


def _make_example() -> ModuleType:
    script = ROOT / "tools" / "make_example.py"
    spec = importlib.util.spec_from_file_location("make_example", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_is_up_to_date(tmp_path: Path) -> None:
    """The committed workbook is what `make example` writes from tools/voorbeeld.toml."""
    module = _make_example()
    path = tmp_path / "voorbeeld.xlsx"
    module.write_workbook(module.load_data(), path)
    assert path.read_bytes() == EXAMPLE.read_bytes(), "run: make example"


def test_make_example_refuses_data_the_check_refuses(tmp_path: Path) -> None:
    module = _make_example()
    data = module.load_data()
    online = next(s for s in data["sessies"] if s["vorm"] == "online")
    del online["link"]
    path = tmp_path / "voorbeeld.xlsx"
    module.write_workbook(data, path)
    (tmp_path / "handtekening.png").write_bytes(SIGNATURE.read_bytes())
    problems = module.check(path, data["vandaag"])
    assert any("link is niet ingevuld" in p for p in problems), problems


def test_example_passes_the_workbook_check() -> None:
    """The validator (when present) accepts the example: it raises on any error."""
    validate = pytest.importorskip("pipeline.workbook.check")
    from pipeline.content.themes import load_content

    content = load_content(ROOT / "templates")
    result = validate.check_workbook(EXAMPLE, content, dt.date(2027, 1, 4))
    assert len(result.cycle.sessions) == 9
    assert len(result.cycle.people) == 41
