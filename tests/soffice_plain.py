"""LibreOffice the plain way (one soffice call, a private profile, no guard): the
independent reference our PDF path and our documents are checked against."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert_plain(sources: Sequence[Path], folder: Path) -> list[Path]:
    """Convert `sources` to PDF in `folder`; the PDFs, in the order of `sources`."""
    assert SOFFICE is not None, "soffice (LibreOffice) ontbreekt"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profiel').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdfs = [folder / f"{source.stem}.pdf" for source in sources]
    for pdf in pdfs:
        assert pdf.exists(), f"{pdf.name} ontbreekt: {result.stdout} {result.stderr}"
    return pdfs
