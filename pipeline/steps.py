"""The steps of one run and the state they carry from step to step (pipeline/run.py calls
them in order): prepare (the previous version, letter dates) -> render (plan and fill in)
-> compare (with the register's memory of the cycle) -> calendar -> cancel -> bundle ->
pdf -> mail -> record (manifest files) -> register (one transaction) -> archive. Each step
is a few lines that call the module of its stage.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from pipeline import stages as step
from pipeline.archive.mdto import Cycle as ArchivedCycle
from pipeline.archive.write import ArchiveResult, archive_syllabi
from pipeline.content.themes import Content
from pipeline.documents import dutch
from pipeline.documents.plan import count_documents, iter_documents
from pipeline.errors import Problem
from pipeline.identity import BookingKey, id_key
from pipeline.kinds import AGENDA, Kind
from pipeline.mail.mailing import Cancellation, Mailing, Planned, letter_paths
from pipeline.model import Cycle
from pipeline.pdf.documents import PdfOptions, make_pdfs
from pipeline.publish.manifest import ManifestRow, sha256_bytes, sha256_file
from pipeline.publish.record import RunInputs, carry_over, write_records
from pipeline.publish.staging import StagedOutput
from pipeline.register import cycles, legacy_log, migrate
from pipeline.register.changes import (
    Change,
    Comparison,
    Previous,
    compare_run,
    key,
    only_changed,
    read_previous,
)
from pipeline.register.letters import LetterDates
from pipeline.render.batch import Progress, Renderer, Task, render_all
from pipeline.render.bundle import letter_routes, write_bundles
from pipeline.render.prepared import PreparedTemplate
from pipeline.render.tasks import PlannedDocuments
from pipeline.runplan import RunPlan
from pipeline.stages import Recorder, Split
from pipeline.workbook.check import CheckResult


@dataclass(frozen=True)
class RunResult:
    target: Path
    counts: dict[str, int]  # documents written by this run, per kind
    kept: dict[str, int]  # documents of other kinds kept from the previous run (--soort)
    warnings: tuple[Problem, ...]
    internal_delivery: tuple[str, ...]  # "name (sessie)" of invitations sent by internal post
    archive: ArchiveResult | None
    rows: tuple[ManifestRow, ...]  # every file in the manifest, kept ones included
    changes: tuple[Change, ...] = ()  # since the previous version of the cycle
    cycle_version: int = 0
    notes: tuple[str, ...] = ()  # Dutch remarks of the mail step (a cancellation not made)
    redated: int = 0  # unchanged invitations that get a new letter date in this run
    letter_date: dt.date | None = None  # the date of this cycle version's letters
    # Why the version's letters carry that date (Dutch, for the summary).
    letter_date_reason: str = ""


@dataclass(frozen=True)
class Checked:
    content: Content
    templates: Mapping[Kind, PreparedTemplate]
    checked: CheckResult

    @property
    def cycle(self) -> Cycle:
        return self.checked.cycle


@dataclass
class Run:
    """The state one run carries from step to step inside the staging folder."""

    plan: RunPlan
    inputs: Checked
    staged: StagedOutput
    planned: PlannedDocuments
    renderer: Renderer
    workers: int
    mailing: Mailing
    state: cycles.CycleState  # the register's memory of the cycle
    today: dt.date
    dates: LetterDates | None = None  # the letter date of each version (prepare)
    redated: int = 0  # letters of the newest version dated anew (a new briefdatum alone)
    previous: Previous | None = None  # the previous manifest (what --soort carries over)
    taken_over: migrate.TakenOver | None = None  # the first run with the register
    written: list[ManifestRow] = field(default_factory=list)  # this run's files
    comparison: Comparison = field(default_factory=lambda: Comparison(0, (), ()))
    events: list[Planned] = field(default_factory=list)  # one per invitation, until written
    calendar: list[ManifestRow] = field(default_factory=list)  # .ics of the invitations
    event_uids: list[str] = field(default_factory=list)  # the UID of each calendar file
    cancelled: list[Cancellation] = field(default_factory=list)
    bundled: list[ManifestRow] = field(default_factory=list)  # letters in the bundles
    kept: list[ManifestRow] = field(default_factory=list)  # carried over (--soort)
    rows: tuple[ManifestRow, ...] = ()  # the manifest: written and kept, in order
    report: list[Change] = field(default_factory=list)
    messages: list[cycles.OutboxMessage] = field(default_factory=list)  # the outbox
    routes: dict[str, dict[str, object]] = field(default_factory=dict)  # per letter path

    def prepare(self) -> None:
        """What the documents need from before the run: the previous version (the
        register's; the first run with the register takes over the folder's history: its
        manifest, calendar UIDs, outbox), and from it each letter's date and what a
        changed invitation replaces."""
        self.previous = read_previous(self.staged.target)
        if not self.state.known:
            self.taken_over = migrate.first_use(self.state, self.staged.target, self.previous)
        self.dates = LetterDates(self.state, self.state.previous, self.inputs.cycle, self.today)
        self.planned.dating = self.dates.dated_job
        self.mailing.letter_dates = self.dates

    def render(
        self,
        progress: Progress | None,
        on_plan: Callable[[int], None] | None,
        stages: Recorder | None,
    ) -> None:
        """Plan and render, interleaved: with `stages`, the time the plan took in this
        process is recorded as its own step and left out of the render step."""
        wall, cpu = time.perf_counter(), step.cpu_seconds()
        cycle, kinds = self.inputs.cycle, self.plan.kinds
        total = count_documents(cycle, kinds)
        if on_plan:
            on_plan(total)
        tasks = self.planned.tasks(iter_documents(cycle, self.inputs.content, kinds))
        split = Split()
        if stages is not None:
            tasks = split.measure(tasks)
        digests = render_all(tasks, total, self.staged, self.renderer, progress, self.workers)
        self.written = self.planned.manifest_rows(digests)
        if stages is not None:
            stages.add(step.PLAN, split.seconds, split.cpu_seconds)
            stages.add(
                step.RENDER,
                time.perf_counter() - wall - split.seconds,
                step.cpu_seconds() - cpu - split.cpu_seconds,
            )

    def compare(self) -> None:
        """Versions from the register (or the folder's history it took over)."""
        self.mailing.uids = self.state.uids
        invitations = [r for r in self.written if r.soort == Kind.UITNODIGING.value]
        typed = self.planned.typed
        self.events = self.mailing.plan_calendar(invitations, typed)
        # What the register holds from before ids were compared by identity.py.
        before = self.state.previous
        if before is not None:  # (a first run has nothing to adopt)
            before = self.state.previous = migrate.adopt_typed_hashes(
                before,
                [(r, typed.get(r.pad, "")) for r in self.written]
                + [(e.row, e.typed) for e in self.events],
            )
        if self.taken_over is not None:
            before = migrate.adopt_legacy_calendar(
                before, [(e.row, e.event.fingerprint()) for e in self.events], invitations
            )
        self.comparison, self.written = compare_run(
            before, self.written, [e.row for e in self.events], self.plan.compared
        )
        self._redate()

    def _redate(self) -> None:
        """A new briefdatum in a run that changed nothing else dates the newest version's
        invitations anew: render those again (the rare case; in the main process)."""
        if self.dates is None:
            return
        again = self.dates.settle(self.comparison)
        if not again:
            return
        cycle, content = self.inputs.cycle, self.inputs.content
        rows = {
            BookingKey.of(r.sessie, r.personeelsnummer): i
            for i, r in enumerate(self.written)
            if r.soort == Kind.UITNODIGING.value
        }
        for job in iter_documents(cycle, content, (Kind.UITNODIGING,)):
            booking = BookingKey.of(job.sessie or "", job.personeelsnummer or "")
            if booking not in again:
                continue
            dated = self.dates.redate(booking, bool(job.context["ontvanger"]["formeel"]))
            job = LetterDates.with_date(job, dated)
            row = self.written[rows[booking]]
            relpath = PurePosixPath(row.pad)
            props = self.planned.properties(
                job.kind.value, job.title, self.dates.moment(dated.version)
            )
            if self.planned.keep_props:
                self.planned.props[row.pad] = props
            task = Task(job.kind, relpath, job.context, props)
            data = self.renderer.render(task)
            self.staged.write(relpath, data)
            self.written[rows[booking]] = replace(row, sha256=sha256_bytes(data))
        self.redated = len(again)

    def calendar_files(self) -> None:
        versions = self.comparison.versions_of(AGENDA.value)
        self.calendar = self.mailing.write_calendar(self.events, versions, self.workers)
        self.written += self.calendar
        # Later steps need only each event's UID (the register): let the events go.
        self.event_uids = [planned.event.uid for planned in self.events]
        self.events = []

    def cancel(self) -> None:
        if not self.plan.cancellations:
            return
        self.comparison, rows, self.cancelled = self.mailing.cancellations(self.comparison)
        for _, letter, _ in self.cancelled:
            if letter is not None:
                person = self.mailing.by_key[id_key(letter.personeelsnummer)]
                props = self.mailing.letter_props[letter.pad]
                self.planned.add_letter(letter, props, person.postadres is not None)
        self.written += rows

    def _outgoing(self) -> tuple[list[ManifestRow], list[ManifestRow]]:
        """The invitations and their calendar files that go out: with
        --alleen-wijzigingen only what changed in this cycle version."""
        invitations = [r for r in self.written if r.soort == Kind.UITNODIGING.value]
        if not self.plan.only_changes:
            return invitations, self.calendar
        soorten = (Kind.UITNODIGING.value, AGENDA.value)
        return (
            only_changed(self.comparison, invitations, soorten),
            only_changed(self.comparison, self.calendar, soorten),
        )

    def bundle(self) -> None:
        if not self.plan.bundles:
            return
        invitations, _ = self._outgoing()
        letters = invitations + [letter for _, letter, _ in self.cancelled if letter is not None]
        if letters:
            self.written += write_bundles(self.staged, letters, self.planned)
            self.bundled = letters

    def pdf(self, program: str | None, options: PdfOptions) -> None:
        if program is None:  # before the e-mails: they attach the letters' PDFs
            return
        self.written += make_pdfs(
            program,
            self.staged.staging,
            self.written,
            self.bundled,
            self.planned,
            self.plan,
            options,
        )

    def mail(self) -> None:
        if not self.plan.mails:
            return
        _, calendar = self._outgoing()
        invitations = self.mailing.invitation_mails(calendar, letter_paths(self.written))
        cancellations = self.mailing.cancellation_mails(self.cancelled)
        self.written += invitations + cancellations
        self.messages = cycles.run_messages(
            self.staged.staging,
            list(zip(invitations, calendar, strict=True)),
            [(m, ics) for m, (ics, _, _) in zip(cancellations, self.cancelled, strict=True)],
        )

    def record(self, workbook: Path, templates_dir: Path) -> None:
        self.kept = carry_over(self.staged, self.previous.rows if self.previous else (), self.plan)
        cycle, content = self.inputs.cycle, self.inputs.content
        inputs = RunInputs(
            cycle.organisation.cyclus,
            workbook,
            templates_dir,
            [templates_dir / k.template for k in self.plan.kinds] + list(content.files),
            [str(w) for w in self.inputs.checked.warnings if not w.depends_on_today],
        )
        names = {p.personeelsnummer: dutch.full_name(p) for p in cycle.people}
        self.routes = letter_routes(self.written, self.planned.internal_paths, self.bundled)
        self.rows, self.report = write_records(
            self.staged, self.written + self.kept, self.comparison, names, inputs, self.routes
        )

    def _letter_routes(self) -> dict[tuple[str, BookingKey], tuple[str, bool]] | None:
        """Per letter this run made, (soort, booking): its route for the register; None
        when the run made no letters (they are carried over with their routes)."""
        if not self.plan.invitations:
            return None
        return {
            (row.soort, BookingKey.of(row.sessie, row.personeelsnummer)): (
                str(route["bezorging"]),
                bool(route["afdrukbestand"]),
            )
            for row in self.written
            if (route := self.routes.get(row.pad)) is not None
        }

    def register(self, output_root: Path, workbook: Path) -> None:
        """Record the run in the register, in one transaction, just before publishing."""
        if self.dates is None:
            raise RuntimeError("prepare() comes first")
        letter_date = self.dates.date_of(self.comparison.version)
        taken_over = self.taken_over
        org = self.inputs.cycle.organisation
        cycles.record_run(
            output_root,
            self.state,
            cycles.RunRecord(
                org.cyclus,
                self.staged.folder,
                letter_date,
                sha256_file(workbook),
                self.comparison,
                frozenset(self.plan.compared),
                (taken_over.written if taken_over else []) + self.written,
                self._sequences(),
                (taken_over.messages if taken_over else []) + self.messages,
                legacy_log.old_ledger(output_root, self.staged.folder) if taken_over else None,
                self.dates.briefdatum_of(self.comparison),
                self.dates.recorded(),
                self._letter_routes(),
            ),
        )

    def _sequences(self) -> dict[BookingKey, tuple[str, int]]:
        """Per booking with a calendar file its UID and SEQUENCE (its version)."""
        versions = self.comparison.versions_of(AGENDA.value)
        return {
            BookingKey.of(row.sessie, row.personeelsnummer): (uid, versions[key(row)].versie)
            for row, uid in zip(self.calendar, self.event_uids, strict=True)
        }

    def archive(self, output_root: Path) -> ArchiveResult | None:
        org = self.inputs.cycle.organisation
        record = ArchivedCycle(org.cyclus, self.staged.folder, org.gemeente)
        return archive_syllabi(
            self.staged.target,
            output_root,
            self.staged.folder,
            self.rows,
            record,
            with_docx=self.plan.archive_docx,
            workers=self.workers,
        )

    def result(self, archive: ArchiveResult | None) -> RunResult:
        dates = self.dates
        return RunResult(
            self.staged.target,
            dict(Counter(row.soort for row in self.written)),
            dict(Counter(row.soort for row in self.kept)),
            self.inputs.checked.warnings,
            tuple(self.planned.internal),
            archive,
            self.rows,
            tuple(self.report),
            self.comparison.version,
            tuple(self.mailing.warnings),
            self.redated,
            dates.date_of(self.comparison.version) if dates else None,
            dates.reason(self.comparison.version) if dates else "",
        )


__all__ = ["Checked", "Run", "RunResult"]
