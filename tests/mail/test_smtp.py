"""What each SMTP reply means for a message, against a real aiosmtpd server on 127.0.0.1
that answers 421/451/550/553/530 at chosen commands or drops the connection."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner

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
