"""Send an outbox folder of .eml files over SMTP, at most once per message.

Per message: a 'bezig' line in the ledger (fsync'd), the SMTP transaction, then the
result line. The one window nothing can close is between the server's 250 and our
result line: a crash there leaves 'bezig', and such a message is reported as uncertain
and not sent again unless asked (see ledger.py). What a server reply means (sent,
refused, not sent, uncertain, or a setting that stops the run) is decided in smtp.py;
refusals and temporary failures are per message, the rest still goes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pipeline.errors import IntervisieError, OutputError, describe_os_error
from pipeline.mail.ledger import BUSY, FAILED, REFUSED, SENT, UNCERTAIN, Entry, Ledger
from pipeline.mail.smtp import Reply, Result, SmtpSession

LEDGER_SUFFIX = ".verzendlog.csv"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def default_ledger(outbox: Path) -> Path:
    """Outside the cycle folder, which every run replaces: '<uitvoer>/<cyclus>.verzendlog.csv'
    for an outbox in a cycle folder, else 'verzendlog.csv' in the outbox itself."""
    cycle = outbox.resolve().parent
    if (cycle / "manifest.json").is_file():
        return cycle.with_name(cycle.name + LEDGER_SUFFIX)
    return outbox / "verzendlog.csv"


@dataclass
class SendReport:
    """What one run of `verstuur` did, per category the file names or details."""

    sent: list[str] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "recipient: reason (file)"
    uncertain: list[str] = field(default_factory=list)  # "file (recipient): why"
    not_sent: list[str] = field(default_factory=list)  # "recipient: reason (file)", retried


@dataclass(frozen=True)
class Message:
    path: Path
    message_id: str
    sender: str
    recipient: str
    sha256: str


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OutputError(f"kan '{path}' niet lezen: {describe_os_error(exc)}") from None


def read_outbox(folder: Path) -> Iterator[Message]:
    parser = BytesParser(policy=policy.SMTP)
    for path in sorted(folder.glob("*.eml")):
        data = _read(path)
        headers = parser.parsebytes(data, headersonly=True)
        try:
            message_id = str(headers.get("Message-ID", "")).strip()
            [to], [sender] = headers["To"].addresses, headers["From"].addresses
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            message_id = ""
        head = data.partition(b"\r\n\r\n")[0]
        recipient = _literal(head, "To", to.addr_spec) if message_id else None
        from_ = _literal(head, "From", sender.addr_spec) if message_id else None
        if recipient is None or from_ is None:
            raise OutputError(
                f"'{path.name}' is geen bericht van `genereer --mail`: Message-ID, From of To "
                "ontbreekt of klopt niet; er is niets verstuurd"
            )
        yield Message(path, message_id, from_, recipient, hashlib.sha256(data).hexdigest())


_ADDR_SPEC = re.compile(r"[^\s\"<>()@,;:\\\[\]]+@[^\s\"<>()@,;:\\\[\]]+")
_UNFOLD = re.compile(rb"\r?\n[ \t]")


def _literal(head: bytes, name: str, address: str) -> str | None:
    """The envelope address only when it stands in the raw header as written (inside <>
    or alone): never an address that appears only after decoding an encoded word such as
    '=?utf-8?q?jan=40elders.nl?='. UTF-8 headers (SMTPUTF8) are read as UTF-8."""
    try:
        text = address.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return None
    field = re.search(rb"(?im)^" + name.encode() + rb":(.*(?:\r?\n[ \t].*)*)", head)
    if field is None or not _ADDR_SPEC.fullmatch(text):
        return None
    value = _UNFOLD.sub(b" ", field.group(1)).strip()
    raw = text.encode("utf-8")
    return text if value == raw or b"<" + raw + b">" in value else None


def send_outbox(
    folder: Path,
    ledger_path: Path,
    session: SmtpSession | None,
    *,
    pause: float = 1.0,
    resend_uncertain: bool = False,
    on_sent: Callable[[Message], None] | None = None,
) -> SendReport:
    """Send every message of `folder` not sent before; `session` None is a dry run."""
    outcome = SendReport()
    with Ledger(ledger_path) as ledger, session or contextlib.nullcontext():
        earlier = ledger.last_results()
        seen: set[str] = set()
        # Every message is checked before the first one goes.
        for message in list(read_outbox(folder)):
            name = message.path.name
            if message.message_id in seen:  # the same message twice in the folder
                outcome.already.append(name)
                continue
            seen.add(message.message_id)
            before = earlier.get(message.message_id)
            if before is not None and before.result == SENT:
                outcome.already.append(name)
                continue
            if before is not None and before.result == REFUSED:
                outcome.refused.append(f"{message.recipient}: eerder geweigerd, {before.detail}")
                continue
            if before is not None and before.result in (BUSY, UNCERTAIN) and not resend_uncertain:
                outcome.uncertain.append(
                    f"{name} ({message.recipient}): de vorige verzending werd onderbroken"
                )
                continue
            if session is None:
                outcome.would_send.append(f"{name} -> {message.recipient}")
                continue
            if outcome.sent or outcome.refused or outcome.not_sent:
                time.sleep(pause)  # throttle: most servers limit messages per minute
            entry = Entry(message.message_id, message.recipient, message.sha256, name, BUSY)
            data = _read(message.path)
            if hashlib.sha256(data).hexdigest() != message.sha256:
                raise OutputError(f"'{name}' is tijdens het versturen veranderd")
            ledger.record(entry)
            # --- SMTP exchange (h16s): one deliver, its Result mapped onto the CSV ledger ---
            try:
                reply = session.deliver(
                    message.sender, [message.recipient], data, dt.datetime.now(dt.UTC)
                )
            except IntervisieError as exc:  # a setting or connection problem: it did not go
                ledger.record(_with(entry, FAILED, f"niet verzonden: {exc}"))
                raise
            _record(ledger, entry, outcome, reply)
            if reply.result is Result.SENT and on_sent:
                on_sent(message)
            # --- end of the SMTP exchange ---
    return outcome


def _with(entry: Entry, result: str, detail: str = "") -> Entry:
    return Entry(entry.message_id, entry.recipient, entry.sha256, entry.filename, result, detail)


def _record(ledger: Ledger, entry: Entry, outcome: SendReport, reply: Reply) -> None:
    """The reply in the ledger and the outcome: REFUSED is final until the address is
    fixed; NOT_SENT ('fout') is tried again by the next run; UNCERTAIN is not."""
    reason = f"{reply.code} {reply.detail}" if reply.code is not None else reply.detail
    where = f"{entry.recipient}: {reason} ({entry.filename})"
    if reply.result is Result.SENT:
        ledger.record(_with(entry, SENT))
        outcome.sent.append(entry.filename)
    elif reply.result is Result.REFUSED:
        ledger.record(_with(entry, REFUSED, reason))
        outcome.refused.append(f"{entry.recipient}: geweigerd: {reason} ({entry.filename})")
    elif reply.result is Result.NOT_SENT:
        ledger.record(_with(entry, FAILED, reason))
        outcome.not_sent.append(where)
    else:
        ledger.record(_with(entry, UNCERTAIN, reason))
        outcome.uncertain.append(f"{entry.filename} ({entry.recipient}): {reply.detail}")
