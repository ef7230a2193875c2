"""One batch run: check, plan, render, write (staged), manifest and archive."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from pipeline import __version__
from pipeline.archive.write import ArchiveResult, CycleRecord, archive_syllabi
from pipeline.content.themes import Content, load_content
from pipeline.documents import dutch
from pipeline.documents.matters import what_matters
from pipeline.documents.plan import (
    ALL_KINDS,
    DocumentJob,
    Kind,
    count_documents,
    document_date,
    iter_documents,
)
from pipeline.errors import OutputError, Problem, describe_os_error
from pipeline.files import inside
from pipeline.identity import BookingKey, id_key
from pipeline.mail.calendar import Event
from pipeline.mail.mailing import (
    AGENDA_KIND,
    INVITATION_KINDS,
    Mailing,
    letter_paths,
)
from pipeline.model import Cycle, Organisation, SignatureImage
from pipeline.pdf.convert import Bundle, PdfJob, convert_to_pdf, pdf_relpath, pdf_soort
from pipeline.pdf.soffice import require_soffice
from pipeline.publish.folders import ARCHIVE_DIR, cycle_folder
from pipeline.publish.lock import CycleLock
from pipeline.publish.manifest import (
    ManifestRow,
    manifest_csv,
    manifest_json,
    sha256_bytes,
    sha256_file,
)
from pipeline.publish.ownership import ensure_replaceable
from pipeline.publish.staging import StagedOutput, recover, stop_on_termination
from pipeline.register import cycles, legacy_log, migrate
from pipeline.register.changes import (
    Change,
    ContentHasher,
    changes_csv,
    compare,
    key,
    manifest_extra,
    read_previous,
)
from pipeline.render.batch import Progress, Renderer, Task, default_workers, render_all
from pipeline.render.bundle import (
    BUNDLE_FOLDER,
    BUNDLE_KIND,
    BY_POST,
    INTERNAL,
    LETTERS_KEY,
    bundle_invitations,
    letter_routes,
)
from pipeline.render.check import ensure_templates
from pipeline.render.prepared import CoreProperties
from pipeline.workbook.check import CheckResult, check_workbook

MANIFEST_CSV = PurePosixPath("manifest.csv")
# Manifest order: the four kinds, then the print bundles.
_ORDER = {**{kind.value: i for i, kind in enumerate(ALL_KINDS)}, BUNDLE_KIND: len(ALL_KINDS)}
MANIFEST_JSON = PurePosixPath("manifest.json")
CHANGES_CSV = PurePosixPath("wijzigingen.csv")


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
    letter_date: dt.date | None = None


def check(workbook: Path, templates_dir: Path, today: dt.date) -> tuple[Content, CheckResult]:
    content = load_content(templates_dir)
    return content, check_workbook(workbook, content, today)


def _properties(job: DocumentJob, organisation: str, cycle: str, created: str) -> CoreProperties:
    return CoreProperties(
        job.title,
        f"{job.kind.value} - {cycle}",
        organisation,
        f"intervisie; {job.kind.value}; {cycle}",
        created,
    )


class _Ledger:
    """What the run must remember of each document once it is rendered: the manifest row
    (without its hash yet) and, for letters, whether they go by internal post."""

    def __init__(self) -> None:
        self.rows: list[ManifestRow] = []  # sha256 filled in once rendered
        self.props: list[CoreProperties] = []  # for the PDFs' metadata
        self.internal: list[str] = []
        self.internal_paths: set[str] = set()
        self.content_hash = ContentHasher()  # what the reader sees, for changes.py

    def tasks(
        self, jobs: Iterable[DocumentJob], organisation: str, cycle: str, created: str
    ) -> Iterator[Task]:
        for job in jobs:
            self.rows.append(
                ManifestRow(
                    job.kind.value,
                    job.sessie or "",
                    job.personeelsnummer or "",
                    job.relpath.as_posix(),
                    sha256="",
                    inhoud=self.content_hash(job.context, what_matters(job.kind)),
                )
            )
            props = _properties(job, organisation, cycle, created)
            self.props.append(props)
            if job.kind is Kind.UITNODIGING and not job.context["ontvanger"]["per_post"]:
                self.internal.append(f"{job.context['ontvanger']['naam']} ({job.sessie})")
                self.internal_paths.add(job.relpath.as_posix())
            yield Task(job.kind, job.relpath, job.context, props)

    def manifest_rows(self, digests: Sequence[str]) -> list[ManifestRow]:
        return [replace(row, sha256=digest) for row, digest in zip(self.rows, digests, strict=True)]


def _bundles(
    staged: StagedOutput,
    letters: Sequence[ManifestRow],
    ledger: _Ledger,
    organisation: Organisation,
    cycle: Cycle,
) -> list[ManifestRow]:
    rows = []
    for relpath, data in bundle_invitations(
        staged.staging,
        letters,
        ledger.internal_paths,
        organisation.cyclus,
        organisation.gemeente,
        document_date(cycle),
    ):
        staged.write(PurePosixPath(relpath), data)
        rows.append(ManifestRow(BUNDLE_KIND, "", "", relpath, sha256_bytes(data)))
    return rows


def _pdfs(
    program: str,
    staged: StagedOutput,
    written: Sequence[ManifestRow],
    bundled: Sequence[ManifestRow],
    ledger: _Ledger,
    pdf_kinds: Sequence[str],
    cycle: Cycle,
    options: PdfOptions,
) -> list[ManifestRow]:
    """The PDF of every document of `pdf_kinds` beside it, and of the print bundles (made
    of the PDFs of `bundled`, the bundles' letters in their order)."""
    organisation = cycle.organisation
    created = document_date(cycle).strftime("%Y-%m-%dT%H:%M:%SZ")
    props = dict(zip((row.pad for row in ledger.rows), ledger.props, strict=True))

    def properties(row: ManifestRow) -> CoreProperties:
        if row.pad in props:
            return props[row.pad]
        # A cancellation letter, rendered by the mailing step.
        return CoreProperties(
            PurePosixPath(row.pad).stem,
            f"{row.soort} - {organisation.cyclus}",
            organisation.gemeente,
            f"intervisie; {row.soort}; {organisation.cyclus}",
            created,
        )

    members = {row.pad for row in bundled}

    def group(row: ManifestRow) -> str:  # the letters of one bundle convert together
        if row.pad not in members:
            return row.soort
        return INTERNAL[0] if row.pad in ledger.internal_paths else BY_POST[0]

    wanted = set(pdf_kinds) - {BUNDLE_KIND}  # bundles are made of their letters' PDFs
    if Kind.UITNODIGING.value in wanted:  # e-mail attaches cancellation letters too
        wanted.add(Kind.AFZEGGING.value)
    sources = [
        row
        for row in written
        if row.pad.endswith(".docx") and (row.soort in wanted or row.pad in members)
    ]
    letters = {Kind.UITNODIGING.value, Kind.AFZEGGING.value}  # tagged, for screen readers
    jobs = [
        PdfJob(PurePosixPath(row.pad), properties(row), group(row), row.soort in letters)
        for row in sources
    ]
    bundles = []
    if BUNDLE_KIND in pdf_kinds:
        for stem, route in (BY_POST, INTERNAL):
            relpath = PurePosixPath(f"{BUNDLE_FOLDER}/{stem}.pdf")
            in_bundle = [row for row in bundled if group(row) == stem]
            if in_bundle:
                title = f"Uitnodigingen {route} - {organisation.cyclus}"
                bundle_props = CoreProperties(
                    title,
                    f"{BUNDLE_KIND} - {organisation.cyclus}",
                    organisation.gemeente,
                    f"intervisie; {BUNDLE_KIND}; {organisation.cyclus}",
                    document_date(cycle).strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
                bundles.append(Bundle(stem, relpath, bundle_props, options.duplex))
    if options.on_plan:
        options.on_plan(len(jobs))
    digests, bundle_digests = convert_to_pdf(
        program,
        staged.staging,
        jobs,
        bundles,
        document_date(cycle),
        instances=options.instances or default_workers(),
        timeout=options.timeout,
        progress=options.progress,
    )
    rows = [
        replace(
            row,
            soort=pdf_soort(row.soort),
            pad=pdf_relpath(PurePosixPath(row.pad)).as_posix(),
            sha256=digest,
        )
        for row, digest in zip(sources, digests, strict=True)
    ]
    rows += [
        ManifestRow(pdf_soort(BUNDLE_KIND), "", "", relpath.as_posix(), digest)
        for relpath, digest in bundle_digests
    ]
    return rows


@dataclass(frozen=True)
class PdfOptions:
    """How `generate` makes PDFs: which soorten (empty: none) and how."""

    kinds: tuple[str, ...] = ()
    timeout: float | None = None  # per soffice call; None: by the number of documents
    instances: int | None = None  # soffice processes at once; None: one per core (max 4)
    on_plan: Callable[[int], None] | None = None
    progress: Progress | None = None
    duplex: bool = False  # print bundles for double-sided printing


def _keep_other_kinds(staged: StagedOutput, wanted: Sequence[Kind]) -> list[ManifestRow]:
    """A run limited with --soort replaces only those kinds: carry the rest over from the
    previous output, every file its manifest lists that is still there (a file HR edited
    since is kept as it is now, with its new sha256)."""
    previous = staged.target / MANIFEST_JSON.name
    if len(wanted) == len(ALL_KINDS) or not previous.is_file():
        return []
    try:
        listed = json.loads(previous.read_text(encoding="utf-8"))["documenten"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # an unreadable old manifest: nothing can be carried over safely
    names = {k.value for k in wanted}
    if Kind.UITNODIGING in wanted:  # new letters make the old bundles, mail, calendar stale
        names.update((BUNDLE_KIND, *INVITATION_KINDS))
    names |= {pdf_soort(name) for name in names}  # and their PDFs with them
    kept = []
    for entry in listed:
        try:
            row = ManifestRow(**entry)
            source = inside(staged.target, PurePosixPath(row.pad))
        except (TypeError, ValueError, OSError):
            continue
        if row.soort in names or not source.is_file():
            continue
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise OutputError(
                f"kan '{row.pad}' uit de vorige run niet overnemen: {describe_os_error(exc)}"
            ) from None
        staged.write(PurePosixPath(row.pad), data)
        kept.append(replace(row, sha256=sha256_bytes(data)))
    return kept


@contextmanager
def _owned_target(
    output_root: Path,
    folder: str,
    cycle: str,
    protected: dict[str, Path],
    replaced: list[str] | None,
    written_by_us: dict[str, set[str]],
) -> Iterator[None]:
    """Hold the cycle folder's lock for the run, stop cleanly on SIGTERM/SIGHUP, put
    back what killed runs left missing, and refuse unless the folder is ours to replace
    (before anything is written)."""
    with stop_on_termination(), CycleLock(output_root, folder):
        _recover(output_root, folder)
        ensure_replaceable(output_root / folder, cycle, protected, replaced, written_by_us)
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
    pdf: PdfOptions = PdfOptions(),
    archive_docx: bool = False,
    duplex: bool = False,
) -> RunResult:
    """Generate every document of `kinds`; raises an IntervisieError before writing
    anything when the templates or the workbook are not valid, or when PDFs are asked
    for and LibreOffice is missing. `archive_docx` archives the syllabi's .docx next to
    their PDF/A. `duplex` makes the print bundles' PDFs for double-sided printing (every
    letter starts on a front page), so it makes those PDFs."""
    if duplex:
        kinds_of_pdf = pdf.kinds if BUNDLE_KIND in pdf.kinds else (*pdf.kinds, BUNDLE_KIND)
        pdf = replace(pdf, kinds=kinds_of_pdf, duplex=True)
    program = require_soffice() if pdf.kinds else None
    if BUNDLE_KIND in pdf.kinds:
        print_bundles = True
    content = load_content(templates_dir)
    wanted = tuple(k for k in ALL_KINDS if k in kinds)
    letters_too = (Kind.AFZEGGING,) if Kind.UITNODIGING in wanted else ()
    templates = ensure_templates(templates_dir, content, wanted + letters_too)
    checked = check_workbook(workbook, content, today)
    cycle = checked.cycle
    organisation = cycle.organisation
    total = count_documents(cycle, wanted)
    signature = SignatureImage(organisation.handtekening) if organisation.handtekening else None
    created = document_date(cycle).strftime("%Y-%m-%dT%H:%M:%SZ")
    ledger = _Ledger()
    tasks = ledger.tasks(
        iter_documents(cycle, content, wanted), organisation.gemeente, organisation.cyclus, created
    )
    folder = cycle_folder(organisation.cyclus)
    replaced = None if len(wanted) == len(ALL_KINDS) else [k.value for k in wanted]
    if replaced is not None and Kind.UITNODIGING in wanted:
        replaced.append(BUNDLE_KIND)  # new letters make the old print bundles stale
    if replaced is not None:
        replaced += [pdf_soort(name) for name in replaced]  # and their PDFs with them
    protected = {"het werkboek": workbook, "de map met sjablonen": templates_dir}
    if organisation.handtekening:
        protected["de handtekening"] = organisation.handtekening
    state = cycles.read(output_root, organisation.cyclus)
    guard = _owned_target(
        output_root, folder, organisation.cyclus, protected, replaced, state.written
    )
    with guard, StagedOutput(output_root, folder) as staged:
        if on_plan:
            on_plan(total)
        renderer = Renderer(templates, signature)
        pool_size = workers if workers is not None else default_workers()
        digests = render_all(tasks, total, staged, renderer, progress, pool_size)
        written = ledger.manifest_rows(digests)
        taken_over = None
        if not state.known:  # first run with the register: take over the folder's history
            taken_over = migrate.first_use(
                state, staged.target, read_previous(staged.target / MANIFEST_JSON.name)
            )
        previous = state.previous
        mailing = Mailing(cycle, content, staged, renderer)
        mailing.uids = state.uids
        planned = mailing.plan_calendar(r for r in written if r.soort == Kind.UITNODIGING.value)
        if taken_over is not None:
            previous = migrate.adopt_legacy_calendar(
                previous,
                [(p.row, p.event.fingerprint()) for p in planned],
                [r for r in written if r.soort == Kind.UITNODIGING.value],
            )
        kinds_made = {k.value for k in wanted} | ({AGENDA_KIND} if letters_too else set())
        comparison = compare(previous, written + [p.row for p in planned], kinds_made)
        versions = {key(r): r for r in comparison.rows}
        written = [versions[key(r)] for r in written]
        calendar_rows = mailing.write_calendar(planned, versions, pool_size)
        cancel_rows: list[ManifestRow] = []
        cancelled: list[tuple[ManifestRow, ManifestRow | None, Event]] = []
        if letters_too:  # a --soort run without invitations cancels nothing
            comparison, cancel_rows, cancelled = mailing.cancellations(comparison)
        written += calendar_rows + cancel_rows
        invitations = [r for r in written if r.soort == Kind.UITNODIGING.value]
        cancel_letters = [r for r in cancel_rows if r.soort == Kind.AFZEGGING.value]
        if only_changes:  # only what must go out again: changed, new and cancelled
            fresh = {(s, n) for (_, s, n) in comparison.changed(Kind.UITNODIGING.value)}
            fresh |= {(s, n) for (_, s, n) in comparison.changed(AGENDA_KIND)}
            invitations = [r for r in invitations if key(r)[1:] in fresh]
            calendar_rows = [r for r in calendar_rows if key(r)[1:] in fresh]
        for row in cancel_letters:  # the invitations' routes are known since rendering
            if mailing.by_key[id_key(row.personeelsnummer)].postadres is None:
                ledger.internal_paths.add(row.pad)
        bundled: list[ManifestRow] = []  # the letters in the print bundles, in order
        if print_bundles and Kind.UITNODIGING in wanted:
            letters = invitations + cancel_letters
            if letters:
                written += _bundles(staged, letters, ledger, organisation, cycle)
                bundled = letters
        if program is not None:  # before the e-mails: they attach the letters' PDFs
            written += _pdfs(program, staged, written, bundled, ledger, pdf.kinds, cycle, pdf)
        messages: list[cycles.OutboxMessage] = []
        if mail and Kind.UITNODIGING in wanted:
            invitation_mails = mailing.invitation_mails(calendar_rows, letter_paths(written))
            cancel_mails = mailing.cancellation_mails(cancelled)
            written += invitation_mails + cancel_mails
            messages = cycles.run_messages(
                staged.staging,
                list(zip(invitation_mails, calendar_rows, strict=True)),
                [(m, ics) for m, (ics, _, _) in zip(cancel_mails, cancelled, strict=True)],
            )
        kept = _keep_other_kinds(staged, wanted)
        rows = tuple(sorted(written + kept, key=lambda r: _ORDER.get(r.soort, len(_ORDER))))
        used = [templates_dir / k.template for k in wanted] + list(content.files)
        staged.write(MANIFEST_CSV, manifest_csv(rows))
        names = {p.personeelsnummer: dutch.full_name(p) for p in cycle.people}
        report = comparison.changes_among(rows)
        staged.write(CHANGES_CSV, changes_csv(report, names))
        staged.write(
            MANIFEST_JSON,
            manifest_json(
                version=__version__,
                cycle=organisation.cyclus,
                workbook=workbook,
                workbook_sha256=sha256_file(workbook),
                templates=[(p.relative_to(templates_dir).as_posix(), sha256_file(p)) for p in used],
                warnings=[str(w) for w in checked.warnings if not w.depends_on_today],
                counts=dict(Counter(row.soort for row in rows)),
                rows=rows,
                extra=manifest_extra(comparison)
                | {LETTERS_KEY: letter_routes(written, ledger.internal_paths, bundled)},
            ),
        )
        redated = cycles.redated_letters(
            state, comparison, document_date(cycle), Kind.UITNODIGING.value
        )
        cycles.record_run(
            output_root,
            state,
            cycles.RunRecord(
                organisation.cyclus,
                folder,
                document_date(cycle),
                sha256_file(workbook),
                comparison,
                frozenset(kinds_made),
                (taken_over.written if taken_over else []) + written,
                {
                    BookingKey.of(p.row.sessie, p.row.personeelsnummer): (
                        p.event.uid,
                        versions[key(p.row)].versie,
                    )
                    for p in planned
                },
                (taken_over.messages if taken_over else []) + messages,
                legacy_log.old_ledger(output_root, folder) if taken_over else None,
            ),
        )
        staged.publish()
    record = CycleRecord(organisation.cyclus, folder, organisation.gemeente)
    archive = archive_syllabi(
        staged.target, output_root, folder, rows, record, with_docx=archive_docx
    )
    return RunResult(
        staged.target,
        dict(Counter(row.soort for row in written)),
        dict(Counter(row.soort for row in kept)),
        checked.warnings,
        tuple(ledger.internal),
        archive,
        rows,
        tuple(report),
        comparison.version,
        tuple(mailing.warnings),
        redated,
        document_date(cycle),
    )


__all__ = ["PdfOptions", "RunResult", "check", "generate", "restore_after_killed_runs"]
