"""Hostile templates: bounded sizes and a time budget; refused in Dutch within seconds,
naming the template and the paragraph, by `sjablonen controleer` and by `genereer`."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import TemplateLimit
from pipeline.render import sandbox
from pipeline.render.prepared import make_environment
from pipeline.render.sandbox import render_bounded, time_budget
from tests.conftest import EXAMPLE, TEMPLATES

HOSTILE = [
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{% for i in range(9999) %}{% for j in range(9999)|batch(3) %}{% endfor %}{% endfor %}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% for i in 'a'*999999 %}{% for j in 'a'*999999 %}{% endfor %}{% endfor %}",
    "{{ lipsum(10**6) }}",
    "{{ ('a'*10**9)|length }}",
    "{{ 'a'*10**8 }}",
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'.ljust(1000000000) }}",
    "{{ '{:>9999999}'.format('a') }}",
    "{{ ('a'*999999)|replace('a', 'aaaa') }}",
    "{% set s = 'a'*999999 %}{{ (s ~ s ~ s)|length }}",
    "{{ 7**99999999 }}",
    "{% for i in range(200) %}{{ 'a'*999999 }}{% endfor %}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_sandbox_stops_a_hostile_template(text: str) -> None:
    template = make_environment().from_string(text)
    started = time.monotonic()
    with pytest.raises(TemplateLimit), time_budget(1.0):
        render_bounded(template, {})
    assert time.monotonic() - started < 3


def test_ordinary_templates_are_not_limited() -> None:
    env = make_environment()
    text = "{% for i in range(100) %}{{ i }}{{ 'ab'|center(6) }}{% endfor %}{{ lipsum(2) }}"
    with time_budget():
        assert render_bounded(env.from_string(text), {}).count("ab") >= 100
        assert render_bounded(env.from_string("{{ ', '.join(['a', 'b']) }}"), {}) == "a, b"
        assert render_bounded(env.from_string("{{ ['a', 'b']|join(' / ') }}"), {}) == "a / b"


def test_the_budget_covers_a_loop_without_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop over a plain string makes no call the checks see: the timer stops it."""
    monkeypatch.setattr(sandbox, "_deadline", None)
    template = make_environment().from_string(
        "{% for i in 'a'*900000 %}{% for j in 'a'*900000 %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    with pytest.raises(TemplateLimit), time_budget(0.5):
        render_bounded(template, {})
    assert time.monotonic() - started < 2


def _hostile_templates(tmp_path: Path, text: str) -> Path:
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    doc = docx.Document(str(templates / "draaiboek.docx"))
    doc.add_paragraph(f"Zware alinea {text}")
    doc.save(str(templates / "draaiboek.docx"))
    return templates


@pytest.mark.parametrize("text", [HOSTILE[0], HOSTILE[6]], ids=["time", "size"])
def test_check_and_run_refuse_in_dutch_within_seconds(tmp_path: Path, text: str) -> None:
    templates = _hostile_templates(tmp_path, text)
    runner = CliRunner()
    started = time.monotonic()
    result = runner.invoke(main, ["sjablonen", "controleer", str(templates)])
    assert time.monotonic() - started < 20
    assert result.exit_code == 1, result.output
    assert "sjabloon 'draaiboek.docx'" in result.stderr
    assert "te zwaar om in te vullen" in result.stderr
    assert "in de alinea 'Zware alinea" in result.stderr
    output = tmp_path / "uit"
    result = runner.invoke(
        main, ["genereer", str(EXAMPLE), "--uitvoer", str(output), "--sjablonen", str(templates)]
    )
    assert result.exit_code == 1 and "te zwaar om in te vullen" in result.stderr
    assert not output.exists()
