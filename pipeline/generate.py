"""One batch run: check, plan, render, write (staged), manifest and archive."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import __version__
from .archive import archive_syllabi
from .errors import Problem
from .manifest import ManifestRow, manifest_csv, manifest_json, sha256_bytes, sha256_file
from .plan import ALL_KINDS, DocumentJob, Kind, Plan, SignatureImage, plan_documents
from .render import CoreProperties, PreparedTemplate, make_environment
from .template_check import ensure_templates
from .themes import Content, load_content
from .validate import CheckResult, check_workbook
from .writer import StagedOutput, verify_docx, write_file

# Below this many documents a worker pool costs more than it saves.
PARALLEL_FROM = 400
CHUNK = 250

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunResult:
    target: Path
    counts: dict[str, int]
    warnings: tuple[Problem, ...]
    internal_delivery: tuple[str, ...]  # "name (sessie)" of invitations sent by internal post
    archive: Path | None
    rows: tuple[ManifestRow, ...]


@dataclass(frozen=True)
class _Task:
    kind: Kind
    relpath: PurePosixPath
    context: dict[str, object]
    props: CoreProperties


class _Renderer:
    """Prepared templates for one run (built once per process)."""

    def __init__(
        self, templates_dir: Path, kinds: Iterable[Kind], signature: SignatureImage | None
    ) -> None:
        env = make_environment()
        self.templates = {
            kind: PreparedTemplate(templates_dir / kind.template, env, signature) for kind in kinds
        }

    def render(self, task: _Task) -> bytes:
        data = self.templates[task.kind].render(task.context, task.props)
        verify_docx(data, str(task.relpath))
        return data


_worker: _Renderer | None = None


def _init_worker(
    templates_dir: Path, kinds: tuple[Kind, ...], signature: SignatureImage | None
) -> None:
    global _worker
    _worker = _Renderer(templates_dir, kinds, signature)


def _render_chunk(staging: Path, tasks: Sequence[_Task]) -> list[str]:
    assert _worker is not None, "worker not initialised"
    digests = []
    for task in tasks:
        data = _worker.render(task)
        write_file(staging, task.relpath, data)
        digests.append(sha256_bytes(data))
    return digests


def _tasks(plan: Plan, organisation_name: str, cycle: str) -> list[_Task]:
    created = plan.document_date.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        _Task(
            job.kind,
            job.relpath,
            dict(job.context),
            CoreProperties(
                job.title,
                f"{job.kind.value} - {cycle}",
                organisation_name,
                f"intervisie; {job.kind.value}; {cycle}",
                created,
            ),
        )
        for job in plan.jobs
    ]


def _chunks(items: Sequence[_Task], size: int) -> Iterator[Sequence[_Task]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _render_all(
    tasks: Sequence[_Task],
    staged: StagedOutput,
    templates_dir: Path,
    kinds: tuple[Kind, ...],
    signature: SignatureImage | None,
    progress: Progress | None,
    workers: int,
) -> list[str]:
    if workers <= 1 or len(tasks) < PARALLEL_FROM:
        renderer = _Renderer(templates_dir, kinds, signature)
        digests = []
        for task in tasks:
            data = renderer.render(task)
            staged.write(task.relpath, data)
            digests.append(sha256_bytes(data))
            if progress:
                progress(1)
        return digests
    digests = []
    with ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(templates_dir, kinds, signature)
    ) as pool:
        futures = [
            pool.submit(_render_chunk, staged.staging, chunk) for chunk in _chunks(tasks, CHUNK)
        ]
        try:
            for future in futures:  # in order: the manifest follows the plan
                chunk_digests = future.result()
                digests.extend(chunk_digests)
                if progress:
                    progress(len(chunk_digests))
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return digests


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)


def check(workbook: Path, templates_dir: Path, today: dt.date) -> tuple[Content, CheckResult]:
    content = load_content(templates_dir)
    return content, check_workbook(workbook, content, today)


def generate(
    workbook: Path,
    output_root: Path,
    templates_dir: Path,
    *,
    kinds: Sequence[Kind] = ALL_KINDS,
    today: dt.date,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> RunResult:
    """Generate every document of `kinds`; raises an IntervisieError before writing
    anything when the templates or the workbook are not valid."""
    content = load_content(templates_dir)
    ensure_templates(templates_dir, content, kinds)
    checked = check_workbook(workbook, content, today)
    cycle = checked.cycle
    plan = plan_documents(cycle, content, kinds)
    if on_plan:
        on_plan(len(plan.jobs))
    signature = (
        SignatureImage(cycle.organisation.handtekening) if cycle.organisation.handtekening else None
    )
    tasks = _tasks(plan, cycle.organisation.gemeente, cycle.organisation.cyclus)
    wanted = tuple(k for k in ALL_KINDS if k in kinds)
    with StagedOutput(output_root, plan.cycle_folder) as staged:
        digests = _render_all(
            tasks,
            staged,
            templates_dir,
            wanted,
            signature,
            progress,
            workers if workers is not None else default_workers(),
        )
        rows = tuple(_row(job, digest) for job, digest in zip(plan.jobs, digests, strict=True))
        counts = dict(Counter(job.kind.value for job in plan.jobs))
        used = [templates_dir / k.template for k in wanted] + list(content.files)
        staged.write(PurePosixPath("manifest.csv"), manifest_csv(rows))
        staged.write(
            PurePosixPath("manifest.json"),
            manifest_json(
                version=__version__,
                cycle=cycle.organisation.cyclus,
                workbook=workbook,
                workbook_sha256=sha256_file(workbook),
                templates=[(p.relative_to(templates_dir).as_posix(), sha256_file(p)) for p in used],
                warnings=[str(w) for w in checked.warnings],
                counts=counts,
                rows=rows,
            ),
        )
        staged.publish()
    archive = archive_syllabi(staged.target, output_root, plan.cycle_folder, rows)
    internal = tuple(
        f"{j.context['ontvanger']['naam']} ({j.sessie})"
        for j in plan.jobs
        if j.kind is Kind.UITNODIGING and not j.context["ontvanger"]["per_post"]
    )
    return RunResult(staged.target, counts, checked.warnings, internal, archive, rows)


def _row(job: DocumentJob, digest: str) -> ManifestRow:
    return ManifestRow(
        job.kind.value, job.sessie or "", job.personeelsnummer or "", job.relpath.as_posix(), digest
    )
