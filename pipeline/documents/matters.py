"""What counts as a change to the reader of a document.

Change detection (register/changes.py) hashes only this view of a document's context, so
a letter goes out again only when something its recipient must act on has changed:
the date, the time, the place or link, the facilitator, the recipient's role or the
recipient's own data. The size of the group does not count: removing one booking must
not re-send the invitation of everyone else in that session.

Per kind, every context key is either counted (whole, or only some of its fields) or
named in `NOT_COUNTED` with the reason; tests check that no key is left undecided.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.documents.plan import Kind


@dataclass(frozen=True)
class Part:
    """Which fields of one context value count: `keep` None is all of them but `drop`.

    A list value (the syllabus's sessions) applies this to each element."""

    keep: frozenset[str] | None = None
    drop: frozenset[str] = frozenset()

    def fields(self, value: Mapping[str, object]) -> list[str]:
        names = value.keys() if self.keep is None else self.keep & value.keys()
        return sorted(n for n in names if n not in self.drop)


WHOLE = Part()
# The letter date moves whenever HR re-sends; it alone makes nothing new to read.
_ORGANISATION = Part(drop=frozenset({"briefdatum"}))
# When, where, how and with whom: what a participant must know to be there.
_WHEN_AND_WHERE = frozenset(
    {
        "code",
        "thema",
        "datum",
        "tijd",
        "begintijd",
        "eindtijd",
        "duur_minuten",
        "online",
        "vorm",
        "locatie",
        "link",
        "link_weergave",
        "plaats",
        "begeleider",
        "begeleiding",
        "begeleiding_tekst",
    }
)
_NOT_GROUP_SIZE = Part(drop=frozenset({"groepsgrootte"}))

_COUNTED: dict[Kind, dict[str, Part]] = {
    Kind.UITNODIGING: {
        "ontvanger": WHOLE,  # the recipient's own name, address and form of address
        "sessie": Part(keep=_WHEN_AND_WHERE),
        "inbrenger": WHOLE,  # the role
        "kenmerk": WHOLE,
        # Whom to call: the contact person, the sender's address.
        "organisatie": _ORGANISATION,
    },
    Kind.AFZEGGING: {
        "ontvanger": WHOLE,
        "sessie": WHOLE,  # the cancelled session as it was sent
        "kenmerk": WHOLE,
        "organisatie": _ORGANISATION,
    },
    Kind.SYLLABUS: {
        "lezer": WHOLE,
        "sessies": _NOT_GROUP_SIZE,  # the reader's own sessions, with the reader's role
        "cyclus": Part(drop=frozenset({"groep"})),
        "themas": WHOLE,
        "methode": WHOLE,
        "algemeen": WHOLE,
        "organisatie": _ORGANISATION,
    },
    # The facilitator's papers list the participants: there every member counts.
    Kind.DRAAIBOEK: {
        "sessie": WHOLE,
        "thema": WHOLE,
        "deelnemers": WHOLE,
        "inbrengers": WHOLE,
        "agenda": WHOLE,
        "stappen": WHOLE,
        "prikkelende_vraag": WHOLE,
        "algemeen": WHOLE,
        "organisatie": _ORGANISATION,
    },
    Kind.VERVOLGADVIES: {
        "sessie": WHOLE,
        "thema": WHOLE,
        "deelnemers": WHOLE,
        "grote_groep": WHOLE,
        "advies": WHOLE,
        "adviesdatum": WHOLE,
        "algemeen": WHOLE,
        "organisatie": _ORGANISATION,
    },
}

# Keys a context carries that do not count, per kind, and why.
NOT_COUNTED: dict[Kind, frozenset[str]] = {
    # The theme's texts, the general texts and the thought-provoking question are the
    # same content for everyone: an edit to them is no reason to send a letter again;
    # the title follows from what does count, the signature is an image on disk.
    # `wijziging` says what changed: it follows from what counts, and must not count.
    Kind.UITNODIGING: frozenset(
        {"thema", "algemeen", "prikkelende_vraag", "documenttitel", "handtekening", "wijziging"}
    ),
    Kind.AFZEGGING: frozenset({"algemeen", "documenttitel", "handtekening", "overige_sessies"}),
    Kind.SYLLABUS: frozenset({"documenttitel"}),
    Kind.DRAAIBOEK: frozenset({"documenttitel"}),
    Kind.VERVOLGADVIES: frozenset({"documenttitel"}),
}


def what_matters(kind: Kind) -> Mapping[str, Part]:
    """The context keys of `kind` whose change is a change to the reader, with the
    fields of each that count."""
    return _COUNTED[kind]
