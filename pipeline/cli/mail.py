"""CLI parts for changes and sending: the change report of `genereer` and `verstuur`."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, OPTIONS, errors
from pipeline.errors import plural
from pipeline.kinds import MAIL, Kind
from pipeline.mail.send import (
    LOCAL_HOSTS,
    SendReport,
    default_register,
    export_log,
    read_outbox,
    send_outbox,
)
from pipeline.mail.smtp import Server, SmtpSession
from pipeline.register.changes import CHANGED, GONE, NEW
from pipeline.run import RunResult

ENV_SERVER = "INTERVISIE_SMTP_SERVER"
ENV_PORT = "INTERVISIE_SMTP_POORT"
ENV_USER = "INTERVISIE_SMTP_GEBRUIKER"
ENV_PASSWORD = "INTERVISIE_SMTP_WACHTWOORD"
_PORTS = {"starttls": 587, "smtps": 465, "geen": 25}


def report_changes(result: RunResult) -> None:
    """Per kind: how many new, changed, no longer needed (details in wijzigingen.csv); the
    outbox, when the run wrote one."""
    counts = Counter((c.row.soort, c.status) for c in result.changes)
    kinds = list(dict.fromkeys(c.row.soort for c in result.changes))
    click.echo(f"Wijzigingen (versie {result.cycle_version} van de cyclus, zie wijzigingen.csv):")
    if not kinds:
        click.echo("  geen")
    for kind in kinds:
        parts = [f"{counts[(kind, s)]} {s}" for s in (NEW, CHANGED, GONE) if counts[(kind, s)]]
        click.echo(f"  {kind}: {', '.join(parts)}")
    letters = [
        c for c in result.changes if c.row.soort == Kind.UITNODIGING.value and c.row.inhoud
    ]
    if letters and result.letter_date is not None:
        which = (
            "de brieven van versie 1"
            if result.cycle_version == 1
            else "de nieuwe en gewijzigde uitnodigingen en de afzeggingen van versie "
            f"{result.cycle_version}"
        )
        kept = "" if result.cycle_version == 1 else "; brieven zonder wijziging houden hun datum"
        click.echo(
            f"Briefdatum: {which} dragen de datum {result.letter_date:%d-%m-%Y} "
            f"({result.letter_date_reason}){kept}."
        )
    if result.redated and result.letter_date is not None:
        click.echo(
            f"Briefdatum: {plural(result.redated, 'uitnodiging', 'uitnodigingen')} van versie "
            f"{result.cycle_version} zonder wijziging in de inhoud krijgen de nieuwe briefdatum "
            f"uit het werkboek ({result.letter_date:%d-%m-%Y}); hun e-mails gaan niet opnieuw "
            "de deur uit."
        )
    for note in result.notes:
        click.echo(f"WAARSCHUWING: {note}", err=True)
    mails = [row for row in result.rows if row.soort == MAIL.value]
    if mails:
        outbox = result.target / MAIL.folder
        click.echo(f"E-mail: {plural(len(mails), 'bericht', 'berichten')} in {outbox}")
        click.echo(f"  versturen (eerst een proefrun): intervisie verstuur {outbox}")


@click.command("verstuur", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "map_", metavar="MAP", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option("--echt", is_flag=True, help="Verstuur echt; zonder deze optie alleen een overzicht.")
@click.option("--server", envvar=ENV_SERVER, help=f"SMTP-server (ook via {ENV_SERVER}).")
@click.option("--poort", type=int, envvar=ENV_PORT, help=f"Poort (ook via {ENV_PORT}).")
@click.option("--gebruiker", envvar=ENV_USER, help=f"Gebruikersnaam (ook via {ENV_USER}).")
@click.option(
    "--beveiliging",
    type=click.Choice(["starttls", "smtps", "geen"]),
    default="starttls",
    show_default=True,
    help="STARTTLS (poort 587) of SMTPS (poort 465); 'geen' alleen voor een server op "
    "deze computer (127.0.0.1).",
)
@click.option(
    "--pauze",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconden wachten tussen twee berichten.",
)
@click.option(
    "--ook-onzeker",
    "resend_uncertain",
    is_flag=True,
    help="Verstuur ook berichten waarvan de vorige verzending werd onderbroken "
    "(controleer eerst of ze niet zijn aangekomen).",
)
@click.option(
    "--register",
    "register",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Het register (standaard in de uitvoermap: intervisie-register.sqlite naast de "
    "map van de cyclus).",
)
@click.option(
    "--log",
    "log",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf daarna alle verzendpogingen uit het register naar dit CSV-bestand "
    "(voor Excel; het programma leest het nooit terug).",
)
def verstuur(
    map_: Path,
    echt: bool,
    server: str | None,
    poort: int | None,
    gebruiker: str | None,
    beveiliging: str,
    pauze: float,
    resend_uncertain: bool,
    register: Path | None,
    log: Path | None,
) -> None:
    """Verstuur de e-mails (.eml) in MAP, zoals `genereer --mail` ze maakte.

    Zonder --echt wordt niets verstuurd: u ziet wat er zou gaan. Het register van de
    uitvoermap houdt per ontvanger bij welke versie van welke uitnodiging of afzegging
    al is verstuurd; die gaat nooit nog een keer, ook niet als de briefdatum of de
    bijlage anders is. Het wachtwoord komt alleen uit de omgevingsvariabele
    INTERVISIE_SMTP_WACHTWOORD of wordt gevraagd.
    """
    session: SmtpSession | None = None
    if echt:
        if not server:
            raise click.UsageError(f"geef --server of zet {ENV_SERVER}.")
        if beveiliging == "geen" and server not in LOCAL_HOSTS:
            raise click.UsageError("--beveiliging geen mag alleen met een server op 127.0.0.1.")
        password = os.environ.get(ENV_PASSWORD)
        if gebruiker and password is None:
            password = click.prompt(f"Wachtwoord voor {gebruiker}", hide_input=True, err=True)
        settings = Server(server, poort or _PORTS[beveiliging], beveiliging, gebruiker, password)
        session = SmtpSession(settings)
    where = register or default_register(map_)
    if where is None:
        with errors():  # a message that is none of ours says so first
            list(read_outbox(map_))
        click.echo(
            f"FOUT: '{map_}' staat niet in de map van een cyclus, dus het register is niet te "
            "vinden; geef met --register het register van de uitvoermap waarin `genereer "
            "--mail` de e-mails maakte. Er is niets verstuurd.",
            err=True,
        )
        sys.exit(2)
    with errors():
        outcome = send_outbox(
            map_,
            where,
            session,
            pause=pauze,
            resend_uncertain=resend_uncertain,
            on_sent=lambda m: click.echo(f"verstuurd: {m.path.name} -> {m.recipient}"),
        )
    _report(outcome, echt)
    click.echo(f"Register: {where}")
    if log is not None:
        with errors():
            count = export_log(where, log)
        click.echo(f"Verzendlog: {plural(count, 'poging', 'pogingen')} in {log}")
    if outcome.refused or outcome.uncertain or outcome.not_sent:
        sys.exit(1)


def _report(outcome: SendReport, echt: bool) -> None:
    for line in outcome.would_send:
        click.echo(f"zou versturen: {line}")
    for line in outcome.refused:
        click.echo(f"GEWEIGERD: {line}", err=True)
    for line in outcome.not_sent:
        click.echo(
            f"NIET VERSTUURD: {line}: de server nam het bericht niet aan; "
            "de volgende keer wordt het opnieuw geprobeerd",
            err=True,
        )
    for line in outcome.uncertain:
        click.echo(
            f"ONZEKER: {line}; niet opnieuw verstuurd "
            "(controleer bij de ontvanger, daarna eventueel --ook-onzeker)",
            err=True,
        )
    for line in outcome.outdated:
        click.echo(
            f"VEROUDERD: {line}: er is sindsdien een nieuwere versie gemaakt; niet verstuurd"
        )
    if not echt:
        click.echo(
            f"Proefrun: {plural(len(outcome.would_send), 'bericht zou', 'berichten zouden')} "
            "worden verstuurd; er is niets verstuurd. Gebruik --echt om te versturen."
        )
    else:
        click.echo(
            f"Klaar: {len(outcome.sent)} verstuurd, {len(outcome.already)} al eerder verstuurd, "
            f"{len(outcome.refused)} geweigerd, {len(outcome.not_sent)} niet verstuurd "
            f"(later opnieuw), {len(outcome.uncertain)} onzeker."
        )
