"""Sample contexts: every planned kind's contexts for the sample cycle of a content set."""

from __future__ import annotations

from typing import Any

from pipeline.content.themes import Content
from pipeline.documents.plan import Kind, plan_documents
from pipeline.documents.sample import sample_cycle


def sample_contexts(content: Content) -> dict[Kind, list[dict[str, Any]]]:
    """The contexts of the sample cycle's documents, per kind (every kind a key)."""
    found: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in Kind}
    for job in plan_documents(sample_cycle(content), content).jobs:
        found[job.kind].append(dict(job.context))
    return found
