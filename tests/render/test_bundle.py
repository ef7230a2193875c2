"""Print bundles: each letter from a new page numbered from 1 (duplex backs: the PDF)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from pipeline.render.bundle import combine_letters
from pipeline.render.prepared import CoreProperties
from tests.docx_text import open_docx

PROPS = CoreProperties("t", "s", "a", "k", "2027-01-01T00:00:00Z")


def _letters(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        document = docx.Document()
        document.add_paragraph(f"Brief {number}")
        paths.append(folder / f"brief-{number}.docx")
        document.save(str(paths[-1]))
    return paths


def test_each_letter_starts_a_section_numbered_from_one(tmp_path: Path) -> None:
    combined = open_docx(combine_letters(_letters(tmp_path, 3), PROPS))
    sections = combined.sections
    assert [p.text for p in combined.paragraphs if p.text] == ["Brief 0", "Brief 1", "Brief 2"]
    assert len(sections) == 3
    # The first letter starts the file; every later one on a new page.
    assert [s.start_type for s in sections[1:]] == [WD_SECTION.NEW_PAGE] * 2
    for section in sections:
        numbering = section._sectPr.find(qn("w:pgNumType"))
        assert numbering is not None and numbering.get(qn("w:start")) == "1"
