"""Planning facts that do not need a whole run."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.content.model import Content
from pipeline.documents.plan import document_date
from pipeline.documents.sample import sample_cycle


def test_document_date_is_the_letter_date_at_nine_or_an_earlier_session(
    content: Content,
) -> None:
    cycle = sample_cycle(content)
    first = min(s.start for s in cycle.sessions)
    early = dataclasses.replace(cycle.organisation, briefdatum=first.date() - dt.timedelta(days=3))
    assert document_date(dataclasses.replace(cycle, organisation=early)) == dt.datetime.combine(
        early.briefdatum, dt.time(9, 0)
    )
    late = dataclasses.replace(cycle.organisation, briefdatum=first.date() + dt.timedelta(days=3))
    assert document_date(dataclasses.replace(cycle, organisation=late)) == first
