"""A whole `intervisie genereer WERKBOEK --pdf` run, measured: the PDF goals of `make bench`.

`tools.bench_pdf` measures the conversion of invitations and syllabi on its own; this
runs the command as HR does (print bundles, invitations, syllabi as PDF/A, each
validated; the archive) on a synthetic workbook, in a fresh process, and samples the
process tree every 0.3 s: the summed PSS of the tree (LibreOffice included) and the
largest resident size of any Python process (the run and its worker processes).
Run it alone: `.venv/bin/python -m tools.bench_pdf_run --documenten 10000`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.bench_measure import RoleSampler
from tools.bench_synthetic import ROOT, write_synthetic_workbook

INTERVISIE = Path(sys.executable).parent / "intervisie"

TREE_MB = 700.0  # the whole process tree, LibreOffice included
PYTHON_MB = 250.0  # any one Python process


def measure(documents: int, folder: Path) -> dict[str, float]:
    workbook, _ = write_synthetic_workbook(folder / "werkboek", documents)
    stages = folder / "staptijden.json"
    command = [
        str(INTERVISIE), "genereer", str(workbook), "--pdf",
        "--uitvoer", str(folder / "uitvoer"), "--staptijden", str(stages),
    ]
    if hasattr(os, "sync"):
        os.sync()
    start = time.perf_counter()
    with (folder / "uit.txt").open("wb") as out, (folder / "fout.txt").open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        sampler = RoleSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"FOUT: de run mislukte:\n{(folder / 'fout.txt').read_text()[-2000:]}")
    pdf = next(s for s in json.loads(stages.read_text()) if s["name"] == "pdf")
    pdfs = sum(1 for _ in (folder / "uitvoer").rglob("*.pdf"))
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "pdf_seconds": pdf["seconds"],
        "pdfs": pdfs,
        "tree_mb": sampler.peak_kb / 1024,
        "python_mb": sampler.python_peak_kb / 1024,
    }


def report(documents: int, figures: dict[str, float]) -> str:
    tree, python = figures["tree_mb"], figures["python_mb"]
    return "\n".join([
        f"\nVolledige run met --pdf, werkboek van {documents} documenten:",
        f"  {figures['seconds']:.0f} s ({figures['cpu_seconds']:.0f} CPU-seconden, "
        f"LibreOffice meegeteld); stap PDF {figures['pdf_seconds']:.0f} s; "
        f"{figures['pdfs']:.0f} PDF's in de uitvoer en het archief",
        f"  [{'x' if tree < TREE_MB else ' '}] hele procesboom < {TREE_MB:.0f} MB: {tree:.0f} MB",
        f"  [{'x' if python < PYTHON_MB else ' '}] grootste Python-proces < {PYTHON_MB:.0f} MB: "
        f"{python:.0f} MB",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_pdf_run")
    parser.add_argument("--documenten", type=int, default=10000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="intervisie-bench-pdf-run-") as folder:
        print(report(args.documenten, measure(args.documenten, Path(folder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
