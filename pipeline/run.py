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
from pipeline.documents.plan import DocumentJob, count_documents, document_date, iter_documents
from pipeline.errors import OutputError, Problem, describe_os_error
from pipeline.files import inside
from pipeline.kinds import (
    AGENDA,
    ALL_KINDS,
    BUNDLE,
    BY_POST,
    INTERNAL,
    WITH_INVITATIONS,
    Kind,
    core_properties,
    manifest_order,
    pdf_soort,
    utc,
    with_pdfs,
)
from pipeline.mail.calendar import Event
from pipeline.mail.mailing import Mailing, letter_paths
from pipeline.model import Cycle, Organisation, SignatureImage
from pipeline.pdf.convert import Bundle, PdfJob, convert_to_pdf, pdf_relpath
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
from pipeline.register.changes import (
    Change,
    ContentHasher,
    changes_csv,
    compare,
    manifest_extra,
    read_previous,
)
from pipeline.render.batch import Progress, Renderer, Task, default_workers, render_all
from pipeline.render.bundle import bundle_invitations
from pipeline.render.check import ensure_templates
from pipeline.render.prepared import CoreProperties
from pipeline.workbook.check import CheckResult, check_workbook

MANIFEST_CSV = PurePosixPath("manifest.csv")
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


def check(workbook: Path, templates_dir: Path, today: dt.date) -> tuple[Content, CheckResult]:
    content = load_content(templates_dir)
    return content, check_workbook(workbook, content, today)


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
        self, jobs: Iterable[DocumentJob], organisation: str, cycle: str, created: dt.datetime
    ) -> Iterator[Task]:
        for job in jobs:
            self.rows.append(
                ManifestRow(
                    job.kind.value,
                    job.sessie or "",
                    job.personeelsnummer or "",
                    job.relpath.as_posix(),
                    sha256="",
                    inhoud=self.content_hash(job.context),
                )
            )
            props = core_properties(job.kind.value, job.title, cycle, organisation, created)
            self.props.append(props)
            if job.kind.spec.routed and not job.context["ontvanger"]["per_post"]:
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
        rows.append(ManifestRow(BUNDLE.value, "", "", relpath, sha256_bytes(data)))
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
    letter_props: dict[str, CoreProperties],
) -> list[ManifestRow]:
    """The PDF of every document of `pdf_kinds` beside it, and of the print bundles (made
    of the PDFs of `bundled`, the bundles' letters in their order)."""
    organisation = cycle.organisation
    props = dict(zip((row.pad for row in ledger.rows), ledger.props, strict=True))
    props.update(letter_props)  # the cancellation letters, rendered by the mailing step

    members = {row.pad for row in bundled}

    def group(row: ManifestRow) -> str:  # the letters of one bundle convert together
        if row.pad not in members:
            return row.soort
        return INTERNAL.stem if row.pad in ledger.internal_paths else BY_POST.stem

    wanted = set(pdf_kinds) - {BUNDLE.value}  # bundles are made of their letters' PDFs
    if Kind.UITNODIGING.value in wanted:  # e-mail attaches cancellation letters too
        wanted.add(Kind.AFZEGGING.value)
    sources = [
        row
        for row in written
        if row.pad.endswith(".docx") and (row.soort in wanted or row.pad in members)
    ]
    jobs = [PdfJob(PurePosixPath(row.pad), props[row.pad], group(row)) for row in sources]
    bundles = []
    if BUNDLE.value in pdf_kinds:
        for route in (BY_POST, INTERNAL):
            relpath = PurePosixPath(f"{BUNDLE.folder}/{route.stem}.pdf")
            in_bundle = [row for row in bundled if group(row) == route.stem]
            if in_bundle:
                title = f"Uitnodigingen {route.label} - {organisation.cyclus}"
                bundle_props = core_properties(
                    BUNDLE.value,
                    title,
                    organisation.cyclus,
                    organisation.gemeente,
                    document_date(cycle),
                )
                bundles.append(Bundle(route.stem, relpath, bundle_props))
    if options.on_plan:
        options.on_plan(len(jobs))
    digests, bundle_digests = convert_to_pdf(
        program,
        staged.staging,
        jobs,
        bundles,
        utc(document_date(cycle)).replace(tzinfo=None),  # PDF dates are written as UTC
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
        ManifestRow(BUNDLE.pdf_value, "", "", relpath.as_posix(), digest)
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


def _replaced(wanted: Sequence[Kind]) -> set[str]:
    """What a run of `wanted` replaces: those kinds and, with the invitations, everything
    that goes with them (print bundles, calendar files, cancellations, e-mail), each with
    its PDF."""
    names = {k.value for k in wanted}
    if Kind.UITNODIGING in wanted:
        names.update(WITH_INVITATIONS)
    return with_pdfs(names)


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
    names = _replaced(wanted)
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
) -> Iterator[None]:
    """Hold the cycle folder's lock for the run, stop cleanly on SIGTERM/SIGHUP, put
    back what killed runs left missing, and refuse unless the folder is ours to replace
    (before anything is written)."""
    with stop_on_termination(), CycleLock(output_root, folder):
        _recover(output_root, folder)
        ensure_replaceable(output_root / folder, cycle, protected, replaced)
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
) -> RunResult:
    """Generate every document of `kinds`; raises an IntervisieError before writing
    anything when the templates or the workbook are not valid, or when PDFs are asked
    for and LibreOffice is missing. `archive_docx` archives the syllabi's .docx next to
    their PDF/A."""
    wanted = tuple(k for k in ALL_KINDS if k in kinds)
    made = {k.value for k in wanted} | ({BUNDLE.value} if Kind.UITNODIGING in wanted else set())
    pdf = replace(pdf, kinds=tuple(k for k in pdf.kinds if k in made))
    program = require_soffice() if pdf.kinds else None
    if BUNDLE.value in pdf.kinds:
        print_bundles = True
    content = load_content(templates_dir)
    letters_too = (Kind.AFZEGGING,) if Kind.UITNODIGING in wanted else ()
    templates = ensure_templates(templates_dir, content, wanted + letters_too)
    checked = check_workbook(workbook, content, today)
    cycle = checked.cycle
    organisation = cycle.organisation
    total = count_documents(cycle, wanted)
    signature = SignatureImage(organisation.handtekening) if organisation.handtekening else None
    created = document_date(cycle)
    ledger = _Ledger()
    tasks = ledger.tasks(
        iter_documents(cycle, content, wanted), organisation.gemeente, organisation.cyclus, created
    )
    folder = cycle_folder(organisation.cyclus)
    replaced = None if len(wanted) == len(ALL_KINDS) else sorted(_replaced(wanted))
    protected = {"het werkboek": workbook, "de map met sjablonen": templates_dir}
    if organisation.handtekening:
        protected["de handtekening"] = organisation.handtekening
    guard = _owned_target(output_root, folder, organisation.cyclus, protected, replaced)
    with guard, StagedOutput(output_root, folder) as staged:
        if on_plan:
            on_plan(total)
        renderer = Renderer(templates, signature)
        pool_size = workers if workers is not None else default_workers()
        digests = render_all(tasks, total, staged, renderer, progress, pool_size)
        written = ledger.manifest_rows(digests)
        previous = read_previous(staged.target / MANIFEST_JSON.name)
        mailing = Mailing(cycle, content, staged, renderer)
        planned = mailing.plan_calendar(r for r in written if r.soort == Kind.UITNODIGING.value)
        kinds_made = {k.value for k in wanted} | ({AGENDA.value} if letters_too else set())
        comparison = compare(previous, written + [p.row for p in planned], kinds_made)
        versions = {(r.soort, r.sessie, r.personeelsnummer): r for r in comparison.rows}
        written = [versions[(r.soort, r.sessie, r.personeelsnummer)] for r in written]
        calendar_rows = mailing.write_calendar(planned, versions, pool_size)
        cancel_rows: list[ManifestRow] = []
        cancelled: list[tuple[ManifestRow, ManifestRow | None, Event]] = []
        if letters_too:  # cancellations go with the invitations
            comparison, cancel_rows, cancelled = mailing.cancellations(comparison)
        written += calendar_rows + cancel_rows
        invitations = [r for r in written if r.soort == Kind.UITNODIGING.value]
        cancel_letters = [r for r in cancel_rows if r.soort == Kind.AFZEGGING.value]
        if only_changes:  # only what must go out again: changed, new and cancelled
            fresh = {(s, n) for (_, s, n) in comparison.changed(Kind.UITNODIGING.value)}
            fresh |= {(s, n) for (_, s, n) in comparison.changed(AGENDA.value)}
            invitations = [r for r in invitations if (r.sessie, r.personeelsnummer) in fresh]
            calendar_rows = [r for r in calendar_rows if (r.sessie, r.personeelsnummer) in fresh]
        bundled: list[ManifestRow] = []  # the letters in the print bundles, in order
        if print_bundles and Kind.UITNODIGING in wanted:
            for row in cancel_letters:
                person = mailing.people[row.personeelsnummer]
                if person.postadres is None:
                    ledger.internal_paths.add(row.pad)
            letters = invitations + cancel_letters
            if letters:
                written += _bundles(staged, letters, ledger, organisation, cycle)
                bundled = letters
        if program is not None:  # before the e-mails: they attach the letters' PDFs
            letter_props = mailing.letter_props
            written += _pdfs(
                program, staged, written, bundled, ledger, pdf.kinds, cycle, pdf, letter_props
            )
        if mail and Kind.UITNODIGING in wanted:
            written += mailing.invitation_mails(calendar_rows, letter_paths(written))
            written += mailing.cancellation_mails(cancelled)
        kept = _keep_other_kinds(staged, wanted)
        rows = tuple(sorted(written + kept, key=lambda r: manifest_order(r.soort)))
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
                extra=manifest_extra(comparison),
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
    )


__all__ = ["PdfOptions", "RunResult", "check", "generate", "restore_after_killed_runs"]
