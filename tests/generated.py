"""Generate the example workbook once for the tests that read documents back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.run import RunResult, generate
from tests.conftest import EXAMPLE, TEMPLATES

# Fixed 'today' so the past-date warning does not depend on the day the tests run.
TODAY = dt.date(2027, 1, 4)


def generate_example(output: Path, **options: object) -> RunResult:
    return generate(EXAMPLE, output, TEMPLATES, today=TODAY, workers=1, **options)  # type: ignore[arg-type]
