"""A session can fit every step and still leave the analysis or the closing round too
little time to work: a warning at the session's duur_minuten, with a length that fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.content.model import Content
from pipeline.errors import Location, Severity
from pipeline.workbook.check import check_workbook
from tests.workbooks import TODAY, Book

LR_01 = Location("Sessies", 2, "duur_minuten", "E")
SHORT = "sessie LR-01 duurt {length} minuten; daarin krijgt {short}. Advies: {advice}."
CUT = " Blijft het bij {length} minuten, dan staat in het draaiboek wat de begeleider kan inkorten."


def _grow(book: Book, members: int) -> Book:
    """LR-01 with `members` people (the baseline has four)."""
    for number in range(10005, 10005 + members - 4):
        book.add_row("Indeling", sessie="LR-01", personeelsnummer=number)
    return book


@pytest.mark.parametrize(
    ("members", "length", "expected"),
    [
        # 55 fixed minutes of 60: the analysis gets 3, the closing round 2 (enough for 4).
        (4, None, ("analyse 3 minuten (nodig: 5)", "met duur_minuten 65 past het", 60)),
        # Ten people who each name one thing need 5 minutes, not 2.
        (
            10,
            None,
            (
                "analyse 3 minuten (nodig: 5) en afsluiting 2 minuten (nodig: 5, een halve "
                "minuut voor elk van de 10 deelnemers)",
                "met duur_minuten 70 past het",
                60,
            ),
        ),
        (10, 65, ("afsluiting 4 minuten (nodig: 5, een halve minuut voor elk van de 10 "
                  "deelnemers)", "met duur_minuten 70 past het", 65)),
        (10, 70, None),
        (4, 65, None),
    ],
    ids=["4-standaard", "10-standaard", "10-65", "10-70", "4-65"],
)
def test_closing_round_and_analysis_need_their_time(
    tmp_path: Path,
    content: Content,
    members: int,
    length: int | None,
    expected: tuple[str, str, int] | None,
) -> None:
    book = _grow(Book.valid(), members)
    if length is not None:
        book.set("Sessies", 2, "duur_minuten", length)
    result = check_workbook(book.save(tmp_path / "werkboek.xlsx"), content, TODAY)
    found = [w for w in result.warnings if w.location == LR_01]
    if expected is None:
        assert found == []
        return
    short, advice, minutes = expected
    assert [(w.severity, w.message) for w in found] == [
        (
            Severity.WARNING,
            SHORT.format(length=minutes, short=short, advice=advice)
            + CUT.format(length=minutes),
        )
    ]


def test_autonomie_gives_its_spare_minutes_to_the_closing_round(
    tmp_path: Path, content: Content
) -> None:
    """Building the picture keeps 15 minutes; the closing gets 5, enough for eight."""
    book = Book.valid()
    for number in range(10009, 10013):
        book.add_row("Indeling", sessie="AU-01", personeelsnummer=number)
    result = check_workbook(book.save(tmp_path / "werkboek.xlsx"), content, TODAY)
    assert not [w for w in result.warnings if "AU-01 duurt" in w.message]
