"""`intervisie archief controleer`: prove that the archive is what the runs wrote.

Every archive folder (one with sha256sums.txt) is re-hashed file by file; each file's
MDTO bestand must agree with the file (name, size, checksum, the PRONOM code of its
format) and represent its syllabus's informatieobject, which must be part of the cycle's
(the dossier, cyclus.mdto.xml); each PDF must still be PDF/A-2b (pipeline.archive.
pdf_check). The folders are walked without following symbolic links: a link (to an
identical copy elsewhere or not), an empty folder, an unreadable file and anything not
listed are reported, as is a sha256sums.txt line that is not UTF-8. Zip archives of
earlier versions are checked against the manifest.csv they carry.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.archive.mdto import (
    DOCX,
    PDF_A_2B,
    RecordedFile,
    RecordedObject,
    read_bestand,
    read_informatieobject,
)
from pipeline.archive.pdf_check import pdf_problems
from pipeline.archive.write import CHECKSUMS, CYCLE_RECORD, MDTO_SUFFIX, record_path
from pipeline.errors import IntervisieError, describe_os_error
from pipeline.publish.manifest import sha256_file

_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
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


@dataclass
class _Archive:
    """One archive folder being checked."""

    folder: Path
    prefix: str  # its path in the report
    report: Report
    listed: dict[str, str] = field(default_factory=dict)  # relpath -> sha256 listed
    actual: dict[str, str] = field(default_factory=dict)  # relpath -> sha256 found

    def find(self, relpath: str, message: str) -> None:
        self.report.findings.append(Finding(f"{self.prefix}{relpath}", message))

    def read(self, relpath: str) -> bytes | None:
        try:
            return (self.folder / relpath).read_bytes()
        except OSError as exc:
            self.find(relpath, f"kan niet worden gelezen: {describe_os_error(exc)}")
            return None


def _checksums(archive: _Archive) -> None:
    data = archive.read(CHECKSUMS)
    for number, raw in enumerate((data or b"").splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            archive.find(CHECKSUMS, f"regel {number} onleesbaar (geen UTF-8: byte "
                                    f"0x{raw[exc.start]:02x} op positie {exc.start + 1})")
            continue
        match = _LINE.match(line)
        if not match:
            if line.strip():
                archive.find(CHECKSUMS, f"regel {number} onleesbaar")
            continue
        relpath = PurePosixPath(match.group(2))
        if relpath.is_absolute() or ".." in relpath.parts:
            archive.find(CHECKSUMS, f"regel {number}: onveilig pad")
            continue
        archive.listed[relpath.as_posix()] = match.group(1)


def _record(archive: _Archive, relpath: str) -> RecordedObject | None:
    """The MDTO informatieobject at `relpath`; None (and a finding) when it is missing or
    not a valid one."""
    if relpath not in archive.listed:
        archive.find(relpath, f"ontbreekt (staat niet in {CHECKSUMS})")
        return None
    if relpath not in archive.actual:
        return None  # reported as missing or unreadable already
    data = archive.read(relpath)
    if data is None:
        return None
    try:
        return read_informatieobject(data)
    except ValueError as exc:
        archive.find(relpath, f"is geen geldig MDTO-informatieobject: {exc}")
        return None


def _linked(path: Path, base: Path) -> bool:
    """A symbolic link at `path` or at a folder between `base` and it."""
    return any(p.is_symlink() for p in (path, *path.parents) if p != base and base in p.parents)


def _hash(archive: _Archive, base: Path) -> set[Path]:
    """Re-hash every listed file; returns the paths accounted for."""
    accounted = {archive.folder / CHECKSUMS}
    for relpath, expected in archive.listed.items():
        path = archive.folder / relpath
        accounted.add(path)
        if _linked(path, base):
            continue  # the link itself is reported: an archive holds its own files
        if not path.is_file():
            archive.find(relpath, "ontbreekt")
            continue
        try:
            archive.actual[relpath] = sha256_file(path)
        except OSError as exc:
            archive.find(relpath, f"kan niet worden gelezen: {describe_os_error(exc)}")
            continue
        archive.report.files += 1
        if archive.actual[relpath] != expected:
            archive.find(relpath, "is gewijzigd (sha256 klopt niet)")
    return accounted


def _represents(
    archive: _Archive,
    relpath: str,
    recorded: RecordedFile,
    cycle: tuple[str, str] | None,
    syllabi: dict[str, RecordedObject | None],
) -> None:
    """The file's bestand must represent its syllabus's informatieobject, and that one be
    part of the cycle; an archive of an earlier version has no syllabus records: there
    the bestand represents the cycle."""
    record = record_path(PurePosixPath(relpath)).as_posix()
    if record not in archive.listed:
        if cycle is not None and recorded.represents != cycle:
            archive.find(relpath, "de MDTO-metagegevens verwijzen niet naar de cyclus van "
                                  f"dit archief ({CYCLE_RECORD})")
        return
    if record not in syllabi:
        syllabi[record] = syllabus = _record(archive, record)
        if syllabus is not None and cycle is not None and syllabus.part_of != cycle:
            archive.find(record, "het MDTO-informatieobject hoort niet bij de cyclus van dit "
                                 f"archief ({CYCLE_RECORD})")
    syllabus = syllabi[record]
    if syllabus is not None and recorded.represents != syllabus.identification:
        archive.find(relpath, "de MDTO-metagegevens verwijzen niet naar de syllabus die het "
                              f"bestand weergeeft ({record})")


def _metadata(
    archive: _Archive,
    relpath: str,
    cycle: tuple[str, str] | None,
    syllabi: dict[str, RecordedObject | None],
) -> None:
    """The file's MDTO bestand must agree with the file."""
    path = archive.folder / relpath
    if not (archive.folder / (relpath + MDTO_SUFFIX)).is_file():
        archive.find(relpath, "de MDTO-metagegevens ontbreken")
        return
    data = archive.read(relpath + MDTO_SUFFIX)
    if data is None:
        return
    try:
        recorded = read_bestand(data)
    except ValueError as exc:
        archive.find(relpath, f"de MDTO-metagegevens kloppen niet: {exc}")
        return
    if recorded.sha256 != archive.actual[relpath] or recorded.algorithm != "SHA256":
        archive.find(relpath, "de checksum in de MDTO-metagegevens klopt niet")
    if recorded.size != path.stat().st_size:
        archive.find(relpath, "de omvang in de MDTO-metagegevens klopt niet")
    if recorded.name != path.name:
        archive.find(relpath, "de naam in de MDTO-metagegevens klopt niet")
    if recorded.pronom != _PRONOM.get(path.suffix.lower()):
        archive.find(relpath, "het bestandsformaat in de MDTO-metagegevens klopt niet")
    _represents(archive, relpath, recorded, cycle, syllabi)


def _check_archive(folder: Path, base: Path, report: Report) -> set[Path]:
    """Check one archive folder; returns the files it accounts for."""
    relative = folder.relative_to(base)
    archive = _Archive(folder, f"{relative.as_posix()}/" if relative.parts else "", report)
    report.archives += 1
    _checksums(archive)
    accounted = _hash(archive, base)
    found = _record(archive, CYCLE_RECORD)
    cycle = found.identification if found is not None else None
    syllabi: dict[str, RecordedObject | None] = {}
    for relpath in archive.listed:
        if relpath.endswith(MDTO_SUFFIX) or relpath not in archive.actual:
            continue
        _metadata(archive, relpath, cycle, syllabi)
        if relpath.lower().endswith(".pdf"):
            for problem in pdf_problems(folder / relpath):
                archive.find(relpath, problem)
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


@dataclass
class _Tree:
    """What lies under the checked folder, found without following symbolic links."""

    files: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)


def _walk(base: Path) -> _Tree:
    tree = _Tree()

    def unreadable(exc: OSError) -> None:
        tree.unreadable.append((Path(exc.filename or base), exc))

    for top, folders, names in os.walk(base, onerror=unreadable):
        here = Path(top)
        for name in (*folders, *names):
            path = here / name
            if path.is_symlink():
                tree.links.append(path)
            elif name in names:
                tree.files.append(path)
        if not folders and not names and here != base:
            tree.empty.append(here)
    return tree


def check_archive(folder: Path) -> Report:
    """Check every archive under `folder` (an archief/ folder, a cycle's or a single one)."""
    if not folder.is_dir():
        raise IntervisieError(f"de archiefmap '{folder}' bestaat niet")
    report = Report(folder)
    tree = _walk(folder)
    accounted: set[Path] = set()
    for checksums in sorted(p for p in tree.files if p.name == CHECKSUMS):
        accounted |= _check_archive(checksums.parent, folder, report)
    for legacy in sorted(p for p in tree.files if re.fullmatch(r"syllabi-.*\.zip", p.name)):
        if legacy not in accounted:
            accounted.add(legacy)
            _check_legacy_zip(legacy, folder, report)
    found: list[tuple[Path, str]] = [
        (path, f"onbekend bestand (staat in geen {CHECKSUMS})")
        for path in tree.files
        if path not in accounted
    ]
    found += [
        (
            path,
            f"is een symbolische koppeling (naar '{os.readlink(path)}'), geen eigen bestand of "
            "map van het archief",
        )
        for path in tree.links
    ]
    found += [(path, "lege map (hoort niet bij het archief)") for path in tree.empty]
    found += [
        (path, f"kan niet worden gelezen: {describe_os_error(exc)}")
        for path, exc in tree.unreadable
    ]
    for path, message in sorted(found):
        report.findings.append(Finding(path.relative_to(folder).as_posix() or ".", message))
    return report


__all__ = ["Finding", "Report", "check_archive", "pdf_problems"]
