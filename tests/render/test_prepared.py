"""The fast renderer against plain docxtpl, escaping, sandbox and strict undefined."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.content.model import Content
from pipeline.documents.plan import ALL_KINDS, Kind
from pipeline.errors import TemplateProblem
from pipeline.model import SignatureImage
from pipeline.render.prepared import (
    CoreProperties,
    PreparedTemplate,
    make_environment,
)
from tests.conftest import ROOT, TEMPLATES
from tests.docx_text import body_lines, header_footer_text
from tests.samples import sample_contexts
from tools.plain_docxtpl import render_with_docxtpl

PROPS = CoreProperties("Titel", "Onderwerp", "Gemeente Voorbeeld", "k", "2030-01-01T09:00:00Z")
SIGNATURE = ROOT / "inputs" / "handtekening.png"


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.value)
def test_fast_path_gives_the_same_text_as_plain_docxtpl(
    content: Content, kind: Kind, tmp_path: Path
) -> None:
    env = make_environment()
    for context in sample_contexts(content)[kind][:3]:
        if kind is Kind.UITNODIGING:
            context["handtekening"] = SignatureImage(SIGNATURE)
        signature = SignatureImage(SIGNATURE) if kind is Kind.UITNODIGING else None
        fast = PreparedTemplate(TEMPLATES / kind.template, env, signature).render(context, PROPS)
        reference = tmp_path / "docxtpl.docx"
        render_with_docxtpl(TEMPLATES / kind.template, context, reference)
        assert body_lines(fast) == body_lines(reference)
        assert header_footer_text(fast) == header_footer_text(reference)


def test_signature_image_is_embedded_once(content: Content) -> None:
    context = sample_contexts(content)[Kind.UITNODIGING][0]
    context["handtekening"] = SignatureImage(SIGNATURE)
    template = PreparedTemplate(
        TEMPLATES / "uitnodiging.docx", make_environment(), SignatureImage(SIGNATURE)
    )
    data = template.render(context, PROPS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        document = archive.read("word/document.xml").decode()
    assert len(media) == 1
    assert document.count("<w:drawing>") == 1


def test_values_are_escaped_not_dropped(content: Content) -> None:
    context = sample_contexts(content)[Kind.UITNODIGING][0]
    context["prikkelende_vraag"] = "Wat doe je met <regels> & ruimte?"
    template = PreparedTemplate(TEMPLATES / "uitnodiging.docx", make_environment())
    lines = body_lines(template.render(context, PROPS))
    assert "„Wat doe je met <regels> & ruimte?”" in lines


def _template_with(tmp_path: Path, text: str) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph(text)
    path = tmp_path / "eigen.docx"
    doc.save(str(path))
    return path


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ cycler.__init__.__globals__ }}")
    template = PreparedTemplate(path, make_environment())
    with pytest.raises(TemplateProblem, match=r"eigen\.docx"):
        template.render({}, PROPS)


def test_undefined_variable_is_an_error_naming_the_template(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "Hallo {{ onbekend }}")
    template = PreparedTemplate(path, make_environment())
    with pytest.raises(TemplateProblem, match=r"eigen\.docx.*onbekend"):
        template.render({}, PROPS)


def test_syntax_error_names_the_paragraph(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "Beste {{ naam }")
    with pytest.raises(TemplateProblem, match="Beste"):
        PreparedTemplate(path, make_environment())


def test_core_properties_come_from_the_data(content: Content) -> None:
    context = sample_contexts(content)[Kind.DRAAIBOEK][0]
    data = PreparedTemplate(TEMPLATES / "draaiboek.docx", make_environment()).render(context, PROPS)
    import docx

    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "Gemeente Voorbeeld"
    assert props.title == "Titel"
    assert props.created is not None and props.created.year == 2030


def test_rendering_is_deterministic(content: Content) -> None:
    context = sample_contexts(content)[Kind.SYLLABUS][0]
    first = PreparedTemplate(TEMPLATES / "syllabus.docx", make_environment()).render(context, PROPS)
    second = PreparedTemplate(TEMPLATES / "syllabus.docx", make_environment()).render(
        context, PROPS
    )
    assert first == second
