"""What counts as a change to the reader of a document.

Change detection (register/changes.py) hashes only this view of a document's context, so
a letter goes out again only when something its recipient must act on has changed:
the date, the time, the place or link, the facilitator, the recipient's role or the
recipient's own data. The size of the group does not count: removing one booking must
not re-send the invitation of everyone else in that session.

Per kind, every context key is either counted (whole, or only some of its fields) or
named in `NOT_COUNTED` with the reason; tests check that no key is left undecided.

Ids and the cycle name count in their identity form (identity.py): a letter shows them
as typed, but retyping `004512` as 4512, `AU-01` as `au-01` or the cycle name in other
capitals is no change to its reader, so no new version, no update and no new e-mail.
`typed_view` is the view before that rule (ids as typed); a run uses it only to
recognise a register written before, so upgrading sends nothing again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from pipeline.documents.plan import Kind
from pipeline.identity import cycle_key, id_key


@dataclass(frozen=True)
class Part:
    """Which fields of one context value count: `keep` None is all of them but `drop`.

    A list value (the syllabus's sessions) applies this to each element."""

    keep: frozenset[str] | None = None
    drop: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()  # fields compared as ids (identity.id_key)
    cycles: frozenset[str] = frozenset()  # fields compared as cycle names (identity.cycle_key)

    def fields(self, value: Mapping[str, object]) -> list[str]:
        names = value.keys() if self.keep is None else self.keep & value.keys()
        return sorted(n for n in names if n not in self.drop)

    def view(self, value: Mapping[str, object]) -> dict[str, object]:
        """The counted fields of `value`, ids and cycle names in their identity form."""
        found: dict[str, object] = {}
        for name in self.fields(value):
            field = value[name]
            if isinstance(field, str) and name in self.ids:
                field = id_key(field)
            elif isinstance(field, str) and name in self.cycles:
                field = cycle_key(field)
            found[name] = field
        return found

    @property
    def typed(self) -> Part:
        """This part with ids and cycle names as typed (the view before identity.py)."""
        return replace(self, ids=frozenset(), cycles=frozenset())


WHOLE = Part()
_CODE = frozenset({"code"})  # a session's id, in every session context
# The letter date moves whenever HR re-sends; it alone makes nothing new to read. The
# cycle's name counts as identity.py compares cycles.
_ORGANISATION = Part(drop=frozenset({"briefdatum"}), cycles=frozenset({"cyclus"}))
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
_NOT_GROUP_SIZE = Part(drop=frozenset({"groepsgrootte"}), ids=_CODE)
_SESSION = Part(ids=_CODE)

_COUNTED: dict[Kind, dict[str, Part]] = {
    Kind.UITNODIGING: {
        "ontvanger": WHOLE,  # the recipient's own name, address and form of address
        "sessie": Part(keep=_WHEN_AND_WHERE, ids=_CODE),
        "inbrenger": WHOLE,  # the role
        # Whom to call: the contact person, the sender's address.
        "organisatie": _ORGANISATION,
    },
    Kind.AFZEGGING: {
        "ontvanger": WHOLE,
        "sessie": _SESSION,  # the cancelled session as it was sent
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
        "sessie": _SESSION,
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
        "sessie": _SESSION,
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
    # The `kenmerk` is the letter's own booking (session/personeelsnummer) as typed: the
    # booking is the document's identity already (register/changes.key), so all it could
    # add is the typing.
    Kind.UITNODIGING: frozenset(
        {
            "thema",
            "algemeen",
            "prikkelende_vraag",
            "documenttitel",
            "handtekening",
            "wijziging",
            "kenmerk",
        }
    ),
    Kind.AFZEGGING: frozenset(
        {"algemeen", "documenttitel", "handtekening", "overige_sessies", "kenmerk"}
    ),
    Kind.SYLLABUS: frozenset({"documenttitel"}),
    Kind.DRAAIBOEK: frozenset({"documenttitel"}),
    Kind.VERVOLGADVIES: frozenset({"documenttitel"}),
}


def what_matters(kind: Kind) -> Mapping[str, Part]:
    """The context keys of `kind` whose change is a change to the reader, with the
    fields of each that count."""
    return _COUNTED[kind]


# The letters counted their kenmerk as typed before ids were compared by identity.py.
_TYPED_EXTRA = {Kind.UITNODIGING: ("kenmerk",), Kind.AFZEGGING: ("kenmerk",)}
_TYPED: dict[Kind, dict[str, Part]] = {
    kind: {name: part.typed for name, part in parts.items()}
    | dict.fromkeys(_TYPED_EXTRA.get(kind, ()), WHOLE)
    for kind, parts in _COUNTED.items()
}


def typed_view(kind: Kind) -> Mapping[str, Part]:
    """The view of `kind` as content hashes were made before identity.py: ids and the
    cycle name as typed. Only to recognise the hashes a register holds from then."""
    return _TYPED[kind]
