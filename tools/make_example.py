"""Build the example workbook `inputs/voorbeeld.xlsx` and its signature `inputs/handtekening.png`.

Run from the project root:  .venv/bin/python tools/make_example.py

Everything below is fictional: the municipality, its people, addresses, e-mail
domain and meeting links. The output is deterministic: running the script again
writes byte-identical files. The script checks the rules of the workbook contract
on its own data before writing (group sizes, no overlapping bookings, ...).
"""

from __future__ import annotations

import datetime as dt
import math
import struct
import sys
import unicodedata
import zlib
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.workbook import schema  # noqa: E402
from pipeline.workbook.empty import (  # noqa: E402
    build_empty_workbook,
    fill_workbook,
    save_workbook,
)

OUTPUT_DIR = ROOT / "inputs"
WORKBOOK = OUTPUT_DIR / "voorbeeld.xlsx"
SIGNATURE = OUTPUT_DIR / "handtekening.png"
TIMESTAMP = dt.datetime(2027, 1, 4, 9, 0, 0)

THEMES = ["Leerruimte", "Autonomie", "Participatie", "Intervisie"]
DOMAIN = "bergvliet.example"  # reserved .example domain: clearly fictional

# --------------------------------------------------------------------------- data

ORGANISATIE: dict[str, Any] = {
    "gemeente": "Gemeente Bergvliet aan Zee",
    "gemeentesecretaris": "mr. drs. E.J. (Evelien) Bouwmeester",
    "functie_ondertekenaar": "Gemeentesecretaris / algemeen directeur",
    "handtekening": SIGNATURE.name,
    "afzender_adres": "Afdeling HR\nPostbus 4100\n1970 GA Bergvliet aan Zee",
    "contactpersoon": "Yasmina Bouzid",
    "contact_email": f"intervisie@{DOMAIN}",
    "contact_telefoon": "14 0255",
    "cyclus": "Intervisie voorjaar 2027",
    "plaats": "Bergvliet aan Zee",
    # briefdatum left empty: the default (21 days before the first session) applies.
}

RAADHUIS = "Raadhuisplein 1, 1971 AB Bergvliet aan Zee"
WERF = "Gemeentewerf, Havenkade 40, 1973 KC Bergvliet aan Zee"
TEAMS = f"https://teams.{DOMAIN}/l/meetup-join/"
CASUS_VRAAG = (
    "Wanneer liet jij voor het laatst een beslissing aan je team over die je eigenlijk "
    "zelf wilde nemen?"
)

# Columns: sessie, thema, datum, begintijd, duur_minuten (None: the theme's default),
# vorm, locatie, link, begeleider, begeleiding, prikkelende_vraag.
# AU-02 gives its date and time as text, to show that both forms are accepted.
SESSIES: list[tuple[Any, ...]] = [
    (
        "LR-01",
        "Leerruimte",
        dt.date(2027, 3, 9),
        dt.time(14, 0),
        None,
        "op locatie",
        f"Raadzaal, {RAADHUIS}",
        None,
        "Marco de Graaf",
        "HR",
        None,
    ),
    (
        "AU-01",
        "Autonomie",
        dt.date(2027, 3, 18),
        dt.time(9, 30),
        60,
        "op locatie",
        f"Vergaderzaal De Duinen (2e verdieping), {RAADHUIS}",
        None,
        "Petra Hoogeveen",
        "extern",
        CASUS_VRAAG,
    ),
    (
        "LR-02",
        "Leerruimte",
        dt.date(2027, 3, 31),
        dt.time(10, 0),
        60,
        "online",
        None,
        f"{TEAMS}lr-02-voorjaar-2027",
        "Yasmina Bouzid",
        "HR",
        None,
    ),
    (
        "AU-02",
        "Autonomie",
        "31-03-2027",
        "10:00",
        None,
        "online",
        None,
        f"{TEAMS}au-02-voorjaar-2027",
        "Ruud Sanders",
        "extern",
        None,
    ),
    (
        "IV-01",
        "Intervisie",
        dt.date(2027, 4, 13),
        dt.time(13, 0),
        100,
        "op locatie",
        f"Zaal Kwelder, {WERF}",
        None,
        "Petra Hoogeveen",
        "extern",
        None,
    ),
    (
        "PA-01",
        "Participatie",
        dt.date(2027, 4, 22),
        dt.time(15, 0),
        60,
        "op locatie",
        f"Raadzaal, {RAADHUIS}",
        None,
        "Marco de Graaf",
        "HR",
        None,
    ),
    (
        "PA-02",
        "Participatie",
        dt.date(2027, 5, 11),
        dt.time(10, 0),
        None,
        "online",
        None,
        f"{TEAMS}pa-02-voorjaar-2027",
        "Ruud Sanders",
        "extern",
        None,
    ),
    (
        "IV-02",
        "Intervisie",
        dt.date(2027, 5, 11),
        dt.time(13, 30),
        120,
        "online",
        None,
        f"{TEAMS}iv-02-voorjaar-2027",
        "Yasmina Bouzid",
        "HR",
        None,
    ),
    (
        "IV-03",
        "Intervisie",
        dt.date(2027, 6, 3),
        dt.time(14, 0),
        None,
        "op locatie",
        f"Vergaderzaal De Duinen (2e verdieping), {RAADHUIS}",
        None,
        "Marco de Graaf",
        "HR",
        None,
    ),
]

PZ = "Publiekszaken"
SD = "Sociaal Domein"
VTH = "Vergunningen, Toezicht & Handhaving"
RO = "Ruimtelijke Ontwikkeling"
OR = "Openbare Ruimte"
BV = "Bedrijfsvoering"
FIN = "Financiën"
COM = "Communicatie"
ICT = "ICT & Informatievoorziening"

BERGVLIET = "Bergvliet aan Zee"
WESTERDUIN = "Westerduin"
KWELDERWAARD = "Kwelderwaard"
VLIETDORP = "Vlietdorp"

# personeelsnummer, voornaam, tussenvoegsel, achternaam, aanhef, functie, afdeling,
# adres, postcode, plaats. No address: the letter goes by internal delivery.
# The e-mail address is derived from the name (see `email`).
DEELNEMERS: list[tuple[str, ...]] = [
    (
        "004512",
        "Sjoerd",
        "",
        "Hoekstra",
        "heer",
        "Teamleider Burgerzaken",
        PZ,
        "Duinroosweg 14",
        "1971 BK",
        BERGVLIET,
    ),
    (
        "004518",
        "Ingrid",
        "van der",
        "Linden",
        "mevrouw",
        "Afdelingshoofd",
        SD,
        "Helmgras 41",
        "1972 CX",
        BERGVLIET,
    ),
    (
        "004527",
        "Mehmet",
        "",
        "Özdemir",
        "heer",
        "Teamleider Handhaving",
        VTH,
        "Vuurtorenlaan 9",
        "1974 PR",
        BERGVLIET,
    ),
    (
        "004531",
        "Zoë",
        "de",
        "Vries",
        "mevrouw",
        "Manager Bedrijfsvoering",
        BV,
        "Strandwal 118",
        "1985 CJ",
        WESTERDUIN,
    ),
    (
        "004536",
        "Anaïs",
        "",
        "Dubois",
        "mevrouw",
        "Teamleider Communicatie",
        COM,
        "Schelpenpad 2",
        "1971 DE",
        BERGVLIET,
    ),
    (
        "004540",
        "Eugène",
        "van den",
        "Berg",
        "heer",
        "Afdelingshoofd",
        RO,
        "Kerkstraat 3",
        "1991 ML",
        KWELDERWAARD,
    ),
    (
        "004544",
        "Ayşe",
        "",
        "Çelik",
        "mevrouw",
        "Teamleider Wmo",
        SD,
        "Zeereep 7",
        "1972 HN",
        BERGVLIET,
    ),
    ("004549", "Karim", "el", "Idrissi", "heer", "Teamleider Toezicht", VTH, "", "", ""),
    (
        "004553",
        "Jan-Willem",
        "'t",
        "Hart",
        "heer",
        "Afdelingshoofd",
        OR,
        "Dijkweg 56",
        "1993 TB",
        VLIETDORP,
    ),
    (
        "004558",
        "Geert",
        "ter",
        "Horst",
        "heer",
        "Teamleider Beheer Openbare Ruimte",
        OR,
        "Polderstraat 21",
        "1993 VG",
        VLIETDORP,
    ),
    (
        "004561",
        "Lotte",
        "van",
        "Dijk",
        "mevrouw",
        "Teamleider Jeugd",
        SD,
        "Meeuwenlaan 88",
        "1972 KL",
        BERGVLIET,
    ),
    (
        "004567",
        "Robin",
        "",
        "Jansen",
        "neutraal",
        "Teamleider Informatiebeheer",
        ICT,
        "Havenkade 12a",
        "1973 KB",
        BERGVLIET,
    ),
    (
        "004570",
        "Sanne",
        "",
        "Bakker",
        "mevrouw",
        "Teamleider Klantcontactcentrum",
        PZ,
        "Lindenhof 5",
        "1985 AP",
        WESTERDUIN,
    ),
    (
        "004574",
        "Priya",
        "",
        "Ramdin",
        "mevrouw",
        "Manager Financiën",
        FIN,
        "Oranjestraat 31",
        "1971 EM",
        BERGVLIET,
    ),
    (
        "004579",
        "Daan",
        "",
        "Visser",
        "heer",
        "Teamleider Vergunningen",
        VTH,
        "Vissersweg 4",
        "1974 RT",
        BERGVLIET,
    ),
    (
        "004583",
        "Fenna",
        "",
        "Postma",
        "mevrouw",
        "Teamleider Werk en Inkomen",
        SD,
        "Kwelderpad 17",
        "1991 NB",
        KWELDERWAARD,
    ),
    ("004586", "Youssef", "", "El Khatib", "heer", "Teamleider Servicedesk", ICT, "", "", ""),
    (
        "004590",
        "Noor",
        "",
        "Kramer",
        "neutraal",
        "Teamleider Ruimtelijke Plannen",
        RO,
        "Duinroosweg 70",
        "1971 BM",
        BERGVLIET,
    ),
    (
        "004595",
        "Thijs",
        "van",
        "Leeuwen",
        "heer",
        "Manager Dienstverlening",
        PZ,
        "Zandloperstraat 9",
        "1985 EH",
        WESTERDUIN,
    ),
    (
        "004601",
        "Marieke",
        "",
        "Smit",
        "mevrouw",
        "Teamleider Control",
        FIN,
        "Brederodelaan 102",
        "1972 PZ",
        BERGVLIET,
    ),
    (
        "004605",
        "Bram",
        "de",
        "Groot",
        "heer",
        "Teamleider Wegen en Groen",
        OR,
        "Molenwerf 6",
        "1993 XK",
        VLIETDORP,
    ),
    (
        "004610",
        "Esra",
        "",
        "Yılmaz",
        "mevrouw",
        "Teamleider Personeel en Organisatie",
        BV,
        "",
        "",
        "",
    ),
    (
        "004614",
        "Wouter",
        "van 't",
        "Hof",
        "heer",
        "Afdelingshoofd",
        VTH,
        "Duinweg 230",
        "1974 TE",
        BERGVLIET,
    ),
    (
        "004619",
        "Annemarie",
        "",
        "Mulder-Hendriks",
        "mevrouw",
        "Afdelingshoofd",
        PZ,
        "Kastanjelaan 15",
        "1985 GR",
        WESTERDUIN,
    ),
    (
        "004623",
        "Kees",
        "",
        "Vermeulen",
        "heer",
        "Teamleider Inkoop",
        BV,
        "Stationsweg 44",
        "1971 HW",
        BERGVLIET,
    ),
    (
        "004628",
        "Chantal",
        "",
        "Martina",
        "mevrouw",
        "Teamleider Schuldhulpverlening",
        SD,
        "Zonnedauw 3",
        "1972 RB",
        BERGVLIET,
    ),
    (
        "004632",
        "Hanneke",
        "ten",
        "Brink",
        "mevrouw",
        "Manager Omgevingswet",
        RO,
        "Slikweg 11",
        "1991 PD",
        KWELDERWAARD,
    ),
    (
        "004637",
        "Jeroen",
        "de",
        "Wit",
        "heer",
        "Teamleider Milieu",
        VTH,
        "Kerkstraat 28",
        "1991 MP",
        KWELDERWAARD,
    ),
    (
        "004641",
        "Femke",
        "",
        "Dijkstra",
        "mevrouw",
        "Teamleider Website en Social Media",
        COM,
        "",
        "",
        "",
    ),
    (
        "004646",
        "Tom",
        "van",
        "Beek",
        "heer",
        "Teamleider Applicatiebeheer",
        ICT,
        "Waterkant 19",
        "1973 LH",
        BERGVLIET,
    ),
    (
        "004650",
        "Siham",
        "",
        "Benali",
        "mevrouw",
        "Teamleider Participatie",
        SD,
        "Amberstraat 8",
        "1972 TV",
        BERGVLIET,
    ),
    (
        "004655",
        "Pieter",
        "",
        "Brouwer",
        "heer",
        "Manager Vastgoed",
        RO,
        "Nieuwlandseweg 63",
        "1993 ZA",
        VLIETDORP,
    ),
    (
        "004659",
        "Linda",
        "",
        "Koster",
        "mevrouw",
        "Teamleider Belastingen",
        FIN,
        "Parkweg 27",
        "1985 JN",
        WESTERDUIN,
    ),
    (
        "004663",
        "Alex",
        "",
        "Nieuwenhuis",
        "neutraal",
        "Teamleider Data en Analyse",
        ICT,
        "Pieter Zeemanstraat 5",
        "1971 KV",
        BERGVLIET,
    ),
    ("004668", "René", "", "Maas", "heer", "Teamleider Reiniging", OR, "", "", ""),
    (
        "004672",
        "Mirjam",
        "",
        "Schouten",
        "mevrouw",
        "Afdelingshoofd",
        BV,
        "Klaproosveld 12",
        "1974 VW",
        BERGVLIET,
    ),
    (
        "004677",
        "Ruben",
        "van der",
        "Meer",
        "heer",
        "Teamleider Bouw- en Woningtoezicht",
        VTH,
        "Dorpsstraat 90",
        "1993 RC",
        VLIETDORP,
    ),
    (
        "004681",
        "Agnieszka",
        "",
        "Kowalska",
        "mevrouw",
        "Teamleider Salarisadministratie",
        BV,
        "Distelweg 4",
        "1972 WG",
        BERGVLIET,
    ),
    (
        "004686",
        "Stefan",
        "",
        "Bosman",
        "heer",
        "Afdelingshoofd",
        FIN,
        "Lange Hilleweg 37",
        "1985 LT",
        WESTERDUIN,
    ),
    (
        "004690",
        "Joyce",
        "",
        "Kartosen",
        "mevrouw",
        "Teamleider Woordvoering",
        COM,
        "Strandhoek 1",
        "1971 LC",
        BERGVLIET,
    ),
    ("004695", "Hatice", "", "Aydın", "mevrouw", "Teamleider Leerplicht", SD, "", "", ""),
]

# Per session: (inbrengers, deelnemers), people by their full name as it is written.
INDELING: dict[str, tuple[list[str], list[str]]] = {
    "LR-01": (
        ["Sjoerd Hoekstra"],
        [
            "Ingrid van der Linden",
            "Mehmet Özdemir",
            "Zoë de Vries",
            "Anaïs Dubois",
            "Eugène van den Berg",
            "Ayşe Çelik",
            "Karim el Idrissi",
        ],
    ),
    "LR-02": (
        ["Jan-Willem 't Hart"],
        ["Geert ter Horst", "Lotte van Dijk", "Robin Jansen", "Sanne Bakker", "Priya Ramdin"],
    ),
    "AU-01": (
        ["Daan Visser"],
        [
            "Fenna Postma",
            "Youssef El Khatib",
            "Noor Kramer",
            "Thijs van Leeuwen",
            "Marieke Smit",
            "Sjoerd Hoekstra",
        ],
    ),
    "AU-02": (
        [],
        [
            "Bram de Groot",
            "Esra Yılmaz",
            "Wouter van 't Hof",
            "Annemarie Mulder-Hendriks",
            "Ingrid van der Linden",
            "Hatice Aydın",
        ],
    ),
    "PA-01": (
        ["Kees Vermeulen"],
        [
            "Chantal Martina",
            "Hanneke ten Brink",
            "Jeroen de Wit",
            "Femke Dijkstra",
            "Tom van Beek",
            "Mehmet Özdemir",
            "Jan-Willem 't Hart",
            "Daan Visser",
        ],
    ),
    "PA-02": (
        ["Siham Benali"],
        [
            "Pieter Brouwer",
            "Linda Koster",
            "Alex Nieuwenhuis",
            "Zoë de Vries",
            "Geert ter Horst",
            "Ingrid van der Linden",
        ],
    ),
    "IV-01": (
        ["René Maas", "Mirjam Schouten"],
        ["Ruben van der Meer", "Agnieszka Kowalska", "Anaïs Dubois"],
    ),
    "IV-02": (
        ["Stefan Bosman", "Joyce Kartosen", "Eugène van den Berg"],
        ["Lotte van Dijk", "Fenna Postma", "Bram de Groot"],
    ),
    "IV-03": (
        ["Ayşe Çelik", "Esra Yılmaz"],
        ["Robin Jansen", "Youssef El Khatib", "Sjoerd Hoekstra"],
    ),
}

# Filled in after the session: drives the follow-up advice of these two sessions.
UITKOMSTEN: list[tuple[str, str, str, str]] = [
    (
        "LR-01",
        "Leren schiet erbij in zodra de drukte aan de balie oploopt.\n"
        "Medewerkers vragen zelden zelf om ruimte; ze wachten tot de leidinggevende het "
        "aanbiedt.",
        "Leren koppelen aan echte situaties uit het werk.\n"
        "Een vast kwartier 'wat hebben we geleerd?' in het teamoverleg.",
        "Iedere deelnemer bespreekt vóór 1 mei in het teamoverleg één leervraag van het team.\n"
        "In juni wisselen de deelnemers hun ervaringen uit in een korte terugkomsessie.",
    ),
    (
        "IV-01",
        "Een medewerker aanspreken op afspraken zonder de samenwerking te schaden.",
        "Eerst vragen naar het verhaal van de medewerker, dan pas oordelen.\n"
        "Een collega-leidinggevende als klankbord vóór het gesprek.",
        "Beide inbrengers voeren het gesprek binnen drie weken en vertellen in de volgende "
        "intervisie hoe het ging.",
    ),
]


# ---------------------------------------------------------------------- derivation


def full_name(voornaam: str, tussenvoegsel: str, achternaam: str) -> str:
    return " ".join(part for part in (voornaam, tussenvoegsel, achternaam) if part)


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def email(voornaam: str, tussenvoegsel: str, achternaam: str) -> str:
    """Initial + surname with particle, folded to ASCII: 'Eugène van den Berg' -> e.vandenberg."""
    local = f"{ascii_fold(voornaam)[0]}.{ascii_fold(tussenvoegsel + achternaam)}".lower()
    return f"{local}@{DOMAIN}"


def as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.datetime.strptime(value, "%d-%m-%Y").date()


def as_time(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.datetime.strptime(value, "%H:%M").time()


def session_minutes(sessie: tuple[Any, ...]) -> int:
    """Length used for the overlap check: the given one, else the theme's usual length."""
    code, thema, *_rest = sessie
    if sessie[4] is not None:
        return int(sessie[4])
    if thema == "Intervisie":
        inbrengers = len(INDELING[code][0])
        return 10 + 30 * inbrengers + 10
    return 60


def check_data() -> None:
    """The contract's rules, applied to the data above, so the example stays valid."""
    people = {full_name(p[1], p[2], p[3]): p[0] for p in DEELNEMERS}
    assert len(people) == len(DEELNEMERS), "names must be unique"
    assert len({p[0] for p in DEELNEMERS}) == len(DEELNEMERS), "numbers must be unique"
    mails = [email(p[1], p[2], p[3]) for p in DEELNEMERS]
    assert len(set(mails)) == len(mails), "e-mail addresses must be unique"
    assert {s[1] for s in SESSIES} == set(THEMES)
    assert {s[0] for s in SESSIES} == set(INDELING)

    spans: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for sessie in SESSIES:
        day = as_date(sessie[2])
        assert dt.date(2027, 3, 1) <= day <= dt.date(2027, 6, 30), sessie[0]
        assert day.weekday() < 5, f"{sessie[0]} is not on a weekday"
        start = dt.datetime.combine(day, as_time(sessie[3]))
        spans[sessie[0]] = (start, start + dt.timedelta(minutes=session_minutes(sessie)))

    booked: dict[str, list[str]] = {name: [] for name in people}
    inbrenger: dict[str, int] = {name: 0 for name in people}
    for code, (inbrengers, deelnemers) in INDELING.items():
        group = inbrengers + deelnemers
        assert len(set(group)) == len(group), f"{code}: someone is booked twice"
        thema = next(s[1] for s in SESSIES if s[0] == code)
        low, high = (4, 6) if thema == "Intervisie" else (5, 9)
        assert low <= len(group) <= high, f"{code}: {len(group)} participants"
        for name in group:
            booked[name].append(code)
        for name in inbrengers:
            inbrenger[name] += 1
    for name, codes in booked.items():
        assert 1 <= len(codes) <= 3, f"{name} is in {len(codes)} sessions"
        assert inbrenger[name] <= 1, f"{name} is inbrenger more than once"
        for index, first in enumerate(codes):
            for second in codes[index + 1 :]:
                (a_start, a_end), (b_start, b_end) = spans[first], spans[second]
                assert a_end <= b_start or b_end <= a_start, f"{name}: {first} overlaps {second}"


# ----------------------------------------------------------------------- workbook


def build_workbook() -> Any:
    workbook = build_empty_workbook(THEMES)
    sessies = [column.name for column in schema.SESSIES.columns]
    uitkomsten = [column.name for column in schema.UITKOMSTEN.columns]
    fill_workbook(
        workbook,
        ORGANISATIE,
        {
            schema.SESSIES.name: [dict(zip(sessies, s, strict=True)) for s in SESSIES],
            schema.DEELNEMERS.name: [_person_row(p) for p in DEELNEMERS],
            schema.INDELING.name: _bookings(),
            schema.UITKOMSTEN.name: [dict(zip(uitkomsten, u, strict=True)) for u in UITKOMSTEN],
        },
    )
    return workbook


def _person_row(person: tuple[Any, ...]) -> dict[str, Any]:
    names = (
        "personeelsnummer",
        "voornaam",
        "tussenvoegsel",
        "achternaam",
        "aanhef",
        "functie",
        "afdeling",
        "adres",
        "postcode",
        "plaats",
    )
    row = dict(zip(names, person, strict=True))
    row["email"] = email(row["voornaam"], row["tussenvoegsel"], row["achternaam"])
    return row


def _bookings() -> list[dict[str, Any]]:
    number_of = {full_name(p[1], p[2], p[3]): p[0] for p in DEELNEMERS}
    bookings: list[dict[str, Any]] = []
    for code, (inbrengers, deelnemers) in INDELING.items():
        bookings += [
            {"sessie": code, "personeelsnummer": number_of[name], "rol": schema.ROL_INBRENGER}
            for name in inbrengers
        ]
        # In the Leerruimte sessions the role of a plain participant is left empty:
        # the default 'deelnemer' applies.
        rol = None if code.startswith("LR") else schema.ROL_DEELNEMER
        bookings += [
            {"sessie": code, "personeelsnummer": number_of[name], "rol": rol} for name in deelnemers
        ]
    return bookings


# ---------------------------------------------------------------------- signature

WIDTH, HEIGHT = 600, 200
INK = (22, 38, 96)


def _catmull_rom(points: list[tuple[float, float]], steps: int = 40) -> list[tuple[float, float]]:
    """A smooth curve through every point (centripetal-free, uniform Catmull-Rom)."""
    padded = [points[0], *points, points[-1]]
    curve: list[tuple[float, float]] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(steps):
            t = step / steps
            t2, t3 = t * t, t * t * t
            curve.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * b
                        + (-a + c) * t
                        + (2 * a - 5 * b + 4 * c - d) * t2
                        + (-a + 3 * b - 3 * c + d) * t3
                    )
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    curve.append(points[-1])
    return curve


def _loops(
    x0: float, baseline: float, heights: list[float], advance: float
) -> list[tuple[float, float]]:
    """Cursive loops (a prolate cycloid), one per height, like joined handwriting."""
    points: list[tuple[float, float]] = []
    samples = 60
    for index, height in enumerate(heights):
        for step in range(samples):
            t = 2 * math.pi * (index + step / samples)
            radius = height / 2
            x = x0 + advance * t / (2 * math.pi) - radius * 0.55 * math.sin(t)
            y = baseline - radius * (1 - math.cos(t))
            points.append((x, y))
    return points


def _strokes() -> list[list[tuple[float, float]]]:
    capital = _catmull_rom(
        [
            (70, 150),
            (58, 120),
            (66, 70),
            (92, 38),
            (112, 44),
            (108, 82),
            (86, 112),
            (78, 128),
            (100, 118),
            (128, 96),
            (140, 104),
            (132, 132),
        ]
    )
    name = _loops(140, 134, [34, 22, 58, 20, 26, 70, 24, 18, 30], 30)
    tail = _catmull_rom([(name[-1][0], name[-1][1]), (436, 140), (452, 120), (462, 132)])
    flourish = _catmull_rom(
        [
            (60, 168),
            (150, 162),
            (260, 160),
            (380, 158),
            (480, 150),
            (540, 136),
            (556, 124),
        ]
    )
    dot = _catmull_rom([(356, 98), (360, 95), (363, 98)], steps=8)
    return [capital, name + tail, flourish, dot]


def _slant(x: float, y: float) -> tuple[float, float]:
    return x + (150 - y) * 0.28, y


def draw_signature() -> bytearray:
    """Alpha mask of the signature: thick round-tipped strokes, pressure varies a little."""
    mask = bytearray(WIDTH * HEIGHT)
    for stroke in _strokes():
        dense: list[tuple[float, float]] = []
        for (x1, y1), (x2, y2) in pairwise(stroke):
            parts = max(1, int(math.hypot(x2 - x1, y2 - y1) * 2))
            dense += [
                (x1 + (x2 - x1) * k / parts, y1 + (y2 - y1) * k / parts) for k in range(parts)
            ]
        for index, (x, y) in enumerate(dense):
            sx, sy = _slant(x, y)
            radius = 2.6 + 0.9 * math.sin(index / 37.0)
            r = int(radius) + 1
            for py in range(int(sy) - r, int(sy) + r + 1):
                for px in range(int(sx) - r, int(sx) + r + 1):
                    if (
                        0 <= px < WIDTH
                        and 0 <= py < HEIGHT
                        and ((px - sx) ** 2 + (py - sy) ** 2 <= radius * radius)
                    ):
                        mask[py * WIDTH + px] = 255
    return mask


def png_bytes(mask: bytearray) -> bytes:
    """RGBA PNG (ink on transparent), 300 dpi so it prints about 5 cm wide."""
    raw = bytearray()
    for y in range(HEIGHT):
        raw.append(0)  # filter: none
        for x in range(WIDTH):
            alpha = mask[y * WIDTH + x]
            raw += bytes((*INK, alpha)) if alpha else b"\xff\xff\xff\x00"

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    per_metre = round(300 / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 6, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(bytes(raw), 9)),
            chunk(b"IEND", b""),
        )
    )


def main() -> None:
    check_data()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    SIGNATURE.write_bytes(png_bytes(draw_signature()))
    save_workbook(build_workbook(), WORKBOOK, timestamp=TIMESTAMP)
    print(f"Geschreven: {WORKBOOK.relative_to(ROOT)} en {SIGNATURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
