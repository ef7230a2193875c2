"""Calendar invitations (.ics, RFC 5545/5546) with the icalendar package.

One event per invitation. The UID is stable per (cycle, session, person), so a calendar
updates the event it already has when SEQUENCE is higher; a cancellation carries the
same UID with METHOD:CANCEL. DTSTAMP comes from the data, never the clock: the same
input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

TIMEZONE = "Europe/Amsterdam"
ZONE = ZoneInfo(TIMEZONE)
PRODID = "-//intervisie-docs//NL"
UID_DOMAIN = "intervisie-docs"
REMINDER = dt.timedelta(days=1)


@dataclass(frozen=True)
class Party:
    name: str
    email: str


@dataclass(frozen=True)
class Event:
    """What an invitation's calendar event says; start and end are local (Amsterdam)."""

    uid: str
    start: dt.datetime  # naive, local time in Europe/Amsterdam
    end: dt.datetime
    summary: str
    location: str
    url: str
    description: str
    organizer: Party
    attendee: Party

    def fingerprint(self) -> str:
        """sha256 of everything the recipient's calendar shows (not UID or SEQUENCE)."""
        fields = (
            self.start.isoformat(),
            self.end.isoformat(),
            self.summary,
            self.location,
            self.url,
            self.description,
            self.organizer.name,
            self.organizer.email,
            self.attendee.name,
            self.attendee.email,
        )
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def event_uid(cycle: str, sessie: str, personeelsnummer: str) -> str:
    """Stable per (cycle, session, person); readable data stays out of the UID."""
    key = "\x1f".join((cycle, sessie, personeelsnummer)).encode()
    return f"{hashlib.sha256(key).hexdigest()[:32]}@{UID_DOMAIN}"


def _address(party: Party, role: str | None) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = party.name
    if role is not None:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def _calendar(event: Event, method: str, sequence: int, stamp: dt.datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
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
    vevent.add("organizer", _address(event.organizer, None))
    vevent.add("attendee", _address(event.attendee, "REQ-PARTICIPANT"))
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
    calendar.add_component(vevent)
    data = bytes(calendar.to_ical())
    # The VTIMEZONE goes before the event (icalendar would write it after), and is the
    # same constant bytes in every file.
    at = data.index(b"BEGIN:VEVENT")
    return data[:at] + VTIMEZONE + data[at:]


def _observance(
    component: type[icalendar.TimezoneStandard | icalendar.TimezoneDaylight],
    name: str,
    start: dt.datetime,
    offsets: tuple[int, int],
) -> icalendar.cal.Component:
    observance = component()
    observance.add("tzname", name)
    observance.add("tzoffsetfrom", dt.timedelta(hours=offsets[0]))
    observance.add("tzoffsetto", dt.timedelta(hours=offsets[1]))
    observance.add("dtstart", start)
    observance.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1SU"})
    return observance


def _vtimezone() -> bytes:
    """Europe/Amsterdam as a rule, the form Outlook expects (as in ical4j's Outlook zone
    files): summer time from the last Sunday of March 02:00 to the last Sunday of October
    03:00, the EU rule since 1996. No RDATE lists, so it holds for any year."""
    zone = icalendar.Timezone()
    zone.add("tzid", TIMEZONE)
    zone.add_component(
        _observance(icalendar.TimezoneDaylight, "CEST", dt.datetime(1996, 3, 31, 2), (1, 2))
    )
    zone.add_component(
        _observance(icalendar.TimezoneStandard, "CET", dt.datetime(1996, 10, 27, 3), (2, 1))
    )
    return bytes(zone.to_ical())


VTIMEZONE = _vtimezone()


def request(event: Event, sequence: int, stamp: dt.datetime) -> bytes:
    """The invitation (METHOD:REQUEST); `stamp` is a UTC moment taken from the data."""
    return _calendar(event, "REQUEST", sequence, stamp)


def cancel(event: Event, sequence: int, stamp: dt.datetime) -> bytes:
    """The cancellation of an event sent earlier (METHOD:CANCEL, same UID)."""
    return _calendar(event, "CANCEL", sequence, stamp)


def parse(data: bytes) -> tuple[Event, int]:
    """An event written by request() or cancel() read back, with its SEQUENCE."""
    calendar = icalendar.Calendar.from_ical(data)
    vevent = next(iter(calendar.walk("VEVENT")))

    def party(key: str) -> Party:
        value = vevent.get(key)
        return Party(str(value.params.get("CN", "")), str(value).removeprefix("mailto:"))

    def local(key: str) -> dt.datetime:
        moment: dt.datetime = vevent.decoded(key)
        return moment.astimezone(ZONE).replace(tzinfo=None)

    event = Event(
        uid=str(vevent["uid"]),
        start=local("dtstart"),
        end=local("dtend"),
        summary=str(vevent.get("summary", "")),
        location=str(vevent.get("location", "")),
        url=str(vevent.get("url", "")),
        description=str(vevent.get("description", "")),
        organizer=party("organizer"),
        attendee=party("attendee"),
    )
    return event, int(vevent.get("sequence", 0))
