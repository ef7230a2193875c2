"""LibreOffice is the real client: each kind of document must convert to a PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) ontbreekt")


def pdf_pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_one_of_each_kind_and_a_print_bundle_convert_to_pdf(tmp_path: Path) -> None:
    from tests.generated import generate_example

    run = generate_example(tmp_path / "uit", print_bundles=True)
    sources = [
        next(iter(sorted((run.target / folder).glob("*.docx"))))
        for folder in ("uitnodigingen", "draaiboeken", "syllabi", "vervolgadviezen")
    ]
    sources.append(run.target / "afdrukken" / "uitnodigingen-interne-post.docx")
    assert SOFFICE is not None
    profile = tmp_path / "profiel"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for source in sources:
        pdf = tmp_path / f"{source.stem}.pdf"
        assert pdf.exists(), f"{pdf.name} ontbreekt: {result.stdout} {result.stderr}"
        assert pdf_pages(pdf) >= 1
    # Eight letters of two pages each, every one starting on a page of its own.
    assert pdf_pages(tmp_path / "uitnodigingen-interne-post.pdf") == 16
