"""A small, complete cycle built in code: the template check renders every template with it."""

from __future__ import annotations

import datetime as dt

from pipeline.content.model import Content
from pipeline.model import (
    Aanhef,
    Begeleiding,
    Booking,
    Cycle,
    Organisation,
    Person,
    PostalAddress,
    Rol,
    Session,
    SessionOutcome,
    Vorm,
)

_PEOPLE = (
    ("1001", "Jan", "van der", "Berg", Aanhef.HEER, True),
    ("1002", "Sanne", "de", "Vries", Aanhef.NEUTRAAL, False),
    ("1003", "Fatma", None, "Öztürk", Aanhef.MEVROUW, True),
    ("1004", "Pieter", "'t", "Hart", Aanhef.HEER, False),
)


def sample_cycle(content: Content) -> Cycle:
    """One session per theme, every optional field filled somewhere, one outcome."""
    people = tuple(
        Person(
            personeelsnummer=number,
            voornaam=first,
            tussenvoegsel=particle,
            achternaam=last,
            aanhef=aanhef,
            functie="Teamleider",
            afdeling="Vergunningen & Handhaving",
            email=f"{number}@voorbeeld.nl",
            postadres=PostalAddress("Stationsweg 1", "1234 AB", "Voorbeeld") if post else None,
            row=i + 2,
        )
        for i, (number, first, particle, last, aanhef, post) in enumerate(_PEOPLE)
    )
    sessions: list[Session] = []
    bookings: list[Booking] = []
    for i, theme in enumerate(sorted(content.themes.values(), key=lambda t: t.key)):
        code = f"S-{i + 1:02d}"
        online = i % 2 == 0
        sessions.append(
            Session(
                sessie=code,
                thema=theme.key,
                datum=dt.date(2030, 3, 4) + dt.timedelta(days=i),
                begintijd=dt.time(14, 0),
                duur_minuten=theme.default_minutes(2),
                vorm=Vorm.ONLINE if online else Vorm.LOCATIE,
                locatie=None if online else "Raadzaal, Markt 1",
                link="https://vergader.voorbeeld.nl/a" if online else None,
                begeleider="Karin Bakker",
                begeleiding=Begeleiding.HR if online else Begeleiding.EXTERN,
                prikkelende_vraag=None if online else "Wat helpt jou?",
                row=i + 2,
            )
        )
        for j, person in enumerate(people):
            bookings.append(
                Booking(
                    code,
                    person.personeelsnummer,
                    Rol.INBRENGER if j < 2 else Rol.DEELNEMER,
                    len(bookings) + 2,
                )
            )
    organisation = Organisation(
        gemeente="Gemeente Voorbeeld",
        gemeentesecretaris="A. Jansen",
        functie_ondertekenaar="Gemeentesecretaris",
        handtekening=None,
        afzender_adres=("Postbus 1", "1234 AB Voorbeeld"),
        contactpersoon="HR",
        contact_email="hr@voorbeeld.nl",
        contact_telefoon="14 0123",
        cyclus="Voorbeeld 2030",
        plaats="Voorbeeld",
        briefdatum=dt.date(2030, 2, 1),
    )
    outcomes = (SessionOutcome(sessions[0].sessie, ("Tijd",), ("Ruimte",), ("Vervolg",)),)
    return Cycle(organisation, tuple(sessions), people, tuple(bookings), outcomes)
