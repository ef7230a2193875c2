"""What the register does with each SMTP answer, against a real aiosmtpd server.

NOT_SENT (a 4xx) is tried again by the next run; REFUSED (a 5xx for the recipient) is
not, until the address changes; a refused sender (530) stops the run with exit code 3 and
marks nothing; a damaged or foreign register is refused before anything is sent.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.register.db import REGISTER_NAME
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.smtp_server import Recorder
from tests.workbooks import TODAY, Book

VICTIM = "sanne@voorbeeldstad.nl"


class Scripted(Recorder):
    """Answers from a script before the normal ones: per phase a queue of replies."""

    def __init__(self) -> None:
        super().__init__()
        self.mail: list[str] = []
        self.rcpt: dict[str, list[str]] = {}

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.mail:
            return self.mail.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        queue = self.rcpt.get(address)
        if queue:
            return queue.pop(0)
        return await super().handle_RCPT(server, session, envelope, address, options)


def _scripted(smtp: tuple[Recorder, int]) -> Scripted:
    recorder, _ = smtp
    scripted = Scripted()
    # The fixture's server calls the recorder's handlers: swap in the scripted ones.
    recorder.__class__ = Scripted
    recorder.__dict__.update(scripted.__dict__ | {"messages": recorder.messages})
    assert isinstance(recorder, Scripted)
    return recorder


def _outbox(tmp_path: Path, book: Book) -> Path:
    workbook = book.save(tmp_path / "werkboek.xlsx")
    result = generate(workbook, tmp_path / "out", TEMPLATES, today=TODAY, workers=1, mail=True)
    return result.target / "e-mail"


def send(folder: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["verstuur", str(folder), "--pauze", "0", "--echt", *extra])


def _address(book: Book) -> str:
    return str(book.get("Deelnemers", book.row_of("Deelnemers", personeelsnummer=10001), "email"))


def test_a_temporary_refusal_is_sent_by_the_next_run(tmp_path: Path, smtp: Any) -> None:
    server = _scripted(smtp)
    book = Book.valid()
    folder = _outbox(tmp_path, book)
    address = _address(book)
    server.rcpt[address] = ["451 4.3.0 Probeer later; te druk", "451 4.3.0 Probeer later"]
    first = send(folder)  # 10001 has two invitations: both answered 451
    assert first.exit_code == 1
    assert first.output.count("NIET VERSTUURD: " + address) == 2
    assert "11 verstuurd, 0 al eerder verstuurd, 0 geweigerd, 2 niet verstuurd" in first.output
    assert len(server.messages) == 11
    second = send(folder)
    assert second.exit_code == 0, second.output
    assert "2 verstuurd, 11 al eerder verstuurd, 0 geweigerd, 0 niet verstuurd" in second.output
    assert len(server.message_ids()) == len(server.messages) == 13


def test_a_refused_sender_stops_the_run_and_marks_nothing(tmp_path: Path, smtp: Any) -> None:
    server = _scripted(smtp)
    folder = _outbox(tmp_path, Book.valid())
    server.mail = ["530 5.7.0 Authentication required"]
    stopped = send(folder)
    assert stopped.exit_code == 3, stopped.output
    assert server.messages == []
    with sqlite3.connect(tmp_path / "out" / REGISTER_NAME) as db:
        assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    again = send(folder)
    assert again.exit_code == 0, again.output
    assert len(server.message_ids()) == 13


def test_a_refused_address_goes_again_only_once_it_is_fixed(tmp_path: Path, smtp: Any) -> None:
    server = _scripted(smtp)
    book = Book.valid()
    row = book.row_of("Deelnemers", personeelsnummer=10003)
    book.set("Deelnemers", row, "email", "weiger@voorbeeldstad.nl")
    folder = _outbox(tmp_path, book)
    assert send(folder).exit_code == 1
    assert "eerder geweigerd" in send(folder).output
    count = len(server.messages)
    book.set("Deelnemers", row, "email", "nieuw@voorbeeldstad.nl")
    folder = _outbox(tmp_path, book)
    fixed = send(folder)
    assert fixed.exit_code == 0, fixed.output
    assert len(server.messages) == count + 1  # only the fixed address's invitation
    assert "nieuw@voorbeeldstad.nl" in str(server.messages[-1][:2000])


def test_a_foreign_register_is_refused_and_nothing_is_sent(tmp_path: Path, smtp: Any) -> None:
    server = _scripted(smtp)
    folder = _outbox(tmp_path, Book.valid())
    register = tmp_path / "out" / REGISTER_NAME
    register.unlink()
    with sqlite3.connect(register) as db:
        db.execute("CREATE TABLE boekhouding(x)")
    result = send(folder)
    assert result.exit_code == 2
    assert (
        f"FOUT: het register '{register}' is geen register van intervisie-docs (een ander "
        "bestand); er is niets geschreven of verstuurd."
    ) in result.output
    assert server.messages == []


def test_a_damaged_register_stops_genereer_before_it_writes(tmp_path: Path) -> None:
    book = Book.valid()
    _outbox(tmp_path, book)
    register = tmp_path / "out" / REGISTER_NAME
    register.write_bytes(b"dit is geen database" * 100)
    before = sorted(p.name for p in (tmp_path / "out").rglob("*"))
    workbook = book.save(tmp_path / "werkboek.xlsx")
    result = CliRunner().invoke(
        main, ["genereer", str(workbook), "--uitvoer", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "is beschadigd of geen SQLite-database; er is niets geschreven of verstuurd" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == before


def test_an_uncertain_message_goes_again_only_with_ook_onzeker(tmp_path: Path, smtp: Any) -> None:
    from pipeline.mail.send import send_outbox
    from pipeline.mail.smtp import Server
    from tests.register.test_model import Killed, KilledSession

    server = _scripted(smtp)
    folder = _outbox(tmp_path, Book.valid())
    killed = KilledSession(Server("127.0.0.1", smtp[1], "starttls", None, None), 3, after=True)
    with pytest.raises(Killed):
        send_outbox(folder, tmp_path / "out" / REGISTER_NAME, killed, pause=0)
    assert len(server.messages) == 3  # the third arrived; the sender died before its answer
    careful = send(folder)
    assert careful.exit_code == 1
    assert careful.output.count("ONZEKER: ") == 1
    assert "10 verstuurd, 2 al eerder verstuurd, 0 geweigerd, 0 niet verstuurd" in careful.output
    assert len(server.messages) == 13
    asked = send(folder, "--ook-onzeker")
    assert asked.exit_code == 0, asked.output
    assert "1 verstuurd, 12 al eerder verstuurd" in asked.output
    assert len(server.messages) == 14
    assert send(folder).output.count("ONZEKER") == 0
