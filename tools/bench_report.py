"""The benchmark's report: per size the figures, the machine, and the targets."""

from __future__ import annotations

import importlib
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata

from pipeline.stages import ORDER, Stage
from tools.bench_measure import Measured, Verification

# Targets from the issue (speed back ahead with calendar, archive and register on).
TARGET_RATIO = 20.0  # at 10,000 documents
TARGET_CPU_RATIO = 15.0  # documents per CPU-second, at 10,000
TARGET_SMALL_RATIO = 15.0  # at 1,000 documents
TARGET_SECONDS = 12.0  # 10,000 documents on 2 cores, quiet machine
TARGET_SECONDS_AT = 10000
TARGET_MB = 200.0  # every process
FLAT_GROWTH = 1.3  # "flat": peak at the largest size at most 1.3x the peak at the smallest

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
    stages: tuple[list[Stage], ...] = ()  # per run, as `genereer --staptijden` wrote them

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


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes): figures from a busy machine are slower."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "belasting: onbekend"
    return f"belasting (1, 5, 15 min): {number(one, 2)}, {number(five, 2)}, {number(fifteen, 2)}"


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
        f"Bij de start: {load_average()}",
    ]


def print_size(result: SizeResult) -> None:
    counts = ", ".join(f"{kind} {number(n)}" for kind, n in result.counts.items())
    print(f"\n== {number(result.documents)} documenten (doel {number(result.target)}): {counts}")
    print(f"   {load_average()}")
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
    print_stages(result)
    v = result.verification
    state = "in orde" if not v.problems else "PROBLEEM: " + "; ".join(v.problems)
    print(
        f"   uitvoer: {v.opened} documenten (één per soort) geopend met python-docx, "
        f"{v.same_text} met dezelfde tekst als docxtpl; waarschuwingen: {result.warnings}; "
        f"{state}"
    )


def print_stages(result: SizeResult) -> None:
    """Per step of `genereer` the median over the runs of wall and CPU seconds; what is
    left of the process's time is start-up, imports and exit."""
    if not result.stages:
        return
    names = [n for n in ORDER if any(s.name == n for run in result.stages for s in run)]
    names += sorted({s.name for run in result.stages for s in run} - set(names))
    print(f"   per stap (mediaan van {len(result.stages)} runs){'seconden':>16}{'CPU-s':>8}")
    total_wall = total_cpu = 0.0
    for name in names:
        walls = [sum(s.seconds for s in run if s.name == name) for run in result.stages]
        cpus = [sum(s.cpu_seconds for s in run if s.name == name) for run in result.stages]
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        if wall >= 0.005 or cpu >= 0.005:
            print(f"     {name:<36}{number(wall, 2):>10}{number(cpu, 2):>8}")
    print(
        f"     {'overig (opstarten, afsluiten)':<36}"
        f"{number(max(0.0, result.seconds - total_wall), 2):>10}"
        f"{number(max(0.0, result.cpu_seconds - total_cpu), 2):>8}"
    )


def _mark(ok: bool) -> str:
    return "[ja ]" if ok else "[nee]"


def _size(results: Sequence[SizeResult], at: int) -> SizeResult | None:
    found = [r for r in results if at * 0.95 <= r.documents <= at * 1.05]
    return found[-1] if found else None


def print_targets(results: Sequence[SizeResult]) -> None:
    print("\nDoelen")
    big, small = _size(results, TARGET_SECONDS_AT), _size(results, 1000)
    if big is None:
        print(
            f"  [ - ] {number(TARGET_SECONDS_AT)} documenten: niet gemeten (geef --groottes "
            f"met {TARGET_SECONDS_AT})"
        )
    else:
        r = big
        print(
            f"  {_mark(r.ratio >= TARGET_RATIO)} {number(r.documents)} documenten minstens "
            f"{number(TARGET_RATIO)}x zo snel als docxtpl: {number(r.ratio, 1)}x"
        )
        print(
            f"  {_mark(r.cpu_ratio >= TARGET_CPU_RATIO)} en per CPU-seconde minstens "
            f"{number(TARGET_CPU_RATIO)}x: {number(r.cpu_ratio, 1)}x"
        )
        slowest = max(run.seconds for run in r.runs)
        print(
            f"  {_mark(r.seconds < TARGET_SECONDS)} {number(TARGET_SECONDS_AT)} "
            f"documenten in minder dan {number(TARGET_SECONDS)} s (op 2 kernen, rustige "
            f"machine): {number(r.seconds, 1)} s; traagste run {number(slowest, 1)} s"
        )
    if small is not None:
        print(
            f"  {_mark(small.ratio >= TARGET_SMALL_RATIO)} {number(small.documents)} "
            f"documenten minstens {number(TARGET_SMALL_RATIO)}x: {number(small.ratio, 1)}x"
        )
    largest = max(results, key=lambda r: r.max_rss_mb)
    print(
        f"  {_mark(largest.max_rss_mb < TARGET_MB)} elk proces onder {number(TARGET_MB)} MB: "
        f"grootste {megabytes(largest.max_rss_mb)} MB (bij {number(largest.documents)} "
        "documenten)"
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
    print(f"  {load_average()}")
    print(
        "\n  seconden/docs/s pipeline: de hele `intervisie genereer` (opstarten, controle, "
        "plan, documenten, manifest,\n  archief), mediaan van de runs; docxtpl: alleen de "
        "lus laden-invullen-opslaan, in één proces.\n  CPU-s: gebruikers- plus systeemtijd "
        "van alle processen samen (pipeline) of van de lus (docxtpl).\n  piek MB: ru_maxrss "
        "(os.wait4) van het gemeten proces en de processen die het heeft afgewacht (de\n  "
        "werkprocessen): het grootste proces, niet de som. boom MB: de som over de hele "
        "procesboom\n  (PSS, elke 0,1 s bemonsterd). Pipeline: het hoogste van de runs."
    )


