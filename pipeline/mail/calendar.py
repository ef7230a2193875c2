"""Calendar invitations (.ics, RFC 5545/5546) with the icalendar package.

One event per invitation. The UID is stable per (cycle, session, person), so a calendar
updates the event it already has when SEQUENCE is higher; a cancellation carries the
same UID with METHOD:CANCEL. DTSTAMP comes from the data, never the clock: the same
input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from icalendar.caselessdict import canonsort_keys

TIMEZONE = "Europe/Amsterdam"
ZONE = ZoneInfo(TIMEZONE)
PRODID = "-//intervisie-docs//NL"
REMINDER = dt.timedelta(days=1)
# A UID icalendar writes as it is: nothing to escape, short enough not to be folded.
_PLAIN = re.compile(r"[A-Za-z0-9@._-]{1,70}")


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
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


def _address(party: Party, role: str | None) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = party.name
    if role is not None:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def _calendar(event: Event, method: str, sequence: int, stamp: dt.datetime) -> bytes:
    """The calendar as icalendar writes it (Component.to_ical): a header, the VTIMEZONE,
    the event's properties in icalendar's order, the alarm. Each property line is made
    by icalendar itself (_property), once per distinct value, and only put together
    here: a run writes thousands of events that share most of their lines."""
    names = {
        "SUMMARY": event.summary,
        "DTSTART": event.start.replace(tzinfo=ZONE),
        "DTEND": event.end.replace(tzinfo=ZONE),
        "DTSTAMP": stamp.replace(tzinfo=dt.UTC),
        "UID": event.uid,
        "SEQUENCE": sequence,
        "DESCRIPTION": event.description,
        "STATUS": "CANCELLED" if method == "CANCEL" else "CONFIRMED",
    }
    if event.location:
        names["LOCATION"] = event.location
    if event.url:
        names["URL"] = event.url
    if method != "CANCEL":
        names["TRANSP"] = "OPAQUE"
    lines = [_header(method), VTIMEZONE, b"BEGIN:VEVENT\r\n"]
    for name in _event_order((*names, "ATTENDEE", "ORGANIZER")):
        if name == "ATTENDEE":
            lines.append(_address_line(name, event.attendee, "REQ-PARTICIPANT"))
        elif name == "ORGANIZER":
            lines.append(_address_line(name, event.organizer, None))
        elif name == "UID" and _PLAIN.fullmatch(event.uid):
            lines.append(b"UID:" + event.uid.encode("ascii") + b"\r\n")  # unique: no cache
        else:
            lines.append(_property(name, names[name]))
    if method != "CANCEL":
        lines.append(_alarm(event.summary))
    lines.append(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    return b"".join(lines)


def _lines_of(component: icalendar.cal.Component) -> bytes:
    """A component's property lines as icalendar writes them, without BEGIN and END."""
    data = bytes(component.to_ical())
    name = str(component.name).encode()
    begin, end = b"BEGIN:" + name + b"\r\n", b"END:" + name + b"\r\n"
    if not (data.startswith(begin) and data.endswith(end)):
        raise ValueError(f"unexpected icalendar output for {component.name}")
    return data[len(begin) : -len(end)]


@lru_cache(maxsize=8192)
def _property(name: str, value: object) -> bytes:
    """One property line of an event (folded, escaped), made by icalendar."""
    vevent = icalendar.Event()
    vevent.add(name, value)
    return _lines_of(vevent)


@lru_cache(maxsize=8192)
def _address_line(name: str, party: Party, role: str | None) -> bytes:
    vevent = icalendar.Event()
    vevent.add(name, _address(party, role))
    return _lines_of(vevent)


@lru_cache(maxsize=64)
def _event_order(names: tuple[str, ...]) -> list[str]:
    """icalendar's order of an event's properties: its canonical ones, then the rest
    alphabetically."""
    return canonsort_keys(names, icalendar.Event.canonical_order)


@lru_cache(maxsize=4)
def _header(method: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return b"BEGIN:VCALENDAR\r\n" + _lines_of(calendar)


@lru_cache(maxsize=4096)
def _alarm(summary: str) -> bytes:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Morgen: {summary}")
    alarm.add("trigger", -REMINDER)
    return bytes(alarm.to_ical())


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
