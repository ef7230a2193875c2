"""What each SMTP reply means for a message, against a real aiosmtpd server on 127.0.0.1
that answers 421/451/550/553/530 at chosen commands or drops the connection."""

from __future__ import annotations

import base64
import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.mail.send import Message, read_outbox
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.smtp_server import DROP, Recorder
from tests.workbooks import TODAY, Book

SMTP = tuple[Recorder, int]
LEDGER = "intervisie-voorjaar-2027.verzendlog.csv"
RETRY = "de server nam het bericht niet aan; de volgende keer wordt het opnieuw geprobeerd"


def _outbox(tmp_path: Path, book: Book | None = None) -> tuple[Path, list[Message]]:
    workbook = (book or Book.valid()).save(tmp_path / "werkboek.xlsx")
    result = generate(workbook, tmp_path / "out", TEMPLATES, today=TODAY, workers=1, mail=True)
    folder = result.target / "e-mail"
    return folder, list(read_outbox(folder))


def _send(folder: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["verstuur", str(folder), "--pauze", "0", "--echt", *extra])


def _ledger(tmp_path: Path) -> str:
    return (tmp_path / "out" / LEDGER).read_text(encoding="utf-8")


def _parsed(data: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(data, policy=policy.SMTP))


def test_received_bytes_are_dated_now_without_the_draft_marker(tmp_path: Path, smtp: SMTP) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    assert b"X-Unsent: 1\r\n" in messages[0].path.read_bytes()
    result = _send(folder)
    assert result.exit_code == 0, result.output
    now = dt.datetime.now(dt.UTC)
    for data in recorder.messages:
        assert b"X-Unsent" not in data
        dates = [line for line in data.split(b"\r\n\r\n")[0].split(b"\r\n") if b"Date:" in line]
        assert len(dates) == 1
        sent = parsedate_to_datetime(dates[0].split(b":", 1)[1].decode())
        assert abs(now - sent) < dt.timedelta(minutes=1)  # not the letter's date
    # Apart from Date and the draft marker the bytes are the outbox file's.
    original = messages[0].path.read_bytes()
    received = next(m for m in recorder.messages if messages[0].message_id.encode() in m)
    assert _without_date(received) == _without_date(original).replace(b"X-Unsent: 1\r\n", b"")


def _without_date(data: bytes) -> bytes:
    return b"\r\n".join(line for line in data.split(b"\r\n") if not line.startswith(b"Date:"))


def test_421_at_mail_from_is_not_sent_the_run_goes_on_and_the_next_run_sends_it(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    # The second message: 421 on the open connection and again on a new one.
    recorder.script["MAIL"] = [None, "421 4.3.2 Even niet", "421 4.3.2 Even niet"]
    first = _send(folder)
    second = messages[1]
    assert first.exit_code == 1
    assert (
        f"NIET VERSTUURD: {second.recipient}: 421 4.3.2 Even niet ({second.path.name}): {RETRY}"
        in first.output
    )
    assert "Klaar: 12 verstuurd, 0 al eerder verstuurd, 0 geweigerd, 1 niet verstuurd" in (
        first.output
    )
    assert "ONZEKER" not in first.output
    assert len(recorder.message_ids()) == 12
    again = _send(folder)
    assert again.exit_code == 0, again.output
    assert "Klaar: 1 verstuurd, 12 al eerder verstuurd" in again.output
    ids = recorder.message_ids()
    assert len(ids) == 13 and set(ids.values()) == {1}


def test_451_at_rcpt_keeps_the_connection_and_a_semicolon_in_the_reply_is_kept(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["RCPT"] = [None, None, "451 4.7.1 Greylisted; probeer het later"]
    first = _send(folder)
    third = messages[2]
    assert (
        f"NIET VERSTUURD: {third.recipient}: 451 4.7.1 Greylisted; probeer het later "
        f"({third.path.name}): {RETRY}"
    ) in first.output
    assert recorder.connections() == 1  # a temporary refusal does not end the connection
    assert ";fout;451 4.7.1 Greylisted; probeer het later" not in _ledger(tmp_path)
    assert '"451 4.7.1 Greylisted; probeer het later"' in _ledger(tmp_path)
    again = _send(folder)
    assert "Klaar: 1 verstuurd, 12 al eerder verstuurd" in again.output
    assert len(recorder.message_ids()) == 13


def test_421_after_the_message_reconnects_for_the_next(tmp_path: Path, smtp: SMTP) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["DATA"] = [None, None, "!421 4.7.0 Te veel berichten, tot straks"]
    first = _send(folder)
    third = messages[2]
    assert (
        f"NIET VERSTUURD: {third.recipient}: 421 4.7.0 Te veel berichten, tot straks "
        f"({third.path.name}): {RETRY}"
    ) in first.output
    assert "12 verstuurd" in first.output
    assert recorder.connections() == 2
    assert third.message_id not in recorder.message_ids()


def test_a_connection_the_server_closed_between_messages_is_opened_again(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, _ = _outbox(tmp_path)
    recorder.script["MAIL"] = [None, None, DROP]  # closed when the third one starts
    result = _send(folder)
    assert result.exit_code == 0, result.output
    assert "Klaar: 13 verstuurd, 0 al eerder verstuurd, 0 geweigerd, 0 niet verstuurd" in (
        result.output
    )
    assert recorder.connections() == 2
    ids = recorder.message_ids()
    assert len(ids) == 13 and set(ids.values()) == {1}


def test_a_connection_dropped_at_mail_from_on_a_new_connection_is_not_sent(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["MAIL"] = [DROP]  # the very first MAIL FROM: nothing to retry on
    result = _send(folder)
    first = messages[0]
    assert (
        f"NIET VERSTUURD: {first.recipient}: de verbinding met de server werd verbroken vóór "
        f"het bericht (Connection unexpectedly closed); de server heeft het niet aangenomen "
        f"({first.path.name}): {RETRY}"
    ) in result.output
    assert "12 verstuurd" in result.output
    again = _send(folder)
    assert "Klaar: 1 verstuurd, 12 al eerder verstuurd" in again.output


def test_no_answer_after_the_whole_message_is_uncertain_and_not_sent_again(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["DATA"] = [None, DROP]  # the server has the message, the sender no answer
    first = _send(folder)
    second = messages[1]
    assert first.exit_code == 1
    assert (
        f"ONZEKER: {second.path.name} ({second.recipient}): het bericht is helemaal verstuurd, "
        "maar de server gaf geen antwoord (Connection unexpectedly closed); het kan zijn "
        "aangekomen; niet opnieuw verstuurd (controleer bij de ontvanger, daarna eventueel "
        "--ook-onzeker)"
    ) in first.output
    assert "Klaar: 12 verstuurd, 0 al eerder verstuurd, 0 geweigerd, 0 niet verstuurd" in (
        first.output
    )
    again = _send(folder)
    assert f"ONZEKER: {second.path.name} ({second.recipient}): de vorige verzending" in (
        again.output
    )
    assert "Klaar: 0 verstuurd, 12 al eerder verstuurd" in again.output
    assert second.message_id not in recorder.message_ids()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            "530 5.7.0 Authentication required",
            "FOUT: de server 127.0.0.1 vraagt om een aanmelding "
            "(530 5.7.0 Authentication required); controleer --gebruiker "
            "(INTERVISIE_SMTP_GEBRUIKER) en het wachtwoord (INTERVISIE_SMTP_WACHTWOORD)\n",
        ),
        (
            "538 5.7.11 Encryption required for requested authentication mechanism",
            "FOUT: de server 127.0.0.1 wil een versleutelde verbinding voor de aanmelding "
            "(538 5.7.11 Encryption required for requested authentication mechanism); "
            "controleer --beveiliging (starttls of smtps)\n",
        ),
        (
            "553 5.7.1 Afzender niet toegestaan",
            "FOUT: de server 127.0.0.1 weigert het afzendadres hr@voorbeeldstad.nl "
            "(553 5.7.1 Afzender niet toegestaan); controleer contact_email op blad "
            "Organisatie\n",
        ),
        (
            "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
            "FOUT: de server 127.0.0.1 weigert het afzendadres hr@voorbeeldstad.nl "
            "(550 5.7.60 SMTP; Client does not have permissions to send as this sender); "
            "controleer contact_email op blad Organisatie\n",
        ),
    ],
)
def test_a_refused_sender_stops_the_run_as_a_setting_and_marks_nothing_refused(
    tmp_path: Path, smtp: SMTP, reply: str, message: str
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["MAIL"] = [None, None, reply]
    result = _send(folder)
    assert result.exit_code == 3
    assert result.output.endswith(message)
    assert len(recorder.messages) == 2
    assert ";geweigerd;" not in _ledger(tmp_path)
    assert f'{messages[2].path.name};fout;"niet verzonden: de server' in _ledger(tmp_path)
    fixed = _send(folder)  # the setting fixed: the other 11 go, the first two not again
    assert fixed.exit_code == 0, fixed.output
    assert "Klaar: 11 verstuurd, 2 al eerder verstuurd" in fixed.output
    ids = recorder.message_ids()
    assert len(ids) == 13 and set(ids.values()) == {1}


def test_a_refused_recipient_stays_refused_with_the_servers_text(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path)
    recorder.script["DATA"] = [None, "554 5.6.0 Inhoud geweigerd"]
    result = _send(folder)
    second = messages[1]
    assert (
        f"GEWEIGERD: {second.recipient}: geweigerd: 554 5.6.0 Inhoud geweigerd ({second.path.name})"
    ) in result.output
    assert "Klaar: 12 verstuurd, 0 al eerder verstuurd, 1 geweigerd" in result.output


def _book_with_email(address: str) -> Book:
    book = Book.valid()
    row = book.row_of("Deelnemers", personeelsnummer=10003)
    return book.set("Deelnemers", row, "email", address)


def test_an_internationalised_domain_goes_in_ascii_form(tmp_path: Path, smtp: SMTP) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path, _book_with_email("piet@gemeënte.nl"))
    ascii_form = "piet@" + "gemeënte.nl".encode("idna").decode()  # the stdlib's IDNA codec
    mine = [m for m in messages if m.recipient.startswith("piet@")]
    assert mine and all(m.recipient == ascii_form for m in mine)
    result = _send(folder)
    assert result.exit_code == 0, result.output
    envelopes = [e for e in recorder.envelopes if e.rcpt_tos[0].startswith("piet@")]
    assert [e.rcpt_tos for e in envelopes] == [(ascii_form,)] * len(mine)
    received = _parsed(recorder.messages[recorder.envelopes.index(envelopes[0])])
    assert received["To"].addresses[0].addr_spec == ascii_form


def test_a_non_ascii_local_part_is_refused_clearly_by_a_server_without_smtputf8(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    folder, messages = _outbox(tmp_path, _book_with_email("josé@voorbeeldstad.nl"))
    mine = [m for m in messages if m.recipient == "josé@voorbeeldstad.nl"]
    assert mine
    result = _send(folder)
    assert result.exit_code == 1, result.output
    for message in mine:
        assert (
            "GEWEIGERD: josé@voorbeeldstad.nl: geweigerd: het adres josé@voorbeeldstad.nl heeft "
            "tekens buiten ASCII vóór de @ en de server 127.0.0.1 ondersteunt dat niet (geen "
            "SMTPUTF8); niet verstuurd, vraag de ontvanger om een ander adres "
            f"({message.path.name})"
        ) in result.output
    assert len(recorder.messages) == 13 - len(mine)


def test_a_non_ascii_local_part_goes_with_smtputf8_when_the_server_offers_it(
    tmp_path: Path, smtp_ca: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.smtp_server import serving

    authority, pem = smtp_ca
    recorder = Recorder()
    folder, messages = _outbox(tmp_path, _book_with_email("josé@voorbeeldstad.nl"))
    mine = [m for m in messages if m.recipient == "josé@voorbeeldstad.nl"]
    with serving(recorder, authority, smtputf8=True) as port:
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))
        result = _send(folder, "--server", "127.0.0.1", "--poort", str(port))
    assert result.exit_code == 0, result.output
    envelopes = [e for e in recorder.envelopes if e.rcpt_tos == ("josé@voorbeeldstad.nl",)]
    assert len(envelopes) == len(mine) > 0
    assert all("SMTPUTF8" in e.mail_options for e in envelopes)
    others = [e for e in recorder.envelopes if e not in envelopes]
    assert others and all("SMTPUTF8" not in e.mail_options for e in others)
    data = recorder.messages[recorder.envelopes.index(envelopes[0])]
    head = data.split(b"\r\n\r\n")[0]
    assert "<josé@voorbeeldstad.nl>".encode() in head  # UTF-8 header, no encoded word


NOW = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)
PLAIN = (
    b"From: HR <hr@voorbeeldstad.nl>\r\nTo: Jan <jan@voorbeeldstad.nl>\r\nSubject: x\r\n"
    b"Date: Tue, 16 Feb 2027 09:00:00 +0100\r\nX-Unsent: 1\r\n"
    b"Message-ID: <1@voorbeeldstad.nl>\r\n\r\ntekst\r\n.begint met een punt\r\n"
)


def _session(port: int) -> Any:
    from pipeline.mail.smtp import Server, SmtpSession

    return SmtpSession(Server("127.0.0.1", port, "starttls", None, None, timeout=10))


@pytest.mark.parametrize(
    ("script", "result", "code", "detail"),
    [
        ({}, "SENT", 250, "OK"),
        ({"MAIL": ["451 4.3.0 Wachtrij vol"]}, "NOT_SENT", 451, "4.3.0 Wachtrij vol"),
        ({"RCPT": ["452 4.2.2 Mailbox vol"]}, "NOT_SENT", 452, "4.2.2 Mailbox vol"),
        ({"RCPT": ["550 5.1.1 Onbekend"]}, "REFUSED", 550, "5.1.1 Onbekend"),
        ({"DATA": ["451 4.7.1 Later"]}, "NOT_SENT", 451, "4.7.1 Later"),
        ({"DATA": ["554 5.6.0 Nee"]}, "REFUSED", 554, "5.6.0 Nee"),
        ({"DATA": ["!421 4.3.2 Weg"]}, "NOT_SENT", 421, "4.3.2 Weg"),
        ({"DATA": [DROP]}, "UNCERTAIN", None, None),
        ({"RCPT": [DROP]}, "NOT_SENT", None, None),
    ],
)
def test_deliver_classifies_each_reply(
    smtp: SMTP, script: dict[str, list[str | None]], result: str, code: int | None, detail: Any
) -> None:
    from pipeline.mail.smtp import Result

    recorder, port = smtp
    recorder.script = script
    with _session(port) as session:
        reply = session.deliver("hr@voorbeeldstad.nl", ["jan@voorbeeldstad.nl"], PLAIN, NOW)
        assert (reply.result, reply.code) == (Result[result], code)
        if detail is not None:
            assert reply.detail == detail
        after = session.deliver("hr@voorbeeldstad.nl", ["jan@voorbeeldstad.nl"], PLAIN, NOW)
        assert after.result is Result.SENT  # the session goes on, reconnecting when needed
    assert len(recorder.messages) == (2 if result == "SENT" else 1)
    received = recorder.messages[-1]
    assert b"\r\n..begint met een punt\r\n" not in received  # the dot-stuffing undone
    assert received.endswith(b"tekst\r\n.begint met een punt\r\n")
    assert b"\r\nDate: Tue, 01 Dec 2026 21:30:00 +0100\r\n" in received


def test_a_header_line_too_long_for_smtp_is_not_sent(smtp: SMTP) -> None:
    from pipeline.mail.smtp import Result

    recorder, port = smtp
    long_name = PLAIN.replace(b"To: Jan", b"To: " + b"J" * 1000)
    with _session(port) as session:
        reply = session.deliver("hr@voorbeeldstad.nl", ["jan@voorbeeldstad.nl"], long_name, NOW)
    assert reply.result is Result.REFUSED and reply.code is None
    assert reply.detail == (
        "regel 2 van het bericht is langer dan 998 tekens; een mailserver neemt zo'n bericht "
        "niet aan"
    )
    assert recorder.envelopes == []


@pytest.mark.parametrize(
    "to",
    [
        b"=?utf-8?q?jan=40elders.nl?=",
        b"Jan =?utf-8?q?=3Cjan=40elders.nl=3E?=",
        b'"=?utf-8?q?jan=40elders.nl?="',
    ],
)
def test_an_address_that_only_appears_after_decoding_is_never_used(
    tmp_path: Path, to: bytes
) -> None:
    (tmp_path / "a.eml").write_bytes(PLAIN.replace(b"Jan <jan@voorbeeldstad.nl>", to))
    result = CliRunner().invoke(main, ["verstuur", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        "FOUT: 'a.eml' is geen bericht van `genereer --mail`: Message-ID, From of To ontbreekt "
        "of klopt niet; er is niets verstuurd\n"
    )


_FIELD_NAMES = st.sampled_from(["Subject", "Date", "X-Unsent", "x-unsent", "To", "DATE", "X-Un"])
_VALUES = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=20)


@given(
    fields=st.lists(st.tuples(_FIELD_NAMES, _VALUES, st.booleans()), max_size=8),
    body=st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"\r\n")),
    moment=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2099, 1, 1),
        timezones=st.just(dt.UTC),
    ),
)
def test_prepared_sets_one_date_drops_the_draft_marker_and_keeps_the_rest(
    fields: list[tuple[str, str, bool]], body: bytes, moment: dt.datetime
) -> None:
    from pipeline.mail.smtp import prepared

    lines = [
        f"{name}: {value}" + ("\r\n folded" if folded else "") for name, value, folded in fields
    ]
    head = "\r\n".join(["From: a@b.nl", *lines]).encode()
    out = prepared(head + b"\r\n\r\n" + body, moment)
    out_head, _, out_body = out.partition(b"\r\n\r\n")
    assert out_body == body
    parsed = _parsed(out)
    assert parsed.get_all("X-Unsent") is None
    assert [parsedate_to_datetime(str(d)) for d in parsed.get_all("Date")] == [
        moment.replace(microsecond=0)
    ]
    kept = [f"{n}: {v}" for n, v, _ in fields if n.lower() not in ("date", "x-unsent")]
    unfolded = out_head.replace(b"\r\n folded", b"").decode().split("\r\n")
    assert [line for line in unfolded if not line.startswith(("Date:", "From:"))] == kept


def test_a_name_with_an_encoded_word_is_never_decoded_into_an_address(
    tmp_path: Path, smtp: SMTP
) -> None:
    recorder, _ = smtp
    hidden = base64.b64encode(b'<boos@elders.nl>.( boos@elders.nl"').decode()
    name = f"Boer =?utf-8?b?{hidden}?="  # the library used to decode this into an address
    book = Book.valid()
    row = book.row_of("Deelnemers", personeelsnummer=10003)
    book.set("Deelnemers", row, "voornaam", "é,é").set("Deelnemers", row, "achternaam", name)
    folder, messages = _outbox(tmp_path, book)
    mine = [m for m in messages if "10003" in m.path.name]
    assert mine and all(m.recipient == "kees@voorbeeldstad.nl" for m in mine)
    header = _parsed(mine[0].path.read_bytes())["To"]
    assert [a.addr_spec for a in header.addresses] == ["kees@voorbeeldstad.nl"]
    # Shown as typed (the stdlib's reader puts a space at a fold; mail clients do not).
    shown = "".join(header.addresses[0].display_name.replace("\u200b", "").split())
    assert shown == "".join(f"é,é van der {name}".split())
    result = _send(folder)
    assert result.exit_code == 0, result.output
    assert all("boos@elders.nl" not in e.rcpt_tos for e in recorder.envelopes)
    assert len(recorder.envelopes) == 13


# One-line workbook text: no control characters or line separators (the reader's as_line).
_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=1500)


@given(name=_LINE, subject=_LINE)
def test_every_header_line_of_an_outbox_message_fits_smtp(name: str, subject: str) -> None:
    from pipeline.mail import outbox

    mail = outbox.Mail(
        name,
        "hr@voorbeeldstad.nl",
        name,
        "jan@gemeënte.nl",
        subject,
        ("Beste Jan,",),
        None,
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "REQUEST",
        dt.datetime(2027, 2, 1, 9),
        "k",
    )
    data = outbox.build(mail)
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    headers = _parsed(data)
    assert [a.addr_spec for a in headers["To"].addresses] == [
        "jan@" + "gemeënte.nl".encode("idna").decode()
    ]
    assert [a.addr_spec for a in headers["From"].addresses] == ["hr@voorbeeldstad.nl"]
