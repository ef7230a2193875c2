"""Every kind of file a run writes, in one registry, and the documents' core properties.

A kind is what manifest.json calls `soort`: the documents planned from the workbook
(uitnodiging, draaiboek, syllabus, vervolgadvies), the cancellation letters, the print
bundles, the calendar files, the e-mails, and the PDF variant of each Word kind
(`<soort>-pdf`, next to its .docx). Stages ask this registry for a kind's folder, suffix,
template, PDF variant, whether it belongs with the invitations (a run that makes
invitations replaces it; a run without them carries it over) and how letters are
delivered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo

from pipeline.render.prepared import CoreProperties

# The time zone of every date and time in the workbook.
TIMEZONE = ZoneInfo("Europe/Amsterdam")
PDF_SUFFIX = "-pdf"  # manifest soort of a PDF: its document's soort plus this


@dataclass(frozen=True)
class FileKind:
    value: str  # the manifest's soort
    folder: str  # under the cycle folder
    suffix: str
    template: str | None = None  # the Word template it is rendered from, in templates/
    pdf: bool = False  # a PDF of it may be made next to it (`<soort>-pdf`)
    with_invitations: bool = False  # made, replaced and dropped with the invitations
    signed: bool = False  # carries the secretary's signature image
    routed: bool = False  # a letter: goes by post, or by internal post without an address

    @property
    def pdf_value(self) -> str:
        return pdf_soort(self.value)


class Kind(Enum):
    """The kinds rendered from a Word template; the first four are planned from the
    workbook (and --soort chooses among them)."""

    UITNODIGING = "uitnodiging"
    DRAAIBOEK = "draaiboek"
    SYLLABUS = "syllabus"
    VERVOLGADVIES = "vervolgadvies"
    # Made only for bookings that disappeared since the previous run (register/changes.py).
    AFZEGGING = "afzegging"

    @property
    def spec(self) -> FileKind:
        return REGISTRY[self.value]

    @property
    def template(self) -> str:
        return f"{self.value}.docx"

    @property
    def folder(self) -> str:
        return self.spec.folder


# The kinds a run plans from the workbook (and --soort chooses from).
ALL_KINDS = (Kind.UITNODIGING, Kind.DRAAIBOEK, Kind.SYLLABUS, Kind.VERVOLGADVIES)

BUNDLE = FileKind("afdrukbestand", "afdrukken", ".docx", pdf=True, with_invitations=True)
AGENDA = FileKind("agenda", "agenda", ".ics", with_invitations=True)  # one per invitation
# METHOD:CANCEL for an invitation that is gone, next to its cancellation letter.
CANCEL = FileKind("agenda-afzegging", "afzeggingen", ".ics", with_invitations=True)
MAIL = FileKind("e-mail", "e-mail", ".eml", with_invitations=True)


def _document(kind: Kind, folder: str, *, letter: bool = False) -> FileKind:
    return FileKind(
        kind.value,
        folder,
        ".docx",
        template=kind.template,
        pdf=True,
        with_invitations=letter,
        signed=letter,
        routed=letter,
    )


REGISTRY: dict[str, FileKind] = {
    spec.value: spec
    for spec in (
        _document(Kind.UITNODIGING, "uitnodigingen", letter=True),
        _document(Kind.DRAAIBOEK, "draaiboeken"),
        _document(Kind.SYLLABUS, "syllabi"),
        _document(Kind.VERVOLGADVIES, "vervolgadviezen"),
        _document(Kind.AFZEGGING, "afzeggingen", letter=True),
        BUNDLE,
        AGENDA,
        CANCEL,
        MAIL,
    )
}
# Kinds that belong with the invitations: a run that makes invitations replaces them.
WITH_INVITATIONS = tuple(s.value for s in REGISTRY.values() if s.with_invitations)
SIGNED = tuple(kind for kind in Kind if kind.spec.signed)
# What --pdf may name: the planned kinds and the print bundles.
PDF_CHOICES = (*(k.value for k in ALL_KINDS), BUNDLE.value)
PDF_DEFAULT = (Kind.UITNODIGING.value, Kind.SYLLABUS.value, BUNDLE.value)


def pdf_soort(soort: str) -> str:
    return f"{soort}{PDF_SUFFIX}"


def is_pdf(soort: str) -> bool:
    return soort.endswith(PDF_SUFFIX)


def with_pdfs(soorten: set[str]) -> set[str]:
    """`soorten` and the PDF variants of those that have one."""
    return soorten | {pdf_soort(s) for s in soorten if s in REGISTRY and REGISTRY[s].pdf}


# Manifest order: the planned kinds, then the print bundles, then the rest as written.
_ORDER = {**{kind.value: i for i, kind in enumerate(ALL_KINDS)}, BUNDLE.value: len(ALL_KINDS)}


def manifest_order(soort: str) -> int:
    return _ORDER.get(soort, len(_ORDER))


# --- delivery routes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How letters reach their reader; each route has its own print bundle."""

    stem: str  # the bundle's file name
    label: str  # Dutch, in the bundle's title


BY_POST = Route("uitnodigingen-per-post", "per post")
INTERNAL = Route("uitnodigingen-interne-post", "interne post")
ROUTES = (BY_POST, INTERNAL)


def route(has_postal_address: bool) -> Route:
    """A letter goes by post to a full postal address, else by internal post."""
    return BY_POST if has_postal_address else INTERNAL


# --- core properties -----------------------------------------------------------------------


def w3cdtf(moment: dt.datetime) -> str:
    """A workbook moment (local Amsterdam time, naive) as W3CDTF in UTC, e.g. 09:00 on
    16 February 2027 -> '2027-02-16T08:00:00Z'."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc(moment: dt.datetime) -> dt.datetime:
    """A workbook moment (naive: Amsterdam time) as an aware UTC datetime."""
    local = moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)
    return local.astimezone(dt.UTC)


def core_properties(
    soort: str, title: str, cycle: str, organisation: str, created: dt.datetime
) -> CoreProperties:
    """The core properties of every document the run writes: title, subject and keywords
    naming the kind and the cycle, the organisation as author, `created` (from the data,
    never the clock) in UTC."""
    subject, keywords, moment = _shared_properties(soort, cycle, created)
    return CoreProperties(title, subject, organisation, keywords, moment)


@lru_cache(maxsize=256)
def _shared_properties(soort: str, cycle: str, created: dt.datetime) -> tuple[str, str, str]:
    """Subject, keywords and W3CDTF moment: the same for every document of a kind and
    date, so a run keeps one copy of each (not one per document)."""
    return f"{soort} - {cycle}", f"intervisie; {soort}; {cycle}", w3cdtf(created)
