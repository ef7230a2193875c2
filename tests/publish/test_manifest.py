from __future__ import annotations

import csv
import hashlib
import io

import pytest

from pipeline.publish.manifest import ManifestRow, manifest_csv, neutralise


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+31", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_values_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_manifest_reads_back_as_text() -> None:
    row = ManifestRow("uitnodiging", '=HYPERLINK("x")', "10234", "a/b.docx", "ab" * 32)
    text = manifest_csv([row]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["soort", "sessie", "personeelsnummer", "pad", "sha256"]
    assert rows[1][1] == '\'=HYPERLINK("x")'
    assert rows[1][2] == "10234"


def test_manifest_csv_of_a_run_holds_each_files_sha256(example_run) -> None:  # type: ignore[no-untyped-def]
    text = (example_run.target / "manifest.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 118 + 59  # documents and their calendar files
    for row in rows:
        data = (example_run.target / row["pad"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest(), row["pad"]
