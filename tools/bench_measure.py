"""The benchmark's measuring and checking: runs in a fresh process with peak memory
(wait4, PSS over the process tree), the plain docxtpl baseline, and the outputs read back."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench_synthetic import ROOT, TEMPLATES

# ------------------------------------------------------------------------ measuring


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
    """Samples the memory of a process tree until stopped; keeps the peak of the tree's
    summed PSS and the largest resident size of any Python process in it (the run and
    its worker processes; LibreOffice is not Python)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.python_peak_kb = 0
        self.available = os.path.isdir("/proc")
        self._halt = threading.Event()

    def run(self) -> None:
        while self.available and not self._halt.wait(self.interval):
            pids = _descendants(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in pids))
            self.python_peak_kb = max([self.python_peak_kb, *map(_python_rss_kb, pids)])

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            parents.setdefault(int(stat[stat.rindex(b")") + 2 :].split()[1]), []).append(
                int(entry.name)
            )
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        todo.extend(parents.get(pid, ()))
        found.append(pid)
    return found


def _python_rss_kb(pid: int) -> int:
    """The resident size of `pid` if it is a Python process (the run or its workers), else 0."""
    try:
        if "python" not in os.readlink(f"/proc/{pid}/exe"):
            return 0
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass(frozen=True)
class Measured:
    seconds: float  # wall-clock of the whole process
    cpu_seconds: float  # user + system of the process and its waited-for descendants
    exit_code: int
    max_rss_mb: float  # the largest single process of the tree (wait4 ru_maxrss)
    tree_mb: float | None  # sampled peak of the tree's summed PSS
    stdout: str
    stderr: str
    python_mb: float | None = None  # sampled peak of the largest Python process


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
        sampler.python_peak_kb / 1024 if sampler.available and sampler.python_peak_kb else None,
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


