"""Test helpers: a valid baseline workbook that is easy to break, and small theme content.

`Book.valid()` describes a complete, valid cycle (Organisatie, 3 sessions, 12 people,
13 bookings) as plain Python data; tests change it with `set`, `org`, `add_row`,
`delete_column`, ... and write it with `save`. Rows are numbered as Excel shows them:
the header is row 1 and the first data row is row 2.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipeline.content.model import Content, General, RoundStep, Step, Suggestion, Theme
from pipeline.workbook import schema

TODAY = dt.date(2027, 1, 15)

ORGANISATIE = {
    "gemeente": "Gemeente Voorbeeldstad",
    "gemeentesecretaris": "drs. A.M. Jansen",
    "afzender_adres": "Postbus 100\n1234 AB Voorbeeldstad",
    "contactpersoon": "Fatima el Amrani",
    "contact_email": "hr@voorbeeldstad.nl",
    "contact_telefoon": "14 0123",
    "cyclus": "Intervisie voorjaar 2027",
}

SESSIES = [
    {
        "sessie": "LR-01",
        "thema": "Leerruimte",
        "datum": dt.date(2027, 3, 9),
        "begintijd": dt.time(14, 0),
        "duur_minuten": 60,
        "vorm": "op locatie",
        "locatie": "Raadzaal, Stadhuisplein 1",
        "begeleider": "Karin Bakker",
        "begeleiding": "HR",
    },
    {
        "sessie": "AU-01",
        "thema": "autonomie",
        "datum": "10-03-2027",
        "begintijd": "10:00",
        "vorm": "online",
        "link": "https://teams.example.nl/au-01",
        "begeleider": "Piet de Vries",
        "begeleiding": "extern",
        "prikkelende_vraag": "Wanneer geef jij ruimte?",
    },
    {
        "sessie": "IV-01",
        "thema": "Intervisie",
        "datum": dt.date(2027, 3, 16),
        "begintijd": dt.time(9, 30),
        "vorm": "op locatie",
        "locatie": "Zaal 2",
        "begeleider": "Karin Bakker",
        "begeleiding": "HR",
    },
]

_NAMES = [
    ("Jan", None, "Jansen", "heer"),
    ("Anna", None, "Bakker", "mevrouw"),
    ("Kees", "van der", "Berg", "heer"),
    ("Sanne", "de", "Vries", "mevrouw"),
    ("Mohamed", None, "El Idrissi", "heer"),
    ("Lotte", None, "Smit", "mevrouw"),
    ("Robin", None, "Meijer", "neutraal"),
    ("Fleur", "van", "Dam", "mevrouw"),
    ("Ahmet", None, "Yilmaz", "heer"),
    ("Eva", None, "Visser", "mevrouw"),
    ("Noah", None, "Mulder", "heer"),
    ("Iris", "de", "Boer", "mevrouw"),
]


def _person(index: int) -> dict[str, Any]:
    voornaam, tussenvoegsel, achternaam, aanhef = _NAMES[index]
    row: dict[str, Any] = {
        "personeelsnummer": 10001 + index,
        "voornaam": voornaam,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "aanhef": aanhef,
        "functie": "Teamleider",
        "afdeling": "Publiekszaken",
        "email": f"{voornaam.lower()}@voorbeeldstad.nl",
    }
    if index < 10:  # the last two get their letter by internal delivery
        row |= {
            "adres": f"Dorpsstraat {index + 1}",
            "postcode": "1234 AB",
            "plaats": "Voorbeeldstad",
        }
    return row


DEELNEMERS = [_person(i) for i in range(12)]

INDELING = (
    [{"sessie": "LR-01", "personeelsnummer": n} for n in (10001, 10002, 10003, 10004)]
    + [{"sessie": "AU-01", "personeelsnummer": n} for n in (10005, 10006, 10007, 10008)]
    + [
        {"sessie": "IV-01", "personeelsnummer": 10009, "rol": "inbrenger"},
        {"sessie": "IV-01", "personeelsnummer": 10010, "rol": "inbrenger"},
        {"sessie": "IV-01", "personeelsnummer": 10011, "rol": "deelnemer"},
        {"sessie": "IV-01", "personeelsnummer": 10012},
        {"sessie": "IV-01", "personeelsnummer": 10001},
    ]
)


@dataclass
class Table:
    headers: list[str]
    rows: list[dict[str, Any]]
    hidden: bool = False
    blank_rows_above: int = 0  # empty rows before the header

    def first_row(self) -> int:
        return self.blank_rows_above + 2


@dataclass
class Book:
    """An editable description of a workbook; sheet titles map to tables."""

    sheets: dict[str, Table] = field(default_factory=dict)

    @classmethod
    def valid(cls) -> Book:
        book = cls()
        book.sheets["Organisatie"] = Table(
            ["veld", "waarde"], [{"veld": k, "waarde": v} for k, v in ORGANISATIE.items()]
        )
        for spec, rows in (
            (schema.SESSIES, SESSIES),
            (schema.DEELNEMERS, DEELNEMERS),
            (schema.INDELING, INDELING),
        ):
            book.sheets[spec.name] = Table(
                [c.name for c in spec.columns], [dict(row) for row in rows]
            )
        return book

    # --- changes ----------------------------------------------------------------------

    def set(self, sheet: str, row: int, column: str, value: Any) -> Book:
        """Set a cell by Excel row number and header name."""
        table = self.sheets[sheet]
        table.rows[row - table.first_row()][column] = value
        return self

    def get(self, sheet: str, row: int, column: str) -> Any:
        table = self.sheets[sheet]
        return table.rows[row - table.first_row()].get(column)

    def org(self, veld: str, value: Any) -> Book:
        """Set an Organisatie veld, adding its row when it is not there yet."""
        for row in self.sheets["Organisatie"].rows:
            if row.get("veld") == veld:
                row["waarde"] = value
                return self
        self.sheets["Organisatie"].rows.append({"veld": veld, "waarde": value})
        return self

    def org_row(self, veld: str) -> int:
        table = self.sheets["Organisatie"]
        index = next(i for i, row in enumerate(table.rows) if row.get("veld") == veld)
        return index + table.first_row()

    def remove_org(self, veld: str) -> Book:
        table = self.sheets["Organisatie"]
        table.rows = [row for row in table.rows if row.get("veld") != veld]
        return self

    def add_row(self, sheet: str, **values: Any) -> int:
        """Append a row; returns its Excel row number."""
        table = self.sheets.setdefault(sheet, Table(list(values), []))
        for name in values:
            if name not in table.headers:
                table.headers.append(name)
        table.rows.append(dict(values))
        return len(table.rows) - 1 + table.first_row()

    def delete_rows(self, sheet: str, **match: Any) -> Book:
        table = self.sheets[sheet]
        table.rows = [r for r in table.rows if any(r.get(k) != v for k, v in match.items())]
        return self

    def delete_column(self, sheet: str, column: str) -> Book:
        self.sheets[sheet].headers.remove(column)
        return self

    def rename_column(self, sheet: str, old: str, new: str) -> Book:
        table = self.sheets[sheet]
        table.headers[table.headers.index(old)] = new
        for row in table.rows:
            if old in row:
                row[new] = row.pop(old)
        return self

    def rename_sheet(self, old: str, new: str) -> Book:
        self.sheets = {(new if k == old else k): v for k, v in self.sheets.items()}
        return self

    def delete_sheet(self, name: str) -> Book:
        del self.sheets[name]
        return self

    def row_of(self, sheet: str, **match: Any) -> int:
        """The Excel row number of the first row whose cells equal `match`."""
        table = self.sheets[sheet]
        for index, row in enumerate(table.rows):
            if all(row.get(k) == v for k, v in match.items()):
                return index + table.first_row()
        raise KeyError(match)

    # --- output -----------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        self._workbook().save(path)
        return path

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook().save(buffer)
        return buffer.getvalue()

    def _workbook(self) -> Workbook:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, table in self.sheets.items():
            ws = workbook.create_sheet(title)
            for _ in range(table.blank_rows_above):
                ws.append([])
            ws.append(table.headers)
            for row in table.rows:
                ws.append([row.get(name) for name in table.headers])
            if table.hidden:
                ws.sheet_state = "hidden"
        return workbook


# --- content ---------------------------------------------------------------------------


def _step(
    titel: str,
    minuten: int | None,
    minimaal: int = 1,
    herhaal: str | None = None,
    analyse: bool = False,
) -> Step:
    return Step(titel, minuten, minimaal, "De begeleider leidt de stap.", analyse, False, herhaal)


def _theme(key: str, **overrides: Any) -> Theme:
    values: dict[str, Any] = dict(
        key=key,
        naam=key.capitalize(),
        pijler=True,
        duur_minuten=60,
        min_deelnemers=3,
        max_deelnemers=10,
        ideaal_min=None,
        ideaal_max=None,
        uitleg="Uitleg.",
        doel="Doel.",
        voorbereiding="Voorbereiding.",
        prikkelende_vragen=("Vraag?",),
        analyse_categorieen=(),
        analyse_vraag="",
        beeldvorming=(),
        praktijkvragen=("Praktijkvraag?",),
        focusvraag="Focus?",
        vervolgsuggesties=(Suggestion("Advies", "Tekst."),),
        onderscheid_titel="",
        onderscheid="",
        stappen=(
            _step("Opening", 5),
            _step("Voorbeelden", 20),
            _step("Analyse", None, 10),
            _step("Beeld", 15),
        ),
        ronde=(),
        source=f"{key}.toml",
    )
    values.update(overrides)
    return Theme(**values)


def make_content() -> Content:
    """Four themes like the real ones: three 60-minute pillars (minimum 50 minutes) and
    Intervisie with 30-minute rounds (10 + 30 per inbrenger + at least 10 minutes)."""
    intervisie = _theme(
        "intervisie",
        pijler=False,
        duur_minuten=None,
        ideaal_min=4,
        ideaal_max=6,
        stappen=(
            _step("Opening", 10),
            _step("Probleemronde", None, herhaal="inbrenger"),
            _step("Afsluiting", None, 10),
        ),
        ronde=tuple(
            RoundStep(t, m, "Eigenaar.", "Groep.")
            for t, m in (
                ("Inbreng", 3),
                ("Vragen", 10),
                ("Brainstorm", 10),
                ("Keuze", 2),
                ("Advies", 5),
            )
        ),
    )
    themes = {
        t.key: t
        for t in (_theme("leerruimte"), _theme("autonomie"), _theme("participatie"), intervisie)
    }
    general = General(
        wat_is="Wat.",
        doelen=("Doel.",),
        wat_het_niet_is=("Niet.",),
        spelregels=("Regel.",),
        rollen=(),
        vaardigheden=("Luisteren.",),
        vertrouwelijkheid="Vertrouwelijk.",
        duurzame_inzetbaarheid="DI.",
        grote_groep_regel="Regel.",
        grote_groep_vanaf=9,
        vervolg_checklist=("Actie.",),
        advies_grote_groep="Meer.",
        advies_zonder_uitkomsten="Geen.",
        programma="Programma.",
    )
    return Content(general, themes, ())
