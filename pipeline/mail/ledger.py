"""The send ledger: an append-only CSV, one line before and one after each attempt.

Every line is flushed and fsync'd before the program goes on, so after a crash, a kill
or Ctrl-C the ledger tells what happened. A message whose last line is 'bezig' was
being sent when the run stopped: the server may or may not have accepted it. We never
send it again on our own (an e-mail is never sent twice); `--ook-onzeker` does, after a
person checked that it did not arrive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import FILE_MODE, make_private_dirs

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; one sender at a time is then on the user
    fcntl = None  # type: ignore[assignment]

HEADER = ("tijd", "message_id", "ontvanger", "sha256", "bestand", "resultaat", "toelichting")
BUSY = "bezig"
SENT = "verzonden"
REFUSED = "geweigerd"  # permanently (5xx): not tried again
FAILED = "fout"  # temporarily (4xx): tried again next run
UNCERTAIN = "onzeker"  # the connection broke during the send


@dataclass(frozen=True)
class Entry:
    message_id: str
    recipient: str
    sha256: str
    filename: str
    result: str
    detail: str = ""


class Ledger:
    """`with Ledger(path) as ledger:` holds an exclusive lock for the whole send."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1

    def __enter__(self) -> Ledger:
        try:
            make_private_dirs(self.path.parent)
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise OutputError(
                f"kan het verzendlog '{self.path}' niet openen: {describe_os_error(exc)}"
            ) from None
        if fcntl is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self._fd)
                raise OutputError(
                    f"er loopt al een verzending met het verzendlog '{self.path}'"
                ) from None
        size = os.fstat(self._fd).st_size
        if size == 0:
            self._append(HEADER)
        elif os.pread(self._fd, 1, size - 1) != b"\n":
            # A run killed halfway through a line: end that line, so the next record
            # starts on its own line and is read correctly.
            self._write(b"\r\n")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        os.close(self._fd)  # closing releases the lock

    def _append(self, values: tuple[str, ...]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(values)
        self._write(buffer.getvalue().encode("utf-8"))

    def _write(self, data: bytes) -> None:
        try:
            os.write(self._fd, data)
            os.fsync(self._fd)
        except OSError as exc:
            raise OutputError(
                f"kan niet schrijven in het verzendlog '{self.path}': {describe_os_error(exc)}"
            ) from None

    def record(self, entry: Entry) -> None:
        moment = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._append(
            (
                moment,
                entry.message_id,
                entry.recipient,
                entry.sha256,
                entry.filename,
                entry.result,
                entry.detail,
            )
        )

    def last_results(self) -> dict[str, Entry]:
        """Per Message-ID the last line written for it."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise OutputError(
                f"kan het verzendlog '{self.path}' niet lezen: {describe_os_error(exc)}"
            ) from None
        results: dict[str, Entry] = {}
        for values in csv.reader(io.StringIO(text), delimiter=";"):
            if len(values) < len(HEADER) or tuple(values) == HEADER:
                continue  # a torn last line of a killed run is no record
            _, message_id, recipient, sha, filename, result, detail = values[: len(HEADER)]
            results[message_id] = Entry(message_id, recipient, sha, filename, result, detail)
        return results
