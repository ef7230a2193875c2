"""Print bundles: every invitation letter of one delivery route in a single .docx.

Communications prints the letters; one file per route (by post, internal post) beats
opening dozens of files. Each letter starts a new section on a new page with page
numbering restarting at 1, so every letter looks exactly as it does on its own.
Letters rendered from one prepared template share every part but their body, so their
bodies are simply joined (milliseconds per letter). Letters that do not share a package
are combined with docxcompose, which merges styles, numbering and images properly but
slows down as the bundle grows. Either way the result is repacked with fixed timestamps
and our own core properties, so it is deterministic.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxcompose.composer import Composer
from lxml import etree

from pipeline.output.manifest import ManifestRow
from pipeline.render.prepared import CORE_PART, CoreProperties, core_xml
from pipeline.render.ziparchive import Base, Entry

BUNDLE_KIND = "afdrukbestand"  # manifest kind; belongs with the invitations
BUNDLE_FOLDER = "afdrukken"
BY_POST = ("uitnodigingen-per-post", "per post")
_DOCUMENT = "word/document.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
INTERNAL = ("uitnodigingen-interne-post", "interne post")


def _restart_page_numbers(section_properties: etree._Element) -> None:
    numbering = section_properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section_properties.append(numbering)
    numbering.set(qn("w:start"), "1")


def combine_letters(letters: Sequence[Path], props: CoreProperties) -> bytes:
    """One document holding `letters` in order, each from a fresh page numbered from 1."""
    if not letters:
        raise ValueError("no letters to combine")
    return _join_same_package(letters, props) or _compose(letters, props)


def _section_break(section_properties: etree._Element) -> etree._Element:
    """A paragraph carrying a copy of the section properties: it ends the letter before
    it with a next-page section break, same page setup, header and footer."""
    paragraph_properties = OxmlElement("w:pPr")
    paragraph_properties.append(copy.deepcopy(section_properties))
    paragraph = OxmlElement("w:p")
    paragraph.append(paragraph_properties)
    return paragraph


def _join_same_package(letters: Sequence[Path], props: CoreProperties) -> bytes | None:
    """The fast way, for letters rendered from one prepared template: they share every
    part but the document body (same relationships, styles, image), so their bodies can
    simply follow each other. None when the letters do not share their package."""
    with zipfile.ZipFile(letters[0]) as first:
        shared = {i.filename: first.read(i.filename) for i in first.infolist()}
    relationships = shared.get(_DOCUMENT_RELS)
    master = etree.fromstring(shared[_DOCUMENT])
    body = master.find(qn("w:body"))
    last_section = body.find(qn("w:sectPr")) if body is not None else None
    if body is None or last_section is None:
        return None
    _restart_page_numbers(last_section)
    for child in list(body):
        if child is not last_section:
            body.remove(child)
    for number, letter in enumerate(letters):
        with zipfile.ZipFile(letter) as package:
            if package.read(_DOCUMENT_RELS) != relationships:
                return None
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
    members = [
        Entry.deflate(name, data)
        for name, data in shared.items()
        if name not in (_DOCUMENT, CORE_PART)
    ]
    return Base(members).with_members(
        [Entry.deflate(_DOCUMENT, document), Entry.deflate(CORE_PART, core_xml(props))]
    )


def _compose(letters: Sequence[Path], props: CoreProperties) -> bytes:
    """The general way (letters from different packages), with docxcompose."""
    master = Document(str(letters[0]))
    body = master.element.body
    last_section = body.find(qn("w:sectPr"))
    if last_section is None:  # an HR-edited template may lack one: Word's defaults apply
        last_section = OxmlElement("w:sectPr")
        body.append(last_section)
    _restart_page_numbers(last_section)
    composer = Composer(master)
    for letter in letters[1:]:
        body.insert(body.index(last_section), _section_break(last_section))
        composer.append(Document(str(letter)))
    saved = io.BytesIO()
    composer.save(saved)
    with zipfile.ZipFile(saved) as package:
        # docxcompose changes python-docx's core-properties namespace for the whole
        # process; our own core.xml (as every letter has) keeps the bundle valid.
        members = [
            Entry.deflate(info.filename, package.read(info.filename))
            for info in package.infolist()
            if info.filename != CORE_PART
        ]
    return Base(members).with_members([Entry.deflate(CORE_PART, core_xml(props))])


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
    for (stem, route), rows in routes.items():
        if not rows:
            continue
        title = f"Uitnodigingen {route} - {cycle}"
        props = CoreProperties(
            title,
            f"afdrukbestand - {cycle}",
            author,
            f"intervisie; afdrukbestand; {cycle}",
            created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        data = combine_letters([staging / row.pad for row in rows], props)
        bundles.append((f"{BUNDLE_FOLDER}/{stem}.docx", data))
    return bundles
