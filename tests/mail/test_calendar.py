"""Calendar invitations: parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from pipeline.content.model import Content
from pipeline.identity import event_uid
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY, Book

UTC = dt.UTC


def _run(book: Book, out: Path) -> Path:
    workbook = book.save(out.parent / "werkboek.xlsx")
    return generate(workbook, out, TEMPLATES, today=TODAY, workers=1).target


def _event(folder: Path, pattern: str) -> icalendar.cal.Component:
    data = next(folder.glob(f"agenda/*{pattern}*.ics")).read_bytes()
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    return next(iter(parsed.walk("VEVENT")))


def test_times_in_amsterdam_on_both_sides_of_summer_time(tmp_path: Path) -> None:
    book = Book.valid()
    row = book.row_of("Sessies", sessie="IV-01")
    book.set("Sessies", row, "datum", dt.date(2027, 3, 29))  # the day after the change
    folder = _run(book, tmp_path / "out")
    winter = _event(folder, "lr-01-10001")
    summer = _event(folder, "iv-01-10009")
    assert winter.decoded("dtstart").astimezone(UTC) == dt.datetime(2027, 3, 9, 13, 0, tzinfo=UTC)
    assert winter.decoded("dtend").astimezone(UTC) == dt.datetime(2027, 3, 9, 14, 0, tzinfo=UTC)
    assert summer.decoded("dtstart").astimezone(UTC) == dt.datetime(2027, 3, 29, 7, 30, tzinfo=UTC)
    assert str(winter["dtstart"].params["TZID"]) == "Europe/Amsterdam"
    assert str(winter["location"]) == "Raadzaal, Stadhuisplein 1"
    assert str(winter["organizer"]) == "mailto:hr@voorbeeldstad.nl"
    assert str(winter["attendee"]) == "mailto:jan@voorbeeldstad.nl"
    assert winter["attendee"].params["CN"] == "Jan Jansen"
    assert "Karin Bakker" in str(winter["description"])
    alarm = next(iter(winter.walk("VALARM")))
    assert alarm.decoded("trigger") == -dt.timedelta(days=1)
    online = _event(folder, "au-01-10005")
    assert str(online["location"]) == "https://teams.example.nl/au-01"


def test_uid_stable_across_runs_and_sequence_rises_on_change(tmp_path: Path) -> None:
    book = Book.valid()
    first = _event(_run(book, tmp_path / "out"), "lr-01-10001")
    other = _event(_run(book, tmp_path / "out"), "lr-01-10002")
    assert first["uid"] != other["uid"]
    same = _event(_run(book, tmp_path / "out"), "lr-01-10001")
    assert (same["uid"], same["sequence"]) == (first["uid"], 0)
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "locatie", "Zaal 3")
    moved = _event(_run(book, tmp_path / "out"), "lr-01-10001")
    assert (moved["uid"], moved["sequence"], str(moved["location"])) == (first["uid"], 1, "Zaal 3")
    untouched = _event(_run(book, tmp_path / "out"), "au-01-10005")
    assert untouched["sequence"] == 0


def test_uid_depends_on_cycle_session_and_person_only() -> None:
    uid = event_uid("Voorjaar 2027", "LR-01", "10001")
    assert uid == event_uid("Voorjaar 2027", "LR-01", "10001")
    assert uid != event_uid("Najaar 2027", "LR-01", "10001")
    assert uid != event_uid("Voorjaar 2027", "LR-02", "10001")
    assert uid != event_uid("Voorjaar 2027", "LR-01", "10002")
    assert uid.endswith("@intervisie-docs")


@pytest.mark.parametrize(
    ("cycle", "sessie", "nummer"),
    [
        ("voorjaar 2027", "LR-01", "10001"),
        ("  Voorjaar   2027 ", "lr-01", "010001"),
        ("VOORJÄAR 2027", " Lr-01 ", "0010001"),
    ],
)
def test_uid_is_the_same_for_the_same_booking_retyped(cycle: str, sessie: str, nummer: str) -> None:
    """The workbook contract's identity: case, spaces, accents, leading zeros."""
    assert event_uid(cycle, sessie, nummer) == event_uid("Voorjaar 2027", "LR-01", "10001")


def test_an_inbrengers_event_describes_the_role_as_the_method_does(
    tmp_path: Path, content: Content
) -> None:
    book = Book.valid()
    book.set(
        "Indeling",
        book.row_of("Indeling", sessie="LR-01", personeelsnummer=10001),
        "rol",
        "inbrenger",
    )
    folder = _run(book, tmp_path / "out")
    inbrenger = str(_event(folder, "lr-01-10001")["description"])
    assert "inbrenger." in inbrenger
    assert content.theme("Leerruimte").inbrenger in inbrenger.replace("\n", " ")
    assert "inbrenger" not in str(_event(folder, "lr-01-10002")["description"])
