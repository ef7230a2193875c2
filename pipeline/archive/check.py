"""`intervisie archief controleer`: prove that the archive is what the runs wrote.

Every archive folder (one with sha256sums.txt) is re-hashed file by file; each file's
MDTO metadata must agree with the file (name, size, checksum, the PRONOM code of its
format) and point to the cycle, whose MDTO informatieobject must be there too; each
PDF must still declare PDF/A (pdfaid in its XMP), embed every font and not be
encrypted. Anything else found under the archive is reported as unknown. Zip archives
of earlier versions are checked against the manifest.csv they carry.
"""

from __future__ import annotations

import csv
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pikepdf

from pipeline.archive.mdto import DOCX, PDF_A_2B, read_bestand, read_informatieobject
from pipeline.archive.write import CHECKSUMS, CYCLE_RECORD, MDTO_SUFFIX
from pipeline.errors import IntervisieError
from pipeline.publish.manifest import sha256_file

_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_PRONOM = {".pdf": PDF_A_2B.pronom, ".docx": DOCX.pronom}


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the checked folder
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Report:
    folder: Path
    archives: int = 0
    files: int = 0
    findings: list[Finding] = field(default_factory=list)


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
    return problems


def _checksums(folder: Path, report: Report, prefix: str) -> dict[str, str]:
    listed: dict[str, str] = {}
    for number, line in enumerate((folder / CHECKSUMS).read_text("utf-8").splitlines(), 1):
        match = _LINE.match(line)
        if not match:
            if line.strip():
                finding = Finding(f"{prefix}{CHECKSUMS}", f"regel {number} onleesbaar")
                report.findings.append(finding)
            continue
        relpath = PurePosixPath(match.group(2))
        if relpath.is_absolute() or ".." in relpath.parts:
            report.findings.append(Finding(f"{prefix}{CHECKSUMS}", f"regel {number}: onveilig pad"))
            continue
        listed[relpath.as_posix()] = match.group(1)
    return listed


def _cycle(
    folder: Path, listed: dict[str, str], actual: dict[str, str], report: Report, prefix: str
) -> tuple[str, str] | None:
    """The identification of the cycle's MDTO informatieobject; None (and a finding)
    when it is missing or not a valid one."""
    shown = f"{prefix}{CYCLE_RECORD}"
    if CYCLE_RECORD not in listed:
        report.findings.append(Finding(shown, f"ontbreekt (staat niet in {CHECKSUMS})"))
        return None
    if CYCLE_RECORD not in actual:
        return None  # reported as missing already
    try:
        return read_informatieobject((folder / CYCLE_RECORD).read_bytes())
    except ValueError as exc:
        report.findings.append(Finding(shown, f"is geen geldig MDTO-informatieobject: {exc}"))
        return None


def _check_archive(folder: Path, base: Path, report: Report) -> set[Path]:
    """Check one archive folder; returns the files it accounts for."""
    relative = folder.relative_to(base)
    prefix = f"{relative.as_posix()}/" if relative.parts else ""
    report.archives += 1
    listed = _checksums(folder, report, prefix)
    accounted = {folder / CHECKSUMS}
    actual: dict[str, str] = {}
    for relpath, expected in listed.items():
        path = folder / relpath
        accounted.add(path)
        shown = f"{prefix}{relpath}"
        if not path.is_file():
            report.findings.append(Finding(shown, "ontbreekt"))
            continue
        report.files += 1
        actual[relpath] = sha256_file(path)
        if actual[relpath] != expected:
            report.findings.append(Finding(shown, "is gewijzigd (sha256 klopt niet)"))
    cycle = _cycle(folder, listed, actual, report, prefix)
    for relpath in listed:
        if relpath.endswith(MDTO_SUFFIX) or relpath not in actual:
            continue
        shown = f"{prefix}{relpath}"
        path = folder / relpath
        sidecar = folder / (relpath + MDTO_SUFFIX)
        if not sidecar.is_file():
            report.findings.append(Finding(shown, "de MDTO-metagegevens ontbreken"))
        else:
            try:
                recorded = read_bestand(sidecar.read_bytes())
            except ValueError as exc:
                report.findings.append(Finding(shown, f"de MDTO-metagegevens kloppen niet: {exc}"))
            else:
                if recorded.sha256 != actual[relpath] or recorded.algorithm != "SHA256":
                    report.findings.append(
                        Finding(shown, "de checksum in de MDTO-metagegevens klopt niet")
                    )
                if recorded.size != path.stat().st_size:
                    report.findings.append(
                        Finding(shown, "de omvang in de MDTO-metagegevens klopt niet")
                    )
                if recorded.name != path.name:
                    report.findings.append(
                        Finding(shown, "de naam in de MDTO-metagegevens klopt niet")
                    )
                if recorded.pronom != _PRONOM.get(path.suffix.lower()):
                    report.findings.append(
                        Finding(shown, "het bestandsformaat in de MDTO-metagegevens klopt niet")
                    )
                if cycle is not None and recorded.represents != cycle:
                    report.findings.append(
                        Finding(
                            shown,
                            "de MDTO-metagegevens verwijzen niet naar de cyclus van "
                            f"dit archief ({CYCLE_RECORD})",
                        )
                    )
        if path.suffix.lower() == ".pdf":
            report.findings += [Finding(shown, problem) for problem in pdf_problems(path)]
    return accounted


def _check_legacy_zip(path: Path, base: Path, report: Report) -> None:
    """An archive of an earlier version: a zip of .docx syllabi with its own manifest.csv
    (soort;sessie;personeelsnummer;pad;sha256); every listed member must match."""
    shown = path.relative_to(base).as_posix()
    report.archives += 1
    try:
        with zipfile.ZipFile(path) as archive:
            lines = archive.read("manifest.csv").decode("utf-8-sig").splitlines()
            for row in csv.reader(lines[1:], delimiter=";"):
                if len(row) != 5:
                    report.findings.append(Finding(shown, "manifest.csv onleesbaar"))
                    continue
                try:
                    data = archive.read(row[3])
                except KeyError:
                    report.findings.append(Finding(f"{shown}:{row[3]}", "ontbreekt"))
                    continue
                report.files += 1
                if hashlib.sha256(data).hexdigest() != row[4]:
                    report.findings.append(
                        Finding(f"{shown}:{row[3]}", "is gewijzigd (sha256 klopt niet)")
                    )
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError) as exc:
        report.findings.append(Finding(shown, f"is geen leesbaar archief ({exc})"))


def check_archive(folder: Path) -> Report:
    """Check every archive under `folder` (an archief/ folder, a cycle's or a single one)."""
    if not folder.is_dir():
        raise IntervisieError(f"de archiefmap '{folder}' bestaat niet")
    report = Report(folder)
    accounted: set[Path] = set()
    for checksums in sorted(folder.rglob(CHECKSUMS)):
        accounted |= _check_archive(checksums.parent, folder, report)
    for legacy in sorted(folder.rglob("syllabi-*.zip")):
        if legacy.is_file() and legacy not in accounted:
            accounted.add(legacy)
            _check_legacy_zip(legacy, folder, report)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path not in accounted:
            report.findings.append(
                Finding(
                    path.relative_to(folder).as_posix(),
                    f"onbekend bestand (staat in geen {CHECKSUMS})",
                )
            )
    return report
