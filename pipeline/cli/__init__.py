"""The `intervisie` command: thin over the library; Dutch for the user."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import __version__
from pipeline.archive.check import check_archive
from pipeline.cli import nl as cli_nl
from pipeline.cli.mail import report_changes, verstuur
from pipeline.content.themes import load_content
from pipeline.errors import (
    IntervisieError,
    OutputError,
    Problem,
    TemplatesInvalid,
    WorkbookInvalid,
    describe_os_error,
    plural,
)
from pipeline.kinds import ALL_KINDS, BUNDLE, PDF_CHOICES, PDF_DEFAULT, Kind, is_pdf
from pipeline.publish.folders import ARCHIVE_DIR
from pipeline.render.check import check_templates
from pipeline.run import PdfOptions, check, generate, restore_after_killed_runs
from pipeline.workbook.empty import write_empty_workbook

cli_nl.install()

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES_ENV = "INTERVISIE_SJABLONEN"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS = "[OPTIES]"
SUBCOMMANDS = "OPDRACHT [ARGUMENTEN]..."


def _templates_option() -> Callable[[F], F]:
    return click.option(
        "--sjablonen",
        "templates_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get(TEMPLATES_ENV, str(DEFAULT_TEMPLATES)),
        show_default="templates/ van het project",
        help=f"Map met de Word-sjablonen en inhoud/ (ook via {TEMPLATES_ENV}).",
    )


def _workbook_argument() -> Callable[[F], F]:
    return click.argument("werkboek", type=click.Path(path_type=Path, dir_okay=True))


# Control characters (C0 but tab and newline, DEL, C1) steer a terminal; never print them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MESSAGE_LIMIT = 1000  # characters of one message on the console
NAME_LIMIT = 120  # characters of one name in a list


def _console(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """Text from the workbook or the file system as it may reach the console: without
    control characters, and cut (with '…') when it is very long."""
    clean = _CONTROL.sub("", str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _report(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity.value == "fout"]
    warnings = [p for p in problems if p.severity.value == "waarschuwing"]
    for problem in errors:
        click.echo(f"FOUT: {_console(problem)}", err=True)
    for problem in warnings:
        click.echo(f"WAARSCHUWING: {_console(problem)}", err=True)


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


@contextmanager
def _errors(writes: bool = False) -> Iterator[None]:
    """Map our exceptions to Dutch messages and exit codes; nothing else is caught."""
    nothing_written = " Er is niets geschreven." if writes else ""
    try:
        yield
    except WorkbookInvalid as exc:
        _report(exc.problems)
        click.echo(
            f"Het werkboek is niet in orde: {plural(len(exc.errors), 'fout', 'fouten')}, "
            f"{plural(len(exc.warnings), 'waarschuwing', 'waarschuwingen')}.{nothing_written}",
            err=True,
        )
        sys.exit(exc.exit_code)
    except TemplatesInvalid as exc:
        for problem in exc.problems:
            click.echo(f"FOUT: {_console(problem)}", err=True)
        click.echo(f"{exc}{nothing_written}", err=True)
        sys.exit(exc.exit_code)
    except IntervisieError as exc:
        click.echo(f"FOUT: {_console(exc)}", err=True)
        sys.exit(exc.exit_code)


@click.group(context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar=SUBCOMMANDS)
@click.version_option(
    __version__, "--versie", message="intervisie-docs %(version)s", help="Toon de versie en stop."
)
def main() -> None:
    """Maak intervisie-documenten uit één Excel-werkboek.

    Uit het werkboek (bladen Organisatie, Sessies, Deelnemers, Indeling en optioneel
    Uitkomsten) maakt dit programma uitnodigingen, draaiboeken, syllabi en
    vervolgadviezen als Word-documenten. Begin met `intervisie nieuw-werkboek`, vul het
    werkboek in, controleer het met `intervisie controleer` en maak de documenten met
    `intervisie genereer`.
    """


@main.command(
    "controleer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer een werkboek en meld alle problemen.",
)
@_workbook_argument()
@click.option(
    "--uitvoer",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Uitvoermap van genereer: een map die een afgebroken run liet ontbreken, wordt "
    "eerst teruggezet.",
)
@_templates_option()
def controleer(werkboek: Path, output: Path, templates_dir: Path) -> None:
    """Controleer WERKBOEK op alle regels en meld alle problemen tegelijk.

    Elke fout noemt blad, rij en kolom. Waarschuwingen staan erna. Afsluitcode 0 als het
    werkboek in orde is, 1 als er fouten zijn.
    """
    with _errors():
        for folder in restore_after_killed_runs(output):
            click.echo(f"Teruggezet na een afgebroken run: {folder}", err=True)
        _, result = check(werkboek, templates_dir, dt.date.today())
        _report(result.warnings)
        cycle = result.cycle
        click.echo(
            f"Het werkboek is in orde: {len(cycle.sessions)} sessies, {len(cycle.people)} "
            f"deelnemers, {len(cycle.bookings)} indelingen, "
            f"{plural(len(result.warnings), 'waarschuwing', 'waarschuwingen')}."
        )


@main.command(
    "genereer",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Controleer een werkboek en maak de documenten.",
)
@_workbook_argument()
@click.option(
    "--uitvoer",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Map waarin de map van de cyclus komt.",
)
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
@_templates_option()
def genereer(
    werkboek: Path,
    output: Path,
    kinds: tuple[Kind, ...],
    workers: int | None,
    print_bundles: bool,
    mail: bool,
    only_changes: bool,
    pdf_kinds: tuple[str, ...],
    archive_docx: bool,
    templates_dir: Path,
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
    bar: Any = None

    def start_bar(total: int, label: str) -> None:
        nonlocal bar
        if bar is not None:
            bar.__exit__(None, None, None)
        bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()

    def on_plan(total: int) -> None:
        start_bar(total, "Documenten maken")

    with _errors(writes=True):
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
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    _report(result.warnings)
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
            click.echo(f"    - {_console(name, NAME_LIMIT)}")
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


main.add_command(verstuur)


@main.command(
    "nieuw-werkboek",
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    short_help="Schrijf een leeg werkboek met toelichting.",
)
@click.argument("pad", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overschrijf", is_flag=True, help="Overschrijf een bestaand bestand.")
@_templates_option()
def nieuw_werkboek(pad: Path, overschrijf: bool, templates_dir: Path) -> None:
    """Schrijf een leeg werkboek naar PAD, met alle bladen, kolommen, keuzelijsten en een
    blad Toelichting dat elke kolom uitlegt."""
    with _errors():
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


@main.group(
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
    with _errors():
        content = load_content(folder)
        problems = check_templates(folder, content)
        if problems:
            raise TemplatesInvalid(problems)
    click.echo(
        f"De sjablonen in '{folder}' zijn in orde ({', '.join(k.template for k in Kind)})."
    )


@main.group(
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
@click.argument(
    "map_", metavar="[MAP]", required=False, type=click.Path(file_okay=False, path_type=Path)
)
def archief_controleer(map_: Path | None) -> None:
    """Controleer het archief in MAP (standaard output/archief).

    Berekent van elk gearchiveerd bestand opnieuw de sha256 en vergelijkt die met
    sha256sums.txt en met de MDTO-metagegevens; controleert van elke PDF de PDF/A-
    aanduiding, of alle lettertypen zijn ingesloten en of hij niet versleuteld is. Meldt
    per bestand wat ontbreekt, gewijzigd of onbekend is. Afsluitcode 0 als alles klopt,
    anders 1.
    """
    folder = map_ or Path("output") / ARCHIVE_DIR
    with _errors():
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
