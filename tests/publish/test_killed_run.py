"""A real run, really killed: no worker survives its parent, nothing is left behind.

Each test starts `intervisie genereer` on a workbook large enough for the worker pool,
waits until the workers are busy, sends a signal to the main process and then looks
at the process table and the output folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.bench import write_synthetic_workbook

DOCUMENTS = 2500


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_workbook(tmp_path_factory.mktemp("groot"), DOCUMENTS)[0]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(workbook: Path, output: Path) -> subprocess.Popen[bytes]:
    code = "from pipeline.cli import main; main()"
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "genereer",
            str(workbook),
            "--uitvoer",
            str(output),
            "--processen",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for_workers(run: subprocess.Popen[bytes], output: Path) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = _children(run.pid)
        staged = list(output.glob(".*.staging-*/*/*.docx")) if output.exists() else []
        if len(workers) >= 2 and staged:
            return workers
        if run.poll() is not None:
            raise AssertionError(run.communicate()[1].decode())
        time.sleep(0.05)
    raise AssertionError("the workers never started")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_die_with_the_run(big_workbook: Path, tmp_path: Path, signum: int) -> None:
    output = tmp_path / "uit"
    run = _start(big_workbook, output)
    workers = _wait_for_workers(run, output)
    os.kill(run.pid, signum)
    try:
        # workers that survive would keep the stderr pipe open: communicate times out
        _, stderr = run.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w for w in workers if _running(w)] == []
    finally:
        for worker in workers:  # never leave a survivor behind a failing test
            if _running(worker):
                os.kill(worker, signal.SIGKILL)
        run.kill()
        run.communicate()
    assert run.returncode != 0
    if signum != signal.SIGKILL:
        # stopped like Ctrl-C: Dutch message, the staging folder and the lock removed
        assert "Afgebroken." in stderr.decode()
        assert sorted(p.name for p in output.iterdir()) == []
    else:  # kill -9 leaves its folders; the next run (of any cycle) clears them
        from pipeline.publish.staging import recover

        assert any(p.name.startswith(".") for p in output.iterdir())
        recover(output)
        assert sorted(p.name for p in output.iterdir()) == []
