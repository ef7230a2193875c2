"""Method content per theme, read from TOML files under `templates/inhoud/`.

The content files are data; this module reads them (through toml_reader.py), checks what a
per-field check cannot see (group sizes, steps that fill the session, 'u' forms that match)
and returns the frozen records of model.py. A broken content file is a ContentProblem
naming the file and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.content.model import (
    BOARD,
    REPEAT_PER_INBRENGER,
    Board,
    Content,
    General,
    Role,
    RoundStep,
    Step,
    Suggestion,
    Theme,
)
from pipeline.content.toml_reader import TomlReader, load_toml
from pipeline.errors import ContentProblem

# The records are also importable from here, where callers have always found them.
__all__ = [
    "BOARD",
    "REPEAT_PER_INBRENGER",
    "Board",
    "Content",
    "General",
    "Role",
    "RoundStep",
    "Step",
    "Suggestion",
    "Theme",
    "load_content",
]

CONTENT_DIR = "inhoud"
THEMES_DIR = "themas"
GENERAL_FILE = "algemeen.toml"
# The method's limits on group size (werkboek contract): content may narrow, never widen.
CONTRACT_MIN_GROUP = 3
CONTRACT_MAX_GROUP = 10


def _theme(path: Path) -> Theme:
    doc = load_toml(path)
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
    doc = load_toml(path)
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


# The general texts that speak to the reader and may have a 'u' form in [voor_u].
_FORMAL_TEXTS = ("wat_is", "duurzame_inzetbaarheid")
_FORMAL_LISTS = ("doelen", "wat_het_niet_is", "spelregels")


def _board(doc: TomlReader) -> Board:
    """[bord]: the words for `{bord}` on site, online and for both (all three given)."""
    table = doc.get("bord", {})
    if not isinstance(table, dict):
        raise ContentProblem("moet een tabel ([bord]) zijn", doc.source, "bord")
    if not table:
        return Board()
    reader = TomlReader(table, doc.source, "bord")
    doc.children.append(reader)
    return Board(reader.text("op_locatie"), reader.text("online"), reader.text("beide"))


def _formal_texts(doc: TomlReader) -> dict[str, str | tuple[str, ...]]:
    table = doc.get("voor_u", {})
    if not isinstance(table, dict):
        raise ContentProblem("moet een tabel ([voor_u]) zijn", doc.source, "voor_u")
    reader = TomlReader(table, doc.source, "voor_u")
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
