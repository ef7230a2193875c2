"""The PDF section of `make bench`: the same documents converted two ways in one run.

- plain: LibreOffice's own batch mode, the files on soffice's command line, converted one
  after another by one process, with the same PDF/A-2b filter as the pipeline. soffice
  silently ignores the files after about the 246th of one command line (it exits 0 and
  says nothing; the arguments travel to the office process over its IPC pipe, which
  drops the rest), so the plain way is one soffice call per PLAIN_BATCH files, one after
  another, sharing a warmed-up profile. With --gewoon-max it converts an even sample of
  the documents (the same mix of kinds): its pages per second are what the ratio uses;
- pipeline: pipeline.pdf.convert as `intervisie genereer --pdf` runs it (letters joined per
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
TARGET_RATIO = 4.5  # pages per second against soffice's own batch mode (issue 19)
TARGET_SECONDS = 180.0  # all invitations and syllabi of a 10,000-document run (issue 19)
TARGET_AT = 10000
KINDS = ("uitnodiging", "syllabus")
PLAIN_BATCH = 200  # files per plain soffice call: below the ~246 it silently stops at


@dataclass(frozen=True)
class PdfResult:
    size: int
    documents: int
    pages: int
    plain: Any  # tools.bench.Measured
    pipeline: Any
    plain_documents: int  # what the plain calls converted (a sample with --gewoon-max)
    plain_pages: int
    plain_calls: int

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
    from pipeline.pdf.convert import PdfJob, convert_to_pdf
    from pipeline.pdf.soffice import require_soffice
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


def plain_process(program: str, profile: str, outdir: str, list_file: str) -> None:
    """Internal (a process of its own): the plain way, PLAIN_BATCH files per soffice call."""
    from pipeline.pdf.soffice import PDFA_FILTER

    files = Path(list_file).read_text().split("\n")
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", PDFA_FILTER, "--outdir", outdir]
    for start in range(0, len(files), PLAIN_BATCH):
        subprocess.run([*command, *files[start:start + PLAIN_BATCH]], check=True,
                       stdout=subprocess.DEVNULL)


def measure(size: int, work: Path, instances: int, plain_max: int | None = None) -> PdfResult:
    from pipeline.pdf.soffice import require_soffice
    from tools.bench import INTERVISIE, run_measured, sample_indices, write_synthetic_workbook

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
    # The plain way (its profile made beforehand), on all documents or an even sample.
    plain_in = work / "gewoon"
    plain_in.mkdir()
    for number, index in enumerate(sample_indices(len(rows), plain_max or len(rows))):
        shutil.copyfile(target / rows[index]["pad"], plain_in / f"{number:05d}.docx")
    profile = (work / "profiel").as_uri()
    warm = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    subprocess.run(
        [*warm, "--convert-to", "pdf", "--outdir", str(work / "warm"),
         str(plain_in / "00000.docx")], check=True, capture_output=True,
    )
    files = sorted(plain_in.glob("*.docx"))
    list_file = work / "gewoon.txt"
    list_file.write_text("\n".join(map(str, files)))
    plain = run_measured(
        [sys.executable, "-m", "tools.bench_pdf", "--gewoon-proces", program, profile,
         str(work / "gewoon-pdf"), str(list_file)],
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
    calls = -(-len(files) // PLAIN_BATCH)
    return PdfResult(size, len(rows), pages, plain, ours, plain_documents, plain_pages, calls)


def _mb(measured: Any) -> str:
    tree = f", boom {measured.tree_mb:.0f} MB" if measured.tree_mb else ""
    return f"grootste proces {measured.max_rss_mb:.0f} MB{tree}"


def print_result(result: PdfResult) -> None:
    print(f"\nPDF, werkboek van {result.size} documenten: {result.documents} uitnodigingen en "
          f"syllabi, {result.pages} pagina's")
    for name, measured, documents, pages in (
        (f"gewoon ({result.plain_calls} soffice-aanroep(en))", result.plain,
         result.plain_documents, result.plain_pages),
        ("pipeline", result.pipeline, result.documents, result.pages),
    ):
        seconds = measured.seconds
        print(f"  {name:30} {seconds:7.1f} s  {documents / seconds:6.1f} documenten/s  "
              f"{pages / seconds:6.1f} pagina's/s  ({_mb(measured)})")
    if result.plain_documents < result.documents:
        print(f"  de gewone manier zette een gelijkmatige steekproef van "
              f"{result.plain_documents} van de {result.documents} documenten om")
    print(f"  verhouding (pagina's/s): {result.ratio:.1f}x sneller (doel: ≥ {TARGET_RATIO:.1f}x)")


def print_targets(results: list[PdfResult]) -> None:
    largest = max(results, key=lambda r: r.size)
    rate = largest.documents / largest.pipeline.seconds
    print("\nDoelen PDF:")
    print(f"  ≥ {TARGET_RATIO:.1f}x de gewone manier: {largest.ratio:.1f}x")
    if largest.size >= TARGET_AT:
        print(f"  uitnodigingen en syllabi van {largest.size} documenten < "
              f"{TARGET_SECONDS / 60:.0f} min: gemeten {largest.pipeline.seconds / 60:.1f} min "
              f"({largest.documents} PDF's, {largest.pages} pagina's)")
    else:
        estimate = TARGET_AT * (largest.documents / largest.size) / rate
        print(f"  uitnodigingen en syllabi van {TARGET_AT} documenten < "
              f"{TARGET_SECONDS / 60:.0f} min: geschat {estimate / 60:.1f} min (alleen "
              f"gemeten bij {largest.size}; meet echt met --pdf-groottes {TARGET_AT})")
    if len(results) > 1:
        peaks = ", ".join(
            f"{r.size}: {r.pipeline.tree_mb or r.pipeline.max_rss_mb:.0f} MB"
            for r in sorted(results, key=lambda r: r.size)
        )
        print(f"  geheugen (hele procesboom, piek) per werkboekgrootte: {peaks}")


def run(
    sizes: list[int], instances: int, folder: Path | None, plain_max: int | None = None
) -> None:
    work = folder or Path(tempfile.mkdtemp(prefix="intervisie-bench-pdf-"))
    try:
        results = [measure(size, work / f"pdf-n{size}", instances, plain_max) for size in sizes]
        for result in results:
            print_result(result)
        print_targets(results)
    finally:
        if folder is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    from pipeline.render.batch import default_workers

    parser = argparse.ArgumentParser(prog="python -m tools.bench_pdf")
    parser.add_argument("--groottes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--processen", type=int, default=default_workers())
    parser.add_argument("--map", type=Path, default=None)
    parser.add_argument("--gewoon-max", type=int, default=None,
                        help="de gewone manier zet hoogstens zoveel documenten om "
                        "(een gelijkmatige steekproef); standaard alle")
    parser.add_argument("--pdf-proces", nargs=3, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--gewoon-proces", nargs=4, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pdf_proces:
        pipeline_process(*args.pdf_proces)
        return 0
    if args.gewoon_proces:
        plain_process(*args.gewoon_proces)
        return 0
    run([int(s) for s in args.groottes.split(",")], args.processen, args.map, args.gewoon_max)
    return 0


if __name__ == "__main__":
    sys.exit(main())
