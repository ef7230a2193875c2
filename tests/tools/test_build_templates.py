"""`make templates`: the .docx files are the source HR edits in Word; the builder never
overwrites an edited one without being told to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import build_templates


def test_builds_the_same_bytes_and_refuses_to_overwrite_an_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_templates.main([str(tmp_path)]) == 0
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.docx")}
    assert set(first) == set(build_templates.BUILDERS)
    # Unchanged templates are rebuilt without asking, to the same bytes.
    assert build_templates.main([str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.docx")} == first

    edited = tmp_path / "uitnodiging.docx"
    edited.write_bytes(first["uitnodiging.docx"] + b"\0")  # as if saved again in Word
    capsys.readouterr()
    assert build_templates.main([str(tmp_path)]) == 1
    message = capsys.readouterr().err
    assert "niet overschreven" in message and "uitnodiging.docx" in message
    assert "--forceer" in message
    assert edited.read_bytes() == first["uitnodiging.docx"] + b"\0"

    assert build_templates.main([str(tmp_path), "--forceer"]) == 0
    assert edited.read_bytes() == first["uitnodiging.docx"]


def test_a_template_without_a_record_counts_as_edited(tmp_path: Path) -> None:
    (tmp_path / "draaiboek.docx").write_bytes(b"from Word")
    assert build_templates.main([str(tmp_path)]) == 1
    assert (tmp_path / "draaiboek.docx").read_bytes() == b"from Word"
    assert not (tmp_path / "syllabus.docx").exists()  # nothing written at all

