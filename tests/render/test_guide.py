"""The field guide (`sjablonen velden`, templates/VELDEN.md) against the contexts the
planner really builds: a field the guide lists that no context has, or a field a
context has that the guide does not list or explain, fails here."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.content.model import Content
from pipeline.documents import contexts
from pipeline.documents.plan import Kind
from pipeline.render import meanings
from pipeline.render.guide import (
    UNDESCRIBED,
    GuideField,
    example_contexts,
    field_guide,
    sample_contexts,
)
from pipeline.workbook.check import check_workbook
from tests.conftest import EXAMPLE, TEMPLATES

TODAY = dt.date(2027, 1, 4)


def paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every field path of a real context value, written out independently of the guide."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from paths(item, path)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                yield from paths(item, f"{prefix}[]")


def planner_contexts(content: Content) -> dict[Kind, list[Mapping[str, Any]]]:
    """What a run of the example workbook builds, and two cancellation letters (the
    planner's own contexts, render.check.jobs_by_kind)."""
    return example_contexts(EXAMPLE, content, TODAY)


@pytest.fixture(scope="module")
def guide(content: Content) -> dict[Kind, list[GuideField]]:
    return field_guide(content, example_contexts(EXAMPLE, content, TODAY))


@pytest.mark.parametrize("kind", list(Kind), ids=[k.value for k in Kind])
def test_the_guide_lists_exactly_the_fields_of_the_planners_contexts(
    content: Content, guide: dict[Kind, list[GuideField]], kind: Kind
) -> None:
    real = {path for context in planner_contexts(content)[kind] for path in paths(context)}
    listed = [item.path for item in guide[kind]]
    assert len(listed) == len(set(listed))
    assert sorted(set(listed) - real) == [], "listed, but no context has it"
    assert sorted(real - set(listed)) == [], "in a context, but not in the guide"
    # ... and the names `sjablonen controleer` checks templates against are the same.
    checked = {path for context in sample_contexts(content)[kind] for path in paths(context)}
    assert checked == real


def test_every_field_is_explained_and_every_explanation_is_used(
    guide: dict[Kind, list[GuideField]],
) -> None:
    every = [f for fields in guide.values() for f in fields]
    assert sorted({f.path for f in every if f.meaning == UNDESCRIBED}) == []
    used = {meanings.canonical(f.path) for f in every}
    assert sorted(set(meanings.MEANINGS) - used) == [], "explained, but no context has it"


def test_a_new_context_field_shows_up_undescribed(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_person = contexts.person
    monkeypatch.setattr(contexts, "person", lambda p: {**real_person(p), "roepnaam": "Jan"})
    fields = field_guide(content, {}, [Kind.SYLLABUS])[Kind.SYLLABUS]
    new = [f for f in fields if f.path == "lezer.roepnaam"]
    assert new == [GuideField("lezer.roepnaam", "tekst", "", UNDESCRIBED, "")]


def test_types_loops_and_examples(content: Content, guide: dict[Kind, list[GuideField]]) -> None:
    draaiboek = {f.path: f for f in guide[Kind.DRAAIBOEK]}
    assert draaiboek["deelnemers"].type == "lijst van groepen"
    assert draaiboek["deelnemers[].naam"].loop == "deelnemers"
    assert draaiboek["stappen[].rondes[].stappen[].titel"].loop == "stappen[].rondes[].stappen"
    assert draaiboek["sessie.duur_minuten"].type == "getal"
    assert draaiboek["sessie.online"].type == "ja/nee"
    assert draaiboek["inbrengers"].type == "lijst van teksten"
    cycle = check_workbook(EXAMPLE, content, TODAY).cycle
    first = cycle.sessions[0]
    assert draaiboek["sessie.code"].example == first.sessie
    assert draaiboek["sessie.begintijd"].example == first.begintijd.strftime("%H:%M")
    invitation = {f.path: f for f in guide[Kind.UITNODIGING]}
    assert invitation["handtekening"].type == "afbeelding"
    assert invitation["handtekening"].example == "handtekening.png"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="intervisie")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_velden_md_is_what_the_command_writes() -> None:
    code, out, _ = run("sjablonen", "velden", "--markdown")
    assert code == 0
    assert (TEMPLATES / "VELDEN.md").read_text(encoding="utf-8") == out, (
        "templates/VELDEN.md is verouderd: draai make templates"
    )


def test_velden_for_one_kind_through_the_cli(content: Content) -> None:
    code, out, _ = run("sjablonen", "velden", "syllabus")
    assert code == 0
    count = len({p for c in planner_contexts(content)[Kind.SYLLABUS] for p in paths(c)})
    assert f"\nsyllabus (syllabus.docx): {count} velden\n" in out
    assert "uitnodiging (" not in out
    assert (
        "  sessies[].begintijd (tekst; in de lus over sessies)\n"
        "      Begintijd, uu:mm.\n"
        "      Voorbeeld: 14:00\n"
    ) in out
    assert "  lezer.formeel (ja/nee)\n      Ja bij aanhef heer of mevrouw" in out


def test_velden_refuses_an_unknown_kind() -> None:
    code, _, err = run("sjablonen", "velden", "brief")
    assert code == 2
    assert err.endswith(
        "Fout: Ongeldige waarde voor SOORT: onbekende soort: brief; kies uit uitnodiging, "
        "draaiboek, syllabus, vervolgadvies, afzegging\n"
    )


def test_sjablonen_controleer_suggests_the_field_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    document = docx.Document(str(folder / "uitnodiging.docx"))
    document.add_paragraph("Wij zien u om {{ sessie.begintjd }} uur.")
    document.save(str(folder / "uitnodiging.docx"))
    code, out, err = run("sjablonen", "controleer", str(folder))
    assert code == 1 and out == ""
    assert err == (
        "FOUT: sjabloon 'uitnodiging.docx', in de tekst ('word/document.xml'), in de alinea "
        "'Wij zien u om {{ sessie.begintjd }} uur.': gebruikt de onbekende variabele "
        "'sessie.begintjd'; bedoelt u `sessie.begintijd`?\n"
        "De sjablonen bevatten 1 probleem.\n"
    )
