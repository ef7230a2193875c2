"""Benchmark of the print bundle's PDF: time and peak memory of putting N letters together.

Run from the project root:  .venv/bin/python -m tools.bench_bundle --brieven 500,2000

The letters are real: the example workbook's invitations converted once with LibreOffice
(as `genereer --pdf=uitnodiging` does), then copied round-robin to N letters. Per size a
fresh process assembles one duplex bundle of them exactly as a run does
(Converter._bundle: pieces of at most BUNDLE_PIECE letters, each validated as PDF/A-2b),
and reports the wall time, the peak memory of that process and of the largest process it
started (os.wait4 / RUSAGE_CHILDREN), and the files made. Needs LibreOffice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from tools.bench import parse_sizes
from tools.bench_report import number
from tools.bench_synthetic import ROOT, TEMPLATES

EXAMPLE = ROOT / "inputs" / "voorbeeld.xlsx"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"belasting (1, 5, 15 min): {number(one, 2)}, {number(five, 2)}, {number(fifteen, 2)}"


def make_letters(folder: Path) -> list[Path]:
    """The example workbook's invitations as PDF/A, made by the pipeline itself."""
    from pipeline.run import PdfOptions, generate

    result = generate(
        EXAMPLE,
        folder / "uit",
        TEMPLATES,
        today=dt.date.today(),
        pdf=PdfOptions(("uitnodiging",)),
    )
    return sorted((result.target / "uitnodigingen").glob("*.pdf"))


def assemble(letters: list[Path], count: int, work: Path) -> dict[str, object]:
    """One duplex bundle of `count` letters, as the run's PDF step makes it."""
    from pipeline.pdf.convert import Bundle, Converter, PdfJob, _Chunk
    from pipeline.render.prepared import CoreProperties

    props = CoreProperties("Uitnodigingen", "Intervisie", "Bench", "", "2027-01-01T00:00:00Z")
    (work / "brieven").mkdir(parents=True)
    jobs = []
    for number_ in range(count):
        source = PurePosixPath(f"brieven/brief-{number_:05d}.docx")
        shutil.copyfile(letters[number_ % len(letters)], work / source.with_suffix(".pdf"))
        jobs.append(PdfJob(source, props, "per-post", tagged=True))
    chunks = [_Chunk(n // 100, jobs[n : n + 100]) for n in range(0, count, 100)]
    started = time.perf_counter()
    with Converter("soffice", work, dt.datetime(2027, 1, 1), instances=2) as converter:
        written = converter._bundle(
            Bundle("per-post", PurePosixPath("afdrukken/bundel.pdf"), props, duplex=True),
            chunks,
        )
    seconds = time.perf_counter() - started
    if isinstance(written, tuple):  # the program before bundles came in pieces: one file
        written = [written]
    return {
        "seconden": seconds,
        "eigen_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "kind_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "bestanden": len(written),
        "mb": sum((work / path).stat().st_size for path, _ in written) / 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_bundle")
    parser.add_argument("--brieven", type=parse_sizes, default=[500, 2000], metavar="N[,N]")
    parser.add_argument("--proces", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proces:  # internal: one size in a fresh process
        letters, count, work = args.proces
        paths = [Path(p) for p in json.loads(Path(letters).read_text(encoding="utf-8"))]
        print(json.dumps(assemble(paths, int(count), Path(work))))
        return 0
    work = Path(tempfile.mkdtemp(prefix="intervisie-bundel-"))
    try:
        print("Brieven maken (voorbeeldwerkboek, LibreOffice) ...", flush=True)
        letters = make_letters(work)
        listing = work / "brieven.json"
        listing.write_text(json.dumps([str(p) for p in letters]), encoding="utf-8")
        print(f"{len(letters)} brieven als PDF/A; {load_average()}")
        print(f"{'brieven':>8}{'seconden':>10}{'bestanden':>11}{'MB':>7}{'proces MB':>11}"
              f"{'grootste kind MB':>18}")  # fmt: skip
        for count in args.brieven:
            folder = work / f"n{count}"
            output = subprocess.run(
                [sys.executable, "-m", "tools.bench_bundle", "--proces", str(listing),
                 str(count), str(folder)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            ).stdout  # fmt: skip
            found = json.loads(output.strip().splitlines()[-1])
            print(
                f"{number(count):>8}{number(found['seconden'], 1):>10}"
                f"{found['bestanden']:>11}{number(found['mb'], 1):>7}"
                f"{number(found['eigen_mb']):>11}{number(found['kind_mb']):>18}",
                flush=True,
            )
            shutil.rmtree(folder, ignore_errors=True)
        print(load_average())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
