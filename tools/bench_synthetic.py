"""The benchmark's synthetic workbook: a valid cycle of about N documents over the four
planned kinds, the same for the same N (seeded)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SIGNATURE = ROOT / "inputs" / "handtekening.png"

# ------------------------------------------------------------------ synthetic workbook

# Order matters for small workbooks: the general method first, so every theme occurs.
THEMES = ("Intervisie", "Leerruimte", "Autonomie", "Participatie")
GENERAL = "Intervisie"
GROUP_SIZE = {"Intervisie": 6, "Leerruimte": 8, "Autonomie": 8, "Participatie": 8}
PREFIX = {"Intervisie": "IV", "Leerruimte": "LR", "Autonomie": "AU", "Participatie": "PA"}
INBRENGERS = {"Intervisie": 2, "Leerruimte": 1, "Autonomie": 1, "Participatie": 1}
MIN_GROUP = 3
GENERAL_IDEAL = range(4, 7)
SESSIONS_PER_PERSON = 2  # one per round; the rounds are on different days
SLOTS = (dt.time(9, 30), dt.time(13, 0), dt.time(15, 30))
PARALLEL = 2  # sessions per time slot
FIRST_DAY = dt.date(2030, 3, 4)
DOMAIN = "bench.example"
SEED = 20300304

VOORNAMEN = (
    "Sjoerd",
    "Ingrid",
    "Mehmet",
    "Zoë",
    "Anaïs",
    "Eugène",
    "Ayşe",
    "Karim",
    "Lotte",
    "Robin",
    "Sanne",
    "Priya",
    "Daan",
    "Fenna",
    "Youssef",
    "Noor",
)
TUSSENVOEGSELS = ("", "", "van", "de", "van der", "", "'t", "ter", "", "van den", "el")
ACHTERNAMEN = (
    "Hoekstra",
    "Linden",
    "Özdemir",
    "Vries",
    "Dubois",
    "Berg",
    "Çelik",
    "Idrissi",
    "Hart",
    "Dijk",
    "Jansen",
    "Bakker",
    "Ramdin",
    "Visser",
    "Postma",
    "Mulder-Hendriks",
    "Yılmaz",
)
AANHEF = ("heer", "mevrouw", "neutraal")
FUNCTIES = (
    "Teamleider Burgerzaken",
    "Afdelingshoofd",
    "Teamleider Wmo",
    "Manager Bedrijfsvoering",
    "Teamleider Handhaving",
)
AFDELINGEN = (
    "Publiekszaken",
    "Sociaal Domein",
    "Vergunningen, Toezicht & Handhaving",
    "Bedrijfsvoering",
    "ICT & Informatievoorziening",
    "Openbare Ruimte",
)
PLAATSEN = ("Benchdorp", "Westerduin", "Kwelderwaard")
POSTCODE_LETTERS = ("AB", "CX", "KL", "PR", "TV", "ZE")
BEGELEIDERS = (
    ("Marco de Graaf", "HR"),
    ("Petra Hoogeveen", "extern"),
    ("Yasmina Bouzid", "HR"),
    ("Ruud Sanders", "extern"),
)
RAADHUIS = "Raadhuisplein 1, 1971 AB Benchdorp"

ORGANISATIE: dict[str, str] = {
    "gemeente": "Gemeente Benchdorp",
    "gemeentesecretaris": "drs. A.M. (Anneke) Jansen",
    "functie_ondertekenaar": "Gemeentesecretaris",
    "handtekening": "handtekening.png",
    "afzender_adres": "Afdeling HR\nPostbus 100\n1971 AA Benchdorp",
    "contactpersoon": "Fatima el Amrani",
    "contact_email": f"intervisie@{DOMAIN}",
    "contact_telefoon": "14 0123",
    "cyclus": "Intervisie benchmark 2030",
}


@dataclass(frozen=True)
class Synthetic:
    """The data of a synthetic workbook, as rows by header name."""

    sessies: list[dict[str, Any]]
    deelnemers: list[dict[str, Any]]
    indeling: list[dict[str, Any]]
    uitkomsten: list[dict[str, Any]]
    counts: dict[str, int]  # expected documents per kind

    @property
    def documents(self) -> int:
        return sum(self.counts.values())


def split_groups(total: int, start: int) -> list[tuple[str, int]]:
    """Split `total` people into sessions (theme, size), themes in turn from `start`.

    Every group has 3..10 people; a general-method group stays within its ideal 4..6.
    """
    if total < MIN_GROUP:
        raise ValueError(f"te weinig deelnemers: {total}")
    groups: list[tuple[str, int]] = []
    remaining = total
    for index in count(start):
        if not remaining:
            break
        theme = THEMES[index % len(THEMES)]
        size = GROUP_SIZE[theme]
        if remaining - size < MIN_GROUP:  # the rest would be too small: take it all
            size = remaining  # at most 10: remaining < size + 3 <= 11
            if theme == GENERAL and size not in GENERAL_IDEAL:
                theme = "Leerruimte"
        groups.append((theme, size))
        remaining -= size
    return groups


def _rounds(people: int) -> list[list[tuple[str, int]]]:
    first = split_groups(people, 0)
    return [first, split_groups(people, len(first))]


def expected_counts(people: int) -> dict[str, int]:
    sessions = sum(len(groups) for groups in _rounds(people))
    return {
        "uitnodiging": SESSIONS_PER_PERSON * people,
        "draaiboek": sessions,
        "syllabus": people,
        "vervolgadvies": sessions,
    }


def people_for(documents: int) -> int:
    """The number of people whose workbook gives the document count closest to N."""
    average_group = sum(GROUP_SIZE.values()) / len(GROUP_SIZE)
    per_person = SESSIONS_PER_PERSON + 1 + 2 * SESSIONS_PER_PERSON / average_group
    guess = max(MIN_GROUP, round(documents / per_person))
    candidates = range(max(MIN_GROUP, guess - 10), guess + 11)
    return min(candidates, key=lambda p: (abs(sum(expected_counts(p).values()) - documents), p))


def _workdays(start: dt.date) -> Iterator[dt.date]:
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _person(index: int) -> dict[str, Any]:
    voornaam = VOORNAMEN[index % len(VOORNAMEN)]
    tussenvoegsel = TUSSENVOEGSELS[index % len(TUSSENVOEGSELS)]
    achternaam = ACHTERNAMEN[index % len(ACHTERNAMEN)]
    nummer = f"{100000 + index}"
    row: dict[str, Any] = {
        "personeelsnummer": nummer,
        "voornaam": voornaam,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "aanhef": AANHEF[index % len(AANHEF)],
        "functie": FUNCTIES[index % len(FUNCTIES)],
        "afdeling": AFDELINGEN[index % len(AFDELINGEN)],
        "email": f"p{nummer}@{DOMAIN}",
    }
    if index % 7 != 3:  # every seventh person has no postal address: internal delivery
        row.update(
            adres=f"Duinroosweg {index % 300 + 1}",
            postcode=f"{1000 + index % 9000} {POSTCODE_LETTERS[index % 6]}",
            plaats=PLAATSEN[index % len(PLAATSEN)],
        )
    return row


def synthetic_cycle(documents: int, templates_dir: Path = TEMPLATES) -> Synthetic:
    """A valid cycle of about `documents` documents over the four planned kinds.

    Every person attends two sessions, one in each of two rounds; the second round
    starts after the first has ended, so nobody is booked into overlapping sessions.
    """
    from pipeline.content.themes import load_content

    content = load_content(templates_dir)
    people = people_for(documents)
    rng = random.Random(SEED)
    deelnemers = [_person(i) for i in range(people)]
    numbers = [row["personeelsnummer"] for row in deelnemers]
    orders = [list(range(people)), rng.sample(range(people), people)]
    days = _workdays(FIRST_DAY)
    sessies: list[dict[str, Any]] = []
    indeling: list[dict[str, Any]] = []
    uitkomsten: list[dict[str, Any]] = []
    inbrenger_done: set[int] = set()
    serial = Counter[str]()
    for groups, order in zip(_rounds(people), orders, strict=True):
        taken = 0
        day = next(days)
        for slot_index, (theme, size) in enumerate(groups):
            slot = slot_index % (len(SLOTS) * PARALLEL) // PARALLEL
            if slot_index and slot_index % (len(SLOTS) * PARALLEL) == 0:
                day = next(days)
            members = order[taken : taken + size]
            taken += size
            serial[theme] += 1
            number = len(sessies) + 1
            code = f"{PREFIX[theme]}-{serial[theme]:04d}"
            fresh = [m for m in members if m not in inbrenger_done][: INBRENGERS[theme]]
            inbrenger_done.update(fresh)
            online = number % 2 == 0
            begeleider, begeleiding = BEGELEIDERS[number % len(BEGELEIDERS)]
            duur: int | None = None
            spec = content.theme(theme)
            if spec is None:
                raise ValueError(f"thema {theme} ontbreekt in {templates_dir}")
            if theme == GENERAL and number % 3:  # else the default: just long enough
                duur = spec.minimum_minutes(max(1, len(fresh))) + 10
            elif theme != GENERAL:  # long enough for the analysis and the closing round
                rounds = 1
                fits = spec.fitting_minutes(spec.default_minutes(rounds), rounds, size)
                duur = fits if fits != spec.default_minutes(rounds) else None
            sessies.append(
                {
                    "sessie": code,
                    "thema": theme,
                    "datum": day,
                    "begintijd": SLOTS[slot],
                    "duur_minuten": duur,
                    "vorm": "online" if online else "op locatie",
                    "locatie": None if online else f"Zaal {number % 9 + 1}, {RAADHUIS}",
                    "link": f"https://teams.{DOMAIN}/l/meetup-join/{code.lower()}"
                    if online
                    else None,
                    "begeleider": begeleider,
                    "begeleiding": begeleiding,
                    "prikkelende_vraag": "Wat deed jij deze week anders dan je van plan was?"
                    if number % 5 == 0
                    else None,
                }
            )
            for member in members:
                rol = "inbrenger" if member in fresh else ("deelnemer" if number % 2 else None)
                indeling.append({"sessie": code, "personeelsnummer": numbers[member], "rol": rol})
            if number % 4 == 1:
                uitkomsten.append(
                    {
                        "sessie": code,
                        "knelpunten": "Werkdruk & planning gaan voor leren.\nWeinig tijd <1 uur.",
                        "wat_helpt": "Vaste leermomenten in het teamoverleg.",
                        "afspraken": "Iedereen bespreekt vóór de zomer één leervraag met het team.",
                    }
                )
        # The next round starts a week after this one ends.
        for _ in range(5):
            next(days)
    return Synthetic(sessies, deelnemers, indeling, uitkomsten, expected_counts(people))


def write_synthetic_workbook(
    folder: Path, documents: int, templates_dir: Path = TEMPLATES
) -> tuple[Path, Synthetic]:
    """Write `werkboek.xlsx` and its signature image into `folder`."""
    from pipeline.workbook import schema
    from pipeline.workbook.empty import build_empty_workbook, fill_workbook, save_workbook

    data = synthetic_cycle(documents, templates_dir)
    workbook = build_empty_workbook(THEMES)
    fill_workbook(
        workbook,
        ORGANISATIE,
        {
            schema.SESSIES.name: data.sessies,
            schema.DEELNEMERS.name: data.deelnemers,
            schema.INDELING.name: data.indeling,
            schema.UITKOMSTEN.name: data.uitkomsten,
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SIGNATURE, folder / ORGANISATIE["handtekening"])
    path = folder / "werkboek.xlsx"
    save_workbook(workbook, path)
    return path, data


