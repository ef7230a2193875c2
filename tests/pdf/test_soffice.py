"""LibreOffice missing, hanging, crashing or outlived: a fake `soffice` first on PATH.

No real LibreOffice is needed: the fake records its process ids, so the tests can prove
that nothing is left running after a timeout, a crash or a kill of the run itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import ConversionFailed
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
    # A zombie is gone for all purposes; /proc tells the difference.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


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
    assert sorted(p.name for p in output.iterdir()) == ["archief", previous.target.name]
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
