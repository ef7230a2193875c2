"""The workbook contract as data: sheets, columns, kinds and their Dutch explanations.

The reader, the validator, `nieuw-werkboek` and its Toelichting sheet all read this
one description, so the contract is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
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
class Column:
    name: str
    kind: Kind
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    example: str = ""


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


VORM_ONLINE = "online"
VORM_LOCATIE = "op locatie"
BEGELEIDING = ("HR", "extern")
AANHEF = ("heer", "mevrouw", "neutraal")
ROL_DEELNEMER = "deelnemer"
ROL_INBRENGER = "inbrenger"

ORGANISATIE = Sheet(
    name="Organisatie",
    required=True,
    description=(
        "Gegevens van de gemeente en de cyclus: één veld per rij (kolommen veld en waarde)."
    ),
    columns=(
        Column(
            "gemeente",
            Kind.TEXT,
            True,
            "Naam van de gemeente, als briefhoofd.",
            example="Gemeente Voorbeeldstad",
        ),
        Column(
            "gemeentesecretaris",
            Kind.TEXT,
            True,
            "Volledige naam van de gemeentesecretaris die de uitnodigingen ondertekent.",
            example="drs. A.M. (Anneke) Jansen",
        ),
        Column(
            "functie_ondertekenaar",
            Kind.TEXT,
            False,
            "Functie onder de handtekening; standaard 'Gemeentesecretaris'.",
            example="Gemeentesecretaris",
        ),
        Column(
            "handtekening",
            Kind.PATH,
            False,
            "Pad (ten opzichte van het werkboek) naar een PNG- of JPEG-afbeelding van de "
            "handtekening.",
            example="handtekening.png",
        ),
        Column(
            "afzender_adres",
            Kind.MULTILINE,
            True,
            "Postadres van de afzender; elke regel op een eigen regel in de cel (Alt+Enter).",
            example="Postbus 100\n1234 AB Voorbeeldstad",
        ),
        Column(
            "contactpersoon",
            Kind.TEXT,
            True,
            "HR-contactpersoon die in de brieven staat.",
            example="Fatima el Amrani",
        ),
        Column(
            "contact_email",
            Kind.EMAIL,
            True,
            "E-mailadres van de contactpersoon.",
            example="hr@voorbeeldstad.nl",
        ),
        Column(
            "contact_telefoon",
            Kind.TEXT,
            False,
            "Telefoonnummer van de contactpersoon.",
            example="14 0123",
        ),
        Column(
            "cyclus",
            Kind.TEXT,
            True,
            "Naam van de cyclus; komt in de bestandsnamen en het archief.",
            example="Intervisie voorjaar 2027",
        ),
        Column(
            "plaats",
            Kind.TEXT,
            False,
            "Plaats boven de brief; standaard de gemeentenaam zonder 'Gemeente'.",
            example="Voorbeeldstad",
        ),
        Column(
            "briefdatum",
            Kind.DATE,
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
        Column("sessie", Kind.TEXT, True, "Unieke code van de sessie.", example="LR-01"),
        Column(
            "thema",
            Kind.CHOICE,
            True,
            "Thema: Leerruimte, Autonomie, Participatie of Intervisie (algemene "
            "probleemronde); hoofdletters maken niet uit.",
            example="Leerruimte",
        ),
        Column(
            "datum",
            Kind.DATE,
            True,
            "Datum van de sessie (datumcel of dd-mm-jjjj).",
            example="09-03-2027",
        ),
        Column("begintijd", Kind.TIME, True, "Begintijd (tijdcel of uu:mm).", example="14:00"),
        Column(
            "duur_minuten",
            Kind.INTEGER,
            False,
            "Duur in minuten; standaard de duur van het thema (60 voor de thema-sessies, "
            "bij Intervisie genoeg voor één ronde van 30 minuten per inbrenger).",
            example="60",
        ),
        Column(
            "vorm",
            Kind.CHOICE,
            True,
            "online of op locatie.",
            choices=(VORM_ONLINE, VORM_LOCATIE),
            example="op locatie",
        ),
        Column(
            "locatie",
            Kind.TEXT,
            False,
            "Zaal en adres; verplicht bij 'op locatie'.",
            example="Raadzaal, Stadhuisplein 1, Voorbeeldstad",
        ),
        Column(
            "link",
            Kind.URL,
            False,
            "Vergaderlink (https); verplicht bij 'online'.",
            example="https://teams.example.nl/sessie-lr-01",
        ),
        Column("begeleider", Kind.TEXT, True, "Naam van de begeleider.", example="Karin Bakker"),
        Column(
            "begeleiding", Kind.CHOICE, True, "HR of extern.", choices=BEGELEIDING, example="HR"
        ),
        Column(
            "prikkelende_vraag",
            Kind.TEXT,
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
        Column("personeelsnummer", Kind.TEXT, True, "Uniek personeelsnummer.", example="10234"),
        Column("voornaam", Kind.TEXT, True, "Voornaam.", example="Jan"),
        Column(
            "tussenvoegsel",
            Kind.TEXT,
            False,
            "Tussenvoegsel, zoals van, de, van der.",
            example="van der",
        ),
        Column("achternaam", Kind.TEXT, True, "Achternaam zonder tussenvoegsel.", example="Berg"),
        Column(
            "aanhef",
            Kind.CHOICE,
            True,
            "heer, mevrouw of neutraal (neutraal: 'Beste <voornaam> <achternaam>').",
            choices=AANHEF,
            example="heer",
        ),
        Column("functie", Kind.TEXT, False, "Functie.", example="Teamleider Burgerzaken"),
        Column("afdeling", Kind.TEXT, False, "Afdeling.", example="Publiekszaken"),
        Column("email", Kind.EMAIL, True, "E-mailadres.", example="j.vanderberg@voorbeeldstad.nl"),
        Column(
            "adres",
            Kind.TEXT,
            False,
            "Straat en huisnummer. Adres, postcode en plaats samen: brief per post; "
            "anders interne bezorging.",
            example="Dorpsstraat 12",
        ),
        Column("postcode", Kind.POSTCODE, False, "Postcode (1234 AB).", example="1234 AB"),
        Column("plaats", Kind.TEXT, False, "Woonplaats.", example="Voorbeeldstad"),
    ),
)

INDELING = Sheet(
    name="Indeling",
    required=True,
    description="Eén rij per persoon per sessie.",
    columns=(
        Column("sessie", Kind.TEXT, True, "Code uit het blad Sessies.", example="LR-01"),
        Column(
            "personeelsnummer", Kind.TEXT, True, "Nummer uit het blad Deelnemers.", example="10234"
        ),
        Column(
            "rol",
            Kind.CHOICE,
            False,
            "deelnemer (standaard) of inbrenger (brengt de casus in).",
            choices=(ROL_DEELNEMER, ROL_INBRENGER),
            example="deelnemer",
        ),
    ),
)

UITKOMSTEN = Sheet(
    name="Uitkomsten",
    required=False,
    description="Optioneel, na een sessie in te vullen; voedt het vervolgadvies.",
    columns=(
        Column("sessie", Kind.TEXT, True, "Code uit het blad Sessies.", example="LR-01"),
        Column(
            "knelpunten",
            Kind.MULTILINE,
            False,
            "Wat de groep lastig vond.",
            example="Weinig tijd voor leren naast de spits aan de balie.",
        ),
        Column(
            "wat_helpt",
            Kind.MULTILINE,
            False,
            "Wat helpt om verder te komen.",
            example="Vaste leermomenten in het werkoverleg.",
        ),
        Column(
            "afspraken",
            Kind.MULTILINE,
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
