"""The method content as records: a theme with its steps, rounds and timing rules, the
general texts every document shares, and the content as a whole.

pipeline/content/themes.py reads them from the TOML files and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

# A step with `herhaal = "inbrenger"` expands into one round per inbrenger.
REPEAT_PER_INBRENGER = "inbrenger"


@dataclass(frozen=True)
class Step:
    titel: str
    minuten: int | None  # None: takes (a share of) the remainder of the session
    minimaal: int  # lower bound when it takes the remainder
    begeleider: str  # what the facilitator says and does
    analyse: bool
    grote_groep: bool  # the large-group rule applies to this step
    herhaal: str | None  # "inbrenger": expands into one round per inbrenger
    # A step that takes a share of the remainder: its weight in that share, and texts for
    # when it gets little or much time, so the facilitator's text fits the minutes.
    aandeel: int = 1
    kort_tot: int | None = None  # below this many minutes `begeleider_kort` applies
    begeleider_kort: str = ""
    ruim_vanaf: int | None = None  # from this many minutes `begeleider_ruim` applies
    begeleider_ruim: str = ""
    inbrenger_start: bool = False  # the inbrenger's practice situation opens this step
    # What a flexible step needs to work, beyond its hard minimum: minutes (an analysis
    # needs about 5), and seconds per participant (a closing round where each says one
    # thing). Less is a warning that names a session length that fits.
    aanbevolen: int | None = None
    seconden_per_deelnemer: int = 0

    def needed(self, participants: int) -> int:
        """Minutes this step should get with `participants` in the group."""
        per_person = -(-self.seconden_per_deelnemer * participants // 60)
        return max(self.aanbevolen or self.minimaal, self.minimaal, per_person)

    def text_for(self, minutes: int) -> str:
        """What the facilitator says and does, for the minutes the step gets."""
        if self.kort_tot is not None and minutes < self.kort_tot and self.begeleider_kort:
            return self.begeleider_kort
        if self.ruim_vanaf is not None and minutes >= self.ruim_vanaf and self.begeleider_ruim:
            return self.begeleider_ruim
        return self.begeleider


@dataclass(frozen=True)
class RoundStep:
    titel: str
    minuten: int
    eigenaar: str  # the case owner's part
    groep: str  # the group's part


@dataclass(frozen=True)
class Suggestion:
    titel: str
    tekst: str
    # Words that, found in what a group reported (Uitkomsten), make this suggestion
    # fit that group: the advice then puts it first and names the reason.
    signalen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    key: str  # file stem, lower case: "leerruimte"
    naam: str  # display name: "Leerruimte"
    pijler: bool  # a pillar of sustainable employability (not the general method)
    duur_minuten: int | None  # default length; None: derived from the rounds
    min_deelnemers: int
    max_deelnemers: int
    ideaal_min: int | None  # advised group size (warning outside it)
    ideaal_max: int | None
    uitleg: str  # what the theme means
    doel: str
    voorbereiding: str  # what a participant prepares
    prikkelende_vragen: tuple[str, ...]
    analyse_categorieen: tuple[str, ...]
    analyse_vraag: str
    beeldvorming: tuple[str, ...]
    praktijkvragen: tuple[str, ...]
    focusvraag: str
    vervolgsuggesties: tuple[Suggestion, ...]
    onderscheid_titel: str  # heading for `onderscheid`
    onderscheid: str  # Leerruimte: room to learn versus training on offer; else ""
    stappen: tuple[Step, ...]
    ronde: tuple[RoundStep, ...]
    source: str  # file name, for messages
    inbrenger: str = ""  # what the inbrenger does in this method (third person)
    bij_tijdgebrek: str = ""  # for the facilitator: what to shorten when time runs out
    # For letters that say 'u' (the lists above are in the 'je' form), and the practice
    # questions in short for the invitation; empty: the 'je' form, or none.
    prikkelende_vragen_u: tuple[str, ...] = ()
    praktijkvragen_kort: tuple[str, ...] = ()
    praktijkvragen_kort_u: tuple[str, ...] = ()
    praktijkvragen_u: tuple[str, ...] = ()  # for a reader addressed with 'u'
    focusvraag_u: str = ""

    @property
    def heeft_analyse(self) -> bool:
        return any(step.analyse for step in self.stappen)

    @property
    def heeft_rondes(self) -> bool:
        return any(step.herhaal == REPEAT_PER_INBRENGER for step in self.stappen)

    @property
    def ronde_minuten(self) -> int:
        return sum(step.minuten for step in self.ronde)

    @property
    def flexible_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.stappen if s.minuten is None and s.herhaal is None)

    def fixed_minutes(self, rounds: int) -> int:
        """What a session cannot do without: the fixed steps and the rounds."""
        total = 0
        for step in self.stappen:
            if step.herhaal == REPEAT_PER_INBRENGER:
                total += rounds * self.ronde_minuten
            elif step.minuten is not None:
                total += step.minuten
        return total

    def minimum_minutes(self, rounds: int) -> int:
        """Shortest session that fits every fixed step, the rounds and the flexible minima."""
        return self.fixed_minutes(rounds) + sum(s.minimaal for s in self.flexible_steps)

    def flexible_minutes(self, total: int, rounds: int) -> list[int]:
        """Minutes per flexible step (in step order) for a session of `total` minutes.

        With time to spare every step gets its minimum and the rest is shared by weight
        (`aandeel`), the odd minutes going to the last step so the agenda ends on time.
        Short of time, the steps get their minimum in order while it lasts; a step may
        get 0 minutes (the agenda then leaves it out, and the check warns).
        """
        flexible = self.flexible_steps
        if not flexible:
            return []
        available = max(total - self.fixed_minutes(rounds), 0)
        minima = sum(s.minimaal for s in flexible)
        if available < minima:
            minutes = []
            for step in flexible:
                given = min(step.minimaal, available)
                minutes.append(given)
                available -= given
            return minutes
        spare = available - minima
        weights = sum(s.aandeel for s in flexible)
        minutes = [s.minimaal + spare * s.aandeel // weights for s in flexible]
        minutes[-1] += available - sum(minutes)
        return minutes

    def fitting_minutes(self, length: int, rounds: int, participants: int) -> int | None:
        """The shortest session of `length` minutes or more (beyond it in steps of 5) in
        which every flexible step gets what it needs for the group (Step.needed); None
        beyond a working day."""
        candidates: list[int] = [length, *range(length + 5 - length % 5, 8 * 60 + 1, 5)]
        for total in candidates:
            given = self.flexible_minutes(total, rounds)
            needs = [step.needed(participants) for step in self.flexible_steps]
            if total >= self.minimum_minutes(rounds) and all(
                m >= n for m, n in zip(given, needs, strict=True)
            ):
                return total
        return None

    def default_minutes(self, rounds: int) -> int:
        return self.duur_minuten if self.duur_minuten is not None else self.minimum_minutes(rounds)


@dataclass(frozen=True)
class Role:
    naam: str
    omschrijving: str
    probleemronde: bool = False  # a role only the problem round has (the timekeeper)


@dataclass(frozen=True)
class Board:
    """Where a group writes its ideas down, by the session's form: a text of the method
    names it `{bord}` (BOARD), and each document says the one that fits its session."""

    op_locatie: str = "een flip-over"
    online: str = "een gedeeld digitaal bord"
    # For a reader of no one session (the syllabus, the theme's own description).
    beide: str = "een flip-over of, bij een online sessie, op een gedeeld digitaal bord"

    def fill(self, text: str, online: bool | None) -> str:
        """`text` with `{bord}` filled in for an online session (True), a session on site
        (False), or no session in particular (None)."""
        if BOARD not in text:
            return text
        wording = self.beide if online is None else self.online if online else self.op_locatie
        return text.replace(BOARD, wording)


BOARD = "{bord}"


@dataclass(frozen=True)
class General:
    """Content shared by every document: what intervisie is, rules, roles, skills."""

    wat_is: str
    doelen: tuple[str, ...]
    wat_het_niet_is: tuple[str, ...]
    spelregels: tuple[str, ...]  # for every method
    rollen: tuple[Role, ...]
    vaardigheden: tuple[str, ...]
    vertrouwelijkheid: str
    duurzame_inzetbaarheid: str
    grote_groep_regel: str
    grote_groep_vanaf: int  # group size from which more sessions are advised
    vervolg_checklist: tuple[str, ...]
    advies_grote_groep: str
    advies_zonder_uitkomsten: str  # the draft advice's opening, before the session
    programma: str
    # Rules of play that belong to the problem round only (brainstorm, timekeeper, ...).
    spelregels_probleemronde: tuple[str, ...] = ()
    # The texts that address the reader, for a reader addressed with 'u' ([voor_u]);
    # a text not given there is the same for both.
    voor_u: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    bord: Board = field(default_factory=Board)

    def for_reader(self, formal: bool) -> General:
        """These texts as a reader addressed with 'u' (formal) or 'je' reads them."""
        return replace(self, **self.voor_u) if formal else self  # type: ignore[arg-type]


@dataclass(frozen=True)
class Content:
    general: General
    themes: Mapping[str, Theme]  # by key
    files: tuple[Path, ...]  # every file read, for the manifest

    def theme(self, name: str) -> Theme | None:
        """By file name or display name, case-insensitively ('leerruimte', 'Leerruimte')."""
        wanted = name.strip().casefold()
        found = self.themes.get(wanted)
        if found is None:
            found = next((t for t in self.themes.values() if t.naam.casefold() == wanted), None)
        return found
