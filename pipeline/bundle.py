"""Print bundles: every invitation letter of one delivery route in a single .docx.

Communications prints the letters; one file per route (by post, internal post) beats
opening dozens of files. Each letter starts a new section on a new page with page
numbering restarting at 1, so every letter looks exactly as it does on its own.
Combining uses docxcompose (styles, numbering and the shared signature image are merged
properly); the result is repacked with fixed timestamps, so it is deterministic too.
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

from .manifest import ManifestRow
from .ziparchive import Base, Entry


def _restart_page_numbers(section_properties: etree._Element) -> None:
    numbering = section_properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section_properties.append(numbering)
    numbering.set(qn("w:start"), "1")


def combine_letters(
    letters: Sequence[Path], title: str, author: str, created: dt.datetime
) -> bytes:
    """One document holding `letters` in order, each from a fresh page numbered from 1."""
    if not letters:
        raise ValueError("no letters to combine")
    master = Document(str(letters[0]))
    body = master.element.body
    last_section = body.find(qn("w:sectPr"))
    _restart_page_numbers(last_section)
    composer = Composer(master)
    for letter in letters[1:]:
        # A paragraph carrying a copy of the section properties ends the letter before
        # it: a next-page section break with the same page setup, header and footer.
        paragraph_properties = OxmlElement("w:pPr")
        paragraph_properties.append(copy.deepcopy(last_section))
        section_break = OxmlElement("w:p")
        section_break.append(paragraph_properties)
        body.insert(body.index(last_section), section_break)
        composer.append(Document(str(letter)))
    properties = master.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created = properties.modified = created
    properties.revision = 1
    saved = io.BytesIO()
    composer.save(saved)
    with zipfile.ZipFile(saved) as package:
        return Base(
            Entry.deflate(info.filename, package.read(info.filename)) for info in package.infolist()
        ).with_members([])


BUNDLE_KIND = "afdrukbestand"  # manifest kind; belongs with the invitations
BUNDLE_FOLDER = "afdrukken"
ROUTES = (("uitnodigingen-per-post", "per post"), ("uitnodigingen-interne-post", "interne post"))


def bundle_invitations(
    staging: Path,
    letters: Sequence[ManifestRow],
    internal: set[str],
    cycle: str,
    author: str,
    created: dt.datetime,
) -> list[tuple[str, bytes]]:
    """(relative path, bytes) of one bundle per delivery route that has letters."""
    by_route = (
        [row for row in letters if row.pad not in internal],
        [row for row in letters if row.pad in internal],
    )
    bundles = []
    for (stem, route), rows in zip(ROUTES, by_route, strict=True):
        if rows:
            data = combine_letters(
                [staging / row.pad for row in rows],
                f"Uitnodigingen {route} - {cycle}",
                author,
                created,
            )
            bundles.append((f"{BUNDLE_FOLDER}/{stem}.docx", data))
    return bundles
