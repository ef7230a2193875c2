"""The PDF part of `archief controleer`: what keeps an archived PDF from being the
PDF/A-2b it claims to be (declaration, embedded fonts, encryption, and the verdict of the
PDF/A validator every PDF passed when it was written: pipeline.pdf.pdfa)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf

from pipeline.errors import describe_os_error
from pipeline.pdf import pdfa

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _fonts(
    resources: pikepdf.Object | None, seen: set[tuple[int, int]]
) -> Iterator[pikepdf.Object]:
    """Every font a page's resources use, including those of its form XObjects."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for font in _unseen(resources.get("/Font"), seen):
        yield font
        yield from font.get("/DescendantFonts", pikepdf.Array())
    for item in _unseen(resources.get("/XObject"), seen):
        if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Form":
            yield from _fonts(item.get("/Resources"), seen)


def _unseen(entries: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """The values of a resource dictionary not visited before (shared objects once)."""
    if not isinstance(entries, pikepdf.Dictionary):
        return
    for _, item in entries.items():
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        yield item


def pdf_problems(path: Path) -> list[str]:
    """What keeps the PDF at `path` from being the PDF/A it claims to be."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return ["is versleuteld (met wachtwoord)"]
    except pikepdf.PdfError as exc:
        return [f"is geen leesbare PDF ({exc})"]
    except OSError as exc:
        return [f"kan niet worden gelezen: {describe_os_error(exc)}"]
    problems = []
    with pdf:
        if pdf.is_encrypted:
            problems.append("is versleuteld")
        meta = pdf.open_metadata()
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        if not part or not conformance:
            problems.append("verklaart geen PDF/A (pdfaid ontbreekt in de XMP-metagegevens)")
        elif (part, conformance.upper()) != ("2", "B"):
            problems.append(f"verklaart PDF/A-{part}{conformance.lower()}, niet PDF/A-2b")
        missing: set[str] = set()
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            for font in _fonts(page.get("/Resources"), seen):
                if font.get("/Subtype") in ("/Type3", "/Type0"):
                    continue  # Type3 glyphs are drawn inline; Type0 via its descendant
                descriptor = font.get("/FontDescriptor")
                embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
                    key in descriptor for key in _FONT_FILES
                )
                if not embedded:
                    missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
        if missing:
            problems.append(f"lettertype niet ingesloten: {', '.join(sorted(missing))}")
    if not pdf.is_encrypted:  # the validator stops at encryption; said above already
        found = pdfa.problems(path)
        problems += [f"voldoet niet aan PDF/A-2b: {finding}" for finding in found[: pdfa.SHOWN]]
        if len(found) > pdfa.SHOWN:
            problems.append(f"en nog {pdfa.more(len(found) - pdfa.SHOWN)} van de PDF/A-validator")
    return problems
