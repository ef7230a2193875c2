"""`genereer` on a register of an older schema that cannot be upgraded: the Dutch message,
exit code 2, and nothing written (not the register, not the cycle folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.register.db import REGISTER_NAME
from tests.conftest import TEMPLATES
from tests.plain_user import as_plain_user
from tests.register.schemas import as_schema_1
from tests.workbooks import Book


def genereer(workbook: Path, out: Path, templates: Path) -> Result:
    return CliRunner().invoke(
        main,
        [
            *("genereer", str(workbook), "--uitvoer", str(out)),
            *("--sjablonen", str(templates), "--soort", "uitnodiging"),
        ],
    )


def snapshot(out: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() if p.is_file() else None
        for p in out.rglob("*")
    }


def test_a_register_of_schema_1_that_cannot_be_upgraded_stops_the_run(tmp_path: Path) -> None:
    """A read-only register (another user's file, a write-protected share) of schema 1:
    the upgrade, the first write, fails, and the run stops before it writes anything."""
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    workbook = Book.valid().save(tmp_path / "werkboek.xlsx")
    out = tmp_path / "out"
    first = genereer(workbook, out, templates)
    assert first.exit_code == 0, first.output
    register = out / REGISTER_NAME
    as_schema_1(register)
    register.chmod(0o444)
    before = snapshot(out)

    def work() -> None:
        result = genereer(workbook, out, templates)
        assert result.exit_code == 2, result.output
        assert result.output == (
            f"FOUT: het register '{register}' is van een vorige versie van het programma en "
            "kan niet worden bijgewerkt (attempt to write a readonly database); er is niets "
            "geschreven of verstuurd. Is het bestand alleen-lezen of in gebruik? Probeer het "
            "daarna opnieuw.\n"
        )

    as_plain_user(work)
    assert snapshot(out) == before
