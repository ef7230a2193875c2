"""The benchmark's synthetic workbook: valid, and about as many documents as asked.

No timing here: `make bench` measures, the test suite only checks the bench's input.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from pipeline.content.themes import Content
from pipeline.documents.plan import plan_documents
from pipeline.workbook.check import check_workbook
from tools.bench import sample_indices, write_synthetic_workbook

TODAY = dt.date(2027, 1, 15)


@pytest.mark.parametrize("documents", [60, 250])
def test_synthetic_workbook_is_valid_and_about_n_documents(
    tmp_path: Path, content: Content, documents: int
) -> None:
    path, data = write_synthetic_workbook(tmp_path, documents)
    result = check_workbook(path, content, TODAY)
    cycle = result.cycle

    assert result.warnings == ()
    assert abs(data.documents - documents) <= documents // 10
    assert {s.thema for s in cycle.sessions} == {
        "leerruimte",
        "autonomie",
        "participatie",
        "intervisie",
    }
    assert cycle.organisation.handtekening is not None
    assert any(p.postadres is None for p in cycle.people)
    assert any(p.postadres is not None for p in cycle.people)
    assert any("&" in (p.afdeling or "") for p in cycle.people)
    plan = plan_documents(cycle, content)
    assert dict(Counter(job.kind.value for job in plan.jobs)) == data.counts


def test_docxtpl_sample_is_spread_over_the_plan() -> None:
    assert sample_indices(10, 20) == list(range(10))
    picked = sample_indices(10_000, 1_000)
    assert len(picked) == len(set(picked)) == 1_000
    assert picked[0] == 0 and picked[-1] >= 9_990
