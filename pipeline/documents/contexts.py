"""Template contexts: workbook records and theme content as plain values.

Every function here is pure and returns only str, int, bool, lists and dicts: what the
docx templates may use, what pickles cheaply to worker processes, and what the template
check compares a template's names against.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.content.agenda import AgendaItem, flexible_minutes
from pipeline.content.model import Board, Content, General, Theme
from pipeline.documents import dutch
from pipeline.model import Aanhef, Begeleiding, Cycle, Person, Session, SessionOutcome, Vorm

# An invitation that replaces none (documents/facts.py fills a re-sent one's).
NO_CHANGE: dict[str, Any] = {"vervangt": False, "eerdere_datum": "", "wat": [], "samenvatting": ""}


def one_line(text: str | None) -> str:
    """Collapse line breaks: a value is one paragraph; multi-line data arrives as lists."""
    return " ".join(text.split()) if text else ""


def organisation(cycle: Cycle) -> dict[str, Any]:
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
        "briefdatum": dutch.plain_date(org.briefdatum),
    }


def general(general: General) -> dict[str, Any]:
    return {
        "wat_is": general.wat_is,
        "doelen": list(general.doelen),
        "wat_het_niet_is": list(general.wat_het_niet_is),
        "spelregels": list(general.spelregels),
        "spelregels_probleemronde": list(general.spelregels_probleemronde),
        "rollen": [
            {"naam": r.naam, "omschrijving": r.omschrijving, "probleemronde": r.probleemronde}
            for r in general.rollen
        ],
        "vaardigheden": list(general.vaardigheden),
        "vertrouwelijkheid": general.vertrouwelijkheid,
        "duurzame_inzetbaarheid": general.duurzame_inzetbaarheid,
        "grote_groep_regel": general.grote_groep_regel,
        "vervolg_checklist": list(general.vervolg_checklist),
        "advies_grote_groep": general.advies_grote_groep,
        "advies_zonder_uitkomsten": general.advies_zonder_uitkomsten,
        "programma": general.programma,
    }


def minutes(minutes: int) -> str:
    return f"{minutes} min"


def round_steps(theme: Theme, board: Board, online: bool | None = None) -> list[dict[str, Any]]:
    """The problem round's steps; `online`: the session's form (None: any session)."""
    return [
        {
            "titel": s.titel,
            "minuten": s.minuten,
            "eigenaar": board.fill(s.eigenaar, online),
            "groep": board.fill(s.groep, online),
        }
        for s in theme.ronde
    ]


def theme(theme: Theme, general: General, formal: bool = False) -> dict[str, Any]:
    """The theme's texts; `formal`: as a reader addressed with 'u' reads them (the
    questions the reader asks about his or her own situation)."""
    general = general.for_reader(formal)
    questions = (theme.praktijkvragen_u if formal else ()) or theme.praktijkvragen
    focus = theme.focusvraag_u if formal and theme.focusvraag_u else theme.focusvraag
    return {
        "naam": theme.naam,
        "pijler": theme.pijler,
        "uitleg": theme.uitleg,
        "doel": theme.doel,
        # After a colon in running text: 'Doel van de sessie: van en met elkaar ...'.
        "doel_in_zin": theme.doel[:1].lower() + theme.doel[1:],
        "voorbereiding": theme.voorbereiding,
        "inbrenger": theme.inbrenger,
        "bij_tijdgebrek": theme.bij_tijdgebrek,
        # The rules of play that fit this method: the problem round adds its own.
        "spelregels": list(general.spelregels)
        + (list(general.spelregels_probleemronde) if theme.heeft_rondes else []),
        "standaardvraag": theme.prikkelende_vragen[0],
        "prikkelende_vragen": list(theme.prikkelende_vragen),
        "heeft_analyse": theme.heeft_analyse,
        "analyse_categorieen": list(theme.analyse_categorieen),
        "analyse_vraag": theme.analyse_vraag,
        "beeldvorming": list(theme.beeldvorming),
        "praktijkvragen": list(questions),
        "praktijkvragen_kort": list(theme.praktijkvragen_kort),
        "praktijkvragen_kort_u": list(theme.praktijkvragen_kort_u or theme.praktijkvragen_kort),
        "focusvraag": focus,
        "vervolgsuggesties": [
            {"titel": s.titel, "tekst": s.tekst} for s in theme.vervolgsuggesties
        ],
        "onderscheid_titel": theme.onderscheid_titel,
        "onderscheid": theme.onderscheid,
        "heeft_rondes": theme.heeft_rondes,
        "ronde_minuten": theme.ronde_minuten,
        "rondestappen": round_steps(theme, general.bord),
        "stappen": [
            {
                "titel": s.titel,
                "minuten": text,
                "uitleg": general.bord.fill(s.begeleider, None),
                "rondes": s.herhaal is not None,
            }
            for s, text in zip(theme.stappen, _step_minutes(theme), strict=True)
        ],
    }


def _step_minutes(theme: Theme) -> list[str]:
    """Each step's minutes as a reader sees them; a step that takes the rest of the
    session shows what it gets in a session of the theme's default length."""
    rounds = 1 if theme.heeft_rondes else 0
    flexible = iter(flexible_minutes(theme, theme.default_minutes(rounds), rounds))
    texts = []
    for step in theme.stappen:
        if step.herhaal is not None:
            texts.append(f"{theme.ronde_minuten} min per inbrenger")
        elif step.minuten is not None:
            texts.append(minutes(step.minuten))
        else:
            texts.append(f"ca. {minutes(next(flexible))}")
    return texts


def session(session: Session, theme: Theme, size: int) -> dict[str, Any]:
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
        "link_weergave": dutch.breakable(session.link or ""),
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


def cancelled_session(
    code: str, summary: str, start: dt.datetime, end: dt.datetime, place: str
) -> dict[str, Any]:
    """A session as the cancelled invitation described it (from its calendar event)."""
    return {
        "code": code,
        "omschrijving": summary,
        # 'Intervisie Leerruimte (LR-01)' without the code: for the subject line.
        "titel": summary.removesuffix(f" ({code})"),
        "datum": dutch.long_date(start.date()),
        "tijd": dutch.clock_range(start, end),
        "begintijd": dutch.clock(start),
        "plaats": place,
    }


def person(person: Person) -> dict[str, Any]:
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


def agenda_rows(items: Sequence[AgendaItem]) -> list[dict[str, Any]]:
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


def agenda_steps(items: Sequence[AgendaItem], board: Board, online: bool) -> list[dict[str, Any]]:
    """Per step what the facilitator says and does, for the session's minutes and form
    (an online group writes on a shared digital board, not on a flip-over)."""
    return [
        {
            "titel": item.step.titel,
            "tijd": dutch.clock_range(item.slot.start, item.slot.end),
            "minuten": item.slot.minutes,
            # The text that fits the minutes the step gets in this session.
            "uitleg": board.fill(item.step.text_for(item.slot.minutes), online),
            "inbrenger_start": item.step.inbrenger_start,
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
                            "eigenaar": board.fill(rs.step.eigenaar, online),
                            "groep": board.fill(rs.step.groep, online),
                        }
                        for rs in rnd.steps
                    ],
                }
                for rnd in item.rounds
            ],
        }
        for item in items
    ]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _strength(signals: Sequence[str], text: str) -> int:
    """How many of `signals` a text matches; a signal matches a word that starts with it
    ('overleg' matches 'overleggen')."""
    words = _words(text)
    return sum(1 for signal in signals if any(w.startswith(signal.casefold()) for w in words))


def _quotes(
    suggestions: Sequence[Any], reported: Sequence[str]
) -> tuple[list[list[str]], dict[int, str]]:
    """Per suggestion the reported points that match it, and per suggestion (by index)
    the one point quoted as its reason: each point explains one suggestion only, the one
    it matches most strongly, so no quote is stretched to justify a second suggestion."""
    matching: list[list[str]] = []
    pairs = []
    for index, suggestion in enumerate(suggestions):
        points = []
        for order, point in enumerate(reported):
            strength = _strength(suggestion.signalen, point)
            if strength:
                points.append(point)
                pairs.append((-strength, index, order, point))
        matching.append(points)
    quoted: dict[int, str] = {}
    used: set[str] = set()
    for _, index, _, point in sorted(pairs):
        if index not in quoted and point not in used:
            quoted[index] = point
            used.add(point)
    return matching, quoted


def advice(outcome: SessionOutcome | None, theme: Theme) -> dict[str, Any]:
    """The follow-up advice: a draft before the session has outcomes; with outcomes the
    theme's suggestions are chosen and ordered by what the group reported, each with the
    reported point that led to it where one does, and the agreements become an action
    list."""
    suggestions = [
        {"titel": s.titel, "tekst": s.tekst, "aanleiding": ""} for s in theme.vervolgsuggesties
    ]
    if outcome is None:
        return {
            "concept": True,
            "knelpunten": [],
            "wat_helpt": [],
            "acties": [],
            "gekozen": suggestions,
            "overige": [],
        }
    reported = [one_line(t) for t in (*outcome.knelpunten, *outcome.wat_helpt, *outcome.afspraken)]
    matching, quoted = _quotes(theme.vervolgsuggesties, reported)
    order = sorted(
        range(len(theme.vervolgsuggesties)), key=lambda i: (-len(matching[i]), i)
    )
    chosen = [
        {**suggestions[i], "aanleiding": quoted.get(i, "")} for i in order if matching[i]
    ]
    rest = [
        {"titel": suggestions[i]["titel"], "tekst": suggestions[i]["tekst"]}
        for i in order
        if not matching[i]
    ]
    return {
        "concept": False,
        "knelpunten": [one_line(t) for t in outcome.knelpunten],
        "wat_helpt": [one_line(t) for t in outcome.wat_helpt],
        "acties": [one_line(t) for t in outcome.afspraken],
        # Nothing the group said points at a suggestion: all of them, in the usual order.
        "gekozen": chosen or suggestions,
        "overige": rest if chosen else [],
    }


def cycle_facts(sessions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the syllabus says about the reader's programme, from the reader's own sessions,
    so it cannot contradict the table of sessions."""
    return {
        "aantal": len(sessions),
        "duur": dutch.span([s["duur_minuten"] for s in sessions]),
        "groep": dutch.span([s["groepsgrootte"] for s in sessions]),
        "themas": dutch.enumeration(list(dict.fromkeys(s["thema"] for s in sessions))),
    }


def method(content: Content) -> dict[str, Any]:
    """The general problem round, described in every syllabus."""
    method = next((t for t in content.themes.values() if t.heeft_rondes), None)
    if method is None:
        # The same keys as below: a template may name them whether or not there is a method.
        return {
            "aanwezig": False,
            "rondestappen": [],
            "ronde_minuten": 0,
            "naam": "",
            "uitleg": "",
            "inbrenger": "",
        }
    return {
        "aanwezig": True,
        "naam": method.naam,
        "inbrenger": method.inbrenger,
        "rondestappen": round_steps(method, content.general.bord),
        "ronde_minuten": method.ronde_minuten,
        "uitleg": method.uitleg,
    }
