"""Dutch for click's own texts (usage, option help, errors).

click marks its messages for gettext but ships no translations; these are ours. They are
installed on click's modules when the CLI is imported, so `--help` and usage errors read
Dutch like everything else the user sees.
"""

from __future__ import annotations

import gettext
import importlib

_DUTCH = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing command.": "Geef een opdracht.",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet tussen {range}.",
    "integer": "geheel getal",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "Aborted!": "Afgebroken.",
}
_PLURAL = {
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Did you mean {possibility}?": "Bedoelde je {possibility}?",
    "(Possible options: {possibilities})": "(Mogelijke opties: {possibilities})",
}


class _Dutch(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _DUTCH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        chosen = msgid1 if n == 1 else msgid2
        return _PLURAL.get(chosen, chosen)


def install() -> None:
    translations = _Dutch()
    for name in (
        "core",
        "decorators",
        "exceptions",
        "formatting",
        "parser",
        "termui",
        "types",
        "utils",
    ):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translations.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translations.ngettext  # type: ignore[attr-defined]
