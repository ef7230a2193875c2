"""Preparing a joined document for one conversion: marks, own page counts, fresh lists.

No LibreOffice here: these read the prepared package back; tests/pdf/test_pdf.py
converts for real.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from pipeline.pdf.join import START, prepare_joined
from pipeline.render.bundle import combine_letters
from pipeline.render.prepared import CoreProperties
from pipeline.run import RunResult

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PROPS = CoreProperties("t", "s", "a", "k", "2027-01-04T09:00:00Z")


def _joined(example_run: RunResult, folder: str, count: int) -> dict[str, bytes]:
    sources = sorted((example_run.target / folder).glob("*.docx"))[:count]
    joined = prepare_joined(combine_letters(sources, PROPS))
    assert joined is not None and joined.documents == count
    with zipfile.ZipFile(io.BytesIO(joined.package)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_each_document_is_marked_at_its_start_and_end(example_run: RunResult) -> None:
    members = _joined(example_run, "uitnodigingen", 3)
    body = etree.fromstring(members["word/document.xml"]).find(f"{W}body")
    assert body is not None
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    marks = [n for n in names if n and n.startswith(START)]
    assert marks == [f"{START}00000", f"{START}00001", f"{START}00002"]
    assert all(re.fullmatch(r"[A-Za-z0-9]+", name or "") for name in names)


def test_each_syllabus_counts_its_own_pages(example_run: RunResult) -> None:
    members = _joined(example_run, "syllabi", 3)
    footers = sorted(n for n in members if re.fullmatch(r"word/footer\d+-\d{5}\.xml", n))
    assert len(footers) == 3
    for number, footer in enumerate(footers):
        data = members[footer]
        assert b"NUMPAGES" not in data
        assert f"PAGEREF IntervisieEinde{number:05d}".encode() in data
    root = etree.fromstring(members["word/document.xml"])
    ends = [b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")]
    assert [e for e in ends if e and e.startswith("IntervisieEinde")] == [
        "IntervisieEinde00000", "IntervisieEinde00001", "IntervisieEinde00002"
    ]
    rels = members["word/_rels/document.xml.rels"].decode()
    types = members["[Content_Types].xml"].decode()
    references = [f.get(f"{R}id") for f in root.iter(f"{W}footerReference")]
    assert len(set(references)) == 3  # one footer per document
    for footer in footers:
        name = footer.removeprefix("word/")
        assert f'Target="{name}"' in rels and f'PartName="/{footer}"' in types


def test_lists_restart_in_every_document(example_run: RunResult) -> None:
    members = _joined(example_run, "syllabi", 3)
    root = etree.fromstring(members["word/document.xml"])
    body = root.find(f"{W}body")
    assert body is not None
    # A list paragraph numbers through its own numPr or through its style's (the first
    # document keeps the template's style numbering; the others get their own copies).
    styled = {
        style.get(f"{W}styleId"): num.get(f"{W}val", "")
        for style in etree.fromstring(members["word/styles.xml"]).iter(f"{W}style")
        for num in style.iterfind(f"{W}pPr/{W}numPr/{W}numId")
    }
    per_document: list[set[str]] = [set()]
    for block in body:
        for paragraph in block.iter(f"{W}p"):
            own = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            if own is not None:
                per_document[-1].add(own.get(f"{W}val", ""))
            elif style is not None and style.get(f"{W}val") in styled:
                per_document[-1].add(styled[style.get(f"{W}val")])
        if block.find(f"{W}pPr/{W}sectPr") is not None:
            per_document.append(set())
    assert all(per_document) and len(per_document) == 3
    assert not (per_document[0] & per_document[1]) and not (per_document[1] & per_document[2])
    numbering = etree.fromstring(members["word/numbering.xml"])
    for num_id in per_document[1] | per_document[2]:
        instance = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id)
        assert instance.find(f"{W}lvlOverride/{W}startOverride") is not None


def test_a_page_count_in_the_body_cannot_be_joined(example_run: RunResult) -> None:
    sources = sorted((example_run.target / "syllabi").glob("*.docx"))[:2]
    combined = combine_letters(sources, PROPS)
    with zipfile.ZipFile(io.BytesIO(combined)) as package:
        members = {name: package.read(name) for name in package.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"</w:body>", b'<w:p><w:fldSimple w:instr="NUMPAGES"/></w:p></w:body>', 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    assert prepare_joined(out.getvalue()) is None
