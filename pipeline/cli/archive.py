"""`intervisie archief ...`: the archive of the syllabi."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, OPTIONS, SUBCOMMANDS, errors, folder_argument
from pipeline.errors import plural
from pipeline.publish.folders import ARCHIVE_DIR


@click.group(
    "archief", context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar=SUBCOMMANDS
)
def archief() -> None:
    """Werken met het archief van de syllabi (UITVOER/archief/)."""


@archief.command(
    "controleer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer of het archief ongeschonden is.",
)
@folder_argument()
def archief_controleer(map_: Path | None) -> None:
    """Controleer het archief in MAP (standaard output/archief).

    Berekent van elk gearchiveerd bestand opnieuw de sha256 en vergelijkt die met
    sha256sums.txt en met de MDTO-metagegevens; controleert elke PDF met de PDF/A-2b-
    validator van pikepdf (en de PDF/A-aanduiding, de lettertypen, versleuteling). Meldt
    per bestand wat ontbreekt, gewijzigd, onbekend of onleesbaar is, elke symbolische
    koppeling en elke lege map. Afsluitcode 0 als alles klopt, anders 1.
    """
    folder = map_ or Path("output") / ARCHIVE_DIR
    with errors():
        from pipeline.archive.check import check_archive  # pikepdf: only for this command

        report = check_archive(folder)
    for finding in report.findings:
        click.echo(f"FOUT: {finding}", err=True)
    summary = (
        f"{plural(report.files, 'bestand', 'bestanden')} in "
        f"{plural(report.archives, 'archief', 'archieven')} gecontroleerd"
    )
    if report.findings:
        click.echo(
            f"Het archief is niet in orde: "
            f"{plural(len(report.findings), 'bevinding', 'bevindingen')}; {summary}.",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Het archief in '{folder}' is in orde: {summary}.")
