"""The optional timing hook: every step of a run is recorded, and nothing without it."""

from __future__ import annotations

from pathlib import Path

from pipeline import stages
from pipeline.stages import Split, StageTimes, timed
from tests.generated import generate_example


def test_a_run_records_its_steps_with_wall_and_cpu_seconds(tmp_path: Path) -> None:
    recorder = StageTimes()
    generate_example(tmp_path / "uit", stages=recorder)
    recorded = set(recorder.stages)
    assert {stages.CHECK, stages.PLAN, stages.RENDER, stages.CALENDAR, stages.RECORD} <= recorded
    assert {stages.REGISTER, stages.PUBLISH, stages.ARCHIVE} <= recorded
    assert recorded <= set(stages.ORDER)
    assert all(s.seconds >= 0 and s.cpu_seconds >= 0 for s in recorder.stages.values())


def test_stage_times_round_trip_as_json(tmp_path: Path) -> None:
    recorder = StageTimes()
    with timed(recorder, "render"):
        pass
    with timed(recorder, "render"):  # measured twice: added up
        pass
    recorder.write(tmp_path / "tijden.json")
    [read] = StageTimes.read(tmp_path / "tijden.json")
    assert read.name == "render" and read.seconds == recorder.stages["render"].seconds


def test_without_a_recorder_nothing_is_measured() -> None:
    with timed(None, "render"):
        pass  # no recorder, no error


def test_split_passes_every_item_through() -> None:
    split = Split()
    assert list(split.measure(iter([1, 2, 3]))) == [1, 2, 3]
    assert split.seconds >= 0 and split.cpu_seconds >= 0
