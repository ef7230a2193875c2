"""A run's calendar files, cancellations and e-mail outbox, written into the staging folder.

Order within a run: the documents are rendered; calendar rows are planned (their content
hash is the event's fingerprint); the plan is compared with the previous manifest
(register/changes.py), which gives every event its SEQUENCE; then the .ics files, the
cancellations (letter, METHOD:CANCEL calendar file) and, when asked, the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.content.themes import Content
from pipeline.documents import dutch
from pipeline.documents.contexts import cancelled_session
from pipeline.documents.plan import Cancelled, Kind, iter_cancellations, letter_moment
from pipeline.kinds import AGENDA, CANCEL, MAIL, FileKind, core_properties
from pipeline.mail import calendar, outbox
from pipeline.mail.calendar import Event, Party
from pipeline.model import Aanhef, Cycle, Person, Rol, Session, Vorm
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.publish.staging import StagedOutput
from pipeline.register.changes import Comparison, key
from pipeline.render.batch import Renderer, Task, map_chunks, write_staged
from pipeline.render.prepared import CoreProperties


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


@dataclass(frozen=True)
class Planned:
    """One invitation's calendar event, its manifest row and the letter it goes with."""

    row: ManifestRow
    event: Event
    letter: str  # the invitation's path


@dataclass(frozen=True)
class _CalendarJob:
    relpath: PurePosixPath
    event: Event
    sequence: int


def _write_calendars(staging: Path, stamp: dt.datetime, jobs: list[_CalendarJob]) -> list[str]:
    """Write a chunk of invitation .ics files into the staging folder; their sha256."""
    return [
        write_staged(staging, job.relpath, calendar.request(job.event, job.sequence, stamp))
        for job in jobs
    ]


class Mailing:
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
        self.roles = {(b.sessie, b.personeelsnummer): b.rol for b in cycle.bookings}
        self.warnings: list[str] = []
        self.letter_props: dict[str, CoreProperties] = {}  # of the cancellation letters

    # --- calendar ------------------------------------------------------------------

    def event(self, session: Session, person: Person) -> Event:
        org = self.cycle.organisation
        theme = self.content.theme(session.thema)
        name = theme.naam if theme else session.thema
        online = session.vorm is Vorm.ONLINE
        lines = [
            f"Intervisiesessie {name} ({session.sessie}) van {org.gemeente}.",
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
            uid=calendar.event_uid(org.cyclus, session.sessie, person.personeelsnummer),
            start=session.start,
            end=session.end,
            summary=_summary(name, session.sessie),
            location=(session.link or "") if online else (session.locatie or ""),
            url=(session.link or "") if online else "",
            description="\n".join(lines),
            organizer=self.organizer,
            attendee=Party(dutch.full_name(person), person.email),
        )

    def plan_calendar(self, invitations: Iterable[ManifestRow]) -> list[Planned]:
        planned = []
        for row in invitations:
            event = self.event(self.sessions[row.sessie], self.people[row.personeelsnummer])
            relpath = _path(AGENDA, PurePosixPath(row.pad).stem)
            planned.append(
                Planned(
                    ManifestRow(
                        AGENDA.value,
                        row.sessie,
                        row.personeelsnummer,
                        relpath,
                        sha256="",
                        inhoud=event.fingerprint(),
                    ),
                    event,
                    row.pad,
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
            _CalendarJob(PurePosixPath(row.pad), item.event, row.versie)
            for row, item in zip(rows, planned, strict=True)
        ]
        write = partial(_write_calendars, self.staged.staging, self.stamp)
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
        session = self.sessions.get(gone.sessie)
        person = self.people.get(gone.personeelsnummer)
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

    def cancellations(
        self, comparison: Comparison
    ) -> tuple[Comparison, list[ManifestRow], list[Cancellation]]:
        """Write a METHOD:CANCEL file per invitation that is gone in this cycle version and a
        cancellation letter when the person is still in the workbook. Returns the
        comparison with the cancelled events' paths moved to their cancel files, the new
        manifest rows, and per cancellation (calendar row, letter row, event)."""
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
            data = calendar.cancel(event, gone.versie, self.stamp)
            self.staged.write(PurePosixPath(relpath), data)
            row = ManifestRow(
                CANCEL.value, gone.sessie, gone.personeelsnummer, relpath, sha256_bytes(data)
            )
            rows.append(row)
            moved[key(gone)] = replace(gone, pad=relpath)
            person = self.people.get(gone.personeelsnummer)
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
            letters.append((row, Cancelled(gone.sessie, person, facts)))
        jobs = iter_cancellations(self.cycle, self.content, [c for _, c in letters])
        org = self.cycle.organisation
        for (ics_row, _), job in zip(letters, jobs, strict=True):
            props = core_properties(
                job.kind.value, job.title, org.cyclus, org.gemeente, self.moment
            )
            self.letter_props[job.relpath.as_posix()] = props
            data = self.renderer.render(Task(job.kind, job.relpath, job.context, props))
            self.staged.write(job.relpath, data)
            letter = ManifestRow(
                Kind.AFZEGGING.value,
                job.sessie or "",
                job.personeelsnummer or "",
                job.relpath.as_posix(),
                sha256_bytes(data),
            )
            rows.append(letter)
            event = calendar.parse((self.staged.staging / ics_row.pad).read_bytes())[0]
            done.append((ics_row, letter, event))
        gone_rows = tuple(moved.get(key(g), g) for g in comparison.gone)
        return replace(comparison, gone=gone_rows), rows, done

    # --- outbox ----------------------------------------------------------------------

    def _letter(self, pad: str) -> outbox.Attachment:
        """The letter as PDF when the run made one next to the .docx, else the .docx."""
        docx = self.staged.staging / pad
        pdf = docx.with_suffix(".pdf")
        chosen = pdf if pdf.is_file() else docx
        return outbox.Attachment(chosen.name, chosen.read_bytes())

    def _write_mail(self, stem: str, mail: outbox.Mail, sessie: str, nummer: str) -> ManifestRow:
        data = outbox.build(mail)
        relpath = _path(MAIL, stem)
        self.staged.write(PurePosixPath(relpath), data)
        return ManifestRow(MAIL.value, sessie, nummer, relpath, sha256_bytes(data))

    def invitation_mails(
        self, calendar_rows: Sequence[ManifestRow], letters: Mapping[Any, str]
    ) -> list[ManifestRow]:
        org = self.cycle.organisation
        rows = []
        for row in calendar_rows:
            session = self.sessions[row.sessie]
            person = self.people[row.personeelsnummer]
            theme = self.content.theme(session.thema)
            name = theme.naam if theme else session.thema
            # The general method is called Intervisie: no 'intervisie Intervisie'.
            named = "" if name.casefold() == "intervisie" else f" {name}"
            start, end = session.start, session.end
            where = (
                f"online via {session.link}"
                if session.vorm is Vorm.ONLINE
                else f"in {session.locatie}"
            )
            paragraphs = (
                dutch.salutation(person),
                f"{_you(person, 'Graag nodig ik u', 'Graag nodig ik je')} uit voor de "
                f"intervisiesessie{named} ({session.sessie}) op {dutch.long_date(start.date())}"
                f" van {dutch.clock_range(start, end)} uur, {where}.",
                f"In de bijlage {_you(person, 'vindt u', 'vind je')} de uitnodiging met alle "
                "informatie en een agenda-afspraak. "
                f"{_you(person, 'Kunt u', 'Kun je')} niet aanwezig zijn, of "
                f"{_you(person, 'hebt u', 'heb je')} vragen? Neem dan contact op met "
                f"{org.contactpersoon} via {org.contact_email}.",
                *self._closing(),
            )
            mail = outbox.Mail(
                sender_name=self.organizer.name,
                sender_email=self.organizer.email,
                recipient_name=dutch.full_name(person),
                recipient_email=person.email,
                subject=f"Uitnodiging intervisie{named} op {dutch.long_date(start.date())}",
                paragraphs=paragraphs,
                letter=self._letter(letters[key(row)]),
                calendar=(self.staged.staging / row.pad).read_bytes(),
                calendar_method="REQUEST",
                date=self.moment,
                key=f"{org.cyclus}\x1f{row.sessie}\x1f{row.personeelsnummer}\x1fuitnodiging",
            )
            stem = PurePosixPath(row.pad).stem
            rows.append(self._write_mail(stem, mail, row.sessie, row.personeelsnummer))
        return rows

    def _closing(self) -> tuple[str, str]:
        org = self.cycle.organisation
        return ("Met vriendelijke groet,", f"{org.contactpersoon}\n{org.gemeente}")

    def cancellation_mails(
        self, done: Sequence[Cancellation]
    ) -> list[ManifestRow]:
        org = self.cycle.organisation
        rows = []
        for ics_row, letter, event in done:
            person = self.people.get(ics_row.personeelsnummer)
            greeting = dutch.salutation(person) if person else f"Beste {event.attendee.name},"
            formal = person is None or person.aanhef is not Aanhef.NEUTRAAL
            you = "u" if formal else "je"
            paragraphs = (
                greeting,
                f"De sessie {event.summary} op {dutch.long_date(event.start.date())} "
                f"van {dutch.clock_range(event.start, event.end)} uur gaat voor {you} niet "
                f"door. De bijgevoegde agenda-afzegging haalt de afspraak uit "
                f"{'uw' if formal else 'je'} agenda.",
                f"Vragen? Neem contact op met {org.contactpersoon} via {org.contact_email}.",
                *self._closing(),
            )
            mail = outbox.Mail(
                sender_name=self.organizer.name,
                sender_email=self.organizer.email,
                recipient_name=event.attendee.name,
                recipient_email=event.attendee.email,
                subject=f"Afzegging: {event.summary} op {dutch.long_date(event.start.date())}",
                paragraphs=paragraphs,
                letter=self._letter(letter.pad) if letter else None,
                calendar=(self.staged.staging / ics_row.pad).read_bytes(),
                calendar_method="CANCEL",
                date=self.moment,
                key=f"{org.cyclus}\x1f{ics_row.sessie}\x1f{ics_row.personeelsnummer}\x1fafzegging",
            )
            stem = f"afzegging-{PurePosixPath(ics_row.pad).stem}"
            rows.append(self._write_mail(stem, mail, ics_row.sessie, ics_row.personeelsnummer))
        return rows


def letter_paths(rows: Iterable[ManifestRow]) -> dict[Any, str]:
    """Invitation letters by their calendar row's key."""
    return {
        (AGENDA.value, row.sessie, row.personeelsnummer): row.pad
        for row in rows
        if row.soort == Kind.UITNODIGING.value
    }
