"""Render and write many documents: in this process for small runs, a pool for large ones.

Workers are forked from this process where the platform allows it, so they inherit the
prepared templates instead of preparing them again; elsewhere (spawn) each worker
prepares them once in its initializer.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import write_file
from pipeline.kinds import SIGNED, Kind
from pipeline.model import SignatureImage
from pipeline.publish.manifest import sha256_bytes
from pipeline.publish.staging import StagedOutput, verify_base, verify_members
from pipeline.render.prepared import CoreProperties, PreparedTemplate, make_environment

# Below this many documents a worker pool costs more than it saves.
PARALLEL_FROM = 400
Item = TypeVar("Item")
Result = TypeVar("Result")
CHUNK = 250

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Task:
    kind: Kind
    relpath: PurePosixPath
    context: Mapping[str, object]
    props: CoreProperties


class Renderer:
    """The run's prepared templates; only letters carry the signature image."""

    def __init__(
        self, templates: Mapping[Kind, PreparedTemplate], signature: SignatureImage | None
    ) -> None:
        self.templates = dict(templates)
        for signed in SIGNED:  # letters signed for the secretary
            if signature is not None and signed in self.templates:
                self.templates[signed] = self.templates[signed].with_signature(signature)
        self.signature = signature
        for template in self.templates.values():
            verify_base(template.base, template.path.name)

    @classmethod
    def load(cls, paths: Mapping[Kind, Path], signature: SignatureImage | None) -> Renderer:
        env = make_environment()
        return cls({kind: PreparedTemplate(path, env) for kind, path in paths.items()}, signature)

    @property
    def paths(self) -> dict[Kind, Path]:
        return {kind: template.path for kind, template in self.templates.items()}

    def render(self, task: Task) -> bytes:
        """One document, its XML checked before it is packed (verify_members)."""
        template = self.templates[task.kind]
        members = template.render_members(task.context, task.props)
        verify_members(members, str(task.relpath))
        return template.pack(members)


_worker: Renderer | None = None


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PARENT_CHECK_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the run, however the run ends (kill -9 included).

    On Linux the kernel kills the worker when its parent dies (PR_SET_PDEATHSIG);
    everywhere a watcher thread also ends it once the parent is gone (re-parented).
    The run's own SIGTERM/SIGHUP handling is not for workers: they stop at once."""
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the run; it stops us
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still applies
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init_forked_worker(parent: int) -> None:
    _die_with_parent(parent)


def _init_worker(parent: int, paths: Mapping[Kind, Path], signature: SignatureImage | None) -> None:
    global _worker
    _die_with_parent(parent)
    _worker = Renderer.load(paths, signature)


def write_staged(staging: Path, relpath: PurePosixPath, data: bytes) -> str:
    """Write one file of the run into the staging folder (from a worker); its sha256."""
    try:
        write_file(staging, relpath, data)
    except OSError as exc:
        raise OutputError(f"kan '{relpath}' niet schrijven: {describe_os_error(exc)}") from None
    return sha256_bytes(data)


def _render_chunk(staging: Path, tasks: Sequence[Task]) -> list[str]:
    if _worker is None:
        raise OutputError("intern: werkproces niet voorbereid")
    return [write_staged(staging, task.relpath, _worker.render(task)) for task in tasks]


def _chunks(items: Iterable[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)


def _pool(renderer: Renderer, workers: int) -> ProcessPoolExecutor:
    global _worker
    # Fork only where it is the platform's safe default (Linux); macOS and Windows spawn.
    if _can_fork():
        _worker = renderer  # inherited by the forked workers
        return _forked_pool(workers)
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(), renderer.paths, renderer.signature),
    )


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (the run is stopping; their work would be thrown away)."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def map_chunks(
    function: Callable[[list[Item]], list[Result]],
    items: Sequence[Item],
    workers: int,
) -> list[Result]:
    """`function` over `items` in chunks, in forked workers that die with the run (as the
    document workers do); results in item order. Serial for small inputs, and where
    workers would not be forked (macOS, Windows): the function need not be importable."""
    if workers <= 1 or len(items) < PARALLEL_FROM or not _can_fork():
        return function(list(items))
    size = max(1, min(CHUNK, -(-len(items) // (2 * workers))))
    chunks = [list(items[start : start + size]) for start in range(0, len(items), size)]
    results: list[Result] = []
    with _running(_forked_pool(workers)) as pool:
        for part in pool.map(function, chunks):
            results.extend(part)
    return results


@contextmanager
def _running(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """Use a pool; on any way out but success its workers are killed at once (an error,
    Ctrl-C, SIGTERM: no worker writes on afterwards), and a crashed worker is Dutch.

    While the pool runs, every object this process has is frozen for the garbage
    collector (gc.freeze): forked workers would otherwise walk, and so copy, every
    inherited page at each full collection, and this process's own collections would
    walk the run's templates and plan again and again."""
    gc.freeze()
    try:
        yield pool
    except BrokenProcessPool:
        _stop_workers(pool)
        raise OutputError(
            "een werkproces is onverwacht gestopt (te weinig geheugen?); probeer het "
            "opnieuw met --processen 1"
        ) from None
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)
        gc.unfreeze()


def _forked_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_forked_worker,
        initargs=(os.getpid(),),
    )


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def render_all(
    tasks: Iterable[Task],
    total: int,
    staged: StagedOutput,
    renderer: Renderer,
    progress: Progress | None,
    workers: int,
) -> list[str]:
    """Write every task into the staging folder; the sha256 of each, in task order.

    Tasks are consumed as they come and at most a few chunks are in flight, so memory
    does not grow with the number of documents.
    """
    digests: list[str] = []
    if workers <= 1 or total < PARALLEL_FROM:
        for task in tasks:
            data = renderer.render(task)
            staged.write(task.relpath, data)
            digests.append(sha256_bytes(data))
            if progress:
                progress(1)
        return digests
    global _worker
    in_flight: deque[Future[list[str]]] = deque()

    def collect_oldest() -> None:  # in order: the manifest follows the plan
        chunk_digests = in_flight.popleft().result()
        digests.extend(chunk_digests)
        if progress:
            progress(len(chunk_digests))

    try:
        with _running(_pool(renderer, workers)) as pool:
            for chunk in _chunks(tasks, CHUNK):
                in_flight.append(pool.submit(_render_chunk, staged.staging, chunk))
                if len(in_flight) >= 2 * workers:
                    collect_oldest()
            while in_flight:
                collect_oldest()
    finally:
        _worker = None
    return digests


die_with_parent = _die_with_parent  # for the PDF step's own (spawned) workers
stop_workers = _stop_workers
