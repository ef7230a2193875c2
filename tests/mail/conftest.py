"""A cycle run twice with --mail, a booking removed in between: invitations and a
cancellation, as .ics and .eml, generated once for the tests that only read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY, Book


@pytest.fixture(scope="session")
def cancelled_cycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cycle folder of the second run: every invitation and one cancellation."""
    root = tmp_path_factory.mktemp("afzegging")
    book = Book.valid()
    workbook = book.save(root / "werkboek.xlsx")
    generate(workbook, root / "out", TEMPLATES, today=TODAY, workers=1, mail=True)
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    book.save(workbook)
    return generate(workbook, root / "out", TEMPLATES, today=TODAY, workers=1, mail=True).target
