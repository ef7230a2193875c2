"""Dutch conventions: names with particles, salutations, dates and times."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache

from babel.dates import format_date

from pipeline.model import Aanhef, Person


def _capitalise_particle(particle: str) -> str:
    """'van der' -> 'Van der'; "'t" stays "'t" (an apostrophe form has no capital)."""
    return particle[:1].upper() + particle[1:] if particle[:1].isalpha() else particle


def full_name(person: Person) -> str:
    """'Jan van der Berg': after a first name the particle is lower case, as typed or not."""
    particle = person.tussenvoegsel.lower() if person.tussenvoegsel else None
    return " ".join(p for p in (person.voornaam, particle, person.achternaam) if p)


def surname(person: Person) -> str:
    """'Van der Berg': the surname as used without a first name in front of it."""
    if person.tussenvoegsel:
        return f"{_capitalise_particle(person.tussenvoegsel.lower())} {person.achternaam}"
    return person.achternaam


def salutation(person: Person) -> str:
    """The letter's opening line, comma included."""
    if person.aanhef is Aanhef.HEER:
        return f"Geachte heer {surname(person)},"
    if person.aanhef is Aanhef.MEVROUW:
        return f"Geachte mevrouw {surname(person)},"
    return f"Beste {full_name(person)},"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(person: Person) -> tuple[str, str, str, str]:
    """Sort by surname without its particle ('van der Berg' under B), then first name."""
    return (
        _fold(person.achternaam),
        _fold(person.voornaam),
        _fold(person.tussenvoegsel or ""),
        person.personeelsnummer,
    )


@lru_cache(maxsize=1024)  # babel takes tens of microseconds; a run has few dates
def long_date(day: dt.date) -> str:
    """'dinsdag 9 maart 2027'."""
    return str(format_date(day, format="EEEE d MMMM y", locale="nl_NL"))


@lru_cache(maxsize=1024)
def plain_date(day: dt.date) -> str:
    """'9 maart 2027': the date of a letter, without the weekday."""
    return str(format_date(day, format="d MMMM y", locale="nl_NL"))


def next_working_day(day: dt.date) -> dt.date:
    """The first day after `day` from Monday to Friday."""
    after = day + dt.timedelta(days=1)
    while after.weekday() >= 5:
        after += dt.timedelta(days=1)
    return after


def clock(moment: dt.time | dt.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def clock_range(start: dt.datetime, end: dt.datetime) -> str:
    """'14:00 - 15:00' (documents add 'uur' where a sentence needs it)."""
    return f"{clock(start)} - {clock(end)}"


ZERO_WIDTH_SPACE = "\u200b"
_BREAK_AFTER = frozenset("/-?&=_.")


def breakable(text: str) -> str:
    """A long URL or code with invisible break chances after '/', '-', '.', '?', '&',
    '=' and '_', so a narrow column wraps it there instead of in the middle of a word.
    Only for text shown; a link's target keeps the plain URL."""
    out: list[str] = []
    for index, char in enumerate(text):
        out.append(char)
        following = text[index + 1 : index + 2]
        if char in _BREAK_AFTER and following and following not in _BREAK_AFTER:
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def span(values: list[int]) -> str:
    """'60' or '60 tot 100': the range of some numbers, for a sentence."""
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} tot {high}"


def enumeration(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"
