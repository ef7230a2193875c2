"""`intervisie controleer` and `intervisie nieuw-werkboek`: the workbook itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.cli.common import (
    CONTEXT,
    OPTIONS,
    errors,
    report,
    templates_option,
    workbook_argument,
)
from pipeline.content.themes import load_content
from pipeline.errors import IntervisieError, OutputError, describe_os_error, plural
from pipeline.run import check, restore_after_killed_runs
from pipeline.workbook.empty import write_empty_workbook


@click.command(
    "controleer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer een werkboek en meld alle problemen.",
)
@workbook_argument()
@click.option(
    "--uitvoer",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Uitvoermap van genereer: een map die een afgebroken run liet ontbreken, wordt "
    "eerst teruggezet.",
)
@templates_option()
def controleer(werkboek: Path, output: Path, templates_dir: Path) -> None:
    """Controleer WERKBOEK op alle regels en meld alle problemen tegelijk.

    Elke fout noemt blad, rij en kolom. Waarschuwingen staan erna. Afsluitcode 0 als het
    werkboek in orde is, 1 als er fouten zijn.
    """
    with errors():
        for folder in restore_after_killed_runs(output):
            click.echo(f"Teruggezet na een afgebroken run: {folder}", err=True)
        _, result = check(werkboek, templates_dir, dt.date.today())
        report(result.warnings)
        cycle = result.cycle
        click.echo(
            f"Het werkboek is in orde: {len(cycle.sessions)} sessies, {len(cycle.people)} "
            f"deelnemers, {len(cycle.bookings)} indelingen, "
            f"{plural(len(result.warnings), 'waarschuwing', 'waarschuwingen')}."
        )



@click.command(
    "nieuw-werkboek",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Schrijf een leeg werkboek met toelichting.",
)
@click.argument("pad", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overschrijf", is_flag=True, help="Overschrijf een bestaand bestand.")
@templates_option()
def nieuw_werkboek(pad: Path, overschrijf: bool, templates_dir: Path) -> None:
    """Schrijf een leeg werkboek naar PAD, met alle bladen, kolommen, keuzelijsten en een
    blad Toelichting dat elke kolom uitlegt."""
    with errors():
        if pad.exists() and not overschrijf:
            raise IntervisieError(
                f"'{pad}' bestaat al; kies een andere naam of gebruik --overschrijf."
            )
        content = load_content(templates_dir)
        try:
            write_empty_workbook(pad, [t.naam for t in content.themes.values()])
        except OSError as exc:
            raise OutputError(f"kan '{pad}' niet schrijven: {describe_os_error(exc)}") from None
    click.echo(f"Leeg werkboek geschreven: {pad}")
