"""The workbook contract as data: sheets, columns, value types and their Dutch explanations.

The reader, the validator, `nieuw-werkboek` and its Toelichting sheet all read this
one description, so the contract is written down exactly once. The allowed values of a
choice column are the values of the matching enum in pipeline.model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from pipeline.model import Aanhef, Begeleiding, Rol, Vorm


class ValueType(Enum):
    """What a column holds; the reader parses and `nieuw-werkboek` formats by it."""

    TEXT = "tekst"
    MULTILINE = "tekst (meerdere regels)"
    INTEGER = "geheel getal"
    DATE = "datum (dd-mm-jjjj)"
    TIME = "tijd (uu:mm)"
    EMAIL = "e-mailadres"
    POSTCODE = "postcode (1234 AB)"
    URL = "https-link"
    CHOICE = "keuze"
    PATH = "bestandspad"


@dataclass(frozen=True)
class RequiredWhen:
    """An optional column that must be filled when another column has a given value."""

    column: str  # the other column, in the same sheet
    value: str  # its value, as the choice is written
    what: str  # what must then be filled in, for the message: 'de zaal en het adres'


@dataclass(frozen=True)
class Column:
    name: str
    value_type: ValueType
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    example: str = ""
    required_when: RequiredWhen | None = None


def values_of(choice: type[Enum]) -> tuple[str, ...]:
    """The allowed values of a choice column: its enum's values, in their order."""
    return tuple(str(member.value) for member in choice)


@dataclass(frozen=True)
class Sheet:
    name: str
    required: bool
    description: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def requirement(column: Column) -> str:
    """'ja', 'nee' or the condition under which the column is required ('bij online')."""
    if column.required:
        return "ja"
    if column.required_when is not None:
        return f"bij {column.required_when.value}"
    return "nee"


def choices_of(column: Column, themes: Sequence[str]) -> tuple[str, ...]:
    """The allowed values of a CHOICE column; `thema` takes the configured themes."""
    if column.value_type is not ValueType.CHOICE:
        return ()
    return column.choices or tuple(themes)


ORGANISATIE = Sheet(
    name="Organisatie",
    required=True,
    description=(
        "Gegevens van de gemeente en de cyclus: één veld per rij (kolommen veld en waarde)."
    ),
    columns=(
        Column(
            "gemeente",
            ValueType.TEXT,
            True,
            "Naam van de gemeente, als briefhoofd.",
            example="Gemeente Voorbeeldstad",
        ),
        Column(
            "gemeentesecretaris",
            ValueType.TEXT,
            True,
            "Volledige naam van de gemeentesecretaris die de uitnodigingen ondertekent.",
            example="drs. A.M. (Anneke) Jansen",
        ),
        Column(
            "functie_ondertekenaar",
            ValueType.TEXT,
            False,
            "Functie onder de handtekening; standaard 'Gemeentesecretaris'.",
            example="Gemeentesecretaris",
        ),
        Column(
            "handtekening",
            ValueType.PATH,
            False,
            "Pad (ten opzichte van het werkboek) naar een PNG- of JPEG-afbeelding van de "
            "handtekening.",
            example="handtekening.png",
        ),
        Column(
            "afzender_adres",
            ValueType.MULTILINE,
            True,
            "Postadres van de afzender; elke regel op een eigen regel in de cel (Alt+Enter).",
            example="Postbus 100\n1234 AB Voorbeeldstad",
        ),
        Column(
            "contactpersoon",
            ValueType.TEXT,
            True,
            "HR-contactpersoon die in de brieven staat.",
            example="Fatima el Amrani",
        ),
        Column(
            "contact_email",
            ValueType.EMAIL,
            True,
            "E-mailadres van de contactpersoon.",
            example="hr@voorbeeldstad.nl",
        ),
        Column(
            "contact_telefoon",
            ValueType.TEXT,
            False,
            "Telefoonnummer van de contactpersoon.",
            example="14 0123",
        ),
        Column(
            "cyclus",
            ValueType.TEXT,
            True,
            "Naam van de cyclus; komt in de bestandsnamen en het archief.",
            example="Intervisie voorjaar 2027",
        ),
        Column(
            "plaats",
            ValueType.TEXT,
            False,
            "Plaats boven de brief; standaard de gemeentenaam zonder 'Gemeente'.",
            example="Voorbeeldstad",
        ),
        Column(
            "briefdatum",
            ValueType.DATE,
            False,
            "Datum van de brieven; standaard 21 dagen voor de eerste sessie van de cyclus "
            "(zo geeft dezelfde invoer altijd dezelfde documenten).",
            example="01-03-2027",
        ),
    ),
)

SESSIES = Sheet(
    name="Sessies",
    required=True,
    description="Eén rij per sessie.",
    columns=(
        Column("sessie", ValueType.TEXT, True, "Unieke code van de sessie.", example="LR-01"),
        Column(
            "thema",
            ValueType.CHOICE,
            True,
            "Thema: Leerruimte, Autonomie, Participatie of Intervisie (algemene "
            "probleemronde); hoofdletters maken niet uit.",
            example="Leerruimte",
        ),
        Column(
            "datum",
            ValueType.DATE,
            True,
            "Datum van de sessie (datumcel of dd-mm-jjjj).",
            example="09-03-2027",
        ),
        Column("begintijd", ValueType.TIME, True, "Begintijd (tijdcel of uu:mm).", example="14:00"),
        Column(
            "duur_minuten",
            ValueType.INTEGER,
            False,
            "Duur in minuten; standaard de duur van het thema (60 voor de thema-sessies, "
            "bij Intervisie genoeg voor één ronde van 30 minuten per inbrenger).",
            example="60",
        ),
        Column(
            "vorm",
            ValueType.CHOICE,
            True,
            "online of op locatie.",
            choices=values_of(Vorm),
            example="op locatie",
        ),
        Column(
            "locatie",
            ValueType.TEXT,
            False,
            "Zaal en adres.",
            example="Raadzaal, Stadhuisplein 1, Voorbeeldstad",
            required_when=RequiredWhen("vorm", Vorm.LOCATIE.value, "de zaal en het adres"),
        ),
        Column(
            "link",
            ValueType.URL,
            False,
            "Vergaderlink (https).",
            example="https://teams.example.nl/sessie-lr-01",
            required_when=RequiredWhen("vorm", Vorm.ONLINE.value, "een vergaderlink (https://...)"),
        ),
        Column(
            "begeleider", ValueType.TEXT, True, "Naam van de begeleider.", example="Karin Bakker"
        ),
        Column(
            "begeleiding",
            ValueType.CHOICE,
            True,
            "HR of extern.",
            choices=values_of(Begeleiding),
            example="HR",
        ),
        Column(
            "prikkelende_vraag",
            ValueType.TEXT,
            False,
            "Eigen prikkelende vraag voor de uitnodiging; anders die van het thema.",
            example="Wat doe jij om zelf te blijven leren?",
        ),
    ),
)

DEELNEMERS = Sheet(
    name="Deelnemers",
    required=True,
    description="Eén rij per persoon.",
    columns=(
        Column(
            "personeelsnummer", ValueType.TEXT, True, "Uniek personeelsnummer.", example="10234"
        ),
        Column("voornaam", ValueType.TEXT, True, "Voornaam.", example="Jan"),
        Column(
            "tussenvoegsel",
            ValueType.TEXT,
            False,
            "Tussenvoegsel, zoals van, de, van der.",
            example="van der",
        ),
        Column(
            "achternaam", ValueType.TEXT, True, "Achternaam zonder tussenvoegsel.", example="Berg"
        ),
        Column(
            "aanhef",
            ValueType.CHOICE,
            True,
            "heer, mevrouw of neutraal (neutraal: 'Beste <voornaam> <achternaam>').",
            choices=values_of(Aanhef),
            example="heer",
        ),
        Column("functie", ValueType.TEXT, False, "Functie.", example="Teamleider Burgerzaken"),
        Column("afdeling", ValueType.TEXT, False, "Afdeling.", example="Publiekszaken"),
        Column(
            "email", ValueType.EMAIL, True, "E-mailadres.", example="j.vanderberg@voorbeeldstad.nl"
        ),
        Column(
            "adres",
            ValueType.TEXT,
            False,
            "Straat en huisnummer. Adres, postcode en plaats samen: brief per post; "
            "anders interne bezorging.",
            example="Dorpsstraat 12",
        ),
        Column("postcode", ValueType.POSTCODE, False, "Postcode (1234 AB).", example="1234 AB"),
        Column("plaats", ValueType.TEXT, False, "Woonplaats.", example="Voorbeeldstad"),
    ),
)

INDELING = Sheet(
    name="Indeling",
    required=True,
    description="Eén rij per persoon per sessie.",
    columns=(
        Column("sessie", ValueType.TEXT, True, "Code uit het blad Sessies.", example="LR-01"),
        Column(
            "personeelsnummer",
            ValueType.TEXT,
            True,
            "Nummer uit het blad Deelnemers.",
            example="10234",
        ),
        Column(
            "rol",
            ValueType.CHOICE,
            False,
            "deelnemer (standaard) of inbrenger: brengt in een themasessie een praktijksituatie "
            "in, bij Intervisie een eigen vraag voor een ronde van 30 minuten.",
            choices=values_of(Rol),
            example="deelnemer",
        ),
    ),
)

UITKOMSTEN = Sheet(
    name="Uitkomsten",
    required=False,
    description="Optioneel, na een sessie in te vullen; voedt het vervolgadvies.",
    columns=(
        Column("sessie", ValueType.TEXT, True, "Code uit het blad Sessies.", example="LR-01"),
        Column(
            "knelpunten",
            ValueType.MULTILINE,
            False,
            "Wat de groep lastig vond.",
            example="Weinig tijd voor leren naast de spits aan de balie.",
        ),
        Column(
            "wat_helpt",
            ValueType.MULTILINE,
            False,
            "Wat helpt om verder te komen.",
            example="Vaste leermomenten in het werkoverleg.",
        ),
        Column(
            "afspraken",
            ValueType.MULTILINE,
            False,
            "Afspraken en vervolgstappen.",
            example="Elke leidinggevende plant een ontwikkelgesprek per kwartaal.",
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (ORGANISATIE, SESSIES, DEELNEMERS, INDELING, UITKOMSTEN)

# The Organisatie sheet is a key/value list; these are its two header names.
ORGANISATIE_KEY = "veld"
ORGANISATIE_VALUE = "waarde"


def normalise_header(text: str) -> str:
    """Header matching per contract: case-insensitive, outer spaces ignored, space == '_'."""
    return text.strip().lower().replace(" ", "_")
