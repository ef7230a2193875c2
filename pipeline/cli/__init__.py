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
from pipeline.cli.status import status
from pipeline.content.themes import load_content
from pipeline.documents.plan import ALL_KINDS, Kind
from pipeline.errors import (
    IntervisieError,
    OutputError,
    Problem,
    TemplatesInvalid,
    WorkbookInvalid,
    describe_os_error,
    plural,
)
from pipeline.pdf.convert import pdf_soort
from pipeline.publish.folders import ARCHIVE_DIR
from pipeline.render.bundle import BUNDLE_KIND
from pipeline.render.check import check_templates
from pipeline.render.guide import example_contexts, field_guide, guide_markdown, guide_text
from pipeline.run import PdfOptions, check, generate, restore_after_killed_runs
from pipeline.workbook.empty import write_empty_workbook
from pipeline.workbook.markup import copy_path, write_marked_copy

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


PDF_DEFAULT = (Kind.UITNODIGING.value, Kind.SYLLABUS.value, BUNDLE_KIND)
PDF_ALL = (*(k.value for k in ALL_KINDS), BUNDLE_KIND)


def _parse_pdf(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if names in (["standaard"], []):
        return PDF_DEFAULT
    if names == ["alle"]:
        return PDF_ALL
    unknown = [n for n in names if n not in PDF_ALL]
    if unknown:
        raise click.BadParameter(
            f"onbekende soort: {', '.join(unknown)}; kies 'alle' of uit {', '.join(PDF_ALL)}"
        )
    return tuple(n for n in PDF_ALL if n in names)


def _report_invalid(exc: WorkbookInvalid, nothing_written: str = "") -> None:
    _report(exc.problems)
    click.echo(
        f"Het werkboek is niet in orde: {plural(len(exc.errors), 'fout', 'fouten')}, "
        f"{plural(len(exc.warnings), 'waarschuwing', 'waarschuwingen')}.{nothing_written}",
        err=True,
    )


def _markup_hint(workbook: Path) -> str:
    return (
        f"Tip: `intervisie controleer {_console(workbook)} --markeer` schrijft een kopie "
        f"van het werkboek met elk probleem gemarkeerd in zijn cel: "
        f"{_console(copy_path(workbook))}"
    )


@contextmanager
def _errors(writes: bool = False, workbook: Path | None = None) -> Iterator[None]:
    """Map our exceptions to Dutch messages and exit codes; nothing else is caught.
    With `workbook`, a refused workbook gets the hint to mark its problems in a copy."""
    nothing_written = " Er is niets geschreven." if writes else ""
    try:
        yield
    except WorkbookInvalid as exc:
        _report_invalid(exc, nothing_written)
        if workbook is not None:
            click.echo(_markup_hint(workbook), err=True)
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
@click.option(
    "--markeer",
    is_flag=True,
    help="Schrijf naast het werkboek een kopie <naam>-controle.xlsx met elk probleem "
    "gemarkeerd in zijn cel (opmerking; fout rood, waarschuwing oranje) en een eerste "
    "blad Controle met alle problemen. Het werkboek zelf blijft ongewijzigd.",
)
@_templates_option()
def controleer(werkboek: Path, output: Path, markeer: bool, templates_dir: Path) -> None:
    """Controleer WERKBOEK op alle regels en meld alle problemen tegelijk.

    Elke fout noemt blad, rij en kolom. Waarschuwingen staan erna. Afsluitcode 0 als het
    werkboek in orde is, 1 als er fouten zijn, 2 als de kopie van --markeer niet
    geschreven kan worden.
    """
    with _errors():
        for folder in restore_after_killed_runs(output):
            click.echo(f"Teruggezet na een afgebroken run: {folder}", err=True)
        try:
            _, result = check(werkboek, templates_dir, dt.date.today())
        except WorkbookInvalid as exc:
            if not markeer:
                raise
            _report_invalid(exc)
            _write_markup(werkboek, exc.problems)
            sys.exit(exc.exit_code)
        _report(result.warnings)
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
        click.echo(f"Kopie geschreven: {_console(copy.path)} (geen problemen gevonden).")
        return
    click.echo(
        f"Kopie met de problemen gemarkeerd: {_console(copy.path)} "
        f"({plural(copy.listed, 'probleem', 'problemen')} op het blad Controle, waarvan "
        f"{copy.cells} in een cel en {copy.rows} op een rij)."
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
@_templates_option()
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
    if duplex and not (print_bundles or BUNDLE_KIND in pdf_kinds):
        raise click.UsageError("--dubbelzijdig hoort bij --afdrukbestand.")
    chosen = {k.value for k in kinds} | ({BUNDLE_KIND} if Kind.UITNODIGING in kinds else set())
    pdf_kinds = tuple(k for k in pdf_kinds if k in chosen)
    bar: Any = None

    def start_bar(total: int, label: str) -> None:
        nonlocal bar
        if bar is not None:
            bar.__exit__(None, None, None)
        bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()

    def on_plan(total: int) -> None:
        start_bar(total, "Documenten maken")

    with _errors(writes=True, workbook=werkboek):
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
    pdfs = sum(count for soort, count in result.counts.items() if soort.endswith("-pdf"))
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
        if row.soort in (BUNDLE_KIND, pdf_soort(BUNDLE_KIND)):
            click.echo(f"Afdrukbestand: {result.target / row.pad}")


main.add_command(verstuur)
main.add_command(status)


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

    Meldt per sjabloon elke variabele die het programma niet levert (met de alinea en
    het bekende veld dat er het meest op lijkt; alle velden toont `sjablonen velden`),
    elke Jinja-syntaxfout met de alinea waarin die staat en alles wat de beveiligde
    omgeving verbiedt. Afsluitcode 0 als alles in orde is, anders 1.
    """
    folder = map_ or Path(os.environ.get(TEMPLATES_ENV, str(DEFAULT_TEMPLATES)))
    with _errors():
        content = load_content(folder)
        problems = check_templates(folder, content)
        if problems:
            raise TemplatesInvalid(problems)
    click.echo(f"De sjablonen in '{folder}' zijn in orde ({', '.join(k.template for k in Kind)}).")


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
@_templates_option()
def sjablonen_velden(soort: str | None, markdown: bool, example: Path, templates_dir: Path) -> None:
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
    with _errors():
        content = load_content(templates_dir)
        examples = example_contexts(example, content, dt.date.today())
        guide = field_guide(content, examples, kinds)
    click.echo((guide_markdown if markdown else guide_text)(guide), nl=False)


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
    sha256sums.txt en met de MDTO-metagegevens; controleert elke PDF met de PDF/A-2b-
    validator van pikepdf (en de PDF/A-aanduiding, de lettertypen, versleuteling). Meldt
    per bestand wat ontbreekt, gewijzigd, onbekend of onleesbaar is, elke symbolische
    koppeling en elke lege map. Afsluitcode 0 als alles klopt, anders 1.
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
