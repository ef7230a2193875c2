"""E-mail messages (.eml) with the standard library: one per invitation or cancellation.

A message is plain text with an HTML alternative, the letter (PDF when there is one,
else .docx) and the calendar file attached. Everything in it comes from the data: the
Date header, the MIME boundaries and the Message-ID (a hash of the message itself), so
the same input gives the same bytes, and a changed message gets a new Message-ID (the
send ledger then knows it has not been sent yet).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from pipeline.mail.calendar import ZONE

MESSAGE_ID_DOMAIN = "intervisie-docs"
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
    local, _, domain = email.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _html(paragraphs: tuple[str, ...]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family: Calibri, Arial, sans-serif; font-size: 11pt">\n{body}\n'
        "</body></html>\n"
    )


def build(mail: Mail) -> bytes:
    """The message as bytes (CRLF line ends, ready for SMTP and for Outlook/Thunderbird)."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = _address(mail.sender_name, mail.sender_email)
    message["To"] = _address(mail.recipient_name, mail.recipient_email)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.date.replace(tzinfo=ZONE))
    message["Content-Language"] = "nl"
    message.set_content("\n\n".join(mail.paragraphs) + "\n")
    message.add_alternative(_html(mail.paragraphs), subtype="html")
    if mail.letter is not None:
        suffix = mail.letter.filename[mail.letter.filename.rfind(".") :].lower()
        maintype, subtype = _MEDIA.get(suffix, ("application", "octet-stream"))
        message.add_attachment(
            mail.letter.data, maintype=maintype, subtype=subtype, filename=mail.letter.filename
        )
    message.add_attachment(
        mail.calendar,
        maintype="text",
        subtype="calendar",
        params={"method": mail.calendar_method, "charset": "utf-8"},
        filename="afzegging.ics" if mail.calendar_method == "CANCEL" else "uitnodiging.ics",
    )
    # Random boundaries would make every run's bytes differ; '=_' never occurs in
    # base64 or quoted-printable text, so these cannot clash with the content.
    slot = hashlib.sha256(mail.key.encode()).hexdigest()[:24]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_intervisie_{slot}_{number}")
    digest = hashlib.sha256(message.as_bytes()).hexdigest()[:32]
    message["Message-ID"] = f"<{digest}@{MESSAGE_ID_DOMAIN}>"
    return message.as_bytes()
