"""The timed agenda of a session: the theme's steps laid out on the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.content.model import REPEAT_PER_INBRENGER, RoundStep, Step, Theme


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class RoundSlot:
    slot: Slot
    step: RoundStep


@dataclass(frozen=True)
class Round:
    number: int
    inbrenger: str | None  # name, or None when the group still has to choose
    slot: Slot
    steps: tuple[RoundSlot, ...]


@dataclass(frozen=True)
class AgendaItem:
    slot: Slot
    step: Step
    rounds: tuple[Round, ...]  # only for a step that repeats per inbrenger


def flexible_minutes(theme: Theme, total: int, rounds: int) -> list[int]:
    """Minutes for the steps without fixed minutes (see Theme.flexible_minutes)."""
    return theme.flexible_minutes(total, rounds)


def build_agenda(
    theme: Theme, start: dt.datetime, total_minutes: int, inbrengers: list[str]
) -> tuple[AgendaItem, ...]:
    """Lay out every step from `start`; the last one ends at start + total_minutes.

    The check guarantees total_minutes >= theme.fixed_minutes(rounds); a flexible step
    that gets no time (a session with just room for its rounds) is left out.
    """
    rounds = max(len(inbrengers), 1) if theme.heeft_rondes else 0
    flexible = iter(flexible_minutes(theme, total_minutes, rounds))
    items: list[AgendaItem] = []
    clock = start
    for step in theme.stappen:
        if step.herhaal == REPEAT_PER_INBRENGER:
            step_start = clock
            round_list = []
            for number in range(1, rounds + 1):
                owner = inbrengers[number - 1] if inbrengers else None
                round_start = clock
                round_steps = []
                for round_step in theme.ronde:
                    end = clock + dt.timedelta(minutes=round_step.minuten)
                    round_steps.append(RoundSlot(Slot(clock, end), round_step))
                    clock = end
                round_list.append(
                    Round(number, owner, Slot(round_start, clock), tuple(round_steps))
                )
            items.append(AgendaItem(Slot(step_start, clock), step, tuple(round_list)))
            continue
        minutes = step.minuten if step.minuten is not None else next(flexible)
        if minutes == 0:
            continue
        end = clock + dt.timedelta(minutes=minutes)
        items.append(AgendaItem(Slot(clock, end), step, ()))
        clock = end
    return tuple(items)
