"""The `intervisie` command as a user meets it: exit codes, Dutch messages, files."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import EXAMPLE, TEMPLATES
from tests.workbooks import Book


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="intervisie")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "werkboek.xlsx"
    shutil.copy(EXAMPLE, target)
    shutil.copy(EXAMPLE.parent / "handtekening.png", tmp_path / "handtekening.png")
    return target


def test_help_is_dutch() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("controleer", "genereer", "nieuw-werkboek", "sjablonen"):
        assert command in out
    assert "Maak intervisie-documenten uit één Excel-werkboek." in out
    for command in (["controleer"], ["genereer"], ["nieuw-werkboek"], ["sjablonen", "controleer"]):
        code, out, _ = run(*command, "--help")
        assert code == 0
        assert out.startswith("Gebruik: intervisie ")
        assert "Toon deze hulp en stop." in out
        assert "Usage" not in out and "Options" not in out and "Show this" not in out


def test_usage_errors_are_dutch() -> None:
    code, _, err = run("genereer")
    assert code == 2
    assert "Fout: Ontbrekend argument 'WERKBOEK'." in err


def test_controleer_valid_example() -> None:
    code, out, _ = run("controleer", str(EXAMPLE))
    assert code == 0
    assert out.startswith("Het werkboek is in orde: 9 sessies, 41 deelnemers, 59 indelingen")


def test_controleer_reports_every_problem_with_location(tmp_path: Path) -> None:
    book = Book.valid()
    book.set("Sessies", 2, "datum", "31-02-2027")
    book.set("Deelnemers", 3, "email", "geen-adres")
    book.set("Indeling", 2, "rol", "toeschouwer")
    path = book.save(tmp_path / "fout.xlsx")
    code, out, err = run("controleer", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "FOUT: blad 'Sessies', rij 2, kolom 'datum' (C): datum '31-02-2027' bestaat niet; "
        "verwacht dd-mm-jjjj, bijvoorbeeld 09-03-2027.",
        "FOUT: blad 'Deelnemers', rij 3, kolom 'email' (H): e-mailadres 'geen-adres' is "
        "ongeldig; verwacht een adres als naam@gemeente.nl.",
        "FOUT: blad 'Indeling', rij 2, kolom 'rol' (C): 'toeschouwer' is geen geldige keuze; "
        "kies deelnemer of inbrenger.",
        "Het werkboek is niet in orde: 3 fouten, 0 waarschuwingen.",
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"sessie;thema\nLR-01;Leerruimte\n", "planning.csv", "geen Excel-werkboek"),
        (b"", "leeg.xlsx", "leeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "oud.xls", "wachtwoord"),
        (b"PK\x03\x04 kapot", "kapot.xlsx", "xlsx"),
    ],
    ids=["csv", "empty", "xls-or-password", "corrupt"],
)
def test_not_a_workbook_is_one_dutch_error(
    tmp_path: Path, content: bytes, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run("controleer", str(path))
    assert code == 1
    assert out == ""
    assert err.startswith("FOUT: ")
    assert expected in err.lower() or expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("controleer", str(tmp_path / "bestaat-niet.xlsx"))
    assert code == 1
    assert err.startswith("FOUT: ") and "bestaat-niet.xlsx" in err


def test_genereer_writes_documents_manifest_and_summary(tmp_path: Path) -> None:
    workbook = copy_example(tmp_path)
    output = tmp_path / "uit"
    code, out, err = run("genereer", str(workbook), "--uitvoer", str(output))
    assert code == 0, err
    assert "Klaar: 118 documenten geschreven." in out
    assert "uitnodiging: 59" in out and "syllabus: 41" in out
    assert "interne post" in out
    folder = output / "intervisie-voorjaar-2027"
    assert f"Map: {folder}" in out
    assert (folder / "manifest.csv").exists() and (folder / "manifest.json").exists()
    for kind, sub in (
        ("uitnodiging", "uitnodigingen"),
        ("draaiboek", "draaiboeken"),
        ("syllabus", "syllabi"),
        ("vervolgadvies", "vervolgadviezen"),
    ):
        files = list((folder / sub).glob("*.docx"))
        assert files and all(kind in f.name for f in files)


def test_genereer_soort_limits_the_kinds(tmp_path: Path) -> None:
    workbook = copy_example(tmp_path)
    code, out, err = run(
        "genereer",
        str(workbook),
        "--uitvoer",
        str(tmp_path / "uit"),
        "--soort",
        "draaiboek,syllabus",
    )
    assert code == 0, err
    folder = tmp_path / "uit" / "intervisie-voorjaar-2027"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["draaiboeken", "syllabi"]
    assert "Klaar: 50 documenten geschreven." in out


def test_genereer_unknown_soort_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("genereer", str(EXAMPLE), "--uitvoer", str(tmp_path), "--soort", "brief")
    assert code == 2
    assert "onbekende soort: brief" in err


def test_genereer_writes_nothing_on_invalid_input(tmp_path: Path) -> None:
    book = Book.valid()
    book.set("Sessies", 2, "vorm", "telefonisch")
    path = book.save(tmp_path / "fout.xlsx")
    output = tmp_path / "uit"
    code, out, err = run("genereer", str(path), "--uitvoer", str(output))
    assert code == 1
    assert "Klaar" not in out
    assert "FOUT: blad 'Sessies', rij 2, kolom 'vorm'" in err
    assert "Er is niets geschreven." in err
    assert not output.exists()


@pytest.mark.parametrize(
    "text",
    ["{{ cycler.__init__.__globals__ }}", "{{ niet_bestaande_variabele }}"],
    ids=["sandbox", "unknown-variable"],
)
def test_genereer_refuses_a_broken_template(tmp_path: Path, text: str) -> None:
    import docx

    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    doc = docx.Document(str(templates / "vervolgadvies.docx"))
    doc.add_paragraph(text)
    doc.save(str(templates / "vervolgadvies.docx"))
    output = tmp_path / "uit"
    code, _, err = run(
        "genereer", str(EXAMPLE), "--uitvoer", str(output), "--sjablonen", str(templates)
    )
    assert code == 1
    assert "sjabloon 'vervolgadvies.docx'" in err
    assert not output.exists()
    code, _, err = run("sjablonen", "controleer", str(templates))
    assert code == 1 and "sjabloon 'vervolgadvies.docx'" in err


def test_sjablonen_controleer_project_templates() -> None:
    code, out, _ = run("sjablonen", "controleer", str(TEMPLATES))
    assert code == 0
    assert "zijn in orde" in out


def test_nieuw_werkboek_writes_a_workbook_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.xlsx"
    code, out, _ = run("nieuw-werkboek", str(path))
    assert code == 0 and path.exists()
    assert out.strip() == f"Leeg werkboek geschreven: {path}"
    names = openpyxl.load_workbook(path).sheetnames
    assert {"Organisatie", "Sessies", "Deelnemers", "Indeling", "Uitkomsten", "Toelichting"} <= set(
        names
    )
    code, _, err = run("nieuw-werkboek", str(path))
    assert code == 1 and "bestaat al" in err


def test_empty_new_workbook_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.xlsx"
    run("nieuw-werkboek", str(path))
    code, _, err = run("controleer", str(path))
    assert code == 1
    assert "FOUT: blad 'Organisatie'" in err
    assert "Traceback" not in err


def test_a_write_failure_exits_with_code_2(tmp_path: Path) -> None:
    """The README promises exit code 2 for output problems (1 is for bad input)."""
    (tmp_path / "bezet").write_text("een bestand, geen map")
    target = tmp_path / "bezet" / "nieuw.xlsx"
    code, _, err = run("nieuw-werkboek", str(target))
    assert code == 2
    assert f"FOUT: kan '{target}' niet schrijven: een deel van het pad is geen map" in err
    assert "Traceback" not in err


def test_a_run_that_cannot_publish_exits_with_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def full_disk(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, _, err = run("genereer", str(copy_example(tmp_path)), "--uitvoer", str(tmp_path / "uit"))
    assert code == 2
    assert "de schijf is vol" in err and "Traceback" not in err


def test_a_broken_content_file_is_named_as_such_not_as_a_template(tmp_path: Path) -> None:
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    theme = templates / "inhoud" / "themas" / "leerruimte.toml"
    theme.write_text("onbekend_veld = 1\n" + theme.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "uit"
    code, _, err = run(
        "genereer", str(EXAMPLE), "--uitvoer", str(output), "--sjablonen", str(templates)
    )
    assert code == 1 and not output.exists()
    assert "FOUT: inhoudsbestand 'leerruimte.toml', veld 'onbekend_veld': onbekend veld" in err
    assert "sjabloon" not in err and "Traceback" not in err
