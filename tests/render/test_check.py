"""`sjablonen controleer`: unknown names, syntax errors, forbidden constructs."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from pipeline.content.model import Content
from pipeline.render.check import check_templates
from tests.conftest import TEMPLATES


def copy_templates(tmp_path: Path) -> Path:
    target = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, target)
    return target


def add_paragraph(path: Path, text: str) -> None:
    doc = docx.Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))


def test_project_templates_are_clean(content: Content) -> None:
    assert check_templates(TEMPLATES, content) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ cycler.__init__.__globals__ }}", "'__init__'"),
        ("{{ sessie.__class__ }}", "'__class__'"),
        ("Beste {{ onbekende_naam }}", "onbekende variabele 'onbekende_naam'"),
        ("{{ sessie.bestaat_niet }}", "bestaat_niet"),
        (
            "{% for d in deelnemers %}{% if d.rol == 'x' %}{{ d.afdelnig }}{% endif %}{% endfor %}",
            "onbekende variabele 'd.afdelnig'",
        ),
        ("{% if not sessie.online %}{{ sessie.lokatie }}{% endif %}", "'sessie.lokatie'"),
        ("Een fout {% if %} in deze alinea", "in de alinea 'Een fout"),
        ("{% for x in sessie %}", "Jinja-syntaxfout"),
    ],
    ids=[
        "globals",
        "class",
        "unknown-top-level",
        "unknown-nested",
        "unknown-in-loop-branch",
        "unknown-in-untaken-branch",
        "syntax",
        "unclosed",
    ],
)
def test_broken_template_is_refused_with_its_name(
    tmp_path: Path, content: Content, text: str, expected: str
) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "draaiboek.docx", text)
    problems = check_templates(folder, content)
    assert problems, "the broken template passed the check"
    messages = [str(p) for p in problems]
    assert all("draaiboek.docx" in m for m in messages)
    assert any(expected in m for m in messages), messages


def test_a_missing_template_is_reported(tmp_path: Path, content: Content) -> None:
    folder = copy_templates(tmp_path)
    (folder / "draaiboek.docx").unlink()
    problems = check_templates(folder, content)
    assert [str(p) for p in problems] == [
        f"sjabloon 'draaiboek.docx': ontbreekt (gezocht: {folder / 'draaiboek.docx'})"
    ]


def test_a_file_that_is_not_a_docx_is_reported(tmp_path: Path, content: Content) -> None:
    folder = copy_templates(tmp_path)
    (folder / "syllabus.docx").write_text("geen word-bestand")
    problems = check_templates(folder, content)
    assert [p.template for p in problems] == ["syllabus.docx"]
    assert "geen geldig Word-document" in str(problems[0])


@pytest.mark.parametrize(
    "text",
    [
        '{% if sessie.online %}{% set w = "online" %}{% else %}{% set w = "zaal" %}{% endif %}'
        "{{ w }}",
        "{% for k, v in organisatie.items() %}{{ k }}{% endfor %}{{ organisatie.get('x', '') }}",
        "{% macro regel(p) %}{{ p.naam }}{% endmacro %}"
        "{% for d in deelnemers %}{{ regel(d) }}{% endfor %}",
        "{% with eerste = deelnemers[0] %}{{ eerste.naam }}{% endwith %}",
        "{% for d in deelnemers %}{{ loop.index }}. {{ d.naam }}{% if loop.last %}.{% endif %}"
        "{% endfor %}",
        "{{ deelnemers|map(attribute='naam')|join(', ') }}",
        "{% for s in stappen %}{% for r in s.rondes %}{{ r.inbrenger }}{% endfor %}{% endfor %}",
    ],
    ids=["set-in-branches", "dict-methods", "macro", "with", "loop", "filters", "nested-loops"],
)
def test_valid_constructs_are_accepted(tmp_path: Path, content: Content, text: str) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "draaiboek.docx", text)
    assert check_templates(folder, content) == []


def test_a_misspelt_name_inside_a_filter_in_an_untaken_branch_is_found(
    tmp_path: Path, content: Content
) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(
        folder / "uitnodiging.docx",
        "{% if not ontvanger.per_post %}{{ (ontvanger.afdelnig or '')|upper }}{% endif %}",
    )
    problems = [str(p) for p in check_templates(folder, content)]
    assert any("ontvanger.afdelnig" in p for p in problems), problems


def test_a_python_error_in_a_template_is_a_dutch_problem(tmp_path: Path, content: Content) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "draaiboek.docx", "{{ deelnemers|length / 0 }}")
    problems = [str(p) for p in check_templates(folder, content)]
    assert problems and "fout bij het invullen" in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ sessie.begeleider }}", "'sessie.begeleider'"),  # not known for a cancellation
        ("{{ thema.naam }}", "onbekende variabele 'thema'"),
    ],
)
def test_the_cancellation_letter_is_checked_with_its_own_names(
    tmp_path: Path, content: Content, text: str, expected: str
) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "afzegging.docx", text)
    messages = [str(p) for p in check_templates(folder, content)]
    assert messages and all("afzegging.docx" in m for m in messages)
    assert any(expected in m for m in messages), messages


def test_the_cancellation_letter_is_required(tmp_path: Path, content: Content) -> None:
    folder = copy_templates(tmp_path)
    (folder / "afzegging.docx").unlink()
    assert any("afzegging.docx" in str(p) for p in check_templates(folder, content))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "De sessie begint om {{ sessie.begintjd }} uur.",
            "sjabloon 'draaiboek.docx', in de tekst ('word/document.xml'), in de alinea "
            "'De sessie begint om {{ sessie.begintjd }} uur.': gebruikt de onbekende "
            "variabele 'sessie.begintjd'; bedoelt u `sessie.begintijd`?",
        ),
        (
            "{% for d in deelnemers %}{{ d.afdelnig }}{% endfor %}",
            "sjabloon 'draaiboek.docx', in de tekst ('word/document.xml'), in de alinea "
            "'{% for d in deelnemers %}{{ d.afdelnig }}{% endfor %}': gebruikt de onbekende "
            "variabele 'd.afdelnig'; bedoelt u `d.afdeling`?",
        ),
        (
            "{{ sessie.xyz }}",
            "sjabloon 'draaiboek.docx', in de tekst ('word/document.xml'), in de alinea "
            "'{{ sessie.xyz }}': gebruikt de onbekende variabele 'sessie.xyz'",
        ),
    ],
    ids=["nested", "loop-variable", "nothing-close"],
)
def test_an_unknown_field_names_the_closest_known_one_and_its_paragraph(
    tmp_path: Path, content: Content, text: str, expected: str
) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "draaiboek.docx", "Een gewone alinea ervoor.")
    add_paragraph(folder / "draaiboek.docx", text)
    assert [str(p) for p in check_templates(folder, content)] == [expected]


def test_an_unknown_top_level_name_names_the_closest_known_one(
    tmp_path: Path, content: Content
) -> None:
    folder = copy_templates(tmp_path)
    add_paragraph(folder / "syllabus.docx", "Beste {{ lezr.naam }},")
    (problem,) = check_templates(folder, content)
    assert str(problem).startswith(
        "sjabloon 'syllabus.docx', in de tekst ('word/document.xml'), in de alinea "
        "'Beste {{ lezr.naam }},': gebruikt de onbekende variabele 'lezr'; bedoelt u "
        "`lezer`? (beschikbaar: algemeen, cyclus, documenttitel, lezer, methode, "
    )
