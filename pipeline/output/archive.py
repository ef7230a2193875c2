"""Archive the syllabi of a run: one folder per distinct set of syllabi, never changed.

`<root>/archief/<cycle>/syllabi-<fingerprint>-<format>/` holds the syllabi (PDF/A-2b when
the run made PDFs, else the .docx), per file its MDTO metadata (`<file>.mdto.xml`) and
`sha256sums.txt` over all of them (the format `sha256sum -c` reads). The fingerprint is
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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import DIR_MODE, make_private_dirs, write_file
from pipeline.output.folders import ARCHIVE_DIR
from pipeline.output.manifest import ManifestRow, sha256_file
from pipeline.output.mdto import DOCX, PDF_A_2B, ArchivedFile, FileFormat, bestand_xml
from pipeline.output.staging import alive

CHECKSUMS = "sha256sums.txt"
MDTO_SUFFIX = ".mdto.xml"
SYLLABUS = "syllabus"
SYLLABUS_PDF = "syllabus-pdf"
_TEMPORARY = ".tmp-"


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    added: bool  # False: this content was archived before
    pdf: bool  # True: PDF/A-2b; False: .docx (PDF/A needs --pdf)


@dataclass(frozen=True)
class CycleRecord:
    """The informatieobject the archived files represent: the cycle."""

    name: str
    identifier: str
    source: str  # the organisation that assigned the identifier


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


def _fill(
    temporary: Path,
    source_folder: Path,
    rows: Sequence[ManifestRow],
    file_format: FileFormat,
    cycle: CycleRecord,
    now: dt.datetime,
) -> None:
    sums: list[tuple[str, str]] = []
    for row in rows:
        relpath = PurePosixPath(row.pad)
        target = write_file(temporary, relpath, (source_folder / relpath).read_bytes())
        digest = sha256_file(target)
        if digest != row.sha256:
            raise OutputError(f"'{row.pad}' is gewijzigd sinds het schrijven; niet gearchiveerd")
        metadata = bestand_xml(
            ArchivedFile(
                identifier=f"{cycle.identifier}/{relpath.as_posix()}",
                name=relpath.name,
                size=target.stat().st_size,
                file_format=file_format,
                sha256=digest,
                checked_at=now,
                represents_name=cycle.name,
                represents_id=cycle.identifier,
                represents_source=cycle.source,
            )
        )
        metadata_path = relpath.with_name(relpath.name + MDTO_SUFFIX)
        write_file(temporary, metadata_path, metadata)
        sums += [(digest, relpath.as_posix()), (sha256_file(temporary / metadata_path),
                                                metadata_path.as_posix())]
    lines = "".join(f"{digest}  {path}\n" for digest, path in sums)
    write_file(temporary, PurePosixPath(CHECKSUMS), lines.encode("utf-8"))


def archive_syllabi(
    source_folder: Path,
    root: Path,
    cycle_folder: str,
    rows: Sequence[ManifestRow],
    cycle: CycleRecord,
    now: dt.datetime | None = None,
) -> ArchiveResult | None:
    """Archive the syllabi listed in `rows` (found under `source_folder`): their PDF/A
    versions when the run made them, else the .docx."""
    documents = [r for r in rows if r.soort == SYLLABUS]
    if not documents:
        return None
    pdfs = [r for r in rows if r.soort == SYLLABUS_PDF]
    pdf = len(pdfs) == len(documents)
    archived, file_format = (pdfs, PDF_A_2B) if pdf else (documents, DOCX)
    fingerprint = hashlib.sha256("".join(r.sha256 for r in documents).encode()).hexdigest()[:12]
    parent = root / ARCHIVE_DIR / cycle_folder
    name = f"syllabi-{fingerprint}-{'pdfa' if pdf else 'docx'}"
    target = parent / name
    temporary = parent / f".{name}{_TEMPORARY}{os.getpid()}"
    try:
        make_private_dirs(parent)
        remove_leftovers(parent)
        if target.exists():
            return ArchiveResult(target, added=False, pdf=pdf)
        if temporary.exists():
            shutil.rmtree(temporary)
        temporary.mkdir(mode=DIR_MODE)
        try:
            moment = now or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
            _fill(temporary, source_folder, archived, file_format, cycle, moment)
            os.rename(temporary, target)  # fails, never replaces, if target appeared
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
    except OSError as exc:
        raise OutputError(
            f"de documenten staan klaar, maar het archief '{target}' kon niet worden "
            f"geschreven: {describe_os_error(exc)}"
        ) from None
    return ArchiveResult(target, added=True, pdf=pdf)
