"""Benchmark: the full pipeline against a plain docxtpl loop on the same documents.

Run from the project root:  .venv/bin/python -m tools.bench   (or `make bench`)

For every size N the tool builds a synthetic, valid workbook of its own (about N
documents over the four planned kinds; a first run cancels nothing), then measures, each
in a fresh subprocess:

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

Its parts: bench_synthetic.py (the workbook), bench_measure.py (runs, the baseline, the
outputs checked), bench_report.py (figures and targets), bench_pdf.py (the PDF part).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pipeline.stages import Stage, StageTimes
from tools.bench_measure import (
    Measured,
    docxtpl_baseline,
    run_measured,
    sample_indices,
    verify_outputs,
)
from tools.bench_report import SizeResult, machine_info, number, print_size, print_targets
from tools.bench_synthetic import write_synthetic_workbook

INTERVISIE = Path(sys.executable).parent / "intervisie"

DEFAULT_SIZES = (1000, 10000)
DOCXTPL_SAMPLE = 1000  # default size of the baseline sample above this many documents
MIN_DOCUMENTS = 20

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
    for old in (*folder.glob("pipeline*"), folder / "docxtpl", folder / "logboek"):
        shutil.rmtree(old, ignore_errors=True)
    print(f"\nWerkboek maken voor {number(target)} documenten ...", flush=True)
    started = time.perf_counter()
    workbook, data = write_synthetic_workbook(folder, target)
    build_seconds = time.perf_counter() - started
    documents = data.documents
    wanted = baseline_size(target, documents, docxtpl_max)

    options = ["--processen", str(workers)] if workers else []
    runs: list[Measured] = []
    stages: list[list[Stage]] = []
    for repeat in range(1, repeats + 1):
        # A fresh output folder each time (an existing archive would be skipped), and
        # nothing deleted until the whole benchmark is done: runs made right after
        # deleting the previous run's 24,000 files took 12-13 s where the first took
        # 8.4 s (ext4 passes over inodes deleted in the last minutes when it creates
        # files), which measured the benchmark's own cleaning up, not the run.
        output = folder / f"pipeline-{repeat}"
        cmd = [str(INTERVISIE), "genereer", str(workbook), "--uitvoer", str(output), *options]
        print(
            f"pipeline: intervisie genereer ({number(documents)} documenten), "
            f"run {repeat} van {repeats} ...",
            flush=True,
        )
        times = folder / "logboek" / f"pipeline-{repeat}.stappen.json"
        run = run_measured(
            [*cmd, "--staptijden", str(times)], folder / "logboek", f"pipeline-{repeat}"
        )
        if run.exit_code != 0:
            raise SystemExit(_failure("intervisie genereer", run))
        runs.append(run)
        stages.append(StageTimes.read(times))

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
        tuple(stages),
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


__all__ = ["INTERVISIE", "main", "run_measured", "sample_indices", "write_synthetic_workbook"]

if __name__ == "__main__":
    sys.exit(main())
