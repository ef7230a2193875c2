"""A random walk over a small workbook, with a fixed seed: edits, runs, HR edits, sends to
a real SMTP server that answers 451, 550 or 530 or whose sender is killed mid-send. After
every step the promises across runs must hold:

- no recipient receives the same (UID, METHOD, SEQUENCE) twice;
- the UID of a booking that stays never changes;
- a run cancels exactly the bookings that disappeared, no booked one;
- an HR edit is never replaced or removed without the run stopping and naming the file;
- the same input and register give byte-identical runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import icalendar
import pytest

from pipeline.documents.plan import Kind
from pipeline.errors import OutputError, SendError
from pipeline.identity import id_key
from pipeline.mail.send import send_outbox
from pipeline.mail.smtp import Server, SmtpSession
from pipeline.register.db import REGISTER_NAME
from pipeline.run import RunResult, generate
from tests.conftest import TEMPLATES
from tests.register.test_sending import Scripted, _scripted
from tests.workbooks import TODAY, Book

STEPS = 14
Booking = tuple[str, str]


class Killed(BaseException):
    """The sender process dies (kill -9) at this point."""


class KilledSession(SmtpSession):
    """Dies at the `at`-th message, before the exchange or after the server took it."""

    def __init__(self, server: Server, at: int, after: bool) -> None:
        super().__init__(server)
        self.at, self.after, self.count = at, after, 0

    def deliver(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        if self.count == self.at and not self.after:
            raise Killed
        reply = super().deliver(*args, **kwargs)
        if self.count == self.at:
            raise Killed
        return reply


class Walk:
    def __init__(self, tmp_path: Path, server: Scripted, port: int, seed: int) -> None:
        self.random = random.Random(seed)
        self.book = Book.valid()
        self.out = tmp_path / "out"
        self.workbook = tmp_path / "werkboek.xlsx"
        self.server, self.port = server, port
        self.uids: dict[Booking, str] = {}  # every booking's UID as first seen
        self.booked: set[Booking] = set()
        self.edited: Path | None = None
        self.last: RunResult | None = None
        self.removed: list[dict[str, Any]] = []

    # --- workbook edits ---------------------------------------------------------------

    def _session_row(self) -> int:
        rows = self.book.sheets["Sessies"].rows
        return self.book.sheets["Sessies"].first_row() + self.random.randrange(len(rows))

    def move(self) -> None:
        row = self._session_row()
        self.book.set("Sessies", row, "begintijd", dt.time(self.random.choice([9, 13, 15]), 0))

    def facilitator(self) -> None:
        row = self._session_row()
        self.book.set("Sessies", row, "begeleider", self.random.choice(["Anke de Wit", "Bo Li"]))

    def briefdatum(self) -> None:
        self.book.org("briefdatum", dt.date(2027, 1, self.random.randint(16, 28)))

    def capitals(self) -> None:
        self.book.org(
            "cyclus", self.random.choice(["INTERVISIE voorjaar 2027", "Intervisie Voorjaar 2027"])
        )

    def remove(self) -> None:
        rows = self.book.sheets["Indeling"].rows
        if len(rows) > 8:
            self.removed.append(rows.pop(self.random.randrange(len(rows))))

    def readd(self) -> None:
        if self.removed:
            self.book.sheets["Indeling"].rows.append(self.removed.pop())

    def swap(self) -> None:
        rows = self.book.sheets["Indeling"].rows
        first, second = self.random.sample(range(len(rows)), 2)
        a, b = rows[first], rows[second]
        pairs = {(r["sessie"], id_key(str(r["personeelsnummer"]))) for r in rows}
        swapped = {
            (b["sessie"], id_key(str(a["personeelsnummer"]))),
            (a["sessie"], id_key(str(b["personeelsnummer"]))),
        }
        if a["sessie"] != b["sessie"] and not (swapped & pairs):
            a["sessie"], b["sessie"] = b["sessie"], a["sessie"]

    def retype(self) -> None:
        """A personeelsnummer with leading zeros, as text (in both sheets)."""
        people = self.book.sheets["Deelnemers"].rows
        person = people[self.random.randrange(len(people))]
        old = person["personeelsnummer"]
        new = "0" * self.random.randint(0, 2) + str(int(str(old)))
        person["personeelsnummer"] = new
        for row in self.book.sheets["Indeling"].rows:
            if id_key(str(row["personeelsnummer"])) == id_key(str(old)):
                row["personeelsnummer"] = new
        for row in self.removed:
            if id_key(str(row["personeelsnummer"])) == id_key(str(old)):
                row["personeelsnummer"] = new

    # --- runs -----------------------------------------------------------------------------

    def _bookings(self, target: Path) -> dict[Booking, str]:
        record = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        found = {}
        for row in record["documenten"]:
            if row["soort"] == "agenda":
                data = (target / row["pad"]).read_bytes()
                event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
                found[(id_key(row["sessie"]), id_key(row["personeelsnummer"]))] = str(event["uid"])
        return found

    def _cancelled(self, result: RunResult) -> set[Booking]:
        return {
            (id_key(r.sessie), id_key(r.personeelsnummer))
            for r in result.rows
            if r.soort == "agenda-afzegging"
        }

    def genereer(self) -> None:
        options: dict[str, Any] = {"mail": True}
        if self.random.random() < 0.25:
            options["only_changes"] = True
        self.book.save(self.workbook)
        try:
            result = generate(self.workbook, self.out, TEMPLATES, today=TODAY, workers=1, **options)
        except OutputError as exc:
            assert self.edited is not None, str(exc)  # only an HR edit stops a run
            assert self.edited.name in str(exc)
            assert self.edited.read_bytes().endswith(b"HR-bewerking")
            self.edited.unlink()  # HR saves its version elsewhere and runs again
            self.edited = None
            return self.genereer()
        assert self.edited is None, "an HR edit was replaced without the run stopping"
        now = self._bookings(result.target)
        for booking, uid in now.items():  # a booking keeps its UID, whatever happened
            assert self.uids.setdefault(booking, uid) == uid, booking
        gone = self.booked - set(now)
        if self.last is not None and result.cycle_version != self.last.cycle_version:
            assert self._cancelled(result) == gone
        elif self.last is not None:  # nothing changed: the same run again, the same bytes
            assert gone == set() and self._cancelled(result) == self._cancelled(self.last)
        assert not (self._cancelled(result) & set(now))
        self.booked = set(now)
        self.last = result

    def soort(self) -> None:
        """A --soort syllabus run keeps the invitations as they are, edited or not."""
        if self.last is None:
            return
        before = self.edited.read_bytes() if self.edited else None
        self.book.save(self.workbook)
        try:
            generate(
                self.workbook, self.out, TEMPLATES, kinds=[Kind.SYLLABUS], today=TODAY, workers=1
            )
        except OutputError:
            return
        if self.edited is not None:
            assert self.edited.read_bytes() == before

    def hr_edit(self) -> None:
        if self.last is None or self.edited is not None:
            return
        letters = sorted((self.last.target / "uitnodigingen").glob("*.docx"))
        if letters:
            self.edited = self.random.choice(letters)
            self.edited.write_bytes(self.edited.read_bytes() + b"HR-bewerking")

    # --- sending ----------------------------------------------------------------------

    def send(self) -> None:
        if self.last is None:
            return
        fault = self.random.choice(["none", "451", "550", "530", "kill-before", "kill-after"])
        address = str(self.random.choice(self.book.sheets["Deelnemers"].rows)["email"])
        server = Server("127.0.0.1", self.port, "starttls", None, None)
        session: SmtpSession = SmtpSession(server)
        if fault == "451":
            self.server.rcpt[address] = ["451 4.3.0 Probeer later; druk"]
        elif fault == "550":
            self.server.rcpt[address] = ["550 5.1.1 Onbekend"]
        elif fault == "530":
            self.server.mail = ["530 5.7.0 Authentication required"]
        elif fault.startswith("kill"):
            session = KilledSession(server, self.random.randint(1, 4), fault == "kill-after")
        with contextlib.suppress(Killed, SendError):
            send_outbox(self.last.target / "e-mail", self.out / REGISTER_NAME, session, pause=0)
        self.server.mail.clear()
        self.server.rcpt.clear()

    # --- invariants ---------------------------------------------------------------------

    def check_received(self) -> None:
        seen: set[tuple[str, str, str, int]] = set()
        for data in self.server.messages:
            message = message_from_bytes(data, policy=policy.SMTP)
            part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
            ics = part.get_payload(decode=True)
            event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
            triple = (
                str(message["To"].addresses[0].addr_spec).casefold(),
                str(event["uid"]),
                str(part.get_param("method")),
                int(event["sequence"]),
            )
            assert triple not in seen, f"received twice: {triple}"
            seen.add(triple)


EDITS = ["move", "facilitator", "briefdatum", "capitals", "remove", "readd", "swap", "retype"]
ACTIONS = [*EDITS, "genereer", "genereer", "soort", "hr_edit", "send", "send", "send"]


@pytest.mark.parametrize("seed", [16])
def test_a_random_walk_keeps_every_promise(tmp_path: Path, smtp: Any, seed: int) -> None:
    server = _scripted(smtp)
    walk = Walk(tmp_path, server, smtp[1], seed)
    walk.genereer()
    walk.send()
    for _ in range(STEPS):
        getattr(walk, walk.random.choice(ACTIONS))()
        walk.check_received()
    if walk.edited is not None:
        walk.edited.unlink()
        walk.edited = None
    walk.genereer()
    walk.send()
    walk.check_received()
    # The same input and register: the same bytes.
    first = {
        p.relative_to(walk.out): p.read_bytes() for p in walk.last.target.rglob("*") if p.is_file()
    }
    again = generate(  # the same workbook file: saving it again would change its bytes
        walk.workbook, walk.out, TEMPLATES, today=TODAY, workers=1, mail=True
    )
    second = {
        p.relative_to(walk.out): p.read_bytes() for p in again.target.rglob("*") if p.is_file()
    }
    assert second == first
