"""E-mail messages (.eml) with the standard library: one per invitation or cancellation.

The structure is the one mail clients show as a meeting request (iMIP, RFC 6047, in the
form CalConnect's developer guide recommends from interoperability tests, and Gmail
sends):

    multipart/mixed
        multipart/alternative
            text/plain
            text/html
            text/calendar; method=REQUEST (or CANCEL)
        the letter (PDF when there is one, else .docx)
        application/ics, attachment uitnodiging.ics (afzegging.ics)

Outlook, Gmail and Apple Mail take the calendar part inside the alternative for
Accept/Decline; clients that only look at attachments find the .ics. Everything comes
from the data: the Date header, the MIME boundaries and the Message-ID (a hash of the
message itself, at the sender's mail domain), so the same input gives the same bytes,
and a changed message gets a new Message-ID.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import re
from base64 import encodebytes
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import idna

from pipeline.mail.calendar import ZONE

UNSENT_HEADER = "X-Unsent"
_MEDIA = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    sender_name: str
    sender_email: str
    recipient_name: str
    recipient_email: str
    subject: str
    paragraphs: tuple[str, ...]  # the body, one paragraph each
    letter: Attachment | None  # a cancellation without a letter has none
    calendar: bytes
    calendar_method: str  # REQUEST or CANCEL
    date: dt.datetime  # local (Amsterdam) time, from the data
    key: str  # stable per message slot, e.g. "cycle/session/person/uitnodiging"


def _address(name: str, email: str) -> Address:
    """An internationalised domain in its ASCII form (xn--), as every mail server and
    client reads it; a non-ASCII local part needs an SMTPUTF8 message (see build)."""
    local, _, domain = email.rpartition("@")
    if not domain.isascii():
        with contextlib.suppress(idna.IDNAError):
            domain = idna.encode(domain, uts46=True).decode("ascii")
    return Address(display_name=_display_name(name), username=local, domain=domain)


def _display_name(name: str) -> str:
    """The email library writes an ASCII word of a name unbroken, so a long one would make
    a header line longer than SMTP allows (998); an invisible zero-width space makes it
    write the name as encoded words, folded to short lines."""
    text = _literal(name)
    return text + "\u200b" if any(len(word) > 60 for word in text.split()) else text


def _literal(text: str) -> str:
    """The text as typed, never read as an encoded word: the email library decodes a name
    such as '=?utf-8?b?...?=' and can write the result as an address of its own. A
    zero-width space after '=' keeps it text (it is then sent encoded, and shows as typed)."""
    return text.replace("=?", "=\u200b?")


# A web link (http/https only) or an e-mail address in the text; the link ends before
# white space, quotes or angle brackets, and trailing punctuation is the sentence's.
_LINKS = re.compile(
    r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)])|(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def _linked(text: str) -> str:
    """One line as HTML: escaped, with its links and e-mail addresses as <a href>."""
    parts: list[str] = []
    done = 0
    for found in _LINKS.finditer(text):
        parts.append(html.escape(text[done : found.start()]))
        shown = found.group()
        href = shown if found.group("url") else f"mailto:{shown}"
        parts.append(f'<a href="{html.escape(href)}">{html.escape(shown)}</a>')
        done = found.end()
    parts.append(html.escape(text[done:]))
    return "".join(parts)


def _html(paragraphs: tuple[str, ...]) -> str:
    """The body as HTML: a <p> per paragraph, a <br> per line break within one."""
    body = "\n".join(
        "<p>" + "<br>\n".join(_linked(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family: Calibri, Arial, sans-serif; font-size: 11pt">\n{body}\n'
        "</body></html>\n"
    )


def message_id_domain(sender_email: str) -> str:
    """The sender's mail domain, as ASCII (IDNA) as a Message-ID needs it."""
    domain = sender_email.rpartition("@")[2].lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def _calendar_name(method: str) -> str:
    return "afzegging.ics" if method == "CANCEL" else "uitnodiging.ics"


def _calendar_part(data: bytes, method: str) -> EmailMessage:
    """The text/calendar part with its header as Outlook itself writes it: the method as
    a bare token (the email package would quote it), base64 so no line is touched."""
    head = f"Content-Type: text/calendar; method={method}; charset=utf-8\r\n"
    raw = head.encode() + b"Content-Transfer-Encoding: base64\r\n\r\n" + encodebytes(data)
    return message_from_bytes(raw, policy=policy.SMTP)


def build(mail: Mail) -> bytes:
    """The message as bytes (CRLF line ends, ready for SMTP and for Outlook/Thunderbird)."""
    # A local part such as josé@ cannot be written in an ASCII header (RFC 6532): such a
    # message has UTF-8 headers and goes only to a server that offers SMTPUTF8.
    ascii_only = all(
        a.rpartition("@")[0].isascii() for a in (mail.sender_email, mail.recipient_email)
    )
    message = EmailMessage(policy=policy.SMTP if ascii_only else policy.SMTPUTF8)
    message["From"] = _address(mail.sender_name, mail.sender_email)
    message["To"] = _address(mail.recipient_name, mail.recipient_email)
    message["Subject"] = _literal(mail.subject)
    message["Date"] = format_datetime(mail.date.replace(tzinfo=ZONE))
    message["Content-Language"] = "nl"
    # Outlook opens a message with this header as a draft with a Send button; the
    # sender strips it again before the message goes over SMTP.
    message[UNSENT_HEADER] = "1"
    message.set_content("\n\n".join(mail.paragraphs) + "\n")
    message.add_alternative(_html(mail.paragraphs), subtype="html")
    # The meeting request itself: the last (richest) alternative, inline.
    message.attach(_calendar_part(mail.calendar, mail.calendar_method))
    if mail.letter is not None:
        suffix = mail.letter.filename[mail.letter.filename.rfind(".") :].lower()
        maintype, subtype = _MEDIA.get(suffix, ("application", "octet-stream"))
        message.add_attachment(
            mail.letter.data, maintype=maintype, subtype=subtype, filename=mail.letter.filename
        )
    # The same calendar as a file, without a method, so no client handles it twice.
    message.add_attachment(
        mail.calendar,
        maintype="application",
        subtype="ics",
        params={"name": _calendar_name(mail.calendar_method)},
        filename=_calendar_name(mail.calendar_method),
    )
    # Random boundaries would make every run's bytes differ; '=_' never occurs in
    # base64 or quoted-printable text, so these cannot clash with the content.
    slot = hashlib.sha256(mail.key.encode()).hexdigest()[:24]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_intervisie_{slot}_{number}")
    digest = hashlib.sha256(message.as_bytes()).hexdigest()[:32]
    message["Message-ID"] = f"<{digest}@{message_id_domain(mail.sender_email)}>"
    return message.as_bytes()

