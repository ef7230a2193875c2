"""The run's last steps in the staging folder: carry over what a --soort run keeps, and
write the run's record (manifest.csv, wijzigingen.csv, manifest.json).

Run order: everything else is written first, so the manifest lists every file the run
made or carried over, and the next run can tell them from files HR put there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from pipeline import __version__
from pipeline.errors import OutputError, describe_os_error
from pipeline.files import inside
from pipeline.kinds import manifest_order
from pipeline.publish import manifest
from pipeline.publish.manifest import (
    ManifestRow,
    manifest_csv_chunks,
    manifest_json_chunks,
    sha256_bytes,
    sha256_file,
)
from pipeline.publish.staging import StagedOutput
from pipeline.register.changes import Change, Comparison, changes_csv_chunks, manifest_extra
from pipeline.render.bundle import LETTERS_KEY
from pipeline.runplan import RunPlan

MANIFEST_CSV = PurePosixPath("manifest.csv")
MANIFEST_JSON = PurePosixPath(manifest.MANIFEST_JSON)
CHANGES_CSV = PurePosixPath("wijzigingen.csv")


def carry_over(
    staged: StagedOutput, previous: Iterable[ManifestRow], plan: RunPlan
) -> list[ManifestRow]:
    """A run limited with --soort replaces only its kinds (RunPlan.replaced): carry the
    rest over from the previous output, every file its manifest lists that is still
    there (a file HR edited since is kept as it is now, with its new sha256)."""
    kept = []
    for row in previous:
        if not plan.carries_over(row.soort):
            continue
        try:
            source = inside(staged.target, PurePosixPath(row.pad))
        except (ValueError, OSError):
            continue
        if not source.is_file():
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


@dataclass(frozen=True)
class RunInputs:
    """What manifest.json says the run was made from."""

    cycle: str
    workbook: Path
    templates_dir: Path
    templates: Sequence[Path]  # every template and content file the run read
    warnings: Sequence[str]


def write_records(
    staged: StagedOutput,
    rows: Iterable[ManifestRow],
    comparison: Comparison,
    names: Mapping[str, str],
    inputs: RunInputs,
    letters: Mapping[str, object],
) -> tuple[tuple[ManifestRow, ...], list[Change]]:
    """Write the three record files; the rows in manifest order and the changes.
    `letters`: per letter its paper route (render/bundle.letter_routes)."""
    ordered = tuple(sorted(rows, key=lambda r: manifest_order(r.soort)))
    staged.write_chunks(MANIFEST_CSV, manifest_csv_chunks(ordered))
    report = comparison.changes_among(ordered)
    staged.write_chunks(CHANGES_CSV, changes_csv_chunks(report, names))
    staged.write_chunks(
        MANIFEST_JSON,
        manifest_json_chunks(
            version=__version__,
            cycle=inputs.cycle,
            workbook=inputs.workbook,
            workbook_sha256=sha256_file(inputs.workbook),
            templates=[
                (p.relative_to(inputs.templates_dir).as_posix(), sha256_file(p))
                for p in inputs.templates
            ],
            warnings=inputs.warnings,
            counts=dict(Counter(row.soort for row in ordered)),
            rows=ordered,
            extra=manifest_extra(comparison) | {LETTERS_KEY: letters},
        ),
    )
    return ordered, report
