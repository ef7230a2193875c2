"""Old CSV send logs (`<uitvoer>/<cyclusmap>.verzendlog.csv`), taken over once: the
format of the versions before the register, or an export of a register (`verstuur --log`).

Every line is read on its own: a line that cannot be read (a stray quote, a half-written
line, a spreadsheet's commas) but names a Message-ID counts as *uncertain*, so such a
message is never sent again on our own. The log is imported once (by its sha256) and
never written again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import sqlite3
from pathlib import Path

from pipeline.register import sends

LEDGER_SUFFIX = ".verzendlog.csv"
_OLD_HEADER = ("tijd", "message_id", "ontvanger", "sha256", "bestand", "resultaat", "toelichting")
_OLD_RESULTS = {
    "bezig": sends.BUSY,
    "verzonden": sends.SENT,
    "geweigerd": sends.REFUSED,
    "fout": sends.NOT_SENT,
    "onzeker": sends.UNCERTAIN,
}
_MESSAGE_ID = re.compile(r"<[^<>\s;,\"]+@[^<>\s;,\"]+>")


def old_ledger(output_root: Path, folder: str) -> Path:
    return output_root / f"{folder}{LEDGER_SUFFIX}"


def _line_result(line: str) -> tuple[str, str, str, str] | None:
    """(time, message_id, result, detail) of a well-formed old log line."""
    try:
        values = next(csv.reader([line], delimiter=";"))
    except (csv.Error, StopIteration):
        return None
    if len(values) == len(sends.LOG_HEADER):  # an export of the register (verstuur --log)
        if values[10] not in sends.RESULTS or not _MESSAGE_ID.fullmatch(values[8]):
            return None
        return values[0], values[8], values[10], values[12]
    if len(values) != len(_OLD_HEADER) or values[5] not in _OLD_RESULTS:
        return None
    if not _MESSAGE_ID.fullmatch(values[1]):
        return None
    return values[0], values[1], _OLD_RESULTS[values[5]], values[6]


def import_ledger(connection: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """Take over an old CSV send log once; (lines taken over, damaged lines counted as
    uncertain). Lines whose Message-ID the register does not know are left out."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0, 0
    digest = hashlib.sha256(data).hexdigest()
    if connection.execute("SELECT 1 FROM imports WHERE sha256 = ?", (digest,)).fetchone():
        return 0, 0
    taken = damaged = 0
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.strip() or line.lstrip("\ufeff").startswith(("tijd;", "gestart;")):
            continue
        parsed = _line_result(line)
        if parsed is None:
            ids = _MESSAGE_ID.findall(line)
            if not ids:
                continue
            moment = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            parsed_all = [
                (moment, m, sends.UNCERTAIN, "onleesbare regel in het oude verzendlog") for m in ids
            ]
            damaged += 1
        else:
            parsed_all = [parsed]
        for moment, message_id, result, detail in parsed_all:
            known = sends.known(connection, message_id)
            if known is None:
                continue
            d = known.delivery
            connection.execute(
                "INSERT INTO deliveries(cycle, sessie_key, nummer_key, recipient, version, "
                "method, message_id, file, started, finished, detail, result) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    d.cycle,
                    d.booking.sessie,
                    d.booking.personeelsnummer,
                    d.recipient,
                    d.version,
                    d.method,
                    message_id,
                    path.name,
                    moment,
                    moment,
                    detail,
                    result,
                ),
            )
            taken += 1
    connection.execute("INSERT INTO imports VALUES (?,?,?,?)", (digest, str(path), taken, damaged))
    return taken, damaged


__all__ = ["import_ledger", "old_ledger"]
