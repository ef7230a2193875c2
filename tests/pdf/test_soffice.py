"""LibreOffice missing, hanging, crashing or outlived: a fake `soffice` first on PATH.

No real LibreOffice is needed: the fake records its process ids, so the tests can prove
that nothing is left running after a timeout, a crash or a kill of the run itself.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import ConversionFailed
from pipeline.pdf.pdfa import NotPdfA
from pipeline.pdf.soffice import Running
from pipeline.register.db import REGISTER_NAME
from pipeline.run import PdfOptions
from tests.conftest import EXAMPLE
from tests.generated import generate_example

HANG = """#!/bin/sh
echo $$ >> "{pids}"
sleep 300 &
echo $! >> "{pids}"
wait
"""
CRASH = """#!/bin/sh
echo $$ >> "{pids}"
echo "soffice.bin: fatale fout" >&2
exit 134
"""


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    folder = tmp_path / "nep"
    folder.mkdir()
    pids = tmp_path / "pids"
    program = folder / "soffice"
    program.write_text(script.format(pids=pids))
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return pids


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for all purposes; /proc tells the difference. The process may be
    # reaped between the two looks (ESRCH or ENOENT on reading): then it is gone too.
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False


def all_gone(pids: Path, within: float = 5.0) -> bool:
    numbers = [int(line) for line in pids.read_text().split()]
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(running(pid) for pid in numbers):
            return True
        time.sleep(0.1)
    return False


def test_without_libreoffice_pdf_fails_before_writing_anything_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    output = tmp_path / "uit"
    result = CliRunner().invoke(main, ["genereer", str(EXAMPLE), "--uitvoer", str(output), "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice" in result.stderr and "niet gevonden" in result.stderr
    assert "apt-get install libreoffice-writer-nogui fonts-crosextra-carlito" in result.stderr
    assert not output.exists()


def test_without_libreoffice_and_without_pdf_everything_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = CliRunner().invoke(main, ["genereer", str(EXAMPLE), "--uitvoer", str(tmp_path / "u")])
    assert result.exit_code == 0, result.output
    assert "Klaar: 118 documenten" in result.stdout
    assert "voor PDF/A-2b in het archief: genereer met --pdf" in result.stdout


@pytest.mark.parametrize(
    ("script", "expected"),
    [(HANG, "reageerde niet binnen 2 seconden"), (CRASH, "stopte met foutcode 134")],
    ids=["hangs", "crashes"],
)
def test_a_hung_or_crashing_soffice_ends_the_run_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, expected: str
) -> None:
    output = tmp_path / "uit"
    previous = generate_example(output)
    manifest = (previous.target / "manifest.json").read_bytes()
    pids = fake_soffice(tmp_path, monkeypatch, script)
    with pytest.raises(ConversionFailed) as raised:
        generate_example(output, pdf=PdfOptions(("syllabus",), timeout=2, instances=1))
    message = str(raised.value)
    assert expected in message and "ook niet bij een tweede poging" in message
    assert "syllabi/" in message and "De vorige uitvoer is ongewijzigd" in message
    assert (previous.target / "manifest.json").read_bytes() == manifest
    assert not list(previous.target.rglob("*.pdf"))
    assert sorted(p.name for p in output.iterdir()) == sorted(
        ["archief", REGISTER_NAME, previous.target.name]
    )
    assert len(pids.read_text().split()) == (4 if script == HANG else 2)  # two attempts
    assert all_gone(pids, within=0.5)


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_stopping_the_run_stops_its_soffice_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signal_number: int
) -> None:
    pids = fake_soffice(tmp_path, monkeypatch, HANG)
    command = "from pipeline.cli import main; main()"
    arguments = ["genereer", str(EXAMPLE), "--uitvoer", str(tmp_path / "uit"), "--pdf=syllabus"]
    run = subprocess.Popen(
        [sys.executable, "-c", command, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pids.exists() and len(pids.read_text().split()) >= 2):
            assert time.monotonic() < deadline and run.poll() is None, "soffice never started"
            time.sleep(0.1)
        run.send_signal(signal_number)
        assert run.wait(timeout=30) != 0
        assert all_gone(pids)
        assert not (tmp_path / "uit" / "intervisie-voorjaar-2027").exists()
    finally:
        run.kill()
        run.wait()


def _group() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "300"], start_new_session=True)


def test_stopping_kills_the_soffice_groups_at_work_and_any_started_after() -> None:
    """A conversion that checked for the stop just before it came starts its soffice
    after the stop: that one is killed too, not left to hang until its timeout."""
    running = Running()
    before, after, done = _group(), _group(), _group()
    try:
        running.add(before.pid)
        running.add(done.pid)
        running.discard(done.pid)
        running.stop()
        assert before.wait(timeout=10) == -signal.SIGKILL
        running.add(after.pid)
        assert after.wait(timeout=10) == -signal.SIGKILL
        assert done.poll() is None  # no longer at work: not the stop's to kill
    finally:
        for process in (before, after, done):
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("--pdf=onzin", "onbekende soort: onzin"), ("--pdf=syllabus,brief", "onbekende soort: brief")],
)
def test_an_unknown_pdf_kind_is_a_dutch_usage_error(
    tmp_path: Path, value: str, expected: str
) -> None:
    output = tmp_path / "uit"
    result = CliRunner().invoke(main, ["genereer", str(EXAMPLE), "--uitvoer", str(output), value])
    assert result.exit_code == 2 and expected in result.stderr and "alle" in result.stderr
    assert not output.exists()


# Stand-ins that write a PDF, but not the PDF/A LibreOffice's export makes.
PLAIN_PDF = """#!{python}
import sys
from pathlib import Path

import pikepdf

arguments = sys.argv[1:]
outdir = Path(arguments[arguments.index("--outdir") + 1])
for source in (Path(a) for a in arguments if a.endswith(".docx")):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    {claim}
    pdf.save(outdir / (source.stem + ".pdf"))
"""
# Declares PDF/A-2b in its XMP and shows text in a font it does not embed.
CLAIMS_PDFA = """font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Syllabus) Tj ET")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
"""


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (
            "",
            r"LibreOffice maakte van 'syllabi/syllabus-\d+-[a-z-]+\.pdf' en 40 andere geen "
            r"PDF/A \(de PDF verklaart geen PDF/A-2 in zijn XMP-metagegevens\)\. Er is niets "
            r"gepubliceerd; de vorige uitvoer is ongewijzigd\.",
        ),
        (
            CLAIMS_PDFA,
            r"'syllabi/syllabus-\d+-[a-z-]+\.pdf' is geen geldige PDF/A-2b: regel "
            r"pikepdf:output-intent \(niet te controleren\) bij obj 1 0 \(Catalog\): no "
            r"OutputIntents; device colour cannot be checked; regel ISO_19005_2:6\.2\.11\.4\.1-1 "
            r"\(niet te controleren\) bij obj \d+ 0 \(Font\): Type 1 font has no "
            r"/FontDescriptor, so it is not embedded\. Er is niets gepubliceerd; de vorige "
            r"uitvoer is ongewijzigd\.",
        ),
    ],
    ids=["plain-pdf", "claims-pdfa"],
)
def test_a_stand_in_soffice_that_writes_no_pdfa_is_refused_and_nothing_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claim: str, expected: str
) -> None:
    output = tmp_path / "uit"
    previous = generate_example(output)
    manifest = (previous.target / "manifest.json").read_bytes()
    archive = {p: p.read_bytes() for p in (output / "archief").rglob("*") if p.is_file()}
    fake_soffice(tmp_path, monkeypatch, PLAIN_PDF.format(python=sys.executable, claim=claim))
    with pytest.raises(NotPdfA) as raised:
        generate_example(output, pdf=PdfOptions(("syllabus",), instances=1))
    assert re.fullmatch(expected, str(raised.value)), str(raised.value)
    assert (previous.target / "manifest.json").read_bytes() == manifest
    assert not list(output.rglob("*.pdf"))
    assert {p: p.read_bytes() for p in (output / "archief").rglob("*") if p.is_file()} == archive
    assert sorted(p.name for p in output.iterdir()) == sorted(
        ["archief", REGISTER_NAME, previous.target.name]
    )
