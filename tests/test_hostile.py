"""Hostile and odd workbook data, all the way through `genereer`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import IntervisieError
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.docx_text import all_words, body_lines
from tests.workbooks import TODAY, Book


def run(book: Book, folder: Path) -> Path:
    path = book.save(folder / "werkboek.xlsx")
    return generate(path, folder / "uit", TEMPLATES, today=TODAY, workers=1).target


def test_hostile_ids_stay_inside_and_formula_text_is_neutralised(tmp_path: Path) -> None:
    book = Book.valid()
    session_row = 2
    old = book.get("Sessies", session_row, "sessie")
    book.set("Sessies", session_row, "sessie", '=HYPERLINK("x")')
    for row in range(2, 2 + len(book.sheets["Indeling"].rows)):
        if book.get("Indeling", row, "sessie") == old:
            book.set("Indeling", row, "sessie", '=HYPERLINK("x")')
    first = book.get("Deelnemers", 2, "personeelsnummer")
    for row in range(2, 2 + len(book.sheets["Indeling"].rows)):
        if book.get("Indeling", row, "personeelsnummer") == first:
            book.set("Indeling", row, "personeelsnummer", "../../CON")
    book.set("Deelnemers", 2, "personeelsnummer", "../../CON")
    path = book.save(tmp_path / "werkboek.xlsx")
    workbook = openpyxl.load_workbook(path)
    for sheet in ("Sessies", "Indeling"):
        for row in workbook[sheet].iter_rows(min_row=2):
            for cell in row:
                if cell.value == '=HYPERLINK("x")':
                    cell.data_type = "s"
    workbook.save(path)
    target = generate(path, tmp_path / "uit", TEMPLATES, today=TODAY, workers=1).target
    root = (tmp_path / "uit").resolve()
    assert all(p.resolve().is_relative_to(root) for p in (tmp_path / "uit").rglob("*"))
    text = (target / "manifest.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert sorted({r[1] for r in rows[1:] if "HYPERLINK" in r[1]}) == ['\'=HYPERLINK("x")']
    assert any(r[2] == "../../CON" for r in rows[1:])
    assert any("-con-jansen-jan" in r[3] and ".." not in r[3] for r in rows[1:])
    assert not any(r[2].startswith("=") for r in rows[1:])


_cells = st.text(alphabet=st.characters(exclude_categories=()), min_size=1, max_size=200)


def excel_escaped(text: str) -> str:
    """How Excel stores characters XML cannot hold: as _xHHHH_ escapes (the reader must
    decode them and drop what a .docx cannot carry)."""

    def one(char: str) -> str:
        code = ord(char)
        legal = (
            char in "\t\n\r"
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or (code >= 0x10000)
        )
        return char if legal else f"_x{code:04X}_"

    return "".join(one(char) for char in text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=_cells, function=_cells, department=_cells, facilitator=_cells, place=_cells)
@example(
    question="Wat\tdoe jij?\n- echt",
    function="Hoofd\u00a0KCC &amp; <balie>",
    department="0\x0c4",
    facilitator="Zoë\u2028van Dijk",
    place="Zaal _x0041_ \x01",
)
def test_any_text_in_free_text_columns_renders_or_is_refused_in_dutch(
    tmp_path_factory: pytest.TempPathFactory,
    question: str,
    function: str,
    department: str,
    facilitator: str,
    place: str,
) -> None:
    folder = tmp_path_factory.mktemp("vrij")
    book = Book.valid()
    book.set("Sessies", 2, "prikkelende_vraag", excel_escaped(question))
    book.set("Sessies", 2, "begeleider", excel_escaped(facilitator))
    book.set("Sessies", 2, "locatie", excel_escaped(place))
    book.set("Deelnemers", 2, "functie", excel_escaped(function))
    book.set("Deelnemers", 2, "afdeling", excel_escaped(department))
    try:
        target = run(book, folder)
    except IntervisieError:
        return
    # No text is lost: every word of every value is found back, in order, in the documents.
    documents = [" ".join(_visible(all_words(path))) for path in sorted(target.rglob("*.docx"))]
    for value in (question, function, department, facilitator, place):
        words = " ".join(_visible(_xml_legal(value).split()))
        assert any(words in document for document in documents), repr(value)


# What a cell shows as a line break, and what no document can carry (XML 1.0 forbids C0
# controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF; C1 controls are no text).
_LINE_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")
_NO_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A list bullet at the start of a line in a cell is dropped ('- ', '• '); elsewhere such a
# word is kept, so the comparison leaves these words out on both sides.
_BULLETS = {"-", "*", "•", "–"}


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xml_legal(text: str) -> str:
    """The words a cell holding `text` shows: Excel's _xHHHH_ escapes read as the
    character they stand for, line breaks as breaks, what is no text left out."""
    unescaped = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return _NO_TEXT.sub("", _LINE_BREAKS.sub(" ", unescaped))


def _visible(words: list[str]) -> list[str]:
    return [w for w in words if w not in _BULLETS]


def test_a_letter_keeps_an_ampersand_intact(example_run) -> None:  # type: ignore[no-untyped-def]
    letter = next((example_run.target / "uitnodigingen").glob("uitnodiging-lr-01-4549-*"))
    assert "Vergunningen, Toezicht & Handhaving" in body_lines(letter)
