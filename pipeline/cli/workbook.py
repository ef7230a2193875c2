"""`intervisie controleer` and `intervisie nieuw-werkboek`: the workbook itself."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from pipeline.cli.common import (
    CONTEXT,
    OPTIONS,
    console,
    errors,
    output_option,
    report,
    report_invalid,
    templates_option,
    workbook_argument,
)
from pipeline.content.themes import load_content
from pipeline.errors import (
    IntervisieError,
    OutputError,
    Problem,
    WorkbookInvalid,
    describe_os_error,
    plural,
)
from pipeline.run import check, restore_after_killed_runs
from pipeline.workbook.empty import write_empty_workbook
from pipeline.workbook.markup import write_marked_copy


@click.command(
    "controleer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer een werkboek en meld alle problemen.",
)
@workbook_argument()
@output_option(
    "Uitvoermap van genereer: een map die een afgebroken run liet ontbreken, wordt "
    "eerst teruggezet."
)
@click.option(
    "--markeer",
    is_flag=True,
    help="Schrijf naast het werkboek een kopie <naam>-controle.xlsx met elk probleem "
    "gemarkeerd in zijn cel (opmerking; fout rood, waarschuwing oranje) en een eerste "
    "blad Controle met alle problemen. Het werkboek zelf blijft ongewijzigd.",
)
@templates_option()
def controleer(werkboek: Path, output: Path, markeer: bool, templates_dir: Path) -> None:
    """Controleer WERKBOEK op alle regels en meld alle problemen tegelijk.

    Elke fout noemt blad, rij en kolom. Waarschuwingen staan erna. Afsluitcode 0 als het
    werkboek in orde is, 1 als er fouten zijn, 2 als de kopie van --markeer niet
    geschreven kan worden.
    """
    with errors():
        for folder in restore_after_killed_runs(output):
            click.echo(f"Teruggezet na een afgebroken run: {folder}", err=True)
        try:
            _, result = check(werkboek, templates_dir, dt.date.today())
        except WorkbookInvalid as exc:
            if not markeer:
                raise
            report_invalid(exc)
            _write_markup(werkboek, exc.problems)
            sys.exit(exc.exit_code)
        report(result.warnings)
        cycle = result.cycle
        click.echo(
            f"Het werkboek is in orde: {len(cycle.sessions)} sessies, {len(cycle.people)} "
            f"deelnemers, {len(cycle.bookings)} indelingen, "
            f"{plural(len(result.warnings), 'waarschuwing', 'waarschuwingen')}."
        )
        if markeer:
            _write_markup(werkboek, result.warnings)


def _write_markup(workbook: Path, problems: Sequence[Problem]) -> None:
    copy = write_marked_copy(workbook, problems)
    if not copy.listed:
        click.echo(f"Kopie geschreven: {console(copy.path)} (geen problemen gevonden).")
        return
    click.echo(
        f"Kopie met de problemen gemarkeerd: {console(copy.path)} "
        f"({plural(copy.listed, 'probleem', 'problemen')} op het blad Controle, waarvan "
        f"{copy.cells} in een cel en {copy.rows} op een rij)."
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
