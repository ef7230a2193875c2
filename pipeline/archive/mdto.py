"""MDTO metadata (Nationaal Archief, MDTO-XML 1.0.x): object `bestand` for each archived
file and object `informatieobject` for the cycle they represent.

Element names, order and namespace follow the published schema (MDTO-XML1.0.1.xsd).
A bestand: identificatie, naam, omvang, bestandsformaat (a begrip from the PRONOM
register), checksum (algorithm as a begrip, value, date) and isRepresentatieVan, the
reference to the informatieobject the file represents: the cycle.

The cycle's informatieobject holds what the schema requires (identificatie, naam,
waardering, archiefvormer, beperkingGebruik) and what the program knows for certain
(aggregatieniveau dossier, omschrijving, taal). Waardering is "Nader te bepalen" (code N
of the MDTO list): whether a cycle's syllabi are kept or destroyed, and when, is decided
by the records manager from the municipality's selectielijst, not by this program; no
bewaartermijn is written for the same reason. beperkingGebruik: the syllabi name
participants and their personnel numbers, so their use is limited to protect personal
privacy (Archiefwet 1995, article 15, first paragraph, under a).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

NAMESPACE = "https://www.nationaalarchief.nl/mdto"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
PRONOM = "PRONOM-register"
CHECKSUM_LIST = "Begrippenlijst ChecksumAlgoritme MDTO"
AGGREGATION_LIST = "Begrippenlijst Aggregatieniveaus MDTO"
APPRAISAL_LIST = "Begrippenlijst Waarderingen MDTO"
APPRAISAL_OPEN = ("Nader te bepalen", "N")  # decided by the records manager
RESTRICTION = (
    "Beperkt openbaar: eerbiediging van de persoonlijke levenssfeer (Archiefwet 1995, "
    "artikel 15, eerste lid, onder a)"
)
RESTRICTION_LIST = "Archiefwet 1995"
RESTRICTION_NOTE = (
    "De syllabi zijn persoonlijk: ze noemen de deelnemers bij naam en personeelsnummer."
)
SOURCE = "intervisie-docs"
DOSSIER = "Dossier"  # the cycle
ARCHIEFSTUK = "Archiefstuk"  # one syllabus, in the cycle's dossier


@dataclass(frozen=True)
class FileFormat:
    label: str
    pronom: str


PDF_A_2B = FileFormat("Acrobat PDF/A - Portable Document Format, versie 2b", "fmt/476")
DOCX = FileFormat("Microsoft Word for Windows, versie 2007 en later (OOXML)", "fmt/412")


@dataclass(frozen=True)
class ArchivedFile:
    # identificatieKenmerk: the file's path under the archive folder (<cycle folder>/
    # <archived version>/<path>), so each archived version's files have their own.
    identifier: str
    name: str
    size: int
    file_format: FileFormat
    sha256: str
    checked_at: dt.datetime
    represents: Reference  # isRepresentatieVan: the syllabus's informatieobject, not the cycle


def _element(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        child.text = text
    return child


def _begrip(parent: etree._Element, name: str, label: str, code: str | None, lijst: str) -> None:
    begrip = _element(parent, name)
    _element(begrip, "begripLabel", label)
    if code is not None:
        _element(begrip, "begripCode", code)
    _element(_element(begrip, "begripBegrippenlijst"), "verwijzingNaam", lijst)


def _identificatie(parent: etree._Element, name: str, kenmerk: str, bron: str) -> None:
    identificatie = _element(parent, name)
    _element(identificatie, "identificatieKenmerk", kenmerk)
    _element(identificatie, "identificatieBron", bron)


def _root() -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}MDTO", nsmap={None: NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    return root


def _serialize(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


@dataclass(frozen=True)
class Reference:
    """A verwijzing to another informatieobject: its name and identification."""

    name: str
    identifier: str
    source: str


@dataclass(frozen=True)
class Cycle:
    """An informatieobject: the cycle as a dossier, or one syllabus (an archiefstuk of
    the cycle's dossier: `part_of`)."""

    name: str
    identifier: str
    source: str  # who assigned the identifier, and who forms the archive: the municipality
    description: str = ""  # empty: the archive writes what the files are
    level: str = DOSSIER
    part_of: Reference | None = None


def _reference(parent: etree._Element, name: str, reference: Reference) -> None:
    element = _element(parent, name)
    _element(element, "verwijzingNaam", reference.name)
    _identificatie(element, "verwijzingIdentificatie", reference.identifier, reference.source)


def informatieobject_xml(cycle: Cycle) -> bytes:
    root = _root()
    item = _element(root, "informatieobject")
    _identificatie(item, "identificatie", cycle.identifier, cycle.source)
    _element(item, "naam", cycle.name)
    _begrip(item, "aggregatieniveau", cycle.level, None, AGGREGATION_LIST)
    _element(item, "omschrijving", cycle.description)
    _element(item, "taal", "nl")
    _begrip(item, "waardering", *APPRAISAL_OPEN, APPRAISAL_LIST)
    if cycle.part_of is not None:
        _reference(item, "isOnderdeelVan", cycle.part_of)
    _element(_element(item, "archiefvormer"), "verwijzingNaam", cycle.source)
    restriction = _element(item, "beperkingGebruik")
    _begrip(restriction, "beperkingGebruikType", RESTRICTION, None, RESTRICTION_LIST)
    _element(restriction, "beperkingGebruikNadereBeschrijving", RESTRICTION_NOTE)
    return _serialize(root)


def bestand_xml(item: ArchivedFile) -> bytes:
    root = _root()
    bestand = _element(root, "bestand")
    _identificatie(bestand, "identificatie", item.identifier, SOURCE)
    _element(bestand, "naam", item.name)
    _element(bestand, "omvang", str(item.size))
    _begrip(bestand, "bestandsformaat", item.file_format.label, item.file_format.pronom, PRONOM)
    checksum = _element(bestand, "checksum")
    _begrip(checksum, "checksumAlgoritme", "SHA256", None, CHECKSUM_LIST)
    _element(checksum, "checksumWaarde", item.sha256)
    _element(checksum, "checksumDatum", item.checked_at.strftime("%Y-%m-%dT%H:%M:%S"))
    _reference(bestand, "isRepresentatieVan", item.represents)
    return _serialize(root)


@dataclass(frozen=True)
class RecordedFile:
    """What an MDTO bestand says about its file (read back by `archief controleer`)."""

    name: str
    size: int
    pronom: str
    algorithm: str
    sha256: str
    represents: tuple[str, str]  # identificatieKenmerk and -Bron of the informatieobject


def _reader(data: bytes) -> Callable[[str], str]:
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"geen geldige XML ({exc})") from None
    if root.tag != f"{{{NAMESPACE}}}MDTO":
        raise ValueError("het hoofdelement is geen MDTO")
    ns = {"m": NAMESPACE}

    def text(path: str) -> str:
        found: str | None = root.findtext(path, namespaces=ns)
        if found is None or not found.strip():
            raise ValueError(f"'{path.replace('m:', '')}' ontbreekt")
        return found.strip()

    return text


@dataclass(frozen=True)
class RecordedObject:
    """What an MDTO informatieobject says: its identification (kenmerk, bron) and that of
    the informatieobject it is part of (None: part of none)."""

    identification: tuple[str, str]
    part_of: tuple[str, str] | None


def read_informatieobject(data: bytes) -> RecordedObject:
    """An MDTO informatieobject; ValueError when it is not one or misses an element the
    schema requires."""
    text = _reader(data)
    for required in (
        "naam",
        "waardering/m:begripLabel",
        "archiefvormer/m:verwijzingNaam",
        "beperkingGebruik/m:beperkingGebruikType/m:begripLabel",
    ):
        text(f"m:informatieobject/m:{required}")
    part_of = None
    if _has(data, "m:informatieobject/m:isOnderdeelVan"):
        reference = "m:informatieobject/m:isOnderdeelVan/m:verwijzingIdentificatie/m:"
        part_of = (text(f"{reference}identificatieKenmerk"), text(f"{reference}identificatieBron"))
    return RecordedObject(
        (
            text("m:informatieobject/m:identificatie/m:identificatieKenmerk"),
            text("m:informatieobject/m:identificatie/m:identificatieBron"),
        ),
        part_of,
    )


def _has(data: bytes, path: str) -> bool:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return root.find(path, namespaces={"m": NAMESPACE}) is not None


def read_bestand(data: bytes) -> RecordedFile:
    """Parse an MDTO bestand; ValueError when it is not one or misses a required part."""
    text = _reader(data)
    try:
        size = int(text("m:bestand/m:omvang"))
    except ValueError as exc:
        raise ValueError(f"omvang: {exc}") from None
    return RecordedFile(
        name=text("m:bestand/m:naam"),
        size=size,
        pronom=text("m:bestand/m:bestandsformaat/m:begripCode"),
        algorithm=text("m:bestand/m:checksum/m:checksumAlgoritme/m:begripLabel"),
        sha256=text("m:bestand/m:checksum/m:checksumWaarde"),
        represents=(
            text("m:bestand/m:isRepresentatieVan/m:verwijzingIdentificatie/m:identificatieKenmerk"),
            text("m:bestand/m:isRepresentatieVan/m:verwijzingIdentificatie/m:identificatieBron"),
        ),
    )
