"""Template parts beyond the body: footnotes and endnotes are filled in like the body;
tags in a part that is not filled in (core properties, ...) are refused by name."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.content.model import Content
from pipeline.render.check import check_templates
from pipeline.run import generate
from tests.conftest import EXAMPLE, TEMPLATES
from tests.generated import TODAY

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _notes(kind: str, text: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{kind}s xmlns:w="{W}"><w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r>'
        f"</w:p></w:{kind}></w:{kind}s>"
    ).encode()


def _rewrite(path: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def _with_notes(path: Path, footnote: str, endnote: str) -> None:
    with zipfile.ZipFile(path) as source:
        types = source.read("[Content_Types].xml").decode()
        rels = source.read("word/_rels/document.xml.rels").decode()
    for kind in ("footnote", "endnote"):
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/{kind}s.xml" ContentType="{CT}.{kind}s+xml"/></Types>',
        )
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdTest{kind}" Type="{REL}/{kind}s" Target="{kind}s.xml"/>'
            "</Relationships>",
        )
    _rewrite(
        path,
        {
            "[Content_Types].xml": types.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "word/footnotes.xml": _notes("footnote", footnote),
            "word/endnotes.xml": _notes("endnote", endnote),
        },
    )


def test_footnotes_and_endnotes_are_filled_in(tmp_path: Path) -> None:
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    _with_notes(templates / "draaiboek.docx", "Voetnoot {{ sessie.code }}", "Eind {{ thema.naam }}")
    run = generate(EXAMPLE, tmp_path / "uit", templates, today=TODAY, workers=1)
    letter = run.target / "draaiboeken" / "draaiboek-lr-01.docx"
    with zipfile.ZipFile(letter) as document:
        footnotes = document.read("word/footnotes.xml").decode()
        endnotes = document.read("word/endnotes.xml").decode()
    assert "{{" not in footnotes and "Voetnoot LR-01" in footnotes, footnotes
    assert "{{" not in endnotes and "Eind Leerruimte" in endnotes, endnotes


def test_an_unknown_name_in_a_footnote_is_found_by_the_check(
    tmp_path: Path, content: Content
) -> None:
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    _with_notes(templates / "syllabus.docx", "{{ bestaat_niet }}", "gewoon")
    problems = [str(p) for p in check_templates(templates, content)]
    assert any("bestaat_niet" in p and "word/footnotes.xml" in p for p in problems), problems


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        (
            "docProps/core.xml",
            b"</cp:coreProperties>",
            b"<dc:description>{{ x }}</dc:description></cp:coreProperties>",
        ),
        (
            "docProps/app.xml",
            b"</Properties>",
            b"<Company>{% if 1 %}x{% endif %}</Company></Properties>",
        ),
    ],
    ids=["core", "app"],
)
def test_tags_in_a_part_not_filled_in_are_refused_by_name(
    tmp_path: Path, part: str, old: bytes, new: bytes
) -> None:
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    path = templates / "vervolgadvies.docx"
    with zipfile.ZipFile(path) as source:
        data = source.read(part)
    assert old in data
    _rewrite(path, {part: data.replace(old, new)})
    result = CliRunner().invoke(main, ["sjablonen", "controleer", str(templates)])
    assert result.exit_code == 1
    assert f"sjabloon 'vervolgadvies.docx': heeft Jinja-tags in '{part}'" in result.stderr
    output = tmp_path / "uit"
    result = CliRunner().invoke(
        main, ["genereer", str(EXAMPLE), "--uitvoer", str(output), "--sjablonen", str(templates)]
    )
    assert result.exit_code == 1 and part in result.stderr
    assert not output.exists()


def test_an_unreadable_template_is_named_as_unreadable(tmp_path: Path) -> None:
    from tests.plain_user import as_plain_user

    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    (templates / "syllabus.docx").chmod(0)

    def work() -> None:
        result = CliRunner().invoke(main, ["sjablonen", "controleer", str(templates)])
        assert result.exit_code == 1
        assert "sjabloon 'syllabus.docx': kan niet worden gelezen: geen toegang" in (
            result.stderr
        ), result.stderr
        assert "geen geldig Word-document" not in result.stderr

    as_plain_user(work)
