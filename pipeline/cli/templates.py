"""`intervisie sjablonen ...`: the Word templates."""

from __future__ import annotations

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
)
from pipeline.content.themes import load_content
from pipeline.errors import TemplatesInvalid
from pipeline.kinds import Kind
from pipeline.render.check import check_templates


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
@click.argument(
    "map_", metavar="[MAP]", required=False, type=click.Path(file_okay=False, path_type=Path)
)
def sjablonen_controleer(map_: Path | None) -> None:
    """Controleer de sjablonen in MAP (standaard templates/ van het project).

    Meldt per sjabloon elke variabele die het programma niet levert, elke
    Jinja-syntaxfout met de alinea waarin die staat en alles wat de beveiligde omgeving
    verbiedt. Afsluitcode 0 als alles in orde is, anders 1.
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
