"""Send an outbox folder of .eml files over SMTP, at most once per message.

Per message: a 'bezig' line in the ledger (fsync'd), the SMTP transaction, then the
result line. The one window nothing can close is between the server's 250 and our
result line: a crash there leaves 'bezig', and such a message is reported as uncertain
and not sent again unless asked (see ledger.py). Refusals are per recipient; the rest
still goes.
"""

from __future__ import annotations

import contextlib
import hashlib
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pipeline.errors import OutputError, SendError, describe_os_error
from pipeline.mail.ledger import BUSY, FAILED, REFUSED, SENT, UNCERTAIN, Entry, Ledger
from pipeline.mail.outbox import for_sending

LEDGER_SUFFIX = ".verzendlog.csv"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # "starttls", "smtps" or "geen" (127.0.0.1 only)
    user: str | None
    password: str | None
    timeout: float = 60.0


def default_ledger(outbox: Path) -> Path:
    """Outside the cycle folder, which every run replaces: '<uitvoer>/<cyclus>.verzendlog.csv'
    for an outbox in a cycle folder, else 'verzendlog.csv' in the outbox itself."""
    cycle = outbox.resolve().parent
    if (cycle / "manifest.json").is_file():
        return cycle.with_name(cycle.name + LEDGER_SUFFIX)
    return outbox / "verzendlog.csv"


def _open(server: Server) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP | None = None
    try:
        if server.security == "smtps":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                smtp.starttls(context=context)
        if server.user:
            smtp.login(server.user, server.password or "")
        return smtp
    except BaseException:
        if smtp is not None:
            smtp.close()
        raise


def connect(server: Server) -> smtplib.SMTP:
    """An open, secured and logged-in connection; SendError in Dutch otherwise."""
    try:
        return _open(server)
    except smtplib.SMTPAuthenticationError:
        raise SendError(
            f"de server {server.host} weigert de aanmelding van '{server.user}'"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(f"de server {server.host} ondersteunt STARTTLS niet") from None
    except ssl.SSLError as exc:
        raise SendError(
            f"geen veilige verbinding met {server.host}: het certificaat klopt niet ({exc.reason})"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"kan geen verbinding maken met {server.host}:{server.port} ({exc})"
        ) from None


@dataclass
class SendReport:
    """What one run of `verstuur` did, per category the file names or details."""

    sent: list[str] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "recipient: reason (file)"
    uncertain: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped before the end


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
            to, sender = headers["To"].addresses[0], headers["From"].addresses[0]
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            message_id = ""
        if not message_id or "@" not in to.addr_spec or "@" not in sender.addr_spec:
            raise OutputError(
                f"'{path.name}' is geen bericht van `genereer --mail`: Message-ID, From of To "
                "ontbreekt of klopt niet; er is niets verstuurd"
            )
        yield Message(
            path, message_id, sender.addr_spec, to.addr_spec, hashlib.sha256(data).hexdigest()
        )


def _reason(code: int, text: bytes | str) -> str:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(detail.split())}"


def send_outbox(
    folder: Path,
    ledger_path: Path,
    open_connection: Callable[[], smtplib.SMTP] | None,
    *,
    pause: float = 1.0,
    resend_uncertain: bool = False,
    on_sent: Callable[[Message], None] | None = None,
) -> SendReport:
    """Send every message of `folder` not sent before; `open_connection` None is a dry run."""
    outcome = SendReport()
    smtp: smtplib.SMTP | None = None
    try:
        with Ledger(ledger_path) as ledger:
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
                    outcome.refused.append(
                        f"{message.recipient}: eerder geweigerd, {before.detail}"
                    )
                    continue
                if (
                    before is not None
                    and before.result in (BUSY, UNCERTAIN)
                    and not resend_uncertain
                ):
                    outcome.uncertain.append(f"{name} ({message.recipient})")
                    continue
                if open_connection is None:
                    outcome.would_send.append(f"{name} -> {message.recipient}")
                    continue
                if smtp is None:
                    smtp = open_connection()
                if outcome.sent or outcome.refused:
                    time.sleep(pause)  # throttle: most servers limit messages per minute
                entry = Entry(message.message_id, message.recipient, message.sha256, name, BUSY)
                data = _read(message.path)
                if hashlib.sha256(data).hexdigest() != message.sha256:
                    raise OutputError(f"'{name}' is tijdens het versturen veranderd")
                ledger.record(entry)
                try:
                    smtp.sendmail(message.sender, [message.recipient], for_sending(data))
                except smtplib.SMTPRecipientsRefused as exc:
                    code, text = next(iter(exc.recipients.values()))
                    _refused(ledger, entry, outcome, code, text)
                except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                    _refused(ledger, entry, outcome, exc.smtp_code, exc.smtp_error)
                except (OSError, smtplib.SMTPException) as exc:
                    ledger.record(_with(entry, UNCERTAIN, str(exc)))
                    outcome.uncertain.append(f"{name} ({message.recipient})")
                    outcome.stopped = f"de verbinding met de server is verbroken ({exc})"
                    break
                else:
                    ledger.record(_with(entry, SENT))
                    outcome.sent.append(name)
                    if on_sent:
                        on_sent(message)
    finally:
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
            smtp.close()
    return outcome


def _with(entry: Entry, result: str, detail: str = "") -> Entry:
    return Entry(entry.message_id, entry.recipient, entry.sha256, entry.filename, result, detail)


def _refused(
    ledger: Ledger, entry: Entry, outcome: SendReport, code: int, text: bytes | str
) -> None:
    """A refusal before the message was accepted: it did not go. 5xx is final; 4xx is
    temporary and tried again by the next run."""
    reason = _reason(code, text)
    ledger.record(_with(entry, REFUSED if code >= 500 else FAILED, reason))
    kind = "geweigerd" if code >= 500 else "tijdelijk geweigerd, volgende keer opnieuw"
    outcome.refused.append(f"{entry.recipient}: {kind}: {reason} ({entry.filename})")
