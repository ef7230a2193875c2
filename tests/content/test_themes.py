"""The content files: facts from the seeds, and clear errors for a broken file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.content.model import Content
from pipeline.content.themes import load_content
from pipeline.errors import ContentProblem, TemplateProblem
from tests.conftest import TEMPLATES


def test_seed_facts(content: Content) -> None:
    assert sorted(content.themes) == ["autonomie", "intervisie", "leerruimte", "participatie"]
    for key in ("leerruimte", "autonomie", "participatie"):
        theme = content.themes[key]
        assert theme.pijler and theme.duur_minuten == 60
        assert (theme.min_deelnemers, theme.max_deelnemers) == (3, 10)
        assert len(theme.praktijkvragen) == 5 and theme.focusvraag
        assert [s.minuten for s in theme.stappen][:2] == [5, 20]
    assert content.themes["leerruimte"].heeft_analyse
    assert content.themes["participatie"].heeft_analyse
    assert not content.themes["autonomie"].heeft_analyse
    assert content.themes["leerruimte"].onderscheid
    method = content.themes["intervisie"]
    assert [r.minuten for r in method.ronde] == [3, 10, 10, 2, 5]
    assert (method.ideaal_min, method.ideaal_max) == (4, 6)
    assert content.theme("LEERRUIMTE") is content.themes["leerruimte"]


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    path = folder / "inhoud" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("themas/leerruimte.toml", "naam = ", "naam_ = ", "veld 'naam': ontbreekt"),
        (
            "themas/leerruimte.toml",
            "duur_minuten = 60",
            'duur_minuten = "zestig"',
            "veld 'duur_minuten': moet een geheel getal",
        ),
        (
            "themas/leerruimte.toml",
            "grote_groep = true",
            "grote_groepen = true",
            "veld 'stappen[2].grote_groepen': onbekend veld",
        ),
        (
            "themas/intervisie.toml",
            'herhaal = "inbrenger"',
            'herhaal = "inbrengers"',
            "'stappen[2].herhaal'",
        ),
        (
            "themas/leerruimte.toml",
            'naam = "Leerruimte"',
            'naam = "Leerruimte',
            "geen geldige TOML",
        ),
        (
            "themas/leerruimte.toml",
            "duur_minuten = 60",
            "duur_minuten = 30",
            "korter dan de som van de stappen",
        ),
        ("algemeen.toml", "vaardigheden = ", "vaardigheid = ", "veld 'vaardigheden': ontbreekt"),
        (
            "themas/leerruimte.toml",
            "max_deelnemers = 10",
            "max_deelnemers = 12",
            "max_deelnemers <= 10",
        ),
        (
            "themas/autonomie.toml",
            "minimaal = ",
            "minuten = ",
            "minstens één stap zonder minuten",
        ),
        (
            "themas/leerruimte.toml",
            "kort_tot = 5\nbegeleider_kort",
            "begeleider_kort",
            "geef kort_tot met begeleider_kort",
        ),
        (
            "algemeen.toml",
            '    "Leg uw telefoon weg en sluit e-mail en andere programma\'s, ook als u online '
            'meedoet.",\n',
            "",
            "veld 'voor_u.spelregels': moet evenveel regels hebben als spelregels",
        ),
        ("algemeen.toml", "[voor_u]\n", "[voor_u]\nwat_iss = 'x'\n", "'voor_u.wat_iss': onbekend"),
        (
            "themas/intervisie.toml",
            "zichtbaar voor iedereen op {bord}.",
            "zichtbaar voor iedereen op {bord_online}.",
            "stap 'Brainstorm over de aanpak': alleen {bord} wordt ingevuld",
        ),
        ("algemeen.toml", 'online = "een gedeeld', 'onlin = "een gedeeld', "'bord.online'"),
        (
            "themas/autonomie.toml",
            'praktijkvragen_u = [\n    "Schets de situatie: wie zijn erbij betrokken, wat staat '
            'er op het spel en welke belangen en behoeften spelen er?",\n',
            "praktijkvragen_u = [\n",
            "praktijkvragen_u moet evenveel vragen hebben als praktijkvragen",
        ),
    ],
    ids=[
        "missing",
        "wrong-type",
        "misspelt",
        "bad-repeat",
        "toml-syntax",
        "too-short",
        "general-missing",
        "beyond-contract",
        "no-flexible-step",
        "short-text-missing",
        "formal-rules-count",
        "formal-unknown",
        "unknown-placeholder",
        "board-word-missing",
        "formal-questions-count",
    ],
)
def test_broken_content_names_file_and_field(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    folder = broken(tmp_path, file, old, new)
    with pytest.raises(ContentProblem) as info:
        load_content(folder)
    message = str(info.value)
    assert Path(file).name in message
    assert expected in message, message


@pytest.mark.parametrize("naam", ["Leerruimte", "LEERRUIMTE", "leerruimte"])
def test_two_themes_with_one_naam_are_refused(tmp_path: Path, naam: str) -> None:
    folder = broken(tmp_path, "themas/autonomie.toml", 'naam = "Autonomie"', f'naam = "{naam}"')
    with pytest.raises(ContentProblem) as caught:
        load_content(folder)
    message = str(caught.value)
    assert "autonomie.toml" in message and "leerruimte.toml" in message
    assert "eigen naam" in message


def test_a_broken_content_file_is_a_content_problem_not_a_template_problem(
    tmp_path: Path,
) -> None:
    folder = broken(tmp_path, "themas/leerruimte.toml", 'naam = "Leerruimte"', "naam = 3")
    with pytest.raises(ContentProblem) as caught:
        load_content(folder)
    assert not isinstance(caught.value, TemplateProblem)
    assert str(caught.value).startswith("inhoudsbestand 'leerruimte.toml', veld 'naam': ")
    assert "sjabloon" not in str(caught.value)
