"""Every calendar file read by a second, strict parser (PyPI `ical`, pydantic-validated)
besides icalendar: valid, with Europe/Amsterdam as yearly rules (the form Outlook
expects) that give the right UTC offsets on both sides of both changes of summer time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ical.calendar import Calendar
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo, Timezone
from ical.types.recur import Frequency, Weekday

from pipeline.mail import calendar
from pipeline.run import RunResult

UTC = dt.UTC
AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # the system's tz database: independent of our rules


def _strict(path: Path) -> Calendar:
    return IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))


def _zone(parsed: Calendar) -> Timezone:
    (zone,) = parsed.timezones
    assert zone.tz_id == "Europe/Amsterdam"
    return zone


def _files(example_run: RunResult, cancelled_cycle: Path) -> list[Path]:
    found = sorted(example_run.target.glob("agenda/*.ics"))
    found += sorted(cancelled_cycle.glob("agenda/*.ics"))
    found += sorted(cancelled_cycle.glob("afzeggingen/*.ics"))
    return found


def test_every_calendar_file_passes_the_strict_parser_with_rules_not_dates(
    example_run: RunResult, cancelled_cycle: Path
) -> None:
    files = _files(example_run, cancelled_cycle)
    # Every invitation of the example, the 12 left of the changed cycle and its cancellation.
    assert len(files) == example_run.counts["uitnodiging"] + 12 + 1
    methods = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "RDATE" not in text and "COMMENT" not in text, path.name
        parsed = _strict(path)
        methods.append(parsed.method)
        zone = _zone(parsed)
        observances = {"DAYLIGHT": zone.daylight, "STANDARD": zone.standard}
        for kind, month, offsets in (("DAYLIGHT", 3, (1, 2)), ("STANDARD", 10, (2, 1))):
            (observance,) = observances[kind]
            rule = observance.rrule
            assert rule is not None and observance.rdate == [], (path.name, kind)
            assert rule.freq is Frequency.YEARLY and rule.by_month == [month]
            assert [(d.weekday, d.occurrence) for d in rule.by_weekday] == [(Weekday.SUNDAY, -1)]
            assert (rule.until, rule.count) == (None, None)  # no end: valid beyond 2029
            assert (observance.tz_offset_from.offset, observance.tz_offset_to.offset) == tuple(
                dt.timedelta(hours=h) for h in offsets
            )
        # The event's times through the file's own zone are the real Amsterdam times.
        own = IcsTimezoneInfo.from_timezone(zone)
        (event,) = parsed.events
        for moment in (event.dtstart, event.dtend):
            assert isinstance(moment, dt.datetime) and moment.tzinfo is not None
            local = moment.replace(tzinfo=None)
            assert local.replace(tzinfo=own).astimezone(UTC) == local.replace(
                tzinfo=AMSTERDAM
            ).astimezone(UTC), path.name
    assert methods.count("CANCEL") == 1
    assert set(methods) == {"REQUEST", "CANCEL"}


def _own_zone() -> IcsTimezoneInfo:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//NL\r\n"
    text = f"{head}{calendar.VTIMEZONE.decode()}END:VCALENDAR\r\n"
    return IcsTimezoneInfo.from_timezone(_zone(IcsCalendarStream.calendar_from_ics(text)))


# Local wall-clock times on both sides of both changes, with the offset they have.
CHANGES_2027 = [
    (dt.datetime(2027, 3, 28, 1, 59), 1),  # last Sunday of March, just before 02:00
    (dt.datetime(2027, 3, 28, 3, 0), 2),  # summer time from 02:00 (clocks to 03:00)
    (dt.datetime(2027, 10, 31, 1, 59), 2),  # last Sunday of October, before the change
    (dt.datetime(2027, 10, 31, 3, 0), 1),  # winter time from 03:00 (clocks back to 02:00)
    (dt.datetime(2027, 3, 27, 12, 0), 1),
    (dt.datetime(2027, 11, 1, 12, 0), 1),
    (dt.datetime(2027, 7, 1, 12, 0), 2),
]


@pytest.mark.parametrize(("local", "hours"), CHANGES_2027, ids=[str(c[0]) for c in CHANGES_2027])
def test_offsets_on_both_sides_of_both_changes(local: dt.datetime, hours: int) -> None:
    assert _own_zone().utcoffset(local) == dt.timedelta(hours=hours)


@pytest.mark.parametrize("year", [2026, 2028, 2029, 2030, 2031, 2035, 2040, 2050, 2075, 2099])
def test_the_rules_agree_with_the_tz_database_in_years_beyond_2029(year: int) -> None:
    own = _own_zone()
    # Each change falls on a different date each year; check the days around both.
    for month in (3, 10):
        last = dt.date(year, month, 31)
        sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
        for day in (sunday - dt.timedelta(days=1), sunday, sunday + dt.timedelta(days=1)):
            for hour in (0, 1, 3, 4, 12, 23):
                local = dt.datetime.combine(day, dt.time(hour, 30))
                assert own.utcoffset(local) == local.replace(tzinfo=AMSTERDAM).utcoffset(), local


def test_every_file_carries_the_same_timezone_bytes(cancelled_cycle: Path) -> None:
    blocks = set()
    for path in cancelled_cycle.rglob("*.ics"):
        data = path.read_bytes()
        start, end = data.index(b"BEGIN:VTIMEZONE"), data.index(b"END:VTIMEZONE")
        blocks.add(data[start:end])
    assert blocks == {calendar.VTIMEZONE[: calendar.VTIMEZONE.index(b"END:VTIMEZONE")]}
