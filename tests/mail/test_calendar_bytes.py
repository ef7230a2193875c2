"""The calendar files are assembled from lines icalendar makes, once per distinct value:
the bytes must be those icalendar's own Component.to_ical gives for the whole calendar,
whatever the values (commas, quotes, newlines, long and non-ASCII text, empty fields)."""

from __future__ import annotations

import datetime as dt

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mail import calendar
from pipeline.mail.calendar import REMINDER, VTIMEZONE, ZONE, Event, Party


def _reference(event: Event, method: str, sequence: int, stamp: dt.datetime) -> bytes:
    """The calendar built as one icalendar Component, as the program did before."""

    def address(party: Party, role: str | None) -> icalendar.vCalAddress:
        value = icalendar.vCalAddress(f"mailto:{party.email}")
        value.params["CN"] = party.name
        if role is not None:
            value.params["ROLE"] = role
            value.params["PARTSTAT"] = "NEEDS-ACTION"
            value.params["RSVP"] = "TRUE"
        return value

    cal = icalendar.Calendar()
    cal.add("prodid", calendar.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", stamp.replace(tzinfo=dt.UTC))
    vevent.add("dtstart", event.start.replace(tzinfo=ZONE))
    vevent.add("dtend", event.end.replace(tzinfo=ZONE))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("description", event.description)
    vevent.add("organizer", address(event.organizer, None))
    vevent.add("attendee", address(event.attendee, "REQ-PARTICIPANT"))
    if method == "CANCEL":
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Morgen: {event.summary}")
        alarm.add("trigger", -REMINDER)
        vevent.add_component(alarm)
    cal.add_component(vevent)
    data = bytes(cal.to_ical())
    at = data.index(b"BEGIN:VEVENT")
    return data[:at] + VTIMEZONE + data[at:]


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
    max_size=120,
)
short = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31))
parties = st.builds(
    Party, short, st.from_regex(r"[a-z0-9.+-]{1,20}@[a-z0-9-]{1,20}\.nl", fullmatch=True)
)
uids = st.one_of(
    st.from_regex(r"[0-9a-f]{32}@intervisie-docs", fullmatch=True),
    short,  # a UID that must be escaped or folded takes icalendar's own way
    st.text(alphabet="abc", min_size=71, max_size=90),
)


@settings(max_examples=300, deadline=None)
@given(
    uid=uids,
    start=moments,
    summary=text,
    location=text,
    url=st.one_of(
        st.just(""), st.from_regex(r"https://[a-z]{1,60}\.nl/[a-z0-9?=&]{0,40}", fullmatch=True)
    ),
    description=text,
    organizer=parties,
    attendee=parties,
    method=st.sampled_from(["REQUEST", "CANCEL"]),
    sequence=st.integers(0, 40),
)
def test_the_same_bytes_as_icalendar_makes_of_the_whole_calendar(
    uid: str,
    start: dt.datetime,
    summary: str,
    location: str,
    url: str,
    description: str,
    organizer: Party,
    attendee: Party,
    method: str,
    sequence: int,
) -> None:
    event = Event(
        uid, start, start + dt.timedelta(hours=2), summary, location, url, description,
        organizer, attendee,
    )  # fmt: skip
    stamp = dt.datetime(2027, 2, 1, 8, 0)
    made = calendar.request if method == "REQUEST" else calendar.cancel
    assert made(event, sequence, stamp) == _reference(event, method, sequence, stamp)
