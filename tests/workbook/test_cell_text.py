"""Cell text arrives as typed: docxtpl's escapes are not applied to data, pasted spaces
are plain spaces, C1 controls are dropped, a well-compressed real workbook is read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline.run import generate
from pipeline.workbook.check import check_workbook
from pipeline.workbook.reader import read_workbook
from tests.conftest import TEMPLATES
from tests.docx_text import body_lines
from tests.workbooks import TODAY, Book, Table, make_content

CONTENT = make_content()


def test_jinja_escapes_in_a_cell_come_out_as_typed(tmp_path: Path) -> None:
    odd = "Team {_{ x }_} en {_% y %_}"
    book = Book.valid().set("Deelnemers", 2, "achternaam", odd)
    path = book.save(tmp_path / "werkboek.xlsx")
    run = generate(path, tmp_path / "uit", TEMPLATES, today=TODAY, workers=1)
    letters = sorted((run.target / "uitnodigingen").glob("*.docx"))
    text = "\n".join(line for letter in letters for line in body_lines(letter))
    assert odd in text
    assert "Team {{ x }}" not in text


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f"])
def test_pasted_spaces_are_plain_spaces(tmp_path: Path, space: str) -> None:
    book = Book.valid().set("Deelnemers", 2, "postcode", f"1971{space}BK")
    book.set("Deelnemers", 2, "voornaam", f"Jan{space}Willem")
    result = check_workbook(book.save(tmp_path / "werkboek.xlsx"), CONTENT, TODAY)
    person = result.cycle.people[0]
    assert person.voornaam == "Jan Willem"
    assert person.postadres is not None and person.postadres.postcode == "1971 BK"


def test_c1_control_characters_are_dropped(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "achternaam", "Jan\x9b31m\x90sen\x85")
    result = check_workbook(book.save(tmp_path / "werkboek.xlsx"), CONTENT, TODAY)
    assert result.cycle.people[0].achternaam == "Jan31msen"


def test_long_repeated_text_saved_by_openpyxl_is_read(tmp_path: Path) -> None:
    """287 cells of 10,000 identical characters: compresses far more than 100:1, is a
    real workbook of plausible size, not a zip bomb."""
    book = Book.valid()
    book.sheets["Notities"] = Table(["notitie"], [{"notitie": "x" * 10_000}] * 287)
    path = book.save(tmp_path / "werkboek.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook["Notities"].max_row == 288
    read_workbook(path)  # no WorkbookFileError
    assert check_workbook(path, CONTENT, TODAY).cycle.people


def test_escapes_typed_in_a_template_still_give_literal_delimiters(tmp_path: Path) -> None:
    import shutil

    import docx

    from tests.conftest import EXAMPLE
    from tests.generated import TODAY as EXAMPLE_TODAY

    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    doc = docx.Document(str(templates / "vervolgadvies.docx"))
    doc.add_paragraph("Letterlijk {_{ niet }_} en {_% ook niet %_}")
    doc.save(str(templates / "vervolgadvies.docx"))
    run = generate(EXAMPLE, tmp_path / "uit", templates, today=EXAMPLE_TODAY, workers=1)
    advice = sorted((run.target / "vervolgadviezen").glob("*.docx"))[0]
    assert "Letterlijk {{ niet }} en {% ook niet %}" in body_lines(advice)


def test_the_console_cuts_very_long_names_and_drops_controls(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.cli.common import NAME_LIMIT, console

    book = Book.valid().set("Deelnemers", 13, "achternaam", "Lang" + "x" * 10_000)
    path = book.save(tmp_path / "werkboek.xlsx")
    result = CliRunner().invoke(
        main, ["genereer", str(path), "--uitvoer", str(tmp_path / "uit")], prog_name="intervisie"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    named = [line for line in lines if "Langxxx" in line]
    assert len(named) == 1 and named[0].endswith("…")
    assert len(named[0]) < NAME_LIMIT + 10
    assert console("a\x1b[31mb\x9b2Jc\nd") == "a[31mb2Jc\nd"
