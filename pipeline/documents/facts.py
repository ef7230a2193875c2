"""What an invitation told its reader, and how a later version says what changed.

The register keeps, per booking, the facts of the invitation's last version (when and
where, who leads it, the reader's role, the letter's date) and of the version that one
replaced. A changed invitation compares them and says, in the letter's register (u or
je), what is different: the same sentence opens the letter and the e-mail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pipeline.documents import dutch
from pipeline.documents.contexts import NO_CHANGE
from pipeline.model import Rol, Session, Vorm


@dataclass(frozen=True)
class Facts:
    """One invitation version, as its reader read it."""

    start: dt.datetime
    end: dt.datetime
    vorm: str  # Vorm value: 'online' or 'op locatie'
    locatie: str
    link: str
    begeleider: str
    begeleiding: str  # Begeleiding value: 'HR' or 'extern'
    rol: str  # Rol value: 'deelnemer' or 'inbrenger'
    briefdatum: dt.date  # the date the letter carried

    @classmethod
    def of(cls, session: Session, rol: Rol, briefdatum: dt.date) -> Facts:
        return cls(
            session.start,
            session.end,
            session.vorm.value,
            session.locatie or "",
            session.link or "",
            session.begeleider,
            session.begeleiding.value,
            rol.value,
            briefdatum,
        )

    def to_json(self) -> str:
        values: dict[str, Any] = dict(self.__dict__)
        for name in ("start", "end", "briefdatum"):
            values[name] = values[name].isoformat()
        return json.dumps(values, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Facts | None:
        """The facts as recorded; None when there are none or they cannot be read (a
        changed letter then says only that it replaces the earlier one)."""
        if not text:
            return None
        try:
            values = json.loads(text)
            return cls(
                dt.datetime.fromisoformat(values["start"]),
                dt.datetime.fromisoformat(values["end"]),
                str(values["vorm"]),
                str(values["locatie"]),
                str(values["link"]),
                str(values["begeleider"]),
                str(values["begeleiding"]),
                str(values["rol"]),
                dt.date.fromisoformat(values["briefdatum"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def same_letter(self, other: Facts) -> bool:
        """Whether two versions tell the reader the same (the letter's date aside)."""
        return self.__dict__ | {"briefdatum": None} == other.__dict__ | {"briefdatum": None}


def _day(facts: Facts) -> str:
    return dutch.long_date(facts.start.date())


def _hours(facts: Facts) -> str:
    return f"{dutch.clock_range(facts.start, facts.end)} uur"


def what_changed(before: Facts, now: Facts, formal: bool) -> list[str]:
    """What differs for the reader, one phrase each in the order of the letter. The new
    values stand in the letter's facts (and in the e-mail's next paragraph); the old date
    and time are named too, the one thing a reader must not go by any more. Short, so a
    changed letter stays one page."""
    found = []
    new_day = before.start.date() != now.start.date()
    new_hours = (before.start.time(), before.end.time()) != (now.start.time(), now.end.time())
    if new_day and new_hours:
        found.append(f"de datum en tijd (was {_day(before)}, {_hours(before)})")
    elif new_day:
        found.append(f"de datum (was {_day(before)})")
    elif new_hours:
        found.append(f"de tijd (was {_hours(before)})")
    online = Vorm.ONLINE.value
    if before.vorm != now.vorm:
        found.append("de vorm (nu online)" if now.vorm == online else "de vorm (nu op locatie)")
    elif now.vorm == online and before.link != now.link:
        found.append("de link")
    elif now.vorm != online and before.locatie != now.locatie:
        found.append("de locatie")
    if (before.begeleider, before.begeleiding) != (now.begeleider, now.begeleiding):
        found.append("de begeleiding")
    if before.rol != now.rol:
        your, you = ("uw", "u bent") if formal else ("je", "je bent")
        role = "inbrenger" if now.rol == Rol.INBRENGER.value else "deelnemer"
        found.append(f"{your} rol ({you} nu {role})")
    return found


def earlier_date(text: str | None) -> dt.date | None:
    """The letter date recorded with a version (also when its other facts are unknown)."""
    facts = Facts.from_json(text)
    if facts is not None:
        return facts.briefdatum
    try:
        return dt.date.fromisoformat(json.loads(text or "{}")["briefdatum"])
    except (ValueError, KeyError, TypeError):
        return None


def unknown_facts(briefdatum: dt.date) -> str:
    """What the register keeps of a replaced version it knows only the date of."""
    return json.dumps({"briefdatum": briefdatum.isoformat()})


def change_context(
    before: Facts | None,
    replaced: bool,
    now: Facts,
    formal: bool,
    earlier: dt.date | None = None,
) -> dict[str, Any]:
    """The invitation's `wijziging`: whether it replaces an earlier invitation, the date
    of that one (`earlier`, else the one of `before`), what changed, and one sentence that
    says it (letter and e-mail)."""
    if not replaced:
        return NO_CHANGE  # shared, as in every planned context (documents/plan.py)
    your = "uw" if formal else "je"
    day = before.briefdatum if before else earlier
    earlier_text = dutch.plain_date(day) if day else ""
    opening = (
        f"Deze uitnodiging vervangt {your} uitnodiging van {earlier_text}."
        if day
        else f"Deze uitnodiging vervangt {your} eerdere uitnodiging voor deze sessie."
    )
    wat = what_changed(before, now, formal) if before else []
    if wat:
        told = f"Gewijzigd: {dutch.enumeration(wat)}."
    elif before:
        told = f"Datum, tijd, plaats, begeleiding en {your} rol zijn niet veranderd."
    else:
        told = "Lees de gegevens hieronder goed na."
    return {
        "vervangt": True,
        "eerdere_datum": earlier_text,
        "wat": wat,
        "samenvatting": f"{opening} {told}",
    }
