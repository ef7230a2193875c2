"""Method content per theme, read from TOML files under `templates/inhoud/`.

The content files are data; this module only checks their shape and exposes it as
frozen records. A broken content file is a ContentProblem naming the file and field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.errors import ContentProblem, describe_os_error

CONTENT_DIR = "inhoud"
THEMES_DIR = "themas"
GENERAL_FILE = "algemeen.toml"
REPEAT_PER_INBRENGER = "inbrenger"
# The method's limits on group size (werkboek contract): content may narrow, never widen.
CONTRACT_MIN_GROUP = 3
CONTRACT_MAX_GROUP = 10


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


class _Reader:
    """Typed access to one TOML table, raising ContentProblem with file and field."""

    def __init__(self, data: Mapping[str, Any], source: str, where: str = "") -> None:
        self.data, self.source, self.where = data, source, where
        self.read: set[str] = set()
        self.children: list[_Reader] = []

    def _place(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, expected: str) -> ContentProblem:
        if key not in self.data:
            return ContentProblem(f"ontbreekt ({expected})", self.source, self._place(key))
        return ContentProblem(f"moet {expected} zijn", self.source, self._place(key))

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self.data.get(key, default)

    def ensure_all_read(self) -> None:
        """A misspelt key would silently be lost: refuse keys nobody asked for."""
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise ContentProblem(
                "onbekend veld"
                + (
                    " (let op: velden na een [[tabel]]-kop horen bij die tabel)"
                    if self.children or self.where
                    else ""
                ),
                self.source,
                self._place(unknown[0]),
            )
        for child in self.children:
            child.ensure_all_read()

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self._fail(key, "een niet-lege tekst")
        return value.strip()

    def texts(self, key: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.get(key, [] if allow_empty else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(key, "een lijst met teksten")
        if not value and not allow_empty:
            raise self._fail(key, "een niet-lege lijst met teksten")
        return tuple(v.strip() for v in value)

    def integer(self, key: str, default: int | None = None, minimum: int = 0) -> int | None:
        value = self.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self._fail(key, f"een geheel getal van {minimum} of meer")
        return value

    def required_integer(self, key: str, minimum: int = 1) -> int:
        value = self.integer(key, minimum=minimum)
        if value is None:
            raise self._fail(key, f"een geheel getal van {minimum} of meer")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.get(key)
        if value is not None and value not in allowed:
            raise self._fail(key, " of ".join(f"'{a}'" for a in allowed))
        return value  # type: ignore[no-any-return]

    def flag(self, key: str) -> bool:
        value = self.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true of false")
        return value

    def tables(self, key: str, allow_empty: bool = False) -> list[_Reader]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, "een lijst van tabellen ([[...]])")
        if not value and not allow_empty:
            raise self._fail(key, "een niet-lege lijst van tabellen ([[...]])")
        readers = [_Reader(v, self.source, f"{key}[{i + 1}]") for i, v in enumerate(value)]
        self.children.extend(readers)
        return readers


def _load_toml(path: Path) -> _Reader:
    try:
        with path.open("rb") as handle:
            return _Reader(tomllib.load(handle), path.name)
    except FileNotFoundError:
        raise ContentProblem("ontbreekt", path.name) from None
    except OSError as exc:
        raise ContentProblem(
            "kan niet worden gelezen", path.name, detail=describe_os_error(exc)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentProblem("is geen geldige TOML", path.name, detail=str(exc)) from None


def _theme(path: Path) -> Theme:
    doc = _load_toml(path)
    stappen = tuple(
        Step(
            titel=t.text("titel"),
            minuten=t.integer("minuten", minimum=1),
            minimaal=t.integer("minimaal", 1, minimum=1) or 1,
            begeleider=t.text("begeleider"),
            analyse=t.flag("analyse"),
            grote_groep=t.flag("grote_groep"),
            herhaal=t.choice("herhaal", (REPEAT_PER_INBRENGER,)),
            aandeel=t.integer("aandeel", 1, minimum=1) or 1,
            kort_tot=t.integer("kort_tot", minimum=1),
            begeleider_kort=t.text("begeleider_kort", ""),
            ruim_vanaf=t.integer("ruim_vanaf", minimum=1),
            begeleider_ruim=t.text("begeleider_ruim", ""),
            inbrenger_start=t.flag("inbrenger_start"),
            aanbevolen=t.integer("aanbevolen", minimum=1),
            seconden_per_deelnemer=t.integer("seconden_per_deelnemer", 0) or 0,
        )
        for t in doc.tables("stappen")
    )
    ronde = tuple(
        RoundStep(
            t.text("titel"), t.required_integer("minuten"), t.text("eigenaar"), t.text("groep")
        )
        for t in doc.tables("ronde", allow_empty=True)
    )
    theme = Theme(
        key=path.stem.lower(),
        naam=doc.text("naam"),
        pijler=doc.flag("pijler"),
        duur_minuten=doc.integer("duur_minuten", minimum=1),
        min_deelnemers=doc.required_integer("min_deelnemers"),
        max_deelnemers=doc.required_integer("max_deelnemers"),
        ideaal_min=doc.integer("ideaal_min", minimum=1),
        ideaal_max=doc.integer("ideaal_max", minimum=1),
        uitleg=doc.text("uitleg"),
        doel=doc.text("doel"),
        voorbereiding=doc.text("voorbereiding"),
        prikkelende_vragen=doc.texts("prikkelende_vragen"),
        analyse_categorieen=doc.texts("analyse_categorieen", allow_empty=True),
        analyse_vraag=doc.text("analyse_vraag", ""),
        beeldvorming=doc.texts("beeldvorming", allow_empty=True),
        praktijkvragen=doc.texts("praktijkvragen"),
        focusvraag=doc.text("focusvraag"),
        vervolgsuggesties=tuple(
            Suggestion(t.text("titel"), t.text("tekst"), t.texts("signalen", allow_empty=True))
            for t in doc.tables("vervolgsuggesties")
        ),
        onderscheid_titel=doc.text("onderscheid_titel", ""),
        onderscheid=doc.text("onderscheid", ""),
        stappen=stappen,
        ronde=ronde,
        source=path.name,
        inbrenger=doc.text("inbrenger"),
        bij_tijdgebrek=doc.text("bij_tijdgebrek", ""),
        prikkelende_vragen_u=doc.texts("prikkelende_vragen_u", allow_empty=True),
        praktijkvragen_kort=doc.texts("praktijkvragen_kort", allow_empty=True),
        praktijkvragen_kort_u=doc.texts("praktijkvragen_kort_u", allow_empty=True),
        praktijkvragen_u=doc.texts("praktijkvragen_u", allow_empty=True),
        focusvraag_u=doc.text("focusvraag_u", ""),
    )
    doc.ensure_all_read()
    _check_theme(theme)
    return theme


def _check_theme(theme: Theme) -> None:
    """Consistency a per-field check cannot see."""
    path_name = theme.source
    if not CONTRACT_MIN_GROUP <= theme.min_deelnemers <= theme.max_deelnemers <= CONTRACT_MAX_GROUP:
        raise ContentProblem(
            f"verwacht {CONTRACT_MIN_GROUP} <= min_deelnemers <= max_deelnemers <= "
            f"{CONTRACT_MAX_GROUP} (de grenzen van de methode)",
            path_name,
        )
    if not any(s.minuten is None and s.herhaal is None for s in theme.stappen):
        raise ContentProblem(
            "minstens één stap zonder minuten is nodig; die krijgt de resterende tijd, zodat "
            "het tijdschema precies op de eindtijd eindigt",
            path_name,
        )
    if theme.onderscheid and not theme.onderscheid_titel:
        raise ContentProblem("onderscheid vraagt om een onderscheid_titel", path_name)
    if (theme.ideaal_min is None) != (theme.ideaal_max is None):
        raise ContentProblem("geef ideaal_min en ideaal_max allebei, of geen van beide", path_name)
    if (
        theme.ideaal_min is not None
        and theme.ideaal_max is not None
        and not (
            theme.min_deelnemers <= theme.ideaal_min <= theme.ideaal_max <= theme.max_deelnemers
        )
    ):
        raise ContentProblem(
            "verwacht min_deelnemers <= ideaal_min <= ideaal_max <= max_deelnemers", path_name
        )
    if theme.heeft_analyse and not (theme.analyse_vraag and theme.analyse_categorieen):
        raise ContentProblem(
            "een analysestap vraagt om analyse_vraag en analyse_categorieen", path_name
        )
    if theme.heeft_rondes and not theme.ronde:
        raise ContentProblem("stappen herhalen per inbrenger maar [[ronde]] ontbreekt", path_name)
    # Only {bord} is filled in (Board.fill); another {name} would reach the reader as is.
    step_texts = [(s.titel, t) for s in theme.stappen for t in (s.begeleider, s.begeleider_kort)]
    step_texts += [(s.titel, s.begeleider_ruim) for s in theme.stappen]
    step_texts += [(r.titel, t) for r in theme.ronde for t in (r.eigenaar, r.groep)]
    for titel, text in step_texts:
        if "{" in text.replace(BOARD, "") or "}" in text.replace(BOARD, ""):
            raise ContentProblem(
                f"stap '{titel}': alleen {BOARD} wordt ingevuld (de vorm van de sessie); "
                "andere accolades horen niet in de tekst",
                path_name,
            )
    for step in theme.stappen:
        if (step.kort_tot is None) != (not step.begeleider_kort) or (step.ruim_vanaf is None) != (
            not step.begeleider_ruim
        ):
            raise ContentProblem(
                f"stap '{step.titel}': geef kort_tot met begeleider_kort en ruim_vanaf met "
                "begeleider_ruim, of geen van beide",
                path_name,
            )
    for formal, informal in (
        ("prikkelende_vragen_u", "prikkelende_vragen"),
        ("praktijkvragen_kort_u", "praktijkvragen_kort"),
        ("praktijkvragen_u", "praktijkvragen"),
    ):
        given = getattr(theme, formal)
        if given and len(given) != len(getattr(theme, informal)):
            raise ContentProblem(
                f"{formal} moet evenveel vragen hebben als {informal} (dezelfde vragen met 'u')",
                path_name,
            )
    if theme.duur_minuten is not None and theme.duur_minuten < theme.minimum_minutes(1):
        raise ContentProblem("duur_minuten is korter dan de som van de stappen", path_name)


def _general(path: Path) -> General:
    doc = _load_toml(path)
    general = General(
        wat_is=doc.text("wat_is"),
        doelen=doc.texts("doelen"),
        wat_het_niet_is=doc.texts("wat_het_niet_is"),
        spelregels=doc.texts("spelregels"),
        rollen=tuple(
            Role(t.text("naam"), t.text("omschrijving"), t.flag("probleemronde"))
            for t in doc.tables("rollen")
        ),
        vaardigheden=doc.texts("vaardigheden"),
        vertrouwelijkheid=doc.text("vertrouwelijkheid"),
        duurzame_inzetbaarheid=doc.text("duurzame_inzetbaarheid"),
        grote_groep_regel=doc.text("grote_groep_regel"),
        grote_groep_vanaf=doc.required_integer("grote_groep_vanaf"),
        vervolg_checklist=doc.texts("vervolg_checklist"),
        advies_grote_groep=doc.text("advies_grote_groep"),
        advies_zonder_uitkomsten=doc.text("advies_zonder_uitkomsten"),
        programma=doc.text("programma"),
        spelregels_probleemronde=doc.texts("spelregels_probleemronde", allow_empty=True),
        voor_u=_formal_texts(doc),
        bord=_board(doc),
    )
    doc.ensure_all_read()
    return general


def _board(doc: _Reader) -> Board:
    """[bord]: the words for `{bord}` on site, online and for both (all three given)."""
    table = doc.get("bord", {})
    if not isinstance(table, dict):
        raise ContentProblem("moet een tabel ([bord]) zijn", doc.source, "bord")
    if not table:
        return Board()
    reader = _Reader(table, doc.source, "bord")
    doc.children.append(reader)
    return Board(reader.text("op_locatie"), reader.text("online"), reader.text("beide"))


# The general texts that speak to the reader and may have a 'u' form in [voor_u].
_FORMAL_TEXTS = ("wat_is", "duurzame_inzetbaarheid")
_FORMAL_LISTS = ("doelen", "wat_het_niet_is", "spelregels")


def _formal_texts(doc: _Reader) -> dict[str, str | tuple[str, ...]]:
    table = doc.get("voor_u", {})
    if not isinstance(table, dict):
        raise ContentProblem("moet een tabel ([voor_u]) zijn", doc.source, "voor_u")
    reader = _Reader(table, doc.source, "voor_u")
    doc.children.append(reader)
    found: dict[str, str | tuple[str, ...]] = {}
    for key in _FORMAL_TEXTS:
        if key in table:
            found[key] = reader.text(key)
    for key in _FORMAL_LISTS:
        if key in table:
            found[key] = reader.texts(key)
            if len(found[key]) != len(doc.texts(key)):
                raise ContentProblem(
                    f"moet evenveel regels hebben als {key} (dezelfde regels met 'u')",
                    doc.source,
                    f"voor_u.{key}",
                )
    return found


def _refuse_duplicate_names(themes: Iterable[Theme], paths: Sequence[Path]) -> None:
    """The workbook picks a theme by key or by naam: two themes with one naam would make
    that choice ambiguous."""
    seen: dict[str, str] = {}
    for theme, path in zip(themes, paths, strict=True):
        for name in {theme.key.casefold(), theme.naam.casefold()}:
            other = seen.setdefault(name, path.name)
            if other != path.name:
                raise ContentProblem(
                    f"naam '{theme.naam}' is ook de naam of sleutel van het thema in {other}; "
                    "geef elk thema een eigen naam",
                    path.name,
                )


def load_content(templates_dir: Path) -> Content:
    """Read `inhoud/algemeen.toml` and every `inhoud/themas/*.toml`."""
    base = templates_dir / CONTENT_DIR
    general_path = base / GENERAL_FILE
    theme_paths = sorted((base / THEMES_DIR).glob("*.toml"))
    if not theme_paths:
        raise ContentProblem(
            f"geen themabestanden (*.toml) gevonden in {base / THEMES_DIR}", CONTENT_DIR
        )
    themes = {theme.key: theme for theme in map(_theme, theme_paths)}
    _refuse_duplicate_names(themes.values(), theme_paths)
    return Content(_general(general_path), themes, (general_path, *theme_paths))
