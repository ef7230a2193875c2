"""A run replaces only a cycle folder it wrote itself, for the same cycle; it never
removes the workbook, the signature, the templates or any file HR put there."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.documents.plan import Kind
from pipeline.errors import OutputError
from pipeline.identity import same_cycle
from pipeline.publish.folders import cycle_folder
from pipeline.run import generate
from tests.conftest import EXAMPLE, TEMPLATES
from tests.generated import TODAY, generate_example
from tests.workbooks import TODAY as BOOK_TODAY
from tests.workbooks import Book

FOLDER = cycle_folder("Intervisie voorjaar 2027")


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(main, list(args), prog_name="intervisie")
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout + result.stderr


def example_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / "werkboek.xlsx"
    shutil.copy(EXAMPLE, workbook)
    shutil.copy(EXAMPLE.parent / "handtekening.png", folder / "handtekening.png")
    return workbook


def test_workbook_kept_in_the_cycle_folder_is_never_removed(tmp_path: Path) -> None:
    """The reported data loss: workbook, signature and notes in output/<cyclusmap>/."""
    cycle = tmp_path / "output" / FOLDER
    workbook = example_in(cycle)
    (cycle / "notities.txt").write_text("eigen aantekeningen")
    before = tree(cycle)
    code, out = cli("genereer", str(workbook), "--uitvoer", str(tmp_path / "output"))
    assert code == 2, out
    assert "het werkboek" in out and "staat in de map" in out and "--uitvoer" in out
    assert "Traceback" not in out and "Klaar" not in out
    assert tree(cycle) == before
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [FOLDER]


def test_uitvoer_dot_in_a_folder_named_like_the_cycle(tmp_path: Path) -> None:
    cycle = tmp_path / FOLDER
    workbook = example_in(cycle)
    before = tree(cycle)
    code, out = cli("genereer", str(workbook), "--uitvoer", ".", cwd=tmp_path)
    assert code == 2, out
    assert "staat in de map" in out
    assert tree(cycle) == before


def test_workbook_reached_through_a_symlink_is_protected(tmp_path: Path) -> None:
    cycle = tmp_path / "output" / FOLDER
    real = example_in(cycle)
    link = tmp_path / "werkboek.xlsx"
    link.symlink_to(real)
    shutil.copy(EXAMPLE.parent / "handtekening.png", tmp_path / "handtekening.png")
    with pytest.raises(OutputError, match="het werkboek"):
        generate(link, tmp_path / "output", TEMPLATES, today=TODAY, workers=1)
    assert real.is_file()


def test_templates_kept_in_the_cycle_folder_are_never_removed(tmp_path: Path) -> None:
    templates = tmp_path / "output" / FOLDER / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    with pytest.raises(OutputError, match="de map met sjablonen"):
        generate(EXAMPLE, tmp_path / "output", templates, today=TODAY, workers=1)
    assert (templates / "uitnodiging.docx").is_file()


def test_a_folder_the_program_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    cycle = tmp_path / "output" / FOLDER
    cycle.mkdir(parents=True)
    (cycle / "brief.docx").write_bytes(b"HR")
    code, out = cli("genereer", str(EXAMPLE), "--uitvoer", str(tmp_path / "output"))
    assert code == 2, out
    assert "niet door dit programma gemaakt" in out and "Er is niets geschreven." in out
    assert (cycle / "brief.docx").read_bytes() == b"HR"
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [FOLDER]


@pytest.mark.parametrize("soort", [None, "draaiboek"])
def test_a_file_hr_put_in_our_folder_stops_the_run(tmp_path: Path, soort: str | None) -> None:
    first = generate_example(tmp_path)
    (first.target / "uitnodigingen" / "extra-brief.docx").write_bytes(b"HR")
    before = tree(first.target)
    args = ["genereer", str(EXAMPLE), "--uitvoer", str(tmp_path)]
    code, out = cli(*args, *(["--soort", soort] if soort else []))
    assert code == 2, out
    assert "uitnodigingen/extra-brief.docx" in out and "verplaats ze" in out
    assert tree(first.target) == before


def test_an_edited_document_is_not_overwritten(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    edited = first.target / "draaiboeken" / "draaiboek-lr-01.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    with pytest.raises(OutputError, match="gewijzigd sinds de vorige run"):
        generate_example(tmp_path)
    # a run that does not replace draaiboeken carries the edited one over
    partial = generate_example(tmp_path, kinds=(Kind.UITNODIGING,))
    assert partial.kept["draaiboek"] == 9 and edited.read_bytes().endswith(b"\0")


def test_a_symlinked_cycle_folder_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "belangrijk.txt").write_text("x")
    (tmp_path / "uit").mkdir()
    (tmp_path / "uit" / FOLDER).symlink_to(elsewhere)
    with pytest.raises(OutputError, match="snelkoppeling"):
        generate_example(tmp_path / "uit")
    assert (elsewhere / "belangrijk.txt").read_text() == "x"


def test_a_symlinked_archive_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (tmp_path / "uit").mkdir()
    (tmp_path / "uit" / "archief").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="archief"):
        generate_example(tmp_path / "uit")
    assert list(elsewhere.iterdir()) == []


def _other_cycle(tmp_path: Path, name: str) -> Path:
    return Book.valid().org("cyclus", name).save(tmp_path / f"{abs(hash(name))}.xlsx")


def test_another_cycles_folder_is_refused_never_replaced(tmp_path: Path) -> None:
    """Distinct names get distinct folders; should a folder still hold another cycle's
    output (renamed by hand, or an older version's naming), the run refuses."""
    out = tmp_path / "uit"
    first = generate(
        _other_cycle(tmp_path, "Intervisie 😀"), out, TEMPLATES, today=BOOK_TODAY, workers=1
    )
    second = generate(
        _other_cycle(tmp_path, "Intervisie 🎉"), out, TEMPLATES, today=BOOK_TODAY, workers=1
    )
    assert first.target != second.target and tree(first.target)
    record = json.loads((first.target / "manifest.json").read_text(encoding="utf-8"))
    record["cyclus"] = "Een heel andere cyclus"
    (first.target / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    before = tree(first.target)
    code, text = cli(
        "genereer", str(_other_cycle(tmp_path, "Intervisie 😀")), "--uitvoer", str(out)
    )
    assert code == 2, text
    assert "andere cyclus ('Een heel andere cyclus')" in text
    assert tree(first.target) == before


def test_the_same_cycle_spelled_differently_replaces_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    first = generate(
        _other_cycle(tmp_path, "Intervisie Café 2027"), out, TEMPLATES, today=BOOK_TODAY, workers=1
    )
    again = generate(
        _other_cycle(tmp_path, "intervisie  cafe 2027"), out, TEMPLATES, today=BOOK_TODAY, workers=1
    )
    assert again.target == first.target


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Intervisie Café", "intervisie  CAFE", True),
        ("Intervisie 😀", "Intervisie 🎉", False),
        ("team A+B", "team A/B", False),
    ],
)
def test_same_cycle(first: str, second: str, same: bool) -> None:
    assert same_cycle(first, second) is same


def test_file_manager_leftovers_do_not_stop_a_run(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    for name in (".DS_Store", "Thumbs.db", "uitnodigingen/desktop.ini"):
        (first.target / name).write_bytes(b"x")
    again = generate_example(tmp_path)
    assert not (again.target / ".DS_Store").exists()


def test_a_document_open_in_word_is_named_as_open(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    (first.target / "draaiboeken" / "~$aaiboek-lr-01.docx").write_bytes(b"lock")
    with pytest.raises(OutputError, match="open in Word of LibreOffice"):
        generate_example(tmp_path)


def test_any_file_the_manifest_lists_is_ours(tmp_path: Path) -> None:
    """Stages that write more than documents list those files in manifest.json too."""
    first = generate_example(tmp_path)
    (first.target / "controle.sha256").write_text("x")
    record = json.loads((first.target / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(b"x").hexdigest()
    record["archiefbestanden"] = [{"pad": "controle.sha256", "sha256": digest}]
    (first.target / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    again = generate_example(tmp_path)
    assert not (again.target / "controle.sha256").exists()


def test_an_edit_with_an_old_timestamp_is_still_seen(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    edited = (
        first.target / "syllabi" / sorted(p.name for p in (first.target / "syllabi").iterdir())[0]
    )
    old = edited.stat()
    edited.write_bytes(edited.read_bytes() + b"\0")
    os.utime(edited, ns=(old.st_atime_ns, old.st_mtime_ns - 10**12))  # as 'cp -p' leaves it
    with pytest.raises(OutputError, match="gewijzigd sinds de vorige run"):
        generate_example(tmp_path)
