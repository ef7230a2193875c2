"""What a `genereer` run reads from and records in the register, per cycle.

Read before the run: the previous state for change detection (versions, content hashes,
what disappeared), the bytes the program wrote per file (edit detection), the calendar
UID per booking. Recorded in ONE transaction just before the run publishes its folder:
the new state, the files written, the UIDs and SEQUENCEs, the outbox messages. Written
hashes accumulate (every version the program wrote of a file counts as its own), so a
run killed between that transaction and the publication leaves both the old and the new
folder recognised as the program's, and the next run repeats the same versions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pipeline.identity import BookingKey, address_key, cycle_key, id_key
from pipeline.kinds import AGENDA as AGENDA_KIND
from pipeline.mail import calendar
from pipeline.publish.manifest import ManifestRow
from pipeline.register.changes import Comparison, Previous
from pipeline.register.db import connect, register_path, transaction
from pipeline.register.legacy_log import import_ledger

REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True)
class OutboxMessage:
    """One .eml of the outbox, as the send register knows it."""

    message_id: str
    booking: BookingKey
    recipient: str  # identity.address_key
    version: int  # the booking's SEQUENCE
    method: str  # REQUEST or CANCEL
    pad: str
    sha256: str


@dataclass
class CycleState:
    """The register's memory of one cycle; `known` False: never run with a register."""

    known: bool = False
    id: int | None = None
    previous: Previous | None = None
    written: dict[str, set[str]] = field(default_factory=dict)
    uids: dict[BookingKey, str] = field(default_factory=dict)
    letter_date: str | None = None  # ISO, as recorded
    # Per cycle version: the date its letters carry, and the workbook's own briefdatum
    # then (None: it gave none). Registers before schema 2 know the last run's date only.
    version_dates: dict[int, dt.date] = field(default_factory=dict)
    briefdatum: dt.date | None = None  # the workbook's own, when the last version was made
    # Per booking: the facts of its invitation's last version and of the version that one
    # replaced, as JSON (documents/facts.py); `replaced` None: it replaced none.
    letters: dict[BookingKey, tuple[str | None, str | None]] = field(default_factory=dict)


def _row(values: Sequence[object]) -> ManifestRow:
    soort, sessie, nummer, pad, inhoud, versie, gewijzigd_in = values
    return ManifestRow(
        str(soort),
        str(sessie),
        str(nummer),
        str(pad),
        "",
        str(inhoud),
        int(str(versie)),
        int(str(gewijzigd_in)),
    )


def read(output_root: Path, name: str) -> CycleState:
    """The cycle's state before a run; a register that does not exist yet is not made
    (a run that refuses leaves nothing behind), one that is not ours is refused."""
    if not register_path(output_root).exists():
        return CycleState()
    with closing(connect(register_path(output_root), create=False)) as connection:
        return load(connection, name)


def load(connection: sqlite3.Connection, name: str) -> CycleState:
    found = connection.execute(
        "SELECT id, version, letter_date FROM cycles WHERE key = ?", (cycle_key(name),)
    ).fetchone()
    if found is None:
        return CycleState()
    cycle, version, letter_date = found
    columns = "soort, sessie, nummer, pad, inhoud, versie, gewijzigd_in"
    query = f"SELECT {columns} FROM documents WHERE cycle = ? AND vervallen = ? ORDER BY rowid"
    rows = tuple(_row(r) for r in connection.execute(query, (cycle, 0)))
    gone = tuple(_row(r) for r in connection.execute(query, (cycle, 1)))
    written: dict[str, set[str]] = {}
    for pad, sha in connection.execute("SELECT pad, sha256 FROM written WHERE cycle = ?", (cycle,)):
        written.setdefault(pad, set()).add(sha)
    uids: dict[BookingKey, str] = {}
    letters: dict[BookingKey, tuple[str | None, str | None]] = {}
    for s, n, uid, facts, replaced in connection.execute(
        "SELECT sessie_key, nummer_key, uid, facts, replaced FROM bookings WHERE cycle = ?",
        (cycle,),
    ):
        uids[BookingKey(s, n)] = uid
        letters[BookingKey(s, n)] = (facts, replaced)
    dates: dict[int, dt.date] = {}
    briefdatum: dt.date | None = None
    for number, day, own in connection.execute(
        "SELECT version, letter_date, briefdatum FROM versions WHERE cycle = ? ORDER BY version",
        (cycle,),
    ):
        if day:
            dates[int(number)] = dt.date.fromisoformat(day)
        briefdatum = dt.date.fromisoformat(own) if own else None
    return CycleState(
        True,
        cycle,
        Previous(version, rows, gone),
        written,
        uids,
        str(letter_date),
        dates,
        briefdatum,
        letters,
    )


def _insert_documents(
    connection: sqlite3.Connection, cycle: int, rows: Iterable[ManifestRow], gone: int
) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                cycle,
                r.soort,
                id_key(r.sessie),
                id_key(r.personeelsnummer),
                r.sessie,
                r.personeelsnummer,
                r.pad,
                r.inhoud,
                r.versie,
                r.gewijzigd_in,
                gone,
            )
            for r in rows
        ),
    )


@dataclass(frozen=True)
class RunRecord:
    """What one run hands the register."""

    name: str
    folder: str
    letter_date: dt.date
    workbook_sha256: str
    comparison: Comparison
    kinds_made: frozenset[str]
    written: Sequence[ManifestRow]  # every file this run wrote (not those it kept)
    sequences: Mapping[BookingKey, tuple[str, int]]  # planned bookings: UID, SEQUENCE
    messages: Sequence[OutboxMessage]
    old_ledger: Path | None = None  # a CSV send log of before the register, to take over
    briefdatum: dt.date | None = None  # the workbook's own briefdatum, if it gives one
    # Planned bookings: the facts of their invitation and of the version it replaced.
    letters: Mapping[BookingKey, tuple[str, str | None]] = field(default_factory=dict)
    # Per letter the run made, (soort, booking): how it goes on paper (bezorging, in a
    # print bundle). None: the run made no letters (--soort), the recorded routes stand.
    routes: Mapping[tuple[str, BookingKey], tuple[str, bool]] | None = None


def record_run(output_root: Path, state: CycleState, run: RunRecord) -> None:
    """The run's state in one transaction (not one per row); the register is made here,
    at the end of a run that will publish, so a run that stops earlier leaves none."""
    with closing(connect(register_path(output_root))) as connection:
        _record(connection, state, run)


def _record(connection: sqlite3.Connection, state: CycleState, run: RunRecord) -> None:
    """The whole run in one transaction: the cycle and its version, the documents, what
    was written, the bookings' UIDs and letters, the outbox."""
    with transaction(connection):
        cycle = _cycle(connection, state, run)
        _documents(connection, cycle, run)
        _bookings(connection, cycle, run)
        _messages(connection, cycle, run.messages)
        _routes(connection, cycle, run.routes)
        if run.old_ledger is not None:
            import_ledger(connection, run.old_ledger)


def _cycle(connection: sqlite3.Connection, state: CycleState, run: RunRecord) -> int:
    """The cycle's row (made on its first run) and its version's; the cycle's id."""
    version = run.comparison.version
    letter_date = run.letter_date.isoformat()
    if state.id is None:
        cursor = connection.execute(
            "INSERT INTO cycles(key, name, folder, version, letter_date) VALUES (?,?,?,?,?)",
            (cycle_key(run.name), run.name, run.folder, version, letter_date),
        )
        state.id = int(cursor.lastrowid or 0)
    else:
        connection.execute(
            "UPDATE cycles SET name = ?, folder = ?, version = ?, letter_date = ? WHERE id = ?",
            (run.name, run.folder, version, letter_date, state.id),
        )
    connection.execute(
        "INSERT INTO versions(cycle, version, made, workbook_sha256, letter_date, briefdatum)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT(cycle, version) DO UPDATE SET"
        " letter_date = excluded.letter_date, briefdatum = excluded.briefdatum",
        (
            state.id,
            version,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            run.workbook_sha256,
            letter_date,
            run.briefdatum.isoformat() if run.briefdatum else None,
        ),
    )
    return state.id


def _documents(connection: sqlite3.Connection, cycle: int, run: RunRecord) -> None:
    """The kinds the run made replace their rows; what disappeared is the history; every
    file written is remembered by its bytes (edit detection)."""
    comparison = run.comparison
    made = sorted(run.kinds_made)
    marks = ",".join("?" * len(made))
    connection.execute(
        f"DELETE FROM documents WHERE cycle = ? AND vervallen = 0 AND soort IN ({marks})",
        (cycle, *made),
    )
    connection.execute("DELETE FROM documents WHERE cycle = ? AND vervallen = 1", (cycle,))
    _insert_documents(connection, cycle, (r for r in comparison.rows if r.inhoud), 0)
    _insert_documents(connection, cycle, comparison.gone, 1)
    connection.executemany(
        "INSERT OR IGNORE INTO written VALUES (?,?,?,?)",
        ((cycle, r.pad, r.sha256, comparison.version) for r in run.written if r.sha256),
    )


def _bookings(connection: sqlite3.Connection, cycle: int, run: RunRecord) -> None:
    """Per booking its calendar UID and SEQUENCE, and what its letters said."""
    connection.executemany(
        "INSERT INTO bookings(cycle, sessie_key, nummer_key, uid, sequence)"
        " VALUES (?,?,?,?,?) ON CONFLICT(cycle, sessie_key, nummer_key)"
        " DO UPDATE SET sequence = excluded.sequence",
        (
            (cycle, b.sessie, b.personeelsnummer, uid, sequence)
            for b, (uid, sequence) in run.sequences.items()
        ),
    )
    connection.executemany(
        "UPDATE bookings SET facts = ?, replaced = ?"
        " WHERE cycle = ? AND sessie_key = ? AND nummer_key = ?",
        (
            (facts, replaced, cycle, b.sessie, b.personeelsnummer)
            for b, (facts, replaced) in run.letters.items()
        ),
    )


def _messages(
    connection: sqlite3.Connection, cycle: int, messages: Sequence[OutboxMessage]
) -> None:
    connection.executemany(
        "INSERT OR IGNORE INTO messages VALUES (?,?,?,?,?,?,?,?,?)",
        (
            (
                m.message_id,
                cycle,
                m.booking.sessie,
                m.booking.personeelsnummer,
                m.recipient,
                m.version,
                m.method,
                m.pad,
                m.sha256,
            )
            for m in messages
        ),
    )


def _routes(
    connection: sqlite3.Connection,
    cycle: int,
    routes: Mapping[tuple[str, BookingKey], tuple[str, bool]] | None,
) -> None:
    """A run that made the letters replaces the cycle's routes: its letters are the
    ones in the folder now."""
    if routes is None:
        return
    connection.execute("DELETE FROM routes WHERE cycle = ?", (cycle,))
    connection.executemany(
        "INSERT INTO routes VALUES (?,?,?,?,?,?)",
        [
            (cycle, soort, b.sessie, b.personeelsnummer, how, int(bundled))
            for (soort, b), (how, bundled) in routes.items()
        ],
    )


def outbox_message(staging: Path, row: ManifestRow, version: int, method: str) -> OutboxMessage:
    """The register's entry for an .eml the run just wrote into `staging`."""
    data = (staging / row.pad).read_bytes()
    headers = BytesParser(policy=policy.SMTP).parsebytes(data, headersonly=True)
    recipient = headers["To"].addresses[0].addr_spec
    return OutboxMessage(
        str(headers["Message-ID"]).strip(),
        BookingKey.of(row.sessie, row.personeelsnummer),
        address_key(recipient.encode("utf-8", "surrogateescape").decode("utf-8", "replace")),
        version,
        method,
        row.pad,
        row.sha256,
    )


__all__ = [
    "CANCEL",
    "REQUEST",
    "CycleState",
    "OutboxMessage",
    "RunRecord",
    "load",
    "outbox_message",
    "read",
    "record_run",
    "run_messages",
    "seed_written",
    "uids_from_folder",
]


def uids_from_folder(target: Path, previous: Previous | None) -> dict[BookingKey, str]:
    """Migration: the UIDs of the calendar files a run before the register wrote, so the
    events already in people's calendars keep theirs."""
    found: dict[BookingKey, str] = {}
    for row in previous.rows if previous else ():
        if row.soort != AGENDA_KIND.value:
            continue
        try:
            event, _ = calendar.parse((target / row.pad).read_bytes())
        except (OSError, ValueError, KeyError, StopIteration, AttributeError):
            continue
        found[BookingKey.of(row.sessie, row.personeelsnummer)] = event.uid
    return found


def run_messages(
    staging: Path,
    invitations: Sequence[tuple[ManifestRow, ManifestRow]],
    cancellations: Sequence[tuple[ManifestRow, ManifestRow]],
) -> list[OutboxMessage]:
    """The outbox entries of a run: per invitation mail its calendar row (SEQUENCE = its
    version), per cancellation mail its METHOD:CANCEL file (SEQUENCE read from it)."""
    found = [outbox_message(staging, mail, ics.versie, REQUEST) for mail, ics in invitations]
    for mail, ics in cancellations:
        _, sequence = calendar.parse((staging / ics.pad).read_bytes())
        found.append(outbox_message(staging, mail, sequence, CANCEL))
    return found


def seed_written(previous: Previous | None) -> list[ManifestRow]:
    """Migration: the files the last run before the register listed count as its own."""
    if previous is None:
        return []
    return [row for row in previous.rows if row.sha256]
