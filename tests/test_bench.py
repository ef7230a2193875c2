"""The benchmark's synthetic workbook: valid, and about as many documents as asked.

No timing here: `make bench` measures, the test suite only checks the bench's input.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from pipeline.content.model import Content
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


def test_plain_pdf_way_gives_soffice_at_most_200_files_per_call(tmp_path: Path) -> None:
    """soffice silently skips the files after about the 246th of one command line, so the
    plain way in the PDF bench must split them (or it would measure too few documents)."""
    from tools.bench_pdf import PLAIN_BATCH, plain_process

    calls = tmp_path / "aanroepen.txt"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\necho "$#" >> {calls}\n')
    fake.chmod(0o755)
    files = [str(tmp_path / f"{n:05d}.docx") for n in range(450)]
    listed = tmp_path / "lijst.txt"
    listed.write_text("\n".join(files))
    plain_process(str(fake), "file:///tmp/profiel", str(tmp_path), str(listed))
    options = 7  # -env, --headless, --norestore, --convert-to FILTER, --outdir DIR
    counts = [int(line) - options for line in calls.read_text().split()]
    assert PLAIN_BATCH <= 200 and counts == [200, 200, 50]
