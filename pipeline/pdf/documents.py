"""The run's PDF step: which documents get a PDF, which convert together, and their rows.

Each PDF carries its document's own core properties. The letters of one print bundle
convert together (one template, one delivery route), so the bundle's PDF is made of
their pages; every other document converts with the documents of its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pipeline.kinds import BUNDLE, ROUTES, pdf_soort, utc
from pipeline.publish.manifest import ManifestRow
from pipeline.render.batch import default_workers
from pipeline.render.tasks import PlannedDocuments
from pipeline.runplan import RunPlan

if TYPE_CHECKING:  # the converter (pikepdf, the validator) is imported by runs that make PDFs
    from pipeline.pdf.convert import Bundle, Progress


@dataclass(frozen=True)
class PdfOptions:
    """How `generate` makes PDFs: which soorten (empty: none) and how."""

    kinds: tuple[str, ...] = ()
    timeout: float | None = None  # per soffice call; None: by the number of documents
    instances: int | None = None  # soffice processes at once; None: one per core (max 4)
    on_plan: Callable[[int], None] | None = None
    progress: Progress | None = None


NO_PDF = PdfOptions()


def _bundles(
    bundled: Sequence[ManifestRow], planned: PlannedDocuments, cycle: str, duplex: bool
) -> list[Bundle]:
    """One PDF per delivery route that has letters in the print bundles; `duplex`: every
    letter starts on a front page."""
    from pipeline.pdf.convert import Bundle

    found = []
    for route in ROUTES:
        if any(planned.route(row) == route for row in bundled):
            title = f"Uitnodigingen {route.label} - {cycle}"
            relpath = PurePosixPath(f"{BUNDLE.folder}/{route.stem}.pdf")
            props = planned.properties(BUNDLE.value, title)
            found.append(Bundle(route.stem, relpath, props, duplex))
    return found


def make_pdfs(
    program: str,
    staging: Path,
    written: Sequence[ManifestRow],
    bundled: Sequence[ManifestRow],
    planned: PlannedDocuments,
    plan: RunPlan,
    options: PdfOptions,
) -> list[ManifestRow]:
    """The PDF of every written document the plan wants one of beside it, and of the
    print bundles when asked for (made of the PDFs of `bundled`, the bundles' letters).
    Letters are tagged PDF."""
    from pipeline.pdf.convert import PdfJob, convert_to_pdf, pdf_relpath

    soorten = plan.pdf_sources
    members = {row.pad for row in bundled}

    def group(row: ManifestRow) -> str:  # the letters of one bundle convert together
        return planned.route(row).stem if row.pad in members else row.soort

    sources = [
        row
        for row in written
        if row.pad.endswith(".docx") and (row.soort in soorten or row.pad in members)
    ]
    jobs = [
        PdfJob(PurePosixPath(row.pad), planned.props[row.pad], group(row), row.soort in plan.tagged)
        for row in sources
    ]
    bundles = (
        _bundles(bundled, planned, planned.cycle, plan.duplex)
        if BUNDLE.value in plan.pdf_kinds
        else []
    )
    if options.on_plan:
        options.on_plan(len(jobs))
    digests, bundle_digests = convert_to_pdf(
        program,
        staging,
        jobs,
        bundles,
        utc(planned.created).replace(tzinfo=None),  # PDF dates are written as UTC
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
    return rows + [
        ManifestRow(pdf_soort(BUNDLE.value), "", "", relpath.as_posix(), digest)
        for relpath, digest in bundle_digests
    ]


__all__ = ["NO_PDF", "PdfOptions", "make_pdfs"]
