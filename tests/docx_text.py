"""Read generated documents back with python-docx, as a reader would see them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(source: Path | bytes) -> Document:
    return docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_text(paragraph: Any) -> str:
    """A paragraph's text as a reader sees it: runs, tabs, line breaks and the shown text
    of fields (a link is a HYPERLINK field; python-docx's .text leaves those out)."""
    shown = {f"{W}tab": "\t", f"{W}br": "\n"}
    return "".join(
        shown.get(node.tag) or (node.text or "")
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br")
        if node.getparent().tag == f"{W}r"  # not the tab stops of the paragraph's style
    )


def cell_text(cell: Any) -> str:
    return "\n".join(paragraph_text(p) for p in cell._tc.iterchildren(f"{W}p"))


def body_lines(source: Path | bytes) -> list[str]:
    """Every non-empty paragraph and table row of the body, in document order."""
    doc = open_docx(source)
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = paragraph_text(block)
            if text.strip():
                lines.append(text)
        elif tag == "tbl":
            table = next(t for t in doc.tables if t._tbl is block)
            for row in table.rows:
                lines.append(" | ".join(cell_text(cell) for cell in row.cells))
    return lines


def header_footer_text(source: Path | bytes) -> str:
    doc = open_docx(source)
    section = doc.sections[0]
    return "\n".join(p.text for p in section.header.paragraphs + section.footer.paragraphs)


def all_words(source: Path) -> list[str]:
    """Every word a reader sees in body, headers and footers, in order: tabs, line breaks
    and paragraph ends count as spaces."""
    pieces: list[str] = []
    with zipfile.ZipFile(source) as package:
        for name in package.namelist():
            if name == "word/document.xml" or (
                name.startswith(("word/header", "word/footer")) and name.endswith(".xml")
            ):
                for element in etree.fromstring(package.read(name)).iter():
                    if element.tag == f"{_W}t":
                        pieces.append(element.text or "")
                    elif element.tag in (f"{_W}tab", f"{_W}br", f"{_W}p"):
                        pieces.append(" ")
    return "".join(pieces).split()
