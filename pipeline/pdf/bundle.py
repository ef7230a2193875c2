"""The print bundle's PDF: the pages of its letters' PDFs in order, in pieces.

The PDF/A validator keeps every font of a file in memory, so a single file of thousands
of letters would need gigabytes: a bundle is made in pieces of at most `piece` letters
(pipeline.pdf.convert.BUNDLE_PIECE). One piece keeps the bundle's own name; more are
numbered (`-deel-01`). Each piece is written to a file in the work folder as it is made,
validated as PDF/A-2b from there, and only then moved to its place in the staging
folder; the pieces are made in worker processes, several side by side.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pikepdf

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import FILE_MODE, inside, make_private_dirs
from pipeline.pdf.pages import copy_into, finish_into
from pipeline.pdf.pdfa import mend, require_written_file
from pipeline.pdf.post import gives_memory_back
from pipeline.publish.manifest import sha256_file
from pipeline.render.batch import die_with_parent, stop_workers
from pipeline.render.prepared import CoreProperties


@dataclass(frozen=True)
class Bundle:
    """One PDF of every job of `group`, in order (the print room's file)."""

    group: str
    relpath: PurePosixPath
    props: CoreProperties
    duplex: bool = False  # every document starts on a front (odd) page


def write_bundle(
    bundle: Bundle,
    parts: Sequence[tuple[Path, int]],
    *,
    staging: Path,
    workdir: Path,
    moment: dt.datetime,
    instances: int,
    piece: int,
    pool: Executor | None = None,
) -> list[tuple[PurePosixPath, str]]:
    """The bundle from `parts` (a PDF and how many letters it holds, in print order),
    in pieces of at most `piece` letters, written into `staging`; each piece's place
    (relative to `staging`) and sha256. Temporary files go to `workdir`. The pieces are
    made in `pool`'s processes, or in fresh ones of their own: never in this process."""
    pieces: list[list[Path]] = [[]]
    letters = 0
    for part, count in parts:
        if pieces[-1] and letters + count > piece:
            pieces.append([])
            letters = 0
        pieces[-1].append(part)
        letters += count
    places = piece_paths(bundle.relpath, len(pieces))
    temporaries = [workdir / f"afdruk-{bundle.group}-{n:03d}.pdf" for n in range(len(pieces))]
    work = [
        (list(map(str, p)), bundle.duplex, bundle.props, moment, str(temporary), str(place))
        for p, temporary, place in zip(pieces, temporaries, places, strict=True)
    ]
    if pool is not None:
        digests = list(pool.map(assemble, *zip(*work, strict=True)))
    else:
        with spawned_pool(min(instances, len(work))) as own:
            digests = list(own.map(assemble, *zip(*work, strict=True)))
    written = []
    for temporary, place, digest in zip(temporaries, places, digests, strict=True):
        try:
            folder = inside(staging, place.parent)
            make_private_dirs(folder)
            os.replace(temporary, folder / place.name)
        except OSError as exc:
            raise OutputError(f"kan '{place}' niet schrijven: {describe_os_error(exc)}") from None
        written.append((place, digest))
    return written


def piece_paths(relpath: PurePosixPath, count: int) -> list[PurePosixPath]:
    """Where the pieces of a print bundle go: its own name for one piece, else numbered
    (`uitnodigingen-per-post-deel-01.pdf`, ...), in print order."""
    if count == 1:
        return [relpath]
    width = max(2, len(str(count)))
    return [
        relpath.with_name(f"{relpath.stem}-deel-{n:0{width}d}{relpath.suffix}")
        for n in range(1, count + 1)
    ]


@gives_memory_back
def assemble(
    parts: list[str],
    duplex: bool,
    props: CoreProperties,
    moment: dt.datetime,
    temporary: str,
    shown: str,
) -> str:
    """One piece of a print bundle: the pages of `parts` in order (with a blank back
    after an odd page count for duplex), finished, written to `temporary` (owner-only)
    and validated as PDF/A-2b from there; its sha256. Runs in a worker process."""
    target = pikepdf.new()
    sources = []
    try:
        for part in parts:
            source = pikepdf.open(part)
            sources.append(source)
            if not target.pages and "/OutputIntents" in source.Root:
                target.Root.OutputIntents = copy_into(target, source.Root.OutputIntents)
            target.pages.extend(source.pages)
            if duplex and len(source.pages) % 2:
                box = source.pages[-1].mediabox
                target.add_blank_page(page_size=(float(box[2]), float(box[3])))
        for page in target.pages:
            if "/StructParents" in page:
                del page.obj["/StructParents"]
        mend(target)
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(descriptor, "wb") as out:
                finish_into(target, props, moment, out)
        except OSError as exc:
            raise OutputError(f"kan '{shown}' niet schrijven: {describe_os_error(exc)}") from None
    finally:
        for source in sources:
            source.close()
        target.close()
    require_written_file(Path(temporary), shown)
    return sha256_file(Path(temporary))


@contextmanager
def spawned_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Fresh processes (spawned, not forked: a fork would carry the run's memory along)
    that die with the run; on any way out but success they are stopped at once."""
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    # die_with_parent's PR_SET_PDEATHSIG ends a worker when the *thread* that started it
    # ends, and a spawn pool starts its workers lazily in whichever thread submits first
    # (a soffice thread of the converter): start them all here, in this thread.
    pool._launch_processes()  # type: ignore[attr-defined]
    try:
        yield pool
    except BrokenProcessPool:
        stop_workers(pool)
        raise OutputError(
            "een werkproces voor de PDF's is onverwacht gestopt (te weinig geheugen?)"
        ) from None
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


__all__ = ["Bundle", "assemble", "piece_paths", "spawned_pool", "write_bundle"]
