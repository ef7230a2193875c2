"""Cycle folder names: distinct cycle names never share a folder; never the archive's."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents.filenames import MAX_PART_LENGTH
from pipeline.publish.folders import ARCHIVE_DIR, cycle_folder
from pipeline.publish.ownership import same_cycle


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("Intervisie voorjaar 2027", "intervisie-voorjaar-2027"),
        ("Intervisie  Café 2027", "intervisie-cafe-2027"),
        ("team_a-b", "team_a-b"),
    ],
)
def test_readable_names_stay_readable(name: str, folder: str) -> None:
    assert cycle_folder(name) == folder


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Intervisie 😀", "Intervisie 🎉"),
        ("team A+B", "team A/B"),
        ("Intervisie " + "x" * 60 + " voorjaar 2027", "Intervisie " + "x" * 60 + " najaar 2027"),
    ],
)
def test_distinct_names_get_distinct_folders(first: str, second: str) -> None:
    assert cycle_folder(first) != cycle_folder(second)
    assert len(cycle_folder(first)) <= MAX_PART_LENGTH


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("team A+B", "TEAM a+b"),
        ("Intervisie 😀", " intervisie   😀"),
        ("Café + 2027", "cafe + 2027"),
        ("Intervisie " + "x" * 60 + " voorjaar", "INTERVISIE " + "X" * 60 + " Voorjaar"),
        # An accent on a letter that ASCII folding replaces (ø -> o, æ -> ae).
        ("Intervisie Ǿresund", "intervisie øresund"),
        ("Intervisie Ǣ 2027", "INTERVISIE Æ 2027"),
    ],
)
def test_the_same_cycle_retyped_keeps_its_folder(first: str, second: str) -> None:
    """identity.cycle_key: case, accents and runs of spaces do not make another cycle."""
    assert same_cycle(first, second)
    assert cycle_folder(first) == cycle_folder(second)


_LETTERS = "aAeEiIoOøØæÆœŒßðÐłŁ0123456789+/_-. 😀"
_ACCENTS = "\u0301\u0300\u0308\u0304\u0302"


@st.composite
def _retyped(draw: st.DrawFn) -> tuple[str, str]:
    """A name and the same name retyped: other capitals, accents added or dropped,
    spaces doubled."""
    name = draw(st.text(alphabet=_LETTERS, min_size=1, max_size=12))
    retyped = []
    for char in name:
        form = draw(st.sampled_from(["same", "upper", "lower", "accent", "bare", "spaces"]))
        if form == "upper":
            char = char.upper()
        elif form == "lower":
            char = char.lower()
        elif form == "accent" and char.isalpha():
            char = unicodedata.normalize("NFC", char + draw(st.sampled_from(_ACCENTS)))
        elif form == "bare":
            char = "".join(
                c for c in unicodedata.normalize("NFKD", char) if c.isascii() or c.isalpha()
            )
        elif form == "spaces" and char == " ":
            char = "  "
        retyped.append(char)
    accented = "".join(
        unicodedata.normalize("NFC", c + _ACCENTS[0]) if c.isalpha() else c for c in name
    )
    return name, draw(st.sampled_from(["".join(retyped), accented]))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_retyped())
def test_what_identity_calls_the_same_cycle_shares_one_folder(names: tuple[str, str]) -> None:
    first, second = names
    if same_cycle(first, second):
        assert cycle_folder(first) == cycle_folder(second), names


@pytest.mark.parametrize("name", ["Archief", "archief", " ARCHIEF "])
def test_the_archive_folder_is_never_a_cycle_folder(name: str) -> None:
    assert cycle_folder(name) != ARCHIVE_DIR
    assert cycle_folder(name).startswith(ARCHIVE_DIR + "-")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("team A+B", "Team a+b"),
        ("Intervisie 😀", "intervisie  😀"),
        ("Archief", "ARCHIEF"),
        ("Intervisie " + "x" * 60 + " Café", "intervisie " + "X" * 60 + " cafe"),
    ],
)
def test_names_of_the_same_cycle_share_a_folder_with_a_suffix_too(first: str, second: str) -> None:
    assert same_cycle(first, second)
    assert cycle_folder(first) == cycle_folder(second) != cycle_folder(first + " 2")
