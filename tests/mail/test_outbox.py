"""The e-mail outbox: one ready message per invitation, stable bytes and Message-ID."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from pipeline.mail import outbox
from pipeline.mail.mailing import Mailing
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY, Book

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _outbox(book: Book, out: Path) -> Path:
    workbook = book.save(out.parent / f"{out.name}.xlsx")
    return generate(workbook, out, TEMPLATES, today=TODAY, workers=1, mail=True).target / "e-mail"


def _read(path: Path) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(path.read_bytes(), policy=policy.SMTP))


def test_one_ready_message_per_invitation(tmp_path: Path) -> None:
    folder = _outbox(Book.valid(), tmp_path / "a")
    mails = sorted(folder.glob("*.eml"))
    assert len(mails) == 13
    message = _read(next(folder.glob("uitnodiging-lr-01-10001-*.eml")))
    assert str(message["From"]) == "Fatima el Amrani <hr@voorbeeldstad.nl>"
    assert str(message["To"]) == "Jan Jansen <jan@voorbeeldstad.nl>"
    assert message["X-Unsent"] == "1"  # Outlook opens it as a draft, ready to send
    assert message["Subject"] == "Uitnodiging intervisie Leerruimte op dinsdag 9 maart 2027"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("Geachte heer Jansen,")
    assert "dinsdag 9 maart 2027 van 14:00 - 15:00 uur, in Raadzaal" in text
    html = message.get_body(("html",))
    assert html is not None and "<p>Geachte heer Jansen,</p>" in html.get_content()
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    assert set(attachments) == {
        "uitnodiging-lr-01-10001-jansen-jan.docx",
        "uitnodiging.ics",
    }
    assert attachments["uitnodiging-lr-01-10001-jansen-jan.docx"].get_content_type() == DOCX
    calendar_file = attachments["uitnodiging.ics"]
    assert calendar_file.get_content_type() == "application/ics"
    assert b"METHOD:REQUEST" in calendar_file.get_payload(decode=True)
    assert str(message["Message-ID"]).endswith("@voorbeeldstad.nl>")
    # Without a postal address (internal post) the e-mail still goes.
    internal = _read(next(folder.glob("uitnodiging-iv-01-10012-*.eml")))
    assert str(internal["To"]) == "Iris de Boer <iris@voorbeeldstad.nl>"
    assert internal["Subject"] == "Uitnodiging intervisie op dinsdag 16 maart 2027"


def test_same_input_same_bytes_and_a_change_gives_a_new_message_id(tmp_path: Path) -> None:
    book = Book.valid()
    first = {p.name: p.read_bytes() for p in _outbox(book, tmp_path / "a").glob("*.eml")}
    second = {p.name: p.read_bytes() for p in _outbox(book, tmp_path / "b").glob("*.eml")}
    assert first == second
    book.set("Sessies", book.row_of("Sessies", sessie="AU-01"), "begintijd", "11:00")
    changed = _outbox(book, tmp_path / "c")
    ids_before = {
        n: _read(tmp_path / "a" / "intervisie-voorjaar-2027" / "e-mail" / n)["Message-ID"]
        for n in first
    }
    ids_after = {p.name: _read(p)["Message-ID"] for p in changed.glob("*.eml")}
    moved = {n for n in ids_before if ids_before[n] != ids_after[n]}
    assert moved == {n for n in first if n.startswith("uitnodiging-au-01-")}
    assert len(moved) == 4


def _mail(letter: outbox.Attachment | None) -> outbox.Mail:
    return outbox.Mail(
        "HR",
        "hr@example.nl",
        "Jan",
        "jan@example.nl",
        "Onderwerp",
        ("Beste Jan,", "Tekst"),
        letter,
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "CANCEL",
        dt.datetime(2027, 2, 1, 9),
        "k",
    )


def test_the_letter_goes_as_pdf_when_one_sits_next_to_the_docx(tmp_path: Path) -> None:
    (tmp_path / "brieven").mkdir()
    (tmp_path / "brieven" / "brief.docx").write_bytes(b"docx")
    staged: Any = SimpleNamespace(staging=tmp_path)
    mailing = cast(Any, Mailing.__new__(Mailing))
    mailing.staged = staged
    assert mailing._letter("brieven/brief.docx").filename == "brief.docx"
    (tmp_path / "brieven" / "brief.pdf").write_bytes(b"%PDF-1.7")
    chosen = mailing._letter("brieven/brief.docx")
    assert (chosen.filename, chosen.data) == ("brief.pdf", b"%PDF-1.7")
    message = message_from_bytes(outbox.build(_mail(chosen)), policy=policy.SMTP)
    parts = {
        p.get_filename(): p.get_content_type()
        for p in cast(EmailMessage, message).iter_attachments()
    }
    assert parts == {"brief.pdf": "application/pdf", "afzegging.ics": "application/ics"}


def test_a_cancellation_without_a_letter_carries_only_the_calendar() -> None:
    message = cast(EmailMessage, message_from_bytes(outbox.build(_mail(None)), policy=policy.SMTP))
    assert [p.get_filename() for p in message.iter_attachments()] == ["afzegging.ics"]
    assert str(message["Message-ID"]).endswith("@example.nl>")  # the sender's domain
