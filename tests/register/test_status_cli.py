"""`intervisie status` on real runs: generated with --mail --afdrukbestand, part of the
outbox sent to a real aiosmtpd server that refuses one address, a booking removed and
the workbook run again; the table, the CSV read back with the csv module, the messages
for a folder without a register and for an unknown cycle."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.status import Line, mail_state, to_csv
from pipeline.identity import BookingKey
from pipeline.register.db import REGISTER_NAME
from pipeline.register.status import Attempt, BookingStatus
from tests.conftest import TEMPLATES
from tests.register.schemas import as_schema_1, as_schema_2
from tests.smtp_server import REFUSED
from tests.workbooks import Book

FOLDER = "intervisie-voorjaar-2027"
HEADER = (
    "  sessie  personeelsnummer  versie  afgezegd  bericht      brief                       e-mail"
)
POST = "afdrukbestand per post"
INTERNAL = "afdrukbestand interne post"


def genereer(book: Book, out: Path, *options: str) -> None:
    workbook = book.save(out.parent / "werkboek.xlsx")
    options = options or ("--mail", "--afdrukbestand")
    result = CliRunner().invoke(
        main,
        [
            *("genereer", str(workbook), "--uitvoer", str(out)),
            *("--sjablonen", str(TEMPLATES), *options),
        ],
    )
    assert result.exit_code == 0, result.output


def verstuur(out: Path) -> Any:
    folder = out / FOLDER / "e-mail"
    return CliRunner().invoke(main, ["verstuur", str(folder), "--pauze", "0", "--echt"])


def status(*args: str) -> Any:
    return CliRunner().invoke(main, ["status", *args])


def rows(output: str) -> dict[tuple[str, str], list[str]]:
    """Per (sessie, personeelsnummer): the other columns of its table line."""
    found = {}
    for line in output.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 7 and parts[1].isdigit():
            found[(parts[0], parts[1])] = parts[2:]
    return found


def refusing_book() -> Book:
    book = Book.valid()
    row = book.row_of("Deelnemers", personeelsnummer=10003)
    return book.set("Deelnemers", row, "email", REFUSED)


def partly_sent(tmp_path: Path) -> Path:
    """Generated, then sent but for the two au-01 messages of 10005 and 10006 (held back)."""
    out = tmp_path / "out"
    genereer(refusing_book(), out)
    held = tmp_path / "held"
    held.mkdir()
    for path in (out / FOLDER / "e-mail").glob("uitnodiging-au-01-1000[56]-*.eml"):
        shutil.move(path, held / path.name)
    sent = verstuur(out)
    assert sent.exit_code == 1, sent.output  # one refusal
    for path in held.iterdir():
        shutil.move(path, out / FOLDER / "e-mail" / path.name)
    return out


def test_status_tells_delivered_refused_and_not_yet_sent(tmp_path: Path, smtp: Any) -> None:
    out = partly_sent(tmp_path)
    result = status(str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "Cyclus 'Intervisie voorjaar 2027':",
        HEADER,
        "  AU-01   10005             0       nee       uitnodiging  afdrukbestand per post      "
        "nog niet verstuurd",
    ]
    assert lines[-1] == (
        "  13 boekingen, waarvan 0 afgezegd; e-mail: 10 bezorgd, 1 geweigerd, 2 nog niet verstuurd."
    )
    table = rows(result.output)
    assert len(table) == 13
    assert table[("LR-01", "10003")] == ["0", "nee", "uitnodiging", POST, "geweigerd"]
    assert table[("AU-01", "10006")] == ["0", "nee", "uitnodiging", POST, "nog niet verstuurd"]
    assert table[("IV-01", "10001")] == ["0", "nee", "uitnodiging", POST, "bezorgd"]
    assert table[("LR-01", "10001")] == ["0", "nee", "uitnodiging", POST, "bezorgd"]
    assert [k for k, v in table.items() if v[4] == "bezorgd"] == [
        k for k in table if k not in {("LR-01", "10003"), ("AU-01", "10005"), ("AU-01", "10006")}
    ]


def test_a_removed_booking_shows_its_cancellation_and_then_its_delivery(
    tmp_path: Path, smtp: Any
) -> None:
    out = partly_sent(tmp_path)
    book = refusing_book()
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    genereer(book, out)
    table = rows(status(str(out)).output)
    assert table[("IV-01", "10012")] == ["1", "ja", "afzegging", INTERNAL, "nog niet verstuurd"]
    # The session's other invitations do not change: their delivery stands.
    assert table[("IV-01", "10009")] == ["0", "nee", "uitnodiging", POST, "bezorgd"]
    assert table[("LR-01", "10002")] == ["0", "nee", "uitnodiging", POST, "bezorgd"]
    assert table[("AU-01", "10005")] == ["0", "nee", "uitnodiging", POST, "nog niet verstuurd"]
    verstuur(out)
    again = status(str(out))
    assert rows(again.output)[("IV-01", "10012")] == ["1", "ja", "afzegging", INTERNAL, "bezorgd"]
    assert again.output.splitlines()[-1] == (
        "  13 boekingen, waarvan 1 afgezegd; e-mail: 12 bezorgd, 1 geweigerd."
    )


def retyped_book() -> Book:
    """10003 as the text '0010003' and AU-01 as 'Au-01': the same bookings."""
    book = Book.valid()
    for sheet in ("Deelnemers", "Indeling"):
        row = book.row_of(sheet, personeelsnummer=10003)
        book.set(sheet, row, "personeelsnummer", "0010003")
    for sheet in ("Sessies", "Indeling"):
        for row in book.sheets[sheet].rows:
            if row["sessie"] == "AU-01":
                row["sessie"] = "Au-01"
    return book


def test_status_shows_the_ids_as_hr_last_typed_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    genereer(Book.valid(), out)
    book = retyped_book()
    genereer(book, out)
    result = status(str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2] == (
        "  Au-01   10005             0       nee       uitnodiging  afdrukbestand per post      "
        "nog niet verstuurd"
    )
    table = rows(result.output)
    assert table[("LR-01", "0010003")] == ["0", "nee", "uitnodiging", POST, "nog niet verstuurd"]
    assert sorted(table) == sorted(
        [("Au-01", f"1000{n}") for n in (5, 6, 7, 8)]
        + [("IV-01", str(n)) for n in (10001, 10009, 10010, 10011, 10012)]
        + [("LR-01", n) for n in ("10001", "10002", "0010003", "10004")]
    )
    read = CliRunner().invoke(main, ["status", str(out), "--csv"]).stdout_bytes
    by_number = {
        r["personeelsnummer"]: r["sessie"]
        for r in csv.DictReader(io.StringIO(read.decode("utf-8-sig")), delimiter=";")
    }
    assert (by_number["0010003"], by_number["10005"]) == ("LR-01", "Au-01")
    # A cancelled booking keeps the form it was last typed in.
    book.delete_rows("Indeling", sessie="LR-01", personeelsnummer="0010003")
    genereer(book, out)
    cancelled = rows(status(str(out)).output)
    assert cancelled[("LR-01", "0010003")] == ["1", "ja", "afzegging", POST, "nog niet verstuurd"]


def test_csv_reads_back_with_the_csv_module(tmp_path: Path, smtp: Any) -> None:
    out = partly_sent(tmp_path)
    result = CliRunner().invoke(main, ["status", str(out), "--csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfcyclus;sessie;")
    text = result.stdout_bytes.decode("utf-8-sig")
    read = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(read) == 13
    by_key = {(r["sessie"], r["personeelsnummer"]): r for r in read}
    assert by_key[("LR-01", "10003")] == {
        "cyclus": "Intervisie voorjaar 2027",
        "sessie": "LR-01",
        "personeelsnummer": "10003",
        "versie": "0",
        "afgezegd": "nee",
        "bericht": "uitnodiging",
        "brief": "afdrukbestand per post",
        "e-mail": "geweigerd",
    }
    assert sorted(r["e-mail"] for r in read).count("nog niet verstuurd") == 2
    assert "\r\n" in text and "\r\r" not in text


def test_without_mail_status_says_no_e_mail(tmp_path: Path) -> None:
    out = tmp_path / "out"
    genereer(Book.valid(), out, "--soort", "uitnodiging")
    result = status(str(out))
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    internal = {("IV-01", "10011"), ("IV-01", "10012")}  # no complete postal address
    assert {k: v[3] for k, v in table.items()} == {
        k: "interne post" if k in internal else "per post" for k in table
    }
    assert {(v[0], v[1], v[2], v[4]) for v in table.values()} == {
        ("0", "nee", "uitnodiging", "geen e-mail")
    }
    assert result.output.splitlines()[-1] == (
        "  13 boekingen, waarvan 0 afgezegd; e-mail: 13 geen e-mail."
    )
    (out / FOLDER / "manifest.json").unlink()  # the register keeps the routes
    assert {k: v[3] for k, v in rows(status(str(out)).output).items()} == {
        k: v[3] for k, v in table.items()
    }


def test_the_routes_stay_when_a_run_makes_no_letters(tmp_path: Path) -> None:
    """A run with --soort that makes no letters keeps them (and their routes) as they
    were; the next run that makes letters replaces the routes."""
    out = tmp_path / "out"
    genereer(Book.valid(), out)
    before = status(str(out)).output
    assert {v[3] for v in rows(before).values()} == {POST, INTERNAL}
    genereer(Book.valid(), out, "--soort", "syllabus")
    assert status(str(out)).output == before
    genereer(Book.valid(), out, "--soort", "uitnodiging")  # no print bundles now
    table = rows(status(str(out)).output)
    assert {v[3] for v in table.values()} == {"per post", "interne post"}


def test_a_register_of_before_the_routes_takes_them_from_the_last_manifest(
    tmp_path: Path,
) -> None:
    """Schema 2 kept no routes, and status does not upgrade: the last run's manifest.json
    has them; without it the column says so."""
    out = tmp_path / "out"
    genereer(Book.valid(), out)
    expected = status(str(out)).output
    as_schema_2(out / REGISTER_NAME)
    before = (out / REGISTER_NAME).read_bytes()
    assert status(str(out)).output == expected
    (out / FOLDER / "manifest.json").unlink()
    assert {v[3] for v in rows(status(str(out)).output).values()} == {"geen brief"}
    assert (out / REGISTER_NAME).read_bytes() == before


KEY = BookingKey("iv-01", "10001")


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ((), "nog niet verstuurd"),
        (("verzonden",), "bezorgd"),
        (("geweigerd",), "geweigerd"),
        (("onzeker",), "onzeker"),
        (("bezig",), "onzeker"),
        (("niet_verzonden",), "niet verzonden (tijdelijk geweigerd)"),
        (("niet_verzonden", "verzonden"), "bezorgd"),
        (("verzonden", "onzeker"), "onzeker"),
    ],
)
def test_the_last_attempt_of_the_latest_message_counts(
    results: tuple[str, ...], expected: str
) -> None:
    older = Attempt("a@x.nl", 0, "REQUEST", "geweigerd", "t0", 550, "")
    tries = tuple(
        Attempt("a@x.nl", 1, "REQUEST", r, f"t{i}", None, "") for i, r in enumerate(results)
    )
    booking = BookingStatus(KEY, "uid", 1, False, (older, *tries))
    assert mail_state(booking, {(KEY, 0, "REQUEST"), (KEY, 1, "REQUEST")}) == (
        "uitnodiging",
        expected,
    )
    assert mail_state(booking, {(KEY, 0, "REQUEST")}) == ("uitnodiging", "geen e-mail")
    cancelled = BookingStatus(KEY, "uid", 1, True, tries)
    assert mail_state(cancelled, {(KEY, 1, "REQUEST")}) == ("afzegging", "geen e-mail")
    assert mail_state(cancelled, {(KEY, 1, "CANCEL")}) == ("afzegging", "nog niet verstuurd")


def test_csv_neutralises_values_that_look_like_formulas() -> None:
    line = Line(
        '=HYPERLINK("x")', BookingKey("+iv-01", "-1"), 0, False, "uitnodiging", "geen brief", "@x"
    )
    read = next(csv.DictReader(io.StringIO(to_csv([line])), delimiter=";"))
    assert (read["cyclus"], read["sessie"], read["personeelsnummer"], read["e-mail"]) == (
        '\'=HYPERLINK("x")',
        "'+iv-01",
        "'-1",
        "'@x",
    )


def test_several_cycles_each_shown_and_cyclus_ignores_capitals(tmp_path: Path) -> None:
    out = tmp_path / "out"
    genereer(Book.valid(), out)
    genereer(Book.valid().org("cyclus", "Intervisie najaar 2027"), out)
    both = status(str(out))
    assert both.exit_code == 0, both.output
    heads = [line for line in both.output.splitlines() if line.startswith("Cyclus ")]
    assert heads == ["Cyclus 'Intervisie voorjaar 2027':", "Cyclus 'Intervisie najaar 2027':"]
    assert (
        both.output.count("13 boekingen, waarvan 0 afgezegd; e-mail: 13 nog niet verstuurd.") == 2
    )
    one = status(str(out), "--cyclus", "INTERVISIE  najaar 2027")
    assert one.exit_code == 0, one.output
    assert [line for line in one.output.splitlines() if line.startswith("Cyclus ")] == [
        "Cyclus 'Intervisie najaar 2027':"
    ]
    both_csv = CliRunner().invoke(main, ["status", str(out), "--csv"])
    read = list(
        csv.DictReader(io.StringIO(both_csv.stdout_bytes.decode("utf-8-sig")), delimiter=";")
    )
    assert sorted({r["cyclus"] for r in read}) == [
        "Intervisie najaar 2027",
        "Intervisie voorjaar 2027",
    ]
    assert len(read) == 26
    unknown = status(str(out), "--cyclus", "Intervisie zomer 2027")
    assert unknown.exit_code == 1
    assert unknown.output == (
        f"FOUT: de cyclus 'Intervisie zomer 2027' staat niet in het register van '{out}'. "
        "Bekende cycli: 'Intervisie voorjaar 2027', 'Intervisie najaar 2027'.\n"
    )


def test_a_folder_without_a_register_says_so(tmp_path: Path) -> None:
    for folder in (tmp_path / "leeg", tmp_path / "bestaat-niet"):
        if folder.name == "leeg":
            folder.mkdir()
        result = status(str(folder))
        assert result.exit_code == 0
        assert result.output == (
            f"Er is nog geen register in '{folder}': daar is nog niets gegenereerd. "
            "Maak eerst documenten met 'intervisie genereer'.\n"
        )
        assert not folder.exists() or list(folder.iterdir()) == []


def test_status_reads_a_register_of_schema_1_without_changing_it(tmp_path: Path) -> None:
    """Only the next `genereer` upgrades an older register: status opens it read-only
    and shows the same as for the upgraded one; the file keeps its bytes and mtime."""
    out = tmp_path / "out"
    genereer(Book.valid(), out)
    register = out / REGISTER_NAME
    expected = status(str(out))
    assert expected.exit_code == 0, expected.output
    as_schema_1(register)
    os.utime(register, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = register.read_bytes()
    for args in ((str(out),), (str(out), "--csv")):
        result = status(*args)
        assert result.exit_code == 0, result.output
        if len(args) == 1:
            assert result.output == expected.output
    assert register.read_bytes() == before
    assert register.stat().st_mtime_ns == 1_700_000_000_000_000_000
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [REGISTER_NAME]


def _interrupted_write(register: Path) -> None:
    """A process killed in the middle of a write transaction: its rollback journal stays
    beside the register ("hot"), for the next writer to roll back."""
    code = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size=1')\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "for i in range(2000):\n"
        "    c.execute('INSERT INTO imports VALUES (?, ?, 1, 0)', (str(i) * 50, 'x'))\n"
        "print('bezig', flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(register)], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "bezig\n"
        writer.send_signal(signal.SIGKILL)
    assert register.with_name(REGISTER_NAME + "-journal").stat().st_size > 0


def test_status_leaves_an_interrupted_write_to_the_next_run(tmp_path: Path) -> None:
    """Rolling back a hot journal is a write: status says so and leaves it."""
    out = tmp_path / "out"
    genereer(Book.valid(), out, "--soort", "uitnodiging")
    register = out / REGISTER_NAME
    _interrupted_write(register)
    before = (register.read_bytes(), register.with_name(REGISTER_NAME + "-journal").read_bytes())
    result = status(str(out))
    assert result.exit_code == 2
    assert result.output == (
        f"FOUT: het register '{register}' is nog niet hersteld na een onderbroken run "
        f"(ernaast staat '{REGISTER_NAME}-journal'); de volgende 'intervisie genereer' of "
        "'intervisie verstuur' herstelt het. Er is niets geschreven.\n"
    )
    assert (
        register.read_bytes(),
        register.with_name(REGISTER_NAME + "-journal").read_bytes(),
    ) == before
    genereer(Book.valid(), out, "--soort", "uitnodiging")
    again = status(str(out))
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == (
        "  13 boekingen, waarvan 0 afgezegd; e-mail: 13 geen e-mail."
    )


def test_an_empty_register_knows_no_cycle_and_stays_empty(tmp_path: Path) -> None:
    """A run that stopped before it made the tables leaves an empty file: status does
    not make them (a write), the next `genereer` does."""
    (tmp_path / REGISTER_NAME).write_bytes(b"")
    result = status(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output == f"Het register in '{tmp_path}' kent nog geen cyclus.\n"
    assert (tmp_path / REGISTER_NAME).read_bytes() == b""


def test_a_foreign_register_is_refused(tmp_path: Path) -> None:
    (tmp_path / REGISTER_NAME).write_bytes(b"geen sqlite")
    result = status(str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith(f"FOUT: het register '{tmp_path / REGISTER_NAME}' ")
    assert (tmp_path / REGISTER_NAME).read_bytes() == b"geen sqlite"
