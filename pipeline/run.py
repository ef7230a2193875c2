"""One batch run, as a list of steps (pipeline/steps.py), each a few lines that call its
stage's module:

check (workbook, templates) -> prepare (the previous version, letter dates) -> plan
(documents) -> render -> compare (with the register's memory of the cycle) -> calendar
-> cancel -> bundle -> pdf -> mail -> record (manifest files, then the register in one
transaction) -> publish -> archive. Everything from prepare on runs while the cycle
folder's lock is held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline import stages as step
from pipeline.archive.write import ArchiveResult
from pipeline.content.themes import Content, load_content
from pipeline.documents.plan import document_date
from pipeline.errors import OutputError, describe_os_error
from pipeline.kinds import ALL_KINDS, Kind
from pipeline.mail.mailing import Mailing
from pipeline.model import Cycle, SignatureImage
from pipeline.pdf.documents import NO_PDF, PdfOptions
from pipeline.pdf.soffice import require_soffice
from pipeline.publish.folders import ARCHIVE_DIR, cycle_folder
from pipeline.publish.lock import CycleLock
from pipeline.publish.manifest import MANIFEST_JSON
from pipeline.publish.ownership import ensure_replaceable
from pipeline.publish.staging import StagedOutput, recover, stop_on_termination
from pipeline.register import cycles
from pipeline.render.batch import Progress, Renderer, default_workers
from pipeline.render.check import ensure_templates
from pipeline.render.tasks import PlannedDocuments
from pipeline.runplan import RunPlan
from pipeline.stages import Recorder, timed
from pipeline.steps import Checked, Run, RunResult
from pipeline.workbook.check import CheckResult, check_workbook


def check(workbook: Path, templates_dir: Path, today: dt.date) -> tuple[Content, CheckResult]:
    content = load_content(templates_dir)
    return content, check_workbook(workbook, content, today)


def _check(workbook: Path, templates_dir: Path, today: dt.date, plan: RunPlan) -> Checked:
    """The templates the plan needs, then the workbook: nothing is written unless both
    are valid."""
    content = load_content(templates_dir)
    templates = ensure_templates(templates_dir, content, plan.templates)
    return Checked(content, templates, check_workbook(workbook, content, today))


@contextmanager
def _owned_target(
    output_root: Path,
    folder: str,
    cycle: str,
    protected: dict[str, Path],
    replaced: frozenset[str] | None,
    written_by_us: dict[str, set[str]],
) -> Iterator[None]:
    """Hold the cycle folder's lock for the run, stop cleanly on SIGTERM/SIGHUP, put
    back what killed runs left missing, and refuse unless the folder is ours to replace
    (before anything is written)."""
    with stop_on_termination(), CycleLock(output_root, folder):
        _recover(output_root, folder)
        ensure_replaceable(
            output_root / folder,
            cycle,
            protected,
            None if replaced is None else sorted(replaced),
            written_by_us,
        )
        yield


def restore_after_killed_runs(output_root: Path, own: str | None = None) -> list[Path]:
    """Put back cycle folders a killed run left missing and remove what killed runs left
    (any cycle in `output_root`); the folders restored."""
    try:
        return recover(output_root, own)
    except OSError as exc:
        raise OutputError(
            f"kan de uitvoermap '{output_root}' niet opruimen na een afgebroken run: "
            f"{describe_os_error(exc)}"
        ) from None


def _recover(output_root: Path, folder: str) -> None:
    """Tidy up after killed runs; the archive must be a real folder (following a link
    would write personal data elsewhere)."""
    restore_after_killed_runs(output_root, folder)
    archive = output_root / ARCHIVE_DIR
    if archive.is_symlink() or (archive.exists() and not archive.is_dir()):
        raise OutputError(
            f"'{archive}' is geen gewone map (maar een snelkoppeling of een bestand); het "
            "archief met persoonsgegevens komt alleen in een echte map. Vervang het door "
            "een map of kies met --uitvoer een andere uitvoermap. Er is niets geschreven."
        )


def _protected(workbook: Path, templates_dir: Path, cycle: Cycle) -> dict[str, Path]:
    """What the run reads and must never remove, by its Dutch description."""
    protected = {"het werkboek": workbook, "de map met sjablonen": templates_dir}
    if cycle.organisation.handtekening:
        protected["de handtekening"] = cycle.organisation.handtekening
    return protected


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
    print_bundles: bool = False,
    mail: bool = False,
    only_changes: bool = False,
    pdf: PdfOptions = NO_PDF,
    archive_docx: bool = False,
    duplex: bool = False,
    stages: Recorder | None = None,
) -> RunResult:
    """Generate every document of `kinds`; raises an IntervisieError before writing
    anything when the templates or the workbook are not valid, or when PDFs are asked
    for and LibreOffice is missing. `archive_docx` archives the syllabi's .docx next to
    their PDF/A. `duplex` makes the print bundles' PDFs for double-sided printing (every
    letter starts on a front page), so it makes those PDFs. `stages` (pipeline.stages)
    receives the wall and CPU seconds of every step; none: nothing is measured."""
    plan = RunPlan.from_options(
        kinds,
        print_bundles=print_bundles,
        mail=mail,
        only_changes=only_changes,
        pdf_kinds=pdf.kinds,
        archive_docx=archive_docx,
        duplex=duplex,
    )
    program = require_soffice() if plan.pdf_kinds else None
    with timed(stages, step.CHECK):
        inputs = _check(workbook, templates_dir, today, plan)
    cycle = inputs.cycle
    org = cycle.organisation
    folder = cycle_folder(org.cyclus)
    signature = SignatureImage(org.handtekening) if org.handtekening else None
    protected = _protected(workbook, templates_dir, cycle)
    with timed(stages, step.REGISTER):
        state = cycles.read(output_root, org.cyclus)
    guard = _owned_target(output_root, folder, org.cyclus, protected, plan.replaced, state.written)
    with ExitStack() as stack:
        with timed(stages, step.PUBLISH):  # the lock, and whether the folder may be replaced
            stack.enter_context(guard)
            staged = stack.enter_context(StagedOutput(output_root, folder))
        renderer = Renderer(inputs.templates, signature)
        run = Run(
            plan,
            inputs,
            staged,
            PlannedDocuments(
                org.cyclus,
                org.gemeente,
                document_date(cycle),
                typed=state.known or (staged.target / MANIFEST_JSON).exists(),
                keep_props=bool(plan.pdf_kinds),
            ),
            renderer,
            workers if workers is not None else default_workers(),
            Mailing(cycle, inputs.content, staged, renderer),
            state,
            today,
        )
        where = _Where(workbook, templates_dir, output_root)
        archive = _steps(run, program, pdf, where, stages, progress, on_plan)
    return run.result(archive)


@dataclass(frozen=True)
class _Where:
    workbook: Path
    templates_dir: Path
    output_root: Path


def _steps(
    run: Run,
    program: str | None,
    pdf: PdfOptions,
    where: _Where,
    stages: Recorder | None,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> ArchiveResult | None:
    """The run's steps in order, each timed when `stages` asks for it."""
    with timed(stages, step.REGISTER):  # the register's memory: dates, what changed
        run.prepare()
    run.render(progress, on_plan, stages)
    with timed(stages, step.COMPARE):
        run.compare()
    with timed(stages, step.CALENDAR):
        run.calendar_files()
    with timed(stages, step.CANCEL):
        run.cancel()
    with timed(stages, step.BUNDLE):
        run.bundle()
    with timed(stages, step.PDF):
        run.pdf(program, pdf)
    with timed(stages, step.MAIL):
        run.mail()
    with timed(stages, step.RECORD):
        run.record(where.workbook, where.templates_dir)
    with timed(stages, step.REGISTER):
        run.register(where.output_root, where.workbook)
    with timed(stages, step.PUBLISH):
        run.staged.publish()
    with timed(stages, step.ARCHIVE):
        return run.archive(where.output_root)


__all__ = ["PdfOptions", "RunResult", "check", "generate", "restore_after_killed_runs"]
