"""Reading the register (for `intervisie status` and people): per booking its latest
version, its deliveries and whether it was cancelled. Read only: the register is opened
read-only (db.read_only) and nothing is written, not even the upgrade of a register of an
older schema: every query here reads tables schema 1 already had, but for the letters'
routes (schema 3), which the caller then takes from where a register of before kept them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.identity import BookingKey, cycle_key
from pipeline.register.db import read_only, register_path, schema_version


@dataclass(frozen=True)
class Attempt:
    recipient: str
    version: int
    method: str  # REQUEST or CANCEL
    result: str  # bezig, verzonden, geweigerd, niet_verzonden, onzeker
    started: str
    code: int | None
    detail: str


@dataclass(frozen=True)
class BookingStatus:
    booking: BookingKey
    uid: str
    sequence: int  # the latest version (SEQUENCE) the register knows
    cancelled: bool  # the latest message made for it is a cancellation
    attempts: tuple[Attempt, ...]
    # (sessie, personeelsnummer) as HR last typed them ('AU-01', '004512'); None: the
    # register has no document of the booking, so only its compared form is known.
    typed: tuple[str, str] | None = None


@contextmanager
def _reading(output_root: Path) -> Iterator[sqlite3.Connection | None]:
    """The register of `output_root` opened read-only; None when there is none yet, or
    when it is empty (a run stopped before it made the tables)."""
    if not register_path(output_root).exists():
        yield None
        return
    with closing(read_only(register_path(output_root))) as connection:
        yield connection if schema_version(connection) else None


def cycle_status(output_root: Path, cycle: str) -> list[BookingStatus]:
    """Every booking of `cycle` the register knows, in (sessie, personeelsnummer) order;
    empty when the register or the cycle is unknown."""
    with _reading(output_root) as connection:
        if connection is None:
            return []
        found = connection.execute("SELECT id FROM cycles WHERE key = ?", (cycle_key(cycle),))
        row = found.fetchone()
        if row is None:
            return []
        cycle_id = row[0]
        latest = {
            BookingKey(s, n): (int(v), str(m))
            for s, n, v, m in connection.execute(
                "SELECT sessie_key, nummer_key, version, method FROM messages m WHERE cycle = ? "
                "AND version = (SELECT max(version) FROM messages WHERE cycle = m.cycle AND "
                "sessie_key = m.sessie_key AND nummer_key = m.nummer_key)",
                (cycle_id,),
            )
        }
        attempts: dict[BookingKey, list[Attempt]] = {}
        for s, n, *rest in connection.execute(
            "SELECT sessie_key, nummer_key, recipient, version, method, result, started, code, "
            "detail FROM deliveries WHERE cycle = ? ORDER BY id",
            (cycle_id,),
        ):
            attempts.setdefault(BookingKey(s, n), []).append(Attempt(*rest))
        typed = _typed(connection, cycle_id)
        result = []
        for s, n, uid, sequence in connection.execute(
            "SELECT sessie_key, nummer_key, uid, sequence FROM bookings WHERE cycle = ? "
            "ORDER BY sessie_key, nummer_key",
            (cycle_id,),
        ):
            key = BookingKey(s, n)
            version, method = latest.get(key, (int(sequence), "REQUEST"))
            result.append(
                BookingStatus(
                    key,
                    str(uid),
                    max(version, int(sequence)),
                    method == "CANCEL",
                    tuple(attempts.get(key, ())),
                    typed.get(key),
                )
            )
        return result


def _typed(connection: sqlite3.Connection, cycle: int) -> dict[BookingKey, tuple[str, str]]:
    """Per booking its ids as HR last typed them: from its documents (each row keeps them
    as last written), a current one before a row of what disappeared, the newest first
    (a run replaces the rows of the kinds it made)."""
    found: dict[BookingKey, tuple[str, str]] = {}
    for s, n, sessie, nummer in connection.execute(
        "SELECT sessie_key, nummer_key, sessie, nummer FROM documents"
        " WHERE cycle = ? AND sessie_key != '' ORDER BY vervallen DESC, rowid",
        (cycle,),
    ):
        found[BookingKey(s, n)] = (str(sessie), str(nummer))  # the last one counts
    return found


def cycle_names(output_root: Path) -> list[str]:
    """The names (as last written in the workbook) of every cycle the register knows, in
    the order they were first recorded; empty when there is no register yet."""
    with _reading(output_root) as connection:
        if connection is None:
            return []
        return [str(n) for (n,) in connection.execute("SELECT name FROM cycles ORDER BY id")]


def cycle_folder(output_root: Path, cycle: str) -> Path | None:
    """The cycle's folder of its last run (under `output_root`); None when unknown."""
    with _reading(output_root) as connection:
        if connection is None:
            return None
        found = connection.execute("SELECT folder FROM cycles WHERE key = ?", (cycle_key(cycle),))
        row = found.fetchone()
    return None if row is None else output_root / str(row[0])


def paper_routes(
    output_root: Path, cycle: str
) -> dict[tuple[str, BookingKey], tuple[str, bool]] | None:
    """Per letter in the cycle's folder, (soort, booking): how it goes on paper (per post
    or interne post) and whether it is in a print bundle. None when the register keeps no
    routes for the cycle: one of before schema 3 (read as it is), or a cycle whose letters
    were last made before (its last manifest.json then has them)."""
    with _reading(output_root) as connection:
        if connection is None or schema_version(connection) < 3:
            return None
        found = {
            (str(soort), BookingKey(s, n)): (str(how), bool(bundled))
            for soort, s, n, how, bundled in connection.execute(
                "SELECT r.soort, r.sessie_key, r.nummer_key, r.bezorging, r.afdrukbestand"
                " FROM routes r JOIN cycles c ON c.id = r.cycle WHERE c.key = ?",
                (cycle_key(cycle),),
            )
        }
    return found or None


def outbox_messages(output_root: Path, cycle: str) -> set[tuple[BookingKey, int, str]]:
    """(booking, version, method) of every outbox message a run wrote for `cycle`: what
    tells a message not sent yet from no e-mail at all."""
    with _reading(output_root) as connection:
        if connection is None:
            return set()
        return {
            (BookingKey(s, n), int(v), str(m))
            for s, n, v, m in connection.execute(
                "SELECT m.sessie_key, m.nummer_key, m.version, m.method FROM messages m "
                "JOIN cycles c ON c.id = m.cycle WHERE c.key = ?",
                (cycle_key(cycle),),
            )
        }


__all__ = [
    "Attempt",
    "BookingStatus",
    "cycle_folder",
    "cycle_names",
    "cycle_status",
    "outbox_messages",
    "paper_routes",
]
