"""The connection to the SMTP server: secured (STARTTLS or SMTPS), logged in with a
UTF-8 user name and password, and every refusal of the login in Dutch with the setting
to check."""

from __future__ import annotations

import base64
import hmac
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.errors import SendError, SendSettingsError

# Login or authorisation problems, wherever they are answered.
LOGIN_CODES = frozenset({530, 534, 535, 538})
_USER_HINT = (
    "controleer --gebruiker (INTERVISIE_SMTP_GEBRUIKER) en het wachtwoord "
    "(INTERVISIE_SMTP_WACHTWOORD)"
)


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
        raise login_error(server, exc.smtp_code, exc.smtp_error) from None
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


def one_line(text: bytes | str) -> str:
    """The server's text on one line."""
    decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join(decoded.split())


def login_error(server: Server, code: int, text: bytes | str) -> SendError:
    answer = f"{code} {one_line(text)}"
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
