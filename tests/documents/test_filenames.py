from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.documents.filenames import MAX_PART_LENGTH, UniquePaths, safe_part
from pipeline.errors import OutputError
from pipeline.files import inside, write_file

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "CON",
    "con.txt",
    "LPT1",
    "a:b?c*d",
    "naam.",
    "naam ",
    "C:\\Windows\\system32",
    "x" * 500,
    "",
    "   ",
    "é" * 80,
    "Zoë\u0308",
    "日本語",
    "a/b\\c",
    "\x00nul",
    "-=HYPERLINK()",
    "COM1.docx",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_stay_inside_the_output(tmp_path: Path, text: str) -> None:
    part = safe_part(text)
    assert part and len(part) <= MAX_PART_LENGTH + 1
    assert set(part) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    assert part.split(".")[0].lstrip("_") not in {"con", "lpt1", "com1"} or part.startswith("_")
    written = write_file(tmp_path, PurePosixPath("map") / f"{part}.docx", b"x")
    assert written.resolve().is_relative_to(tmp_path.resolve())


@given(st.text())
def test_any_text_gives_a_safe_part(text: str) -> None:
    part = safe_part(text)
    assert part and "/" not in part and ".." not in part and not part.endswith(".")


@pytest.mark.parametrize("relpath", ["../x.docx", "/tmp/x.docx", "a/../../x.docx"])
def test_writer_refuses_paths_outside_the_root(tmp_path: Path, relpath: str) -> None:
    with pytest.raises(OutputError):
        inside(tmp_path, PurePosixPath(relpath))


def test_unique_paths_ignore_case() -> None:
    paths = UniquePaths()
    first = paths.claim("uitnodigingen", "jan", ".docx")
    second = paths.claim("uitnodigingen", "JAN", ".docx")
    assert first != second
    assert str(first).casefold() != str(second).casefold()


def test_diacritics_fold_to_ascii() -> None:
    assert safe_part("Özdemir, Zoë & Anaïs") == "ozdemir-zoe-anais"
    assert safe_part("Yılmaz Aydın Øre Łukasz Straße") == "yilmaz-aydin-ore-lukasz-strasse"
