"""The date each letter carries, and what a changed invitation replaces.

Every version of a cycle has its own letter date, recorded in the register:

- the first version: the workbook's `briefdatum` (its own, or the default before the
  first session);
- a later version: the workbook's own `briefdatum` when HR changed it since the last
  version, else the day of the run that makes the version, never before the date of the
  version before it.

A letter carries the date of the version it last changed in, so a letter that did not
change keeps its date and a re-run with the same input and register writes the same
bytes. A new `briefdatum` in a run that changes nothing else dates the letters of the
newest version anew (the letters HR has not yet sent, as a rule).

The documents are rendered before the run is compared with the register (run.py), so
an invitation is dated here from its own content hash: unchanged since the last version,
or new in this run's version. `settle` corrects the rare letter whose date depends on the
whole run (a new briefdatum with nothing else changed), which the run then renders again.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.documents import dutch
from pipeline.documents.facts import Facts, change_context, earlier_date, unknown_facts
from pipeline.documents.plan import DocumentJob
from pipeline.identity import BookingKey
from pipeline.kinds import Kind
from pipeline.model import Booking, Cycle, Session
from pipeline.register.changes import Comparison, Previous, key_of
from pipeline.register.cycles import CycleState
from pipeline.workbook.records import LETTER_LEAD_DAYS

INVITATION = Kind.UITNODIGING.value


@dataclass(frozen=True, slots=True)
class Dated:
    """How one invitation is dated and what it says it replaces."""

    version: int  # the cycle version it last changed in (this run's: a new one)
    date: dt.date
    wijziging: dict[str, Any]
    facts: str  # JSON of its facts, to record
    replaced: str | None  # JSON of the facts it replaced (or only their date), None: none


@dataclass
class LetterDates:
    """The letter dates of one run, from the register's memory of the cycle."""

    state: CycleState
    previous: Previous | None  # the last version (the register's, or a taken-over folder's)
    cycle: Cycle
    today: dt.date
    dated: dict[BookingKey, Dated] = field(default_factory=dict)
    settled: bool = False  # a new briefdatum dated the newest version anew

    def __post_init__(self) -> None:
        org = self.cycle.organisation
        self.last = self.previous.version if self.previous else 0
        self.own = org.briefdatum_werkboek  # the workbook's own briefdatum, if any
        known = self.state.version_dates
        if self.previous is None:
            self.new_date = org.briefdatum
        elif self.briefdatum_changed:
            self.new_date = self.own or org.briefdatum
        else:
            self.new_date = max(self.today, known.get(self.last, org.briefdatum))
        self.dates = dict(known)
        self.before = {
            key_of(r.soort, r.sessie, r.personeelsnummer): r
            for r in (self.previous.rows if self.previous else ())
            if r.soort == INVITATION
        }
        self.sessions = {s.sessie: s for s in self.cycle.sessions}
        self.bookings = {(b.sessie, b.personeelsnummer): b for b in self.cycle.bookings}

    @property
    def briefdatum_changed(self) -> bool:
        """Whether HR gave a briefdatum of its own other than the last version's."""
        own = self.own
        return self.previous is not None and own is not None and own != self.state.briefdatum

    def date_of(self, version: int) -> dt.date:
        """The letter date of a cycle version (this run's new one: `new_date`); a version a
        register before schema 2 did not date: the workbook's date, as then."""
        if version > self.last:
            return self.new_date
        return self.dates.get(version, self.cycle.organisation.briefdatum)

    def reason(self, version: int) -> str:
        """Why the letters of `version` carry their date, in Dutch (the run's summary)."""
        if self.previous is None:
            if self.own is not None:
                return "de briefdatum uit het werkboek"
            return f"standaard {LETTER_LEAD_DAYS} dagen voor de eerste sessie"
        if self.briefdatum_changed:
            return "de nieuwe briefdatum uit het werkboek"
        if version > self.last:
            if self.new_date == self.today:
                return "de dag van deze run"
            return "niet eerder dan de brieven van de vorige versie"
        return ""

    def invitation(
        self, session: Session, booking: Booking, inhoud: str, formal: bool, typed: str = ""
    ) -> Dated:
        """Date the invitation of `booking` whose content hash is `inhoud` (`typed`: the
        same made with ids as typed, which a register of before identity.py holds)."""
        booking_key = BookingKey.of(booking.sessie, booking.personeelsnummer)
        old = self.before.get(key_of(INVITATION, booking.sessie, booking.personeelsnummer))
        recorded_facts, recorded_replaced = self.state.letters.get(booking_key, (None, None))
        if old is not None and (old.inhoud == inhoud or (typed and old.inhoud == typed)):
            version = old.gewijzigd_in
            replaced_json = recorded_replaced
        else:
            version = self.last + 1
            # A version that follows one of this booking replaces it; a booking that is new,
            # or comes back after a cancellation, gets a first invitation. Of a version a
            # register before schema 2 made, only its date is known.
            replaced_json = None
            if old is not None:
                replaced_json = recorded_facts or unknown_facts(self.date_of(old.gewijzigd_in))
        date = self.date_of(version)
        now = Facts.of(session, booking.rol, date)
        dated = Dated(
            version,
            date,
            self._change(replaced_json, now, formal),
            sys.intern(now.to_json()),  # the same for everyone in a session and role
            replaced_json,
        )
        self.dated[booking_key] = dated
        return dated

    def settle(self, comparison: Comparison) -> set[BookingKey]:
        """After the comparison: a new briefdatum in a run that made no new version dates
        the newest version's letters anew. The bookings whose invitation must be rendered
        again with its corrected date."""
        if comparison.version != self.last or not self.briefdatum_changed or not self.own:
            return set()
        if not self.dated:  # no invitations made (--soort): the next run that makes them
            return set()
        self.settled = True
        self.dates[self.last] = self.own
        again = set()
        for booking_key, dated in list(self.dated.items()):
            if dated.version == self.last and dated.date != self.own:
                again.add(booking_key)
        return again

    def redate(self, booking_key: BookingKey, formal: bool) -> Dated:
        """The invitation of `booking_key` dated again after `settle`."""
        dated = self.dated[booking_key]
        now = Facts.from_json(dated.facts)
        if now is None:  # written by Facts.to_json above
            raise ValueError(dated.facts)
        now = replace(now, briefdatum=self.date_of(dated.version))
        fresh = Dated(
            dated.version,
            now.briefdatum,
            self._change(dated.replaced, now, formal),
            now.to_json(),
            dated.replaced,
        )
        self.dated[booking_key] = fresh
        return fresh

    @staticmethod
    def _change(replaced: str | None, now: Facts, formal: bool) -> dict[str, Any]:
        before = Facts.from_json(replaced)
        return change_context(before, replaced is not None, now, formal, earlier_date(replaced))

    def moment(self, version: int) -> dt.datetime:
        """When the letters, calendar files and e-mails of a version are dated: its letter
        date at 09:00 (from the data, never the clock)."""
        return dt.datetime.combine(self.date_of(version), dt.time(9, 0))

    def dated_job(
        self, job: DocumentJob, inhoud: str, typed: str = ""
    ) -> tuple[DocumentJob, dt.datetime | None]:
        """An invitation's job with its letter date and `wijziging`, and the moment its
        file is dated (any other job as it is, None); `inhoud` is its content hash, which
        neither changes (`typed`: the hash with ids as typed, see invitation)."""
        if job.kind is not Kind.UITNODIGING:
            return job, None
        booking = self.bookings[(job.sessie or "", job.personeelsnummer or "")]
        session = self.sessions[booking.sessie]
        formal = bool(job.context["ontvanger"]["formeel"])
        dated = self.invitation(session, booking, inhoud, formal, typed)
        return self.with_date(job, dated), self.moment(dated.version)

    @staticmethod
    def with_date(job: DocumentJob, dated: Dated) -> DocumentJob:
        context = dict(job.context)
        context["organisatie"] = {
            **context["organisatie"],
            "briefdatum": dutch.plain_date(dated.date),
        }
        context["wijziging"] = dated.wijziging
        return replace(job, context=context)

    def briefdatum_of(self, comparison: Comparison) -> dt.date | None:
        """The workbook's own briefdatum to record with the version the run leaves: the one
        that dated it, or (a run that dated nothing anew) the one recorded before, so a new
        briefdatum waits for the run that uses it."""
        if self.previous is None or comparison.version > self.last or self.settled:
            return self.own
        return self.state.briefdatum

    def recorded(self) -> Mapping[BookingKey, tuple[str, str | None]]:
        """Per planned invitation the facts to record in the register."""
        return {k: (d.facts, d.replaced) for k, d in self.dated.items()}


__all__ = ["Dated", "LetterDates"]
