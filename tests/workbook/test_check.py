from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.content.model import Content
from pipeline.errors import IntervisieError, Location, Problem, Severity, WorkbookInvalid
from pipeline.model import Aanhef, Begeleiding, PostalAddress, Rol, Vorm
from pipeline.workbook import schema
from pipeline.workbook.check import CheckResult, check_workbook
from tests.conftest import ROOT
from tests.workbooks import TODAY, Book, Table, make_content

CONTENT = make_content()
PNG = (ROOT / "inputs" / "handtekening.png").read_bytes()
# Smallest JPEG whose header python-docx (and so Word embedding) accepts: SOI, JFIF, SOF0.
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00"
    b"\xff\xc0\x00\x11\x08\x00\n\x00\x14\x03\x01\x11\x00\x02\x11\x00\x03\x11\x00\xff\xd9"
)

Mutation = Callable[[Book, Path], Any]


def check(book: Book, folder: Path, today: dt.date = TODAY) -> CheckResult:
    return check_workbook(book.save(folder / "werkboek.xlsx"), CONTENT, today)


def problems_of(book: Book, folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(WorkbookInvalid) as caught:
        check(book, folder)
    return caught.value.problems


def internal_delivery(result: CheckResult) -> tuple[str, ...]:
    """Personeelsnummers of the people whose letter goes by internal post."""
    return tuple(p.personeelsnummer for p in result.cycle.people if p.postadres is None)


def at(problems: tuple[Problem, ...], location: Location) -> list[Problem]:
    return [p for p in problems if p.location == location]


# --- the valid baseline -----------------------------------------------------------------


def test_valid_workbook_gives_a_cycle(tmp_path: Path) -> None:
    result = check(Book.valid(), tmp_path)
    cycle = result.cycle
    assert result.warnings == ()
    assert [s.sessie for s in cycle.sessions] == ["LR-01", "AU-01", "IV-01"]
    assert len(cycle.people) == 12
    assert len(cycle.bookings) == 13
    assert cycle.outcomes == ()
    lr, au, iv = cycle.sessions
    assert (lr.thema, au.thema, iv.thema) == ("leerruimte", "autonomie", "intervisie")
    assert lr.vorm is Vorm.LOCATIE and au.vorm is Vorm.ONLINE
    assert au.begeleiding is Begeleiding.EXTERN
    assert au.datum == dt.date(2027, 3, 10) and au.begintijd == dt.time(10, 0)
    assert au.prikkelende_vraag == "Wanneer geef jij ruimte?"
    assert lr.locatie == "Raadzaal, Stadhuisplein 1" and lr.link is None


def test_defaults(tmp_path: Path) -> None:
    cycle = check(Book.valid(), tmp_path).cycle
    lr, au, iv = cycle.sessions
    assert lr.duur_minuten == 60  # as written
    assert au.duur_minuten == 60  # the theme's default
    assert iv.duur_minuten == 80  # 10 + 2 rounds of 30 + 10
    org = cycle.organisation
    assert org.functie_ondertekenaar == "Gemeentesecretaris"
    assert org.plaats == "Voorbeeldstad"
    assert org.briefdatum == dt.date(2027, 3, 9) - dt.timedelta(days=21)
    assert org.afzender_adres == ("Postbus 100", "1234 AB Voorbeeldstad")
    assert org.handtekening is None
    assert org.contact_telefoon == "14 0123"
    roles = {(b.sessie, b.personeelsnummer): b.rol for b in cycle.bookings}
    assert roles[("IV-01", "10009")] is Rol.INBRENGER
    assert roles[("IV-01", "10012")] is Rol.DEELNEMER


def test_people_and_internal_delivery(tmp_path: Path) -> None:
    result = check(Book.valid(), tmp_path)
    first = result.cycle.people[0]
    assert first.personeelsnummer == "10001"  # a number cell becomes its digits
    assert first.aanhef is Aanhef.HEER
    assert first.postadres == PostalAddress("Dorpsstraat 1", "1234 AB", "Voorbeeldstad")
    assert result.cycle.people[2].tussenvoegsel == "van der"
    assert internal_delivery(result) == ("10011", "10012")


def test_explicit_organisation_values(tmp_path: Path) -> None:
    book = (
        Book.valid().org("plaats", "Stadsdeel Noord").org("functie_ondertekenaar", "Burgemeester")
    )
    book.org("briefdatum", "01-02-2027").org("Onbekend veld", "wordt genegeerd")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "sig.jpg").write_bytes(JPEG)
    book.org("handtekening", "img/sig.jpg")
    org = check(book, tmp_path).cycle.organisation
    assert org.plaats == "Stadsdeel Noord"
    assert org.functie_ondertekenaar == "Burgemeester"
    assert org.briefdatum == dt.date(2027, 2, 1)
    assert org.handtekening == (tmp_path / "img" / "sig.jpg").resolve()


def test_png_signature_named_by_magic_not_extension(tmp_path: Path) -> None:
    (tmp_path / "handtekening.bin").write_bytes(PNG)
    book = Book.valid().org("handtekening", "handtekening.bin")
    assert check(book, tmp_path).cycle.organisation.handtekening is not None


def test_lenient_spellings(tmp_path: Path) -> None:
    book = Book.valid()
    book.set("Sessies", 2, "vorm", " Op Locatie ").set("Sessies", 2, "begeleiding", "hr")
    book.set("Sessies", 2, "thema", "LEERRUIMTE")
    book.set("Indeling", 2, "sessie", "lr-01").set("Indeling", 3, "personeelsnummer", 10002.0)
    book.set("Indeling", 10, "rol", "Inbrenger").set("Deelnemers", 2, "aanhef", "Heer")
    book.set("Deelnemers", 2, "postcode", "1234ab")
    cycle = check(book, tmp_path).cycle
    assert cycle.sessions[0].begeleiding is Begeleiding.HR
    assert cycle.bookings[0].sessie == "LR-01"  # as written in Sessies
    assert cycle.bookings[1].personeelsnummer == "10002"
    assert cycle.people[0].postadres is not None
    assert cycle.people[0].postadres.postcode == "1234 AB"


def test_numeric_ids_match_without_leading_zeros(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "personeelsnummer", "0010001")
    cycle = check(book, tmp_path).cycle
    assert cycle.bookings[0].personeelsnummer == "0010001"  # as written in Deelnemers
    duplicate = Book.valid().set("Deelnemers", 3, "personeelsnummer", "010001")
    problems = problems_of(duplicate, tmp_path)
    assert "komt al voor in rij 2" in at(problems, D(3, "personeelsnummer", "A"))[0].message


def test_header_variants_and_column_order(tmp_path: Path) -> None:
    book = Book.valid().rename_column("Sessies", "duur_minuten", " Duur Minuten ")
    book.sheets["Sessies"].headers.reverse()
    book.rename_column("Indeling", "rol", "Rol").rename_column("Indeling", "sessie", "Sessie")
    book.rename_column("Indeling", "personeelsnummer", "PERSONEELSNUMMER")
    book.sheets["Indeling"].headers = ["Rol", "PERSONEELSNUMMER", "extra", "Sessie"]
    assert len(check(book, tmp_path).cycle.sessions) == 3


def test_outcomes(tmp_path: Path) -> None:
    book = Book.valid()
    book.add_row(
        "Uitkomsten",
        sessie="LR-01",
        knelpunten="- Te weinig tijd\n- Spits",
        wat_helpt="Vaste leermomenten",
        afspraken=None,
    )
    outcome = check(book, tmp_path).cycle.outcomes[0]
    assert outcome.sessie == "LR-01"
    assert outcome.knelpunten == ("Te weinig tijd", "Spits")
    assert outcome.wat_helpt == ("Vaste leermomenten",)
    assert outcome.afspraken == ()


def test_real_content_accepts_the_baseline(tmp_path: Path, content: Content) -> None:
    book = Book.valid()
    result = check_workbook(book.save(tmp_path / "w.xlsx"), content, TODAY)
    assert len(result.cycle.sessions) == 3


# --- one case per rule ------------------------------------------------------------------


def _too_many(book: Book, _: Path) -> None:
    for n in range(20001, 20008):
        book.add_row(
            "Deelnemers",
            personeelsnummer=n,
            voornaam="Extra",
            achternaam=f"P{n}",
            aanhef="neutraal",
            email=f"p{n}@voorbeeldstad.nl",
        )
        book.add_row("Indeling", sessie="AU-01", personeelsnummer=n)


def _overlap(book: Book, _: Path) -> None:
    book.set("Sessies", 3, "datum", dt.date(2027, 3, 9)).set("Sessies", 3, "begintijd", "14:30")
    book.add_row("Indeling", sessie="AU-01", personeelsnummer=10001)


def _uitkomsten(*rows: dict[str, Any]) -> Mutation:
    def mutate(book: Book, _: Path) -> None:
        book.sheets["Uitkomsten"] = Table(["sessie", "knelpunten"], [dict(r) for r in rows])

    return mutate


def _write(name: str, data: bytes) -> Mutation:
    def mutate(book: Book, folder: Path) -> None:
        (folder / name).write_bytes(data)
        book.org("handtekening", name)

    return mutate


def _empty_sheet(book: Book, _: Path) -> None:
    book.sheets["Deelnemers"] = Table([], [])


def _no_sessions(book: Book, _: Path) -> None:
    book.sheets["Sessies"].rows = []


def _duplicate_header(book: Book, _: Path) -> None:
    book.sheets["Sessies"].headers.append("Thema")


def _duplicate_sheet(book: Book, _: Path) -> None:
    book.sheets["sessies "] = book.sheets["Sessies"]


def S(row: int | None = None, column: str | None = None, letter: str | None = None) -> Location:
    return Location("Sessies", row, column, letter)


def D(row: int, column: str, letter: str) -> Location:
    return Location("Deelnemers", row, column, letter)


def I(row: int, column: str, letter: str) -> Location:  # noqa: E743
    return Location("Indeling", row, column, letter)


def O(row: int, letter: str | None = "B", column: str = "waarde") -> Location:  # noqa: E743
    return Location("Organisatie", row, column, letter)


ERROR_CASES: list[tuple[str, Mutation, Location, str]] = [
    # every required sheet and column is present
    (
        "sheet-organisatie-missing",
        lambda b, d: b.delete_sheet("Organisatie"),
        Location("Organisatie"),
        "blad 'Organisatie' ontbreekt",
    ),
    (
        "sheet-sessies-missing",
        lambda b, d: b.delete_sheet("Sessies"),
        S(),
        "blad 'Sessies' ontbreekt",
    ),
    (
        "sheet-deelnemers-missing",
        lambda b, d: b.delete_sheet("Deelnemers"),
        Location("Deelnemers"),
        "blad 'Deelnemers' ontbreekt",
    ),
    (
        "sheet-indeling-missing",
        lambda b, d: b.delete_sheet("Indeling"),
        Location("Indeling"),
        "blad 'Indeling' ontbreekt",
    ),
    ("sheet-empty", _empty_sheet, Location("Deelnemers"), "blad 'Deelnemers' is leeg"),
    ("sheet-twice", _duplicate_sheet, S(), "2 bladen met de naam 'Sessies'"),
    (
        "column-sessies-thema",
        lambda b, d: b.delete_column("Sessies", "thema"),
        S(1, "thema"),
        "verplichte kolom 'thema' ontbreekt in de kopregel (rij 1)",
    ),
    (
        "column-deelnemers-email",
        lambda b, d: b.delete_column("Deelnemers", "email"),
        Location("Deelnemers", 1, "email"),
        "verplichte kolom 'email' ontbreekt",
    ),
    (
        "column-indeling-personeelsnummer",
        lambda b, d: b.delete_column("Indeling", "personeelsnummer"),
        Location("Indeling", 1, "personeelsnummer"),
        "verplichte kolom 'personeelsnummer'",
    ),
    (
        "column-organisatie-waarde",
        lambda b, d: b.delete_column("Organisatie", "waarde"),
        Location("Organisatie", 1, "waarde"),
        "verplichte kolom 'waarde'",
    ),
    (
        "column-uitkomsten-sessie",
        lambda b, d: b.sheets.__setitem__(
            "Uitkomsten", Table(["knelpunten"], [{"knelpunten": "x"}])
        ),
        Location("Uitkomsten", 1, "sessie"),
        "verplichte kolom 'sessie'",
    ),
    ("column-twice", _duplicate_header, S(1, "thema", "L"), "staat twee keer in de kopregel"),
    # every required cell is filled
    (
        "cell-sessies-begeleider",
        lambda b, d: b.set("Sessies", 2, "begeleider", None),
        S(2, "begeleider", "I"),
        "begeleider is niet ingevuld",
    ),
    (
        "cell-deelnemers-achternaam",
        lambda b, d: b.set("Deelnemers", 3, "achternaam", "  "),
        D(3, "achternaam", "D"),
        "achternaam is niet ingevuld",
    ),
    (
        "cell-indeling-personeelsnummer",
        lambda b, d: b.set("Indeling", 6, "personeelsnummer", None),
        I(6, "personeelsnummer", "B"),
        "personeelsnummer is niet ingevuld",
    ),
    (
        "cell-uitkomsten-sessie",
        _uitkomsten({"sessie": None, "knelpunten": "x"}),
        Location("Uitkomsten", 2, "sessie", "A"),
        "sessie is niet ingevuld",
    ),
    (
        "organisatie-veld-missing",
        lambda b, d: b.remove_org("gemeentesecretaris"),
        O(1),
        "veld 'gemeentesecretaris' ontbreekt",
    ),
    (
        "organisatie-waarde-empty",
        lambda b, d: b.org("cyclus", None),
        O(8),
        "waarde van veld 'cyclus' is niet ingevuld",
    ),
    (
        "organisatie-veld-twice",
        lambda b, d: b.add_row("Organisatie", veld="Gemeente", waarde="Gemeente X"),
        O(9, "A", "veld"),
        "veld 'gemeente' komt al voor in rij 2",
    ),
    # ids are unique
    (
        "sessie-twice",
        lambda b, d: b.set("Sessies", 3, "sessie", "lr-01"),
        S(3, "sessie", "A"),
        "sessie 'lr-01' komt al voor in rij 2",
    ),
    (
        "personeelsnummer-twice",
        lambda b, d: b.set("Deelnemers", 3, "personeelsnummer", 10001),
        D(3, "personeelsnummer", "A"),
        "personeelsnummer '10001' komt al voor in rij 2",
    ),
    (
        "person-twice-in-session",
        lambda b, d: b.add_row("Indeling", sessie="LR-01", personeelsnummer="10002"),
        I(15, "personeelsnummer", "B"),
        "staat al in sessie LR-01 (rij 3)",
    ),
    (
        "uitkomsten-sessie-twice",
        _uitkomsten({"sessie": "LR-01"}, {"sessie": "LR-01"}),
        Location("Uitkomsten", 3, "sessie", "A"),
        "sessie LR-01 staat al in rij 2",
    ),
    # every Indeling (and Uitkomsten) row points at an existing session and person
    (
        "indeling-unknown-session",
        lambda b, d: b.set("Indeling", 2, "sessie", "LR-09"),
        I(2, "sessie", "A"),
        "sessie 'LR-09' staat niet in het blad Sessies",
    ),
    (
        "indeling-unknown-person",
        lambda b, d: b.set("Indeling", 2, "personeelsnummer", 99999),
        I(2, "personeelsnummer", "B"),
        "personeelsnummer '99999' staat niet in het blad Deelnemers",
    ),
    (
        "uitkomsten-unknown-session",
        _uitkomsten({"sessie": "XX-01", "knelpunten": "x"}),
        Location("Uitkomsten", 2, "sessie", "A"),
        "staat niet in het blad Sessies",
    ),
    # dates and times parse
    (
        "date-impossible",
        lambda b, d: b.set("Sessies", 2, "datum", "31-02-2027"),
        S(2, "datum", "C"),
        "datum '31-02-2027' bestaat niet; verwacht dd-mm-jjjj",
    ),
    (
        "date-words",
        lambda b, d: b.set("Sessies", 3, "datum", "volgende week"),
        S(3, "datum", "C"),
        "is geen datum",
    ),
    (
        "date-far-away",
        lambda b, d: b.set("Sessies", 2, "datum", dt.date(1999, 3, 9)),
        S(2, "datum", "C"),
        "ligt niet tussen 2000 en 2099",
    ),
    (
        "time-impossible",
        lambda b, d: b.set("Sessies", 3, "begintijd", "25:00"),
        S(3, "begintijd", "D"),
        "tijd '25:00' bestaat niet",
    ),
    (
        "time-words",
        lambda b, d: b.set("Sessies", 3, "begintijd", "middag"),
        S(3, "begintijd", "D"),
        "is geen tijd; verwacht uu:mm",
    ),
    ("briefdatum", lambda b, d: b.org("briefdatum", "31-02-2027"), O(9), "bestaat niet"),
    # vorm, begeleiding, aanhef, rol take only their values; thema is a known theme
    (
        "vorm",
        lambda b, d: b.set("Sessies", 2, "vorm", "op_locatie"),
        S(2, "vorm", "F"),
        "'op_locatie' is geen geldige keuze; kies online of op locatie",
    ),
    (
        "begeleiding",
        lambda b, d: b.set("Sessies", 2, "begeleiding", "intern"),
        S(2, "begeleiding", "J"),
        "kies HR of extern",
    ),
    (
        "aanhef",
        lambda b, d: b.set("Deelnemers", 2, "aanhef", "dhr."),
        D(2, "aanhef", "E"),
        "kies heer, mevrouw of neutraal",
    ),
    (
        "rol",
        lambda b, d: b.set("Indeling", 2, "rol", "voorzitter"),
        I(2, "rol", "C"),
        "kies deelnemer of inbrenger",
    ),
    (
        "thema",
        lambda b, d: b.set("Sessies", 2, "thema", "Leiderschap"),
        S(2, "thema", "B"),
        "thema 'Leiderschap' is onbekend; kies Autonomie, Intervisie, Leerruimte of Participatie",
    ),
    # locatie and link depend on vorm; link is https
    (
        "locatie-when-op-locatie",
        lambda b, d: b.set("Sessies", 2, "locatie", None),
        S(2, "locatie", "G"),
        "bij vorm 'op locatie'",
    ),
    (
        "locatie-column-missing",
        lambda b, d: b.delete_column("Sessies", "locatie"),
        S(2, "locatie"),
        "De kolom 'locatie' ontbreekt in de kopregel",
    ),
    (
        "link-when-online",
        lambda b, d: b.set("Sessies", 3, "link", None),
        S(3, "link", "H"),
        "bij vorm 'online'",
    ),
    (
        "link-https",
        lambda b, d: b.set("Sessies", 3, "link", "http://teams.example.nl/x"),
        S(3, "link", "H"),
        "is geen https-link",
    ),
    # duur_minuten is a positive whole number, long enough for the method
    (
        "duur-zero",
        lambda b, d: b.set("Sessies", 2, "duur_minuten", 0),
        S(2, "duur_minuten", "E"),
        "geen positief aantal minuten",
    ),
    (
        "duur-words",
        lambda b, d: b.set("Sessies", 2, "duur_minuten", "een uur"),
        S(2, "duur_minuten", "E"),
        "duur_minuten 'een uur' is geen geheel getal",
    ),
    (
        "duur-fraction",
        lambda b, d: b.set("Sessies", 2, "duur_minuten", 60.5),
        S(2, "duur_minuten", "E"),
        "is geen geheel getal",
    ),
    (
        "duur-over-a-day",
        lambda b, d: b.set("Sessies", 2, "duur_minuten", 2000),
        S(2, "duur_minuten", "E"),
        "langer dan een dag",
    ),
    (
        "duur-too-short-for-steps",
        lambda b, d: b.set("Sessies", 2, "duur_minuten", 30),
        S(2, "duur_minuten", "E"),
        "duur_minuten 30 is te kort voor de vaste stappen van het thema Leerruimte; minimaal 40 "
        "minuten.",
    ),
    (
        "duur-too-short-for-rounds",
        lambda b, d: b.set("Sessies", 4, "duur_minuten", 60),
        S(4, "duur_minuten", "E"),
        "duur_minuten 60 is te kort voor 2 rondes van 30 minuten; minimaal 70 minuten.",
    ),
    # group size within the method's limits
    (
        "group-too-small",
        lambda b, d: b.delete_rows("Indeling", sessie="LR-01", personeelsnummer=10004).delete_rows(
            "Indeling", sessie="LR-01", personeelsnummer=10003
        ),
        S(2, "sessie", "A"),
        "sessie LR-01 heeft 2 deelnemer(s) in het blad Indeling; het thema "
        "Leerruimte vraagt minimaal 3 en maximaal 10",
    ),
    ("group-too-large", _too_many, S(3, "sessie", "A"), "heeft 11 deelnemer(s)"),
    # nobody in two sessions at once
    (
        "overlap",
        _overlap,
        I(15, "sessie", "A"),
        "overlapt met sessie LR-01 (09-03-2027 14:00-15:00) waarin deze persoon ook staat (rij 2)",
    ),
    # e-mail and postcode well-formed
    (
        "email",
        lambda b, d: b.set("Deelnemers", 2, "email", "jan@voorbeeld"),
        D(2, "email", "H"),
        "e-mailadres 'jan@voorbeeld' is ongeldig",
    ),
    (
        "contact-email",
        lambda b, d: b.org("contact_email", "hr at voorbeeldstad.nl"),
        O(6),
        "is ongeldig",
    ),
    (
        "postcode",
        lambda b, d: b.set("Deelnemers", 2, "postcode", "0123 AB"),
        D(2, "postcode", "J"),
        "postcode '0123 AB' is ongeldig",
    ),
    # a signature image exists and is PNG or JPEG
    (
        "signature-missing",
        lambda b, d: b.org("handtekening", "weg.png"),
        O(9),
        "handtekening 'weg.png' bestaat niet",
    ),
    (
        "signature-not-image",
        _write("sig.png", b"GIF89a nope"),
        O(9),
        "is geen PNG- of JPEG-afbeelding",
    ),
    (
        "signature-damaged",
        _write("sig.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32),
        O(9),
        "is beschadigd",
    ),
    # cells the reader could not read
    (
        "formula-without-value",
        lambda b, d: b.set("Sessies", 2, "begeleider", "=A1"),
        S(2, "begeleider", "I"),
        "formule zonder (of met een lege) berekende waarde",
    ),
    (
        "excel-error-value",
        lambda b, d: b.set("Deelnemers", 2, "email", "#N/A"),
        D(2, "email", "H"),
        "foutwaarde '#N/A'",
    ),
    ("no-sessions", _no_sessions, S(1), "bevat geen sessies"),
]


@pytest.mark.parametrize(
    ("mutate", "location", "phrase"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_rule(tmp_path: Path, mutate: Mutation, location: Location, phrase: str) -> None:
    book = Book.valid()
    mutate(book, tmp_path)
    problems = problems_of(book, tmp_path)
    found = [p for p in at(problems, location) if p.severity is Severity.ERROR]
    assert found, f"no error at {location}; got:\n" + "\n".join(map(str, problems))
    assert any(phrase in p.message for p in found), "\n".join(map(str, found))


def test_all_faults_are_reported_together(tmp_path: Path) -> None:
    book = Book.valid()
    chosen = [
        "date-impossible",
        "aanhef",
        "rol",
        "organisatie-veld-missing",
        "link-https",
        "duur-too-short-for-rounds",
        "email",
    ]
    cases = {case[0]: case for case in ERROR_CASES}
    for name in chosen:
        cases[name][1](book, tmp_path)
    problems = problems_of(book, tmp_path)
    for name in chosen:
        _, _, location, phrase = cases[name]
        assert any(phrase in p.message for p in at(problems, location)), name
    assert len([p for p in problems if p.severity is Severity.ERROR]) == len(chosen)


def test_problems_are_in_workbook_order(tmp_path: Path) -> None:
    book = Book.valid().set("Indeling", 2, "rol", "x").set("Sessies", 3, "vorm", "x")
    book.set("Sessies", 2, "vorm", "x").org("cyclus", None)
    problems = problems_of(book, tmp_path)
    assert [p.location.sheet for p in problems if p.location] == [
        "Organisatie",
        "Sessies",
        "Sessies",
        "Indeling",
    ]
    assert [p.location.row for p in problems if p.location] == [8, 2, 3, 2]


def test_an_unreadable_cell_is_reported_once(tmp_path: Path) -> None:
    book = Book.valid().set("Sessies", 2, "begeleider", "=A1")
    problems = problems_of(book, tmp_path)
    assert len(at(problems, S(2, "begeleider", "I"))) == 1


def test_a_missing_column_is_reported_once(tmp_path: Path) -> None:
    problems = problems_of(Book.valid().delete_column("Sessies", "thema"), tmp_path)
    assert [p.location for p in problems] == [S(1, "thema")]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.delete_sheet("Indeling"),
        lambda b: b.delete_column("Indeling", "personeelsnummer"),
    ],
    ids=["sheet", "column"],
)
def test_without_indeling_group_sizes_are_not_judged(
    tmp_path: Path, mutate: Callable[[Book], Any]
) -> None:
    book = Book.valid()
    mutate(book)
    problems = problems_of(book, tmp_path)
    assert len(problems) == 1
    assert problems[0].location is not None and problems[0].location.sheet == "Indeling"


def test_invalid_link_is_not_also_called_missing(tmp_path: Path) -> None:
    book = Book.valid().set("Sessies", 3, "link", "www.teams.nl")
    assert len(problems_of(book, tmp_path)) == 1


def test_unknown_person_does_not_also_shrink_the_group(tmp_path: Path) -> None:
    book = Book.valid().set("Indeling", 2, "personeelsnummer", 99999)
    problems = problems_of(book, tmp_path)
    assert [p.location for p in problems if p.severity is Severity.ERROR] == [
        I(2, "personeelsnummer", "B")
    ]


def test_errors_carry_the_warnings_too(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "postcode", None).set("Sessies", 2, "vorm", "x")
    with pytest.raises(WorkbookInvalid) as caught:
        check(book, tmp_path)
    assert len(caught.value.errors) == 1
    assert [w.location for w in caught.value.warnings] == [D(2, "postcode", "J")]


# --- warnings -----------------------------------------------------------------------------


def _unbooked(book: Book, _: Path) -> None:
    book.add_row(
        "Deelnemers",
        personeelsnummer=10013,
        voornaam="Tim",
        achternaam="Kok",
        aanhef="heer",
        email="tim@voorbeeldstad.nl",
    )


def _large_general_group(book: Book, _: Path) -> None:
    for n in (10002, 10003):
        book.add_row("Indeling", sessie="IV-01", personeelsnummer=n)


WARNING_CASES: list[tuple[str, Mutation, Location, str]] = [
    (
        "past-date",
        lambda b, d: b.set("Sessies", 2, "datum", dt.date(2027, 1, 1)),
        S(2, "datum", "C"),
        "datum 01-01-2027 ligt in het verleden (vandaag is 15-01-2027)",
    ),
    (
        "general-group-small",
        lambda b, d: b.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012).delete_rows(
            "Indeling", sessie="IV-01", personeelsnummer=10011
        ),
        S(4, "sessie", "A"),
        "heeft 3 deelnemers; voor Intervisie werkt een groep van 4 tot 6",
    ),
    ("general-group-large", _large_general_group, S(4, "sessie", "A"), "heeft 7 deelnemers"),
    (
        "no-inbrenger",
        lambda b, d: b.set("Indeling", 10, "rol", None).set("Indeling", 11, "rol", "deelnemer"),
        S(4, "sessie", "A"),
        "sessie IV-01 heeft geen inbrenger",
    ),
    (
        "inbrenger-twice",
        lambda b, d: b.set("Indeling", 2, "rol", "inbrenger").set(
            "Indeling", 14, "rol", "inbrenger"
        ),
        I(14, "rol", "C"),
        "al inbrenger in sessie LR-01 (rij 2)",
    ),
    (
        "person-in-no-session",
        _unbooked,
        D(14, "personeelsnummer", "A"),
        "Tim Kok (10013) staat in geen enkele sessie",
    ),
    (
        "partial-address",
        lambda b, d: b.set("Deelnemers", 2, "postcode", None),
        D(2, "postcode", "J"),
        "postadres onvolledig: postcode ontbreekt",
    ),
    (
        "partial-address-two",
        lambda b, d: b.set("Deelnemers", 2, "adres", None).set("Deelnemers", 2, "plaats", None),
        D(2, "adres", "I"),
        "adres en plaats ontbreken",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "location", "phrase"),
    [case[1:] for case in WARNING_CASES],
    ids=[case[0] for case in WARNING_CASES],
)
def test_warning(tmp_path: Path, mutate: Mutation, location: Location, phrase: str) -> None:
    book = Book.valid()
    mutate(book, tmp_path)
    result = check(book, tmp_path)
    found = at(result.warnings, location)
    assert all(w.severity is Severity.WARNING for w in result.warnings)
    assert any(phrase in w.message for w in found), "\n".join(map(str, result.warnings))


def test_no_inbrenger_counts_one_round(tmp_path: Path) -> None:
    book = Book.valid().set("Indeling", 10, "rol", None).set("Indeling", 11, "rol", None)
    assert check(book, tmp_path).cycle.sessions[2].duur_minuten == 50


def test_partial_address_means_internal_delivery(tmp_path: Path) -> None:
    book = Book.valid().set("Deelnemers", 2, "postcode", None)
    result = check(book, tmp_path)
    assert result.cycle.people[0].postadres is None
    assert internal_delivery(result) == ("10001", "10011", "10012")


# --- robustness ---------------------------------------------------------------------------

COLUMNS = [(spec.name, column.name) for spec in schema.SHEETS[1:4] for column in spec.columns]
weird_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "=1+1",
            "#N/A",
            "_x000B_",
            "31-02-2027",
            "25:00",
            "op locatie",
            "inbrenger",
            "LR-01",
            "10001",
            "ﬁ",
            "İstanbul",
            "\u200b",
            "0",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.times(),
    st.booleans(),
)
edits = st.lists(
    st.tuples(st.sampled_from(COLUMNS), st.integers(min_value=0, max_value=20), weird_values),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=edits,
    org_value=weird_values,
    veld=st.sampled_from([c.name for c in schema.ORGANISATIE.columns]),
)
def test_random_values_raise_only_project_errors(
    edits: list[tuple[tuple[str, str], int, Any]], org_value: Any, veld: str
) -> None:
    book = Book.valid().org(veld, org_value)
    for (sheet, column), index, value in edits:
        rows = book.sheets[sheet].rows
        book.set(sheet, 2 + index % len(rows), column, value)
    # Anything but the project's own errors fails the test.
    with tempfile.TemporaryDirectory() as folder, contextlib.suppress(IntervisieError):
        check(book, Path(folder))


def test_rounds_that_just_fit_are_a_warning_not_an_error(tmp_path: Path) -> None:
    """Two rounds of 30 minutes and the 10-minute opening fit in 70 minutes: the missing
    closing is a warning (the draaiboek leaves it out), not a refused batch."""
    book = Book.valid().set("Sessies", 4, "duur_minuten", 70)
    result = check(book, tmp_path)  # no WorkbookInvalid: nothing is refused
    warned = at(result.warnings, S(4, "duur_minuten", "E"))
    assert warned and all(p.severity is Severity.WARNING for p in warned)
    assert "geen afsluiting" in warned[0].message and "2 rondes" in warned[0].message


@pytest.mark.parametrize(
    ("members", "warned"),
    [(3, True), (4, False), (6, False), (7, True)],
    ids=["below-ideal", "ideal-min", "ideal-max", "above-ideal"],
)
def test_general_group_is_ideal_from_four_to_six_inclusive(
    tmp_path: Path, members: int, warned: bool
) -> None:
    book = Book.valid().delete_rows("Indeling", sessie="IV-01")
    for n in range(members):
        book.add_row("Indeling", sessie="IV-01", personeelsnummer=10001 + n)
    book.set(
        "Indeling",
        book.row_of("Indeling", sessie="IV-01", personeelsnummer=10001),
        "rol",
        "inbrenger",
    )
    found = [w for w in check(book, tmp_path).warnings if "werkt een groep van" in w.message]
    assert bool(found) is warned, found


@pytest.mark.parametrize(
    ("vorm", "column", "phrase"),
    [
        ("op locatie", "locatie", "bij vorm 'op locatie' is de zaal en het adres verplicht"),
        ("online", "link", "bij vorm 'online' is een vergaderlink (https://...) verplicht"),
    ],
)
def test_a_column_required_by_the_chosen_vorm_must_be_filled(
    tmp_path: Path, vorm: str, column: str, phrase: str
) -> None:
    condition = schema.SESSIES.column(column).required_when
    assert condition is not None and (condition.column, condition.value) == ("vorm", vorm)
    book = Book.valid().set("Sessies", 2, "vorm", vorm).set("Sessies", 2, column, None)
    book.set("Sessies", 2, "link" if column == "locatie" else "locatie", None)
    found = [p for p in problems_of(book, tmp_path) if p.location and p.location.column == column]
    assert [p.message for p in found] == [f"{column} is niet ingevuld; {phrase}."]
