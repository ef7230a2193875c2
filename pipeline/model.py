"""Frozen, typed records: what the validator produces and everything after it consumes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Vorm(Enum):
    ONLINE = "online"
    LOCATIE = "op locatie"


class Begeleiding(Enum):
    HR = "HR"
    EXTERN = "extern"


class Aanhef(Enum):
    HEER = "heer"
    MEVROUW = "mevrouw"
    NEUTRAAL = "neutraal"


class Rol(Enum):
    DEELNEMER = "deelnemer"
    INBRENGER = "inbrenger"


@dataclass(frozen=True)
class Organisation:
    gemeente: str
    gemeentesecretaris: str
    functie_ondertekenaar: str
    handtekening: Path | None  # resolved, existing PNG/JPEG
    afzender_adres: tuple[str, ...]
    contactpersoon: str
    contact_email: str
    contact_telefoon: str | None
    cyclus: str
    plaats: str
    briefdatum: dt.date
    # The workbook's own briefdatum (None: it gives none, and `briefdatum` is the default
    # before the first session); the register dates later versions with it when it changes.
    briefdatum_werkboek: dt.date | None = None


def session_start(datum: dt.date, begintijd: dt.time) -> dt.datetime:
    """When a session starts: its date at its start time (local time, no zone)."""
    return dt.datetime.combine(datum, begintijd)


def session_end(start: dt.datetime, minutes: int) -> dt.datetime:
    """When a session that starts at `start` and lasts `minutes` ends."""
    return start + dt.timedelta(minutes=minutes)


@dataclass(frozen=True)
class Session:
    sessie: str
    thema: str  # canonical theme key as in the content files, e.g. "leerruimte"
    datum: dt.date
    begintijd: dt.time
    duur_minuten: int
    vorm: Vorm
    locatie: str | None
    link: str | None
    begeleider: str
    begeleiding: Begeleiding
    prikkelende_vraag: str | None
    row: int  # sheet row, for messages found later

    @property
    def start(self) -> dt.datetime:
        return session_start(self.datum, self.begintijd)

    @property
    def end(self) -> dt.datetime:
        return session_end(self.start, self.duur_minuten)


@dataclass(frozen=True)
class PostalAddress:
    adres: str
    postcode: str
    plaats: str


@dataclass(frozen=True)
class Person:
    personeelsnummer: str
    voornaam: str
    tussenvoegsel: str | None
    achternaam: str
    aanhef: Aanhef
    functie: str | None
    afdeling: str | None
    email: str
    postadres: PostalAddress | None  # None: internal delivery
    row: int


@dataclass(frozen=True)
class Booking:
    sessie: str
    personeelsnummer: str
    rol: Rol
    row: int


@dataclass(frozen=True)
class SessionOutcome:
    sessie: str
    knelpunten: tuple[str, ...]
    wat_helpt: tuple[str, ...]
    afspraken: tuple[str, ...]


@dataclass(frozen=True)
class Cycle:
    """A whole validated workbook. Tuples keep the workbook's row order."""

    organisation: Organisation
    sessions: tuple[Session, ...]
    people: tuple[Person, ...]
    bookings: tuple[Booking, ...]
    outcomes: tuple[SessionOutcome, ...]


SIGNATURE_WIDTH_MM = 45


@dataclass(frozen=True)
class SignatureImage:
    """Placeholder the renderer swaps for the inline picture of the signature."""

    path: Path
    width_mm: int = SIGNATURE_WIDTH_MM
