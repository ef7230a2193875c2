"""What every `intervisie` command shares: options, safe console text, the error wrapper."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline.cli import nl
from pipeline.errors import IntervisieError, Problem, TemplatesInvalid, WorkbookInvalid, plural
from pipeline.workbook.markup import copy_path

nl.install()  # before any command is defined: click's own texts in Dutch

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES_ENV = "INTERVISIE_SJABLONEN"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS = "[OPTIES]"
SUBCOMMANDS = "OPDRACHT [ARGUMENTEN]..."


def templates_option() -> Callable[[F], F]:
    return click.option(
        "--sjablonen",
        "templates_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get(TEMPLATES_ENV, str(DEFAULT_TEMPLATES)),
        show_default="templates/ van het project",
        help=f"Map met de Word-sjablonen en inhoud/ (ook via {TEMPLATES_ENV}).",
    )


def workbook_argument() -> Callable[[F], F]:
    return click.argument("werkboek", type=click.Path(path_type=Path, dir_okay=True))


def folder_argument() -> Callable[[F], F]:
    """An optional folder, MAP; the command names its default."""
    return click.argument(
        "map_", metavar="[MAP]", required=False, type=click.Path(file_okay=False, path_type=Path)
    )


def output_option(help_text: str) -> Callable[[F], F]:
    """--uitvoer: the output folder that holds the cycle folders (default output/)."""
    return click.option(
        "--uitvoer",
        "output",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("output"),
        show_default=True,
        help=help_text,
    )


# Control characters (C0 but tab and newline, DEL, C1) steer a terminal; never print them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MESSAGE_LIMIT = 1000  # characters of one message on the console
NAME_LIMIT = 120  # characters of one name in a list


def console(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """Text from the workbook or the file system as it may reach the console: without
    control characters, and cut (with '…') when it is very long."""
    clean = _CONTROL.sub("", str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def report(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity.value == "fout"]
    warnings = [p for p in problems if p.severity.value == "waarschuwing"]
    for problem in errors:
        click.echo(f"FOUT: {console(problem)}", err=True)
    for problem in warnings:
        click.echo(f"WAARSCHUWING: {console(problem)}", err=True)



def report_invalid(exc: WorkbookInvalid, nothing_written: str = "") -> None:
    report(exc.problems)
    click.echo(
        f"Het werkboek is niet in orde: {plural(len(exc.errors), 'fout', 'fouten')}, "
        f"{plural(len(exc.warnings), 'waarschuwing', 'waarschuwingen')}.{nothing_written}",
        err=True,
    )


def _markup_hint(workbook: Path) -> str:
    return (
        f"Tip: `intervisie controleer {console(workbook)} --markeer` schrijft een kopie "
        f"van het werkboek met elk probleem gemarkeerd in zijn cel: "
        f"{console(copy_path(workbook))}"
    )


@contextmanager
def errors(writes: bool = False, workbook: Path | None = None) -> Iterator[None]:
    """Map our exceptions to Dutch messages and exit codes; nothing else is caught.
    With `workbook`, a refused workbook gets the hint to mark its problems in a copy."""
    nothing_written = " Er is niets geschreven." if writes else ""
    try:
        yield
    except WorkbookInvalid as exc:
        report_invalid(exc, nothing_written)
        if workbook is not None:
            click.echo(_markup_hint(workbook), err=True)
        sys.exit(exc.exit_code)
    except TemplatesInvalid as exc:
        for problem in exc.problems:
            click.echo(f"FOUT: {console(problem)}", err=True)
        click.echo(f"{exc}{nothing_written}", err=True)
        sys.exit(exc.exit_code)
    except IntervisieError as exc:
        click.echo(f"FOUT: {console(exc)}", err=True)
        sys.exit(exc.exit_code)
