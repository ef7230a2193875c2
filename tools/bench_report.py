"""The benchmark's report: per size the figures, the machine, and the targets."""

from __future__ import annotations

import importlib
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata

from tools.bench_measure import Measured, Verification

# Targets from the issue.
TARGET_RATIO = 20.0
TARGET_SECONDS = 30.0
TARGET_SECONDS_AT = 10000
TARGET_MB = 300.0
FLAT_GROWTH = 1.5  # "flat": peak at the largest size at most 1.5x the peak at the smallest

# ----------------------------------------------------------------------- reporting


def number(value: float, decimals: int = 0) -> str:
    """Dutch notation: 10.000 and 2,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def megabytes(value: float | None) -> str:
    return "-" if value is None else number(value)


@dataclass(frozen=True)
class SizeResult:
    target: int
    documents: int
    people: int
    sessions: int
    counts: dict[str, int]
    build_seconds: float
    runs: tuple[Measured, ...]  # the pipeline, once per repeat
    baseline: Measured
    baseline_documents: int
    baseline_render_s: float
    baseline_render_cpu_s: float
    check_s: float
    plan_s: float
    warnings: str
    verification: Verification

    @property
    def seconds(self) -> float:
        """The pipeline's median wall time."""
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def max_rss_mb(self) -> float:
        return max(run.max_rss_mb for run in self.runs)

    @property
    def tree_mb(self) -> float | None:
        trees = [run.tree_mb for run in self.runs if run.tree_mb is not None]
        return max(trees) if trees else None

    @property
    def pipeline_rate(self) -> float:
        return self.documents / self.seconds

    @property
    def baseline_rate(self) -> float:
        return self.baseline_documents / self.baseline_render_s

    @property
    def ratio(self) -> float:
        return self.pipeline_rate / self.baseline_rate

    @property
    def cpu_ratio(self) -> float:
        """Documents per CPU-second, pipeline over docxtpl (the cores taken out)."""
        ours = self.documents / self.cpu_seconds
        theirs = self.baseline_documents / self.baseline_render_cpu_s
        return ours / theirs


def _pipeline_workers(workers: int | None) -> str:
    """The number of processes `intervisie genereer` will use (its own default if unset)."""
    if workers:
        return str(workers)
    for module_name in ("pipeline.render.batch", "pipeline.run"):
        try:
            default = getattr(importlib.import_module(module_name), "default_workers", None)
        except ImportError:
            continue
        if callable(default):
            return str(default())
    return "standaard"


def machine_info(workers: int | None) -> list[str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return [
        f"Machine: {os.cpu_count()} processorkernen ({usable} beschikbaar), "
        f"{platform.system()} {platform.release()}, {platform.machine()}",
        f"Python {platform.python_version()}, docxtpl {metadata.version('docxtpl')}, "
        f"python-docx {metadata.version('python-docx')}, Jinja2 {metadata.version('Jinja2')}, "
        f"intervisie-docs {metadata.version('intervisie-docs')}",
        f"Pipeline: {_pipeline_workers(workers)} processen (--processen); docxtpl: 1 proces.",
    ]


def print_size(result: SizeResult) -> None:
    counts = ", ".join(f"{kind} {number(n)}" for kind, n in result.counts.items())
    print(f"\n== {number(result.documents)} documenten (doel {number(result.target)}): {counts}")
    print(
        f"   werkboek: {number(result.people)} deelnemers, {number(result.sessions)} sessies, "
        f"gemaakt in {number(result.build_seconds, 1)} s"
    )
    print(
        f"   {'':<10}{'documenten':>12}{'seconden':>10}{'docs/s':>9}{'CPU-s':>8}"
        f"{'piek MB':>9}{'boom MB':>9}"
    )
    print(
        f"   {'pipeline':<10}{number(result.documents):>12}{number(result.seconds, 1):>10}"
        f"{number(result.pipeline_rate):>9}{number(result.cpu_seconds, 1):>8}"
        f"{megabytes(result.max_rss_mb):>9}{megabytes(result.tree_mb):>9}"
    )
    b = result.baseline
    print(
        f"   {'docxtpl':<10}{number(result.baseline_documents):>12}"
        f"{number(result.baseline_render_s, 1):>10}{number(result.baseline_rate, 1):>9}"
        f"{number(result.baseline_render_cpu_s, 1):>8}"
        f"{megabytes(b.max_rss_mb):>9}{megabytes(b.tree_mb):>9}"
    )
    print(
        f"   verhouding: pipeline {number(result.ratio, 1)}x zo snel als docxtpl "
        f"(per CPU-seconde: {number(result.cpu_ratio, 1)}x)"
    )
    if len(result.runs) > 1:
        times = " / ".join(number(run.seconds, 1) for run in result.runs)
        print(f"   pipeline: mediaan van {len(result.runs)} runs ({times} s)")
    if result.baseline_documents < result.documents:
        step = result.documents / result.baseline_documents
        print(
            f"   docxtpl: steekproef van {number(result.baseline_documents)} van de "
            f"{number(result.documents)} documenten (om de {number(step, 1)} documenten één, "
            "zelfde verdeling over de soorten); docs/s geldt voor de steekproef"
        )
    print(
        f"   ter info (docxtpl-proces): werkboek lezen + controleren "
        f"{number(result.check_s, 2)} s, plannen {number(result.plan_s, 2)} s"
    )
    v = result.verification
    state = "in orde" if not v.problems else "PROBLEEM: " + "; ".join(v.problems)
    print(
        f"   uitvoer: {v.opened} documenten (één per soort) geopend met python-docx, "
        f"{v.same_text} met dezelfde tekst als docxtpl; waarschuwingen: {result.warnings}; "
        f"{state}"
    )


def _mark(ok: bool) -> str:
    return "[ja ]" if ok else "[nee]"


def print_targets(results: Sequence[SizeResult]) -> None:
    print("\nDoelen")
    ratios = ", ".join(f"{number(r.documents)}: {number(r.ratio, 1)}x" for r in results)
    print(
        f"  {_mark(all(r.ratio >= TARGET_RATIO for r in results))} pipeline minstens "
        f"{number(TARGET_RATIO)}x zo snel als docxtpl ({ratios})"
    )
    big = [r for r in results if r.documents >= TARGET_SECONDS_AT * 0.95]
    if big:
        r = big[-1]
        slowest = max(run.seconds for run in r.runs)
        print(
            f"  {_mark(r.seconds < TARGET_SECONDS)} {number(TARGET_SECONDS_AT)} "
            f"documenten in minder dan {number(TARGET_SECONDS)} s "
            f"({number(r.documents)} in {number(r.seconds, 1)} s; traagste run "
            f"{number(slowest, 1)} s)"
        )
        tree = r.tree_mb
        print(
            f"  {_mark(r.max_rss_mb < TARGET_MB)} piekgeheugen onder {number(TARGET_MB)} MB "
            f"bij {number(r.documents)} documenten: grootste proces "
            f"{megabytes(r.max_rss_mb)} MB"
            + (
                f" (hele procesboom samen {megabytes(tree)} MB: "
                f"{'ook' if tree < TARGET_MB else 'niet'} onder {number(TARGET_MB)} MB)"
                if tree is not None
                else ""
            )
        )
    else:
        print(
            f"  [ - ] {number(TARGET_SECONDS_AT)} documenten in minder dan "
            f"{number(TARGET_SECONDS)} s: niet gemeten (geef --groottes met "
            f"{TARGET_SECONDS_AT})"
        )
    if len(results) > 1:
        low, high = results[0], results[-1]
        growth = high.max_rss_mb / low.max_rss_mb
        print(
            f"  {_mark(growth <= FLAT_GROWTH)} piekgeheugen vlak (hoogstens "
            f"{number(FLAT_GROWTH, 1)}x bij {number(high.documents / low.documents)}x zoveel "
            f"documenten): {megabytes(low.max_rss_mb)} -> {megabytes(high.max_rss_mb)} MB "
            f"({number(growth, 2)}x)"
        )
    print(
        "\n  seconden/docs/s pipeline: de hele `intervisie genereer` (opstarten, controle, "
        "plan, documenten, manifest,\n  archief), mediaan van de runs; docxtpl: alleen de "
        "lus laden-invullen-opslaan, in één proces.\n  CPU-s: gebruikers- plus systeemtijd "
        "van alle processen samen (pipeline) of van de lus (docxtpl).\n  piek MB: ru_maxrss "
        "(os.wait4) van het gemeten proces en de processen die het heeft afgewacht (de\n  "
        "werkprocessen): het grootste proces, niet de som. boom MB: de som over de hele "
        "procesboom\n  (PSS, elke 0,1 s bemonsterd). Pipeline: het hoogste van de runs."
    )


