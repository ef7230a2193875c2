"""`genereer --soort` after a run that cancelled a booking: what a limited run replaces,
carries over and checks, as the user meets it on the command line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.publish.folders import cycle_folder
from tests.test_cli import run
from tests.workbooks import Book

FOLDER = cycle_folder("Intervisie voorjaar 2027")
# What belongs with the invitations: made again (or dropped) by a run of invitations.
WITH_INVITATIONS = ("afzeggingen", "agenda", "e-mail")


def _tree(folder: Path, parts: tuple[str, ...]) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for part in parts
        for p in sorted((folder / part).rglob("*"))
        if p.is_file()
    }


def _manifest(folder: Path) -> dict[str, str]:
    record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {row["pad"]: row["soort"] for row in record["documenten"]}


@pytest.fixture
def cancelled(tmp_path: Path) -> tuple[Path, Path]:
    """A cycle folder whose last run cancelled one booking (letter, .ics, e-mail)."""
    book = Book.valid()
    workbook = book.save(tmp_path / "werkboek.xlsx")
    output = tmp_path / "uit"
    code, _, err = run("genereer", str(workbook), "--uitvoer", str(output), "--mail")
    assert code == 0, err
    book.delete_rows("Indeling", sessie="AU-01", personeelsnummer=10007)
    book.save(workbook)
    code, _, err = run("genereer", str(workbook), "--uitvoer", str(output), "--mail")
    assert code == 0, err
    target = output / FOLDER
    assert list((target / "afzeggingen").glob("afzegging-au-01-10007-*.docx"))
    return workbook, target


@pytest.mark.parametrize("soort", ["draaiboek", "syllabus", "vervolgadvies"])
def test_a_run_of_other_kinds_keeps_the_cancellations(
    cancelled: tuple[Path, Path], soort: str
) -> None:
    workbook, target = cancelled
    before = _tree(target, WITH_INVITATIONS)
    listed = _manifest(target)
    made = sum(1 for kind in listed.values() if kind == soort)
    code, out, err = run(
        "genereer", str(workbook), "--uitvoer", str(target.parent), "--soort", soort
    )
    assert code == 0, err
    assert f"Klaar: {made} documenten geschreven.\n  {soort}: {made}\n" in out
    assert _tree(target, WITH_INVITATIONS) == before
    after = _manifest(target)
    assert {pad: after.get(pad) for pad in before} == {pad: listed[pad] for pad in before}


@pytest.mark.parametrize(
    ("pattern", "options"),
    [
        ("afzeggingen/afzegging-au-01-10007-*.docx", ["--mail"]),
        ("afzeggingen/afzegging-au-01-10007-*.docx", []),
        ("e-mail/afzegging-uitnodiging-au-01-10007-*.eml", ["--mail"]),
        ("e-mail/afzegging-uitnodiging-au-01-10007-*.eml", []),
        ("agenda/uitnodiging-iv-01-*.ics", []),
    ],
)
def test_a_run_of_invitations_never_replaces_an_edited_file_that_goes_with_them(
    cancelled: tuple[Path, Path], pattern: str, options: list[str]
) -> None:
    workbook, target = cancelled
    edited = sorted(target.glob(pattern))[0]
    edited.write_bytes(edited.read_bytes() + b"\0")
    before = _tree(target, (".",))
    code, out, err = run(
        "genereer",
        str(workbook),
        "--uitvoer",
        str(target.parent),
        "--soort",
        "uitnodiging",
        *options,
    )
    assert code == 2, out
    name = edited.relative_to(target).as_posix()
    assert err == (
        f"FOUT: in de map '{target}' zijn documenten gewijzigd sinds de vorige run: "
        f"'{name}'. De run zou ze vervangen; bewaar de gewijzigde versie buiten de map (of "
        "verwijder ze als u ze niet meer nodig hebt) en start de run opnieuw. Er is niets "
        "geschreven.\n"
    )
    assert _tree(target, (".",)) == before
