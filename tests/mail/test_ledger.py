"""The send ledger and the outbox reader, without a server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.mail import ledger as ledger_module
from pipeline.mail.ledger import BUSY, SENT, Entry, Ledger
from pipeline.mail.send import default_ledger, send_outbox


def _entry(message_id: str, result: str) -> Entry:
    return Entry(message_id, "jan@example.nl", "ab" * 32, "a.eml", result, "")


def test_last_line_per_message_wins_and_a_torn_line_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    with Ledger(path) as ledger:
        ledger.record(_entry("<1@x>", BUSY))
        ledger.record(_entry("<1@x>", SENT))
        ledger.record(_entry("<2@x>", BUSY))
    with path.open("ab") as handle:  # a kill halfway through writing a line
        handle.write(b"2027-01-01T00:00:00+00:00;<3@x>;jan@ex")
    with Ledger(path) as ledger:
        ledger.record(_entry("<4@x>", BUSY))
        results = ledger.last_results()
    assert {k: v.result for k, v in results.items()} == {
        "<1@x>": SENT,
        "<2@x>": BUSY,
        "<4@x>": BUSY,
    }


def test_one_sender_at_a_time(tmp_path: Path) -> None:
    if ledger_module.fcntl is None:
        pytest.skip("no advisory locks on this platform")
    path = tmp_path / "log.csv"
    with Ledger(path), pytest.raises(OutputError, match="er loopt al een verzending"):
        Ledger(path).__enter__()


def test_a_file_that_is_not_our_message_stops_before_anything_goes(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(
        b"From: hr@example.nl\r\nSubject: geen ontvanger\r\n\r\ntekst\r\n"
    )
    with pytest.raises(OutputError, match=r"'a\.eml' is geen bericht van"):
        send_outbox(tmp_path, tmp_path / "log.csv", None)


def test_the_same_message_twice_in_the_folder_counts_once(tmp_path: Path) -> None:
    message = (
        b"From: HR <hr@example.nl>\r\nTo: Jan <jan@example.nl>\r\nSubject: x\r\n"
        b"Message-ID: <1@intervisie-docs>\r\n\r\ntekst\r\n"
    )
    (tmp_path / "a.eml").write_bytes(message)
    shutil.copy(tmp_path / "a.eml", tmp_path / "b.eml")
    outcome = send_outbox(tmp_path, tmp_path / "log.csv", None)
    assert outcome.would_send == ["a.eml -> jan@example.nl"]
    assert outcome.already == ["b.eml"]


def test_the_ledger_of_a_cycle_outbox_lives_outside_the_cycle_folder(tmp_path: Path) -> None:
    cycle = tmp_path / "uit" / "voorjaar"
    (cycle / "e-mail").mkdir(parents=True)
    assert default_ledger(cycle / "e-mail") == cycle / "e-mail" / "verzendlog.csv"
    (cycle / "manifest.json").write_text("{}")
    assert (
        default_ledger(cycle / "e-mail") == (tmp_path / "uit" / "voorjaar.verzendlog.csv").resolve()
    )
    loose = tmp_path / "los"
    loose.mkdir()
    assert default_ledger(loose) == loose / "verzendlog.csv"
