"""`genereer --mail`, `--alleen-wijzigingen` and `verstuur` as a user meets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.workbooks import Book


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="intervisie")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_genereer_reports_the_changes_per_kind(tmp_path: Path) -> None:
    book = Book.valid()
    workbook = book.save(tmp_path / "werkboek.xlsx")
    code, out, err = run("genereer", str(workbook), "--uitvoer", str(tmp_path / "uit"), "--mail")
    assert code == 0, err
    assert "Wijzigingen (versie 1 van de cyclus, zie wijzigingen.csv):" in out
    assert "  uitnodiging: 13 nieuw" in out and "  agenda: 13 nieuw" in out
    outbox = tmp_path / "uit" / "intervisie-voorjaar-2027" / "e-mail"
    assert f"E-mail: 13 berichten in {outbox}" in out
    assert f"intervisie verstuur {outbox}" in out
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    book.save(workbook)
    code, out, err = run(
        "genereer",
        str(workbook),
        "--uitvoer",
        str(tmp_path / "uit"),
        "--mail",
        "--alleen-wijzigingen",
    )
    assert code == 0, err
    assert "Wijzigingen (versie 2 van de cyclus" in out
    # The others' letters do not change with the group's size: only the cancellation.
    assert "  uitnodiging: 1 vervallen" in out
    folder = tmp_path / "uit" / "intervisie-voorjaar-2027"
    assert len(list((folder / "e-mail").glob("*.eml"))) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--alleen-wijzigingen"], "--alleen-wijzigingen hoort bij --afdrukbestand of --mail"),
        (["--mail", "--soort", "draaiboek"], "--mail hoort bij de soort uitnodiging"),
        (["--dubbelzijdig"], "--dubbelzijdig hoort bij --afdrukbestand."),
    ],
)
def test_genereer_option_mistakes_are_usage_errors(
    tmp_path: Path, options: list[str], message: str
) -> None:
    workbook = Book.valid().save(tmp_path / "werkboek.xlsx")
    code, _, err = run("genereer", str(workbook), "--uitvoer", str(tmp_path / "uit"), *options)
    assert code == 2 and message in err
    assert not (tmp_path / "uit").exists()


def test_verstuur_help_is_dutch_and_needs_a_server_to_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("verstuur", "--help")
    assert code == 0 and out.startswith("Gebruik: intervisie verstuur")
    assert "--echt" in out and "Usage" not in out
    monkeypatch.delenv("INTERVISIE_SMTP_SERVER", raising=False)
    code, _, err = run("verstuur", str(tmp_path), "--echt")
    assert code == 2 and "geef --server of zet INTERVISIE_SMTP_SERVER" in err
