from __future__ import annotations

import datetime as dt

import pytest

from pipeline.documents import dutch
from pipeline.model import Aanhef, Person


def person(first: str, particle: str | None, last: str, aanhef: Aanhef) -> Person:
    return Person("1", first, particle, last, aanhef, None, None, "a@b.nl", None, 2)


@pytest.mark.parametrize(
    ("first", "particle", "last", "aanhef", "name", "greeting"),
    [
        ("Jan", "van der", "Berg", Aanhef.HEER, "Jan van der Berg", "Geachte heer Van der Berg,"),
        ("Sanne", "de", "Vries", Aanhef.NEUTRAAL, "Sanne de Vries", "Beste Sanne de Vries,"),
        ("Fatma", None, "Öztürk", Aanhef.MEVROUW, "Fatma Öztürk", "Geachte mevrouw Öztürk,"),
        ("Pieter", "'t", "Hart", Aanhef.HEER, "Pieter 't Hart", "Geachte heer 't Hart,"),
        ("Kees", "Van Der", "Meer", Aanhef.HEER, "Kees van der Meer", "Geachte heer Van der Meer,"),
        (
            "Els",
            "van den",
            "Bosch",
            Aanhef.MEVROUW,
            "Els van den Bosch",
            "Geachte mevrouw Van den Bosch,",
        ),
    ],
)
def test_names_and_salutations(
    first: str, particle: str | None, last: str, aanhef: Aanhef, name: str, greeting: str
) -> None:
    p = person(first, particle, last, aanhef)
    assert dutch.full_name(p) == name
    assert dutch.salutation(p) == greeting


def test_sorting_ignores_particles() -> None:
    people = [
        person("Jan", "van der", "Berg", Aanhef.HEER),
        person("Anna", None, "Bakker", Aanhef.MEVROUW),
        person("Zoë", "de", "Aa", Aanhef.MEVROUW),
        person("Eva", None, "Çelik", Aanhef.MEVROUW),
    ]
    ordered = [dutch.full_name(p) for p in sorted(people, key=dutch.sort_key)]
    assert ordered == ["Zoë de Aa", "Anna Bakker", "Jan van der Berg", "Eva Çelik"]


def test_dates_and_times_in_dutch() -> None:
    assert dutch.long_date(dt.date(2027, 3, 9)) == "dinsdag 9 maart 2027"
    start = dt.datetime(2027, 3, 9, 9, 5)
    assert dutch.clock_range(start, start + dt.timedelta(minutes=55)) == "09:05 - 10:00"


def test_long_links_get_invisible_break_chances_only_where_they_may_break() -> None:
    url = "https://teams.example/l/meetup-join/lr-02"
    shown = dutch.breakable(url)
    assert shown.replace(dutch.ZERO_WIDTH_SPACE, "") == url
    pieces = shown.split(dutch.ZERO_WIDTH_SPACE)
    assert pieces == ["https://", "teams.", "example/", "l/", "meetup-", "join/", "lr-", "02"]
    assert dutch.breakable("LR01") == "LR01"


def test_spans_and_enumerations_for_sentences() -> None:
    assert dutch.span([60, 60]) == "60"
    assert dutch.span([100, 60, 80]) == "60 tot 100"
    assert dutch.enumeration(["Leerruimte"]) == "Leerruimte"
    assert dutch.enumeration(["A", "B", "C"]) == "A, B en C"
