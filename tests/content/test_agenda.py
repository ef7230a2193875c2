from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.content.agenda import build_agenda
from pipeline.content.model import Content

START = dt.datetime(2027, 3, 9, 14, 0)


def flatten(items):  # type: ignore[no-untyped-def]
    for item in items:
        if item.rounds:
            for rnd in item.rounds:
                yield from (rs.slot for rs in rnd.steps)
        else:
            yield item.slot


def test_leerruimte_has_seed_minutes_and_ends_on_time(content: Content) -> None:
    agenda = build_agenda(content.themes["leerruimte"], START, 60, [])
    minutes = [item.slot.minutes for item in agenda]
    assert minutes[0] == 5 and minutes[1] == 20 and minutes[3] == 15 and minutes[4] == 15
    assert sum(minutes) == 60
    assert agenda[0].slot.start == START
    assert agenda[-1].slot.end == START + dt.timedelta(minutes=60)
    assert any(item.step.analyse for item in agenda)


def test_autonomie_has_no_analysis_step(content: Content) -> None:
    agenda = build_agenda(content.themes["autonomie"], START, 60, [])
    assert not any(item.step.analyse for item in agenda)
    # Building the picture together keeps the method's 15 minutes; spare time goes to
    # the step without minutes, the closing round.
    assert [i.slot.minutes for i in agenda] == [5, 20, 15, 15, 5]


def test_general_method_has_one_30_minute_round_per_inbrenger(content: Content) -> None:
    theme = content.themes["intervisie"]
    agenda = build_agenda(theme, START, 120, ["A", "B", "C"])
    rounds = [rnd for item in agenda for rnd in item.rounds]
    assert [r.inbrenger for r in rounds] == ["A", "B", "C"]
    for rnd in rounds:
        assert [rs.slot.minutes for rs in rnd.steps] == [3, 10, 10, 2, 5]
        assert rnd.slot.minutes == 30
    assert agenda[-1].slot.end == START + dt.timedelta(minutes=120)


@settings(max_examples=60, deadline=None)
@given(
    theme_key=st.sampled_from(["leerruimte", "autonomie", "participatie", "intervisie"]),
    inbrengers=st.integers(min_value=0, max_value=4),
    extra=st.integers(min_value=0, max_value=90),
    start_minute=st.integers(min_value=0, max_value=23 * 60),
)
def test_agenda_has_no_gaps_and_ends_at_start_plus_length(
    content: Content, theme_key: str, inbrengers: int, extra: int, start_minute: int
) -> None:
    theme = content.themes[theme_key]
    names = [f"P{i}" for i in range(inbrengers)]
    # From the fixed steps alone (opening and closing squeezed or left out) upwards.
    total = theme.fixed_minutes(max(inbrengers, 1) if theme.heeft_rondes else 0) + extra
    start = dt.datetime(2027, 3, 9) + dt.timedelta(minutes=start_minute)
    slots = list(flatten(build_agenda(theme, start, total, names)))
    assert slots[0].start == start
    for before, after in itertools.pairwise(slots):
        assert before.end == after.start
        assert before.minutes >= 1
    assert slots[-1].end == start + dt.timedelta(minutes=total)


def test_three_rounds_in_90_minutes_leave_out_opening_and_closing(content: Content) -> None:
    theme = content.themes["intervisie"]
    agenda = build_agenda(theme, START, 90, ["A", "B", "C"])
    assert [item.step.titel for item in agenda] == ["Probleemronde"]
    assert agenda[-1].slot.end == START + dt.timedelta(minutes=90)
    # With five minutes to spare the opening gets them; there is no closing.
    agenda = build_agenda(theme, START, 95, ["A", "B", "C"])
    assert [(i.step.titel, i.slot.minutes) for i in agenda][::2] == [("Opening", 5)]
    assert agenda[-1].step.titel == "Probleemronde"


def test_spare_time_is_spread_and_texts_fit_the_minutes(content: Content) -> None:
    """100 minutes with two rounds: spare time goes to opening and closing alike (not all
    of it to a 'short' closing), and a long step gets its long text."""
    theme = content.themes["intervisie"]
    agenda = build_agenda(theme, START, 100, ["A", "B"])
    opening, _, closing = agenda
    assert (opening.slot.minutes, closing.slot.minutes) == (20, 20)
    assert "korte" not in closing.step.text_for(closing.slot.minutes)
    assert closing.step.text_for(20) != closing.step.text_for(10)
    leerruimte = content.themes["leerruimte"]
    analysis = next(i for i in build_agenda(leerruimte, START, 60, []) if i.step.analyse)
    # Three minutes for an analysis: the facilitator summarises, the group checks.
    assert analysis.slot.minutes == 3
    assert analysis.step.text_for(3).startswith("Er zijn maar een paar minuten")
