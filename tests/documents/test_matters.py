"""What counts as a change to the reader: decided for every context key, and the group's
size never re-sends a letter."""

from __future__ import annotations

import copy
import json
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from pipeline.content.model import Content
from pipeline.documents.matters import NOT_COUNTED, what_matters
from pipeline.documents.plan import Kind
from pipeline.register.changes import ContentHasher
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.samples import sample_contexts
from tests.workbooks import TODAY, Book


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_every_context_key_is_counted_or_named_as_not_counting(
    content: Content, kind: Kind
) -> None:
    contexts = sample_contexts(content)[kind]
    assert contexts
    counted = set(what_matters(kind))
    assert not counted & NOT_COUNTED[kind]
    for context in contexts:
        assert set(context) == counted | NOT_COUNTED[kind]


def _invitation(content: Content) -> dict[str, Any]:
    return copy.deepcopy(sample_contexts(content)[Kind.UITNODIGING][0])


def _hash(context: dict[str, Any], kind: Kind = Kind.UITNODIGING) -> str:
    return ContentHasher()(context, what_matters(kind))


def _set(path: tuple[str, ...], value: Any) -> Any:
    def change(context: dict[str, Any]) -> None:
        target = context
        for name in path[:-1]:
            target = target[name]
        target[path[-1]] = value

    return change


COUNTS = {
    "datum": _set(("sessie", "datum"), "vrijdag 1 januari 2100"),
    "tijd": _set(("sessie", "tijd"), "08:00 - 09:00"),
    "plaats": _set(("sessie", "locatie"), "Elders"),
    "link": _set(("sessie", "link"), "https://elders.example/x"),
    "begeleider": _set(("sessie", "begeleider"), "Iemand Anders"),
    "rol": _set(("inbrenger",), "nog eens"),
    "eigen gegevens": _set(("ontvanger", "adresregels"), ["Ander adres 1", "9999 ZZ  Elders"]),
    "aanhef": _set(("ontvanger", "formeel"), "anders"),
    "contactpersoon": _set(("organisatie", "contactpersoon"), "Iemand Anders"),
}
DOES_NOT_COUNT = {
    "groepsgrootte": _set(("sessie", "groepsgrootte"), 99),
    "briefdatum": _set(("organisatie", "briefdatum"), "1 januari 2100"),
    "themateksten": _set(("thema", "uitleg"), "Een andere uitleg."),
    "titel": _set(("documenttitel",), "Iets anders"),
}


@pytest.mark.parametrize("change", list(COUNTS.values()), ids=list(COUNTS))
def test_what_the_recipient_must_act_on_changes_the_invitation(
    content: Content, change: Any
) -> None:
    before = _invitation(content)
    after = copy.deepcopy(before)
    change(after)
    assert _hash(before) != _hash(after)


@pytest.mark.parametrize("change", list(DOES_NOT_COUNT.values()), ids=list(DOES_NOT_COUNT))
def test_the_group_size_and_shared_texts_do_not_change_the_invitation(
    content: Content, change: Any
) -> None:
    before = _invitation(content)
    after = copy.deepcopy(before)
    change(after)
    assert _hash(before) == _hash(after)


def test_the_group_size_is_no_change_to_a_syllabus_but_is_to_the_draaiboek(
    content: Content,
) -> None:
    syllabus = copy.deepcopy(sample_contexts(content)[Kind.SYLLABUS][0])
    grown = copy.deepcopy(syllabus)
    grown["sessies"][0]["groepsgrootte"] += 1
    grown["cyclus"]["groep"] = "99"
    assert _hash(syllabus, Kind.SYLLABUS) == _hash(grown, Kind.SYLLABUS)
    grown["sessies"][0]["tijd"] = "08:00 - 09:00"
    assert _hash(syllabus, Kind.SYLLABUS) != _hash(grown, Kind.SYLLABUS)
    draaiboek = copy.deepcopy(sample_contexts(content)[Kind.DRAAIBOEK][0])
    bigger = copy.deepcopy(draaiboek)
    bigger["sessie"]["groepsgrootte"] += 1
    assert _hash(draaiboek, Kind.DRAAIBOEK) != _hash(bigger, Kind.DRAAIBOEK)


def _retyped(value: Any, typing: str) -> Any:
    """`value` with every session code, kenmerk and cycle name typed otherwise: `case`
    swaps the capitals (and pads with spaces), `other` makes them other ids."""

    def retype(name: str, text: str) -> str:
        if typing == "other":
            return f"{text}-X"
        if name == "cyclus":
            return "  " + "  ".join(text.swapcase().split()) + " "
        return f" {text.swapcase()} "

    if isinstance(value, dict):
        return {
            name: retype(name, item)
            if name in {"code", "kenmerk", "cyclus"} and isinstance(item, str) and item
            else _retyped(item, typing)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_retyped(item, typing) for item in value]
    return value


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_ids_and_the_cycle_name_count_in_their_identity_form(content: Content, kind: Kind) -> None:
    """Retyping a session code or the cycle name is no change for any kind; another
    session code is, wherever a code counts."""
    for sample in sample_contexts(content)[kind]:
        context = copy.deepcopy(dict(sample))
        assert _hash(_retyped(context, "case"), kind) == _hash(context, kind)
        assert '"code"' not in json.dumps(context, default=str) or _hash(
            _retyped(context, "other"), kind
        ) != _hash(context, kind)


def _message_ids(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.SMTP)
        found[path.name] = str(message["Message-ID"])
    return found


def test_removing_and_restoring_a_booking_mails_only_that_person(tmp_path: Path) -> None:
    """Removing one booking re-sends nothing to the group's others; adding it back sends
    that person a new invitation (not one the send ledger takes for the first)."""
    book = Book.valid()
    workbook = tmp_path / "werkboek.xlsx"
    out = tmp_path / "uit"

    def run() -> dict[str, str]:
        book.save(workbook)
        result = generate(
            workbook, out, TEMPLATES, today=TODAY, workers=1, mail=True, only_changes=True
        )
        return _message_ids(result.target / "e-mail")

    first = run()
    assert len(first) == 13
    removed = book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    assert run().keys() == {"afzegging-uitnodiging-iv-01-10012-boer-de-iris.eml"}
    removed.add_row("Indeling", sessie="IV-01", personeelsnummer=10012, rol="deelnemer")
    back = run()
    assert back.keys() == {"uitnodiging-iv-01-10012-boer-de-iris.eml"}
    assert back["uitnodiging-iv-01-10012-boer-de-iris.eml"] not in first.values()
