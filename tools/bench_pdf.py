"""The PDF section of `make bench`: the same documents converted two ways in one run.

- plain: one soffice call with every file on its command line (LibreOffice's own batch
  mode; one process converts the files one after another);
- pipeline: pipeline.output.pdf as `intervisie genereer --pdf` runs it (letters joined per
  chunk and split again, the other documents in batches, one soffice per core), including
  the PDF/A metadata rewrite.

Both convert the invitations and syllabi of a synthetic workbook of N documents, each in
a fresh process whose wall time, peak memory (largest process, and the sampled sum over
the process tree, soffice included) and output pages are reported. Run it alone:
`.venv/bin/python -m tools.bench_pdf --groottes 500,2000`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (500, 2000)
TARGET_RATIO = 3.0
TARGET_SECONDS = 600.0  # all invitations and syllabi of a 10,000-document run
TARGET_AT = 10000
KINDS = ("uitnodiging", "syllabus")


@dataclass(frozen=True)
class PdfResult:
    size: int
    documents: int
    pages: int
    plain: Any  # tools.bench.Measured
    pipeline: Any
    plain_documents: int  # what the plain call converted (it may stop early)
    plain_pages: int

    @property
    def ratio(self) -> float:
        """Pages per second, pipeline over plain (fair when the plain call stops early)."""
        plain_rate = self.plain_pages / self.plain.seconds
        return (self.pages / self.pipeline.seconds) / plain_rate


def _pages(folder: Path) -> int:
    import pikepdf

    total = 0
    for pdf in folder.rglob("*.pdf"):
        with pikepdf.open(pdf) as document:
            total += len(document.pages)
    return total


def pipeline_process(folder: str, jobs_file: str, instances: str) -> None:
    """Internal (a process of its own): convert the listed documents as the pipeline does."""
    from pipeline.output.pdf import PdfJob, convert_to_pdf
    from pipeline.output.soffice import require_soffice
    from pipeline.render.prepared import CoreProperties

    listed = json.loads(Path(jobs_file).read_text())
    jobs = [
        PdfJob(PurePosixPath(path), CoreProperties(path, kind, "Gemeente", kind, ""), group)
        for path, kind, group in listed
    ]
    convert_to_pdf(
        require_soffice(),
        Path(folder),
        jobs,
        [],
        dt.datetime(2030, 3, 4, 9),
        instances=int(instances),
    )


def measure(size: int, work: Path, instances: int) -> PdfResult:
    from pipeline.output.soffice import require_soffice
    from tools.bench import INTERVISIE, run_measured, write_synthetic_workbook

    program = require_soffice()
    workbook, _ = write_synthetic_workbook(work, size)
    output = work / "uit"
    subprocess.run(
        [str(INTERVISIE), "genereer", str(workbook), "--uitvoer", str(output)],
        check=True, capture_output=True,
    )
    target = next(p for p in output.iterdir() if p.name != "archief")
    manifest = json.loads((target / "manifest.json").read_text())
    rows = [r for r in manifest["documenten"] if r["soort"] in KINDS]
    listed = [[r["pad"], r["soort"], r["soort"]] for r in rows]
    # The plain way: every file in one soffice call (its profile made beforehand).
    plain_in = work / "gewoon"
    plain_in.mkdir()
    for number, row in enumerate(rows):
        shutil.copyfile(target / row["pad"], plain_in / f"{number:05d}.docx")
    profile = (work / "profiel").as_uri()
    warm = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    subprocess.run(
        [*warm, "--convert-to", "pdf", "--outdir", str(work / "warm"),
         str(plain_in / "00000.docx")], check=True, capture_output=True,
    )
    files = sorted(plain_in.glob("*.docx"))
    plain = run_measured(
        [*warm, "--convert-to", "pdf", "--outdir", str(work / "gewoon-pdf"), *map(str, files)],
        work / "logs", "pdf-gewoon",
    )
    plain_pages = _pages(work / "gewoon-pdf")
    plain_documents = len(list((work / "gewoon-pdf").glob("*.pdf")))
    shutil.rmtree(work / "gewoon-pdf", ignore_errors=True)
    jobs_file = work / "opdrachten.json"
    jobs_file.write_text(json.dumps(listed))
    ours = run_measured(
        [sys.executable, "-m", "tools.bench_pdf", "--pdf-proces", str(target), str(jobs_file),
         str(instances)],
        work / "logs", "pdf-pipeline",
    )
    if ours.exit_code != 0 or plain.exit_code != 0:
        raise SystemExit(f"FOUT: PDF-meting mislukt:\n{ours.stderr[-2000:]}{plain.stderr[-2000:]}")
    pages = _pages(target)
    return PdfResult(size, len(rows), pages, plain, ours, plain_documents, plain_pages)


def _mb(measured: Any) -> str:
    tree = f", boom {measured.tree_mb:.0f} MB" if measured.tree_mb else ""
    return f"grootste proces {measured.max_rss_mb:.0f} MB{tree}"


def print_result(result: PdfResult) -> None:
    print(f"\nPDF, werkboek van {result.size} documenten: {result.documents} uitnodigingen en "
          f"syllabi, {result.pages} pagina's")
    for name, measured, documents, pages in (
        ("gewoon (één soffice-aanroep)", result.plain, result.plain_documents,
         result.plain_pages),
        ("pipeline", result.pipeline, result.documents, result.pages),
    ):
        seconds = measured.seconds
        print(f"  {name:30} {seconds:7.1f} s  {documents / seconds:6.1f} documenten/s  "
              f"{pages / seconds:6.1f} pagina's/s  ({_mb(measured)})")
    if result.plain_documents < result.documents:
        print(f"  let op: de gewone aanroep stopte na {result.plain_documents} van "
              f"{result.documents} documenten (zonder foutmelding); de snelheid telt wat "
              "hij wel omzette")
    print(f"  verhouding (pagina's/s): {result.ratio:.1f}x sneller (doel: ≥ {TARGET_RATIO:.0f}x)")


def print_targets(results: list[PdfResult]) -> None:
    largest = max(results, key=lambda r: r.size)
    rate = largest.documents / largest.pipeline.seconds
    share = largest.documents / largest.size
    estimate = TARGET_AT * share / rate
    print("\nDoelen PDF (deze machine: gedeeld met andere processen, cijfers variëren):")
    print(f"  ≥ {TARGET_RATIO:.0f}x de gewone aanroep: {largest.ratio:.1f}x")
    measured_at = f"gemeten bij {largest.size}" if largest.size < TARGET_AT else "gemeten"
    print(f"  uitnodigingen en syllabi van {TARGET_AT} documenten < {TARGET_SECONDS / 60:.0f} "
          f"min: {estimate / 60:.1f} min ({measured_at}: {rate:.1f} documenten/s)")
    if len(results) > 1:
        smallest = min(results, key=lambda r: r.size)
        peak = [r.pipeline.tree_mb or r.pipeline.max_rss_mb for r in (smallest, largest)]
        print(f"  geheugen (boom) bij {smallest.size} en {largest.size}: {peak[0]:.0f} en "
              f"{peak[1]:.0f} MB")


def run(sizes: list[int], instances: int, folder: Path | None) -> None:
    work = folder or Path(tempfile.mkdtemp(prefix="intervisie-bench-pdf-"))
    try:
        results = [measure(size, work / f"pdf-n{size}", instances) for size in sizes]
        for result in results:
            print_result(result)
        print_targets(results)
    finally:
        if folder is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    from pipeline.output.batch import default_workers

    parser = argparse.ArgumentParser(prog="python -m tools.bench_pdf")
    parser.add_argument("--groottes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--processen", type=int, default=default_workers())
    parser.add_argument("--map", type=Path, default=None)
    parser.add_argument("--pdf-proces", nargs=3, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pdf_proces:
        pipeline_process(*args.pdf_proces)
        return 0
    run([int(s) for s in args.groottes.split(",")], args.processen, args.map)
    return 0


if __name__ == "__main__":
    sys.exit(main())
