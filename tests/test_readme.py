"""The README documents the contract as the code has it."""

from __future__ import annotations

import pytest

from pipeline.documents.plan import ALL_KINDS
from pipeline.workbook.schema import SHEETS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "column"),
    [(sheet.name, column.name) for sheet in SHEETS for column in sheet.columns],
)
def test_every_workbook_column_is_documented(sheet: str, column: str) -> None:
    assert f"### Blad `{sheet}`" in README
    assert f"| `{column}` |" in README


def test_the_two_commands_and_every_kind_are_documented() -> None:
    assert "make run" in README and "make test" in README and "make bench" in README
    for kind in ALL_KINDS:
        assert f"`{kind.value}`" in README


def test_the_promises_say_what_is_never_removed() -> None:
    promises = README[README.index("### Wat het programma vervangt en verwijdert") :]
    assert "**nooit** iets dat het niet zelf heeft gemaakt" in promises
    assert "in zijn geheel" not in README  # no full run replaces the whole folder any more
