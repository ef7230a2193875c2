"""The numbered cases of issue 16, each against the register, on the example-like workbook.

1. a new briefdatum, a moved first session and a copied outbox send nothing twice;
2. a damaged CSV send log of before the register never resends;
4. retyped ids and cycle-name capitals keep the UIDs and give no cancellation;
5. an HR edit kept by a --soort run is not lost by the next full run.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.documents import matters
from pipeline.identity import id_key
from pipeline.mail import calendar
from pipeline.mail.events import Events
from pipeline.register.db import REGISTER_NAME
from pipeline.register.status import cycle_status
from pipeline.render import tasks
from pipeline.run import RunResult, generate
from tests.conftest import TEMPLATES
from tests.smtp_server import Recorder
from tests.workbooks import TODAY, Book

FOLDER = "intervisie-voorjaar-2027"


def run(book: Book, out: Path, **options: Any) -> RunResult:
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = book.save(out.parent / "werkboek.xlsx")
    return generate(workbook, out, TEMPLATES, today=TODAY, workers=1, **options)


def send(folder: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["verstuur", str(folder), "--pauze", "0", *extra])


def uids(target: Path) -> dict[str, tuple[str, int]]:
    """Per calendar file name: (UID, SEQUENCE)."""
    found = {}
    for path in sorted((target / "agenda").glob("*.ics")):
        event = next(iter(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")))
        found[path.name] = (str(event["uid"]), int(event["sequence"]))
    return found


def received(recorder: Recorder) -> list[tuple[str, str, str]]:
    """(recipient, UID, METHOD+SEQUENCE) of every message the server accepted."""
    found = []
    for data in recorder.messages:
        message = message_from_bytes(data, policy=policy.SMTP)
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        event = next(
            iter(icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"))
        )
        method = part.get_param("method")
        found.append((str(message["To"]), str(event["uid"]), f"{method}:{event['sequence']}"))
    return found


# --- case 1 -----------------------------------------------------------------------------


def test_a_new_briefdatum_sends_no_invitation_twice(tmp_path: Path, smtp: Any) -> None:
    recorder, _ = smtp
    book = Book.valid()
    first = run(book, tmp_path / "out", mail=True)
    assert send(first.target / "e-mail", "--echt").exit_code == 0
    assert len(recorder.messages) == 13
    book.org("briefdatum", dt.date(2027, 1, 20))
    again = run(book, tmp_path / "out", mail=True)
    assert again.redated == 13
    result = send(again.target / "e-mail", "--echt")
    assert result.exit_code == 0, result.output
    assert "0 verstuurd, 13 al eerder verstuurd" in result.output
    assert len(recorder.messages) == 13


def test_genereer_says_how_many_letters_get_a_new_date(tmp_path: Path) -> None:
    book = Book.valid()
    workbook = book.save(tmp_path / "werkboek.xlsx")
    out = tmp_path / "out"
    args = ["genereer", str(workbook), "--uitvoer", str(out), "--mail"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert (
        "Briefdatum: de brieven van versie 1 dragen de datum 16-02-2027 (standaard 21 dagen "
        "voor de eerste sessie)."
    ) in first.output
    book.org("briefdatum", dt.date(2027, 1, 20)).save(workbook)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    # Nothing else changed: the letters of the newest version take HR's new date.
    assert (
        "Briefdatum: 13 uitnodigingen van versie 1 zonder wijziging in de inhoud krijgen de "
        "nieuwe briefdatum uit het werkboek (20-01-2027); hun e-mails gaan niet opnieuw de "
        "deur uit."
    ) in again.output


def test_moving_the_first_session_sends_only_that_sessions_invitations(
    tmp_path: Path, smtp: Any
) -> None:
    recorder, _ = smtp
    book = Book.valid()
    book.remove_org("briefdatum")  # the default date follows the first session
    first = run(book, tmp_path / "out", mail=True)
    assert send(first.target / "e-mail", "--echt").exit_code == 0
    # LR-01 (9 March) is the first session of the example; it moves a day earlier.
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "datum", dt.date(2027, 3, 8))
    again = run(book, tmp_path / "out", mail=True)
    # The other letters keep their date: only version 1 took the default before the
    # first session.
    assert again.redated == 0
    moved = {c.row.personeelsnummer for c in again.changes if c.row.soort == "agenda"}
    assert len(moved) == 4  # LR-01's four members
    result = send(again.target / "e-mail", "--echt")
    assert result.exit_code == 0, result.output
    assert len(recorder.messages) == 13 + len(moved)
    triples = received(recorder)
    assert len(set(triples)) == len(triples)  # never the same (UID, SEQUENCE, METHOD) twice


def test_an_outbox_copied_elsewhere_is_the_same_delivery(tmp_path: Path, smtp: Any) -> None:
    recorder, _ = smtp
    first = run(Book.valid(), tmp_path / "out", mail=True)
    register = str(tmp_path / "out" / REGISTER_NAME)
    copy = tmp_path / "elders"
    shutil.copytree(first.target / "e-mail", copy)
    assert send(first.target / "e-mail", "--echt").exit_code == 0
    again = send(copy, "--echt", "--register", register)
    assert again.exit_code == 0, again.output
    assert "0 verstuurd, 13 al eerder verstuurd" in again.output
    assert len(recorder.messages) == 13


def test_an_outbox_the_register_never_saw_is_not_sent(tmp_path: Path, smtp: Any) -> None:
    recorder, _ = smtp
    elsewhere = run(Book.valid(), tmp_path / "a" / "out", mail=True)
    here = run(Book.valid(), tmp_path / "b" / "out")
    result = send(
        elsewhere.target / "e-mail", "--echt", "--register", str(here.target.parent / REGISTER_NAME)
    )
    assert result.exit_code == 2
    assert "13 berichten staan niet in het register" in result.output
    assert "gokt niet; er is niets verstuurd" in result.output
    assert recorder.messages == []


# --- case 2 -----------------------------------------------------------------------------


def _old_log(target: Path, stray_at: int) -> bytes:
    """A CSV send log as the program wrote it before the register: 'bezig' and 'verzonden'
    per message; one stray quote typed into line `stray_at`."""
    lines = ["tijd;message_id;ontvanger;sha256;bestand;resultaat;toelichting"]
    for path in sorted((target / "e-mail").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.SMTP)
        mid, to = str(message["Message-ID"]), message["To"].addresses[0].addr_spec
        for result in ("bezig", "verzonden"):
            lines.append(f"2027-01-15T10:00:00+00:00;{mid};{to};abc;{path.name};{result};")
    lines[stray_at] = lines[stray_at].replace(";abc;", ';"abc;')
    return ("\r\n".join(lines) + "\r\n").encode()


def _as_before_the_register(out: Path, target: Path, log: bytes) -> None:
    """Turn an output folder into one a version before the register left: no register, a
    CSV send log beside the cycle folder, calendar rows hashed by their event alone."""
    (out / REGISTER_NAME).unlink()
    (out / f"{FOLDER}.verzendlog.csv").write_bytes(log)
    manifest = target / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    for row in record["documenten"]:
        if row["soort"] == "agenda":
            event, _ = calendar.parse((target / row["pad"]).read_bytes())
            row["inhoud"] = event.fingerprint()
    manifest.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_a_folder_of_before_the_register_is_taken_over_without_resending(
    tmp_path: Path, smtp: Any
) -> None:
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    before = uids(first.target)
    _as_before_the_register(out, first.target, _old_log(first.target, stray_at=0))
    again = run(book, out, mail=True)
    assert again.cycle_version == first.cycle_version == 1  # nothing changed
    assert uids(again.target) == before  # same UIDs, same SEQUENCEs
    result = send(again.target / "e-mail", "--echt")
    assert "0 verstuurd, 13 al eerder verstuurd" in result.output, result.output
    assert recorder.messages == []


def test_a_damaged_old_send_log_resends_nothing(tmp_path: Path, smtp: Any) -> None:
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    # The state of a folder made before the register: no register, a CSV log beside it.
    (out / REGISTER_NAME).unlink()
    (out / f"{FOLDER}.verzendlog.csv").write_bytes(_old_log(first.target, stray_at=5))
    again = run(book, out, mail=True)
    result = send(again.target / "e-mail", "--echt")
    assert recorder.messages == []
    assert "0 verstuurd, 13 al eerder verstuurd" in result.output, result.output


def test_a_damaged_line_that_was_the_last_word_counts_as_uncertain(
    tmp_path: Path, smtp: Any
) -> None:
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    (out / REGISTER_NAME).unlink()
    log = _old_log(first.target, stray_at=2).decode().splitlines()  # 1st message's 'verzonden'
    (out / f"{FOLDER}.verzendlog.csv").write_text("\r\n".join(log) + "\r\n")
    again = run(book, out, mail=True)
    result = send(again.target / "e-mail", "--echt")
    assert result.exit_code == 1
    assert "0 verstuurd, 12 al eerder verstuurd, 0 geweigerd" in result.output
    assert "1 onzeker" in result.output and "de vorige verzending werd onderbroken" in (
        result.output
    )
    assert recorder.messages == []


def test_the_exported_log_is_never_read_back(tmp_path: Path, smtp: Any) -> None:
    recorder, _ = smtp
    first = run(Book.valid(), tmp_path / "out", mail=True)
    log = tmp_path / "out" / f"{FOLDER}.verzendlog.csv"  # where the old log lived
    assert send(first.target / "e-mail", "--echt", "--log", str(log)).exit_code == 0
    log.write_text('kapot"\r\n;;;\r\n')
    again = send(first.target / "e-mail", "--echt")
    assert "0 verstuurd, 13 al eerder verstuurd" in again.output
    assert len(recorder.messages) == 13


# --- case 4 -----------------------------------------------------------------------------


def _retype(book: Book) -> None:
    """10003 as text '010003' (in Deelnemers and Indeling), LR-01 as 'lr-01', the cycle
    name in capitals."""
    person = book.row_of("Deelnemers", personeelsnummer=10003)
    book.set("Deelnemers", person, "personeelsnummer", "010003")
    for row in book.sheets["Indeling"].rows:
        if row["personeelsnummer"] == 10003:
            row["personeelsnummer"] = "010003"
        if row["sessie"] == "LR-01":
            row["sessie"] = "lr-01"
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "sessie", "lr-01")
    book.org("cyclus", "INTERVISIE Voorjaar 2027")


def test_retyped_ids_and_cycle_capitals_keep_uids_and_cancel_nobody(tmp_path: Path) -> None:
    book = Book.valid()
    first = run(book, tmp_path / "out", mail=True)
    before = set(uids(first.target).values())
    _retype(book)
    again = run(book, tmp_path / "out", mail=True)
    assert [c for c in again.changes if c.status == "vervallen"] == []
    assert not (again.target / "afzeggingen").exists() or not any(
        (again.target / "afzeggingen").iterdir()
    )
    assert {uid for uid, _ in uids(again.target).values()} == {uid for uid, _ in before}


def test_retyped_ids_keep_every_uid_and_sequence(tmp_path: Path) -> None:
    """A retyped personeelsnummer changes no letter for its reader: no booking gets a new
    UID or SEQUENCE, and every calendar file keeps its name."""
    book = Book.valid()
    before = run(book, tmp_path / "out")
    first = uids(before.target)
    person = book.row_of("Deelnemers", personeelsnummer=10003)
    book.set("Deelnemers", person, "personeelsnummer", "010003")
    for row in book.sheets["Indeling"].rows:
        if row["personeelsnummer"] == 10003:
            row["personeelsnummer"] = "010003"
    again = run(book, tmp_path / "out")
    assert again.cycle_version == before.cycle_version
    assert uids(again.target) == first


# --- case 5 -----------------------------------------------------------------------------


def test_an_edit_kept_by_a_soort_run_stops_the_next_full_run(tmp_path: Path) -> None:
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out)
    letter = sorted((first.target / "uitnodigingen").glob("*.docx"))[0]
    letter.write_bytes(letter.read_bytes() + b"HR")  # edited in Word
    edited = letter.read_bytes()
    workbook = book.save(tmp_path / "werkboek.xlsx")
    args = ["genereer", str(workbook), "--uitvoer", str(out)]
    kept = CliRunner().invoke(main, [*args, "--soort", "syllabus"])
    assert kept.exit_code == 0, kept.output
    assert letter.read_bytes() == edited
    full = CliRunner().invoke(main, args)
    assert full.exit_code == 2, full.output
    assert "zijn documenten gewijzigd sinds de vorige run" in full.output
    assert f"'uitnodigingen/{letter.name}'" in full.output
    assert letter.read_bytes() == edited


def test_starting_over_with_an_exported_log_resends_nothing(tmp_path: Path, smtp: Any) -> None:
    """The README's way to start over: export, move the register away, run again."""
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    log = out / f"{FOLDER}.verzendlog.csv"
    assert send(first.target / "e-mail", "--echt", "--log", str(log)).exit_code == 0
    (out / REGISTER_NAME).rename(tmp_path / "oud-register.sqlite")
    again = run(book, out, mail=True)
    result = send(again.target / "e-mail", "--echt")
    assert "0 verstuurd, 13 al eerder verstuurd" in result.output, result.output
    assert len(recorder.messages) == 13


def test_the_status_api_tells_per_booking_its_version_sends_and_cancellation(
    tmp_path: Path, smtp: Any
) -> None:
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    assert send(first.target / "e-mail", "--echt").exit_code == 0
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "begintijd", dt.time(15, 0))
    run(book, out, mail=True)
    assert cycle_status(out, "Intervisie najaar 2027") == []  # another cycle
    status = {
        (s.booking.sessie, s.booking.personeelsnummer): s
        for s in cycle_status(out, "intervisie VOORJAAR 2027")
    }
    assert len(status) == 13
    gone = status[("iv-01", "10012")]
    assert gone.cancelled and gone.sequence == 1
    assert [(a.method, a.version, a.result) for a in gone.attempts] == [("REQUEST", 0, "verzonden")]
    moved = status[("lr-01", "10001")]
    assert (moved.cancelled, moved.sequence) == (False, 1)
    assert not status[("au-01", "10005")].cancelled
    assert status[("au-01", "10005")].sequence == 0
    assert (
        moved.uid
        == uids(first.target)[next(n for n in uids(first.target) if "lr-01-10001" in n)][0]
    )


def _retype_number(book: Book) -> None:
    """10003 (LR-01) as the text '0010003' in Deelnemers and Indeling."""
    book.set(
        "Deelnemers",
        book.row_of("Deelnemers", personeelsnummer=10003),
        "personeelsnummer",
        "0010003",
    )
    book.set(
        "Indeling", book.row_of("Indeling", personeelsnummer=10003), "personeelsnummer", "0010003"
    )


def _retype_session(book: Book) -> None:
    """AU-01 as 'au-01' in Sessies and Indeling."""
    for row in book.sheets["Indeling"].rows:
        if row["sessie"] == "AU-01":
            row["sessie"] = "au-01"
    book.set("Sessies", book.row_of("Sessies", sessie="AU-01"), "sessie", " au-01 ")


def _retype_cycle(book: Book) -> None:
    """The cycle name with other capitals, an accent and a double space."""
    book.org("cyclus", "INTERVISIE  Vóórjaar 2027")


RETYPES = {"nummer": _retype_number, "sessie": _retype_session, "cyclus": _retype_cycle}


def _events(result: RunResult) -> dict[tuple[str, str], tuple[str, int]]:
    """Per booking (in its identity form): the calendar event's (UID, SEQUENCE)."""
    found = {}
    for row in result.rows:
        if row.soort == "agenda":
            data = (result.target / row.pad).read_bytes()
            event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
            found[(id_key(row.sessie), id_key(row.personeelsnummer))] = (
                str(event["uid"]),
                int(event["sequence"]),
            )
    return found


def _bundled(result: RunResult) -> set[str]:
    """The letters in this run's print bundles, as manifest.json names them."""
    letters = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))["brieven"]
    return {pad for pad, facts in letters.items() if facts["afdrukbestand"]}


def _report(result: RunResult) -> set[tuple[str, str, str, str]]:
    return {
        (c.status, c.row.soort, id_key(c.row.sessie), id_key(c.row.personeelsnummer))
        for c in result.changes
    }


@pytest.mark.parametrize("retype", list(RETYPES.values()), ids=list(RETYPES))
def test_a_retype_alone_is_no_new_version_no_update_and_no_new_mail(
    tmp_path: Path, smtp: Any, retype: Any
) -> None:
    """A retyped id or cycle name is the same booking with the same content: the cycle
    version, the changes report (and so --alleen-wijzigingen), every SEQUENCE and the
    outbox stay as they were, and nothing is sent."""
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    options: dict[str, Any] = {"mail": True, "print_bundles": True, "only_changes": True}
    assert send(run(book, out, mail=True).target / "e-mail", "--echt").exit_code == 0
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "begintijd", dt.time(15, 0))
    moved = run(book, out, **options)
    assert send(moved.target / "e-mail", "--echt").exit_code == 0
    sent = len(recorder.messages)
    assert sent == 13 + 4
    retype(book)
    again = run(book, out, **options)
    assert again.cycle_version == moved.cycle_version
    assert _report(again) == _report(moved)
    assert len(_bundled(moved)) == 4
    assert _bundled(again) == _bundled(moved)
    assert _events(again) == _events(moved)
    outbox = {
        (id_key(r.sessie), id_key(r.personeelsnummer)) for r in again.rows if r.soort == "e-mail"
    }
    assert outbox == {("lr-01", str(n)) for n in range(10001, 10005)}
    result = send(again.target / "e-mail", "--echt")
    assert result.exit_code == 0, result.output
    assert "0 verstuurd, 4 al eerder verstuurd" in result.output
    assert len(recorder.messages) == sent


def _files(out: Path) -> set[str]:
    """The files of the cycle folders (the archive keeps a new folder of syllabi whenever
    their bytes change, and a syllabus shows its ids and the cycle name as typed)."""
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] != "archief"
    }


@pytest.mark.parametrize("retype", list(RETYPES.values()), ids=list(RETYPES))
def test_a_retype_alone_keeps_every_file_name_and_the_cycle_folder(
    tmp_path: Path, retype: Any
) -> None:
    book = Book.valid()
    out = tmp_path / "out"
    first = run(book, out, mail=True)
    before = _files(out)
    assert any("10003" in name for name in before)
    retype(book)
    again = run(book, out, mail=True)
    assert again.target == first.target
    assert _files(out) == before


def test_a_register_of_before_the_identity_rule_upgrades_without_an_update(
    tmp_path: Path, smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Content hashes made with ids and the cycle name as typed (matters.typed_view, the
    hashes a register holds from before identity.py counted) are recognised: the first
    run after the upgrade makes no new version, and nothing is sent again."""
    recorder, _ = smtp
    book = Book.valid()
    out = tmp_path / "out"
    with monkeypatch.context() as before:
        before.setattr(tasks, "what_matters", matters.typed_view)
        before.setattr(Events, "fingerprint", lambda self, s, p: self.event(s, p).fingerprint())
        first = run(book, out, mail=True)
    letters = {p.name: p.read_bytes() for p in (first.target / "uitnodigingen").iterdir()}
    assert send(first.target / "e-mail", "--echt").exit_code == 0
    upgraded = run(book, out, mail=True)
    assert upgraded.cycle_version == first.cycle_version
    # Not dated anew, not "Gewijzigde uitnodiging": the letters are the same bytes.
    assert {p.name: p.read_bytes() for p in (upgraded.target / "uitnodigingen").iterdir()} == (
        letters
    )
    assert _events(upgraded) == _events(first)
    assert (
        "0 verstuurd, 13 al eerder verstuurd" in send(upgraded.target / "e-mail", "--echt").output
    )
    assert len(recorder.messages) == 13
