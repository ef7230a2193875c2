"""Sending the outbox to a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS with a test CA)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import trustme
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.run import generate
from tests.conftest import ROOT, TEMPLATES
from tests.smtp_server import REFUSED, Recorder, serving
from tests.workbooks import TODAY, Book


def outbox(tmp_path: Path, refuse: bool = False) -> Path:
    book = Book.valid()
    if refuse:
        book.set("Deelnemers", book.row_of("Deelnemers", personeelsnummer=10003), "email", REFUSED)
    workbook = book.save(tmp_path / "werkboek.xlsx")
    result = generate(workbook, tmp_path / "out", TEMPLATES, today=TODAY, workers=1, mail=True)
    return result.target / "e-mail"


def send(folder: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["verstuur", str(folder), "--pauze", "0", *extra])


def test_dry_run_sends_nothing_and_lists_everything(
    tmp_path: Path, smtp: tuple[Recorder, int]
) -> None:
    recorder, _ = smtp
    folder = outbox(tmp_path)
    result = send(folder)
    assert result.exit_code == 0, result.output
    assert result.output.count("zou versturen:") == 13
    assert "er is niets verstuurd" in result.output
    assert recorder.messages == []


def test_all_arrive_once_and_a_second_run_sends_nothing(
    tmp_path: Path, smtp: tuple[Recorder, int]
) -> None:
    recorder, _ = smtp
    folder = outbox(tmp_path)
    first = send(folder, "--echt")
    assert first.exit_code == 0, first.output
    assert "13 verstuurd" in first.output
    again = send(folder, "--echt")
    assert "0 verstuurd, 13 al eerder verstuurd" in again.output
    ids = recorder.message_ids()
    assert len(ids) == 13 and set(ids.values()) == {1}
    received = message_from_bytes(recorder.messages[0], policy=policy.SMTP)
    assert received["From"].addresses[0].addr_spec == "hr@voorbeeldstad.nl"
    assert received["X-Unsent"] is None  # the draft marker stays in the outbox
    parts = [p.get_content_type() for p in received.walk()]
    assert "text/calendar" in parts and "text/html" in parts
    ledger = tmp_path / "out" / "intervisie-voorjaar-2027.verzendlog.csv"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    assert (
        sum(";bezig;" in line for line in lines)
        == sum(";verzonden;" in line for line in lines)
        == 13
    )


def test_a_refused_recipient_is_reported_and_the_others_arrive(
    tmp_path: Path, smtp: tuple[Recorder, int]
) -> None:
    recorder, _ = smtp
    folder = outbox(tmp_path, refuse=True)
    result = send(folder, "--echt")
    assert result.exit_code == 1
    assert f"GEWEIGERD: {REFUSED}: geweigerd: 550 5.1.1 Mailbox onbekend" in result.output
    assert len(recorder.message_ids()) == 12
    again = send(folder, "--echt")
    assert "eerder geweigerd" in again.output
    assert len(recorder.messages) == 12


def test_plain_smtp_is_refused_for_a_remote_server(tmp_path: Path) -> None:
    result = send(tmp_path, "--echt", "--server", "smtp.example.nl", "--beveiliging", "geen")
    assert result.exit_code == 2
    assert "alleen met een server op 127.0.0.1" in result.output


def test_killed_sender_resumes_and_nothing_arrives_twice(
    tmp_path: Path, smtp: tuple[Recorder, int]
) -> None:
    recorder, _ = smtp
    folder = outbox(tmp_path)
    recorder.hold_at = 5  # the server has the 5th message but the sender has no answer yet
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pipeline.cli import main; main()",
            "verstuur",
            str(folder),
            "--echt",
            "--pauze",
            "0",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert recorder.holding.wait(60), "the sender never reached the fifth message"
        os.kill(sender.pid, signal.SIGKILL)
        assert sender.wait(10) == -signal.SIGKILL
    finally:
        if sender.poll() is None:
            sender.kill()
    recorder.release.set()
    time.sleep(0.1)
    assert len(recorder.messages) == 5
    result = send(folder, "--echt")
    assert "ONZEKER" in result.output  # the fifth: accepted by the server, never confirmed
    assert "8 verstuurd, 4 al eerder verstuurd" in result.output
    ids = recorder.message_ids()
    assert len(ids) == 13 and set(ids.values()) == {1}


@pytest.mark.parametrize(
    ("password", "refusal", "message"),
    [
        (
            "geheim",
            "535 5.7.8 Onjuist",
            "FOUT: de server 127.0.0.1 weigert de aanmelding van 'hr' (535 5.7.8 Onjuist); "
            "controleer --gebruiker (INTERVISIE_SMTP_GEBRUIKER) en het wachtwoord "
            "(INTERVISIE_SMTP_WACHTWOORD)\n",
        ),
        (
            # smtplib sends user and password as ASCII only: a traceback before.
            "wachtwoördé",
            "534 5.7.9 Gebruik een app-wachtwoord",
            "FOUT: de server 127.0.0.1 staat deze manier van aanmelden niet toe "
            "(534 5.7.9 Gebruik een app-wachtwoord); controleer of het account aanmelden "
            "met een wachtwoord toestaat (bij sommige diensten een app-wachtwoord)\n",
        ),
    ],
)
def test_login_with_the_password_from_the_environment(
    tmp_path: Path,
    smtp_ca: tuple[trustme.CA, Path],
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    refusal: str,
    message: str,
) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    authority, pem = smtp_ca

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        expected = (b"hr", password.encode("utf-8"))
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == expected
        # An explicit message: aiosmtpd 1.4 does not answer a refusal without one.
        return AuthResult(success=ok, handled=False, message=None if ok else refusal)

    recorder = Recorder()
    with serving(recorder, authority, authenticator=check, auth_required=True) as port:
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))
        folder = outbox(tmp_path)
        args = ["--server", "127.0.0.1", "--poort", str(port), "--gebruiker", "hr", "--echt"]
        monkeypatch.setenv("INTERVISIE_SMTP_WACHTWOORD", "fout")
        refused = send(folder, *args)
        assert refused.exit_code == 3
        assert refused.output.endswith(message)
        assert recorder.messages == []
        monkeypatch.setenv("INTERVISIE_SMTP_WACHTWOORD", password)
        accepted = send(folder, *args)
        assert accepted.exit_code == 0, accepted.output
        assert len(recorder.message_ids()) == 13


def test_a_server_with_an_unknown_certificate_is_refused(
    tmp_path: Path, smtp: tuple[Recorder, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder, _ = smtp
    other = tmp_path / "andere-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    result = send(outbox(tmp_path), "--echt")
    assert result.exit_code == 3 and "het certificaat klopt niet" in result.output
    assert recorder.messages == []


def test_smtps_with_implicit_tls(
    tmp_path: Path, smtp_ca: tuple[trustme.CA, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    authority, pem = smtp_ca
    recorder = Recorder()
    with serving(recorder, authority, implicit_tls=True) as port:
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))
        folder = outbox(tmp_path)
        result = send(
            folder,
            "--echt",
            "--server",
            "127.0.0.1",
            "--poort",
            str(port),
            "--beveiliging",
            "smtps",
        )
        assert result.exit_code == 0, result.output
        assert len(recorder.message_ids()) == 13


def test_the_pause_throttles_between_messages(tmp_path: Path, smtp: tuple[Recorder, int]) -> None:
    recorder, _ = smtp
    three = tmp_path / "drie"
    three.mkdir()
    for path in sorted(outbox(tmp_path).glob("*.eml"))[:3]:
        shutil.copy(path, three / path.name)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["verstuur", str(three), "--echt", "--pauze", "0.5"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1.0  # two pauses between three messages
    assert len(recorder.messages) == 3
