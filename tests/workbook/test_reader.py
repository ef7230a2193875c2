from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipeline.errors import Location, WorkbookFileError
from pipeline.workbook import reader
from pipeline.workbook.reader import FORMULA_WITHOUT_VALUE, RawSheet, read_workbook
from tests.workbooks import Book


def sheet_of(path: Path, name: str) -> RawSheet:
    return read_workbook(path).sheets[name]


def values(sheet: RawSheet, column: str) -> list[object]:
    return [row.cells[column].value for row in sheet.rows]


def test_defusedxml_is_used_by_openpyxl() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_valid_workbook_reads_every_contract_sheet(tmp_path: Path) -> None:
    raw = read_workbook(Book.valid().save(tmp_path / "w.xlsx"))
    assert set(raw.sheets) == {"Organisatie", "Sessies", "Deelnemers", "Indeling"}
    assert raw.problems == ()
    sessies = raw.sheets["Sessies"]
    assert sessies.header_row == 1
    assert sessies.columns["thema"] == "B"
    assert [row.row for row in sessies.rows] == [2, 3, 4]
    first = sessies.rows[0].cells
    assert first["datum"].value == dt.datetime(2027, 3, 9)
    assert first["begintijd"].value == dt.time(14, 0)
    assert first["duur_minuten"].value == 60
    assert first["link"].value is None
    assert first["thema"].column_letter == "B"


@pytest.mark.parametrize(
    "header", ["Duur minuten", " DUUR_MINUTEN ", "duur_minuten", "Duur_Minuten"]
)
def test_header_variants_match(tmp_path: Path, header: str) -> None:
    book = Book.valid().rename_column("Sessies", "duur_minuten", header)
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Sessies")
    assert "duur_minuten" in sheet.columns
    assert values(sheet, "duur_minuten") == [60, None, None]


@pytest.mark.parametrize("header", ["duurminuten", "duur-minuten", "duur  minuten"])
def test_nothing_fuzzier_matches(tmp_path: Path, header: str) -> None:
    book = Book.valid().rename_column("Sessies", "duur_minuten", header)
    assert "duur_minuten" not in sheet_of(book.save(tmp_path / "w.xlsx"), "Sessies").columns


def test_columns_in_any_order_and_unknown_columns_ignored(tmp_path: Path) -> None:
    book = Book.valid()
    table = book.sheets["Indeling"]
    table.headers = ["opmerking", "rol", "personeelsnummer", "sessie"]
    table.rows[0]["opmerking"] = "komt later"
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Indeling")
    assert dict(sheet.columns) == {"rol": "B", "personeelsnummer": "C", "sessie": "D"}
    assert set(sheet.rows[0].cells) == {"rol", "personeelsnummer", "sessie"}
    assert sheet.rows[0].cells["sessie"].value == "LR-01"


def test_sheet_titles_match_case_insensitively_and_stripped(tmp_path: Path) -> None:
    book = Book.valid().rename_sheet("Sessies", " sessies ")
    raw = read_workbook(book.save(tmp_path / "w.xlsx"))
    assert raw.sheets["Sessies"].name == "Sessies"


def test_two_sheets_with_the_same_contract_name(tmp_path: Path) -> None:
    book = Book.valid()
    book.sheets["SESSIES "] = book.sheets["Sessies"]
    raw = read_workbook(book.save(tmp_path / "w.xlsx"))
    assert [p.location for p in raw.problems] == [Location("Sessies")]
    assert "2 bladen" in raw.problems[0].message


def test_hidden_sheet_is_read(tmp_path: Path) -> None:
    book = Book.valid()
    book.sheets["Deelnemers"].hidden = True
    assert len(sheet_of(book.save(tmp_path / "w.xlsx"), "Deelnemers").rows) == 12


def test_header_is_first_non_empty_row(tmp_path: Path) -> None:
    book = Book.valid()
    book.sheets["Indeling"].blank_rows_above = 3
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Indeling")
    assert sheet.header_row == 4
    assert sheet.rows[0].row == 5


def test_empty_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    book = Book.valid()
    book.sheets["Indeling"].rows.insert(1, {"sessie": "   ", "personeelsnummer": None})
    book.sheets["Indeling"].rows.insert(1, {})
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Indeling")
    assert len(sheet.rows) == 13
    assert [row.row for row in sheet.rows[:2]] == [2, 5]


def test_strings_are_stripped_and_empty_text_is_none(tmp_path: Path) -> None:
    book = (
        Book.valid().set("Sessies", 2, "begeleider", "  Karin  ").set("Sessies", 2, "link", "   ")
    )
    row = sheet_of(book.save(tmp_path / "w.xlsx"), "Sessies").rows[0].cells
    assert row["begeleider"].value == "Karin"
    assert row["link"].value is None


def test_excel_escapes_are_decoded(tmp_path: Path) -> None:
    book = Book.valid().org("afzender_adres", "Postbus 100_x000B_1234 AB Voorbeeldstad_x000D_")
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Organisatie")
    found = [
        r.cells["waarde"].value for r in sheet.rows if r.cells["veld"].value == "afzender_adres"
    ]
    assert found == ["Postbus 100\n1234 AB Voorbeeldstad"]


def test_duplicate_header_is_a_problem(tmp_path: Path) -> None:
    book = Book.valid()
    book.sheets["Sessies"].headers.append("Thema")
    raw = read_workbook(book.save(tmp_path / "w.xlsx"))
    assert len(raw.problems) == 1
    assert raw.problems[0].location == Location("Sessies", 1, "thema", "L")
    assert "twee keer" in raw.problems[0].message
    assert raw.sheets["Sessies"].columns["thema"] == "B"


def test_formula_without_cached_value_is_reported_at_its_cell(tmp_path: Path) -> None:
    book = Book.valid().set("Sessies", 3, "duur_minuten", "=30+30")
    raw = read_workbook(book.save(tmp_path / "w.xlsx"))
    assert [(p.location, p.message) for p in raw.problems] == [
        (Location("Sessies", 3, "duur_minuten", "E"), FORMULA_WITHOUT_VALUE)
    ]
    assert raw.sheets["Sessies"].rows[1].cells["duur_minuten"].value is None


def _with_cached_value(path: Path, formula: str, result: str) -> None:
    """Store a result for a formula, as Excel would when it saves."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            old = f"<f>{formula}</f><v></v>".encode()
            data = data.replace(old, f"<f>{formula}</f><v>{result}</v>".encode())
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def test_formula_with_cached_value_gives_the_value(tmp_path: Path) -> None:
    book = Book.valid().set("Sessies", 3, "duur_minuten", "=30+30")
    book.set("Indeling", 2, "personeelsnummer", "=Deelnemers!A2")
    path = book.save(tmp_path / "w.xlsx")
    _with_cached_value(path, "30+30", "60")
    _with_cached_value(path, "Deelnemers!A2", "10001")
    raw = read_workbook(path)
    assert raw.problems == ()
    assert raw.sheets["Sessies"].rows[1].cells["duur_minuten"].value == 60
    assert raw.sheets["Indeling"].rows[0].cells["personeelsnummer"].value == 10001


def test_excel_error_value_is_a_problem(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "email", "#N/A")
    raw = read_workbook(book.save(tmp_path / "w.xlsx"))
    assert raw.problems[0].location == Location("Deelnemers", 2, "email", "H")
    assert "foutwaarde '#N/A'" in raw.problems[0].message


def test_openpyxl_warnings_do_not_escape(tmp_path: Path) -> None:
    # A date-formatted serial beyond Excel's range makes openpyxl warn while reading.
    path = Book.valid().save(tmp_path / "w.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Sessies"]["C2"].value = 1e10
    workbook["Sessies"]["C2"].number_format = "dd-mm-yyyy"
    workbook.save(path)
    raw = read_workbook(path)  # pytest turns any escaped warning into an error
    assert raw.problems[0].location == Location("Sessies", 2, "datum", "C")


def test_duration_format_becomes_a_time(tmp_path: Path) -> None:
    path = Book.valid().save(tmp_path / "w.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Sessies"]["D2"].value = dt.timedelta(hours=14)
    workbook["Sessies"]["D2"].number_format = "[h]:mm"
    workbook.save(path)
    assert sheet_of(path, "Sessies").rows[0].cells["begintijd"].value == dt.time(14, 0)


def test_stray_far_away_cells_create_no_rows(tmp_path: Path) -> None:
    path = Book.valid().save(tmp_path / "w.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Indeling"]
    ws.cell(row=100_000, column=2).number_format = "0.00"
    ws.cell(row=100_000, column=2).value = " "
    ws.cell(row=200_000, column=16_000).value = "ver weg"
    workbook.save(path)
    started = time.perf_counter()
    sheet = sheet_of(path, "Indeling")
    assert time.perf_counter() - started < 5
    assert len(sheet.rows) == 13
    assert sheet.rows[-1].row == 14


def test_wrong_dimension_is_not_trusted(tmp_path: Path) -> None:
    path = Book.valid().save(tmp_path / "w.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="A1:C14"/>', b'<dimension ref="A1:B3"/>')
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    check = openpyxl.load_workbook(path, read_only=True)
    assert check["Indeling"].max_row == 3  # the lie is in place
    check.close()
    sheet = sheet_of(path, "Indeling")
    assert len(sheet.rows) == 13
    assert sheet.rows[0].cells["rol"].column_letter == "C"


def test_five_thousand_bookings_read(tmp_path: Path) -> None:
    book = Book.valid()
    table = book.sheets["Indeling"]
    table.rows = [
        {"sessie": f"S-{i % 500:03d}", "personeelsnummer": 20000 + i, "rol": "deelnemer"}
        for i in range(5000)
    ]
    sheet = sheet_of(book.save(tmp_path / "w.xlsx"), "Indeling")
    assert len(sheet.rows) == 5000
    assert sheet.rows[-1].row == 5001
    assert sheet.rows[-1].cells["personeelsnummer"].value == 24999


# --- files that are no workbook ---------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes], level: int = 9) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def make_csv(tmp: Path) -> Path:
    path = tmp / "planning.csv"
    path.write_text("sessie;thema\nLR-01;Leerruimte\n")
    return path


def make_csv_named_xlsx(tmp: Path) -> Path:
    path = tmp / "planning.xlsx"
    path.write_text("sessie;thema\nLR-01;Leerruimte\n")
    return path


def make_xls(tmp: Path) -> Path:
    path = tmp / "oud.xls"
    path.write_bytes(reader.OLE2_MAGIC + b"\0" * 504)
    return path


def make_encrypted(tmp: Path) -> Path:
    path = tmp / "beveiligd.xlsx"  # Excel stores a password-protected xlsx as OLE2
    path.write_bytes(reader.OLE2_MAGIC + b"\0" * 504)
    return path


def make_empty(tmp: Path) -> Path:
    path = tmp / "leeg.xlsx"
    path.write_bytes(b"")
    return path


def make_random(tmp: Path) -> Path:
    path = tmp / "ruis.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def make_corrupt_zip(tmp: Path) -> Path:
    path = tmp / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return path


def make_truncated_workbook(tmp: Path) -> Path:
    path = Book.valid().save(tmp / "afgebroken.xlsx")
    path.write_bytes(path.read_bytes()[:3000])
    return path


def make_docx_like_zip(tmp: Path) -> Path:
    path = tmp / "brief.xlsx"
    _zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    return path


def make_broken_workbook_xml(tmp: Path) -> Path:
    path = tmp / "stuk.xlsx"
    _zip(path, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not xml"})
    return path


def make_zip_bomb(tmp: Path) -> Path:
    path = tmp / "bom.xlsx"
    _zip(
        path,
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<w/>",
            "xl/worksheets/sheet1.xml": b"\0" * (reader.RATIO_CHECK_FROM_BYTES + 1024),
        },
    )
    return path


def make_many_members(tmp: Path) -> Path:
    path = tmp / "veel.xlsx"
    members = {f"xl/media/{i}.bin": b"x" for i in range(reader.MAX_MEMBERS + 1)}
    _zip(path, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", **members})
    return path


def make_missing(tmp: Path) -> Path:
    return tmp / "bestaat-niet.xlsx"


def make_directory(tmp: Path) -> Path:
    path = tmp / "map.xlsx"
    path.mkdir()
    return path


FILE_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("csv", make_csv, "is geen Excel-werkboek (.xlsx) maar een tekstbestand (csv)"),
    ("csv-named-xlsx", make_csv_named_xlsx, "is geen Excel-werkboek (.xlsx). Sla het"),
    ("old-xls", make_xls, "in het oude .xls-formaat"),
    ("password", make_encrypted, "met een wachtwoord beveiligd"),
    ("empty", make_empty, "is leeg (0 bytes)"),
    ("random-bytes", make_random, "is geen Excel-werkboek"),
    ("corrupt-zip", make_corrupt_zip, "beschadigd (geen geldig zip-bestand)"),
    ("truncated", make_truncated_workbook, "beschadigd"),
    ("zip-not-workbook", make_docx_like_zip, "is geen Excel-werkboek"),
    ("broken-xml", make_broken_workbook_xml, "is beschadigd en kan niet worden gelezen"),
    ("zip-bomb", make_zip_bomb, "verdacht sterk ingepakt"),
    ("too-many-members", make_many_members, "onderdelen"),
    ("missing", make_missing, "bestaat niet"),
    ("directory", make_directory, "is een map"),
]


@pytest.mark.parametrize(
    ("make", "phrase"), [case[1:] for case in FILE_CASES], ids=[case[0] for case in FILE_CASES]
)
def test_not_a_workbook(tmp_path: Path, make: Callable[[Path], Path], phrase: str) -> None:
    path = make(tmp_path)
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook(path)
    assert phrase in caught.value.message
    assert "Traceback" not in str(caught.value)


def test_file_over_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1024)
    with pytest.raises(WorkbookFileError, match="mag hoogstens"):
        read_workbook(Book.valid().save(tmp_path / "w.xlsx"))


def test_unpacked_size_over_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(WorkbookFileError, match="uitgepakt groter"):
        read_workbook(Book.valid().save(tmp_path / "w.xlsx"))


def test_real_workbook_written_by_excel_shape_passes_the_zip_checks(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Sessies"
    for i in range(3000):  # repetitive, compressible content stays within the limits
        workbook.active.append([f"LR-{i:04d}", "Leerruimte", "09-03-2027", "14:00"])
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    reader.check_file(path)


_VALID_BYTES = Book.valid().to_bytes()


@settings(max_examples=40, deadline=None)
@given(
    flips=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(_VALID_BYTES) - 1),
            st.integers(min_value=0, max_value=255),
        ),
        min_size=1,
        max_size=8,
    ),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=len(_VALID_BYTES))),
)
def test_damaged_workbooks_raise_only_workbook_file_error(
    flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(_VALID_BYTES)
    for index, byte in flips:
        data[index] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beschadigd.xlsx"
        path.write_bytes(bytes(data[:cut]))
        with contextlib.suppress(WorkbookFileError):  # anything else fails the test
            read_workbook(path)
