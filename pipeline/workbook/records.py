"""The sheet readers, for the validator: one record per row of the Sessies, Deelnemers,
Indeling and Uitkomsten sheets, and the Organisation from the Organisatie sheet.

Each reader turns the rows of its sheet into records (or `SessionRow` drafts), reporting
every cell that is empty when required or does not parse. Ids (sessie,
personeelsnummer) are unique per sheet and compared with `identity.id_key` (case-insensitive,
all-digit ids by number); a reference resolves to the id as written in its own sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from pipeline.content.model import Content, Theme
from pipeline.errors import Location
from pipeline.identity import id_key
from pipeline.model import (
    Aanhef,
    Begeleiding,
    Booking,
    Organisation,
    Person,
    PostalAddress,
    Rol,
    Session,
    SessionOutcome,
    Vorm,
    session_end,
    session_start,
)
from pipeline.workbook import schema
from pipeline.workbook.fields import Fields, Ids, OrganisationFields, Report, RowFields
from pipeline.workbook.reader import RawRow, RawSheet
from pipeline.workbook.values import (
    and_list,
    as_line,
    parse_day,
    parse_email,
    parse_https_url,
    parse_known,
    parse_minutes,
    parse_postcode,
    parse_signature,
    parse_time,
)

DEFAULT_FUNCTIE = "Gemeentesecretaris"
LETTER_LEAD_DAYS = 21
ADDRESS_COLUMNS = ("adres", "postcode", "plaats")

E = TypeVar("E", Vorm, Begeleiding, Aanhef, Rol)

SESSIES, DEELNEMERS, INDELING = schema.SESSIES, schema.DEELNEMERS, schema.INDELING
UITKOMSTEN = schema.UITKOMSTEN
DATE_FORMAT = "%d-%m-%Y"


@dataclass
class SessionRow:
    """One Sessies row as far as it parsed; `duur_minuten` is settled by `check_sessions`."""

    sessie: str
    row: int
    complete: bool  # every cell of the row parsed
    theme: Theme | None
    datum: dt.date | None
    begintijd: dt.time | None
    duur: int | None  # as written; None: the theme's default
    vorm: Vorm | None
    locatie: str | None
    link: str | None
    begeleider: str | None
    begeleiding: Begeleiding | None
    prikkelende_vraag: str | None
    duur_minuten: int | None = None

    @property
    def start(self) -> dt.datetime | None:
        if self.datum is None or self.begintijd is None:
            return None
        return session_start(self.datum, self.begintijd)

    @property
    def end(self) -> dt.datetime | None:
        if self.start is None or self.duur_minuten is None:
            return None
        return session_end(self.start, self.duur_minuten)

    def describe(self) -> str:
        """'LR-01 (09-03-2027 14:00-15:00)' for messages."""
        if self.start is None or self.end is None:
            return self.sessie
        return (
            f"{self.sessie} ({self.start.strftime(DATE_FORMAT)} "
            f"{self.start:%H:%M}-{self.end:%H:%M})"
        )

    def to_session(self) -> Session | None:
        if (
            not self.complete
            or self.theme is None
            or self.datum is None
            or self.begintijd is None
            or self.duur_minuten is None
            or self.vorm is None
            or self.begeleider is None
            or self.begeleiding is None
        ):
            return None
        return Session(
            sessie=self.sessie,
            thema=self.theme.key,
            datum=self.datum,
            begintijd=self.begintijd,
            duur_minuten=self.duur_minuten,
            vorm=self.vorm,
            locatie=self.locatie,
            link=self.link,
            begeleider=self.begeleider,
            begeleiding=self.begeleiding,
            prikkelende_vraag=self.prikkelende_vraag,
            row=self.row,
        )


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
    themes = [known.naam for known in content.themes.values()]
    theme = f.get("thema", partial(parse_known, find=content.theme, names=themes, column="thema"))
    datum = f.get("datum", parse_day)
    begintijd = f.get("begintijd", parse_time)
    duur = f.get("duur_minuten", parse_minutes)
    chosen_vorm = f.choice("vorm")
    vorm = _enum(Vorm, chosen_vorm)
    locatie = f.text("locatie")
    link = f.get("link", parse_https_url)
    f.require_when({"vorm": chosen_vorm})
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


def read_outcomes(
    sheet: RawSheet | None, sessions: Ids | None, report: Report
) -> list[SessionOutcome]:
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
        outcomes.append(SessionOutcome(sessie, *texts))
    return outcomes


# --- Organisatie ------------------------------------------------------------------------


def read_organisation(
    sheet: RawSheet | None, folder: Path, first_date: dt.date | None, report: Report
) -> Organisation | None:
    """The key/value list of the Organisatie sheet; the letter date defaults to
    LETTER_LEAD_DAYS before the first session. `folder` is where the signature is looked
    up (the workbook's own folder)."""
    f = OrganisationFields(sheet, report)
    gemeente = f.text("gemeente")
    secretaris = f.text("gemeentesecretaris")
    functie = f.text("functie_ondertekenaar") or DEFAULT_FUNCTIE
    handtekening = f.get("handtekening", partial(parse_signature, folder))
    afzender = f.lines("afzender_adres")
    contactpersoon = f.text("contactpersoon")
    email = f.get("contact_email", parse_email)
    telefoon = f.text("contact_telefoon")
    cyclus = f.get("cyclus", as_line)
    plaats = f.text("plaats") or (_place(gemeente) if gemeente else None)
    briefdatum = own_date = f.get("briefdatum", parse_day)
    if briefdatum is not None and first_date is not None and briefdatum > first_date:
        f.warn(
            "briefdatum",
            f"briefdatum {briefdatum:%d-%m-%Y} ligt na de eerste sessie "
            f"({first_date:%d-%m-%Y}); de uitnodigingen zouden dan te laat komen.",
        )
    if briefdatum is None and first_date is not None:
        briefdatum = first_date - dt.timedelta(days=LETTER_LEAD_DAYS)
    if (
        not f.ok
        or gemeente is None
        or secretaris is None
        or contactpersoon is None
        or email is None
        or cyclus is None
        or plaats is None
        or briefdatum is None
    ):
        return None
    return Organisation(
        gemeente=gemeente,
        gemeentesecretaris=secretaris,
        functie_ondertekenaar=functie,
        handtekening=handtekening,
        afzender_adres=afzender,
        contactpersoon=contactpersoon,
        contact_email=email,
        contact_telefoon=telefoon,
        cyclus=cyclus,
        plaats=plaats,
        briefdatum=briefdatum,
        briefdatum_werkboek=own_date,
    )


def _place(gemeente: str) -> str:
    """'Gemeente Voorbeeldstad' -> 'Voorbeeldstad'."""
    prefix = "gemeente "
    if gemeente.lower().startswith(prefix) and gemeente[len(prefix) :].strip():
        return gemeente[len(prefix) :].strip()
    return gemeente
