"""The output side: staged and atomic, deterministic, owner-only, manifest and archive."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from pipeline import generate as generate_module
from pipeline.errors import OutputError
from tests.conftest import EXAMPLE
from tests.generated import generate_example


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    first = generate_example(tmp_path / "a")
    second = generate_example(tmp_path / "b")
    assert digests(first.target) == digests(second.target)
    assert len(digests(first.target)) == 118 + 2


def test_rerun_in_place_replaces_the_output_and_leaves_no_staging(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    before = digests(first.target)
    second = generate_example(tmp_path)
    assert digests(second.target) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_failure_part_way_leaves_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = generate_example(tmp_path)
    before = digests(previous.target)
    (previous.target / "notitie-van-hr.txt").write_text("blijft staan")
    before["notitie-van-hr.txt"] = hashlib.sha256(b"blijft staan").hexdigest()

    original = generate_module.StagedOutput.write
    calls = {"n": 0}

    def failing_write(self, relpath, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 40:
            raise OutputError("schijf vol (gesimuleerd)")
        return original(self, relpath, data)

    monkeypatch.setattr(generate_module.StagedOutput, "write", failing_write)
    with pytest.raises(OutputError, match="schijf vol"):
        generate_example(tmp_path)
    assert calls["n"] == 40
    assert digests(previous.target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archief", previous.target.name]


def test_interrupt_part_way_writes_nothing_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = generate_module.StagedOutput.write
    calls = {"n": 0}

    def interrupted(self, relpath, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, relpath, data)

    monkeypatch.setattr(generate_module.StagedOutput, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate_example(tmp_path / "uit")
    assert list((tmp_path / "uit").iterdir()) == []


def test_files_and_folders_are_owner_only(example_run) -> None:  # type: ignore[no-untyped-def]
    for path in [example_run.target, *example_run.target.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_manifest_json_records_inputs_templates_and_version(example_run) -> None:  # type: ignore[no-untyped-def]
    record = json.loads((example_run.target / "manifest.json").read_text(encoding="utf-8"))
    assert record["werkboek"]["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    names = {t["naam"] for t in record["sjablonen"]}
    assert {
        "uitnodiging.docx",
        "draaiboek.docx",
        "syllabus.docx",
        "vervolgadvies.docx",
        "inhoud/algemeen.toml",
        "inhoud/themas/leerruimte.toml",
    } <= names
    assert record["versie"]
    assert record["aantallen"]["uitnodiging"] == 59
    assert len(record["documenten"]) == 118
    for row in record["documenten"][:10]:
        data = (example_run.target / row["pad"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]


def test_syllabi_are_archived_once_per_distinct_content(tmp_path: Path) -> None:
    import zipfile

    first = generate_example(tmp_path)
    second = generate_example(tmp_path)
    assert first.archive == second.archive and first.archive is not None
    with zipfile.ZipFile(first.archive) as archive:
        names = archive.namelist()
    assert len([n for n in names if n.startswith("syllabi/")]) == 41
    assert "manifest.csv" in names
    assert len(list(first.archive.parent.iterdir())) == 1
