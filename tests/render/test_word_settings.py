"""Dutch proofing language and Word 2013+ mode, read back from the packages' XML."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.render.prepared import CoreProperties, PreparedTemplate, make_environment
from pipeline.render.word_settings import current_word, dutch_styles
from tests.conftest import TEMPLATES
from tools import build_templates

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PROPS = CoreProperties("Titel", "Onderwerp", "Gemeente", "k", "2030-01-01T09:00:00Z")


def parts(data: bytes) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return (
            etree.fromstring(package.read("word/styles.xml")),
            etree.fromstring(package.read("word/settings.xml")),
        )


def default_language(styles: etree._Element) -> list[str]:
    return styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS)


def compatibility_mode(settings: etree._Element) -> list[str]:
    return settings.xpath(
        "w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val", namespaces=NS
    )


@pytest.mark.parametrize("name", sorted(build_templates.BUILDERS))
def test_every_template_is_dutch_and_word_2013(name: str) -> None:
    styles, settings = parts((TEMPLATES / name).read_bytes())
    assert default_language(styles) == ["nl-NL"]
    assert compatibility_mode(settings) == ["15"]
    assert settings.xpath("w:themeFontLang/@w:val", namespaces=NS) == ["nl-NL"]


@pytest.mark.parametrize("name", sorted(build_templates.BUILDERS))
def test_the_builder_writes_what_is_committed(name: str) -> None:
    """`make templates` writes these settings itself (not a one-off edit of the files)."""
    built = build_templates.package(build_templates.BUILDERS[name]())
    assert parts(built)[0].xpath("w:docDefaults", namespaces=NS)[0].xpath(
        "string(.//w:lang/@w:val)", namespaces=NS
    ) == "nl-NL"
    assert compatibility_mode(parts(built)[1]) == ["15"]


def english_template(tmp_path: Path, without_lang: bool) -> Path:
    """A template as HR might bring one: en-US (or no language) and compatibilityMode 14."""
    document = docx.Document()
    document.add_paragraph("Beste {{ naam }},")
    for lang in document.styles.element.iter(f"{{{W}}}lang"):
        if without_lang:
            lang.getparent().remove(lang)
        else:
            lang.set(f"{{{W}}}val", "en-US")
    for setting in document.settings.element.iter(f"{{{W}}}compatSetting"):
        if setting.get(f"{{{W}}}name") == "compatibilityMode":
            setting.set(f"{{{W}}}val", "14")
    path = tmp_path / "eigen.docx"
    document.save(str(path))
    styles, settings = parts(path.read_bytes())
    assert default_language(styles) == ([] if without_lang else ["en-US"])
    assert compatibility_mode(settings) == ["14"]
    return path


@pytest.mark.parametrize("without_lang", [False, True])
def test_a_generated_document_is_dutch_even_from_an_english_template(
    tmp_path: Path, without_lang: bool
) -> None:
    template = PreparedTemplate(english_template(tmp_path, without_lang), make_environment())
    styles, settings = parts(template.render({"naam": "Jan"}, PROPS))
    assert default_language(styles) == ["nl-NL"]
    assert compatibility_mode(settings) == ["15"]


def element(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:root xmlns:w="{W}">{xml}</w:root>')[0]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<w:styles/>", "<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val='nl-NL'/>"),
        (
            "<w:styles><w:latentStyles/></w:styles>",
            "<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val='nl-NL'/></w:rPr></w:rPrDefault>"
            "</w:docDefaults><w:latentStyles/>",
        ),
        (
            "<w:styles><w:docDefaults><w:pPrDefault/></w:docDefaults></w:styles>",
            "<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val='nl-NL'/></w:rPr></w:rPrDefault>"
            "<w:pPrDefault/>",
        ),
        (
            "<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val='20'/>"
            "<w:eastAsianLayout/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>",
            "<w:rPr><w:sz w:val='20'/><w:lang w:val='nl-NL'/><w:eastAsianLayout/></w:rPr>",
        ),
        (
            "<w:styles><w:style><w:rPr><w:lang w:val='en-GB' w:bidi='ar-SA'/></w:rPr>"
            "</w:style></w:styles>",
            "<w:style><w:rPr><w:lang w:val='nl-NL' w:bidi='ar-SA'/></w:rPr></w:style>",
        ),
    ],
)
def test_dutch_styles_in_schema_order(xml: str, expected: str) -> None:
    styles = element(xml)
    dutch_styles(styles)
    shown = etree.tostring(styles).decode().replace('"', "'").replace(f" xmlns:w='{W}'", "")
    assert expected in shown


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<w:settings/>", "<w:compat><w:compatSetting w:name='compatibilityMode'"),
        (
            "<w:settings><w:zoom/><w:rsids/></w:settings>",
            "<w:zoom/><w:compat><w:compatSetting w:name='compatibilityMode' "
            "w:uri='http://schemas.microsoft.com/office/word' w:val='15'/></w:compat><w:rsids/>",
        ),
        (
            "<w:settings><w:compat><w:useFELayout/><w:compatSetting w:name='compatibilityMode' "
            "w:val='12'/></w:compat></w:settings>",
            "<w:compat><w:useFELayout/><w:compatSetting w:name='compatibilityMode' "
            "w:val='15'/></w:compat>",
        ),
    ],
)
def test_current_word_sets_compatibility_mode_15(xml: str, expected: str) -> None:
    settings = element(xml)
    current_word(settings)
    shown = etree.tostring(settings).decode().replace('"', "'").replace(f" xmlns:w='{W}'", "")
    assert expected in shown
