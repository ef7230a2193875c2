"""The field guide for template authors: every field a template of a kind may use.

The fields are the shape (render/names.py) of the contexts the planner builds, for the
checker's sample cycle and for the example workbook: exactly what `sjablonen
controleer` accepts. Each field gets its type from the values seen, its meaning from
render/meanings.py and an example value from the example workbook. `sjablonen velden`
prints the guide; `make templates` writes it as templates/VELDEN.md.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.content.model import Content
from pipeline.documents.dutch import ZERO_WIDTH_SPACE
from pipeline.documents.plan import Kind
from pipeline.documents.sample import sample_cycle
from pipeline.errors import plural
from pipeline.model import SignatureImage
from pipeline.render.check import jobs_by_kind
from pipeline.render.meanings import meaning
from pipeline.render.names import Shape, shape_of
from pipeline.workbook.check import check_workbook

EXAMPLE_LIMIT = 60  # characters of an example value
_KIND_NAMES = {
    "text": "tekst",
    "number": "getal",
    "bool": "ja/nee",
    "mapping": "groep",
    "markup": "afbeelding",
    SignatureImage.__name__: "afbeelding",
}
UNDESCRIBED = "(nog geen beschrijving)"


@dataclass(frozen=True)
class GuideField:
    path: str  # dotted, `[]` for a list's items: `deelnemers[].naam`
    type: str  # Dutch: tekst, getal, ja/nee, groep, lijst van teksten, ...
    loop: str  # the list whose items hold the field (`deelnemers`), "" at the top
    meaning: str
    example: str


Contexts = Mapping[Kind, Sequence[Mapping[str, Any]]]


def example_contexts(workbook: Path, content: Content, today: dt.date) -> dict[Kind, list[Any]]:
    """The contexts the planner builds from `workbook` (WorkbookInvalid if it is not valid)."""
    cycle = check_workbook(workbook, content, today).cycle
    jobs = jobs_by_kind(cycle, content)
    return {kind: [job.context for job in found] for kind, found in jobs.items()}


def sample_contexts(content: Content) -> dict[Kind, list[Any]]:
    """The contexts `sjablonen controleer` checks templates against."""
    jobs = jobs_by_kind(sample_cycle(content), content)
    return {kind: [job.context for job in found] for kind, found in jobs.items()}


def field_paths(shape: Shape, prefix: str = "") -> Iterator[tuple[str, Shape, str]]:
    """(path, shape, loop) of every field of `shape`, in context order."""
    loop = prefix[:-2] if prefix.endswith("[]") else ""
    for key, child in (shape.keys or {}).items():
        path = f"{prefix}.{key}" if prefix else key
        yield path, child, loop
        yield from field_paths(child, path)
    if shape.items is not None and shape.items.keys is not None:
        yield from field_paths(shape.items, f"{prefix}[]")


def _type(shape: Shape) -> str:
    if "list" in shape.kinds:
        items = shape.items
        if items is not None and items.keys is not None:
            return "lijst van groepen"
        if items is not None and items.kinds == {"text"}:
            return "lijst van teksten"
        return "lijst"
    names = sorted({_KIND_NAMES.get(kind, "waarde") for kind in shape.kinds})
    return " of ".join(names) if names else "leeg"


def _values(value: Any, parts: Sequence[str]) -> Iterator[Any]:
    """Every value at the path `parts` (list items entered at each '[]')."""
    if not parts:
        yield value
        return
    head, rest = parts[0], parts[1:]
    if head == "[]":
        for item in value if isinstance(value, list | tuple) else ():
            yield from _values(item, rest)
    elif isinstance(value, Mapping) and head in value:
        yield from _values(value[head], rest)


def _split(path: str) -> list[str]:
    """'stappen[].titel' -> ['stappen', '[]', 'titel']."""
    parts: list[str] = []
    for piece in path.split("."):
        parts += [piece[:-2], "[]"] if piece.endswith("[]") else [piece]
    return parts


def _short(text: str) -> str:
    text = " ".join(text.replace(ZERO_WIDTH_SPACE, "").split())
    return text if len(text) <= EXAMPLE_LIMIT else text[: EXAMPLE_LIMIT - 1] + "…"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, SignatureImage):
        return value.path.name
    if isinstance(value, Mapping):
        return ""
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, str) for item in value):
            more = f" (en nog {len(value) - 1})" if len(value) > 1 else ""
            return f"{_short(value[0])}{more}"
        return plural(len(value), "stuk", "stuks")
    return _short(str(value))


def _example(contexts: Iterable[Mapping[str, Any]], path: str) -> str:
    """The first value at `path` in the example contexts that says something."""
    parts = _split(path)
    fallback = ""
    for context in contexts:
        for value in _values(context, parts):
            if value not in (None, "", [], ()):
                return _shown(value)
            fallback = fallback or _shown(value)
    return fallback


def field_guide(
    content: Content, examples: Contexts, kinds: Iterable[Kind] = tuple(Kind)
) -> dict[Kind, list[GuideField]]:
    """Per kind every field a template may use (see the module docstring)."""
    samples = sample_contexts(content)
    guide: dict[Kind, list[GuideField]] = {}
    for kind in kinds:
        shape = shape_of([*samples[kind], *examples.get(kind, ())])
        own = examples.get(kind, ())
        guide[kind] = [
            GuideField(path, _type(child), loop, meaning(path) or UNDESCRIBED, _example(own, path))
            for path, child, loop in field_paths(shape)
        ]
    return guide


# --- the guide as text and as Markdown ---------------------------------------------------

INTRO = (
    "Een veld schrijf je in een sjabloon als `{{ sessie.begintijd }}`. Een veld met `[]` "
    "in de naam hoort bij elk item van een lijst en staat in een lus over die lijst "
    "(kolom Lus): `deelnemers[].naam` schrijf je als "
    "`{%p for d in deelnemers %}{{ d.naam }}{%p endfor %}`. Een groep bundelt velden; een "
    "veld van het type ja/nee gebruik je in `{% if ... %}`. De voorbeelden komen uit het "
    "voorbeeldwerkboek."
)


def _heading(kind: Kind, fields: Sequence[GuideField]) -> str:
    return f"{kind.value} ({kind.template}): {plural(len(fields), 'veld', 'velden')}"


def guide_text(guide: Mapping[Kind, Sequence[GuideField]]) -> str:
    """The guide for the console: per kind, one block per field."""
    lines = [textwrap.fill(INTRO, 88), ""]
    for kind, fields in guide.items():
        lines += [_heading(kind, fields), ""]
        for item in fields:
            where = f"; in de lus over {item.loop}" if item.loop else ""
            lines.append(f"  {item.path} ({item.type}{where})")
            lines.append(f"      {item.meaning}")
            if item.example:
                lines.append(f"      Voorbeeld: {item.example}")
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def guide_markdown(guide: Mapping[Kind, Sequence[GuideField]]) -> str:
    """The guide as templates/VELDEN.md: per kind a table."""
    lines = [
        "# Velden voor de Word-sjablonen",
        "",
        "Gemaakt door `make templates` (`intervisie sjablonen velden --markdown`); niet met "
        "de hand bewerken.",
        "",
        INTRO,
    ]
    for kind, fields in guide.items():
        lines += ["", f"## {_heading(kind, fields)}", ""]
        lines += ["| Veld | Type | Lus | Betekenis | Voorbeeld |", "|---|---|---|---|---|"]
        for item in fields:
            loop = f"`{item.loop}`" if item.loop else ""
            cells = (f"`{item.path}`", item.type, loop, item.meaning, item.example)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
