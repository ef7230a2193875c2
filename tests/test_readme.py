"""The README documents the contract as the code has it."""

from __future__ import annotations

import re
import shlex

import click
import pytest

from pipeline.cli import main
from pipeline.documents.plan import ALL_KINDS
from pipeline.workbook.schema import SHEETS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "column"),
    [(sheet.name, column.name) for sheet in SHEETS for column in sheet.columns],
)
def test_every_workbook_column_is_documented(sheet: str, column: str) -> None:
    assert f"### Blad `{sheet}`" in README
    assert f"| `{column}` |" in README


def test_the_two_commands_and_every_kind_are_documented() -> None:
    assert "make run" in README and "make test" in README and "make bench" in README
    for kind in ALL_KINDS:
        assert f"`{kind.value}`" in README


def test_the_promises_say_what_is_never_removed() -> None:
    promises = README[README.index("### Wat het programma vervangt en verwijdert") :]
    assert "**nooit** iets dat het niet zelf heeft gemaakt" in promises
    assert "in zijn geheel" not in README  # no full run replaces the whole folder any more


def _shown_commands() -> list[str]:
    """Every `intervisie ...` command line the README shows, in code blocks (without the
    comment after '#') and in inline code."""
    shown: list[str] = []
    fenced = False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and line.startswith("intervisie "):
            shown.append(line.split(" #")[0].strip())
    shown += re.findall(r"`(intervisie [^`]+)`", README)
    return list(dict.fromkeys(shown))


def _command(line: str) -> tuple[list[str], click.Command, list[str]]:
    """The words naming the (sub)command, the command, and the words after it."""
    words = shlex.split(line)[1:]
    path: list[str] = []
    command: click.Command = main
    while isinstance(command, click.Group) and words and words[0] in command.commands:
        path.append(words.pop(0))
        command = command.commands[path[-1]]
    return path, command, words


def _problems(line: str) -> list[str]:
    """What does not fit the CLI in a command line: an unknown (sub)command, an unknown
    option, more arguments than the command takes."""
    path, command, words = _command(line)
    if isinstance(command, click.Group):
        return [f"geen opdracht: {' '.join(['intervisie', *path, *words[:1]])}"]
    options = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    problems = [
        f"onbekende optie {word}"
        for word in words
        if word.startswith("-") and word.split("=")[0] not in options
    ]
    context = command.make_context("intervisie", list(words), resilient_parsing=True)
    if context.args and not problems:
        problems.append(f"te veel argumenten: {context.args}")
    return problems


@pytest.mark.parametrize("line", _shown_commands())
def test_every_command_the_readme_shows_exists_with_the_options_it_names(line: str) -> None:
    assert _problems(line) == []


def test_every_command_is_shown_in_the_readme() -> None:
    def leaves(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        if not isinstance(command, click.Group):
            return [path]
        return [
            leaf for name, sub in command.commands.items() for leaf in leaves(sub, (*path, name))
        ]

    shown = {tuple(_command(line)[0]) for line in _shown_commands()}
    assert sorted(set(leaves(main, ())) - shown) == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("intervisie bestaat-niet planning.xlsx", "geen opdracht: intervisie bestaat-niet"),
        ("intervisie archief", "geen opdracht: intervisie archief"),
        ("intervisie sjablonen bestaat-niet", "geen opdracht: intervisie sjablonen bestaat-niet"),
        ("intervisie genereer planning.xlsx --bestaat-niet", "onbekende optie --bestaat-niet"),
        ("intervisie genereer planning.xlsx --pdfje=alle", "onbekende optie --pdfje=alle"),
        ("intervisie controleer a.xlsx b.xlsx", "te veel argumenten: ['b.xlsx']"),
    ],
)
def test_a_command_line_that_does_not_fit_the_cli_is_caught(line: str, problem: str) -> None:
    assert _problems(line) == [problem]
