"""map_chunks: work spread over forked workers gives the serial result, in order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.render.batch import PARALLEL_FROM, map_chunks
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY
from tools.bench import write_synthetic_workbook


def _square_with_pid(items: list[int]) -> list[tuple[int, int]]:
    return [(item * item, os.getpid()) for item in items]


def _fail_on_seven(items: list[int]) -> list[int]:
    if 7 in items:
        raise OutputError("zeven")
    return items


def test_parallel_results_equal_the_serial_ones_in_order() -> None:
    items = list(range(PARALLEL_FROM * 2))
    parallel = map_chunks(_square_with_pid, items, workers=2)
    assert [value for value, _ in parallel] == [item * item for item in items]
    pids = {pid for _, pid in parallel}
    assert os.getpid() not in pids and len(pids) >= 1  # done by workers, not the run


def test_small_inputs_stay_in_the_run() -> None:
    result = map_chunks(_square_with_pid, [1, 2, 3], workers=2)
    assert result == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_a_workers_error_reaches_the_run() -> None:
    with pytest.raises(OutputError, match="zeven"):
        map_chunks(_fail_on_seven, list(range(PARALLEL_FROM * 2)), workers=2)


def test_a_large_run_gives_the_same_files_with_one_or_two_workers(tmp_path: Path) -> None:
    """Documents and calendar files (both made in workers in a large run) come out the
    same, byte for byte, as from a run in one process."""
    workbook, _ = write_synthetic_workbook(tmp_path / "werkboek", 1_000)
    folders = []
    for workers in (1, 2):
        result = generate(
            workbook, tmp_path / f"uit-{workers}", TEMPLATES, today=TODAY, workers=workers
        )
        folders.append(result.target)
    serial, parallel = folders
    calendars = sorted(p.relative_to(serial) for p in serial.rglob("*.ics"))
    assert len(calendars) >= PARALLEL_FROM  # enough for the parallel path
    assert calendars == sorted(p.relative_to(parallel) for p in parallel.rglob("*.ics"))
    for relpath in calendars:
        assert (serial / relpath).read_bytes() == (parallel / relpath).read_bytes(), relpath
    assert (serial / "manifest.json").read_bytes() == (parallel / "manifest.json").read_bytes()
