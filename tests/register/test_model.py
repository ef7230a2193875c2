"""A random walk over a small workbook, with a fixed seed: edits, runs (full, and with
--soort), HR edits of an invitation or a syllabus, sends to a real SMTP server that
answers 451, 550 or 530, drops the connection (mid-session, between messages, or after
taking a message without answering) or whose sender is killed mid-send. After every
step the promises across runs must hold:

- no recipient receives the same (UID, METHOD, SEQUENCE) twice;
- the UID of a booking that stays never changes;
- a run cancels exactly the bookings that disappeared, no booked one;
- an HR edit is never replaced or removed without the run stopping and naming the file;
- a connection the server closed is never taken for a message that may have arrived;
- retyping only an id or the cycle name makes no new version and no new message at all;
- the same input and register give byte-identical runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import sqlite3
from collections import Counter
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
from tests.smtp_server import DROP
from tests.workbooks import TODAY, Book

STEPS = 28
Booking = tuple[str, str]
Received = tuple[str, str, str, int]  # recipient, UID, METHOD, SEQUENCE
# The --soort runs of the walk.
SOORTEN = [
    (Kind.SYLLABUS,),
    (Kind.UITNODIGING,),
    (Kind.DRAAIBOEK, Kind.VERVOLGADVIES),
    (Kind.UITNODIGING, Kind.SYLLABUS),
]
CYCLE_NAMES = [
    "Intervisie voorjaar 2027",
    "INTERVISIE voorjaar 2027",
    "Intervisie Voorjaar 2027",
    " intervisie  vóórjaar 2027 ",
]


class WalkServer(Scripted):
    """Also takes a message and then drops the connection without an answer (`lose`:
    after that many more messages), as a server whose reply is lost."""

    lose: int | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.lose is not None:
            if self.lose == 0:
                self.lose = None
                self.messages.append(envelope.content)
                server.transport.close()
                return "250 OK"  # never reaches the client: the connection is closed
            self.lose -= 1
        return await super().handle_DATA(server, session, envelope)


def _walk_server(smtp: Any) -> WalkServer:
    server = _scripted(smtp)
    server.__class__ = WalkServer
    assert isinstance(server, WalkServer)
    return server


def _received(data: bytes) -> Received:
    message = message_from_bytes(data, policy=policy.SMTP)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    ics = part.get_payload(decode=True)
    event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    return (
        str(message["To"].addresses[0].addr_spec).casefold(),
        str(event["uid"]),
        str(part.get_param("method")),
        int(event["sequence"]),
    )


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
    def __init__(self, tmp_path: Path, server: WalkServer, port: int, seed: int) -> None:
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
        # Per cycle version, the bookings cancelled in it (a run of the same version
        # makes the same cancellations again).
        self.cancelled_in: dict[int, set[Booking]] = {}
        self.faults: list[str] = []  # a shuffled deck, so every fault comes up
        self.fired: Counter[str] = Counter()  # faults the server or sender really met
        self.edits: Counter[str] = Counter()  # HR edits a run kept, or stopped for

    # --- workbook edits ---------------------------------------------------------------

    def _session_row(self) -> int:
        rows = self.book.sheets["Sessies"].rows
        return self.book.sheets["Sessies"].first_row() + self.random.randrange(len(rows))

    def move(self) -> None:
        row = self._session_row()
        self.book.set("Sessies", row, "begintijd", dt.time(self.random.choice([9, 13, 15]), 0))

    def reschedule(self) -> None:
        """A session to another hour than it has: its invitations change for sure."""
        row = self._session_row()
        hours = [9, 13, 15, 16]
        now = self.book.get("Sessies", row, "begintijd")
        hours = [h for h in hours if not (isinstance(now, dt.time) and now.hour == h)]
        self.book.set("Sessies", row, "begintijd", dt.time(self.random.choice(hours), 0))

    def facilitator(self) -> None:
        row = self._session_row()
        self.book.set("Sessies", row, "begeleider", self.random.choice(["Anke de Wit", "Bo Li"]))

    def briefdatum(self) -> None:
        self.book.org("briefdatum", dt.date(2027, 1, self.random.randint(16, 28)))

    def capitals(self) -> None:
        """The cycle name in other capitals, accents or spacing."""
        self.book.org("cyclus", self.random.choice(CYCLE_NAMES))

    def session_case(self) -> None:
        """A session code in other capitals (in Sessies, Indeling and what was removed)."""
        row = self._session_row()
        old = str(self.book.get("Sessies", row, "sessie"))
        new = old.swapcase() if self.random.random() < 0.5 else f" {old.lower()} "
        self.book.set("Sessies", row, "sessie", new)
        for booking in [*self.book.sheets["Indeling"].rows, *self.removed]:
            if id_key(str(booking["sessie"])) == id_key(old):
                booking["sessie"] = new

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
        pairs = {(id_key(r["sessie"]), id_key(str(r["personeelsnummer"]))) for r in rows}
        swapped = {
            (id_key(b["sessie"]), id_key(str(a["personeelsnummer"]))),
            (id_key(a["sessie"]), id_key(str(b["personeelsnummer"]))),
        }
        if id_key(a["sessie"]) != id_key(b["sessie"]) and not (swapped & pairs):
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

    def genereer(
        self, kinds: tuple[Kind, ...] | None = None, only_changes: bool | None = None
    ) -> None:
        """A run (`kinds`: with --soort), with --mail, and sometimes --alleen-wijzigingen."""
        invitations = kinds is None or Kind.UITNODIGING in kinds
        options: dict[str, Any] = {"mail": True}
        if only_changes is None:
            only_changes = self.random.random() < 0.25
        options["only_changes"] = only_changes
        if kinds is not None:
            options["kinds"] = list(kinds)
        kept = self.edited.read_bytes() if self.edited else None
        # Does this run make the kind HR edited (and so would replace the edit)?
        replaces = self.edited is not None and (
            kinds is None or any(k.folder == self.edited.parent.name for k in kinds)
        )
        self.book.save(self.workbook)
        try:
            result = generate(self.workbook, self.out, TEMPLATES, today=TODAY, workers=1, **options)
        except OutputError as exc:
            # Only an HR edit stops a run, and only one that would replace it.
            assert self.edited is not None and replaces, str(exc)
            assert self.edited.name in str(exc)
            assert self.edited.read_bytes() == kept
            self.edits["stopped"] += 1
            self.edited.unlink()  # HR saves its version elsewhere and runs again
            self.edited = None
            return self.genereer(kinds, only_changes)
        assert not replaces, "an HR edit was replaced without the run stopping"
        assert self.edited is None or self.edited.read_bytes() == kept  # kept as HR left it
        self.edits["kept"] += self.edited is not None
        version = result.cycle_version
        if not invitations:  # invitations, calendar and cancellations carried over
            assert self._bookings(result.target) == {b: self.uids[b] for b in self.booked}
            if self.last is None or version != self.last.cycle_version:
                self.cancelled_in[version] = set()
            self.last = result
            return
        now = self._bookings(result.target)
        for booking, uid in now.items():  # a booking keeps its UID, whatever happened
            assert self.uids.setdefault(booking, uid) == uid, booking
        gone = self.booked - set(now)
        made = self._cancelled(result)
        if self.last is None or version != self.last.cycle_version:
            assert made == gone  # exactly the bookings that disappeared
            self.cancelled_in[version] = made
        else:  # nothing changed: the same cancellations again (and the same bytes)
            assert gone == set()
            assert made == self.cancelled_in.get(version, set())
        assert not (made & set(now))
        self.booked = set(now)
        self.last = result

    def soort(self) -> None:
        """A --soort run: what it does not make stays as it is, an HR edit included."""
        if self.last is None:
            return
        self.genereer(self.random.choice(SOORTEN))

    def _outbox(self) -> set[Received]:
        assert self.last is not None
        return {_received(p.read_bytes()) for p in (self.last.target / "e-mail").glob("*.eml")}

    def retype_only(self) -> None:
        """Only the typing of an id or the cycle name changes: no new version, and no
        message that was not in the outbox before; sending after it sends none of it."""
        self.genereer(only_changes=False)
        assert self.last is not None
        version, outbox = self.last.cycle_version, self._outbox()
        retype = self.random.choice([self.retype, self.session_case, self.capitals])
        retype()
        self.genereer(only_changes=False)
        assert self.last.cycle_version == version, retype.__name__
        assert self._outbox() == outbox, retype.__name__
        sent = len(self.server.messages)
        self.send("none")
        assert {_received(m) for m in self.server.messages[sent:]} <= outbox

    def hr_edit(self, folder: str | None = None) -> None:
        """HR edits an invitation or a syllabus in Word."""
        if self.last is None or self.edited is not None:
            return
        folder = folder or self.random.choice([Kind.UITNODIGING.folder, Kind.SYLLABUS.folder])
        documents = sorted((self.last.target / folder).glob("*.docx"))
        if documents:
            self.edited = self.random.choice(documents)
            self.edited.write_bytes(self.edited.read_bytes() + b"HR-bewerking")

    # --- sending ----------------------------------------------------------------------

    def _uncertain(self) -> int:
        """Deliveries the register holds as possibly arrived ('bezig', 'onzeker')."""
        register = self.out / REGISTER_NAME
        with contextlib.closing(sqlite3.connect(register)) as db:
            query = "SELECT count(*) FROM deliveries WHERE result IN ('bezig', 'onzeker')"
            return int(db.execute(query).fetchone()[0])

    def send(self, fault: str | None = None) -> None:
        if self.last is None:
            return
        if fault is None:
            if not self.faults:
                self.faults = self.random.sample(FAULTS, len(FAULTS))
            fault = self.faults.pop()
        # A refusal for someone with a message still to go, if there is one.
        pending = sorted(self._outbox() - {_received(m) for m in self.server.messages})
        address = (
            self.random.choice(pending)[0]
            if pending
            else str(self.random.choice(self.book.sheets["Deelnemers"].rows)["email"])
        )
        server = Server("127.0.0.1", self.port, "starttls", None, None)
        session: SmtpSession = SmtpSession(server)
        at = [None] * self.random.randint(0, 2)  # the fault at the 1st, 2nd or 3rd message
        if fault == "451":
            self.server.rcpt[address] = ["451 4.3.0 Probeer later; druk"]
        elif fault == "550":
            self.server.rcpt[address] = ["550 5.1.1 Onbekend"]
        elif fault == "530":
            self.server.mail = ["530 5.7.0 Authentication required"]
        elif fault == "drop-rcpt":  # mid-session: closed before the message went
            self.server.script["RCPT"] = [*at, DROP]
        elif fault == "close-after":  # between messages: taken, then closed
            self.server.script["DATA"] = [*at, "!250 2.0.0 OK, tot ziens"]
        elif fault == "421-after":  # not taken, and closed
            self.server.script["DATA"] = [*at, "!421 4.3.2 Even weg"]
        elif fault == "lost-answer":  # taken, but the answer never came
            self.server.lose = len(at)
        elif fault == "kill":  # the sender dies before a message or after it went
            after = self.random.random() < 0.5
            session = KilledSession(server, self.random.randint(1, 3), after)
        uncertain = self._uncertain() if (self.out / REGISTER_NAME).exists() else 0
        received = len(self.server.messages)
        killed = False
        try:
            send_outbox(self.last.target / "e-mail", self.out / REGISTER_NAME, session, pause=0)
        except Killed:
            killed = True
        except SendError:
            pass
        scripted = self.server.script.get("RCPT") or self.server.script.get("DATA")
        met = {  # did the fault meet a message?
            "drop-rcpt": not scripted,
            "close-after": not scripted,
            "421-after": not scripted,
            "lost-answer": self.server.lose is None,
            "451": address not in self.server.rcpt or not self.server.rcpt[address],
            "550": address not in self.server.rcpt or not self.server.rcpt[address],
            "530": not self.server.mail,
            "kill": killed,
        }.get(fault, len(self.server.messages) > received)
        self.fired[fault] += met
        if fault in ("drop-rcpt", "close-after", "421-after"):
            # The server never saw the message, or closed between messages: not uncertain.
            assert self._uncertain() == uncertain, fault
        self.server.mail.clear()
        self.server.rcpt.clear()
        self.server.script.clear()
        self.server.lose = None

    # --- invariants ---------------------------------------------------------------------

    def check_received(self) -> None:
        seen: set[Received] = set()
        for data in self.server.messages:
            triple = _received(data)
            assert triple not in seen, f"received twice: {triple}"
            seen.add(triple)


EDITS = [
    "move",
    "facilitator",
    "briefdatum",
    "capitals",
    "session_case",
    "remove",
    "readd",
    "swap",
    "retype",
]
RUNS = ["genereer", "genereer", "soort", "soort", "retype_only"]
FAULTS = [
    "none",
    "451",
    "550",
    "530",
    "drop-rcpt",
    "close-after",
    "421-after",
    "lost-answer",
    "kill",
]
ACTIONS = [*EDITS, *RUNS, "hr_edit", *["send"] * 7]


@pytest.mark.parametrize("seed", [16])
def test_a_random_walk_keeps_every_promise(tmp_path: Path, smtp: Any, seed: int) -> None:
    server = _walk_server(smtp)
    walk = Walk(tmp_path, server, smtp[1], seed)
    walk.genereer()
    walk.send()
    # Every action once, in a random order, then random ones.
    steps = walk.random.sample(ACTIONS, len(ACTIONS))
    steps += [walk.random.choice(ACTIONS) for _ in range(STEPS - len(steps))]
    for step in steps:
        getattr(walk, step)()
        walk.check_received()
    # Then every fault once where it meets messages: a session moves, a run, a send.
    for fault in walk.random.sample(FAULTS, len(FAULTS)):
        walk.reschedule()
        walk.genereer()
        walk.send(fault)
        walk.check_received()
    assert {fault for fault, met in walk.fired.items() if met} == set(FAULTS), walk.fired
    # And HR edits met by runs that keep them and by runs that would replace them.
    for edited, kinds in [
        (Kind.UITNODIGING, (Kind.SYLLABUS,)),
        (Kind.SYLLABUS, (Kind.UITNODIGING,)),
        (Kind.UITNODIGING, (Kind.UITNODIGING,)),
        (Kind.SYLLABUS, None),
    ]:
        if walk.edited is not None:
            walk.genereer(only_changes=False)  # stops, HR saves the edit elsewhere
        walk.hr_edit(edited.folder)
        walk.genereer(kinds)
        walk.check_received()
    assert walk.edits["kept"] >= 2 and walk.edits["stopped"] >= 2, walk.edits
    if walk.edited is not None:
        walk.edited.unlink()
        walk.edited = None
    walk.genereer(only_changes=False)
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
