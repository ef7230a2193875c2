"""`intervisie status`: per booking what the register knows of its invitation.

Read only. Per booking, shown with its ids as HR last typed them: its latest version
(SEQUENCE), whether it was cancelled, how its letter in the cycle folder goes on paper
(from the register; for a register or cycle of before the register kept routes, from the
last run's manifest.json), and how the latest e-mail for it went (delivered, refused,
uncertain, not yet sent, no e-mail).
Exit codes: 0 also for an output folder without a register (nothing generated there yet:
a state, not an error); 1 for a --cyclus the register does not know; 2 for a register
that is not ours or damaged (as `verstuur`), or that an interrupted run left to repair.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import click

from pipeline.cli.common import CONTEXT, OPTIONS, errors
from pipeline.identity import BookingKey, cycle_key
from pipeline.kinds import Kind
from pipeline.publish.manifest import neutralise, read_manifest
from pipeline.register.db import register_path
from pipeline.register.status import (
    Attempt,
    BookingStatus,
    cycle_folder,
    cycle_names,
    cycle_status,
    outbox_messages,
    paper_routes,
)
from pipeline.render.bundle import LETTERS_KEY

HEADER = ("sessie", "personeelsnummer", "versie", "afgezegd", "bericht", "brief", "e-mail")
CSV_HEADER = ("cyclus", *HEADER)
# The register's delivery results, as the user reads them.
RESULTS = {
    "verzonden": "bezorgd",
    "geweigerd": "geweigerd",
    "onzeker": "onzeker",
    "bezig": "onzeker",  # a run stopped during the exchange: maybe delivered
    "niet_verzonden": "niet verzonden (tijdelijk geweigerd)",
}
NOT_YET = "nog niet verstuurd"
NO_MAIL = "geen e-mail"
NO_LETTER = "geen brief"


def route_text(how: str, bundled: bool) -> str:
    return f"afdrukbestand {how}" if bundled else how


def letters(folder: Path | None) -> dict[tuple[str, BookingKey], str]:
    """Per (kind, booking): how its letter of the last run went on paper, from that run's
    manifest.json (where a register of before schema 3 kept it); empty when the folder or
    that record is missing or unreadable (an older run): the column then says NO_LETTER."""
    try:
        record = (read_manifest(folder) if folder else None) or {}
        routes: Any = record.get(LETTERS_KEY, {})
        found = {}
        for row in cast(list[dict[str, str]], record.get("documenten", [])):
            route = routes.get(row["pad"])
            if route is not None:
                text = route_text(str(route["bezorging"]), bool(route["afdrukbestand"]))
                found[(row["soort"], BookingKey.of(row["sessie"], row["personeelsnummer"]))] = text
        return found
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def paper(output_root: Path, cycle: str) -> dict[tuple[str, BookingKey], str]:
    """Per (kind, booking): how its letter goes on paper; from the register, or for a
    register or cycle of before it kept routes, from the last run's manifest.json."""
    recorded = paper_routes(output_root, cycle)
    if recorded is None:
        return letters(cycle_folder(output_root, cycle))
    return {letter: route_text(*route) for letter, route in recorded.items()}


@dataclass(frozen=True)
class Line:
    cycle: str
    booking: BookingKey
    version: int
    cancelled: bool
    message: str  # uitnodiging or afzegging
    letter: str  # how its letter in the cycle folder goes on paper; NO_LETTER if none
    mail: str
    typed: tuple[str, str] | None = None  # (sessie, personeelsnummer) as HR last typed them

    def values(self) -> tuple[str, ...]:
        sessie, nummer = self.typed or (self.booking.sessie, self.booking.personeelsnummer)
        return (
            sessie,
            nummer,
            str(self.version),
            "ja" if self.cancelled else "nee",
            self.message,
            self.letter,
            self.mail,
        )


def mail_state(
    status: BookingStatus, messages: set[tuple[BookingKey, int, str]]
) -> tuple[str, str]:
    """(kind of the latest message, what became of it by e-mail)."""
    method = "CANCEL" if status.cancelled else "REQUEST"
    kind = (Kind.AFZEGGING if status.cancelled else Kind.UITNODIGING).value
    if (status.booking, status.sequence, method) not in messages:
        return kind, NO_MAIL
    tries: list[Attempt] = [
        a for a in status.attempts if (a.version, a.method) == (status.sequence, method)
    ]
    if not tries:
        return kind, NOT_YET
    return kind, RESULTS.get(tries[-1].result, tries[-1].result)


def lines(output_root: Path, cycle: str) -> list[Line]:
    messages = outbox_messages(output_root, cycle)
    routes = paper(output_root, cycle)
    found = []
    for status in cycle_status(output_root, cycle):
        kind, mail = mail_state(status, messages)
        letter = routes.get((kind, status.booking), NO_LETTER)
        found.append(
            Line(
                cycle,
                status.booking,
                status.sequence,
                status.cancelled,
                kind,
                letter,
                mail,
                status.typed,
            )
        )
    return found


def _table(found: Sequence[Line]) -> Iterable[str]:
    rows = [HEADER, *(line.values() for line in found)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for row in rows:
        yield "  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()


def _summary(found: Sequence[Line]) -> str:
    counts: dict[str, int] = {}
    for line in found:
        counts[line.mail] = counts.get(line.mail, 0) + 1
    parts = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    cancelled = sum(line.cancelled for line in found)
    return f"  {len(found)} boekingen, waarvan {cancelled} afgezegd; e-mail: {parts}."


def to_csv(found: Iterable[Line]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in found:
        writer.writerow(neutralise(v) for v in (line.cycle, *line.values()))
    return buffer.getvalue()


def _chosen(output: Path, cyclus: str | None) -> list[str]:
    names = cycle_names(output)
    if cyclus is None:
        return names
    chosen = [n for n in names if cycle_key(n) == cycle_key(cyclus)]
    if not chosen:
        known = ", ".join(f"'{n}'" for n in names)
        click.echo(
            f"FOUT: de cyclus '{cyclus}' staat niet in het register van '{output}'. "
            f"Bekende cycli: {known}.",
            err=True,
        )
        sys.exit(1)
    return chosen


@click.command("status", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("uitvoer", type=click.Path(file_okay=False, path_type=Path), default=Path("output"))
@click.option("--cyclus", metavar="NAAM", help="Alleen deze cyclus (hoofdletters tellen niet).")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Schrijf een CSV-bestand (;) voor een spreadsheet."
)
def status(uitvoer: Path, cyclus: str | None, as_csv: bool) -> None:
    """Toon per boeking wat het register weet: de laatste versie, of de boeking is
    afgezegd, hoe de brief in de cyclusmap op papier gaat (per post of interne post, en
    of hij in een afdrukbestand zit) en hoe het laatste bericht per e-mail ging (bezorgd,
    geweigerd, onzeker, nog niet verstuurd of geen e-mail).

    UITVOER is de uitvoermap van genereer (standaard: output). Zonder --cyclus komen alle
    cycli in die map aan bod, elk met een eigen kop. Alleen lezen: er wordt niets
    geschreven of verstuurd. Afsluitcode 0, ook als er nog geen register is; 1 als de
    cyclus niet in het register staat; 2 als het register beschadigd of niet van ons is,
    of na een onderbroken run nog hersteld moet worden (dat doet de volgende genereer).
    """
    if not register_path(uitvoer).exists():
        click.echo(
            f"Er is nog geen register in '{uitvoer}': daar is nog niets gegenereerd. "
            "Maak eerst documenten met 'intervisie genereer'."
        )
        return
    with errors():
        chosen = _chosen(uitvoer, cyclus)
        per_cycle = [(name, lines(uitvoer, name)) for name in chosen]
    if as_csv:
        # BOM: Excel then reads the text as UTF-8 (as manifest.csv).
        text = "\ufeff" + to_csv(line for _, found in per_cycle for line in found)
        click.echo(text.encode("utf-8"), nl=False)  # bytes: no newline translation
        return
    if not per_cycle:
        click.echo(f"Het register in '{uitvoer}' kent nog geen cyclus.")
    for number, (name, found) in enumerate(per_cycle):
        if number:
            click.echo("")
        click.echo(f"Cyclus '{name}':")
        for text in _table(found):
            click.echo(text)
        click.echo(_summary(found))
