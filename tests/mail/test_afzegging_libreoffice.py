"""The cancellation letter opens in LibreOffice, the real client, as a one-page letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mail.conftest import run_cancelling
from tests.soffice_plain import convert_plain
from tests.test_libreoffice import WINDOW, pdf_lines, pdf_pages

pytestmark = pytest.mark.libreoffice


def test_the_cancellation_letter_converts_to_a_one_page_pdf(tmp_path: Path) -> None:
    result = run_cancelling(tmp_path, ("LR-01", 10002), mail=False)
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
