"""The Dutch texts a run sends: the cancellation letters, and one e-mail (.eml) per
invitation and per cancellation with the letter and the calendar file attached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from pipeline.documents import dutch
from pipeline.documents.contexts import NO_CHANGE
from pipeline.documents.plan import Cancelled, iter_cancellations
from pipeline.identity import BookingKey, id_key
from pipeline.kinds import AGENDA, MAIL, Kind, core_properties
from pipeline.mail import calendar, outbox
from pipeline.mail.events import Cancellation, Events, _path, _summary, _you
from pipeline.model import Aanhef, Person, Vorm
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.register.changes import key, key_of
from pipeline.render.batch import Task


class Messages(Events):
    def cancellation_letters(
        self, letters: Sequence[tuple[ManifestRow, Cancelled]]
    ) -> tuple[list[ManifestRow], list[Cancellation]]:
        """Render the planned cancellation letters, signed like the invitations; their
        rows and per letter (calendar row, letter row, event)."""
        rows: list[ManifestRow] = []
        done: list[Cancellation] = []
        jobs = iter_cancellations(self.cycle, self.content, [c for _, c in letters])
        org = self.cycle.organisation
        for (ics_row, _), job in zip(letters, jobs, strict=True):
            moment = self.cancel_moments.get(ics_row.pad, self.moment)
            props = core_properties(job.kind.value, job.title, org.cyclus, org.gemeente, moment)
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
        return rows, done

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
            # A re-sent invitation says first what it replaces and what changed, as its
            # letter does (register/letters.py).
            dated = (
                self.letter_dates.dated.get(BookingKey.of(row.sessie, row.personeelsnummer))
                if self.letter_dates
                else None
            )
            change = dated.wijziging if dated else NO_CHANGE
            paragraphs = (
                dutch.salutation(person),
                *((str(change["samenvatting"]),) if change["vervangt"] else ()),
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
                subject=f"{'Gewijzigde uitnodiging' if change['vervangt'] else 'Uitnodiging'}"
                f" intervisie{named} op {dutch.long_date(start.date())}",
                paragraphs=paragraphs,
                letter=self._letter(letters[key(row)]),
                calendar=(self.staged.staging / row.pad).read_bytes(),
                calendar_method="REQUEST",
                date=self.moment_of(dated.version) if dated else self.moment,
                key=f"{org.cyclus}\x1f{row.sessie}\x1f{row.personeelsnummer}\x1fuitnodiging",
            )
            stem = PurePosixPath(row.pad).stem
            rows.append(self._write_mail(stem, mail, row.sessie, row.personeelsnummer))
        return rows

    def _closing(self) -> tuple[str, str]:
        org = self.cycle.organisation
        return ("Met vriendelijke groet,", f"{org.contactpersoon}\n{org.gemeente}")

    def _standing(self, person: Person | None, cancelled: str, formal: bool) -> tuple[str, ...]:
        """A paragraph naming the person's sessions that still stand, if any."""
        if person is None:
            return ()
        own = sorted(
            (self.sessions[s] for (s, n) in self.roles if n == person.personeelsnummer),
            key=lambda session: session.start,
        )
        named = []
        for session in own:
            if session.sessie == cancelled:
                continue
            theme = self.content.theme(session.thema)
            named.append(
                f"{_summary(theme.naam if theme else session.thema, session.sessie)} op "
                f"{dutch.long_date(session.datum)} van "
                f"{dutch.clock_range(session.start, session.end)} uur"
            )
        if not named:
            return ()
        what = "sessie gaat" if len(named) == 1 else "sessies gaan"
        return (
            f"{'Uw' if formal else 'Je'} andere {what} wel door: {dutch.enumeration(named)}.",
        )

    def cancellation_mails(self, done: Sequence[Cancellation]) -> list[ManifestRow]:
        org = self.cycle.organisation
        rows = []
        for ics_row, letter, event in done:
            person = self.by_key.get(id_key(ics_row.personeelsnummer))
            greeting = dutch.salutation(person) if person else f"Beste {event.attendee.name},"
            formal = person is None or person.aanhef is not Aanhef.NEUTRAAL
            you = "u" if formal else "je"
            paragraphs = (
                greeting,
                f"De sessie {event.summary} op {dutch.long_date(event.start.date())} "
                f"van {dutch.clock_range(event.start, event.end)} uur gaat voor {you} niet "
                f"door. De bijgevoegde agenda-afzegging haalt de afspraak uit "
                f"{'uw' if formal else 'je'} agenda.",
                *self._standing(person, ics_row.sessie, formal),
                f"Vragen? Neem contact op met {org.contactpersoon} via {org.contact_email}.",
                *self._closing(),
            )
            title = event.summary.removesuffix(f" ({ics_row.sessie})")
            mail = outbox.Mail(
                sender_name=self.organizer.name,
                sender_email=self.organizer.email,
                recipient_name=event.attendee.name,
                recipient_email=event.attendee.email,
                subject=f"Afzegging: {title} op {dutch.plain_date(event.start.date())} om "
                f"{dutch.clock(event.start)} uur",
                paragraphs=paragraphs,
                letter=self._letter(letter.pad) if letter else None,
                calendar=(self.staged.staging / ics_row.pad).read_bytes(),
                calendar_method="CANCEL",
                date=self.cancel_moments.get(ics_row.pad, self.moment),
                key=f"{org.cyclus}\x1f{ics_row.sessie}\x1f{ics_row.personeelsnummer}\x1fafzegging",
            )
            stem = f"afzegging-{PurePosixPath(ics_row.pad).stem}"
            rows.append(self._write_mail(stem, mail, ics_row.sessie, ics_row.personeelsnummer))
        return rows


def letter_paths(rows: Iterable[ManifestRow]) -> dict[Any, str]:
    """Invitation letters by their calendar row's key."""
    return {
        key_of(AGENDA.value, row.sessie, row.personeelsnummer): row.pad
        for row in rows
        if row.soort == Kind.UITNODIGING.value
    }
