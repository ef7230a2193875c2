"""Read generated documents back with python-docx, as a reader would see them."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document


def open_docx(source: Path | bytes) -> Document:
    return docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def body_lines(source: Path | bytes) -> list[str]:
    """Every non-empty paragraph and table row of the body, in document order."""
    doc = open_docx(source)
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(
                t.text or ""
                for t in block.iter(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
                )
            )
            if text.strip():
                lines.append(text)
        elif tag == "tbl":
            table = next(t for t in doc.tables if t._tbl is block)
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def header_footer_text(source: Path | bytes) -> str:
    doc = open_docx(source)
    section = doc.sections[0]
    return "\n".join(p.text for p in section.header.paragraphs + section.footer.paragraphs)
