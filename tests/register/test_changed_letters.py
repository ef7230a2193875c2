"""A changed invitation says what it replaces; every version of the cycle has its own
letter date (issue 18, items 1 and 3).

Version 1 is made on 15 January (its letters carry the default date, 16 February, 21 days
before the first session). On 20 February HR moves LR-01 to another day, room and
facilitator, gives AU-01 a new link and a later start and makes Robin Meijer (je-form)
its inbrenger, and takes Iris de Boer out of IV-01: version 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import closing
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from pipeline.register.db import REGISTER_NAME
from pipeline.run import RunResult, generate
from tests.conftest import TEMPLATES
from tests.docx_text import body_lines
from tests.register.schemas import as_schema_1
from tests.workbooks import Book

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
FIRST_DAY, CHANGE_DAY, LATER = dt.date(2027, 1, 15), dt.date(2027, 2, 20), dt.date(2027, 3, 1)


def changed_book() -> Book:
    book = Book.valid()
    lr = book.row_of("Sessies", sessie="LR-01")
    book.set("Sessies", lr, "datum", dt.date(2027, 3, 11))
    book.set("Sessies", lr, "locatie", "Zaal 4, Stadskantoor")
    book.set("Sessies", lr, "begeleider", "Petra Smit")
    au = book.row_of("Sessies", sessie="AU-01")
    book.set("Sessies", au, "begintijd", "10:30")
    book.set("Sessies", au, "link", "https://teams.example.nl/au-01-nieuw")
    book.add_row("Indeling", sessie="AU-01", personeelsnummer=10007, rol="inbrenger")
    book.delete_rows("Indeling", sessie="AU-01", personeelsnummer=10007, rol=None)
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    return book


def run(book: Book, out: Path, today: dt.date, **options: Any) -> RunResult:
    workbook = book.save(out.parent / "werkboek.xlsx")
    return generate(workbook, out, TEMPLATES, today=today, workers=1, mail=True, **options)


def files(target: Path) -> dict[str, bytes]:
    return {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("gewijzigd") / "out"
    first = run(Book.valid(), out, FIRST_DAY)
    first_files = files(first.target)
    second = run(changed_book(), out, CHANGE_DAY)
    return {"out": out, "first": first, "first_files": first_files, "second": second}


def letter(result: RunResult, folder: str, fragment: str) -> list[str]:
    matches = sorted((result.target / folder).glob(f"*{fragment}*.docx"))
    assert len(matches) == 1, matches
    return body_lines(matches[0])


def mail(result: RunResult, fragment: str) -> EmailMessage:
    matches = sorted((result.target / "e-mail").glob(f"*{fragment}*.eml"))
    assert len(matches) == 1, matches
    message = message_from_bytes(matches[0].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def subject(message: EmailMessage) -> str:
    """The subject as a mail client shows it: a long one is folded onto the next line
    ('Subject:' CRLF SP ...), and the folding white space is no part of it."""
    return str(message["Subject"]).strip()


def body(message: EmailMessage) -> list[str]:
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content().replace("\r\n", "\n")  # SMTP line ends
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.mark.parametrize(
    ("golden", "fragment"),
    [
        ("uitnodiging-gewijzigd-lr-01-10001.txt", "lr-01-10001"),  # u, by post
        ("uitnodiging-gewijzigd-au-01-10007.txt", "au-01-10007"),  # je, now inbrenger
    ],
)
def test_golden_text_of_a_changed_invitation(
    runs: dict[str, Any], golden: str, fragment: str
) -> None:
    actual = "\n".join(letter(runs["second"], "uitnodigingen", fragment)) + "\n"
    path = GOLDEN / golden
    if os.environ.get("GOLDEN_BIJWERKEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{golden} ontbreekt; draai met GOLDEN_BIJWERKEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"de tekst wijkt af van tests/golden/{golden}; is de wijziging bedoeld, draai dan "
        "GOLDEN_BIJWERKEN=1 pytest"
    )


def test_a_changed_invitation_says_what_changed_in_the_readers_form(runs: dict[str, Any]) -> None:
    formal = letter(runs["second"], "uitnodigingen", "lr-01-10001")
    assert (
        "Onderwerp\tGewijzigde uitnodiging intervisie Leerruimte op donderdag 11 maart 2027"
        in formal
    )
    opening = formal[formal.index("Geachte heer Jansen,") + 1]
    assert opening == (
        "Deze uitnodiging vervangt uw uitnodiging van 16 februari 2027. Gewijzigd: de datum "
        "(was dinsdag 9 maart 2027), de locatie en de begeleiding."
    )
    informal = letter(runs["second"], "uitnodigingen", "au-01-10007")
    opening = informal[informal.index("Beste Robin Meijer,") + 1]
    assert opening == (
        "Deze uitnodiging vervangt je uitnodiging van 16 februari 2027. Gewijzigd: de tijd "
        "(was 10:00 - 11:00 uur), de link en je rol (je bent nu inbrenger)."
    )


def test_a_first_invitation_never_says_changed(runs: dict[str, Any]) -> None:
    second = runs["second"]
    letters = [n for n in runs["first_files"] if n.startswith("uitnodigingen/")]
    assert len(letters) == 13
    for name in letters:
        text = "\n".join(body_lines(runs["first_files"][name]))
        assert "vervangt" not in text and "Gewijzigd" not in text, name
    # In version 2 an invitation that did not change reads as it did: first and dated so.
    unchanged = letter(second, "uitnodigingen", "iv-01-10009")
    assert "Datum\t16 februari 2027" in unchanged
    assert not any("vervangt" in line or "Gewijzigd" in line for line in unchanged)
    assert subject(mail(second, "iv-01-10009")).startswith("Uitnodiging intervisie")


def test_new_letters_carry_the_new_versions_date_and_the_others_keep_theirs(
    runs: dict[str, Any],
) -> None:
    first, second = runs["first"], runs["second"]
    assert (first.cycle_version, first.letter_date) == (1, dt.date(2027, 2, 16))
    assert (second.cycle_version, second.letter_date) == (2, CHANGE_DAY)
    assert second.letter_date_reason == "de dag van deze run"
    assert "Datum\t20 februari 2027" in letter(second, "uitnodigingen", "lr-01-10001")
    assert "Datum\t20 februari 2027" in letter(second, "afzeggingen", "iv-01-10012")
    # A letter that did not change is the same file, date and all.
    name = next(
        n for n in runs["first_files"] if n.startswith("uitnodigingen/uitnodiging-iv-01-10009")
    )
    assert (second.target / name).read_bytes() == runs["first_files"][name]


def test_a_rerun_with_the_same_input_and_register_writes_the_same_bytes(
    runs: dict[str, Any],
) -> None:
    before = files(runs["second"].target)
    # The same workbook file (saving it again would give it another modified time).
    workbook = runs["out"].parent / "werkboek.xlsx"
    again = generate(workbook, runs["out"], TEMPLATES, today=LATER, workers=1, mail=True)
    assert again.cycle_version == 2 and again.letter_date == CHANGE_DAY
    assert files(again.target) == before


def test_the_email_of_a_changed_invitation_says_it_first(runs: dict[str, Any]) -> None:
    formal = mail(runs["second"], "lr-01-10001")
    assert (
        subject(formal) == "Gewijzigde uitnodiging intervisie Leerruimte op donderdag 11 maart 2027"
    )
    lines = body(formal)
    assert lines[0] == "Geachte heer Jansen,"
    assert lines[1].startswith("Deze uitnodiging vervangt uw uitnodiging van 16 februari 2027")
    in_letter = letter(runs["second"], "uitnodigingen", "lr-01-10001")
    assert lines[1] == in_letter[in_letter.index("Geachte heer Jansen,") + 1]  # the same words
    informal = body(mail(runs["second"], "au-01-10007"))
    assert informal[1].startswith("Deze uitnodiging vervangt je uitnodiging van 16 februari 2027")
    assert "je rol (je bent nu inbrenger)" in informal[1]


def test_an_own_briefdatum_dates_the_next_version(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(Book.valid(), out, FIRST_DAY)
    book = changed_book().org("briefdatum", dt.date(2027, 2, 22))
    second = run(book, out, CHANGE_DAY)
    assert (second.letter_date, second.letter_date_reason) == (
        dt.date(2027, 2, 22),
        "de nieuwe briefdatum uit het werkboek",
    )
    assert "Datum\t22 februari 2027" in letter(second, "uitnodigingen", "lr-01-10001")
    assert "Datum\t16 februari 2027" in letter(second, "uitnodigingen", "iv-01-10009")
    # The next change, without a new briefdatum, is dated on its own day.
    book.set("Sessies", book.row_of("Sessies", sessie="IV-01"), "locatie", "Zaal 3")
    third = run(book, out, dt.date(2027, 2, 25))
    assert (third.cycle_version, third.letter_date) == (3, dt.date(2027, 2, 25))
    assert "Datum\t22 februari 2027" in letter(third, "uitnodigingen", "lr-01-10001")
    assert "Datum\t25 februari 2027" in letter(third, "uitnodigingen", "iv-01-10009")


def test_a_register_of_the_previous_schema_opens_and_its_versions_keep_their_date(
    tmp_path: Path,
) -> None:
    """A register a run before schema 2 wrote: it is brought up to date, version 1 keeps
    the date its letters carried, and a changed invitation says what it replaces (what
    that one said, the old register did not keep)."""
    out = tmp_path / "out"
    run(Book.valid(), out, FIRST_DAY)
    as_schema_1(out / REGISTER_NAME)
    second = run(changed_book(), out, CHANGE_DAY)
    with closing(sqlite3.connect(out / REGISTER_NAME)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 3
        dates = raw.execute("SELECT version, letter_date FROM versions ORDER BY version")
        assert dates.fetchall() == [(1, "2027-02-16"), (2, "2027-02-20")]
    changed = letter(second, "uitnodigingen", "lr-01-10001")
    assert changed[changed.index("Geachte heer Jansen,") + 1] == (
        "Deze uitnodiging vervangt uw uitnodiging van 16 februari 2027. Lees de gegevens "
        "hieronder goed na."
    )
    unchanged = letter(second, "uitnodigingen", "iv-01-10009")
    assert "Datum\t16 februari 2027" in unchanged
    assert not any("vervangt" in line for line in unchanged)


def test_the_summary_says_which_date_the_new_letters_carry(
    runs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli.mail import report_changes

    report_changes(runs["second"])
    said = capsys.readouterr().out
    assert (
        "Briefdatum: de nieuwe en gewijzigde uitnodigingen en de afzeggingen van versie 2 "
        "dragen de datum 20-02-2027 (de dag van deze run); brieven zonder wijziging houden "
        "hun datum."
    ) in said
    assert "zonder wijziging in de inhoud krijgen" not in said  # nothing was redated


def test_a_new_briefdatum_alone_dates_the_newest_letters_when_they_are_made(
    tmp_path: Path,
) -> None:
    """A run with --soort that makes no invitations leaves their date; the next run that
    makes them gives the newest version's invitations HR's new date."""
    from pipeline.kinds import Kind

    out = tmp_path / "out"
    run(Book.valid(), out, FIRST_DAY)
    book = Book.valid().org("briefdatum", dt.date(2027, 2, 10))
    workbook = book.save(tmp_path / "werkboek.xlsx")
    only = generate(workbook, out, TEMPLATES, today=CHANGE_DAY, workers=1, kinds=(Kind.DRAAIBOEK,))
    assert only.redated == 0
    assert "Datum\t16 februari 2027" in letter(only, "uitnodigingen", "lr-01-10001")
    full = generate(workbook, out, TEMPLATES, today=CHANGE_DAY, workers=1)
    assert (full.cycle_version, full.redated, full.letter_date) == (1, 13, dt.date(2027, 2, 10))
    assert "Datum\t10 februari 2027" in letter(full, "uitnodigingen", "lr-01-10001")


def test_a_booking_that_comes_back_after_a_cancellation_gets_a_first_invitation(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    run(Book.valid(), out, FIRST_DAY)
    run(
        Book.valid().delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012),
        out,
        CHANGE_DAY,
    )
    back = run(Book.valid(), out, dt.date(2027, 2, 24))
    lines = letter(back, "uitnodigingen", "iv-01-10012")
    assert "Datum\t24 februari 2027" in lines
    assert not any("vervangt" in line or "Gewijzigd" in line for line in lines)
    assert subject(mail(back, "iv-01-10012")).startswith("Uitnodiging intervisie")
