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

import base64
import contextlib
import datetime as dt
import hmac
import re
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from enum import Enum
from functools import partial
from types import TracebackType
from typing import Any

import idna

from pipeline.errors import SendError, SendSettingsError
from pipeline.mail.calendar import ZONE
from pipeline.mail.outbox import UNSENT_HEADER

# Login or authorisation problems, wherever they are answered.
LOGIN_CODES = frozenset({530, 534, 535, 538})
MAX_LINE = 998  # octets per line without CRLF (RFC 5322 2.1.1)
_USER_HINT = (
    "controleer --gebruiker (INTERVISIE_SMTP_GEBRUIKER) en het wachtwoord "
    "(INTERVISIE_SMTP_WACHTWOORD)"
)


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


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # "starttls", "smtps" or "geen" (127.0.0.1 only)
    user: str | None
    password: str | None
    timeout: float = 60.0


class _Utf8Login:
    """smtplib encodes user name and password as ASCII; RFC 4954 (PLAIN, LOGIN) takes
    UTF-8, so a password with an é works."""

    user: str
    password: str
    _auth_challenge_count: int

    def auth(
        self,
        mechanism: str,
        authobject: Callable[..., str | None],
        *,
        initial_response_ok: bool = True,
    ) -> tuple[int, bytes]:
        smtp: Any = self
        mechanism = mechanism.upper()
        if mechanism == "CRAM-MD5":
            authobject = self._cram_md5
        initial = authobject() if initial_response_ok else None
        if initial is not None:
            code, resp = smtp.docmd("AUTH", f"{mechanism} {_b64(initial)}")
            self._auth_challenge_count = 1
        else:
            code, resp = smtp.docmd("AUTH", mechanism)
            self._auth_challenge_count = 0
        while code == 334:
            self._auth_challenge_count += 1
            if self._auth_challenge_count > 5:
                raise smtplib.SMTPException("de server blijft om aanmeldgegevens vragen")
            answer = authobject(base64.decodebytes(resp))
            code, resp = smtp.docmd(_b64(answer or ""))
        if code in (235, 503):
            return code, resp
        raise smtplib.SMTPAuthenticationError(code, resp)

    def _cram_md5(self, challenge: bytes | None = None) -> str | None:
        if challenge is None:
            return None
        digest = hmac.HMAC(self.password.encode("utf-8"), challenge, "md5").hexdigest()
        return f"{self.user} {digest}"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class _SMTP(_Utf8Login, smtplib.SMTP):
    pass


class _SMTPS(_Utf8Login, smtplib.SMTP_SSL):
    pass


def _open(server: Server) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP | None = None
    try:
        if server.security == "smtps":
            smtp = _SMTPS(server.host, server.port, timeout=server.timeout, context=context)
        else:
            smtp = _SMTP(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                smtp.starttls(context=context)
        if server.user:
            smtp.ehlo_or_helo_if_needed()
            if not smtp.has_extn("auth"):
                raise SendSettingsError(
                    f"de server {server.host} biedt geen aanmelding aan (geen AUTH); "
                    "laat --gebruiker weg of controleer --server en --beveiliging"
                )
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
    except smtplib.SMTPAuthenticationError as exc:
        raise _login_error(server, exc.smtp_code, exc.smtp_error) from None
    except smtplib.SMTPNotSupportedError:
        raise SendSettingsError(
            f"de server {server.host} ondersteunt STARTTLS niet; controleer --beveiliging"
        ) from None
    except ssl.SSLError as exc:
        raise SendError(
            f"geen veilige verbinding met {server.host}: het certificaat klopt niet ({exc.reason})"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"kan geen verbinding maken met {server.host}:{server.port} ({exc})"
        ) from None


def _text(text: bytes | str) -> str:
    """The server's text on one line."""
    decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join(decoded.split())


def _login_error(server: Server, code: int, text: bytes | str) -> SendError:
    answer = f"{code} {_text(text)}"
    if code == 538:
        return SendSettingsError(
            f"de server {server.host} wil een versleutelde verbinding voor de aanmelding "
            f"({answer}); controleer --beveiliging (starttls of smtps)"
        )
    if code == 534:
        return SendSettingsError(
            f"de server {server.host} staat deze manier van aanmelden niet toe ({answer}); "
            "controleer of het account aanmelden met een wachtwoord toestaat "
            "(bij sommige diensten een app-wachtwoord)"
        )
    if code == 530 and not server.user:
        return SendSettingsError(
            f"de server {server.host} vraagt om een aanmelding ({answer}); {_USER_HINT}"
        )
    if 400 <= code < 500:
        return SendError(
            f"de server {server.host} kan de aanmelding nu niet verwerken ({answer}); "
            "probeer het later opnieuw"
        )
    return SendSettingsError(
        f"de server {server.host} weigert de aanmelding van '{server.user}' ({answer}); "
        f"{_USER_HINT}"
    )


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
            smtp.send(re.sub(rb"(?m)^\.", b"..", data) + b"\r\n.\r\n")
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
                f"({_text(str(exc))}); het kan zijn aangekomen",
            )
        if 200 <= code < 300:
            return Reply(Result.SENT, code, _text(text))
        if code < 0:  # an answer that is no SMTP reply
            self._drop()
            detail = f"onleesbaar antwoord van de server na het bericht: {_text(text)}"
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
            raise _login_error(self.server, code, text)
        if code == 421 or code < 0:
            self._drop()  # the server closes the connection; the next message reopens it
        result = Result.REFUSED if code >= 500 else Result.NOT_SENT
        return Reply(result, code if code > 0 else None, _text(text))

    def _sender_refused(self, sender: str, code: int, text: bytes) -> Reply:
        if code >= 500 or code in LOGIN_CODES:
            self._reset()
            if code in LOGIN_CODES:
                raise _login_error(self.server, code, text)
            user = f" en of '{self.server.user}' daarmee mag versturen" if self.server.user else ""
            raise SendSettingsError(
                f"de server {self.server.host} weigert het afzendadres {sender} "
                f"({code} {_text(text)}); controleer contact_email op blad Organisatie{user}"
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


def _broken(when: str, exc: BaseException) -> str:
    return (
        f"de verbinding met de server werd verbroken {when} ({_text(str(exc))}); "
        "de server heeft het niet aangenomen"
    )
