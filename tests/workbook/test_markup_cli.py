"""`intervisie controleer --markeer` through the CLI: exact Dutch messages, exit codes,
and what of the original survives in the copy (formats, formulas, dropdowns, hidden
sheets, column widths)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.workbook.markup import CONTROL_SHEET, ERROR_COLOUR, WARNING_COLOUR
from tests.conftest import EXAMPLE
from tests.workbooks import Book


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="intervisie")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def broken_example(tmp_path: Path) -> Path:
    """The example workbook (made by nieuw-werkboek's code: dropdowns, formats, widths)
    with a wrong date, a formula, a hidden sheet and HR's own comment."""
    shutil.copy(EXAMPLE.parent / "handtekening.png", tmp_path / "handtekening.png")
    book = openpyxl.load_workbook(EXAMPLE)
    book["Sessies"]["C2"] = "31-02-2027"
    book["Toelichting"]["H1"] = "=1+2"
    book["Toelichting"].sheet_state = "hidden"
    book["Sessies"]["C2"].comment = openpyxl.comments.Comment("Nog navragen", "HR")
    target = tmp_path / "werkboek.xlsx"
    book.save(target)
    return target


def sheet_facts(ws: Any) -> dict[str, Any]:
    return {
        "state": ws.sheet_state,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "validations": sorted(
            (str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation
        ),
        "cells": {
            c.coordinate: (c.value, c.number_format, c.font.b)
            for row in ws.iter_rows()
            for c in row
        },
        "freeze": ws.freeze_panes,
    }


def test_the_copy_keeps_everything_of_the_original(tmp_path: Path) -> None:
    workbook = broken_example(tmp_path)
    before = workbook.read_bytes()
    code, out, err = run("controleer", str(workbook), "--markeer")
    assert code == 1
    copy = tmp_path / "werkboek-controle.xlsx"
    assert out == (
        f"Kopie met de problemen gemarkeerd: {copy} (1 probleem op het blad Controle, "
        "waarvan 1 in een cel en 0 op een rij).\n"
    )
    assert err.endswith("Het werkboek is niet in orde: 1 fout, 0 waarschuwingen.\n")
    assert workbook.read_bytes() == before
    original, marked = openpyxl.load_workbook(workbook), openpyxl.load_workbook(copy)
    assert marked.sheetnames == [CONTROL_SHEET, *original.sheetnames]
    assert marked["Toelichting"]["H1"].value == "=1+2"
    assert marked["Toelichting"].sheet_state == "hidden"
    assert any(original[t].data_validations.dataValidation for t in original.sheetnames)
    for title in original.sheetnames:
        kept, now = sheet_facts(original[title]), sheet_facts(marked[title])
        assert kept == now, title
    cell = marked["Sessies"]["C2"]
    assert cell.comment.text.startswith("Nog navragen\n\nFOUT: datum '31-02-2027' bestaat niet")
    assert cell.fill.fgColor.rgb == ERROR_COLOUR
    assert original["Sessies"]["C2"].fill.fgColor.rgb != ERROR_COLOUR


def test_a_valid_workbook_with_warnings_exits_0_and_marks_them_orange(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "postcode", None)
    workbook = book.save(tmp_path / "w.xlsx")
    code, out, _ = run("controleer", str(workbook), "--markeer")
    assert code == 0
    copy = tmp_path / "w-controle.xlsx"
    assert out.splitlines()[-1] == (
        f"Kopie met de problemen gemarkeerd: {copy} (1 probleem op het blad Controle, "
        "waarvan 1 in een cel en 0 op een rij)."
    )
    marked = openpyxl.load_workbook(copy)
    warned = [
        c for row in marked["Deelnemers"].iter_rows() for c in row if c.comment is not None
    ]
    assert [c.fill.fgColor.rgb for c in warned] == [WARNING_COLOUR]
    assert warned[0].comment.text.startswith("WAARSCHUWING: ")


def test_a_workbook_without_problems_gets_a_copy_saying_so(tmp_path: Path) -> None:
    workbook = Book.valid().save(tmp_path / "w.xlsx")
    code, out, _ = run("controleer", str(workbook), "--markeer")
    assert code == 0
    copy = tmp_path / "w-controle.xlsx"
    assert out.splitlines()[-1] == f"Kopie geschreven: {copy} (geen problemen gevonden)."
    control = openpyxl.load_workbook(copy)[CONTROL_SHEET]
    assert control["A2"].value.startswith("0 fouten, 0 waarschuwingen.")
    assert control["A6"].value == "Geen problemen gevonden."


def test_without_markeer_no_copy_is_written(tmp_path: Path) -> None:
    workbook = Book.valid().set("Sessies", 2, "datum", "31-02-2027").save(tmp_path / "w.xlsx")
    code, out, _ = run("controleer", str(workbook))
    assert code == 1 and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.xlsx"]


def test_a_foreign_file_in_the_way_is_kept_and_exits_2(tmp_path: Path) -> None:
    workbook = Book.valid().set("Sessies", 2, "datum", "31-02-2027").save(tmp_path / "w.xlsx")
    foreign = tmp_path / "w-controle.xlsx"
    foreign.write_bytes(b"HR's eigen bestand")
    code, out, err = run("controleer", str(workbook), "--markeer")
    assert code == 2 and out == ""
    assert err.splitlines()[-2:] == [
        "Het werkboek is niet in orde: 1 fout, 0 waarschuwingen.",
        f"FOUT: '{foreign}' bestaat al en is niet door dit programma geschreven; het wordt "
        "niet vervangen. Hernoem of verplaats het en controleer opnieuw.",
    ]
    assert foreign.read_bytes() == b"HR's eigen bestand"


def test_genereer_names_the_option_when_it_refuses(tmp_path: Path) -> None:
    workbook = Book.valid().set("Sessies", 2, "datum", "31-02-2027").save(tmp_path / "w.xlsx")
    code, _, err = run("genereer", str(workbook), "--uitvoer", str(tmp_path / "uit"))
    assert code == 1
    assert err.splitlines()[-2:] == [
        "Het werkboek is niet in orde: 1 fout, 0 waarschuwingen. Er is niets geschreven.",
        f"Tip: `intervisie controleer {workbook} --markeer` schrijft een kopie van het "
        f"werkboek met elk probleem gemarkeerd in zijn cel: {tmp_path / 'w-controle.xlsx'}",
    ]
    assert not (tmp_path / "w-controle.xlsx").exists()
