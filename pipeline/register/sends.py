"""The send register: per delivery, never the same version of an invitation twice.

A delivery is (cycle, booking, recipient, content version, method REQUEST/CANCEL), not
the bytes of a message: a new letter date, a PDF instead of a .docx, other MIME
boundaries or an outbox copied to another folder are the same delivery. Each attempt is
one row, written in its own transaction before the SMTP exchange ('bezig') and updated in
another after it, so a kill at any moment leaves a consistent record: a 'bezig' row is a
message that may have arrived (treated as uncertain, never resent on our own).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.identity import BookingKey
from pipeline.publish.manifest import neutralise
from pipeline.register.db import transaction

BUSY = "bezig"
SENT = "verzonden"
REFUSED = "geweigerd"
NOT_SENT = "niet_verzonden"
UNCERTAIN = "onzeker"
RESULTS = frozenset({BUSY, SENT, REFUSED, NOT_SENT, UNCERTAIN})
LOG_HEADER = (
    "gestart", "klaar", "cyclus", "sessie", "personeelsnummer", "ontvanger", "versie",
    "methode", "message_id", "bestand", "resultaat", "code", "toelichting",
)  # fmt: skip


@dataclass(frozen=True)
class Delivery:
    """What makes two sends the same send."""

    cycle: int
    booking: BookingKey
    recipient: str
    version: int
    method: str


@dataclass(frozen=True)
class Known:
    """An outbox message the register knows (a `genereer --mail` run recorded it)."""

    delivery: Delivery
    message_id: str
    latest: int  # the booking's newest version among the messages made for it


def known(connection: sqlite3.Connection, message_id: str) -> Known | None:
    found = connection.execute(
        "SELECT cycle, sessie_key, nummer_key, recipient, version, method FROM messages "
        "WHERE message_id = ?",
        (message_id,),
    ).fetchone()
    if found is None:
        return None
    cycle, sessie, nummer, recipient, version, method = found
    latest = connection.execute(
        "SELECT max(version) FROM messages WHERE cycle = ? AND sessie_key = ? AND nummer_key = ?",
        (cycle, sessie, nummer),
    ).fetchone()[0]
    delivery = Delivery(cycle, BookingKey(sessie, nummer), recipient, version, method)
    return Known(delivery, message_id, int(latest))


_WHERE = (
    "cycle = ? AND sessie_key = ? AND nummer_key = ? AND recipient = ? AND version = ? "
    "AND method = ?"
)


def _values(delivery: Delivery) -> tuple[object, ...]:
    b = delivery.booking
    return (
        delivery.cycle, b.sessie, b.personeelsnummer, delivery.recipient, delivery.version,
        delivery.method,
    )  # fmt: skip


def history(connection: sqlite3.Connection, delivery: Delivery) -> list[tuple[str, str]]:
    """(result, detail) of every attempt of this delivery, oldest first."""
    return [
        (str(result), str(detail))
        for result, detail in connection.execute(
            f"SELECT result, detail FROM deliveries WHERE {_WHERE} ORDER BY id", _values(delivery)
        )
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def begin(
    connection: sqlite3.Connection,
    delivery: Delivery,
    message_id: str,
    file: str,
    resend_uncertain: bool = False,
) -> int | None:
    """The 'bezig' row, committed before the first byte goes to the server; None when
    the delivery is no longer due (checked again inside the write transaction, so two
    senders at once never both claim it)."""
    with transaction(connection):
        results = [result for result, _ in history(connection, delivery)]
        if SENT in results or (results and results[-1] == REFUSED):
            return None
        if results and results[-1] in (BUSY, UNCERTAIN) and not resend_uncertain:
            return None
        cursor = connection.execute(
            "INSERT INTO deliveries(cycle, sessie_key, nummer_key, recipient, version, method, "
            "message_id, file, started, result) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (*_values(delivery), message_id, file, _now(), BUSY),
        )
        return int(cursor.lastrowid or 0)


def finish(
    connection: sqlite3.Connection, attempt: int, result: str, code: int | None, detail: str
) -> None:
    with transaction(connection):
        connection.execute(
            "UPDATE deliveries SET finished = ?, result = ?, code = ?, detail = ? WHERE id = ?",
            (_now(), result, code, detail, attempt),
        )


def forget(connection: sqlite3.Connection, attempt: int) -> None:
    """An attempt that never reached the message (a setting problem): no record."""
    with transaction(connection):
        connection.execute("DELETE FROM deliveries WHERE id = ? AND result = ?", (attempt, BUSY))


def _log_rows(connection: sqlite3.Connection) -> Iterator[tuple[object, ...]]:
    yield from connection.execute(
        "SELECT d.started, coalesce(d.finished, ''), c.name, coalesce(m.sessie, d.sessie_key), "
        "coalesce(m.nummer, d.nummer_key), d.recipient, d.version, d.method, d.message_id, "
        "d.file, d.result, coalesce(d.code, ''), d.detail FROM deliveries d "
        "JOIN cycles c ON c.id = d.cycle LEFT JOIN ("
        "  SELECT cycle, sessie_key, nummer_key, max(sessie) AS sessie, max(nummer) AS nummer"
        "  FROM documents GROUP BY cycle, sessie_key, nummer_key"
        ") m ON m.cycle = d.cycle AND m.sessie_key = d.sessie_key AND m.nummer_key = d.nummer_key"
        " ORDER BY d.id"
    )


def log_csv(connection: sqlite3.Connection) -> bytes:
    """Every attempt as a CSV for Excel (BOM, semicolons): an export, never read back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(LOG_HEADER)
    for row in _log_rows(connection):
        writer.writerow(neutralise(str(value)) for value in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = [
    "BUSY",
    "NOT_SENT",
    "REFUSED",
    "SENT",
    "UNCERTAIN",
    "Delivery",
    "Known",
    "begin",
    "finish",
    "forget",
    "history",
    "known",
    "log_csv",
]
