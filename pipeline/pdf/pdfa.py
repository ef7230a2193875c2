"""PDF/A-2b as an independent validator sees it: pikepdf.pdfa, the allowlist validator
OCRmyPDF uses (its rules are veraPDF's).

What LibreOffice writes is mended first: on pages with a link annotation it writes the
tab order as the string `(S)` where the PDF specification requires the name `/S`, and
its trailer carries a /DocChecksum no standard defines. LibreOffice's output must declare
PDF/A-2 itself before the program gives it its own metadata (a converter that writes
plain PDFs is never labelled PDF/A), and the finished bytes of every PDF must pass the
validator before they are written, published or archived. `archief controleer` uses
the same validator.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from pipeline.errors import OutputError

if TYPE_CHECKING:
    import pikepdf.pdfa

FLAVOUR = "2b"
SHOWN = 3  # findings named in a message; the rest are counted
_TAB_ORDERS = ("R", "C", "S")


class NotPdfA(OutputError):
    """A PDF the program would write fails PDF/A-2b: nothing is published."""


def mend(pdf: pikepdf.Pdf) -> None:
    """Repair what LibreOffice writes against the specification: /Tabs as a string, and
    /DocChecksum in the trailer (a key of its own that no standard defines)."""
    if "/DocChecksum" in pdf.trailer:
        del pdf.trailer["/DocChecksum"]
    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if isinstance(tabs, pikepdf.String) and str(tabs) in _TAB_ORDERS:
            page.obj.Tabs = pikepdf.Name(f"/{tabs}")


def declares_pdfa(pdf: pikepdf.Pdf) -> bool:
    """The document's own XMP says PDF/A-2 (as LibreOffice's PDF/A export writes it)."""
    try:
        meta = pdf.open_metadata()
        return str(meta.get("pdfaid:part", "")) == "2"
    except Exception:  # unreadable XMP: does not declare anything
        return False


# fontTools logs a warning for every embedded font subset with a zero date in its head
# table (LibreOffice writes them so): not a PDF/A matter, and not for the terminal. Set
# once here, not around each call: conversions validate on several threads at once.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


def describe(finding: pikepdf.pdfa.Finding) -> str:
    """One finding for a Dutch message: the rule, where, and the validator's words."""
    kind = "" if finding.kind == "violation" else " (niet te controleren)"
    return f"regel {finding.rule}{kind} bij {finding.where}: {finding.message}"


def more(count: int) -> str:
    return f"{count} bevinding{'en' if count > 1 else ''}"


def _summary(report: pikepdf.pdfa.Report) -> str:
    shown = "; ".join(describe(finding) for finding in report.findings[:SHOWN])
    left = len(report.findings) - SHOWN
    return shown + (f" (en nog {more(left)})" if left > 0 else "")


def problems(source: Path | bytes) -> list[str]:
    """Every reason the validator does not approve the file (empty: it passes)."""
    stream: Path | io.BytesIO = io.BytesIO(source) if isinstance(source, bytes) else source
    import pikepdf.pdfa  # here, not at the top: importing it takes a second or two

    report = pikepdf.pdfa.validate_written(stream, FLAVOUR)
    return [describe(finding) for finding in report.findings]


def require_source(pdf: pikepdf.Pdf, shown: str) -> None:
    """LibreOffice's output for `shown` (quoted names), mended, must declare PDF/A-2
    itself before the program stamps its own metadata on it: a plain PDF is never
    labelled PDF/A."""
    mend(pdf)
    if not declares_pdfa(pdf):
        raise NotPdfA(
            f"LibreOffice maakte van {shown} geen PDF/A (de PDF verklaart geen PDF/A-2 in "
            "zijn XMP-metagegevens). Er is niets gepubliceerd; de vorige uitvoer is "
            "ongewijzigd."
        )


def require_written(data: bytes, shown: str) -> None:
    """The finished bytes of `shown` must pass PDF/A-2b before they are written."""
    import pikepdf.pdfa

    report = pikepdf.pdfa.validate_written(io.BytesIO(data), FLAVOUR)
    if not report.passed:
        raise NotPdfA(
            f"'{shown}' is geen geldige PDF/A-2b: {_summary(report)}. Er is niets "
            "gepubliceerd; de vorige uitvoer is ongewijzigd."
        )


def require_written_file(path: Path, shown: str) -> None:
    """require_written() for a file on disk, read by the validator as it goes."""
    import pikepdf.pdfa

    report = pikepdf.pdfa.validate_written(path, FLAVOUR)
    if not report.passed:
        raise NotPdfA(
            f"'{shown}' is geen geldige PDF/A-2b: {_summary(report)}. Er is niets "
            "gepubliceerd; de vorige uitvoer is ongewijzigd."
        )


__all__ = [
    "FLAVOUR",
    "NotPdfA",
    "declares_pdfa",
    "describe",
    "mend",
    "problems",
    "require_source",
    "require_written",
    "require_written_file",
]
