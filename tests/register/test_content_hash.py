"""The content hash: canonical, blind to the letter date, the same with and without sharing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pipeline.register.changes import ContentHasher, content_hash

_plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


def _reference(context: dict[str, Any]) -> str:
    text = json.dumps(context, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@given(st.dictionaries(st.sampled_from(["thema", "sessie", "algemeen", "x"]), _plain))
def test_equals_the_canonical_json_of_the_whole_context(context: dict[str, Any]) -> None:
    assert content_hash(context) == _reference(context)


def test_shared_parts_are_reused_but_never_confused() -> None:
    hasher = ContentHasher()
    theme = {"naam": "Leerruimte"}
    first = {"thema": theme, "themas": [theme], "sessie": {"code": "LR-01"}}
    second = {"thema": {"naam": "Autonomie"}, "themas": [theme], "sessie": {"code": "LR-01"}}
    assert hasher(first) == _reference(first)
    assert hasher(second) == _reference(second)
    assert hasher(first) != hasher(second)


def test_the_letter_date_alone_is_no_change() -> None:
    a = {"organisatie": {"gemeente": "X", "briefdatum": "1 maart"}, "sessie": {"tijd": "14:00"}}
    b = {"organisatie": {"gemeente": "X", "briefdatum": "9 maart"}, "sessie": {"tijd": "14:00"}}
    c = {"organisatie": {"gemeente": "Y", "briefdatum": "9 maart"}, "sessie": {"tijd": "14:00"}}
    assert content_hash(a) == content_hash(b) != content_hash(c)
