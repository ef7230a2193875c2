"""docxtpl the plain way, outside the library: the benchmark's baseline and the reference
the fast path (pipeline/render/prepared.py) is tested against."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline.model import SignatureImage
from pipeline.render.prepared import make_environment


def render_with_docxtpl(path: Path, context: Mapping[str, Any], out: Path) -> None:
    """Load, render and save one document as docxtpl does it on its own."""
    tpl = DocxTemplate(str(path))
    values = dict(context)
    signature = values.get("handtekening")
    if isinstance(signature, SignatureImage):
        values["handtekening"] = InlineImage(tpl, str(signature.path), width=Mm(signature.width_mm))
    elif "handtekening" in values:
        values["handtekening"] = ""
    tpl.render(values, jinja_env=make_environment(), autoescape=True)
    tpl.save(str(out))
