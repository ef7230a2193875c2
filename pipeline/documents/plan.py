"""Plan the run: one DocumentJob (template, context, path) per document to write.

Contexts hold only plain values (str, int, bool, lists, dicts) so they pickle cheaply
to worker processes and so the template check knows every name a template may use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pipeline.content.agenda import build_agenda
from pipeline.content.model import Content, Theme
from pipeline.documents import contexts, dutch
from pipeline.documents.filenames import UniquePaths, safe_part
from pipeline.identity import id_key
from pipeline.kinds import ALL_KINDS as ALL_KINDS  # re-exported: the planned kinds
from pipeline.kinds import Kind as Kind
from pipeline.model import (
    Aanhef,
    Booking,
    Cycle,
    Person,
    Rol,
    Session,
    SignatureImage,
    Vorm,
)


@dataclass(frozen=True)
class DocumentJob:
    kind: Kind
    relpath: PurePosixPath  # relative to the cycle's output folder
    title: str
    sessie: str | None
    personeelsnummer: str | None
    context: Mapping[str, Any] = field(compare=False)


@dataclass(frozen=True)
class Plan:
    jobs: tuple[DocumentJob, ...]


def _first(texts: tuple[str, ...]) -> str:
    return texts[0] if texts else ""


class _Index:
    """Lookups and shared context parts, built once per run (plans reach 10,000s of
    documents; contexts share these dicts instead of rebuilding them per document)."""

    def __init__(self, cycle: Cycle, content: Content) -> None:
        self.people = {p.personeelsnummer: p for p in cycle.people}
        self.sessions = {s.sessie: s for s in cycle.sessions}
        self.outcomes = {o.sessie: o for o in cycle.outcomes}
        self.bookings: dict[str, list[Booking]] = defaultdict(list)
        self.by_person: dict[str, list[Booking]] = defaultdict(list)
        for booking in cycle.bookings:
            self.bookings[booking.sessie].append(booking)
            self.by_person[booking.personeelsnummer].append(booking)
        self.themes: dict[str, Theme] = {}
        for session in cycle.sessions:
            theme = content.theme(session.thema)
            if theme is None:  # validate() guarantees this never happens
                raise KeyError(session.thema)
            self.themes[session.sessie] = theme
        self.theme_context = {
            t.key: contexts.theme(t, content.general) for t in content.themes.values()
        }
        # For a syllabus reader addressed with 'u'.
        self.theme_context_u = {
            t.key: contexts.theme(t, content.general, formal=True)
            for t in content.themes.values()
        }
        self.session_context = {
            s.sessie: contexts.session(s, self.themes[s.sessie], len(self.bookings[s.sessie]))
            for s in cycle.sessions
        }
        self.person_context = {p.personeelsnummer: contexts.person(p) for p in cycle.people}
        self.question = {
            s.sessie: contexts.one_line(s.prikkelende_vraag)
            or self.themes[s.sessie].prikkelende_vragen[0]
            for s in cycle.sessions
        }
        # A letter that says 'u' asks the theme's default question with 'u' too; a
        # question of the workbook's own is quoted as HR wrote it.
        self.question_u = {
            s.sessie: contexts.one_line(s.prikkelende_vraag)
            or _first(self.themes[s.sessie].prikkelende_vragen_u)
            or self.themes[s.sessie].prikkelende_vragen[0]
            for s in cycle.sessions
        }

    def members(self, sessie: str) -> list[tuple[Person, Rol]]:
        """The session's people with their role, sorted by surname."""
        pairs = [(self.people[b.personeelsnummer], b.rol) for b in self.bookings[sessie]]
        return sorted(pairs, key=lambda pair: dutch.sort_key(pair[0]))


def _id_part(value: str) -> str:
    """An id in a file name: in its identity form (identity.id_key), so retyping it
    ('004512' as 4512, 'AU-01' as 'au-01') keeps every file name."""
    return safe_part(id_key(value))


def _person_stem(person: Person) -> str:
    return safe_part(
        f"{id_key(person.personeelsnummer)}-{person.achternaam}-{person.tussenvoegsel or ''}"
        f"-{person.voornaam}"
    )


class _Planner:
    """Builds the jobs of one run; one method per kind of document."""

    def __init__(self, cycle: Cycle, content: Content) -> None:
        self.cycle, self.content = cycle, content
        self.index = _Index(cycle, content)
        self.organisation = contexts.organisation(cycle)
        self.general = contexts.general(content.general)
        self.general_u = contexts.general(content.general.for_reader(formal=True))
        self.method = contexts.method(content)
        handtekening = cycle.organisation.handtekening
        self.signature = SignatureImage(handtekening) if handtekening else None
        self.paths = UniquePaths()

    def job(
        self,
        kind: Kind,
        stem: str,
        title: str,
        sessie: str | None,
        nummer: str | None,
        context: dict[str, Any],
        letter_date: dt.date | None = None,
    ) -> DocumentJob:
        """`letter_date`: a letter dated for its own version of the cycle (else the
        workbook's briefdatum)."""
        relpath = self.paths.claim(kind.folder, f"{kind.value}-{stem}", kind.spec.suffix)
        context.setdefault("algemeen", self.general)
        organisation = self.organisation
        if letter_date is not None:
            organisation = {**organisation, "briefdatum": dutch.plain_date(letter_date)}
        context.update(organisatie=organisation, documenttitel=title)
        return DocumentJob(kind, relpath, title, sessie, nummer, context)

    def standing(self, person: Person, cancelled: str) -> list[dict[str, Any]]:
        """The person's sessions that still stand, in time order, with their role."""
        index = self.index
        own = [b for b in index.by_person.get(person.personeelsnummer, []) if b.sessie != cancelled]
        own.sort(key=lambda b: index.sessions[b.sessie].start)
        return [{**index.session_context[b.sessie], "rol": b.rol.value} for b in own]

    def invitations(self, session: Session) -> Iterator[DocumentJob]:
        theme = self.index.themes[session.sessie]
        for booking in self.index.bookings[session.sessie]:
            person = self.index.people[booking.personeelsnummer]
            yield self.job(
                Kind.UITNODIGING,
                f"{_id_part(session.sessie)}-{_person_stem(person)}",
                f"Uitnodiging {theme.naam} {session.sessie} - {dutch.full_name(person)}",
                session.sessie,
                person.personeelsnummer,
                {
                    "ontvanger": self.index.person_context[person.personeelsnummer],
                    "sessie": self.index.session_context[session.sessie],
                    "thema": self.index.theme_context[theme.key],
                    "prikkelende_vraag": (
                        self.index.question_u
                        if person.aanhef is not Aanhef.NEUTRAAL
                        else self.index.question
                    )[session.sessie],
                    "inbrenger": booking.rol is Rol.INBRENGER,
                    # A first invitation; the run says what a re-sent one replaces
                    # (register/letters.py), once it knows the content hash.
                    "wijziging": contexts.NO_CHANGE,
                    "kenmerk": f"{session.sessie}/{person.personeelsnummer}",
                    "handtekening": self.signature,
                },
            )

    def draaiboek(self, session: Session) -> Iterator[DocumentJob]:
        theme = self.index.themes[session.sessie]
        members = self.index.members(session.sessie)
        inbrengers = [dutch.full_name(p) for p, rol in members if rol is Rol.INBRENGER]
        agenda = build_agenda(theme, session.start, session.duur_minuten, inbrengers)
        yield self.job(
            Kind.DRAAIBOEK,
            _id_part(session.sessie),
            f"Draaiboek {theme.naam} {session.sessie}",
            session.sessie,
            None,
            {
                "sessie": self.index.session_context[session.sessie],
                "thema": self.index.theme_context[theme.key],
                "deelnemers": [
                    {**self.index.person_context[p.personeelsnummer], "rol": rol.value}
                    for p, rol in members
                ],
                "inbrengers": inbrengers,
                "agenda": contexts.agenda_rows(agenda),
                "stappen": contexts.agenda_steps(
                    agenda, self.content.general.bord, session.vorm is Vorm.ONLINE
                ),
                "prikkelende_vraag": self.index.question[session.sessie],
            },
        )

    def advice(self, session: Session) -> Iterator[DocumentJob]:
        theme = self.index.themes[session.sessie]
        members = self.index.members(session.sessie)
        outcome = self.index.outcomes.get(session.sessie)
        # An advice follows its session: with outcomes not before the session (nor before
        # the letters); a draft, written beforehand, for the first working day after it.
        dated = dutch.long_date(
            max(session.datum, self.cycle.organisation.briefdatum)
            if outcome
            else dutch.next_working_day(session.datum)
        )
        yield self.job(
            Kind.VERVOLGADVIES,
            _id_part(session.sessie),
            f"Vervolgadvies {theme.naam} {session.sessie}",
            session.sessie,
            None,
            {
                "sessie": self.index.session_context[session.sessie],
                "thema": self.index.theme_context[theme.key],
                "deelnemers": [dutch.full_name(p) for p, _ in members],
                "grote_groep": len(members) >= self.content.general.grote_groep_vanaf,
                "advies": contexts.advice(outcome, theme),
                "adviesdatum": dated,
            },
        )

    def syllabi(self) -> Iterator[DocumentJob]:
        index = self.index
        for person in self.cycle.people:
            bookings = index.by_person.get(person.personeelsnummer)
            if not bookings:
                continue
            own = sorted(bookings, key=lambda b: index.sessions[b.sessie].start)
            theme_keys = dict.fromkeys(index.themes[b.sessie].key for b in own)
            sessions = [{**index.session_context[b.sessie], "rol": b.rol.value} for b in own]
            # The syllabus speaks to its reader as the reader's letter does.
            formal = person.aanhef is not Aanhef.NEUTRAAL
            themes = index.theme_context_u if formal else index.theme_context
            yield self.job(
                Kind.SYLLABUS,
                _person_stem(person),
                f"Syllabus {self.cycle.organisation.cyclus} - {dutch.full_name(person)}",
                None,
                person.personeelsnummer,
                {
                    "lezer": index.person_context[person.personeelsnummer],
                    "sessies": sessions,
                    "cyclus": contexts.cycle_facts(sessions),
                    "themas": [themes[key] for key in theme_keys],
                    "methode": self.method,
                    "algemeen": self.general_u if formal else self.general,
                },
            )


@dataclass(frozen=True)
class Cancelled:
    """A booking of the previous run that is gone, with the session as it was sent."""

    sessie: str
    person: Person
    session: Mapping[str, Any]  # contexts.cancelled_session(...)
    briefdatum: dt.date | None = None  # the date of the version that cancels it


def iter_cancellations(
    cycle: Cycle, content: Content, cancelled: Iterable[Cancelled]
) -> Iterator[DocumentJob]:
    """One cancellation letter per booking that disappeared, signed like the invitation."""
    planner = _Planner(cycle, content)
    for item in cancelled:
        person = item.person
        yield planner.job(
            Kind.AFZEGGING,
            f"{_id_part(item.sessie)}-{_person_stem(person)}",
            f"Afzegging {item.sessie} - {dutch.full_name(person)}",
            item.sessie,
            person.personeelsnummer,
            {
                "ontvanger": contexts.person(person),
                "sessie": dict(item.session),
                "overige_sessies": planner.standing(person, item.sessie),
                "kenmerk": f"{item.sessie}/{person.personeelsnummer}",
                "handtekening": planner.signature,
            },
            item.briefdatum,
        )


def iter_documents(
    cycle: Cycle, content: Content, kinds: Iterable[Kind] = ALL_KINDS
) -> Iterator[DocumentJob]:
    """Every document of the run, one at a time (a run of 100,000 documents never holds
    all contexts at once), in a stable order: by kind, then by workbook order."""
    wanted = set(kinds)
    planner = _Planner(cycle, content)
    per_session = {
        Kind.UITNODIGING: planner.invitations,
        Kind.DRAAIBOEK: planner.draaiboek,
        Kind.VERVOLGADVIES: planner.advice,
    }
    for kind in ALL_KINDS:
        if kind not in wanted:
            continue
        if kind is Kind.SYLLABUS:
            yield from planner.syllabi()
            continue
        for session in cycle.sessions:
            yield from per_session[kind](session)


def count_documents(cycle: Cycle, kinds: Iterable[Kind] = ALL_KINDS) -> int:
    """How many documents iter_documents will give, without planning them."""
    wanted = set(kinds)
    booked = {b.personeelsnummer for b in cycle.bookings}
    per_kind = {
        Kind.UITNODIGING: len(cycle.bookings),
        Kind.DRAAIBOEK: len(cycle.sessions),
        Kind.VERVOLGADVIES: len(cycle.sessions),
        Kind.SYLLABUS: sum(1 for p in cycle.people if p.personeelsnummer in booked),
    }
    return sum(n for kind, n in per_kind.items() if kind in wanted)


def letter_moment(cycle: Cycle) -> dt.datetime:
    """The moment letters and e-mails are dated: the letter date at 09:00, never the clock."""
    return dt.datetime.combine(cycle.organisation.briefdatum, dt.time(9, 0))


def document_date(cycle: Cycle) -> dt.datetime:
    """Core properties' date: from the data (letter date, or the first session if
    earlier), never the clock, so a re-run gives the same bytes."""
    return min([letter_moment(cycle), *(s.start for s in cycle.sessions)])


def plan_documents(cycle: Cycle, content: Content, kinds: Iterable[Kind] = ALL_KINDS) -> Plan:
    """All jobs at once: for small cycles (the template check's sample, tests, the bench)."""
    jobs = tuple(iter_documents(cycle, content, kinds))
    return Plan(jobs)
