"""Prepare a joined document (print-bundle style) for one LibreOffice conversion.

Each joined document gets a bookmark at its start, which LibreOffice exports as a named
destination: the PDF is split there again. A header or footer that shows the page count
(NUMPAGES, "pagina 2 van 7") would count the pages of the whole joined file, so each
document's section gets its own copy of such a part, where the count is a PAGEREF to a
bookmark on the document's last paragraph: with page numbers restarting at 1 for every
document, that is the document's own page count. Numbered lists would continue from one
document into the next, so each document after the first gets its own numbering
instances (restarting at their start value).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
START = "IntervisieDocument"  # letters and digits only: LibreOffice escapes the rest
_END = "IntervisieEinde"
_DOCUMENT = "word/document.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_NUMBERING = "word/numbering.xml"
_STYLES = "word/styles.xml"
_PAGE_COUNT = re.compile(rb"\bNUMPAGES\b")
_SECTION_PAGES = re.compile(rb"\bSECTIONPAGES\b")


def w(name: str) -> str:
    return f"{{{_W}}}{name}"


@dataclass(frozen=True)
class Joined:
    package: bytes
    documents: int  # how many documents were marked


def _bookmark(paragraph: etree._Element, name: str, number: int, at_end: bool) -> None:
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(number))
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), str(number))
    if at_end:
        paragraph.append(start)
        paragraph.append(end)
    else:
        properties = paragraph.find(w("pPr"))
        position = 1 if properties is not None else 0
        paragraph.insert(position, end)
        paragraph.insert(position, start)


def _first_paragraph(block: etree._Element) -> etree._Element | None:
    return block if block.tag == w("p") else next(block.iter(w("p")), None)


def _last_paragraph(block: etree._Element) -> etree._Element | None:
    if block.tag == w("p"):
        return block
    found = list(block.iter(w("p")))
    return found[-1] if found else None


def _documents(body: etree._Element) -> list[tuple[list[etree._Element], etree._Element]]:
    """The body split into documents: (blocks, the sectPr that ends the document)."""
    documents: list[tuple[list[etree._Element], etree._Element]] = []
    blocks: list[etree._Element] = []
    for block in body:
        if block.tag == w("sectPr"):
            documents.append((blocks, block))
            break
        blocks.append(block)
        section = block.find(f"{w('pPr')}/{w('sectPr')}") if block.tag == w("p") else None
        if section is not None:
            documents.append((blocks, section))
            blocks = []
    return documents


class _Parts:
    """The package's parts, with new header/footer copies added as needed."""

    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members
        self.rels = etree.fromstring(members[_DOCUMENT_RELS])
        self.types = etree.fromstring(members[_CONTENT_TYPES])
        self.targets = {
            rel.get("Id"): rel for rel in self.rels.iter(f"{{{_PACKAGE_RELS}}}Relationship")
        }

    def copy_with_own_count(self, rel_id: str, number: int) -> str | None:
        """A copy of the header/footer `rel_id` whose NUMPAGES counts document `number`'s
        pages; its relationship id, or None when the part shows no page count."""
        relationship = self.targets.get(rel_id)
        if relationship is None:
            return None
        target = relationship.get("Target", "")
        part = f"word/{target}"
        data = self.members.get(part)
        if data is None or not _PAGE_COUNT.search(data):
            return None
        stem, _, extension = target.rpartition(".")
        new_target = f"{stem}-{number:05d}.{extension}"
        reference = f"PAGEREF {_END}{number:05d}".encode()
        self.members[f"word/{new_target}"] = _PAGE_COUNT.sub(reference, data)
        part_rels = f"word/_rels/{target}.rels"
        if part_rels in self.members:
            self.members[f"word/_rels/{new_target}.rels"] = self.members[part_rels]
        new_id = f"rIdIntervisie{number:05d}{rel_id}"
        etree.SubElement(
            self.rels,
            f"{{{_PACKAGE_RELS}}}Relationship",
            Id=new_id,
            Type=relationship.get("Type", ""),
            Target=new_target,
        )
        for override in self.types.iter(f"{{{_TYPES}}}Override"):
            if override.get("PartName") == f"/{part}":
                etree.SubElement(
                    self.types,
                    f"{{{_TYPES}}}Override",
                    PartName=f"/word/{new_target}",
                    ContentType=override.get("ContentType", ""),
                )
                break
        return new_id

    def finish(self) -> None:
        self.members[_DOCUMENT_RELS] = etree.tostring(
            self.rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        self.members[_CONTENT_TYPES] = etree.tostring(
            self.types, xml_declaration=True, encoding="UTF-8", standalone=True
        )


class _Numbering:
    """New numbering instances, so that each joined document's lists start afresh."""

    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members
        self.root = etree.fromstring(members[_NUMBERING]) if _NUMBERING in members else None
        self.instances: dict[str, etree._Element] = {}
        self.next_id = 1
        if self.root is not None:
            for num in self.root.iter(w("num")):
                self.instances[num.get(w("numId"), "")] = num
                self.next_id = max(self.next_id, int(num.get(w("numId"), "0")) + 1)
        self.styled: dict[str, tuple[str, str]] = {}  # paragraph style -> (numId, ilvl)
        if self.root is not None and _STYLES in members:
            for style in etree.fromstring(members[_STYLES]).iter(w("style")):
                num_id = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
                level = style.find(f"{w('pPr')}/{w('numPr')}/{w('ilvl')}")
                if num_id is not None:
                    self.styled[style.get(w("styleId"), "")] = (
                        num_id.get(w("val"), ""),
                        level.get(w("val"), "0") if level is not None else "0",
                    )

    def _restart(self, num_id: str) -> str | None:
        original = self.instances.get(num_id)
        if self.root is None or original is None:
            return None
        new_id = str(self.next_id)
        self.next_id += 1
        copy = etree.SubElement(self.root, w("num"))
        copy.set(w("numId"), new_id)
        abstract = original.find(w("abstractNumId"))
        if abstract is not None:
            etree.SubElement(copy, w("abstractNumId")).set(w("val"), abstract.get(w("val"), ""))
        for level in range(9):
            override = etree.SubElement(copy, w("lvlOverride"))
            override.set(w("ilvl"), str(level))
            start = self._start(abstract, level)
            etree.SubElement(override, w("startOverride")).set(w("val"), start)
        return new_id

    def _start(self, abstract: etree._Element | None, level: int) -> str:
        if self.root is None or abstract is None:
            return "1"
        for candidate in self.root.iter(w("abstractNum")):
            if candidate.get(w("abstractNumId")) == abstract.get(w("val")):
                for lvl in candidate.iter(w("lvl")):
                    if lvl.get(w("ilvl")) == str(level):
                        start = lvl.find(w("start"))
                        if start is not None:
                            return str(start.get(w("val"), "1"))
        return "1"

    def restart_lists(self, blocks: list[etree._Element]) -> None:
        """Give the lists in `blocks` numbering instances of their own."""
        mapping: dict[str, str | None] = {}
        for block in blocks:
            for paragraph in block.iter(w("p")):
                properties = paragraph.find(w("pPr"))
                if properties is None:
                    continue
                numbering = properties.find(w("numPr"))
                if numbering is None:
                    style = properties.find(w("pStyle"))
                    styled = self.styled.get(style.get(w("val"), "")) if style is not None else None
                    if styled is None:
                        continue
                    numbering = etree.SubElement(properties, w("numPr"))
                    etree.SubElement(numbering, w("ilvl")).set(w("val"), styled[1])
                    etree.SubElement(numbering, w("numId")).set(w("val"), styled[0])
                    # numPr must follow pStyle and keepNext etc.; Word and LibreOffice
                    # read it in any position, but keep the schema order where it matters.
                    properties.remove(numbering)
                    properties.insert(1 if style is not None else 0, numbering)
                num_id = numbering.find(w("numId"))
                if num_id is None or num_id.get(w("val")) in (None, "0"):
                    continue
                old = num_id.get(w("val"), "")
                if old not in mapping:
                    mapping[old] = self._restart(old)
                new = mapping[old]
                if new is not None:
                    num_id.set(w("val"), new)

    def finish(self) -> None:
        if self.root is not None:
            self.members[_NUMBERING] = etree.tostring(
                self.root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def prepare_joined(combined: bytes) -> Joined | None:
    """Mark every joined document's start and give each its own page count; None when the
    package cannot be prepared (a page count or section count in the body itself)."""
    with zipfile.ZipFile(io.BytesIO(combined)) as source:
        infos = source.infolist()
        members = {info.filename: source.read(info.filename) for info in infos}
    document = members[_DOCUMENT]
    if _PAGE_COUNT.search(document) or any(_SECTION_PAGES.search(d) for d in members.values()):
        return None
    root = etree.fromstring(document)
    body = root.find(w("body"))
    if body is None:
        return None
    parts = _Parts(members)
    numbering = _Numbering(members)
    documents = _documents(body)
    for number, (blocks, section) in enumerate(documents):
        if number:
            numbering.restart_lists(blocks)
        first = next((p for p in map(_first_paragraph, blocks) if p is not None), None)
        last = next((p for p in map(_last_paragraph, reversed(blocks)) if p is not None), None)
        if first is None or last is None:
            return None
        _bookmark(first, f"{START}{number:05d}", 2 * number + 900000, at_end=False)
        _bookmark(last, f"{_END}{number:05d}", 2 * number + 900001, at_end=True)
        for reference in (*section.iter(w("headerReference")), *section.iter(w("footerReference"))):
            new_id = parts.copy_with_own_count(reference.get(f"{{{_R}}}id", ""), number)
            if new_id is not None:
                reference.set(f"{{{_R}}}id", new_id)
    parts.finish()
    numbering.finish()
    members[_DOCUMENT] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return Joined(out.getvalue(), len(documents))
