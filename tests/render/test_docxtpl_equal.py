"""The fast path writes the XML plain docxtpl writes: body, headers and footers compared
element by element (canonical XML) on small templates built here, one per docxtpl
feature, and on the project's own templates.

The one difference left is whitespace between tags that no reader sees: python-docx
indents a picture's XML and docxtpl keeps that indentation; the fast path does not
(see PreparedTemplate._add_signature). The comparison therefore drops whitespace-only
text between elements; text inside <w:t> is compared as it is.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from lxml import etree

from pipeline.content.model import Content
from pipeline.documents.plan import ALL_KINDS, Kind
from pipeline.model import SignatureImage
from pipeline.render.prepared import (
    CoreProperties,
    PreparedTemplate,
    make_environment,
)
from tests.conftest import ROOT, TEMPLATES
from tests.samples import sample_contexts
from tools.plain_docxtpl import render_with_docxtpl

PROPS = CoreProperties("Titel", "Onderwerp", "Gemeente", "k", "2030-01-01T09:00:00Z")
SIGNATURE = SignatureImage(ROOT / "inputs" / "handtekening.png")
_PARSER = etree.XMLParser(remove_blank_text=True)


def rendered_parts(data: bytes) -> dict[str, bytes]:
    """Body, headers and footers of a package as canonical XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: etree.tostring(etree.fromstring(package.read(name), _PARSER), method="c14n")
            for name in package.namelist()
            if name == "word/document.xml"
            or (name.startswith(("word/header", "word/footer")) and name.endswith(".xml"))
        }


def assert_same_as_docxtpl(
    path: Path, context: dict[str, Any], folder: Path, signature: SignatureImage | None = None
) -> bytes:
    fast = PreparedTemplate(path, make_environment(), signature).render(context, PROPS)
    reference = folder / "docxtpl.docx"
    render_with_docxtpl(path, context, reference)
    ours, theirs = rendered_parts(fast), rendered_parts(reference.read_bytes())
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name].decode() == theirs[name].decode(), name
    return fast


def paragraphs(*texts: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        for text in texts:
            document.add_paragraph(text)

    return build


def table(*rows: tuple[str, ...]) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        document.add_paragraph("Tabel")
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text

    return build


def header_and_footer(document: Document) -> None:
    document.add_paragraph("Romp {{ naam }}")
    document.sections[0].header.paragraphs[0].text = "Kop {{ naam }}"
    document.sections[0].footer.paragraphs[0].text = "Voet {{ regels }} {{ naam }}"


CONTEXT: dict[str, Any] = {
    "naam": "Jan\tde Vries & <zonen>",
    "regels": "Postbus 100\n1234 AB Voorbeeldstad",
    "namen": ["Anna\tBakker", "Kees", " "],
    "rijen": [{"a": "x\ty", "b": "een\ntwee"}, {"a": "1", "b": ""}],
    "kolommen": ["k1", "k2", "k3", "k4", "k5"],
    "alinea": "eerste\aTweede alinea",
    "pagina": "voor\fna",
}

TEMPLATES_BUILT: list[tuple[str, Callable[[Document], None]]] = [
    ("waarden met tab en regeleinde", paragraphs("Beste {{ naam }},", "{{ regels }}")),
    ("alinea en pagina in een waarde", paragraphs("{{ alinea }}", "{{ pagina }}")),
    ("lus binnen een alinea", paragraphs("{% for n in namen %}{{ n }}, {% endfor %}")),
    (
        "alinea-lus {%p %}",
        paragraphs("{%p for n in namen %}", "Naam: {{ n }}", "{%p endfor %}"),
    ),
    (
        "rij-lus {%tr %} met tab en regeleinde in cellen",
        table(
            ("A", "B"),
            ("{%tr for r in rijen %}", ""),
            ("{{ r.a }}", "{{ r.b }}"),
            ("{%tr endfor %}", ""),
        ),
    ),
    (
        "kolom-lus {%tc %} (meer kolommen dan het raster)",
        table(("{%tc for k in kolommen %}", "{{ k }}", "{%tc endfor %}"), ("a", "b", "c")),
    ),
    ("letterlijke Jinja-tekens {_{ }_}", paragraphs("{_{ niet invullen }_} en {_% ook %_}")),
    ("kop- en voettekst", header_and_footer),
]


@pytest.mark.parametrize(
    "build", [b for _, b in TEMPLATES_BUILT], ids=[name for name, _ in TEMPLATES_BUILT]
)
def test_small_templates_give_docxtpls_xml(
    tmp_path: Path, build: Callable[[Document], None]
) -> None:
    document = docx.Document()
    build(document)
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    assert_same_as_docxtpl(path, CONTEXT, tmp_path)


@pytest.mark.parametrize("copies", [1, 3])
def test_images_in_a_loop_give_docxtpls_xml_with_unique_ids(tmp_path: Path, copies: int) -> None:
    document = docx.Document()
    document.add_paragraph("{% for n in namen %}{{ handtekening }}{% endfor %}")
    document.add_paragraph("Getekend: {{ handtekening }}")
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    context = {"namen": ["x"] * copies, "handtekening": SIGNATURE}
    data = assert_same_as_docxtpl(path, context, tmp_path, SIGNATURE)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    ids = [e.get("id") for e in body.iter("{*}docPr")]
    assert len(ids) == copies + 1 and len(set(ids)) == len(ids)


def test_literal_delimiters_come_out_as_written(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{_{ niet invullen }_} en {_% ook %_}")
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    data = PreparedTemplate(path, make_environment()).render({}, PROPS)
    assert [p.text for p in docx.Document(io.BytesIO(data)).paragraphs] == [
        "{{ niet invullen }} en {% ook %}"
    ]


def test_column_loop_widens_the_table_grid(tmp_path: Path) -> None:
    document = docx.Document()
    table(("{%tc for k in kolommen %}", "{{ k }}", "{%tc endfor %}"))(document)
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    data = PreparedTemplate(path, make_environment()).render({"kolommen": ["a"] * 5}, PROPS)
    rendered = docx.Document(io.BytesIO(data)).tables[0]
    assert len(rendered._tbl.tblGrid.gridCol_lst) == 5


def test_tab_in_a_value_is_a_word_tab(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ naam }}")
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    data = PreparedTemplate(path, make_environment()).render({"naam": "a\tb\nc"}, PROPS)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
    assert "<w:tab/>" in body and "<w:br/>" in body
    assert "\t" not in body and "a\tb" not in body


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.value)
def test_project_templates_give_docxtpls_xml(content: Content, kind: Kind, tmp_path: Path) -> None:
    signature = SIGNATURE if kind is Kind.UITNODIGING else None
    for context in sample_contexts(content)[kind][:2]:
        if signature is not None:
            context["handtekening"] = signature
        assert_same_as_docxtpl(TEMPLATES / kind.template, context, tmp_path, signature)
