"""The follow-up advice quotes a reported point only where it explains the suggestion."""

from __future__ import annotations

from pipeline.content.model import Content
from pipeline.documents.contexts import advice
from pipeline.model import SessionOutcome

IV_01 = SessionOutcome(
    "IV-01",
    ("Een medewerker aanspreken op afspraken zonder de samenwerking te schaden.",),
    (
        "Eerst vragen naar het verhaal van de medewerker, dan pas oordelen.",
        "Een collega-leidinggevende als klankbord vóór het gesprek.",
    ),
    (
        "Beide inbrengers voeren het gesprek binnen drie weken en vertellen in de volgende "
        "intervisie hoe het ging.",
    ),
)


def _reasons(result: dict[str, object]) -> dict[str, str]:
    chosen = result["gekozen"]
    assert isinstance(chosen, list)
    return {s["titel"]: s["aanleiding"] for s in chosen}


def test_a_quote_explains_one_suggestion_and_only_one_it_supports(content: Content) -> None:
    reasons = _reasons(advice(IV_01, content.themes["intervisie"]))
    quotes = [q for q in reasons.values() if q]
    assert len(quotes) == len(set(quotes))  # no quote justifies two suggestions
    # Speaking to an employee about agreements is no reason to record the lessons.
    assert not any("aanspreken" in q for q in quotes)
    assert reasons["Laat de groep zelfstandig verder"].startswith("Een collega-leidinggevende")
    assert "volgende intervisie" in reasons["Plan regelmatige sessies"]


def test_a_suggestion_whose_points_are_all_taken_has_no_quote(content: Content) -> None:
    theme = content.themes["intervisie"]
    # One point that fits two suggestions: the stronger match gets it.
    point = "Vertellen in de volgende intervisie wat we hebben geleerd en hoe het ging."
    reasons = _reasons(advice(SessionOutcome("IV-01", (point,), (), ()), theme))
    assert list(reasons.values()).count(point) == 1
    assert set(reasons) == {"Plan regelmatige sessies", "Leg de lessen vast"}
    assert "" in reasons.values()
