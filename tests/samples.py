"""Sample contexts for the tests (render, change detection, LibreOffice): the ones
`sjablonen controleer` checks templates against (pipeline.render.guide), each a dict of its
own that a test may change."""

from __future__ import annotations

from typing import Any

from pipeline.content.model import Content
from pipeline.documents.plan import Kind
from pipeline.render.guide import sample_contexts as checked_contexts


def sample_contexts(content: Content) -> dict[Kind, list[dict[str, Any]]]:
    """The contexts of the sample cycle's documents, per kind (every kind a key)."""
    found: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in Kind}
    for kind, contexts in checked_contexts(content).items():
        found[kind] = [dict(context) for context in contexts]
    return found
