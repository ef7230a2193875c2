"""Archive the syllabi of a run: one folder per distinct set of syllabi, never changed.

`<root>/archief/<cycle>/syllabi-<fingerprint>-<format>/` holds the syllabi (PDF/A-2b when
the run made PDFs, else the .docx; both when asked with `--archief-docx`), per file its
MDTO metadata (`<file>.mdto.xml`, object bestand), per syllabus the informatieobject
its files represent (`<syllabus>.mdto.xml`, an archiefstuk), the cycle as the dossier
they are part of (`cyclus.mdto.xml`) and `sha256sums.txt` over all of them (the format
`sha256sum -c` reads). Identifiers carry the folder's name, so the records of every
archived version are unique. The fingerprint is
a hash of the syllabi's .docx content, so the same input gives the same folder and a
re-run adds nothing; changed syllabi give a new folder next to the old one. The folder is
built under a temporary name and renamed into place; existing archive files are never
overwritten or removed. Temporary folders of runs that were killed are removed by the
next run (they hold personal data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath

from pipeline.archive.mdto import (
    ARCHIEFSTUK,
    DOCX,
    PDF_A_2B,
    ArchivedFile,
    Cycle,
    FileFormat,
    Reference,
    bestand_xml,
    informatieobject_xml,
)
from pipeline.errors import OutputError, describe_os_error
from pipeline.files import DIR_MODE, make_private_dirs, write_file
from pipeline.kinds import Kind, pdf_soort
from pipeline.publish.folders import ARCHIVE_DIR
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.publish.staging import alive
from pipeline.render.batch import map_chunks

CHECKSUMS = "sha256sums.txt"
MDTO_SUFFIX = ".mdto.xml"
CYCLE_RECORD = f"cyclus{MDTO_SUFFIX}"  # the MDTO informatieobject of the cycle
SYLLABUS = Kind.SYLLABUS.value
SYLLABUS_PDF = pdf_soort(SYLLABUS)
_TEMPORARY = ".tmp-"


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    added: bool  # False: this content was archived before
    pdf: bool  # True: PDF/A-2b; False: .docx (PDF/A needs --pdf)
    docx: bool  # the .docx are in it (always without PDF/A; with it on request)


def remove_leftovers(folder: Path) -> None:
    """Remove temporary archive files and folders of runs that no longer exist."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        name = entry.name
        if not (name.startswith(".syllabi-") and _TEMPORARY in name):
            continue
        if alive(name.rsplit("-", 1)[-1]):
            continue  # a run that is still writing it
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _format(relpath: PurePosixPath) -> FileFormat:
    return PDF_A_2B if relpath.suffix.lower() == ".pdf" else DOCX


def record_path(relpath: PurePosixPath) -> PurePosixPath:
    """Where the MDTO informatieobject of the syllabus a file represents is kept:
    `syllabi/<name>.mdto.xml`, beside its files' `<name>.pdf.mdto.xml` (bestand)."""
    return relpath.with_name(relpath.stem + MDTO_SUFFIX)


def _syllabus(row: ManifestRow, dossier: Reference, source: str) -> Cycle:
    """The informatieobject of one syllabus: an archiefstuk in the cycle's dossier."""
    return Cycle(
        f"Syllabus van deelnemer {row.personeelsnummer} - {dossier.name}",
        f"{dossier.identifier}/{PurePosixPath(row.pad).stem}",
        source,
        f"De syllabus van deelnemer {row.personeelsnummer} aan {dossier.name}, zoals "
        "intervisie-docs hem maakte.",
        level=ARCHIEFSTUK,
        part_of=dossier,
    )


@dataclass(frozen=True)
class _Job:
    """One archived file, with its syllabus's record when it is the first file of it."""

    row: ManifestRow
    record: Cycle | None  # the syllabus's informatieobject, to write with this file


@dataclass(frozen=True)
class _Place:
    temporary: Path
    source_folder: Path
    dossier: Reference
    now: dt.datetime


def _write_files(place: _Place, jobs: list[_Job]) -> list[tuple[str, str]]:
    """Archive a chunk of files (in the run's worker processes for large runs): each
    file from the bytes read once (checked against the manifest's sha256), its MDTO
    metadata, and before it its syllabus's record when it is the first file of it. The
    (sha256, path) lines of sha256sums.txt, in order."""
    sums: list[tuple[str, str]] = []
    for job in jobs:
        relpath = PurePosixPath(job.row.pad)
        syllabus = _syllabus(job.row, place.dossier, place.dossier.source)
        if job.record is not None:
            record = informatieobject_xml(job.record)
            write_file(place.temporary, record_path(relpath), record)
            sums.append((sha256_bytes(record), record_path(relpath).as_posix()))
        data = (place.source_folder / relpath).read_bytes()
        digest = sha256_bytes(data)
        if digest != job.row.sha256:
            raise OutputError(
                f"'{job.row.pad}' is gewijzigd sinds het schrijven; niet gearchiveerd"
            )
        write_file(place.temporary, relpath, data)
        metadata = bestand_xml(
            ArchivedFile(
                identifier=f"{place.dossier.identifier}/{relpath.as_posix()}",
                name=relpath.name,
                size=len(data),
                file_format=_format(relpath),
                sha256=digest,
                checked_at=place.now,
                represents=Reference(syllabus.name, syllabus.identifier, syllabus.source),
            )
        )
        metadata_path = relpath.with_name(relpath.name + MDTO_SUFFIX)
        write_file(place.temporary, metadata_path, metadata)
        sums += [(digest, relpath.as_posix()), (sha256_bytes(metadata), metadata_path.as_posix())]
    return sums


def _fill(
    temporary: Path,
    source_folder: Path,
    rows: Sequence[ManifestRow],
    cycle: Cycle,
    now: dt.datetime,
    version: str,
    workers: int = 1,
) -> None:
    """Write the archive `version` (its folder's name: every version's records have
    identifiers of their own, so an e-depot never sees one twice)."""
    description = cycle.description or (
        f"De syllabi van de deelnemers aan {cycle.name}, zoals intervisie-docs ze maakte."
    )
    dossier = Reference(cycle.name, f"{cycle.identifier}/{version}", cycle.source)
    record = informatieobject_xml(
        replace(cycle, identifier=dossier.identifier, description=description)
    )
    write_file(temporary, PurePosixPath(CYCLE_RECORD), record)
    sums: list[tuple[str, str]] = [(sha256_bytes(record), CYCLE_RECORD)]
    jobs: list[_Job] = []
    recorded: set[PurePosixPath] = set()
    for row in rows:
        at = record_path(PurePosixPath(row.pad))
        first = at not in recorded
        recorded.add(at)
        jobs.append(_Job(row, _syllabus(row, dossier, cycle.source) if first else None))
    place = _Place(temporary, source_folder, dossier, now)
    sums += map_chunks(partial(_write_files, place), jobs, workers)
    lines = "".join(f"{digest}  {path}\n" for digest, path in sums)
    write_file(temporary, PurePosixPath(CHECKSUMS), lines.encode("utf-8"))


def archive_syllabi(
    source_folder: Path,
    root: Path,
    cycle_folder: str,
    rows: Sequence[ManifestRow],
    cycle: Cycle,
    now: dt.datetime | None = None,
    *,
    with_docx: bool = False,
    workers: int = 1,
) -> ArchiveResult | None:
    """Archive the syllabi listed in `rows` (found under `source_folder`): their PDF/A
    versions when the run made them, else the .docx; `with_docx` keeps the .docx next
    to the PDF/A too. `workers`: processes that write the files (large archives)."""
    documents = [r for r in rows if r.soort == SYLLABUS]
    if not documents:
        return None
    pdfs = [r for r in rows if r.soort == SYLLABUS_PDF]
    pdf = len(pdfs) == len(documents)
    docx = with_docx or not pdf
    archived = (pdfs if pdf else []) + (documents if docx else [])
    fingerprint = hashlib.sha256("".join(r.sha256 for r in documents).encode()).hexdigest()[:12]
    parent = root / ARCHIVE_DIR / cycle_folder
    name = f"syllabi-{fingerprint}-{'-'.join(('pdfa',) * pdf + ('docx',) * docx)}"
    target = parent / name
    temporary = parent / f".{name}{_TEMPORARY}{os.getpid()}"
    try:
        make_private_dirs(parent)
        remove_leftovers(parent)
        if target.exists():
            return ArchiveResult(target, added=False, pdf=pdf, docx=docx)
        if temporary.exists():
            shutil.rmtree(temporary)
        temporary.mkdir(mode=DIR_MODE)
        try:
            moment = now or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
            _fill(temporary, source_folder, archived, cycle, moment, name, workers)
            os.rename(temporary, target)  # fails, never replaces, if target appeared
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
    except OSError as exc:
        raise OutputError(
            f"de documenten staan klaar, maar het archief '{target}' kon niet worden "
            f"geschreven: {describe_os_error(exc)}"
        ) from None
    return ArchiveResult(target, added=True, pdf=pdf, docx=docx)
