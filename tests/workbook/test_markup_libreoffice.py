"""LibreOffice Calc opens every marked copy of the rule tables: converted headless to CSV
(the first sheet, Controle) without error, and what it reads there is every problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.workbook.markup import write_marked_copy
from tests.soffice_plain import convert_plain
from tests.workbook.test_markup import CASES, broken_workbook, problems_of

pytestmark = [pytest.mark.libreoffice]


def test_libreoffice_reads_every_marked_copy(tmp_path: Path) -> None:
    copies: dict[Path, list[str]] = {}
    for name, mutate in CASES:
        folder = tmp_path / name
        folder.mkdir()
        workbook = broken_workbook(folder, mutate)
        problems = problems_of(workbook)
        copy = write_marked_copy(workbook, problems).path
        # One folder for the conversion: a name per case.
        target = tmp_path / "kopie" / f"{name}.xlsx"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(copy.read_bytes())
        copies[target] = [p.message for p in problems]
    converted = convert_plain(
        list(copies), tmp_path / "csv", "csv:Text - txt - csv (StarCalc):44,34,76", timeout=600
    )
    for (source, messages), csv_file in zip(copies.items(), converted, strict=True):
        with csv_file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0].startswith("Controle van het werkboek 'werkboek.xlsx'")
        assert [row[4] for row in rows[5:] if len(row) > 4] == messages, source.name
