from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from pipeline.publish.manifest import (
    ManifestRow,
    RowList,
    manifest_csv,
    manifest_csv_chunks,
    manifest_json_chunks,
    neutralise,
)


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


def _old_csv(rows: list[ManifestRow]) -> bytes:
    """manifest.csv as it was made in one piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(("soort", "sessie", "personeelsnummer", "pad", "sha256"))
    for row in rows:
        values = (row.soort, row.sessie, row.personeelsnummer, row.pad, row.sha256)
        writer.writerow(neutralise(v) for v in values)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_ODD = [
    ManifestRow("uitnodiging", 'AU-01 "x"', "00123", "map/é\nß.docx", "ab" * 32, "cd" * 32),
    ManifestRow("agenda", "=1", "-2", "a\\b\t\u2028.ics", "", "", 3, 4),
    ManifestRow("syllabus", "s", "p", "x.docx", "ef" * 32, versie=True, gewijzigd_in=2.5),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("count", [0, 1, 2, 4999])
def test_manifest_csv_in_pieces_is_the_same_as_in_one(count: int) -> None:
    rows = [_ODD[i % 2] for i in range(count)]
    assert manifest_csv(rows) == _old_csv(rows)
    assert b"".join(manifest_csv_chunks(rows)) == _old_csv(rows)


@pytest.mark.parametrize("rows", [[], _ODD[:1], _ODD])
@pytest.mark.parametrize("gone", [[], _ODD[1:2]])
def test_manifest_json_row_by_row_is_what_json_dumps_makes(
    rows: list[ManifestRow], gone: list[ManifestRow]
) -> None:
    common = {
        "version": "1.0",
        "cycle": "Voorjaar \"2027\"",
        "workbook": Path("w.xlsx"),
        "workbook_sha256": "00",
        "templates": [("a.docx", "11")],
        "warnings": ["let op: é"],
        "counts": {"uitnodiging": len(rows)},
    }
    made = b"".join(
        manifest_json_chunks(
            **common,  # type: ignore[arg-type]
            rows=rows,
            extra={"cyclusversie": 2, "vervallen": RowList(gone), "brieven": {"p": "post"}},
        )
    )
    record = {
        "programma": "intervisie-docs",
        "versie": "1.0",
        "cyclus": common["cycle"],
        "werkboek": {"naam": "w.xlsx", "sha256": "00"},
        "sjablonen": [{"naam": "a.docx", "sha256": "11"}],
        "aantallen": common["counts"],
        "waarschuwingen": ["let op: é"],
        "documenten": [row.as_dict() for row in rows],
        "cyclusversie": 2,
        "vervallen": [row.as_dict() for row in gone],
        "brieven": {"p": "post"},
    }
    assert made == (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
