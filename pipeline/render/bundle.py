"""Print bundles: every invitation letter of one delivery route in a single .docx.

Communications prints the letters; one file per route (by post, internal post) beats
opening dozens of files. Each letter starts a new section on a new page with page
numbering restarting at 1, so every letter looks exactly as it does on its own.
Letters rendered from one prepared template share every part but their body, so their
bodies are simply joined (milliseconds per letter); the result is repacked with fixed
timestamps and our own core properties, so it is deterministic.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from pipeline.errors import OutputError
from pipeline.files import zip_with
from pipeline.kinds import BUNDLE, BY_POST, INTERNAL, Kind, core_properties
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.publish.staging import StagedOutput
from pipeline.render.prepared import CORE_PART, CoreProperties, core_xml
from pipeline.render.tasks import PlannedDocuments

_DOCUMENT = "word/document.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _restart_page_numbers(section_properties: etree._Element) -> None:
    numbering = section_properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        _insert_in_order(section_properties, numbering)
    numbering.set(qn("w:start"), "1")


# The order of CT_SectPr's children (ECMA-376 17.6.17) that matter here.
_SECTION_ORDER = [
    qn(f"w:{name}")
    for name in (
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
    )
]


def _insert_in_order(section_properties: etree._Element, element: etree._Element) -> None:
    rank = _SECTION_ORDER.index(element.tag)
    for index, child in enumerate(section_properties):
        if child.tag in _SECTION_ORDER and _SECTION_ORDER.index(child.tag) > rank:
            section_properties.insert(index, element)
            return
        if child.tag not in _SECTION_ORDER:  # docGrid, titlePg, ...: all come later
            section_properties.insert(index, element)
            return
    section_properties.append(element)


def _section_break(section_properties: etree._Element) -> etree._Element:
    """A paragraph carrying `section_properties`: it ends the letter before it with a
    section break, with that letter's page setup, header and footer."""
    paragraph_properties = OxmlElement("w:pPr")
    paragraph_properties.append(section_properties)
    paragraph = OxmlElement("w:p")
    paragraph.append(paragraph_properties)
    return paragraph


_HEADER_FOOTER = re.compile(r"word/(header|footer)(\d+)\.xml")
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"


class _Parts:
    """The bundle's package: the first letter's parts, plus a renamed copy of each
    header and footer another letter has differently (a cancellation's header says
    'Afzegging' where an invitation's says 'Uitnodiging')."""

    def __init__(self, first: Path) -> None:
        with zipfile.ZipFile(first) as package:
            self.members = {i.filename: package.read(i.filename) for i in package.infolist()}
        self.first = first
        self.relationships = self.members.get(_DOCUMENT_RELS)
        self._targets: dict[str, str] = {}  # part name -> relationship id
        self._added: dict[tuple[str, bytes], str] = {}  # (original name, bytes) -> new rId
        self._new_rels: list[tuple[str, str, str]] = []  # (id, kind, target)
        if self.relationships is not None:
            for rel in etree.fromstring(self.relationships):
                self._targets[f"word/{rel.get('Target')}"] = str(rel.get("Id"))

    def remap(self, letter: Path, package: zipfile.ZipFile) -> dict[str, str]:
        """Relationship ids of `letter`'s own headers and footers in the bundle."""
        if package.read(_DOCUMENT_RELS) != self.relationships:
            raise OutputError(
                f"'{letter.name}' komt uit een ander sjabloon dan '{self.first.name}'; "
                "een afdrukbestand bundelt brieven uit één sjabloon"
            )
        remapped: dict[str, str] = {}
        for name in package.namelist():
            match = _HEADER_FOOTER.fullmatch(name)
            if match is None or name not in self._targets:
                continue
            data = package.read(name)
            if data == self.members.get(name):
                continue
            rid = self._added.get((name, data))
            if rid is None:
                number = len(self._added) + 1
                rid = f"rIdBundel{number}"
                target = f"{match.group(1)}-bundel{number}.xml"
                self.members[f"word/{target}"] = data
                own = f"word/_rels/{name[5:]}.rels"  # an image in the header, say
                if own in package.namelist():
                    self.members[f"word/_rels/{target}.rels"] = package.read(own)
                self._new_rels.append((rid, match.group(1), target))
                self._added[(name, data)] = rid
            remapped[self._targets[name]] = rid
        return remapped

    def package(self, document: bytes, props: CoreProperties) -> bytes:
        members = dict(self.members)
        if self._new_rels:
            rels = etree.fromstring(members[_DOCUMENT_RELS])
            types = etree.fromstring(members[_CONTENT_TYPES])
            for rid, kind, target in self._new_rels:
                etree.SubElement(
                    rels,
                    f"{{{_REL_NS}}}Relationship",
                    Id=rid,
                    Type=f"{_OFFICE_RELS}/{kind}",
                    Target=target,
                )
                etree.SubElement(
                    types,
                    f"{{{_TYPES_NS}}}Override",
                    PartName=f"/word/{target}",
                    ContentType=_CONTENT_TYPE.format(kind),
                )
            for name, tree in ((_DOCUMENT_RELS, rels), (_CONTENT_TYPES, types)):
                members[name] = etree.tostring(
                    tree, xml_declaration=True, encoding="UTF-8", standalone=True
                )
        kept = [(n, data) for n, data in members.items() if n not in (_DOCUMENT, CORE_PART)]
        return zip_with(b"", [*kept, (_DOCUMENT, document), (CORE_PART, core_xml(props))])


def _letter_section(
    letter_body: etree._Element, fallback: etree._Element, remapped: dict[str, str]
) -> etree._Element:
    """The letter's own section properties, pointing at its own header and footer."""
    found = letter_body.find(qn("w:sectPr"))
    section = copy.deepcopy(found if found is not None else fallback)
    for reference in section:
        if reference.tag in (qn("w:headerReference"), qn("w:footerReference")):
            rid = reference.get(qn("r:id"))
            if rid in remapped:
                reference.set(qn("r:id"), remapped[rid])
    return section


def combine_letters(letters: Sequence[Path], props: CoreProperties) -> bytes:
    """One document holding `letters` in order, each from a fresh page numbered from 1,
    each with its own header and footer.

    (No odd-page section breaks for duplex printing: Word and LibreOffice decide odd or
    even by the page number, which restarts at 1 for every letter, so they would never
    insert the blank back; the PDF bundle does that, pdf/bundle.py.)

    The letters come from prepared templates that share every part but the document
    body and the header and footer (same relationships, styles, image): their bodies
    simply follow each other."""
    if not letters:
        raise OutputError("een afdrukbestand zonder brieven")
    parts = _Parts(letters[0])
    master = etree.fromstring(parts.members[_DOCUMENT])
    body = master.find(qn("w:body"))
    fallback = body.find(qn("w:sectPr"))
    if fallback is None:  # an HR-edited template may lack one: Word's defaults apply
        fallback = OxmlElement("w:sectPr")
    for child in list(body):
        body.remove(child)
    document = _StreamedBody(master, body)
    section: etree._Element | None = None
    for letter in letters:
        with zipfile.ZipFile(letter) as package:
            remapped = parts.remap(letter, package)
            letter_body = etree.fromstring(package.read(_DOCUMENT)).find(qn("w:body"))
        blocks = [] if section is None else [_section_break(section)]
        blocks += [child for child in letter_body if child.tag != qn("w:sectPr")]
        section = _letter_section(letter_body, fallback, remapped)
        _restart_page_numbers(section)
        document.add(blocks)
    assert section is not None
    document.add([section])
    return parts.package(document.finish(), props)


class _StreamedBody:
    """The bundle's document.xml, serialized a letter at a time: one tree of thousands
    of letters would take hundreds of megabytes (5,000 letters: 620 MB), these pieces
    take about as much as the finished XML. Each letter's blocks are serialized inside
    the master document (the same namespace context), so the bytes are those the whole
    tree would give."""

    def __init__(self, master: etree._Element, body: etree._Element) -> None:
        self.master, self.body = master, body
        tag = f"{body.prefix}:body" if body.prefix else "body"
        self._open, self._close = f"<{tag}".encode(), f"</{tag}>".encode()
        self._pieces: list[bytes] = []
        self._tail = b""
        self._drawings = 0

    def add(self, blocks: list[etree._Element]) -> None:
        if not blocks:  # an empty body would serialize as one empty-element tag
            return
        for block in blocks:
            self.body.append(block)
        # The signature repeats in every letter: drawing ids must stay unique in one file.
        for drawing in self.body.iter(qn("wp:docPr")):
            self._drawings += 1
            drawing.set("id", str(self._drawings))
        text = etree.tostring(self.master, xml_declaration=True, encoding="UTF-8", standalone=True)
        start = text.index(b">", text.index(self._open)) + 1
        end = text.rindex(self._close)
        if not self._pieces:
            self._pieces.append(text[:start])
            self._tail = text[end:]
        self._pieces.append(text[start:end])
        for block in list(self.body):
            self.body.remove(block)

    def finish(self) -> bytes:
        return b"".join([*self._pieces, self._tail])


LETTERS_KEY = "brieven"  # manifest.json: per letter its route and whether it was bundled
LETTER_KINDS = tuple(kind.value for kind in Kind if kind.spec.routed)


def letter_routes(
    written: Sequence[ManifestRow], internal: set[str], bundled: Sequence[ManifestRow]
) -> dict[str, dict[str, object]]:
    """Per letter (.docx) this run wrote: how it goes on paper (per post or interne post)
    and whether it is in a print bundle; `intervisie status` reads it from manifest.json."""
    members = {row.pad for row in bundled}
    return {
        row.pad: {
            "bezorging": (INTERNAL if row.pad in internal else BY_POST).label,
            "afdrukbestand": row.pad in members,
        }
        for row in written
        if row.soort in LETTER_KINDS and row.pad.endswith(".docx")
    }


def bundle_invitations(
    staging: Path,
    letters: Sequence[ManifestRow],
    internal: set[str],
    cycle: str,
    author: str,
    created: dt.datetime,
) -> list[tuple[str, bytes]]:
    """(relative path, bytes) of one bundle per delivery route that has letters."""
    routes = {
        BY_POST: [row for row in letters if row.pad not in internal],
        INTERNAL: [row for row in letters if row.pad in internal],
    }
    bundles = []
    for route, rows in routes.items():
        if not rows:
            continue
        title = f"Uitnodigingen {route.label} - {cycle}"
        props = core_properties(BUNDLE.value, title, cycle, author, created)
        data = combine_letters([staging / row.pad for row in rows], props)
        bundles.append((f"{BUNDLE.folder}/{route.stem}{BUNDLE.suffix}", data))
    return bundles


def write_bundles(
    staged: StagedOutput, letters: Sequence[ManifestRow], planned: PlannedDocuments
) -> list[ManifestRow]:
    """The run's bundle step: write the print bundles of `letters`; their manifest rows."""
    rows = []
    for relpath, data in bundle_invitations(
        staged.staging,
        letters,
        {row.pad for row in letters if planned.route(row) == INTERNAL},
        planned.cycle,
        planned.organisation,
        planned.created,
    ):
        staged.write(PurePosixPath(relpath), data)
        rows.append(ManifestRow(BUNDLE.value, "", "", relpath, sha256_bytes(data)))
    return rows
