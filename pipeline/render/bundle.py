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
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from pipeline.errors import OutputError
from pipeline.files import zip_with
from pipeline.kinds import BUNDLE, BY_POST, INTERNAL, core_properties
from pipeline.publish.manifest import ManifestRow, sha256_bytes
from pipeline.publish.staging import StagedOutput
from pipeline.render.prepared import CORE_PART, CoreProperties, core_xml
from pipeline.render.tasks import PlannedDocuments

_DOCUMENT = "word/document.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"


def _restart_page_numbers(section_properties: etree._Element) -> None:
    numbering = section_properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section_properties.append(numbering)
    numbering.set(qn("w:start"), "1")


def _section_break(section_properties: etree._Element) -> etree._Element:
    """A paragraph carrying a copy of the section properties: it ends the letter before
    it with a next-page section break, same page setup, header and footer."""
    paragraph_properties = OxmlElement("w:pPr")
    paragraph_properties.append(copy.deepcopy(section_properties))
    paragraph = OxmlElement("w:p")
    paragraph.append(paragraph_properties)
    return paragraph


def combine_letters(letters: Sequence[Path], props: CoreProperties) -> bytes:
    """One document holding `letters` in order, each from a fresh page numbered from 1.

    The letters come from one prepared template, so they share every part but the
    document body (same relationships, styles, image): their bodies simply follow each
    other."""
    if not letters:
        raise OutputError("een afdrukbestand zonder brieven")
    with zipfile.ZipFile(letters[0]) as first:
        shared = {i.filename: first.read(i.filename) for i in first.infolist()}
    relationships = shared.get(_DOCUMENT_RELS)
    master = etree.fromstring(shared[_DOCUMENT])
    body = master.find(qn("w:body"))
    last_section = body.find(qn("w:sectPr"))
    if last_section is None:  # an HR-edited template may lack one: Word's defaults apply
        last_section = OxmlElement("w:sectPr")
        body.append(last_section)
    _restart_page_numbers(last_section)
    for child in list(body):
        if child is not last_section:
            body.remove(child)
    for number, letter in enumerate(letters):
        with zipfile.ZipFile(letter) as package:
            if package.read(_DOCUMENT_RELS) != relationships:
                raise OutputError(
                    f"'{letter.name}' komt uit een ander sjabloon dan '{letters[0].name}'; "
                    "een afdrukbestand bundelt brieven uit één sjabloon"
                )
            letter_body = etree.fromstring(package.read(_DOCUMENT)).find(qn("w:body"))
        if number:
            body.insert(body.index(last_section), _section_break(last_section))
        for child in list(letter_body):
            if child.tag != qn("w:sectPr"):
                body.insert(body.index(last_section), child)
    # The signature repeats in every letter: drawing ids must stay unique in one file.
    for number, drawing in enumerate(master.iter(qn("wp:docPr")), start=1):
        drawing.set("id", str(number))
    document = etree.tostring(master, xml_declaration=True, encoding="UTF-8", standalone=True)
    members = [(n, data) for n, data in shared.items() if n not in (_DOCUMENT, CORE_PART)]
    return zip_with(b"", [*members, (_DOCUMENT, document), (CORE_PART, core_xml(props))])


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
