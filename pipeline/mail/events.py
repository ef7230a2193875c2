"""Calendar events of a run: one .ics per invitation, and the cancellations planned for
bookings that are gone (a METHOD:CANCEL file each, a letter for who is still there).

Order within a run: the documents are rendered; calendar rows are planned (their content
hash is the event's fingerprint); the plan is compared with the previous manifest
(register/changes.py), which gives every event its SEQUENCE; then the .ics files and
the cancellations; the letters and e-mails follow in messages.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pipeline.content.model import Content
from pipeline.documents import dutch
from pipeline.documents.contexts import cancelled_session
from pipeline.documents.plan import Cancelled, Kind, letter_moment
from pipeline.identity import BookingKey, event_uid, id_key
from pipeline.kinds import AGENDA, CANCEL, FileKind
from pipeline.mail import calendar
from pipeline.mail.calendar import Event, Party
from pipeline.model import Aanhef, Cycle, Person, Rol, Session, Vorm
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.publish.staging import StagedOutput
from pipeline.register.changes import Comparison, key
from pipeline.render.batch import Renderer, map_chunks, write_staged
from pipeline.render.prepared import CoreProperties

if TYPE_CHECKING:
    from pipeline.register.letters import LetterDates


def _path(kind: FileKind, stem: str) -> str:
    return f"{kind.folder}/{stem}{kind.suffix}"


def _summary(theme_name: str, sessie: str) -> str:
    if theme_name.casefold() == "intervisie":
        return f"Intervisie ({sessie})"
    return f"Intervisie {theme_name} ({sessie})"


def _you(person: Person, formal: str, informal: str) -> str:
    return informal if person.aanhef is Aanhef.NEUTRAAL else formal


# A cancellation made: its METHOD:CANCEL calendar row, its letter (None: the person is no
# longer in the workbook) and the event as it was sent.
Cancellation = tuple[ManifestRow, ManifestRow | None, Event]


@dataclass(frozen=True, slots=True)
class Planned:
    """One invitation's calendar event, its manifest row and the letter it goes with."""

    row: ManifestRow
    event: Event
    letter: str  # the invitation's path
    typed: str = ""  # the row's content hash as made before identity.py (ids as typed)


@dataclass(frozen=True)
class _CalendarJob:
    relpath: PurePosixPath
    event: Event
    sequence: int
    stamp: dt.datetime  # DTSTAMP: the moment of the invitation's version


def _write_calendars(staging: Path, jobs: list[_CalendarJob]) -> list[str]:
    """Write a chunk of invitation .ics files into the staging folder; their sha256."""
    return [
        write_staged(staging, job.relpath, calendar.request(job.event, job.sequence, job.stamp))
        for job in jobs
    ]


@dataclass(frozen=True)
class CancelPlan:
    """The cancel step's calendar part: the comparison with the cancelled events' paths
    moved to their cancel files, the cancel files' rows, the cancellations without a
    letter, and the letters to render."""

    comparison: Comparison
    rows: list[ManifestRow]
    done: list[Cancellation]
    letters: list[tuple[ManifestRow, Cancelled]]


class MailingBase:
    """What the calendar and message steps share: the cycle, its people and sessions,
    the organizer and the moment every file is dated (from the data, never the clock)."""

    def __init__(
        self, cycle: Cycle, content: Content, staged: StagedOutput, renderer: Renderer
    ) -> None:
        self.cycle, self.content, self.staged, self.renderer = cycle, content, staged, renderer
        org = cycle.organisation
        self.organizer = Party(org.contactpersoon, org.contact_email)
        # DTSTAMP and Date: from the data (the letter date), never the clock.
        self.moment = letter_moment(cycle)
        self.stamp = self.moment.replace(tzinfo=calendar.ZONE).astimezone(dt.UTC)
        self.sessions = {s.sessie: s for s in cycle.sessions}
        self.people = {p.personeelsnummer: p for p in cycle.people}
        self.by_key = {id_key(p.personeelsnummer): p for p in cycle.people}
        self.sessions_by_key = {id_key(s.sessie): s for s in cycle.sessions}
        # UIDs the register gave bookings before; a booking it never saw gets a new one.
        self.uids: Mapping[BookingKey, str] = {}
        self.roles = {(b.sessie, b.personeelsnummer): b.rol for b in cycle.bookings}
        self.warnings: list[str] = []
        self.letter_props: dict[str, CoreProperties] = {}  # of the cancellation letters
        # The letter date of each cycle version and what each invitation replaces.
        self.letter_dates: LetterDates | None = None
        # The moment of the version that cancels a booking, by its cancel file's path.
        self.cancel_moments: dict[str, dt.datetime] = {}

    def moment_of(self, version: int) -> dt.datetime:
        """When the files of a cycle version are dated (its letter date at 09:00)."""
        return self.letter_dates.moment(version) if self.letter_dates else self.moment

    def stamp_of(self, version: int) -> dt.datetime:
        """The same moment as a calendar DTSTAMP (UTC)."""
        return self.moment_of(version).replace(tzinfo=calendar.ZONE).astimezone(dt.UTC)


class Events(MailingBase):
    # --- calendar ------------------------------------------------------------------

    def event(self, session: Session, person: Person, code: str | None = None) -> Event:
        """The booking's event; `code` shows the session code in another form (the
        compared form, for the fingerprint) instead of as typed."""
        org = self.cycle.organisation
        theme = self.content.theme(session.thema)
        name = theme.naam if theme else session.thema
        online = session.vorm is Vorm.ONLINE
        shown = session.sessie if code is None else code
        lines = [
            f"Intervisiesessie {name} ({shown}) van {org.gemeente}.",
            f"Begeleiding: {session.begeleider}.",
        ]
        if self.roles.get((session.sessie, person.personeelsnummer)) is Rol.INBRENGER:
            # The method's own description of the role, as in letter, draaiboek and syllabus.
            role = theme.inbrenger if theme and theme.inbrenger else ""
            lines.append(
                _you(person, "U bent inbrenger.", "Je bent inbrenger.") + f" {role}".rstrip()
            )
        if online and session.link:
            lines.append(f"Online: {session.link}")
        lines.append(
            f"Vragen of verhinderd? Neem contact op met {org.contactpersoon} via "
            f"{org.contact_email}."
        )
        return Event(
            uid=self.uids.get(BookingKey.of(session.sessie, person.personeelsnummer))
            or event_uid(org.cyclus, session.sessie, person.personeelsnummer),
            start=session.start,
            end=session.end,
            summary=_summary(name, shown),
            location=(session.link or "") if online else (session.locatie or ""),
            url=(session.link or "") if online else "",
            description="\n".join(lines),
            organizer=self.organizer,
            attendee=Party(dutch.full_name(person), person.email),
        )

    def fingerprint(self, session: Session, person: Person) -> str:
        """What the recipient's calendar shows, with the session code in its identity
        form: a retyped code ('au-01' for 'AU-01') is no new version of the event."""
        return self.event(session, person, code=id_key(session.sessie)).fingerprint()

    def plan_calendar(
        self, invitations: Iterable[ManifestRow], typed: Mapping[str, str] | None = None
    ) -> list[Planned]:
        """`typed`: per letter path its content hash with ids as typed (as before
        identity.py), to recognise a register of then."""
        planned = []
        for row in invitations:
            session, person = self.sessions[row.sessie], self.people[row.personeelsnummer]
            event = self.event(session, person)
            relpath = _path(AGENDA, PurePosixPath(row.pad).stem)
            letter_typed = (typed or {}).get(row.pad, row.inhoud)
            planned.append(
                Planned(
                    ManifestRow(
                        AGENDA.value,
                        row.sessie,
                        row.personeelsnummer,
                        relpath,
                        sha256="",
                        # The letter goes with the event: either changing is a new
                        # version of the invitation, and so a higher SEQUENCE.
                        inhoud=sha256_bytes(
                            f"{self.fingerprint(session, person)}:{row.inhoud}".encode()
                        ),
                    ),
                    event,
                    row.pad,
                    sha256_bytes(f"{event.fingerprint()}:{letter_typed}".encode()),
                )
            )
        return planned

    def write_calendar(
        self, planned: Sequence[Planned], versions: Mapping[Any, ManifestRow], workers: int
    ) -> list[ManifestRow]:
        """The .ics files, each with SEQUENCE = the row's version in this cycle; built in
        the run's worker processes (icalendar takes about a millisecond per file)."""
        rows = [versions[key(item.row)] for item in planned]
        jobs = [
            _CalendarJob(
                PurePosixPath(row.pad), item.event, row.versie, self.stamp_of(row.gewijzigd_in)
            )
            for row, item in zip(rows, planned, strict=True)
        ]
        write = partial(_write_calendars, self.staged.staging)
        digests = map_chunks(write, jobs, workers)
        return [replace(row, sha256=digest) for row, digest in zip(rows, digests, strict=True)]

    # --- cancellations ---------------------------------------------------------------

    def _previous_event(self, gone: ManifestRow) -> Event | None:
        """The event as it was last sent, from the previous run's calendar file."""
        try:
            data = (self.staged.target / gone.pad).read_bytes()
            return calendar.parse(data)[0]
        except (OSError, ValueError, KeyError, StopIteration, AttributeError):
            pass
        session = self.sessions_by_key.get(id_key(gone.sessie))
        person = self.by_key.get(id_key(gone.personeelsnummer))
        if session is None or person is None:
            return None
        return self.event(session, person)

    @staticmethod
    def _gone_invitations(comparison: Comparison) -> list[ManifestRow]:
        """Per booking gone in this cycle version its calendar entry; for a booking whose
        previous run made no calendar file (older versions), one made from its letter."""
        found = {(r.sessie, r.personeelsnummer): r for r in comparison.cancelled(AGENDA.value)}
        for letter in comparison.cancelled(Kind.UITNODIGING.value):
            found.setdefault(
                (letter.sessie, letter.personeelsnummer),
                replace(
                    letter,
                    soort=AGENDA.value,
                    pad=_path(AGENDA, PurePosixPath(letter.pad).stem),
                ),
            )
        return list(found.values())

    def cancel_events(self, comparison: Comparison) -> CancelPlan:
        """Write a METHOD:CANCEL file per invitation that is gone in this cycle version;
        plan a cancellation letter for each person still in the workbook."""
        rows: list[ManifestRow] = []
        done: list[Cancellation] = []
        moved: dict[Any, ManifestRow] = {}
        letters: list[tuple[ManifestRow, Cancelled]] = []
        for gone in self._gone_invitations(comparison):
            event = self._previous_event(gone)
            if event is None:
                self.warnings.append(
                    f"geen afzegging voor {gone.personeelsnummer} ({gone.sessie}): het "
                    "agenda-bestand van de vorige run ontbreekt en de sessie of de persoon "
                    "staat niet meer in het werkboek"
                )
                continue
            stem = PurePosixPath(gone.pad).stem
            relpath = _path(CANCEL, stem)
            data = calendar.cancel(event, gone.versie, self.stamp_of(gone.gewijzigd_in))
            self.cancel_moments[relpath] = self.moment_of(gone.gewijzigd_in)
            self.staged.write(PurePosixPath(relpath), data)
            row = ManifestRow(
                CANCEL.value, gone.sessie, gone.personeelsnummer, relpath, sha256_bytes(data)
            )
            rows.append(row)
            moved[key(gone)] = replace(gone, pad=relpath)
            person = self.by_key.get(id_key(gone.personeelsnummer))
            if person is None:
                self.warnings.append(
                    f"geen afzegbrief voor {event.attendee.name} ({gone.sessie}): staat niet meer "
                    "in het werkboek (wel een afzegging per e-mail)"
                )
                done.append((row, None, event))
                continue
            facts = cancelled_session(
                gone.sessie, event.summary, event.start, event.end, event.location
            )
            dated = self.letter_dates.date_of(gone.gewijzigd_in) if self.letter_dates else None
            letters.append((row, Cancelled(gone.sessie, person, facts, dated)))
        gone_rows = tuple(moved.get(key(g), g) for g in comparison.gone)
        return CancelPlan(replace(comparison, gone=gone_rows), rows, done, letters)
