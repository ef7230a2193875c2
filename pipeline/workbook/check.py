"""Raw workbook -> a validated `Cycle`, or every problem at once.

`validate` reads each sheet (`records`, on top of `fields`), then runs the rules that
span rows and sheets (`rules`). Every problem is collected; when there is any error it
raises `WorkbookInvalid` with all errors and warnings, so nothing gets written.

Ids (sessie, personeelsnummer) are matched case-insensitively, all-digit ids by number
(Excel drops leading zeros); records carry the id as written in its own sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.content.model import Content
from pipeline.errors import Location, Problem, Severity, WorkbookInvalid
from pipeline.model import Cycle
from pipeline.workbook import schema
from pipeline.workbook.fields import Report
from pipeline.workbook.reader import RawSheet, RawWorkbook, known_columns, read_workbook
from pipeline.workbook.records import (
    read_bookings,
    read_organisation,
    read_outcomes,
    read_people,
    read_sessions,
)
from pipeline.workbook.rules import (
    check_dates,
    check_inbrengers,
    check_overlaps,
    check_sessions,
    check_unbooked,
)
from pipeline.workbook.values import (
    and_list,
)

SESSIES, DEELNEMERS, INDELING = schema.SESSIES, schema.DEELNEMERS, schema.INDELING
UITKOMSTEN, ORGANISATIE = schema.UITKOMSTEN, schema.ORGANISATIE


@dataclass(frozen=True)
class CheckResult:
    cycle: Cycle
    warnings: tuple[Problem, ...]


def check_workbook(path: Path, content: Content, today: dt.date) -> CheckResult:
    """Read and validate the workbook at `path`."""
    return validate(read_workbook(path), content, today)


def validate(raw: RawWorkbook, content: Content, today: dt.date) -> CheckResult:
    """Check every rule of the contract; raise WorkbookInvalid listing all problems."""
    report = Report(raw.problems)
    sheets = _usable_sheets(raw, report)
    sessies, deelnemers = sheets.get(SESSIES.name), sheets.get(DEELNEMERS.name)
    indeling, uitkomsten = sheets.get(INDELING.name), sheets.get(UITKOMSTEN.name)

    sessions, session_ids = read_sessions(sessies, content, report)
    people, people_ids = read_people(deelnemers, report)
    bookings = read_bookings(indeling, session_ids, people_ids, report)
    # Without a usable Indeling the group sizes are unknown, not zero.
    groups_known = indeling is not None and all(
        name in indeling.columns for name in _required_columns(INDELING)
    )
    if sessies is not None:
        check_sessions(sessions, bookings, sessies, report, groups_known)
        check_dates(sessions, today, sessies, report)
    if indeling is not None and groups_known:
        check_overlaps(sessions, bookings, indeling, report)
        check_inbrengers(bookings, indeling, report)
        if deelnemers is not None:
            check_unbooked(people, bookings, deelnemers, report)
    outcomes = read_outcomes(uitkomsten, session_ids, report)
    first_date = min((s.datum for s in sessions if s.datum is not None), default=None)
    organisation = read_organisation(
        sheets.get(ORGANISATIE.name), raw.path.parent, first_date, report
    )

    problems = report.ordered()
    complete = [session.to_session() for session in sessions]
    if report.has_errors or organisation is None or None in complete:
        raise WorkbookInvalid(problems)
    cycle = Cycle(
        organisation=organisation,
        sessions=tuple(s for s in complete if s is not None),
        people=tuple(people),
        bookings=tuple(bookings),
        outcomes=tuple(outcomes),
    )
    return CheckResult(cycle, tuple(p for p in problems if p.severity is Severity.WARNING))


# --- sheets and headers --------------------------------------------------------------


def _required_columns(spec: schema.Sheet) -> tuple[str, ...]:
    if spec is ORGANISATIE:
        return known_columns(spec)
    return tuple(column.name for column in spec.columns if column.required)


def _usable_sheets(raw: RawWorkbook, report: Report) -> dict[str, RawSheet]:
    """The contract sheets that are present and have a header row; reports the rest."""
    usable: dict[str, RawSheet] = {}
    for spec in schema.SHEETS:
        sheet = raw.sheets.get(spec.name)
        columns = and_list([f"'{name}'" for name in known_columns(spec)])
        if sheet is None or sheet.header_row == 0:
            if spec.required:
                state = "ontbreekt" if sheet is None else "is leeg"
                report.error(
                    f"blad '{spec.name}' {state}; verwacht een blad met in de kopregel de "
                    f"kolommen {columns}.",
                    Location(spec.name),
                )
            continue
        for name in _required_columns(spec):
            if name not in sheet.columns:
                report.error(
                    f"verplichte kolom '{name}' ontbreekt in de kopregel (rij "
                    f"{sheet.header_row}); verwacht de kolommen {columns}.",
                    Location(spec.name, sheet.header_row, name),
                )
        usable[spec.name] = sheet
    return usable
