"""A cycle run twice with --mail, a booking removed in between: invitations and a
cancellation, as .ics and .eml, generated once for the tests that only read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.run import RunResult, generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY, Book


def run_cancelling(
    root: Path, *bookings: tuple[str, int], mail: bool = True, out: str = "uit"
) -> RunResult:
    """Generate the valid cycle into `root`/`out`, remove `bookings` (session,
    personeelsnummer) from the sheet Indeling and generate again: the second run cancels
    them (a letter each, with an agenda cancellation and, with `mail`, an e-mail)."""
    book = Book.valid()
    workbook = book.save(root / "werkboek.xlsx")
    generate(workbook, root / out, TEMPLATES, today=TODAY, workers=1, mail=mail)
    for session, number in bookings:
        book.delete_rows("Indeling", sessie=session, personeelsnummer=number)
    book.save(workbook)
    return generate(workbook, root / out, TEMPLATES, today=TODAY, workers=1, mail=mail)


@pytest.fixture(scope="session")
def cancelled_cycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cycle folder of the second run: every invitation and one cancellation."""
    root = tmp_path_factory.mktemp("afzegging")
    return run_cancelling(root, ("IV-01", 10012), out="out").target
