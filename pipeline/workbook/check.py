"""Raw workbook -> a validated `Cycle`, or every problem at once.

`validate` reads each sheet row by row (`records`, on top of `fields`), then runs the
rules that span rows and sheets (`rules`); the Organisatie sheet is read here. Every
problem is collected; when there is any error it raises `WorkbookInvalid` with all
errors and warnings, so nothing gets written.

Ids (sessie, personeelsnummer) are matched case-insensitively, all-digit ids by number
(Excel drops leading zeros); records carry the id as written in its own sheet. People
whose letter goes to internal delivery (no complete postal address) are available as
`CheckResult.internal_delivery`, derived from `Person.postadres is None` for everyone
booked into a session.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from docx.image.image import Image

from pipeline.content.themes import Content
from pipeline.errors import Location, Problem, Severity, WorkbookInvalid, describe_os_error
from pipeline.model import Cycle, Organisation
from pipeline.workbook import schema
from pipeline.workbook.fields import OrganisationFields, Report
from pipeline.workbook.reader import RawSheet, RawWorkbook, known_columns, read_workbook
from pipeline.workbook.records import (
    parse_day,
    read_bookings,
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
    CellValue,
    InvalidValue,
    and_list,
    as_line,
    as_text,
    parse_email,
    show,
)

DEFAULT_FUNCTIE = "Gemeentesecretaris"
LETTER_LEAD_DAYS = 21
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

SESSIES, DEELNEMERS, INDELING = schema.SESSIES, schema.DEELNEMERS, schema.INDELING
UITKOMSTEN, ORGANISATIE = schema.UITKOMSTEN, schema.ORGANISATIE


@dataclass(frozen=True)
class CheckResult:
    cycle: Cycle
    warnings: tuple[Problem, ...]

    @property
    def internal_delivery(self) -> tuple[str, ...]:
        """Personeelsnummers of booked people without a complete postal address."""
        booked = {booking.personeelsnummer for booking in self.cycle.bookings}
        return tuple(
            person.personeelsnummer
            for person in self.cycle.people
            if person.postadres is None and person.personeelsnummer in booked
        )


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
    organisation = _read_organisation(
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


# --- Organisatie -----------------------------------------------------------------------


def _read_organisation(
    sheet: RawSheet | None, folder: Path, first_date: dt.date | None, report: Report
) -> Organisation | None:
    f = OrganisationFields(sheet, report)
    gemeente = f.text("gemeente")
    secretaris = f.text("gemeentesecretaris")
    functie = f.text("functie_ondertekenaar") or DEFAULT_FUNCTIE
    handtekening = f.get("handtekening", partial(_parse_signature, folder))
    afzender = f.lines("afzender_adres")
    contactpersoon = f.text("contactpersoon")
    email = f.get("contact_email", parse_email)
    telefoon = f.text("contact_telefoon")
    cyclus = f.get("cyclus", as_line)
    plaats = f.text("plaats") or (_place(gemeente) if gemeente else None)
    briefdatum = f.get("briefdatum", parse_day)
    if briefdatum is not None and first_date is not None and briefdatum > first_date:
        f.warn(
            "briefdatum",
            f"briefdatum {briefdatum:%d-%m-%Y} ligt na de eerste sessie "
            f"({first_date:%d-%m-%Y}); de uitnodigingen zouden dan te laat komen.",
        )
    if briefdatum is None and first_date is not None:
        briefdatum = first_date - dt.timedelta(days=LETTER_LEAD_DAYS)
    if (
        not f.ok
        or gemeente is None
        or secretaris is None
        or contactpersoon is None
        or email is None
        or cyclus is None
        or plaats is None
        or briefdatum is None
    ):
        return None
    return Organisation(
        gemeente=gemeente,
        gemeentesecretaris=secretaris,
        functie_ondertekenaar=functie,
        handtekening=handtekening,
        afzender_adres=afzender,
        contactpersoon=contactpersoon,
        contact_email=email,
        contact_telefoon=telefoon,
        cyclus=cyclus,
        plaats=plaats,
        briefdatum=briefdatum,
    )


def _place(gemeente: str) -> str:
    """'Gemeente Voorbeeldstad' -> 'Voorbeeldstad'."""
    prefix = "gemeente "
    if gemeente.lower().startswith(prefix) and gemeente[len(prefix) :].strip():
        return gemeente[len(prefix) :].strip()
    return gemeente


MAX_SIGNATURE_BYTES = 5 * 1024 * 1024  # a scanned signature is tens of kilobytes
MAX_SIGNATURE_PIXELS = 16_000_000  # 4000 x 4000; every letter carries a copy


def _parse_signature(folder: Path, value: CellValue) -> Path:
    """A PNG or JPEG file in the workbook's folder (or below it), by magic bytes, of a
    size a letter can carry. Only there: the workbook must not pull any picture on the
    machine into letters sent out in the secretary's name."""
    text = as_text(value)
    path = folder / text.replace("\\", "/")
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen; controleer het pad."
        ) from None
    if not inside:
        raise InvalidValue(
            f"handtekening '{show(text)}' staat buiten de map van het werkboek ({folder}); "
            "kopieer het bestand naar die map en geef alleen de bestandsnaam op."
        )
    try:
        info = os.stat(resolved)
    except FileNotFoundError:
        raise InvalidValue(
            f"handtekening '{show(text)}' bestaat niet (gezocht: {path}); geef het pad ten "
            "opzichte van de map van het werkboek."
        ) from None
    except (OSError, ValueError) as exc:
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen: {_os_reason(exc)}."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidValue(
            f"handtekening '{show(text)}' is een map; geef het pad van het afbeeldingsbestand."
        )
    if not stat.S_ISREG(info.st_mode):
        raise InvalidValue(
            f"handtekening '{show(text)}' is geen gewoon bestand (maar bijvoorbeeld een "
            "apparaat of pijp); geef het pad van het afbeeldingsbestand."
        )
    if info.st_size > MAX_SIGNATURE_BYTES:
        raise InvalidValue(
            f"handtekening '{show(text)}' is {info.st_size / 1024 / 1024:.0f} MB; dat is te "
            f"groot voor een brief (hoogstens {MAX_SIGNATURE_BYTES // 1024 // 1024} MB). Sla "
            "de handtekening kleiner op, bijvoorbeeld 600 x 200 pixels."
        )
    try:
        with resolved.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen: {_os_reason(exc)}."
        ) from None
    if not magic.startswith(IMAGE_MAGICS):
        raise InvalidValue(
            f"handtekening '{show(text)}' is geen PNG- of JPEG-afbeelding; sla de handtekening "
            "op als .png of .jpg."
        )
    try:  # the same parse Word embedding needs: a damaged header fails here, not mid-run
        image = Image.from_file(str(resolved))
    except Exception:  # python-docx raises several unrelated types for a bad image
        raise InvalidValue(
            f"handtekening '{show(text)}' is beschadigd en kan niet in een brief worden "
            "geplaatst; sla de afbeelding opnieuw op als .png of .jpg."
        ) from None
    if image.px_width * image.px_height > MAX_SIGNATURE_PIXELS:
        raise InvalidValue(
            f"handtekening '{show(text)}' is {image.px_width} x {image.px_height} pixels; dat "
            "is te groot voor een brief (hoogstens 16 miljoen pixels). Sla de handtekening "
            "kleiner op, bijvoorbeeld 600 x 200 pixels."
        )
    return resolved


def _os_reason(exc: BaseException) -> str:
    return describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
