"""The render tasks of a run's planned documents, and what the run keeps of each.

Documents are planned one at a time (a run of 100,000 never holds every context); while
they stream to the renderer, `PlannedDocuments` keeps per document what later steps
need: its manifest row (hash of what the reader sees, file hash once rendered), its core
properties (the PDF carries the same) and, for letters, their delivery route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from pipeline.documents.matters import typed_view, what_matters
from pipeline.documents.plan import DocumentJob
from pipeline.kinds import BY_POST, INTERNAL, Route, core_properties
from pipeline.publish.manifest import ManifestRow
from pipeline.register.changes import ContentHasher
from pipeline.render.batch import Task
from pipeline.render.prepared import CoreProperties


class PlannedDocuments:
    """The manifest row, core properties and route of every planned document."""

    def __init__(
        self,
        cycle: str,
        organisation: str,
        created: dt.datetime,
        typed: bool = False,
        keep_props: bool = True,
    ) -> None:
        """`typed`: also hash each context as before identity.py (there is a history
        to recognise); a first run skips that. `keep_props`: keep every document's core
        properties (the PDFs carry them); without PDFs only those of letters rendered
        outside the plan are kept."""
        self.cycle, self.organisation, self.created = cycle, organisation, created
        self.with_typed = typed
        self.keep_props = keep_props
        self.rows: list[ManifestRow] = []  # sha256 filled in once rendered
        self.props: dict[str, CoreProperties] = {}  # by path, for the PDFs' metadata
        self.internal: list[str] = []  # "name (sessie)" of letters by internal post
        self.internal_paths: set[str] = set()
        self.content_hash = ContentHasher()  # what the reader sees, for changes.py
        # Gives a letter its date and says what it replaces, from its content hash
        # (register/letters.py); neither changes the hash.
        # A letter's own date is also its files' date (None: `created`).
        self.dating: (
            Callable[[DocumentJob, str, str], tuple[DocumentJob, dt.datetime | None]] | None
        ) = None
        # By path: the content hash with ids as typed, as made before identity.py, to
        # recognise a register of then (register/migrate.adopt_typed_hashes).
        self.typed: dict[str, str] = {}

    def properties(
        self, soort: str, title: str, created: dt.datetime | None = None
    ) -> CoreProperties:
        return core_properties(
            soort, title, self.cycle, self.organisation, created or self.created
        )

    def tasks(self, jobs: Iterable[DocumentJob]) -> Iterator[Task]:
        for job in jobs:
            views = (what_matters(job.kind), typed_view(job.kind))
            inhoud, *typed = self.content_hash.hashes(job.context, *views[: 1 + self.with_typed])
            created = None
            if self.dating is not None:
                job, created = self.dating(job, inhoud, typed[0] if typed else "")
            row = ManifestRow(
                job.kind.value,
                job.sessie or "",
                job.personeelsnummer or "",
                job.relpath.as_posix(),
                sha256="",
                inhoud=inhoud,
            )
            self.rows.append(row)
            if typed:
                self.typed[row.pad] = typed[0]
            props = self.properties(job.kind.value, job.title, created)
            if self.keep_props:
                self.props[row.pad] = props
            if job.kind.spec.routed and not job.context["ontvanger"]["per_post"]:
                self.internal.append(f"{job.context['ontvanger']['naam']} ({job.sessie})")
                self.internal_paths.add(row.pad)
            yield Task(job.kind, job.relpath, job.context, props)

    def route(self, row: ManifestRow) -> Route:
        return INTERNAL if row.pad in self.internal_paths else BY_POST

    def add_letter(
        self, row: ManifestRow, props: CoreProperties, has_postal_address: bool
    ) -> None:
        """A letter rendered outside the plan (a cancellation, an invitation dated
        anew): its properties, route."""
        self.props[row.pad] = props
        if not has_postal_address:
            self.internal_paths.add(row.pad)

    def manifest_rows(self, digests: Sequence[str]) -> list[ManifestRow]:
        """The planned rows with their file hashes; the plan's own copies are let go."""
        rows, self.rows = self.rows, []
        return [replace(row, sha256=digest) for row, digest in zip(rows, digests, strict=True)]
