"""Render and write many documents: in this process for small runs, a pool for large ones.

Workers are forked from this process where the platform allows it, so they inherit the
prepared templates instead of preparing them again; elsewhere (spawn) each worker
prepares them once in its initializer.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import OutputError
from .manifest import sha256_bytes
from .plan import Kind, SignatureImage
from .render import CoreProperties, PreparedTemplate, make_environment
from .writer import StagedOutput, verify_docx, write_file

# Below this many documents a worker pool costs more than it saves.
PARALLEL_FROM = 400
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
        if signature is not None and Kind.UITNODIGING in self.templates:
            self.templates[Kind.UITNODIGING] = self.templates[Kind.UITNODIGING].with_signature(
                signature
            )
        self.signature = signature

    @classmethod
    def load(cls, paths: Mapping[Kind, Path], signature: SignatureImage | None) -> Renderer:
        env = make_environment()
        return cls({kind: PreparedTemplate(path, env) for kind, path in paths.items()}, signature)

    @property
    def paths(self) -> dict[Kind, Path]:
        return {kind: template.path for kind, template in self.templates.items()}

    def render(self, task: Task) -> bytes:
        data = self.templates[task.kind].render(task.context, task.props)
        verify_docx(data, str(task.relpath))
        return data


_worker: Renderer | None = None


def _init_worker(paths: Mapping[Kind, Path], signature: SignatureImage | None) -> None:
    global _worker
    _worker = Renderer.load(paths, signature)


def _render_chunk(staging: Path, tasks: Sequence[Task]) -> list[str]:
    if _worker is None:
        raise OutputError("intern: werkproces niet voorbereid")
    digests = []
    for task in tasks:
        data = _worker.render(task)
        try:
            write_file(staging, task.relpath, data)
        except OSError as exc:
            raise OutputError(f"kan '{task.relpath}' niet schrijven: {exc}") from None
        digests.append(sha256_bytes(data))
    return digests


def _chunks(items: Sequence[Task], size: int) -> Iterator[Sequence[Task]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)


def _pool(renderer: Renderer, workers: int) -> ProcessPoolExecutor:
    global _worker
    if "fork" in multiprocessing.get_all_start_methods():
        _worker = renderer  # inherited by the forked workers
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(renderer.paths, renderer.signature),
    )


def render_all(
    tasks: Sequence[Task],
    staged: StagedOutput,
    renderer: Renderer,
    progress: Progress | None,
    workers: int,
) -> list[str]:
    """Write every task into the staging folder; the sha256 of each, in task order."""
    if workers <= 1 or len(tasks) < PARALLEL_FROM:
        digests = []
        for task in tasks:
            data = renderer.render(task)
            staged.write(task.relpath, data)
            digests.append(sha256_bytes(data))
            if progress:
                progress(1)
        return digests
    global _worker
    digests = []
    pool = _pool(renderer, workers)
    try:
        futures = [pool.submit(_render_chunk, staged.staging, c) for c in _chunks(tasks, CHUNK)]
        for future in futures:  # in order: the manifest follows the plan
            chunk_digests = future.result()
            digests.extend(chunk_digests)
            if progress:
                progress(len(chunk_digests))
    except BrokenProcessPool:
        raise OutputError(
            "een werkproces is onverwacht gestopt (te weinig geheugen?); probeer het "
            "opnieuw met --processen 1"
        ) from None
    finally:
        pool.shutdown(cancel_futures=True)
        _worker = None
    return digests
