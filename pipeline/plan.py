"""Plan the run: one DocumentJob (template, context, path) per document to write.

Contexts hold only plain values (str, int, bool, lists, dicts) so they pickle cheaply
to worker processes and so the template check knows every name a template may use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from . import dutch
from .agenda import AgendaItem, build_agenda
from .filenames import UniquePaths, safe_part
from .model import Aanhef, Begeleiding, Booking, Cycle, Outcome, Person, Rol, Session, Vorm
from .themes import Content, General, Theme

SIGNATURE_WIDTH_MM = 45


class Kind(Enum):
    UITNODIGING = "uitnodiging"
    DRAAIBOEK = "draaiboek"
    SYLLABUS = "syllabus"
    VERVOLGADVIES = "vervolgadvies"

    @property
    def template(self) -> str:
        return f"{self.value}.docx"

    @property
    def folder(self) -> str:
        return _FOLDERS[self]


_FOLDERS = {
    Kind.UITNODIGING: "uitnodigingen",
    Kind.DRAAIBOEK: "draaiboeken",
    Kind.SYLLABUS: "syllabi",
    Kind.VERVOLGADVIES: "vervolgadviezen",
}
ALL_KINDS = tuple(Kind)


@dataclass(frozen=True)
class SignatureImage:
    """Placeholder the renderer swaps for the inline picture of the signature."""

    path: Path
    width_mm: int = SIGNATURE_WIDTH_MM


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
    cycle_folder: str
    jobs: tuple[DocumentJob, ...]
    document_date: dt.datetime  # core properties' created/modified: from the data, not the clock


def _one_line(text: str | None) -> str:
    """Collapse line breaks: a value is one paragraph; multi-line data arrives as lists."""
    return " ".join(text.split()) if text else ""


def _organisation(cycle: Cycle) -> dict[str, Any]:
    org = cycle.organisation
    return {
        "gemeente": org.gemeente,
        "plaats": org.plaats,
        "afzender_adres": list(org.afzender_adres),
        "contactpersoon": org.contactpersoon,
        "contact_email": org.contact_email,
        "contact_telefoon": org.contact_telefoon or "",
        "gemeentesecretaris": org.gemeentesecretaris,
        "functie_ondertekenaar": org.functie_ondertekenaar,
        "cyclus": org.cyclus,
        "briefdatum": dutch.long_date(org.briefdatum),
    }


def _general(general: General) -> dict[str, Any]:
    return {
        "wat_is": general.wat_is,
        "doelen": list(general.doelen),
        "wat_het_niet_is": list(general.wat_het_niet_is),
        "spelregels": list(general.spelregels),
        "rollen": [{"naam": r.naam, "omschrijving": r.omschrijving} for r in general.rollen],
        "vaardigheden": list(general.vaardigheden),
        "vertrouwelijkheid": general.vertrouwelijkheid,
        "duurzame_inzetbaarheid": general.duurzame_inzetbaarheid,
        "grote_groep_regel": general.grote_groep_regel,
        "vervolg_checklist": list(general.vervolg_checklist),
        "advies_grote_groep": general.advies_grote_groep,
        "advies_zonder_uitkomsten": general.advies_zonder_uitkomsten,
        "programma": general.programma,
    }


def _minutes(minutes: int) -> str:
    return f"{minutes} min"


def _round_steps(theme: Theme) -> list[dict[str, Any]]:
    return [
        {"titel": s.titel, "minuten": s.minuten, "eigenaar": s.eigenaar, "groep": s.groep}
        for s in theme.ronde
    ]


def _theme(theme: Theme) -> dict[str, Any]:
    return {
        "naam": theme.naam,
        "pijler": theme.pijler,
        "uitleg": theme.uitleg,
        "doel": theme.doel,
        "voorbereiding": theme.voorbereiding,
        "standaardvraag": theme.prikkelende_vragen[0],
        "prikkelende_vragen": list(theme.prikkelende_vragen),
        "heeft_analyse": theme.heeft_analyse,
        "analyse_categorieen": list(theme.analyse_categorieen),
        "analyse_vraag": theme.analyse_vraag,
        "beeldvorming": list(theme.beeldvorming),
        "praktijkvragen": list(theme.praktijkvragen),
        "focusvraag": theme.focusvraag,
        "vervolgsuggesties": [
            {"titel": s.titel, "tekst": s.tekst} for s in theme.vervolgsuggesties
        ],
        "onderscheid_titel": theme.onderscheid_titel,
        "onderscheid": theme.onderscheid,
        "heeft_rondes": theme.heeft_rondes,
        "ronde_minuten": theme.ronde_minuten,
        "rondestappen": _round_steps(theme),
        "stappen": [
            {
                "titel": s.titel,
                "minuten": _minutes(s.minuten) if s.minuten is not None else "resterende tijd",
                "uitleg": s.begeleider,
                "rondes": s.herhaal is not None,
            }
            for s in theme.stappen
        ],
    }


def _session(session: Session, theme: Theme, size: int) -> dict[str, Any]:
    online = session.vorm is Vorm.ONLINE
    return {
        "code": session.sessie,
        "thema": theme.naam,
        "datum": dutch.long_date(session.datum),
        "tijd": dutch.clock_range(session.start, session.end),
        "begintijd": dutch.clock(session.start),
        "eindtijd": dutch.clock(session.end),
        "duur_minuten": session.duur_minuten,
        "online": online,
        "vorm": session.vorm.value,
        "locatie": session.locatie or "",
        "link": session.link or "",
        "plaats": f"online via {session.link}" if online else (session.locatie or ""),
        "begeleider": session.begeleider,
        "begeleiding": session.begeleiding.value,
        "begeleiding_tekst": (
            "een begeleider van HR"
            if session.begeleiding is Begeleiding.HR
            else "een externe begeleider"
        ),
        "groepsgrootte": size,
    }


def _person(person: Person) -> dict[str, Any]:
    return {
        "naam": dutch.full_name(person),
        "achternaam": dutch.surname(person),
        "aanhef_regel": dutch.salutation(person),
        # 'Geachte heer/mevrouw' goes with 'u'; 'Beste' (neutraal) with 'je'.
        "formeel": person.aanhef is not Aanhef.NEUTRAAL,
        "functie": person.functie or "",
        "afdeling": person.afdeling or "",
        "email": person.email,
        "per_post": person.postadres is not None,
        "adresregels": (
            [person.postadres.adres, f"{person.postadres.postcode}  {person.postadres.plaats}"]
            if person.postadres
            else []
        ),
    }


def _agenda_rows(items: Sequence[AgendaItem]) -> list[dict[str, Any]]:
    """The agenda table: one row per step, one per round step for the general method."""
    rows: list[dict[str, Any]] = []
    for item in items:
        if not item.rounds:
            rows.append(
                {
                    "tijd": dutch.clock_range(item.slot.start, item.slot.end),
                    "minuten": item.slot.minutes,
                    "titel": item.step.titel,
                }
            )
            continue
        for rnd in item.rounds:
            owner = f" ({rnd.inbrenger})" if rnd.inbrenger else ""
            for rs in rnd.steps:
                rows.append(
                    {
                        "tijd": dutch.clock_range(rs.slot.start, rs.slot.end),
                        "minuten": rs.slot.minutes,
                        "titel": f"Ronde {rnd.number}{owner}: {rs.step.titel}",
                    }
                )
    return rows


def _agenda_steps(items: Sequence[AgendaItem]) -> list[dict[str, Any]]:
    return [
        {
            "titel": item.step.titel,
            "tijd": dutch.clock_range(item.slot.start, item.slot.end),
            "minuten": item.slot.minutes,
            "uitleg": item.step.begeleider,
            "grote_groep": item.step.grote_groep,
            "analyse": item.step.analyse,
            "rondes": [
                {
                    "nummer": rnd.number,
                    "inbrenger": rnd.inbrenger or "nog te kiezen bij de start",
                    "tijd": dutch.clock_range(rnd.slot.start, rnd.slot.end),
                    "stappen": [
                        {
                            "tijd": dutch.clock_range(rs.slot.start, rs.slot.end),
                            "minuten": rs.slot.minutes,
                            "titel": rs.step.titel,
                            "eigenaar": rs.step.eigenaar,
                            "groep": rs.step.groep,
                        }
                        for rs in rnd.steps
                    ],
                }
                for rnd in item.rounds
            ],
        }
        for item in items
    ]


def _outcome(outcome: Outcome | None) -> dict[str, Any]:
    if outcome is None:
        return {"aanwezig": False, "knelpunten": [], "wat_helpt": [], "afspraken": []}
    return {
        "aanwezig": True,
        "knelpunten": [_one_line(t) for t in outcome.knelpunten],
        "wat_helpt": [_one_line(t) for t in outcome.wat_helpt],
        "afspraken": [_one_line(t) for t in outcome.afspraken],
    }


class _Index:
    """Lookups the planner needs, built once per run (plans reach 10,000s of documents)."""

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
        # Contexts share these dicts instead of rebuilding them per document.
        self.theme_context = {t.key: _theme(t) for t in content.themes.values()}
        self.session_context = {
            s.sessie: _session(s, self.themes[s.sessie], len(self.bookings[s.sessie]))
            for s in cycle.sessions
        }
        self.person_context = {p.personeelsnummer: _person(p) for p in cycle.people}

    def members(self, sessie: str) -> list[tuple[Person, Rol]]:
        pairs = [(self.people[b.personeelsnummer], b.rol) for b in self.bookings[sessie]]
        return sorted(pairs, key=lambda pair: dutch.sort_key(pair[0]))


def _person_stem(person: Person) -> str:
    return safe_part(
        f"{person.personeelsnummer}-{person.achternaam}-{person.tussenvoegsel or ''}"
        f"-{person.voornaam}"
    )


def plan_documents(cycle: Cycle, content: Content, kinds: Iterable[Kind] = ALL_KINDS) -> Plan:
    """Every document of the run, in a stable order: by kind, then by workbook order."""
    wanted = set(kinds)
    index = _Index(cycle, content)
    org = _organisation(cycle)
    general = _general(content.general)
    paths = UniquePaths()
    jobs: list[DocumentJob] = []
    signature = (
        SignatureImage(cycle.organisation.handtekening) if cycle.organisation.handtekening else None
    )
    method = _method(content)

    def add(
        kind: Kind,
        stem: str,
        title: str,
        sessie: str | None,
        nummer: str | None,
        context: dict[str, Any],
    ) -> None:
        relpath = paths.claim(kind.folder, f"{kind.value}-{stem}", ".docx")
        context.update(organisatie=org, algemeen=general, documenttitel=title)
        jobs.append(DocumentJob(kind, relpath, title, sessie, nummer, context))

    for kind in ALL_KINDS:
        if kind not in wanted:
            continue
        for session in cycle.sessions:
            theme = index.themes[session.sessie]
            theme_context = index.theme_context[theme.key]
            members = index.members(session.sessie)
            sess = index.session_context[session.sessie]
            session_part = safe_part(session.sessie)
            if kind is Kind.UITNODIGING:
                for booking in index.bookings[session.sessie]:
                    person = index.people[booking.personeelsnummer]
                    add(
                        kind,
                        f"{session_part}-{_person_stem(person)}",
                        f"Uitnodiging {theme.naam} {session.sessie} - {dutch.full_name(person)}",
                        session.sessie,
                        person.personeelsnummer,
                        {
                            "ontvanger": index.person_context[person.personeelsnummer],
                            "sessie": sess,
                            "thema": theme_context,
                            "prikkelende_vraag": _one_line(session.prikkelende_vraag)
                            or theme.prikkelende_vragen[0],
                            "inbrenger": booking.rol is Rol.INBRENGER,
                            "handtekening": signature,
                        },
                    )
            elif kind is Kind.DRAAIBOEK:
                inbrengers = [dutch.full_name(p) for p, rol in members if rol is Rol.INBRENGER]
                agenda = build_agenda(theme, session.start, session.duur_minuten, inbrengers)
                add(
                    kind,
                    session_part,
                    f"Draaiboek {theme.naam} {session.sessie}",
                    session.sessie,
                    None,
                    {
                        "sessie": sess,
                        "thema": theme_context,
                        "deelnemers": [
                            {**index.person_context[p.personeelsnummer], "rol": rol.value}
                            for p, rol in members
                        ],
                        "inbrengers": inbrengers,
                        "agenda": _agenda_rows(agenda),
                        "stappen": _agenda_steps(agenda),
                        "prikkelende_vraag": _one_line(session.prikkelende_vraag)
                        or theme.prikkelende_vragen[0],
                    },
                )
            elif kind is Kind.VERVOLGADVIES:
                add(
                    kind,
                    session_part,
                    f"Vervolgadvies {theme.naam} {session.sessie}",
                    session.sessie,
                    None,
                    {
                        "sessie": sess,
                        "thema": theme_context,
                        "deelnemers": [dutch.full_name(p) for p, _ in members],
                        "grote_groep": len(members) >= content.general.grote_groep_vanaf,
                        "uitkomsten": _outcome(index.outcomes.get(session.sessie)),
                    },
                )
        if kind is Kind.SYLLABUS:
            for person in cycle.people:
                bookings = index.by_person.get(person.personeelsnummer)
                if not bookings:
                    continue
                own = sorted(bookings, key=lambda b: index.sessions[b.sessie].start)
                theme_keys = list(dict.fromkeys(index.themes[b.sessie].key for b in own))
                attended = [content.themes[key] for key in theme_keys]
                add(
                    kind,
                    _person_stem(person),
                    f"Syllabus {org['cyclus']} - {dutch.full_name(person)}",
                    None,
                    person.personeelsnummer,
                    {
                        "lezer": index.person_context[person.personeelsnummer],
                        "sessies": [
                            {**index.session_context[b.sessie], "rol": b.rol.value} for b in own
                        ],
                        "themas": [index.theme_context[t.key] for t in attended],
                        "methode": method,
                    },
                )
    first = min((s.start for s in cycle.sessions), default=None)
    moment = dt.datetime.combine(cycle.organisation.briefdatum, dt.time(9, 0))
    if first is not None and first < moment:
        moment = first
    return Plan(safe_part(cycle.organisation.cyclus), tuple(jobs), moment)


def _method(content: Content) -> dict[str, Any]:
    """The general problem round, described in every syllabus."""
    method = next((t for t in content.themes.values() if t.heeft_rondes), None)
    if method is None:
        return {"aanwezig": False, "rondestappen": [], "ronde_minuten": 0, "naam": ""}
    return {
        "aanwezig": True,
        "naam": method.naam,
        "rondestappen": _round_steps(method),
        "ronde_minuten": method.ronde_minuten,
        "uitleg": method.uitleg,
    }
