"""An optional timing hook: wall and CPU seconds per step of a run.

`generate(..., stages=StageTimes())` records, per step, the wall-clock seconds and the
CPU seconds of this process plus every child process it reaped during the step (pool
workers are reaped when their pool closes, soffice when its call returns). Without a
recorder (the default) a run measures nothing. The benchmark prints what it records.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TypeVar

Item = TypeVar("Item")

# The steps of a run, in the order the benchmark prints them.
CHECK = "controle"  # read and check the workbook and templates
PLAN = "plan"  # plan the documents and hash their contexts (interleaved with render)
RENDER = "render"  # fill in the templates and write the documents (plan excluded)
COMPARE = "vergelijken"
CALENDAR = "agenda"
CANCEL = "afzeggen"
BUNDLE = "afdrukbestand"
PDF = "pdf"
MAIL = "e-mail"
RECORD = "manifest"
REGISTER = "register"
PUBLISH = "publiceren"
ARCHIVE = "archief"
ORDER = (
    CHECK, PLAN, RENDER, COMPARE, CALENDAR, CANCEL, BUNDLE, PDF, MAIL, RECORD, REGISTER,
    PUBLISH, ARCHIVE,
)  # fmt: skip


def cpu_seconds() -> float:
    """User and system time of this process and of the children it has reaped."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0


class Recorder(Protocol):
    def add(self, name: str, seconds: float, cpu_seconds: float) -> None: ...


class StageTimes:
    """Collects wall and CPU seconds per step; a step measured twice adds up."""

    def __init__(self) -> None:
        self.stages: dict[str, Stage] = {}

    def add(self, name: str, seconds: float, cpu_seconds: float) -> None:
        stage = self.stages.setdefault(name, Stage(name))
        stage.seconds += seconds
        stage.cpu_seconds += cpu_seconds

    def as_json(self) -> str:
        return json.dumps([asdict(s) for s in self.stages.values()])

    def write(self, path: Path) -> None:
        path.write_text(self.as_json(), encoding="utf-8")

    @staticmethod
    def read(path: Path) -> list[Stage]:
        return [Stage(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]


@contextmanager
def timed(recorder: Recorder | None, name: str) -> Iterator[None]:
    """Measure the block as step `name` (nothing at all without a recorder)."""
    if recorder is None:
        yield
        return
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        recorder.add(name, time.perf_counter() - wall, cpu_seconds() - cpu)


class Split:
    """Time spent inside an interleaved part of a step (the plan, consumed by the
    render loop), to be moved from the step to a name of its own."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def measure(self, items: Iterator[Item]) -> Iterator[Item]:
        while True:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self.seconds += time.perf_counter() - wall
                self.cpu_seconds += time.process_time() - cpu
            yield item


__all__ = ["ORDER", "Recorder", "Split", "Stage", "StageTimes", "cpu_seconds", "timed"]
