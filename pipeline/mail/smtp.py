"""One message over SMTP, and what the server's answer means for it.

The exchange is done command by command (MAIL FROM, RCPT TO, DATA, the message, the
final reply) so that every failure is known to have happened before or after the server
could have accepted the message:

- a 2xx answer to the end of DATA: SENT;
- a 5xx for a recipient (at RCPT or DATA): REFUSED, until the address is fixed;
- a 4xx anywhere, a 421, or a connection that broke before the last byte of the message
  went out: NOT_SENT, the server never took it; safe to try again;
- the whole message went out but no answer came: UNCERTAIN, it may have arrived;
- the server refuses the login or the sender (530/534/535/538, or 5xx at MAIL FROM): a
  setting problem, SendSettingsError; nothing is decided about the message.

A connection the server closed (421, a dropped connection) is opened again for the next
message; a reused connection that turns out dead at MAIL FROM is reopened once for the
same message, since nothing of it was sent yet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from enum import Enum
from functools import partial
from types import TracebackType

import idna

from pipeline.errors import SendSettingsError
from pipeline.mail.calendar import ZONE
from pipeline.mail.connection import LOGIN_CODES, Server, connect, login_error, one_line
from pipeline.mail.outbox import UNSENT_HEADER

__all__ = ["Reply", "Result", "Server", "SmtpSession", "connect", "envelope_address", "prepared"]

MAX_LINE = 998  # octets per line without CRLF (RFC 5322 2.1.1)


class Result(Enum):
    SENT = "verzonden"  # the server answered 2xx to the end of DATA
    REFUSED = "geweigerd"  # per-recipient 5xx: permanent until the address is fixed
    NOT_SENT = "niet_verzonden"  # 4xx, or the connection broke before the end of DATA
    UNCERTAIN = "onzeker"  # the message went out completely but no answer came


@dataclass(frozen=True)
class Reply:
    result: Result
    code: int | None  # the SMTP code, None when there was none
    detail: str  # the server's text on one line, or a Dutch description


def envelope_address(address: str) -> str:
    """The address as it goes into MAIL FROM / RCPT TO: an internationalised domain in
    its ASCII form (IDNA 2008, 'xn--'); the local part as it is. ValueError when the
    domain cannot be written in ASCII."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(address)
    if not domain.isascii():
        domain = idna.encode(domain, uts46=True).decode("ascii")
    return f"{local}@{domain}"


_LINE_END = re.compile(rb"\r?\n")


def prepared(message: bytes, now: dt.datetime) -> bytes:
    """What goes over the wire: CRLF line ends, the Outlook draft marker (X-Unsent)
    removed, and Date set to `now`, the moment of sending (a letter dated next month
    must not arrive with that date)."""
    data = _LINE_END.sub(b"\r\n", message)
    head, separator, body = data.partition(b"\r\n\r\n")
    fields: list[list[bytes]] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1].append(line)  # a folded continuation of the field before
        else:
            fields.append([line])
    date = b"Date: " + format_datetime(now.astimezone(ZONE)).encode("ascii")
    kept: list[bytes] = []
    dated = False
    for field in fields:
        name = field[0].split(b":", 1)[0].strip().lower()
        if name == UNSENT_HEADER.lower().encode():
            continue
        if name == b"date":
            if not dated:
                kept.append(date)
                dated = True
            continue
        kept.extend(field)
    if not dated:
        kept.insert(0, date)
    return b"\r\n".join(kept) + separator + body


def _too_long(data: bytes) -> int | None:
    """The number of the first line longer than SMTP allows, if any."""
    for number, line in enumerate(data.split(b"\r\n"), start=1):
        if len(line) > MAX_LINE:
            return number
    return None


class SmtpSession:
    """`with SmtpSession(server) as session: session.deliver(...)`. Connects at the first
    message, reconnects after a closed or broken connection, says QUIT at the end."""

    def __init__(self, server: Server, opener: Callable[[], smtplib.SMTP] | None = None) -> None:
        self.server = server
        self._opener = opener or (lambda: connect(server))
        self._smtp: smtplib.SMTP | None = None
        self._used = False  # the open connection already carried a transaction

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp.close()
        self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None

    def _connection(self) -> tuple[smtplib.SMTP, bool]:
        """The connection and whether it already carried a transaction."""
        if self._smtp is None:
            self._smtp = self._opener()
            self._used = False
        return self._smtp, self._used

    def deliver(
        self, sender: str, recipients: Sequence[str], message: bytes, now: dt.datetime
    ) -> Reply:
        """Send `message` (outbox bytes) as `prepared(message, now)`. All recipients or
        none: the first recipient the server does not take decides the reply. Raises
        SendError (SendSettingsError for the login or the sender); the message was then
        not sent."""
        data = prepared(message, now)
        long_line = _too_long(data)
        if long_line is not None:
            return Reply(
                Result.REFUSED,
                None,
                f"regel {long_line} van het bericht is langer dan {MAX_LINE} tekens; "
                "een mailserver neemt zo'n bericht niet aan",
            )
        try:
            envelope_sender = envelope_address(sender)
        except ValueError:
            raise SendSettingsError(
                f"het afzendadres '{sender}' kan niet in een envelop; controleer contact_email "
                "op blad Organisatie"
            ) from None
        envelope: list[str] = []
        for recipient in recipients:
            try:
                envelope.append(envelope_address(recipient))
            except ValueError:
                return Reply(
                    Result.REFUSED,
                    None,
                    f"het domein van '{recipient}' is geen geldige internationale domeinnaam",
                )
        return self._attempt(envelope_sender, envelope, data, retry=True)

    def _attempt(self, sender: str, recipients: list[str], data: bytes, retry: bool) -> Reply:
        smtp, used = self._connection()
        utf8 = not (sender.isascii() and all(r.isascii() for r in recipients))
        try:
            smtp.ehlo_or_helo_if_needed()
            if utf8 and not smtp.has_extn("smtputf8"):
                return self._no_utf8(sender, recipients)
            smtp.command_encoding = "ascii"
            code, text = smtp.mail(sender, ["SMTPUTF8"] if utf8 else [])
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            if used and retry:  # closed while idle: nothing of this message was sent
                return self._attempt(sender, recipients, data, retry=False)
            return Reply(Result.NOT_SENT, None, _broken("vóór het bericht", exc))
        self._used = True
        if code == 421 and used and retry:
            self._drop()
            return self._attempt(sender, recipients, data, retry=False)
        if not 200 <= code < 300:
            return self._sender_refused(sender, code, text)
        for recipient in recipients:
            reply = self._command(partial(smtp.rcpt, recipient), "vóór het bericht")
            if reply is not None:
                self._reset()
                return reply
        reply = self._command(lambda: _expect_354(smtp), "vóór het bericht")
        if reply is not None:
            self._reset()
            return reply
        try:
            smtp.send(_dotted(data))
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Reply(Result.NOT_SENT, None, _broken("tijdens het bericht", exc))
        try:
            code, text = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Reply(
                Result.UNCERTAIN,
                None,
                "het bericht is helemaal verstuurd, maar de server gaf geen antwoord "
                f"({one_line(str(exc))}); het kan zijn aangekomen",
            )
        if 200 <= code < 300:
            return Reply(Result.SENT, code, one_line(text))
        if code < 0:  # an answer that is no SMTP reply
            self._drop()
            detail = f"onleesbaar antwoord van de server na het bericht: {one_line(text)}"
            return Reply(Result.UNCERTAIN, None, detail)
        return self._classified(code, text)

    def _command(self, command: Callable[[], tuple[int, bytes]], when: str) -> Reply | None:
        """None when the server took it; else what it means for the message."""
        try:
            code, text = command()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Reply(Result.NOT_SENT, None, _broken(when, exc))
        if 200 <= code < 400:
            return None
        return self._classified(code, text)

    def _classified(self, code: int, text: bytes) -> Reply:
        if code in LOGIN_CODES:
            self._reset()
            raise login_error(self.server, code, text)
        if code == 421 or code < 0:
            self._drop()  # the server closes the connection; the next message reopens it
        result = Result.REFUSED if code >= 500 else Result.NOT_SENT
        return Reply(result, code if code > 0 else None, one_line(text))

    def _sender_refused(self, sender: str, code: int, text: bytes) -> Reply:
        if code >= 500 or code in LOGIN_CODES:
            self._reset()
            if code in LOGIN_CODES:
                raise login_error(self.server, code, text)
            user = f" en of '{self.server.user}' daarmee mag versturen" if self.server.user else ""
            raise SendSettingsError(
                f"de server {self.server.host} weigert het afzendadres {sender} "
                f"({code} {one_line(text)}); controleer contact_email op blad Organisatie{user}"
            )
        return self._classified(code, text)

    def _no_utf8(self, sender: str, recipients: list[str]) -> Reply:
        if not sender.split("@")[0].isascii():
            raise SendSettingsError(
                f"het afzendadres {sender} heeft tekens buiten ASCII vóór de @ en de server "
                f"{self.server.host} ondersteunt dat niet (geen SMTPUTF8); kies een ander "
                "contact_email op blad Organisatie"
            )
        address = next(r for r in recipients if not r.isascii())
        return Reply(
            Result.REFUSED,
            None,
            f"het adres {address} heeft tekens buiten ASCII vóór de @ en de server "
            f"{self.server.host} ondersteunt dat niet (geen SMTPUTF8); niet verstuurd, "
            "vraag de ontvanger om een ander adres",
        )

    def _reset(self) -> None:
        """End a transaction that did not lead to a message; a dead connection is dropped."""
        if self._smtp is None:
            return
        try:
            code, _ = self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            code = -1
        if code != 250:
            self._drop()


def _expect_354(smtp: smtplib.SMTP) -> tuple[int, bytes]:
    code, text = smtp.docmd("DATA")
    if code == 354:
        return 250, text  # go ahead: the message follows
    return code, text


def _dotted(data: bytes) -> bytes:
    """The message as DATA carries it: a leading dot doubled, ended by CRLF . CRLF."""
    quoted = re.sub(rb"(?m)^\.", b"..", data)
    return quoted + (b"" if quoted.endswith(b"\r\n") else b"\r\n") + b".\r\n"


def _broken(when: str, exc: BaseException) -> str:
    return (
        f"de verbinding met de server werd verbroken {when} ({one_line(str(exc))}); "
        "de server heeft het niet aangenomen"
    )
