"""One record per row: the readers of the Sessies, Deelnemers, Indeling and Uitkomsten
sheets, for the validator.

Each reader turns the rows of its sheet into records (or `SessionRow` drafts), reporting
every cell that is empty when required or does not parse. Ids (sessie,
personeelsnummer) are unique per sheet and compared with `fields.id_key` (case-insensitive,
all-digit ids by number); a reference resolves to the id as written in its own sheet.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TypeVar

from pipeline.content.themes import Content, Theme
from pipeline.errors import Location
from pipeline.model import Aanhef, Begeleiding, Booking, Outcome, Person, PostalAddress, Rol, Vorm
from pipeline.workbook import schema
from pipeline.workbook.fields import Fields, Ids, Report, RowFields, id_key
from pipeline.workbook.reader import RawRow, RawSheet
from pipeline.workbook.rules import SessionRow
from pipeline.workbook.values import (
    CellValue,
    InvalidChoice,
    InvalidDate,
    InvalidNumber,
    and_list,
    as_text,
    or_list,
    parse_date,
    parse_email,
    parse_https_url,
    parse_int,
    parse_postcode,
    parse_time,
    show,
)

MIN_YEAR, MAX_YEAR = 2000, 2099  # keeps date arithmetic further on safe
MAX_SESSION_MINUTES = 24 * 60
ADDRESS_COLUMNS = ("adres", "postcode", "plaats")

E = TypeVar("E", Vorm, Begeleiding, Aanhef, Rol)

SESSIES, DEELNEMERS, INDELING = schema.SESSIES, schema.DEELNEMERS, schema.INDELING
UITKOMSTEN = schema.UITKOMSTEN


def _ids(sheet: RawSheet, column: str, rule: str, report: Report) -> Ids | None:
    return Ids(sheet, column, rule, report) if column in sheet.columns else None


def _reference(
    fields: RowFields, column: str, ids: Ids | None, sheet: str, keep_unknown: bool
) -> str | None:
    """An id pointing at another sheet, as written there; reports unknown ids."""
    value = fields.ident(column)
    if value is None or ids is None:
        return value
    found = ids.resolve(value)
    if found is None:
        known = f" Bekende waarden: {ids.known()}." if not keep_unknown else ""
        fields.fail(column, f"{column} '{value}' staat niet in het blad {sheet}.{known}")
        return value if keep_unknown else None
    return found


# --- Sessies ---------------------------------------------------------------------------


def read_sessions(
    sheet: RawSheet | None, content: Content, report: Report
) -> tuple[list[SessionRow], Ids | None]:
    if sheet is None:
        return [], None
    if not sheet.rows:
        report.error(
            "het blad Sessies bevat geen sessies; voeg minstens één sessie toe.",
            Location(SESSIES.name, sheet.header_row),
        )
    ids = _ids(sheet, "sessie", "elke sessie heeft een eigen code.", report)
    rows = [_read_session(sheet, row, content, ids, report) for row in sheet.rows]
    return [row for row in rows if row is not None], ids


def _read_session(
    sheet: RawSheet, row: RawRow, content: Content, ids: Ids | None, report: Report
) -> SessionRow | None:
    f = RowFields(sheet, row, SESSIES, report)
    sessie = f.ident("sessie")
    if sessie is not None and ids is not None and not ids.add(sessie, row.row):
        sessie = None  # a duplicate: its cells are checked, but it takes no further part
    theme = f.get("thema", partial(_parse_theme, content))
    datum = f.get("datum", parse_day)
    begintijd = f.get("begintijd", parse_time)
    duur = f.get("duur_minuten", _parse_minutes)
    vorm = _enum(Vorm, f.choice("vorm"))
    locatie = f.text("locatie")
    link = f.get("link", parse_https_url)
    if vorm is Vorm.LOCATIE:
        f.require(
            "locatie",
            "locatie is niet ingevuld; bij vorm 'op locatie' is de zaal en het adres verplicht.",
        )
    if vorm is Vorm.ONLINE:
        f.require(
            "link",
            "link is niet ingevuld; bij vorm 'online' is een vergaderlink (https://...) verplicht.",
        )
    begeleider = f.text("begeleider")
    begeleiding = _enum(Begeleiding, f.choice("begeleiding"))
    vraag = f.text("prikkelende_vraag")
    if sessie is None:
        return None
    return SessionRow(
        sessie=sessie,
        row=row.row,
        complete=f.ok,
        theme=theme,
        datum=datum,
        begintijd=begintijd,
        duur=duur,
        vorm=vorm,
        locatie=locatie,
        link=link,
        begeleider=begeleider,
        begeleiding=begeleiding,
        prikkelende_vraag=vraag,
    )


def _parse_theme(content: Content, value: CellValue) -> Theme:
    theme = content.theme(as_text(value))
    if theme is None:
        names = sorted(known.naam for known in content.themes.values())
        raise InvalidChoice(f"thema '{show(value)}' is onbekend; kies {or_list(names)}.")
    return theme


def parse_day(value: CellValue) -> dt.date:
    day = parse_date(value)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidDate(
            f"datum {show(day)} ligt niet tussen {MIN_YEAR} en {MAX_YEAR}; controleer het jaartal."
        )
    return day


def _parse_minutes(value: CellValue) -> int:
    hint = "verwacht het aantal minuten als positief geheel getal, bijvoorbeeld 60."
    try:
        minutes = parse_int(value)
    except InvalidNumber:
        raise InvalidNumber(f"duur_minuten '{show(value)}' is geen geheel getal; {hint}") from None
    if minutes <= 0:
        raise InvalidNumber(f"duur_minuten {minutes} is geen positief aantal minuten; {hint}")
    if minutes > MAX_SESSION_MINUTES:
        raise InvalidNumber(
            f"duur_minuten {minutes} is langer dan een dag; verwacht hoogstens "
            f"{MAX_SESSION_MINUTES} minuten."
        )
    return minutes


def _enum(kind: type[E], value: str | None) -> E | None:
    return kind(value) if value is not None else None


# --- Deelnemers ------------------------------------------------------------------------


def read_people(sheet: RawSheet | None, report: Report) -> tuple[list[Person], Ids | None]:
    if sheet is None:
        return [], None
    rule = "elk personeelsnummer staat maar één keer in het blad."
    ids = _ids(sheet, "personeelsnummer", rule, report)
    people = [_read_person(sheet, row, ids, report) for row in sheet.rows]
    return [person for person in people if person is not None], ids


def _read_person(sheet: RawSheet, row: RawRow, ids: Ids | None, report: Report) -> Person | None:
    f = RowFields(sheet, row, DEELNEMERS, report)
    nummer = f.ident("personeelsnummer")
    if nummer is not None and ids is not None and not ids.add(nummer, row.row):
        nummer = None
    voornaam = f.text("voornaam")
    tussenvoegsel = f.text("tussenvoegsel")
    achternaam = f.text("achternaam")
    aanhef = _enum(Aanhef, f.choice("aanhef"))
    functie = f.text("functie")
    afdeling = f.text("afdeling")
    email = f.get("email", parse_email)
    postadres = _postal_address(f)
    if (
        not f.ok
        or nummer is None
        or voornaam is None
        or achternaam is None
        or aanhef is None
        or email is None
    ):
        return None
    return Person(
        personeelsnummer=nummer,
        voornaam=voornaam,
        tussenvoegsel=tussenvoegsel,
        achternaam=achternaam,
        aanhef=aanhef,
        functie=functie,
        afdeling=afdeling,
        email=email,
        postadres=postadres,
        row=row.row,
    )


def _postal_address(f: Fields) -> PostalAddress | None:
    """All three of adres, postcode, plaats, or None (internal delivery; warned if partial)."""
    adres = f.text("adres")
    postcode = f.get("postcode", parse_postcode)
    plaats = f.text("plaats")
    if adres is not None and postcode is not None and plaats is not None:
        return PostalAddress(adres, postcode, plaats)
    missing = [name for name in ADDRESS_COLUMNS if not f.is_filled(name)]
    if 0 < len(missing) < len(ADDRESS_COLUMNS):
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        f.warn(
            missing[0],
            f"postadres onvolledig: {and_list(missing)} {verb}; de uitnodiging wordt daarom "
            "intern bezorgd (naam, functie en afdeling). Vul adres, postcode en plaats alle "
            "drie in voor verzending per post.",
        )
    return None


# --- Indeling --------------------------------------------------------------------------


def read_bookings(
    sheet: RawSheet | None, sessions: Ids | None, people: Ids | None, report: Report
) -> list[Booking]:
    if sheet is None:
        return []
    seen: dict[tuple[str, str], int] = {}
    bookings = [_read_booking(sheet, row, sessions, people, seen, report) for row in sheet.rows]
    return [booking for booking in bookings if booking is not None]


def _read_booking(
    sheet: RawSheet,
    row: RawRow,
    sessions: Ids | None,
    people: Ids | None,
    seen: dict[tuple[str, str], int],
    report: Report,
) -> Booking | None:
    f = RowFields(sheet, row, INDELING, report)
    sessie = _reference(f, "sessie", sessions, SESSIES.name, keep_unknown=False)
    # An unknown person still counts towards the group size: one error, not two.
    nummer = _reference(f, "personeelsnummer", people, DEELNEMERS.name, keep_unknown=True)
    rol = _enum(Rol, f.choice("rol")) or Rol.DEELNEMER
    if sessie is None or nummer is None:
        return None
    key = (id_key(sessie), id_key(nummer))
    if key in seen:
        f.fail(
            "personeelsnummer",
            f"personeelsnummer {nummer} staat al in sessie {sessie} (rij {seen[key]}); "
            "iedereen staat maar één keer in een sessie.",
        )
        return None
    seen[key] = row.row
    return Booking(sessie, nummer, rol, row.row)


# --- Uitkomsten ------------------------------------------------------------------------


def read_outcomes(sheet: RawSheet | None, sessions: Ids | None, report: Report) -> list[Outcome]:
    if sheet is None:
        return []
    seen: dict[str, int] = {}
    outcomes = []
    for row in sheet.rows:
        f = RowFields(sheet, row, UITKOMSTEN, report)
        sessie = _reference(f, "sessie", sessions, SESSIES.name, keep_unknown=False)
        texts = (f.lines("knelpunten"), f.lines("wat_helpt"), f.lines("afspraken"))
        if sessie is None:
            continue
        if id_key(sessie) in seen:
            f.fail(
                "sessie",
                f"sessie {sessie} staat al in rij {seen[id_key(sessie)]}; zet de uitkomsten "
                "van een sessie samen in één rij.",
            )
            continue
        seen[id_key(sessie)] = row.row
        outcomes.append(Outcome(sessie, *texts))
    return outcomes
