"""LibreOffice the plain way (one soffice call, a private profile, no guard): the
independent reference our PDF path and our documents are checked against."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert_plain(
    sources: Sequence[Path], folder: Path, to: str = "pdf", timeout: int = 300
) -> list[Path]:
    """Convert `sources` in `folder` (`to`: a --convert-to target, 'pdf' or for example
    'csv:Text - txt - csv (StarCalc):44,34,76'); the converted files, in the order of
    `sources`."""
    assert SOFFICE is not None, "soffice (LibreOffice) ontbreekt"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profiel').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    suffix = to.split(":", 1)[0]
    converted = [folder / f"{source.stem}.{suffix}" for source in sources]
    for path in converted:
        assert path.exists(), f"{path.name} ontbreekt: {result.stdout} {result.stderr}"
    return converted
