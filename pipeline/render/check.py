"""Check the .docx templates before a run: syntax, unknown names, forbidden constructs.

Four looks at every template: Jinja must parse (errors name the paragraph); every name,
top-level or nested, in every branch, must be one the pipeline provides for that kind
(see template_names); no attribute starting with '_' (the door to Python internals).
Then each template is rendered once with a sample cycle in the sandbox.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from pipeline.content.model import Content
from pipeline.documents.contexts import cancelled_session
from pipeline.documents.plan import (
    Cancelled,
    DocumentJob,
    Kind,
    iter_cancellations,
    plan_documents,
)
from pipeline.documents.sample import sample_cycle
from pipeline.errors import TemplateProblem, TemplatesInvalid
from pipeline.model import Cycle
from pipeline.render.names import closest_name, shape_of, unknown_names
from pipeline.render.prepared import (
    PreparedTemplate,
    make_environment,
    paragraph_lines,
    paragraph_text,
)


def _sample_jobs(content: Content) -> dict[Kind, list[DocumentJob]]:
    return jobs_by_kind(sample_cycle(content), content)


def jobs_by_kind(cycle: Cycle, content: Content) -> dict[Kind, list[DocumentJob]]:
    """Every document of `cycle` by kind, with two cancellation letters (the first
    session, the first two people: one with a place, one without) for the kind a run only
    makes after a change."""
    jobs: dict[Kind, list[DocumentJob]] = {kind: [] for kind in Kind}
    for job in plan_documents(cycle, content).jobs:
        jobs[job.kind].append(job)
    session = cycle.sessions[0]
    cancelled = [
        Cancelled(
            session.sessie,
            person,
            cancelled_session(
                session.sessie, f"Intervisie ({session.sessie})", session.start, session.end, place
            ),
        )
        for person, place in zip(
            cycle.people[:2], (session.locatie or "Raadzaal, Markt 1", ""), strict=True
        )
    ]
    jobs[Kind.AFZEGGING] = list(iter_cancellations(cycle, content, cancelled))
    return jobs


def _forbidden(tree: nodes.Template) -> list[str]:
    found = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = str(node.arg.value)
        if name is not None and name.startswith("_"):
            found.append(name)
    return found


_TAG_TEXT = re.compile(rb"\{[{%#]")
# Word splits typed text over runs: a tag can sit in XML as '{</w:t>...<w:t>{'.
_XML_MARKUP = re.compile(rb"<[^>]*>")


def _tags_in_other_parts(path: Path, rendered: set[str]) -> list[TemplateProblem]:
    """Jinja tags in a part of the package that is not filled in (core properties,
    comments, settings, ...) would reach every document as raw text: refuse them."""
    problems = []
    try:
        with zipfile.ZipFile(path) as package:
            for info in package.infolist():
                if info.filename in rendered or not info.filename.endswith((".xml", ".rels")):
                    continue
                text = _XML_MARKUP.sub(b"", package.read(info.filename))
                if _TAG_TEXT.search(text):
                    problems.append(
                        TemplateProblem(
                            f"heeft Jinja-tags in '{info.filename}', een deel dat het "
                            "programma niet invult (alleen de tekst, kop- en voetteksten, "
                            "voetnoten en eindnoten); haal ze daar weg",
                            path.name,
                        )
                    )
    except (OSError, zipfile.BadZipFile):
        pass  # PreparedTemplate reported an unreadable file already
    return problems


def _unknown_message(name: str, suggestion: str | None) -> str:
    hint = f"; bedoelt u `{suggestion}`?" if suggestion else ""
    return f"gebruikt de onbekende variabele '{name}'{hint}"


def check_template(
    path: Path, contexts: Sequence[Mapping[str, Any]], env: jinja2.Environment
) -> tuple[PreparedTemplate | None, list[TemplateProblem]]:
    """The prepared template and every problem of it (none when it is fine). `contexts`
    are sample contexts of the template's kind; the first one is rendered for real."""
    context = contexts[0]
    shape = shape_of(contexts)
    try:
        prepared = PreparedTemplate(path, env)
    except TemplateProblem as problem:  # unreadable, or a syntax error
        return None, [problem]
    problems = _tags_in_other_parts(path, {part.name for part in prepared.parts})
    provided = set(context) | set(env.globals)
    for part in prepared.parts:
        marked = paragraph_lines(part.source)  # line numbers name the paragraph
        tree = env.parse(marked)
        # Jinja counts a name set inside an {% if %} as read from outside; every name the
        # template binds itself (set, for, macro arguments) is its own, not unknown.
        bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for name in sorted(meta.find_undeclared_variables(tree) - provided - bound):
            lineno = min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name)
            problems.append(
                TemplateProblem(
                    _unknown_message(name, closest_name(name, context)),
                    path.name,
                    f"beschikbaar: {', '.join(sorted(context))}",
                    part=part.name,
                    paragraph=paragraph_text(marked, lineno),
                )
            )
        for unknown in unknown_names(tree, shape):
            problems.append(
                TemplateProblem(
                    _unknown_message(unknown.dotted, unknown.suggestion),
                    path.name,
                    part=part.name,
                    paragraph=paragraph_text(marked, unknown.lineno),
                )
            )
        for name in _forbidden(tree):
            problems.append(
                TemplateProblem(
                    f"gebruikt '{name}': attributen die met '_' beginnen zijn niet toegestaan",
                    path.name,
                    part=part.name,
                )
            )
        if problems:
            continue
        try:
            prepared.render_part(part, context)
        except TemplateProblem as problem:
            problems.append(problem)
    return prepared, problems


def _check_all(
    templates_dir: Path, content: Content, kinds: Iterable[Kind]
) -> tuple[dict[Kind, PreparedTemplate], list[TemplateProblem]]:
    env = make_environment()
    samples = _sample_jobs(content)
    prepared: dict[Kind, PreparedTemplate] = {}
    problems: list[TemplateProblem] = []
    for kind in kinds:
        contexts = [job.context for job in samples[kind]]
        template, found = check_template(templates_dir / kind.template, contexts, env)
        problems += found
        if template is not None:
            prepared[kind] = template
    return prepared, problems


def check_templates(
    templates_dir: Path, content: Content, kinds: Iterable[Kind] = tuple(Kind)
) -> list[TemplateProblem]:
    """Every problem of the templates of `kinds` (`sjablonen controleer`)."""
    return _check_all(templates_dir, content, kinds)[1]


def ensure_templates(
    templates_dir: Path, content: Content, kinds: Iterable[Kind]
) -> dict[Kind, PreparedTemplate]:
    """The checked templates, prepared, ready to render; or TemplatesInvalid."""
    prepared, problems = _check_all(templates_dir, content, kinds)
    if problems:
        raise TemplatesInvalid(problems)
    return prepared
