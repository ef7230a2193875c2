"""Send an outbox folder of .eml files over SMTP, each delivery at most once.

Which messages go is decided by the register (register/sends.py), not by the bytes of a
message: a delivery is (cycle, booking, recipient, content version, method). Per message
a 'bezig' row is committed, then the SMTP exchange (mail/smtp.py), then its result. A
kill between the server's 250 and that result leaves 'bezig': reported as uncertain and
not sent again unless asked (--ook-onzeker). Every message is checked against the
register before the first one goes: one the register never saw stops the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pipeline.errors import OutputError, SendError, describe_os_error, plural
from pipeline.mail.smtp import Reply, Result, SmtpSession
from pipeline.register import db, sends
from pipeline.register.sends import Known

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def default_register(outbox: Path) -> Path | None:
    """The register of the output folder the outbox is in ('<uitvoer>/<cyclusmap>/e-mail'),
    or None when the outbox is not in a cycle folder."""
    cycle = outbox.resolve().parent
    if (cycle / "manifest.json").is_file():
        return db.register_path(cycle.parent)
    return None


@dataclass
class SendReport:
    """What one run of `verstuur` did, per category the file names or details."""

    sent: list[str] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "recipient: reason (file)"
    uncertain: list[str] = field(default_factory=list)  # "file (recipient): why"
    not_sent: list[str] = field(default_factory=list)  # "recipient: reason (file)", retried
    outdated: list[str] = field(default_factory=list)  # a newer version was made since


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


def _unknown(register: Path, names: list[str]) -> OutputError:
    shown = ", ".join(f"'{n}'" for n in names[:5])
    rest = f" en nog {len(names) - 5}" if len(names) > 5 else ""
    return OutputError(
        f"{plural(len(names), 'bericht staat', 'berichten staan')} niet in het register "
        f"'{register}': {shown}{rest}. Het programma weet dus niet of ze al verstuurd zijn en "
        "gokt niet; er is niets verstuurd. Verstuur de e-mails uit de map e-mail van de "
        "uitvoermap waarin `genereer --mail` ze maakte (of geef met --register het register "
        "van die uitvoermap); komt de map van elders, maak de e-mails dan opnieuw met "
        "`intervisie genereer --mail`."
    )


def _plan(
    connection: sqlite3.Connection, register: Path, folder: Path
) -> list[tuple[Message, Known]]:
    """Every message of the outbox with what the register knows of it; refuses the lot
    when one is unknown."""
    found, unknown = [], []
    for message in read_outbox(folder):
        entry = sends.known(connection, message.message_id)
        if entry is None:
            unknown.append(message.path.name)
        else:
            found.append((message, entry))
    if unknown:
        raise _unknown(register, unknown)
    return found


def _skip(
    connection: sqlite3.Connection,
    message: Message,
    entry: Known,
    resend_uncertain: bool,
    outcome: SendReport,
) -> bool:
    """Whether the register says this message must not go now (and why, in `outcome`)."""
    name = message.path.name
    if entry.delivery.version < entry.latest:
        outcome.outdated.append(f"{name} ({message.recipient})")
        return True
    results = sends.history(connection, entry.delivery)
    if any(result == sends.SENT for result, _ in results):
        outcome.already.append(name)
        return True
    last = results[-1] if results else None
    if last is not None and last[0] == sends.REFUSED:
        outcome.refused.append(f"{message.recipient}: eerder geweigerd, {last[1]} ({name})")
        return True
    if last is not None and last[0] in (sends.BUSY, sends.UNCERTAIN) and not resend_uncertain:
        outcome.uncertain.append(
            f"{name} ({message.recipient}): de vorige verzending werd onderbroken"
        )
        return True
    return False


def send_outbox(
    folder: Path,
    register: Path,
    session: SmtpSession | None,
    *,
    pause: float = 1.0,
    resend_uncertain: bool = False,
    on_sent: Callable[[Message], None] | None = None,
) -> SendReport:
    """Send every message of `folder` the register says is due; `session` None is a dry
    run. `register` is the register file of the output folder that made the outbox."""
    outcome = SendReport()
    connection = db.connect(register, create=False)
    with closing(connection), session or contextlib.nullcontext():
        seen: set[sends.Delivery] = set()
        for message, entry in _plan(connection, register, folder):
            if entry.delivery in seen:  # the same delivery twice in the folder
                outcome.already.append(message.path.name)
                continue
            seen.add(entry.delivery)
            if _skip(connection, message, entry, resend_uncertain, outcome):
                continue
            if session is None:
                outcome.would_send.append(f"{message.path.name} -> {message.recipient}")
                continue
            if outcome.sent or outcome.refused or outcome.not_sent:
                time.sleep(pause)  # throttle: most servers limit messages per minute
            _send(connection, session, message, entry, outcome, resend_uncertain)
            if on_sent and outcome.sent and outcome.sent[-1] == message.path.name:
                on_sent(message)
    return outcome


def _send(
    connection: sqlite3.Connection,
    session: SmtpSession,
    message: Message,
    entry: Known,
    outcome: SendReport,
    resend_uncertain: bool,
) -> None:
    """One delivery: 'bezig' committed, the exchange, the result committed."""
    data = _read(message.path)
    attempt = sends.begin(
        connection, entry.delivery, message.message_id, message.path.name, resend_uncertain
    )
    if attempt is None:  # another sender took it meanwhile
        outcome.already.append(message.path.name)
        return
    try:
        reply = session.deliver(message.sender, [message.recipient], data, dt.datetime.now(dt.UTC))
    except SendError:  # a setting or connection problem: the message did not go
        sends.forget(connection, attempt)
        raise
    _record(connection, attempt, message, outcome, reply)


_RESULTS = {
    Result.SENT: sends.SENT,
    Result.REFUSED: sends.REFUSED,
    Result.NOT_SENT: sends.NOT_SENT,
    Result.UNCERTAIN: sends.UNCERTAIN,
}


def _record(
    connection: sqlite3.Connection,
    attempt: int,
    message: Message,
    outcome: SendReport,
    reply: Reply,
) -> None:
    """The reply in the register and the outcome: REFUSED is final until the address is
    fixed; NOT_SENT is tried again by the next run; UNCERTAIN is not."""
    sends.finish(connection, attempt, _RESULTS[reply.result], reply.code, reply.detail)
    name = message.path.name
    reason = f"{reply.code} {reply.detail}" if reply.code is not None else reply.detail
    if reply.result is Result.SENT:
        outcome.sent.append(name)
    elif reply.result is Result.REFUSED:
        outcome.refused.append(f"{message.recipient}: geweigerd: {reason} ({name})")
    elif reply.result is Result.NOT_SENT:
        outcome.not_sent.append(f"{message.recipient}: {reason} ({name})")
    else:
        outcome.uncertain.append(f"{name} ({message.recipient}): {reply.detail}")


def export_log(register: Path, target: Path) -> int:
    """Write every delivery attempt of the register as CSV to `target`; the number of
    attempts."""
    with closing(db.connect(register, create=False)) as connection:
        data = sends.log_csv(connection)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"kan '{target}' niet schrijven: {describe_os_error(exc)}") from None
    return data.count(b"\r\n") - 1
