"""MDTO metadata (Nationaal Archief, MDTO-XML 1.0.x) for one archived file: object `bestand`.

Element names, order and namespace follow the published schema (MDTO-XML1.0.1.xsd):
identificatie, naam, omvang, bestandsformaat (a begrip from the PRONOM register),
checksum (algorithm as a begrip, value, date) and isRepresentatieVan, the reference to
the informatieobject the file represents: here the syllabus of one participant in one
cycle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

NAMESPACE = "https://www.nationaalarchief.nl/mdto"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
PRONOM = "PRONOM-register"
CHECKSUM_LIST = "Begrippenlijst ChecksumAlgoritme MDTO"
SOURCE = "intervisie-docs"


@dataclass(frozen=True)
class FileFormat:
    label: str
    pronom: str


PDF_A_2B = FileFormat("Acrobat PDF/A - Portable Document Format, versie 2b", "fmt/476")
DOCX = FileFormat("Microsoft Word for Windows, versie 2007 en later (OOXML)", "fmt/412")


@dataclass(frozen=True)
class ArchivedFile:
    identifier: str  # unique within the archive: the file's path in it
    name: str
    size: int
    file_format: FileFormat
    sha256: str
    checked_at: dt.datetime
    represents_name: str  # the informatieobject, e.g. "Syllabus Jan Jansen - cyclus"
    represents_id: str
    represents_source: str  # who assigned represents_id: the organisation


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


def bestand_xml(item: ArchivedFile) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}MDTO", nsmap={None: NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    bestand = _element(root, "bestand")
    _identificatie(bestand, "identificatie", item.identifier, SOURCE)
    _element(bestand, "naam", item.name)
    _element(bestand, "omvang", str(item.size))
    _begrip(bestand, "bestandsformaat", item.file_format.label, item.file_format.pronom, PRONOM)
    checksum = _element(bestand, "checksum")
    _begrip(checksum, "checksumAlgoritme", "SHA256", None, CHECKSUM_LIST)
    _element(checksum, "checksumWaarde", item.sha256)
    _element(checksum, "checksumDatum", item.checked_at.strftime("%Y-%m-%dT%H:%M:%S"))
    reference = _element(bestand, "isRepresentatieVan")
    _element(reference, "verwijzingNaam", item.represents_name)
    _identificatie(
        reference, "verwijzingIdentificatie", item.represents_id, item.represents_source
    )
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


@dataclass(frozen=True)
class RecordedFile:
    """What an MDTO bestand says about its file (read back by `archief controleer`)."""

    name: str
    size: int
    pronom: str
    algorithm: str
    sha256: str


def read_bestand(data: bytes) -> RecordedFile:
    """Parse an MDTO bestand; ValueError when it is not one or misses a required part."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"geen geldige XML ({exc})") from None
    ns = {"m": NAMESPACE}

    def text(path: str) -> str:
        found: str | None = root.findtext(path, namespaces=ns)
        if found is None or not found.strip():
            raise ValueError(f"'{path.replace('m:', '')}' ontbreekt")
        return found.strip()

    if root.tag != f"{{{NAMESPACE}}}MDTO":
        raise ValueError("het hoofdelement is geen MDTO")
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
    )
