"""Rules that need more than one row: session length, group size, overlaps, warnings.

They run on what the sheet readers in `records` could parse, so that a fault in one
row still lets every other rule speak.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from pipeline.content.model import Theme
from pipeline.identity import id_key
from pipeline.model import Booking, Person, Rol
from pipeline.workbook.fields import Report, locate
from pipeline.workbook.reader import RawSheet
from pipeline.workbook.records import DATE_FORMAT, SessionRow


def check_sessions(
    sessions: Sequence[SessionRow],
    bookings: Sequence[Booking],
    sheet: RawSheet,
    report: Report,
    groups_known: bool = True,
) -> None:
    """Length and group size of every session, given who is booked into it."""
    groups: dict[str, list[Booking]] = defaultdict(list)
    for booking in bookings:
        groups[booking.sessie].append(booking)
    for session in sessions:
        if session.theme is None:
            continue
        group = groups.get(session.sessie, [])
        inbrengers = sum(1 for booking in group if booking.rol is Rol.INBRENGER)
        _settle_length(session, session.theme, inbrengers, sheet, report)
        if groups_known:
            _check_group(session, session.theme, len(group), inbrengers, sheet, report)
            if session.complete and group:
                _check_step_time(session, session.theme, len(group), inbrengers, sheet, report)


def _settle_length(
    session: SessionRow, theme: Theme, inbrengers: int, sheet: RawSheet, report: Report
) -> None:
    """The rounds and fixed steps must fit (an error otherwise); flexible steps such as an
    opening or closing that get less than their minimum are a warning: the draaiboek then
    gives them what time there is, or leaves them out."""
    rounds = max(1, inbrengers) if theme.heeft_rondes else 1
    length = session.duur if session.duur is not None else theme.default_minutes(rounds)
    session.duur_minuten = length
    where = locate(sheet, session.row, "duur_minuten")
    needed = theme.fixed_minutes(rounds)
    if length < needed:
        session.complete = False
        if theme.heeft_rondes:
            need = (
                f"{rounds} {'ronde' if rounds == 1 else 'rondes'} van {theme.ronde_minuten} minuten"
            )
        else:
            need = f"de vaste stappen van het thema {theme.naam}"
        if session.duur is not None:
            message = f"duur_minuten {length} is te kort voor {need}; minimaal {needed} minuten."
        else:
            message = (
                f"de standaardduur van {theme.naam} ({length} minuten) is te kort voor {need}; "
                f"vul duur_minuten in, minimaal {needed} minuten."
            )
        report.error(message, where)
        return
    if length >= theme.minimum_minutes(rounds):
        return
    given = theme.flexible_minutes(length, rounds)
    short = [
        f"{step.titel.lower()} ({minutes} van minimaal {step.minimaal} minuten)"
        if minutes
        else f"geen {step.titel.lower()}"
        for step, minutes in zip(theme.flexible_steps, given, strict=True)
        if minutes < step.minimaal
    ]
    report.warning(
        f"sessie {session.sessie} duurt {length} minuten; dat is genoeg voor "
        + (
            f"{rounds} {'ronde' if rounds == 1 else 'rondes'}"
            if theme.heeft_rondes
            else "de vaste stappen"
        )
        + f", maar niet voor alles: {', '.join(short)}. Het draaiboek houdt daar rekening "
        f"mee; met {theme.minimum_minutes(rounds)} minuten past alles.",
        where,
    )


def _check_step_time(
    session: SessionRow,
    theme: Theme,
    size: int,
    inbrengers: int,
    sheet: RawSheet,
    report: Report,
) -> None:
    """A session that fits every step's minimum can still leave a step too little to work:
    an analysis of 3 minutes, or a closing round of 2 minutes for 9 people who each name
    one thing. Warn, with a length that fits."""
    rounds = max(1, inbrengers) if theme.heeft_rondes else 1
    length = session.duur_minuten
    if length is None or length < theme.minimum_minutes(rounds):
        return  # _settle_length has spoken
    given = theme.flexible_minutes(length, rounds)
    short = []
    for step, minutes in zip(theme.flexible_steps, given, strict=True):
        needed = step.needed(size)
        if minutes >= needed:
            continue
        why = (
            f", een halve minuut voor elk van de {size} deelnemers"
            if step.seconden_per_deelnemer and needed > (step.aanbevolen or step.minimaal)
            else ""
        )
        short.append(f"{step.titel.lower()} {minutes} minuten (nodig: {needed}{why})")
    if not short:
        return
    fits = theme.fitting_minutes(length, rounds, size)
    advice = f"met duur_minuten {fits} past het" if fits else "plan de sessie in twee delen"
    report.warning(
        f"sessie {session.sessie} duurt {length} minuten; daarin krijgt "
        f"{' en '.join(short)}. Advies: {advice}. Blijft het bij {length} minuten, dan "
        "staat in het draaiboek wat de begeleider kan inkorten.",
        locate(sheet, session.row, "duur_minuten"),
    )


def _check_group(
    session: SessionRow,
    theme: Theme,
    size: int,
    inbrengers: int,
    sheet: RawSheet,
    report: Report,
) -> None:
    where = locate(sheet, session.row, "sessie")
    if not theme.min_deelnemers <= size <= theme.max_deelnemers:
        report.error(
            f"sessie {session.sessie} heeft {size} deelnemer(s) in het blad Indeling; "
            f"het thema {theme.naam} vraagt minimaal {theme.min_deelnemers} en maximaal "
            f"{theme.max_deelnemers} deelnemers.",
            where,
        )
    elif _outside_ideal(theme, size):
        report.warning(
            f"sessie {session.sessie} heeft {size} deelnemers; voor {theme.naam} werkt een "
            f"groep van {theme.ideaal_min or theme.min_deelnemers} tot "
            f"{theme.ideaal_max or theme.max_deelnemers} deelnemers het best.",
            where,
        )
    if theme.heeft_rondes and inbrengers == 0:
        report.warning(
            f"sessie {session.sessie} heeft geen inbrenger; {theme.naam} werkt met een ronde "
            "per inbrenger. Geef in het blad Indeling minstens één deelnemer de rol "
            "'inbrenger'. Nu is gerekend met één ronde.",
            where,
        )


def _outside_ideal(theme: Theme, size: int) -> bool:
    too_small = theme.ideaal_min is not None and size < theme.ideaal_min
    too_large = theme.ideaal_max is not None and size > theme.ideaal_max
    return too_small or too_large


def check_overlaps(
    sessions: Sequence[SessionRow], bookings: Sequence[Booking], sheet: RawSheet, report: Report
) -> None:
    """Nobody sits in two sessions at once; reported at the later Indeling row."""
    timed = {s.sessie: s for s in sessions if s.start is not None and s.end is not None}
    per_person: dict[str, list[Booking]] = defaultdict(list)
    for booking in sorted(bookings, key=lambda b: b.row):
        per_person[id_key(booking.personeelsnummer)].append(booking)
    for own in per_person.values():
        for index, later in enumerate(own):
            for earlier in own[:index]:
                first, second = timed.get(earlier.sessie), timed.get(later.sessie)
                if first is not None and second is not None and _overlap(first, second):
                    report.error(
                        f"personeelsnummer {later.personeelsnummer} staat in sessie "
                        f"{second.describe()}, die overlapt met sessie {first.describe()} "
                        f"waarin deze persoon ook staat (rij {earlier.row}); niemand kan op "
                        "twee plaatsen tegelijk zijn.",
                        locate(sheet, later.row, "sessie"),
                    )


def _overlap(a: SessionRow, b: SessionRow) -> bool:
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    return a.start < b.end and b.start < a.end


def check_inbrengers(bookings: Sequence[Booking], sheet: RawSheet, report: Report) -> None:
    """Warn when someone brings in a case in more than one session."""
    first: dict[str, Booking] = {}
    for booking in sorted(bookings, key=lambda b: b.row):
        if booking.rol is not Rol.INBRENGER:
            continue
        key = id_key(booking.personeelsnummer)
        if key in first:
            earlier = first[key]
            report.warning(
                f"personeelsnummer {booking.personeelsnummer} is in deze cyclus al inbrenger "
                f"in sessie {earlier.sessie} (rij {earlier.row}); geef liever een ander de "
                "kans een casus in te brengen.",
                locate(sheet, booking.row, "rol"),
            )
        else:
            first[key] = booking


def check_unbooked(
    people: Sequence[Person], bookings: Sequence[Booking], sheet: RawSheet, report: Report
) -> None:
    """Warn about people who are in no session (they get no documents)."""
    booked = {id_key(booking.personeelsnummer) for booking in bookings}
    for person in people:
        if id_key(person.personeelsnummer) not in booked:
            name = " ".join(
                part for part in (person.voornaam, person.tussenvoegsel, person.achternaam) if part
            )
            report.warning(
                f"{name} ({person.personeelsnummer}) staat in geen enkele sessie in het blad "
                "Indeling en krijgt dus geen documenten.",
                locate(sheet, person.row, "personeelsnummer"),
            )


def check_dates(
    sessions: Sequence[SessionRow], today: dt.date, sheet: RawSheet, report: Report
) -> None:
    """Warn about sessions dated before today."""
    for session in sessions:
        if session.datum is not None and session.datum < today:
            report.warning(
                f"datum {session.datum.strftime(DATE_FORMAT)} ligt in het verleden (vandaag is "
                f"{today.strftime(DATE_FORMAT)}); controleer de datum.",
                locate(sheet, session.row, "datum"),
                depends_on_today=True,
            )
