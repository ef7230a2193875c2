"""What becomes of LibreOffice's output for one chunk: checked, split, finished, validated
and written. Runs in the PDF step's worker processes (pipeline.pdf.convert), not in the
run's main process: pikepdf and the PDF/A validator allocate a lot per chunk, and memory
freed by several threads at once is not given back, so the main process would grow with
every chunk (about 690 MB at 10,000 documents).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ParamSpec, TypeVar

import pikepdf

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import write_file
from pipeline.pdf.join import prepare_joined
from pipeline.pdf.pages import document_starts, extract_pages, finish
from pipeline.pdf.pdfa import require_source, require_written
from pipeline.pdf.structure import split_structure
from pipeline.publish.manifest import sha256_bytes
from pipeline.render.bundle import combine_letters
from pipeline.render.prepared import CoreProperties

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _libc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: the heap stays as the allocator keeps it
        return None


_TRIM = _libc_trim()


def gives_memory_back(work: Callable[_P, _T]) -> Callable[_P, _T]:
    """`work` followed by returning the freed heap to the system. A worker opens a whole
    joined conversion (qpdf needs about 80 MB for 100 syllabi); glibc keeps what is freed
    in pieces, so without this each worker would stay at its largest chunk's size while
    two soffice processes convert the next ones."""

    @functools.wraps(work)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return work(*args, **kwargs)
        finally:
            release_heap()

    return wrapper


def release_heap() -> None:
    """Give the memory this process freed back to the system (glibc only)."""
    if _TRIM is not None:
        _TRIM(0)


def pdf_relpath(docx: PurePosixPath) -> PurePosixPath:
    """The PDF sits next to its .docx under the same name (e-mail finds it there)."""
    return docx.with_suffix(".pdf")


@dataclass(frozen=True)
class PdfJob:
    source: PurePosixPath  # the .docx, relative to the staging folder
    props: CoreProperties
    group: str  # jobs of one group come from one template and may be joined
    tagged: bool = False  # a tagged PDF (for screen readers); the same for a whole group


def write_pdf(staging: Path, job: PdfJob, pdf: pikepdf.Pdf, moment: dt.datetime) -> str:
    """`pdf` finished with `job`'s metadata, validated as PDF/A-2b and written next to
    its .docx; its sha256."""
    data = finish(pdf, job.props, moment)
    require_written(data, str(pdf_relpath(job.source)))
    try:
        write_file(staging, pdf_relpath(job.source), data)
    except OSError as exc:
        raise OutputError(
            f"kan '{pdf_relpath(job.source)}' niet schrijven: {describe_os_error(exc)}"
        ) from None
    return sha256_bytes(data)


@gives_memory_back
def join_chunk(staging: Path, jobs: list[PdfJob], docx: Path) -> bool:
    """The jobs' documents joined into `docx`, each marked for splitting
    (pipeline.pdf.join); False (nothing written) when they cannot be joined."""
    sources = [staging / job.source for job in jobs]
    try:
        joined = prepare_joined(combine_letters(sources, jobs[0].props))
    except OutputError:  # documents from different templates: convert them one by one
        return False
    if joined is None or joined.documents != len(sources):
        return False
    docx.write_bytes(joined.package)
    return True


@gives_memory_back
def split_joined(
    staging: Path, jobs: list[PdfJob], whole: Path, moment: dt.datetime
) -> list[str] | None:
    """Each job's PDF from the joined conversion `whole`, written (sha256 of each, in
    order); None (nothing written) when the document marks do not come out right."""
    with pikepdf.open(whole) as pdf:
        require_source(pdf, f"'{pdf_relpath(jobs[0].source)}' en {len(jobs) - 1} andere")
        starts = document_starts(pdf)
        if len(starts) != len(jobs) or starts != sorted(set(starts)) or starts[0] != 0:
            return None
        ends = [*starts[1:], len(pdf.pages)]
        structures: Sequence[pikepdf.Object | None] = [None] * len(jobs)
        if jobs[0].tagged:
            found = split_structure(pdf, starts)
            if found is None:
                return None
            structures = found
        digests = []
        for job, first, end, structure in zip(jobs, starts, ends, structures, strict=True):
            with extract_pages(pdf, first, end, structure) as part:
                digests.append(write_pdf(staging, job, part, moment))
    return digests


@gives_memory_back
def finish_each(
    staging: Path, jobs: list[PdfJob], pdfs: list[Path], moment: dt.datetime
) -> list[str]:
    """Each job's PDF as LibreOffice converted it alone (`pdfs`, in job order), written;
    the sha256 of each."""
    digests = []
    for job, path in zip(jobs, pdfs, strict=True):
        with pikepdf.open(path) as pdf:
            require_source(pdf, f"'{pdf_relpath(job.source)}'")
            digests.append(write_pdf(staging, job, pdf, moment))
    return digests


__all__ = [
    "PdfJob",
    "finish_each",
    "join_chunk",
    "pdf_relpath",
    "release_heap",
    "split_joined",
    "write_pdf",
]
