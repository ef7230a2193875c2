"""`intervisie genereer`: check a workbook and make the documents."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from pipeline.cli.common import (
    CONTEXT,
    NAME_LIMIT,
    OPTIONS,
    console,
    errors,
    output_option,
    report,
    templates_option,
    workbook_argument,
)
from pipeline.cli.mail import report_changes
from pipeline.kinds import ALL_KINDS, BUNDLE, PDF_CHOICES, PDF_DEFAULT, Kind, is_pdf
from pipeline.run import PdfOptions, RunResult, generate
from pipeline.stages import StageTimes


def _workers(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 64:
        raise click.BadParameter(f"{value} ligt niet tussen 1 en 64.")
    return value


def _parse_kinds(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[Kind, ...]:
    if not value:
        return ALL_KINDS
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    known = {k.value: k for k in ALL_KINDS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(
            f"onbekende soort: {', '.join(unknown)}; kies uit {', '.join(known)}"
        )
    return tuple(k for k in ALL_KINDS if k.value in names)


def _parse_pdf(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if names in (["standaard"], []):
        return PDF_DEFAULT
    if names == ["alle"]:
        return PDF_CHOICES
    unknown = [n for n in names if n not in PDF_CHOICES]
    if unknown:
        raise click.BadParameter(
            f"onbekende soort: {', '.join(unknown)}; kies 'alle' of uit {', '.join(PDF_CHOICES)}"
        )
    return tuple(n for n in PDF_CHOICES if n in names)



@click.command(
    "genereer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer een werkboek en maak de documenten.",
)
@workbook_argument()
@output_option("Map waarin de map van de cyclus komt.")
@click.option(
    "--soort",
    "kinds",
    callback=_parse_kinds,
    metavar="SOORT[,SOORT]",
    help="Alleen deze soorten: uitnodiging, draaiboek, syllabus, vervolgadvies "
    "(standaard alle vier). De andere soorten uit de vorige run blijven staan.",
)
@click.option(
    "--processen",
    "workers",
    type=int,
    callback=lambda _ctx, _param, value: _workers(value),
    default=None,
    metavar="N",
    help="Aantal processen voor grote runs (standaard: aantal processorkernen, max 4).",
)
@click.option(
    "--afdrukbestand",
    "print_bundles",
    is_flag=True,
    help="Maak ook per bezorgwijze (post, interne post) één Word-bestand met alle "
    "uitnodigingen achter elkaar, om in één keer af te drukken (map afdrukken/).",
)
@click.option(
    "--dubbelzijdig",
    "duplex",
    is_flag=True,
    help="Maak ook de PDF van het afdrukbestand (LibreOffice nodig), voor dubbelzijdig "
    "afdrukken: elke brief begint op een voorkant; na een brief met een oneven aantal "
    "pagina's volgt een lege achterkant.",
)
@click.option(
    "--mail",
    is_flag=True,
    help="Maak ook per uitnodiging en per afzegging een e-mail (.eml, map e-mail/) met de "
    "brief en de agenda-afspraak als bijlage; versturen doet `intervisie verstuur`.",
)
@click.option(
    "--alleen-wijzigingen",
    "only_changes",
    is_flag=True,
    help="Zet in het afdrukbestand en in de e-mailmap alleen nieuwe en gewijzigde "
    "uitnodigingen en de afzeggingen (zie wijzigingen.csv).",
)
@click.option(
    "--pdf",
    "pdf_kinds",
    is_flag=False,
    flag_value="standaard",
    default=None,
    callback=_parse_pdf,
    metavar="[SOORT,...|alle]",
    help="Maak ook PDF's met LibreOffice, naast de Word-bestanden: zonder waarde de "
    "afdrukbestanden (per post, interne post), elke uitnodiging en elke syllabus "
    "(PDF/A-2b, ook voor het archief); 'alle' voor alle soorten, of een lijst, "
    "bijvoorbeeld --pdf=uitnodiging,draaiboek.",
)
@click.option(
    "--archief-docx",
    "archive_docx",
    is_flag=True,
    help="Bewaar in het archief naast de syllabi als PDF/A-2b ook de Word-bestanden, elk "
    "met eigen MDTO-metagegevens en sha256 (zonder PDF bevat het archief de Word-"
    "bestanden altijd).",
)
@templates_option()
@click.option(
    "--staptijden",
    "stage_times",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    hidden=True,  # for the benchmark (tools/bench.py): seconds per step as JSON
)
def genereer(
    werkboek: Path,
    output: Path,
    kinds: tuple[Kind, ...],
    workers: int | None,
    print_bundles: bool,
    duplex: bool,
    mail: bool,
    only_changes: bool,
    pdf_kinds: tuple[str, ...],
    archive_docx: bool,
    templates_dir: Path,
    stage_times: Path | None,
) -> None:
    """Controleer WERKBOEK en maak daarna de documenten.

    Alleen als het werkboek en de sjablonen in orde zijn, wordt er iets geschreven: per
    soort een map onder UITVOER/<cyclus>/, met manifest.csv en manifest.json. De vorige
    uitvoer van dezelfde cyclus wordt pas vervangen als alles gelukt is.
    """
    if print_bundles and Kind.UITNODIGING not in kinds:
        raise click.UsageError("--afdrukbestand hoort bij de soort uitnodiging.")
    if mail and Kind.UITNODIGING not in kinds:
        raise click.UsageError("--mail hoort bij de soort uitnodiging.")
    if only_changes and not (mail or print_bundles):
        raise click.UsageError("--alleen-wijzigingen hoort bij --afdrukbestand of --mail.")
    if duplex and not (print_bundles or BUNDLE.value in pdf_kinds):
        raise click.UsageError("--dubbelzijdig hoort bij --afdrukbestand.")
    bar: Any = None

    def start_bar(total: int, label: str) -> None:
        nonlocal bar
        if bar is not None:
            bar.__exit__(None, None, None)
        bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()

    def on_plan(total: int) -> None:
        start_bar(total, "Documenten maken")

    stages = StageTimes() if stage_times else None
    with errors(writes=True, workbook=werkboek):
        try:
            result = generate(
                werkboek,
                output,
                templates_dir,
                kinds=kinds,
                today=dt.date.today(),
                on_plan=on_plan,
                progress=lambda n: bar.update(n),
                workers=workers,
                print_bundles=print_bundles,
                mail=mail,
                only_changes=only_changes,
                pdf=PdfOptions(
                    pdf_kinds,
                    instances=workers,
                    on_plan=lambda total: start_bar(total, "PDF maken"),
                    progress=lambda n: bar.update(n),
                ),
                archive_docx=archive_docx,
                duplex=duplex,
                stages=stages,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    if stages is not None and stage_times is not None:
        stages.write(stage_times)
    _summary(result)


def _summary(result: RunResult) -> None:
    """What the run wrote, kept, changed and archived, in Dutch."""
    report(result.warnings)
    total = sum(result.counts.get(kind.value, 0) for kind in ALL_KINDS)
    click.echo(f"Klaar: {total} documenten geschreven.")
    for kind in ALL_KINDS:
        if kind.value in result.counts:
            click.echo(f"  {kind.value}: {result.counts[kind.value]}")
    if result.internal_delivery:
        click.echo(
            f"  waarvan {len(result.internal_delivery)} uitnodiging(en) voor interne post "
            "(geen volledig postadres):"
        )
        for name in result.internal_delivery:
            click.echo(f"    - {console(name, NAME_LIMIT)}")
    if result.kept:
        kept = ", ".join(f"{kind} ({count})" for kind, count in result.kept.items())
        click.echo(f"Behouden uit de vorige run (niet in --soort): {kept}")
    report_changes(result)
    click.echo(f"Waarschuwingen: {len(result.warnings)}")
    click.echo(f"Map: {result.target}")
    click.echo(f"Manifest: {result.target / 'manifest.csv'}")
    pdfs = sum(count for soort, count in result.counts.items() if is_pdf(soort))
    if pdfs:
        click.echo(f"PDF: {pdfs} bestanden (naast de Word-bestanden)")
    if result.archive:
        archive = result.archive
        state = "nieuw" if archive.added else "al gearchiveerd, niets toegevoegd"
        click.echo(f"Archief syllabi ({state}): {archive.folder}")
        if archive.pdf and archive.docx:
            click.echo("  Met de syllabi als PDF/A-2b en als Word-bestand.")
        if not archive.pdf:
            click.echo(
                "  Het archief bevat de syllabi als Word-bestand; voor PDF/A-2b in het "
                "archief: genereer met --pdf."
            )
    for row in result.rows:
        if row.soort in (BUNDLE.value, BUNDLE.pdf_value):
            click.echo(f"Afdrukbestand: {result.target / row.pad}")
