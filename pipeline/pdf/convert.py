"""PDF output: the run's documents converted with LibreOffice headless, quickly and stably.

Starting soffice costs about a second, so documents are converted in chunks, never one
process per document, on several soffice instances at once (one per core, each with its
own profile). Documents from one template are first joined into one document (as the
print bundles are), a bookmark at the start of each and a page count of their own in
headers and footers (pipeline.pdf.join), converted in one go and split again at
the bookmarks' named destinations: several times faster than converting them one by
one. Letters are tagged PDF (for screen readers): each part gets its own share of the
joined conversion's structure tree (pipeline.pdf.structure). Documents that cannot be
joined or split that way are converted as a batch of files in one soffice call.

The run's own process only hands out chunks and waits for soffice (one thread per
instance); joining, splitting, finishing and validating run in spawned worker processes
(pipeline.pdf.post), as does assembling the print bundles (pipeline.pdf.bundle), so that
the main process does not grow with the number of documents.

Every PDF is PDF/A-2b (all fonts embedded, the PDF/A identification in the XMP) and is
rewritten by pikepdf (pipeline.pdf.pages) with the document's own metadata, the
document date instead of the clock and an ID derived from the content, so the same input
gives the same bytes. What soffice returns must declare PDF/A itself, and every finished
PDF must pass pikepdf's PDF/A-2b validator before it is written (pipeline.pdf.pdfa); a
print bundle's PDF is assembled from the converted letters in pipeline.pdf.bundle.
"""

from __future__ import annotations

import datetime as dt
import queue
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import ParamSpec, TypeVar

from pipeline.files import DIR_MODE
from pipeline.pdf.bundle import Bundle, spawned_pool, write_bundle
from pipeline.pdf.post import (
    PdfJob,
    finish_each,
    join_chunk,
    pdf_relpath,
    release_heap,
    split_joined,
)
from pipeline.pdf.soffice import ConversionFailed, Running, Soffice

WORKDIR = ".pdf-werk"
BUNDLE_PIECE = 200  # letters per print-bundle PDF at most (see Converter._bundle)
CHUNK = 100  # documents per soffice call: spreads the start-up cost (40: 1.5x slower)
# Letters (the tagged documents) are a page each: 200 per call are 10% faster per letter
# than 100 and LibreOffice needs no more memory for them (300: slower again).
LETTER_CHUNK = 200
ATTEMPTS = 2  # a hung or crashed conversion is tried once more with a fresh profile
TIMEOUT_BASE = 120.0  # seconds per soffice call, plus TIMEOUT_PER_DOCUMENT each
TIMEOUT_PER_DOCUMENT = 3.0

Progress = Callable[[int], None]
_P = ParamSpec("_P")
_T = TypeVar("_T")


@dataclass
class _Chunk:
    index: int
    jobs: list[PdfJob]
    parts: list[Path] = field(default_factory=list)  # PDFs covering the jobs, in order


# --- the converter --------------------------------------------------------------------


class Converter:
    """Converts the jobs of one run on `instances` soffice processes."""

    def __init__(
        self,
        program: str,
        staging: Path,
        moment: dt.datetime,
        *,
        instances: int,
        timeout: float | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.program = program
        self.staging = staging
        self.moment = moment
        self.instances = max(1, instances)
        self.timeout = timeout
        self.progress = progress
        self._profiles: queue.Queue[Path] = queue.Queue()
        # Inside the staging folder: copies of personal data, removed with it if the run
        # is killed (the next run clears dead staging folders), and before publishing.
        self._workdir = staging / WORKDIR
        self._workdir.mkdir(mode=DIR_MODE)
        self._stop = threading.Event()  # set on the first failure or an interruption
        self._running = Running()  # soffice process groups at work
        self._failure: BaseException | None = None  # the first real failure, to report
        self._workers: ProcessPoolExecutor | None = None  # pipeline.pdf.post's work

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Converter:
        for number in range(self.instances):
            self._profiles.put(self._workdir / f"profiel-{number}")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # One soffice call, retried once.
    def _soffice(
        self, sources: list[Path], outdir: Path, names: Sequence[str], tagged: bool = False
    ) -> None:
        timeout = self.timeout or TIMEOUT_BASE + TIMEOUT_PER_DOCUMENT * len(names)
        profile = self._profiles.get()
        try:
            for attempt in range(1, ATTEMPTS + 1):
                if self._stop.is_set():
                    raise _Aborted("de omzetting naar PDF is afgebroken")
                outcome = Soffice(self.program, profile).convert(
                    sources, outdir, timeout, self._running, tagged=tagged
                )
                produced = all((outdir / f"{s.stem}.pdf").is_file() for s in sources)
                if not outcome.timed_out and outcome.returncode == 0 and produced:
                    return
                # A killed soffice can leave its profile locked or half-written.
                shutil.rmtree(profile, ignore_errors=True)
                profile = profile.with_name(f"{profile.name.split('~')[0]}~{attempt}")
        finally:
            self._profiles.put(profile)
        what = f"'{names[0]}'" + (f" en {len(names) - 1} andere" if len(names) > 1 else "")
        if outcome.timed_out:
            reason = f"reageerde niet binnen {timeout:.0f} seconden"
        elif outcome.returncode != 0:
            reason = f"stopte met foutcode {outcome.returncode}"
        else:
            reason = "maakte geen PDF"
        said = [line for line in outcome.stderr.splitlines() if line.strip()]
        detail = [line for line in said if "javaldx" not in line][-1:]  # not java's notice
        raise ConversionFailed(
            f"LibreOffice {reason} bij het omzetten van {what} naar PDF, ook niet bij een "
            f"tweede poging{': ' + detail[0] if detail else ''}. De vorige uitvoer is "
            "ongewijzigd."
        )

    def _in_worker(self, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """`work` done in one of the run's PDF worker processes (pipeline.pdf.post)."""
        if self._workers is None:
            raise RuntimeError("PDF worker processes used outside Converter.convert")
        return self._workers.submit(work, *args, **kwargs).result()

    def _joined(self, chunk: _Chunk, folder: Path) -> list[str] | None:
        """Convert the chunk as one joined document; None when that cannot be done."""
        if len(chunk.jobs) < 2:
            return None
        docx = folder / "samen.docx"
        if not self._in_worker(join_chunk, self.staging, chunk.jobs, docx):
            return None
        names = [str(job.source) for job in chunk.jobs]
        self._soffice([docx], folder, names, chunk.jobs[0].tagged)
        docx.unlink()
        whole = folder / "samen.pdf"
        digests = self._in_worker(split_joined, self.staging, chunk.jobs, whole, self.moment)
        if digests is not None:
            chunk.parts = [whole]
        return digests

    def _batch(self, chunk: _Chunk, folder: Path) -> list[str]:
        """Convert the chunk's documents as separate files in one soffice call."""
        sources = []
        for number, job in enumerate(chunk.jobs):
            copy = folder / f"{number:05d}.docx"
            shutil.copyfile(self.staging / job.source, copy)
            sources.append(copy)
        tagged = chunk.jobs[0].tagged
        self._soffice(sources, folder, [str(job.source) for job in chunk.jobs], tagged)
        for source in sources:
            source.unlink()
        chunk.parts = [source.with_suffix(".pdf") for source in sources]
        return self._in_worker(finish_each, self.staging, chunk.jobs, chunk.parts, self.moment)

    def _abort(self) -> None:
        """Stop every conversion at once: no new soffice starts, running ones are killed."""
        self._stop.set()
        self._running.stop()

    def _convert(self, chunk: _Chunk) -> list[str]:
        try:
            return self._convert_chunk(chunk)
        except BaseException as exc:
            if self._failure is None and not isinstance(exc, _Aborted):
                self._failure = exc
            self._abort()
            raise

    def _convert_chunk(self, chunk: _Chunk) -> list[str]:
        folder = self._workdir / f"deel-{chunk.index:05d}"
        folder.mkdir()
        digests = self._joined(chunk, folder)
        if digests is None:
            for leftover in folder.iterdir():
                leftover.unlink()
            digests = self._batch(chunk, folder)
        return digests

    def _bundle(self, bundle: Bundle, chunks: Sequence[_Chunk]) -> list[tuple[PurePosixPath, str]]:
        """The bundle from the chunks' PDFs (fonts stay shared within each chunk), in
        pieces of at most BUNDLE_PIECE letters (pipeline.pdf.bundle)."""
        parts: list[tuple[Path, int]] = []  # a PDF and how many letters it holds
        for chunk in chunks:
            # For duplex each document's own PDF, so that a blank back can follow a
            # document with an odd number of pages.
            if bundle.duplex:
                parts += [(self.staging / pdf_relpath(job.source), 1) for job in chunk.jobs]
            elif len(chunk.parts) == 1:
                parts.append((chunk.parts[0], len(chunk.jobs)))
            else:
                parts += [(part, 1) for part in chunk.parts]
        return write_bundle(
            bundle,
            parts,
            staging=self.staging,
            workdir=self._workdir,
            moment=self.moment,
            instances=self.instances,
            piece=BUNDLE_PIECE,
            pool=self._workers,
        )

    def convert(
        self, jobs: Sequence[PdfJob], bundles: Sequence[Bundle] = ()
    ) -> tuple[list[str], list[tuple[PurePosixPath, str]]]:
        """Write the PDF of every job (sha256 of each, in job order) and every bundle."""
        bundled = {bundle.group for bundle in bundles}
        by_group: dict[str, list[_Chunk]] = {}
        digests: dict[PurePosixPath, str] = {}
        in_flight: deque[tuple[_Chunk, Future[list[str]]]] = deque()

        def collect_oldest() -> None:
            chunk, future = in_flight.popleft()
            for job, digest in zip(chunk.jobs, future.result(), strict=True):
                digests[job.source] = digest
            if self.progress:
                self.progress(len(chunk.jobs))
            if chunk.jobs[0].group in bundled:
                by_group.setdefault(chunk.jobs[0].group, []).append(chunk)
            else:  # not needed for a bundle: free the disk space now
                shutil.rmtree(self._workdir / f"deel-{chunk.index:05d}", ignore_errors=True)

        # What the run's earlier steps freed (the Word print bundle is built here) would
        # otherwise stay with this process while LibreOffice and the workers need memory.
        release_heap()
        # Fresh worker processes do what pikepdf and the validator do (pipeline.pdf.post)
        # and assemble the bundles; the threads here only wait for soffice and for them.
        with spawned_pool(self.instances) as self._workers:
            pool = ThreadPoolExecutor(self.instances, thread_name_prefix="soffice")
            try:
                for chunk in _chunks(jobs):
                    in_flight.append((chunk, pool.submit(self._convert, chunk)))
                    if len(in_flight) >= 2 * self.instances:
                        collect_oldest()
                while in_flight:
                    collect_oldest()
            except BaseException as exc:  # a failure, Ctrl-C: do not wait for the others
                self._abort()
                if isinstance(exc, _Aborted) and self._failure is not None:
                    raise self._failure from None  # the cause, not the chunks stopped for it
                raise
            finally:
                pool.shutdown(cancel_futures=True)
        # The bundles in fresh processes: what converting left in a worker's heap (pikepdf
        # and the validator do not give all of it back) would come on top of a piece's.
        written = []
        if bundles:
            with spawned_pool(self.instances) as self._workers:
                for bundle in bundles:
                    written += self._bundle(bundle, by_group.get(bundle.group, []))
        self._workers = None
        return [digests[job.source] for job in jobs], written


class _Aborted(ConversionFailed):
    """A conversion not started (or stopped) because another one failed."""


def _chunks(jobs: Sequence[PdfJob]) -> Iterator[_Chunk]:
    """The jobs of one group together (groups in order of first appearance, jobs in
    order within a group), at most CHUNK (letters: LETTER_CHUNK) at a time."""
    groups: dict[str, list[PdfJob]] = {}
    for job in jobs:
        groups.setdefault(job.group, []).append(job)
    current: list[PdfJob] = []
    index = 0
    for job in (job for members in groups.values() for job in members):
        size = LETTER_CHUNK if job.tagged else CHUNK
        if current and (len(current) == size or job.group != current[0].group):
            yield _Chunk(index, current)
            index += 1
            current = []
        current.append(job)
    if current:
        yield _Chunk(index, current)


def convert_to_pdf(
    program: str,
    staging: Path,
    jobs: Sequence[PdfJob],
    bundles: Sequence[Bundle],
    moment: dt.datetime,
    *,
    instances: int,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> tuple[list[str], list[tuple[PurePosixPath, str]]]:
    with Converter(
        program, staging, moment, instances=instances, timeout=timeout, progress=progress
    ) as converter:
        return converter.convert(jobs, bundles)


__all__ = [
    "Bundle",
    "Converter",
    "PdfJob",
    "convert_to_pdf",
    "pdf_relpath",
]
