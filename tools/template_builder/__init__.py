"""The Word templates under templates/, built with python-docx (`make templates`).

One module per template (invitation, runbook, syllabus, follow_up, cancellation), the house
style they share (style, tables, letter), the saved package (package) and the record that
keeps an edited template from being overwritten (record). The entry point is
tools/build_templates.py.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocumentObject

from tools.template_builder.cancellation import afzegging
from tools.template_builder.follow_up import vervolgadvies
from tools.template_builder.invitation import uitnodiging
from tools.template_builder.runbook import draaiboek
from tools.template_builder.syllabus import syllabus

BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "uitnodiging.docx": uitnodiging,
    "draaiboek.docx": draaiboek,
    "syllabus.docx": syllabus,
    "vervolgadvies.docx": vervolgadvies,
    "afzegging.docx": afzegging,
}
