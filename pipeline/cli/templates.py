"""`intervisie sjablonen ...`: the Word templates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from pipeline.cli.common import (
    CONTEXT,
    DEFAULT_TEMPLATES,
    OPTIONS,
    SUBCOMMANDS,
    TEMPLATES_ENV,
    errors,
    folder_argument,
    templates_option,
)
from pipeline.content.themes import load_content
from pipeline.errors import TemplatesInvalid
from pipeline.kinds import Kind
from pipeline.render.check import check_templates
from pipeline.render.guide import example_contexts, field_guide, guide_markdown, guide_text


@click.group(
    "sjablonen", context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar=SUBCOMMANDS
)
def sjablonen() -> None:
    """Werken met de Word-sjablonen."""


@sjablonen.command(
    "controleer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer de Word-sjablonen.",
)
@folder_argument()
def sjablonen_controleer(map_: Path | None) -> None:
    """Controleer de sjablonen in MAP (standaard templates/ van het project).

    Meldt per sjabloon elke variabele die het programma niet levert (met de alinea en
    het bekende veld dat er het meest op lijkt; alle velden toont `sjablonen velden`),
    elke Jinja-syntaxfout met de alinea waarin die staat en alles wat de beveiligde
    omgeving verbiedt. Afsluitcode 0 als alles in orde is, anders 1.
    """
    folder = map_ or Path(os.environ.get(TEMPLATES_ENV, str(DEFAULT_TEMPLATES)))
    with errors():
        content = load_content(folder)
        problems = check_templates(folder, content)
        if problems:
            raise TemplatesInvalid(problems)
    click.echo(
        f"De sjablonen in '{folder}' zijn in orde ({', '.join(k.template for k in Kind)})."
    )


DEFAULT_EXAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "voorbeeld.xlsx"
GUIDE_KINDS = tuple(kind.value for kind in Kind)


@sjablonen.command(
    "velden",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Toon alle velden die een sjabloon kan gebruiken.",
)
@click.argument("soort", metavar="[SOORT]", required=False)
@click.option(
    "--markdown", is_flag=True, help="Schrijf de lijst als Markdown (zoals templates/VELDEN.md)."
)
@click.option(
    "--voorbeeld",
    "example",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_EXAMPLE,
    show_default="inputs/voorbeeld.xlsx van het project",
    help="Werkboek waaruit de voorbeeldwaarden komen.",
)
@templates_option()
def sjablonen_velden(
    soort: str | None, markdown: bool, example: Path, templates_dir: Path
) -> None:
    """Toon per soort document elk veld dat een sjabloon mag gebruiken: naam, type,
    betekenis, een voorbeeldwaarde uit het voorbeeldwerkboek en de lus waarin het staat.

    SOORT is een van: uitnodiging, draaiboek, syllabus, vervolgadvies, afzegging
    (standaard alle). Dit zijn precies de velden die `sjablonen controleer` goedkeurt.
    """
    if soort is not None and soort.strip().lower() not in GUIDE_KINDS:
        raise click.BadParameter(
            f"onbekende soort: {soort}; kies uit {', '.join(GUIDE_KINDS)}", param_hint="SOORT"
        )
    kinds = [Kind(soort.strip().lower())] if soort else list(Kind)
    with errors():
        content = load_content(templates_dir)
        examples = example_contexts(example, content, dt.date.today())
        guide = field_guide(content, examples, kinds)
    click.echo((guide_markdown if markdown else guide_text)(guide), nl=False)
