"""The cancellation letter opens in LibreOffice, the real client, as a one-page letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.soffice_plain import convert_plain
from tests.test_libreoffice import WINDOW, pdf_lines, pdf_pages
from tests.workbooks import TODAY, Book

pytestmark = pytest.mark.libreoffice


def test_the_cancellation_letter_converts_to_a_one_page_pdf(tmp_path: Path) -> None:
    book = Book.valid()
    workbook = book.save(tmp_path / "werkboek.xlsx")
    generate(workbook, tmp_path / "uit", TEMPLATES, today=TODAY, workers=1)
    book.delete_rows("Indeling", sessie="LR-01", personeelsnummer=10002)
    book.save(workbook)
    result = generate(workbook, tmp_path / "uit", TEMPLATES, today=TODAY, workers=1)
    (letter,) = (result.target / "afzeggingen").glob("*.docx")
    (pdf,) = convert_plain([letter], tmp_path)
    assert pdf_pages(pdf) == 1
    # The house style of the invitation: address in the envelope window, body below it,
    # closing and signature together, everything inside the margins.
    lines = pdf_lines(tmp_path / f"{letter.stem}.pdf")
    left, top, right, bottom = WINDOW
    address = [line for line in lines if line.left < 110 and top < line.top < bottom]
    assert len(address) >= 3
    assert all(left <= a.left and a.right <= right and a.bottom <= bottom for a in address)
    assert next(line for line in lines if line.text.startswith("Ons kenmerk")).top > bottom
    assert all(line.left >= 25 - 0.5 and line.right <= 185 + 0.5 for line in lines)
