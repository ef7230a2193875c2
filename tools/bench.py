"""Benchmark: the full pipeline against a plain docxtpl loop on the same documents.

Run from the project root:  .venv/bin/python -m tools.bench   (or `make bench`)

For every size N the tool builds a synthetic, valid workbook of its own (about N
documents over the four kinds), then measures, each in a fresh subprocess:

- the pipeline: `intervisie genereer WERKBOEK --uitvoer MAP` as a whole process (reading,
  validation, planning, rendering, manifest, archive), timed wall-clock;
- the baseline: a process that reads, validates and plans with the library (the same
  contexts) and then calls `render_with_docxtpl` (load, render, save) per document;
  only that render loop is timed. Plain docxtpl manages some 30 documents a second, so
  above 1,000 documents it renders an evenly spread sample of the same documents.

With LibreOffice installed, a PDF part follows (tools/bench_pdf.py): the invitations and
syllabi of workbooks of --pdf-groottes documents converted once the plain way (soffice's
own batch mode, 200 files per call: it silently drops files beyond about 246 per call)
and once as the pipeline does, with pages/s, documents/s, the ratio and peak memory.

Peak memory comes from `os.wait4`, which reports the child's ru_maxrss including every
descendant it waited for (the pool workers): the largest single process, not their sum.
The sum over the process tree is sampled from /proc as well (PSS, so pages the workers
share with the parent count once). Targets are printed but never enforced: exit code 0
unless the bench itself fails (a failing run or output python-docx cannot open).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from itertools import count
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SIGNATURE = ROOT / "inputs" / "handtekening.png"
INTERVISIE = Path(sys.executable).parent / "intervisie"

DEFAULT_SIZES = (1000, 10000)
DOCXTPL_SAMPLE = 1000  # default size of the baseline sample above this many documents
MIN_DOCUMENTS = 20

# Targets from the issue.
TARGET_RATIO = 20.0
TARGET_SECONDS = 30.0
TARGET_SECONDS_AT = 10000
TARGET_MB = 300.0
FLAT_GROWTH = 1.5  # "flat": peak at the largest size at most 1.5x the peak at the smallest

# ------------------------------------------------------------------ synthetic workbook

# Order matters for small workbooks: the general method first, so every theme occurs.
THEMES = ("Intervisie", "Leerruimte", "Autonomie", "Participatie")
GENERAL = "Intervisie"
GROUP_SIZE = {"Intervisie": 6, "Leerruimte": 8, "Autonomie": 8, "Participatie": 8}
PREFIX = {"Intervisie": "IV", "Leerruimte": "LR", "Autonomie": "AU", "Participatie": "PA"}
INBRENGERS = {"Intervisie": 2, "Leerruimte": 1, "Autonomie": 1, "Participatie": 1}
MIN_GROUP = 3
GENERAL_IDEAL = range(4, 7)
SESSIONS_PER_PERSON = 2  # one per round; the rounds are on different days
SLOTS = (dt.time(9, 30), dt.time(13, 0), dt.time(15, 30))
PARALLEL = 2  # sessions per time slot
FIRST_DAY = dt.date(2030, 3, 4)
DOMAIN = "bench.example"
SEED = 20300304

VOORNAMEN = (
    "Sjoerd",
    "Ingrid",
    "Mehmet",
    "Zoë",
    "Anaïs",
    "Eugène",
    "Ayşe",
    "Karim",
    "Lotte",
    "Robin",
    "Sanne",
    "Priya",
    "Daan",
    "Fenna",
    "Youssef",
    "Noor",
)
TUSSENVOEGSELS = ("", "", "van", "de", "van der", "", "'t", "ter", "", "van den", "el")
ACHTERNAMEN = (
    "Hoekstra",
    "Linden",
    "Özdemir",
    "Vries",
    "Dubois",
    "Berg",
    "Çelik",
    "Idrissi",
    "Hart",
    "Dijk",
    "Jansen",
    "Bakker",
    "Ramdin",
    "Visser",
    "Postma",
    "Mulder-Hendriks",
    "Yılmaz",
)
AANHEF = ("heer", "mevrouw", "neutraal")
FUNCTIES = (
    "Teamleider Burgerzaken",
    "Afdelingshoofd",
    "Teamleider Wmo",
    "Manager Bedrijfsvoering",
    "Teamleider Handhaving",
)
AFDELINGEN = (
    "Publiekszaken",
    "Sociaal Domein",
    "Vergunningen, Toezicht & Handhaving",
    "Bedrijfsvoering",
    "ICT & Informatievoorziening",
    "Openbare Ruimte",
)
PLAATSEN = ("Benchdorp", "Westerduin", "Kwelderwaard")
POSTCODE_LETTERS = ("AB", "CX", "KL", "PR", "TV", "ZE")
BEGELEIDERS = (
    ("Marco de Graaf", "HR"),
    ("Petra Hoogeveen", "extern"),
    ("Yasmina Bouzid", "HR"),
    ("Ruud Sanders", "extern"),
)
RAADHUIS = "Raadhuisplein 1, 1971 AB Benchdorp"

ORGANISATIE: dict[str, str] = {
    "gemeente": "Gemeente Benchdorp",
    "gemeentesecretaris": "drs. A.M. (Anneke) Jansen",
    "functie_ondertekenaar": "Gemeentesecretaris",
    "handtekening": "handtekening.png",
    "afzender_adres": "Afdeling HR\nPostbus 100\n1971 AA Benchdorp",
    "contactpersoon": "Fatima el Amrani",
    "contact_email": f"intervisie@{DOMAIN}",
    "contact_telefoon": "14 0123",
    "cyclus": "Intervisie benchmark 2030",
}


@dataclass(frozen=True)
class Synthetic:
    """The data of a synthetic workbook, as rows by header name."""

    sessies: list[dict[str, Any]]
    deelnemers: list[dict[str, Any]]
    indeling: list[dict[str, Any]]
    uitkomsten: list[dict[str, Any]]
    counts: dict[str, int]  # expected documents per kind

    @property
    def documents(self) -> int:
        return sum(self.counts.values())


def split_groups(total: int, start: int) -> list[tuple[str, int]]:
    """Split `total` people into sessions (theme, size), themes in turn from `start`.

    Every group has 3..10 people; a general-method group stays within its ideal 4..6.
    """
    if total < MIN_GROUP:
        raise ValueError(f"te weinig deelnemers: {total}")
    groups: list[tuple[str, int]] = []
    remaining = total
    for index in count(start):
        if not remaining:
            break
        theme = THEMES[index % len(THEMES)]
        size = GROUP_SIZE[theme]
        if remaining - size < MIN_GROUP:  # the rest would be too small: take it all
            size = remaining  # at most 10: remaining < size + 3 <= 11
            if theme == GENERAL and size not in GENERAL_IDEAL:
                theme = "Leerruimte"
        groups.append((theme, size))
        remaining -= size
    return groups


def _rounds(people: int) -> list[list[tuple[str, int]]]:
    first = split_groups(people, 0)
    return [first, split_groups(people, len(first))]


def expected_counts(people: int) -> dict[str, int]:
    sessions = sum(len(groups) for groups in _rounds(people))
    return {
        "uitnodiging": SESSIONS_PER_PERSON * people,
        "draaiboek": sessions,
        "syllabus": people,
        "vervolgadvies": sessions,
    }


def people_for(documents: int) -> int:
    """The number of people whose workbook gives the document count closest to N."""
    average_group = sum(GROUP_SIZE.values()) / len(GROUP_SIZE)
    per_person = SESSIONS_PER_PERSON + 1 + 2 * SESSIONS_PER_PERSON / average_group
    guess = max(MIN_GROUP, round(documents / per_person))
    candidates = range(max(MIN_GROUP, guess - 10), guess + 11)
    return min(candidates, key=lambda p: (abs(sum(expected_counts(p).values()) - documents), p))


def _workdays(start: dt.date) -> Iterator[dt.date]:
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _person(index: int) -> dict[str, Any]:
    voornaam = VOORNAMEN[index % len(VOORNAMEN)]
    tussenvoegsel = TUSSENVOEGSELS[index % len(TUSSENVOEGSELS)]
    achternaam = ACHTERNAMEN[index % len(ACHTERNAMEN)]
    nummer = f"{100000 + index}"
    row: dict[str, Any] = {
        "personeelsnummer": nummer,
        "voornaam": voornaam,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "aanhef": AANHEF[index % len(AANHEF)],
        "functie": FUNCTIES[index % len(FUNCTIES)],
        "afdeling": AFDELINGEN[index % len(AFDELINGEN)],
        "email": f"p{nummer}@{DOMAIN}",
    }
    if index % 7 != 3:  # every seventh person has no postal address: internal delivery
        row.update(
            adres=f"Duinroosweg {index % 300 + 1}",
            postcode=f"{1000 + index % 9000} {POSTCODE_LETTERS[index % 6]}",
            plaats=PLAATSEN[index % len(PLAATSEN)],
        )
    return row


def synthetic_cycle(documents: int, templates_dir: Path = TEMPLATES) -> Synthetic:
    """A valid cycle of about `documents` documents over the four kinds.

    Every person attends two sessions, one in each of two rounds; the second round
    starts after the first has ended, so nobody is booked into overlapping sessions.
    """
    from pipeline.content.themes import load_content

    content = load_content(templates_dir)
    people = people_for(documents)
    rng = random.Random(SEED)
    deelnemers = [_person(i) for i in range(people)]
    numbers = [row["personeelsnummer"] for row in deelnemers]
    orders = [list(range(people)), rng.sample(range(people), people)]
    days = _workdays(FIRST_DAY)
    sessies: list[dict[str, Any]] = []
    indeling: list[dict[str, Any]] = []
    uitkomsten: list[dict[str, Any]] = []
    inbrenger_done: set[int] = set()
    serial = Counter[str]()
    for groups, order in zip(_rounds(people), orders, strict=True):
        taken = 0
        day = next(days)
        for slot_index, (theme, size) in enumerate(groups):
            slot = slot_index % (len(SLOTS) * PARALLEL) // PARALLEL
            if slot_index and slot_index % (len(SLOTS) * PARALLEL) == 0:
                day = next(days)
            members = order[taken : taken + size]
            taken += size
            serial[theme] += 1
            number = len(sessies) + 1
            code = f"{PREFIX[theme]}-{serial[theme]:04d}"
            fresh = [m for m in members if m not in inbrenger_done][: INBRENGERS[theme]]
            inbrenger_done.update(fresh)
            online = number % 2 == 0
            begeleider, begeleiding = BEGELEIDERS[number % len(BEGELEIDERS)]
            duur: int | None = None
            if theme == GENERAL and number % 3:  # else the default: just long enough
                spec = content.theme(theme)
                if spec is None:
                    raise ValueError(f"thema {theme} ontbreekt in {templates_dir}")
                duur = spec.minimum_minutes(max(1, len(fresh))) + 10
            sessies.append(
                {
                    "sessie": code,
                    "thema": theme,
                    "datum": day,
                    "begintijd": SLOTS[slot],
                    "duur_minuten": duur,
                    "vorm": "online" if online else "op locatie",
                    "locatie": None if online else f"Zaal {number % 9 + 1}, {RAADHUIS}",
                    "link": f"https://teams.{DOMAIN}/l/meetup-join/{code.lower()}"
                    if online
                    else None,
                    "begeleider": begeleider,
                    "begeleiding": begeleiding,
                    "prikkelende_vraag": "Wat deed jij deze week anders dan je van plan was?"
                    if number % 5 == 0
                    else None,
                }
            )
            for member in members:
                rol = "inbrenger" if member in fresh else ("deelnemer" if number % 2 else None)
                indeling.append({"sessie": code, "personeelsnummer": numbers[member], "rol": rol})
            if number % 4 == 1:
                uitkomsten.append(
                    {
                        "sessie": code,
                        "knelpunten": "Werkdruk & planning gaan voor leren.\nWeinig tijd <1 uur.",
                        "wat_helpt": "Vaste leermomenten in het teamoverleg.",
                        "afspraken": "Iedereen bespreekt vóór de zomer één leervraag met het team.",
                    }
                )
        # The next round starts a week after this one ends.
        for _ in range(5):
            next(days)
    return Synthetic(sessies, deelnemers, indeling, uitkomsten, expected_counts(people))


def write_synthetic_workbook(
    folder: Path, documents: int, templates_dir: Path = TEMPLATES
) -> tuple[Path, Synthetic]:
    """Write `werkboek.xlsx` and its signature image into `folder`."""
    from pipeline.workbook import schema
    from pipeline.workbook.empty import build_empty_workbook, fill_workbook, save_workbook

    data = synthetic_cycle(documents, templates_dir)
    workbook = build_empty_workbook(THEMES)
    fill_workbook(
        workbook,
        ORGANISATIE,
        {
            schema.SESSIES.name: data.sessies,
            schema.DEELNEMERS.name: data.deelnemers,
            schema.INDELING.name: data.indeling,
            schema.UITKOMSTEN.name: data.uitkomsten,
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SIGNATURE, folder / ORGANISATIE["handtekening"])
    path = folder / "werkboek.xlsx"
    save_workbook(workbook, path)
    return path, data


# ------------------------------------------------------------------------ measuring


def _tree_pss_kb(root: int) -> int:
    """PSS (RSS where PSS is unavailable) summed over `root` and its descendants."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(parents.get(pid, ()))
        total += _pss_kb(pid)
    return total


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.available = os.path.isdir("/proc")
        self._halt = threading.Event()

    def run(self) -> None:
        while self.available and not self._halt.wait(self.interval):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid))

    def stop(self) -> None:
        self._halt.set()
        self.join()


@dataclass(frozen=True)
class Measured:
    seconds: float  # wall-clock of the whole process
    cpu_seconds: float  # user + system of the process and its waited-for descendants
    exit_code: int
    max_rss_mb: float  # the largest single process of the tree (wait4 ru_maxrss)
    tree_mb: float | None  # sampled peak of the tree's summed PSS
    stdout: str
    stderr: str


def run_measured(cmd: Sequence[str], logs: Path, name: str) -> Measured:
    """Run `cmd` in a fresh process; wall time, CPU time and peak memory of it and its
    workers. Dirty pages of earlier runs are flushed first so they do not slow this one."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{name}.uit.txt", logs / f"{name}.fout.txt"
    if hasattr(os, "sync"):
        os.sync()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(cmd), stdout=out, stderr=err, cwd=ROOT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4: ru_maxrss of this child and of every descendant it waited for, so
        # each measurement has its own peak (RUSAGE_CHILDREN would span all of them).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    return Measured(
        seconds,
        usage.ru_utime + usage.ru_stime,
        process.returncode,
        usage.ru_maxrss / 1024,
        sampler.peak_kb / 1024 if sampler.available and sampler.peak_kb else None,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
    )


def sample_indices(total: int, wanted: int) -> list[int]:
    """`wanted` indices spread evenly over range(total): the same mix of kinds."""
    if wanted >= total:
        return list(range(total))
    return [i * total // wanted for i in range(wanted)]


def docxtpl_baseline(workbook: Path, output: Path, wanted: int) -> None:
    """The baseline process: plan with the library, then plain docxtpl per document.

    Writes `resultaat.json` into `output`: phase times, render time and the sample.
    """
    from pipeline.content.themes import load_content
    from pipeline.documents.plan import plan_documents
    from pipeline.workbook.check import check_workbook
    from tools.plain_docxtpl import render_with_docxtpl

    started = time.perf_counter()
    content = load_content(TEMPLATES)
    checked = check_workbook(workbook, content, dt.date.today())
    checked_at = time.perf_counter()
    plan = plan_documents(checked.cycle, content)
    planned_at = time.perf_counter()
    indices = sample_indices(len(plan.jobs), wanted or len(plan.jobs))
    documents = output / "documenten"
    documents.mkdir(parents=True, exist_ok=True)
    sample: list[dict[str, str]] = []
    render_start, render_cpu = time.perf_counter(), time.process_time()
    for serial, index in enumerate(indices):
        job = plan.jobs[index]
        target = documents / f"{serial:05d}-{job.kind.value}.docx"
        render_with_docxtpl(TEMPLATES / job.kind.template, job.context, target)
        sample.append(
            {"soort": job.kind.value, "pad": job.relpath.as_posix(), "bestand": target.name}
        )
    result = {
        "controle_s": checked_at - started,
        "plan_s": planned_at - checked_at,
        "render_s": time.perf_counter() - render_start,
        "render_cpu_s": time.process_time() - render_cpu,
        "documenten": len(indices),
        "totaal": len(plan.jobs),
        "steekproef": sample,
    }
    (output / "resultaat.json").write_text(json.dumps(result), encoding="utf-8")


# ----------------------------------------------------------------------- checking


def docx_lines(path: Path) -> list[str]:
    """Body paragraphs and table rows as a reader sees them (python-docx)."""
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


@dataclass
class Verification:
    opened: int = 0
    same_text: int = 0
    problems: list[str] = field(default_factory=list)


def verify_outputs(
    cycle_dir: Path, expected: int, baseline: Path, sample: Sequence[dict[str, str]]
) -> Verification:
    """Count the pipeline's documents, open one per kind with python-docx and compare it
    with the baseline's rendering of the same document."""
    result = Verification()
    with (cycle_dir / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        # Only the .docx documents: a run also lists one calendar file per invitation.
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["pad"].endswith(".docx")]
    if len(rows) != expected:
        result.problems.append(f"manifest.csv heeft {len(rows)} regels, verwacht {expected}")
    on_disk = sum(1 for _ in cycle_dir.rglob("*.docx"))
    if on_disk != len(rows):
        result.problems.append(f"{on_disk} .docx-bestanden, manifest noemt er {len(rows)}")
    first_per_kind: dict[str, dict[str, str]] = {}
    for item in sample:
        first_per_kind.setdefault(item["soort"], item)
    for kind, item in sorted(first_per_kind.items()):
        try:
            ours = docx_lines(cycle_dir / item["pad"])
            theirs = docx_lines(baseline / "documenten" / item["bestand"])
        except Exception as exc:  # python-docx raises many kinds on a broken package
            result.problems.append(f"{kind}: kan niet worden geopend ({exc})")
            continue
        result.opened += 1
        if not ours or any("{{" in line or "{%" in line for line in ours):
            result.problems.append(f"{kind}: leeg of met een niet-ingevulde tag")
        elif ours == theirs:
            result.same_text += 1
        else:
            result.problems.append(f"{kind}: andere tekst dan plain docxtpl ({item['pad']})")
    return result


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


# -------------------------------------------------------------------------- main


def baseline_size(target: int, documents: int, docxtpl_max: int | None) -> int:
    """How many documents the docxtpl loop renders."""
    if docxtpl_max is None:
        return documents if target <= DOCXTPL_SAMPLE else min(DOCXTPL_SAMPLE, documents)
    return documents if docxtpl_max == 0 else min(docxtpl_max, documents)


def _warnings(stdout: str) -> str:
    for line in stdout.splitlines():
        if line.startswith("Waarschuwingen:"):
            return line.split(":", 1)[1].strip()
    return "?"


def _failure(what: str, run: Measured) -> str:
    return f"FOUT: {what} stopte met code {run.exit_code}:\n{run.stderr[-3000:]}"


def measure_size(
    target: int, folder: Path, docxtpl_max: int | None, workers: int | None, repeats: int
) -> SizeResult:
    for name in ("pipeline", "docxtpl", "logboek"):
        shutil.rmtree(folder / name, ignore_errors=True)
    print(f"\nWerkboek maken voor {number(target)} documenten ...", flush=True)
    started = time.perf_counter()
    workbook, data = write_synthetic_workbook(folder, target)
    build_seconds = time.perf_counter() - started
    documents = data.documents
    wanted = baseline_size(target, documents, docxtpl_max)

    output = folder / "pipeline"
    cmd = [str(INTERVISIE), "genereer", str(workbook), "--uitvoer", str(output)]
    if workers:
        cmd += ["--processen", str(workers)]
    runs: list[Measured] = []
    for repeat in range(1, repeats + 1):
        # A fresh output folder each time: an existing archive would be skipped.
        shutil.rmtree(output, ignore_errors=True)
        print(
            f"pipeline: intervisie genereer ({number(documents)} documenten), "
            f"run {repeat} van {repeats} ...",
            flush=True,
        )
        run = run_measured(cmd, folder / "logboek", f"pipeline-{repeat}")
        if run.exit_code != 0:
            raise SystemExit(_failure("intervisie genereer", run))
        runs.append(run)

    baseline_dir = folder / "docxtpl"
    print(f"docxtpl: {number(wanted)} documenten, één voor één ...", flush=True)
    baseline = run_measured(
        [
            sys.executable, "-m", "tools.bench", "--docxtpl-proces",
            str(workbook), str(baseline_dir), str(wanted),
        ],
        folder / "logboek",
        "docxtpl",
    )  # fmt: skip
    if baseline.exit_code != 0:
        raise SystemExit(_failure("de docxtpl-lus", baseline))
    report = json.loads((baseline_dir / "resultaat.json").read_text(encoding="utf-8"))
    if report["totaal"] != documents:
        raise SystemExit(
            f"FOUT: het plan heeft {report['totaal']} documenten, verwacht {documents}"
        )

    manifests = sorted(output.glob("*/manifest.csv"))
    if len(manifests) != 1:
        raise SystemExit(f"FOUT: geen (of meer dan één) manifest.csv in {output}")
    verification = verify_outputs(
        manifests[0].parent, documents, baseline_dir, report["steekproef"]
    )
    return SizeResult(
        target,
        documents,
        len(data.deelnemers),
        len(data.sessies),
        data.counts,
        build_seconds,
        tuple(runs),
        baseline,
        report["documenten"],
        report["render_s"],
        report["render_cpu_s"],
        report["controle_s"],
        report["plan_s"],
        _warnings(runs[-1].stdout),
        verification,
    )


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        cleaned = part.strip().replace(".", "").replace("_", "")
        if not cleaned.isdigit() or int(cleaned) < MIN_DOCUMENTS:
            raise argparse.ArgumentTypeError(
                f"'{part.strip()}' is geen geldig aantal; geef gehele getallen van minstens "
                f"{MIN_DOCUMENTS}, gescheiden door komma's (bijvoorbeeld 1000,10000)"
            )
        sizes.append(int(cleaned))
    return sizes


def _at_least(minimum: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"'{text}' is geen geheel getal van minstens {minimum}"
            )
        return value

    return parse


class _DutchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _DutchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def default_pdf_instances() -> int:
    from pipeline.render.batch import default_workers

    return default_workers()


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(
        prog="python -m tools.bench",
        formatter_class=_DutchFormatter,
        add_help=False,
        description="Meet de snelheid van `intervisie genereer` tegen een gewone docxtpl-lus "
        "(laden, invullen, opslaan per document) met dezelfde sjablonen en gegevens, op een "
        "synthetisch werkboek dat de meting zelf maakt. Drukt documenten per seconde, de "
        "verhouding en het piekgeheugen af, en of de doelen gehaald worden. Elke meting "
        "draait in een eigen, nieuw proces.",
    )
    parser._optionals.title = "opties"
    parser.add_argument("-h", "--help", action="help", help="Toon deze hulp en stop.")
    parser.add_argument(
        "--groottes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        metavar="N[,N]",
        help="Aantallen documenten, gescheiden door komma's (standaard: 1000,10000).",
    )
    parser.add_argument(
        "--docxtpl-max",
        type=_at_least(0),
        default=None,
        metavar="N",
        help=f"Hoeveel documenten de docxtpl-lus maakt (een gelijkmatige steekproef van "
        f"dezelfde documenten); standaard alle bij groottes tot en met {DOCXTPL_SAMPLE}, "
        f"daarboven {DOCXTPL_SAMPLE}; 0 = alle.",
    )
    parser.add_argument(
        "--map",
        type=Path,
        default=None,
        metavar="MAP",
        help="Werkmap voor werkboeken en uitvoer; blijft na afloop staan. Standaard een "
        "tijdelijke map die na afloop wordt verwijderd.",
    )
    parser.add_argument(
        "--processen",
        type=_at_least(1),
        default=None,
        metavar="N",
        help="Aantal processen voor `intervisie genereer` (standaard: die van het programma).",
    )
    parser.add_argument(
        "--herhaal",
        type=_at_least(1),
        default=3,
        metavar="N",
        help="Zo vaak draait de pipeline per grootte; de mediaan telt (standaard 3). "
        "De docxtpl-lus draait één keer.",
    )
    parser.add_argument(
        "--pdf-groottes",
        type=lambda text: [] if text in ("0", "") else parse_sizes(text),
        default=[500, 2000],
        metavar="N[,N]",
        help="Werkboekgroottes voor het PDF-deel: uitnodigingen en syllabi naar PDF, met "
        "één gewone soffice-aanroep en zoals de pipeline het doet (standaard: 500,2000; "
        "0 = geen PDF-deel; overgeslagen zonder LibreOffice).",
    )
    parser.add_argument(
        "--pdf-gewoon-max",
        type=_at_least(1),
        default=None,
        metavar="N",
        help="De gewone soffice-manier zet hoogstens N documenten om (een gelijkmatige "
        "steekproef, dezelfde mix van soorten); de verhouding gebruikt pagina's per seconde "
        "(standaard: alle).",
    )
    parser.add_argument(
        "--docxtpl-proces",
        nargs=3,
        default=None,
        help=argparse.SUPPRESS,
        metavar=("WERKBOEK", "UITVOER", "AANTAL"),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.docxtpl_proces:  # internal: the baseline's own process
        workbook, output, wanted = args.docxtpl_proces
        docxtpl_baseline(Path(workbook), Path(output), int(wanted))
        return 0
    if not INTERVISIE.exists():
        print(f"FOUT: {INTERVISIE} ontbreekt; installeer eerst het project (make test).")
        return 1

    print("Snelheidsmeting intervisie-docs")
    for line in machine_info(args.processen):
        print(line)
    work = args.map.resolve() if args.map else Path(tempfile.mkdtemp(prefix="intervisie-bench-"))
    results: list[SizeResult] = []
    try:
        for size in args.groottes:
            result = measure_size(
                size, work / f"n{size}", args.docxtpl_max, args.processen, args.herhaal
            )
            results.append(result)
            print_size(result)
        print_targets(results)
        if args.pdf_groottes:
            from pipeline.pdf.soffice import find_soffice
            from tools import bench_pdf

            if find_soffice() is None:
                print("\nPDF-deel overgeslagen: LibreOffice (soffice) ontbreekt.")
            else:
                bench_pdf.run(
                    args.pdf_groottes,
                    args.processen or default_pdf_instances(),
                    work,
                    args.pdf_gewoon_max,
                )
    finally:
        if args.map is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"\nWerkmap: {work}")
    if any(r.verification.problems for r in results):
        print("\nLet op: de uitvoer van de pipeline is niet in orde (zie hierboven).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
