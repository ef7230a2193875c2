"""A whole `intervisie genereer WERKBOEK --pdf` run, measured: the PDF goals of `make bench`.

`tools.bench_pdf` measures the conversion of invitations and syllabi on its own; this
runs the command as HR does (print bundles, invitations, syllabi as PDF/A, each
validated; the archive) on a synthetic workbook, in a fresh process, and samples the
process tree every 0.1 s (tools.bench_measure): the summed PSS of the tree (LibreOffice
included) and the largest resident size of any Python process (the run and its workers).
Run it alone: `.venv/bin/python -m tools.bench_pdf_run --documenten 10000`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tools.bench import INTERVISIE
from tools.bench_measure import run_measured
from tools.bench_synthetic import write_synthetic_workbook

TREE_MB = 700.0  # the whole process tree, LibreOffice included
PYTHON_MB = 250.0  # any one Python process


def measure(documents: int, folder: Path) -> dict[str, float]:
    workbook, _ = write_synthetic_workbook(folder / "werkboek", documents)
    stages = folder / "staptijden.json"
    command = [
        str(INTERVISIE), "genereer", str(workbook), "--pdf",
        "--uitvoer", str(folder / "uitvoer"), "--staptijden", str(stages),
    ]
    run = run_measured(command, folder / "logboek", "genereer-pdf")
    if run.exit_code != 0:
        raise SystemExit(f"FOUT: de run mislukte:\n{run.stderr[-2000:]}")
    pdf = next(s for s in json.loads(stages.read_text()) if s["name"] == "pdf")
    return {
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "pdf_seconds": pdf["seconds"],
        "pdfs": sum(1 for _ in (folder / "uitvoer").rglob("*.pdf")),
        "tree_mb": run.tree_mb or 0.0,
        "python_mb": run.python_mb or 0.0,
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
