"""What counts as "the same" person, session, booking and cycle: one rule, used everywhere.

The workbook contract (shared/spec/werkboek.md, "Identity") says: a `sessie` code and a
`personeelsnummer` are the same when equal ignoring case and surrounding spaces, an id of
digits only by its number (`004512` = `4512`, Excel drops leading zeros); a booking is
(cycle, sessie, personeelsnummer); a cycle is its name ignoring case, accents and runs of
spaces. Validation, file names, calendar UIDs, change detection, cancellations and the
send register all compare through these functions, so retyping an id or the cycle name in
another form is no change anywhere.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

UID_DOMAIN = "intervisie-docs"


def id_key(value: str) -> str:
    """How ids are compared: case-insensitively, surrounding spaces ignored, and all-digit
    ids by their number, so a text cell '004549' and a number cell 4549 match."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return value.lstrip("0") or "0"
    return unicodedata.normalize("NFC", value).casefold()


def cycle_key(name: str) -> str:
    """A cycle name ignoring case, accents and runs of spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def same_cycle(first: str, second: str) -> bool:
    return cycle_key(first) == cycle_key(second)


@dataclass(frozen=True, order=True, slots=True)
class BookingKey:
    """One booking of a cycle: the compared form of its session and person."""

    sessie: str
    personeelsnummer: str

    @classmethod
    def of(cls, sessie: str, personeelsnummer: str) -> BookingKey:
        return cls(id_key(sessie), id_key(personeelsnummer))


def event_uid(cycle: str, sessie: str, personeelsnummer: str) -> str:
    """A new booking's calendar UID: stable per (cycle, session, person) in their compared
    form; readable data stays out of the UID. The register keeps the UID a booking got
    first, so this rule only names bookings it has never seen."""
    booking = BookingKey.of(sessie, personeelsnummer)
    key = "\x1f".join((cycle_key(cycle), booking.sessie, booking.personeelsnummer)).encode()
    return f"{hashlib.sha256(key).hexdigest()[:32]}@{UID_DOMAIN}"


def address_key(email: str) -> str:
    """A recipient: the address ignoring case and surrounding spaces (a new address is a
    new recipient)."""
    return email.strip().casefold()


__all__ = [
    "BookingKey",
    "address_key",
    "cycle_key",
    "event_uid",
    "id_key",
    "same_cycle",
]
