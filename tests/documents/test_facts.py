"""What a changed invitation says changed, in both forms of address."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from pipeline.documents.facts import (
    Facts,
    change_context,
    earlier_date,
    unknown_facts,
    what_changed,
)

BEFORE = Facts(
    dt.datetime(2027, 3, 9, 14, 0),
    dt.datetime(2027, 3, 9, 15, 0),
    "op locatie",
    "Raadzaal",
    "",
    "Karin Bakker",
    "HR",
    "deelnemer",
    dt.date(2027, 2, 16),
)


@pytest.mark.parametrize(
    ("changes", "formal", "expected"),
    [
        (
            {"start": dt.datetime(2027, 3, 10, 9, 0), "end": dt.datetime(2027, 3, 10, 10, 0)},
            True,
            ["de datum en tijd (was dinsdag 9 maart 2027, 14:00 - 15:00 uur)"],
        ),
        (
            {"vorm": "online", "locatie": "", "link": "https://teams.example.nl/x"},
            True,
            ["de vorm (nu online)"],
        ),
        (
            {"begeleider": "Piet de Vries", "begeleiding": "extern"},
            False,
            ["de begeleiding"],
        ),
        ({"rol": "inbrenger"}, False, ["je rol (je bent nu inbrenger)"]),
        (
            {"start": dt.datetime(2027, 3, 9, 15, 0), "end": dt.datetime(2027, 3, 9, 16, 0)},
            True,
            ["de tijd (was 14:00 - 15:00 uur)"],
        ),
        ({"locatie": "Zaal 2"}, True, ["de locatie"]),
        ({"briefdatum": dt.date(2027, 2, 20)}, True, []),  # the date alone tells nothing
    ],
)
def test_what_changed(changes: dict[str, object], formal: bool, expected: list[str]) -> None:
    assert what_changed(BEFORE, replace(BEFORE, **changes), formal) == expected  # type: ignore[arg-type]


def test_back_to_deelnemer_in_the_u_form() -> None:
    inbrenger = replace(BEFORE, rol="inbrenger")
    assert what_changed(inbrenger, BEFORE, True) == ["uw rol (u bent nu deelnemer)"]


def test_a_new_version_that_changed_none_of_the_facts_says_so() -> None:
    """The recipient's own address or the HR contact changed: the letter goes again and
    says that it replaces the earlier one, and that the session itself did not change."""
    change = change_context(BEFORE, True, replace(BEFORE, briefdatum=dt.date(2027, 2, 20)), False)
    assert change["vervangt"] and change["wat"] == []
    assert change["samenvatting"] == (
        "Deze uitnodiging vervangt je uitnodiging van 16 februari 2027. "
        "Datum, tijd, plaats, begeleiding en je rol zijn niet veranderd."
    )


def test_facts_survive_the_register_and_unknown_ones_keep_their_date() -> None:
    assert Facts.from_json(BEFORE.to_json()) == BEFORE
    assert Facts.from_json(None) is None and Facts.from_json("kapot") is None
    only_date = unknown_facts(dt.date(2027, 2, 16))
    assert Facts.from_json(only_date) is None
    assert earlier_date(only_date) == dt.date(2027, 2, 16)
    assert change_context(None, False, BEFORE, True)["vervangt"] is False
