"""Render and write many documents: in this process for small runs, a pool for large ones."""

from __future__ import annotations

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
    """The run's templates, prepared once per process."""

    def __init__(
        self, templates_dir: Path, kinds: Sequence[Kind], signature: SignatureImage | None
    ) -> None:
        env = make_environment()
        self.templates = {
            # Only letters are signed: other kinds must not carry the image at all.
            kind: PreparedTemplate(
                templates_dir / kind.template,
                env,
                signature if kind is Kind.UITNODIGING else None,
            )
            for kind in kinds
        }

    def render(self, task: Task) -> bytes:
        data = self.templates[task.kind].render(task.context, task.props)
        verify_docx(data, str(task.relpath))
        return data


_worker: Renderer | None = None


def _init_worker(
    templates_dir: Path, kinds: Sequence[Kind], signature: SignatureImage | None
) -> None:
    global _worker
    _worker = Renderer(templates_dir, kinds, signature)


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


def render_all(
    tasks: Sequence[Task],
    staged: StagedOutput,
    renderer_args: tuple[Path, Sequence[Kind], SignatureImage | None],
    progress: Progress | None,
    workers: int,
) -> list[str]:
    """Write every task into the staging folder; the sha256 of each, in task order."""
    if workers <= 1 or len(tasks) < PARALLEL_FROM:
        renderer = Renderer(*renderer_args)
        digests = []
        for task in tasks:
            data = renderer.render(task)
            staged.write(task.relpath, data)
            digests.append(sha256_bytes(data))
            if progress:
                progress(1)
        return digests
    digests = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=renderer_args) as pool:
        futures = [pool.submit(_render_chunk, staged.staging, c) for c in _chunks(tasks, CHUNK)]
        try:
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
    return digests
