"""What every template field means, in Dutch, for the field guide (`sjablonen velden`).

Keys are field paths as the guide writes them: dotted, with `[]` for the items of a list
(`deelnemers[].naam`). A group that comes back under another name shares its meanings
through ALIASES (the reader of a syllabus, `lezer`, is a person like the addressee of an
invitation, `ontvanger`). tests/render/test_guide.py fails when a context has a field
this table does not explain, or when the table explains a field no context has.
"""

from __future__ import annotations

# A path starting with the key is looked up as if it started with the value.
ALIASES = {
    "lezer": "ontvanger",
    "deelnemers[]": "ontvanger",
    "sessies[]": "sessie",
    "overige_sessies[]": "sessie",
    "themas[]": "thema",
    "methode.rondestappen[]": "thema.rondestappen[]",
}

_PERSON = {
    "ontvanger": "De persoon aan wie het document gericht is.",
    "ontvanger.naam": "Volledige naam: voornaam, tussenvoegsel en achternaam.",
    "ontvanger.achternaam": "Achternaam met tussenvoegsel (met hoofdletter), zoals na 'heer'.",
    "ontvanger.aanhef_regel": "De aanhef van de brief, met komma ('Geachte heer ...,').",
    "ontvanger.formeel": "Ja bij aanhef heer of mevrouw (u-vorm), nee bij neutraal (je-vorm).",
    "ontvanger.functie": "Functie uit het werkboek (leeg als niet ingevuld).",
    "ontvanger.afdeling": "Afdeling uit het werkboek (leeg als niet ingevuld).",
    "ontvanger.email": "E-mailadres uit het werkboek.",
    "ontvanger.per_post": "Ja als er een volledig postadres is (brief per post), anders "
    "nee (interne post).",
    "ontvanger.adresregels": "De regels van het postadres (straat, postcode en plaats); "
    "leeg bij interne post.",
}

_ORGANISATION = {
    "organisatie": "De gegevens van het blad Organisatie.",
    "organisatie.gemeente": "Naam van de gemeente (briefhoofd).",
    "organisatie.plaats": "Plaats van de gemeente, voor de datumregel.",
    "organisatie.afzender_adres": "De regels van het afzenderadres.",
    "organisatie.contactpersoon": "Contactpersoon voor vragen.",
    "organisatie.contact_email": "E-mailadres van de contactpersoon.",
    "organisatie.contact_telefoon": "Telefoonnummer van de contactpersoon (kan leeg zijn).",
    "organisatie.gemeentesecretaris": "Naam van de ondertekenaar.",
    "organisatie.functie_ondertekenaar": "Functie van de ondertekenaar.",
    "organisatie.cyclus": "Naam van de intervisiecyclus.",
    "organisatie.briefdatum": "Datum van de brieven, voluit.",
}

_GENERAL = {
    "algemeen": "De algemene tekst over intervisie (templates/inhoud/algemeen.toml).",
    "algemeen.wat_is": "Wat intervisie is.",
    "algemeen.doelen": "De doelen van intervisie.",
    "algemeen.wat_het_niet_is": "Wat intervisie niet is.",
    "algemeen.spelregels": "De spelregels die altijd gelden.",
    "algemeen.spelregels_probleemronde": "De extra spelregels van de probleemronde.",
    "algemeen.rollen": "De rollen in een sessie.",
    "algemeen.rollen[].naam": "Naam van de rol.",
    "algemeen.rollen[].omschrijving": "Wat de rol doet.",
    "algemeen.rollen[].probleemronde": "Ja als de rol alleen bij de probleemronde hoort.",
    "algemeen.vaardigheden": "De gespreksvaardigheden die je oefent.",
    "algemeen.vertrouwelijkheid": "De tekst over vertrouwelijkheid.",
    "algemeen.duurzame_inzetbaarheid": "De tekst over duurzame inzetbaarheid.",
    "algemeen.grote_groep_regel": "Wat er verandert in een grote groep.",
    "algemeen.vervolg_checklist": "De checklist na afloop van een sessie.",
    "algemeen.advies_grote_groep": "Advies voor een grote groep (vervolgadvies).",
    "algemeen.advies_zonder_uitkomsten": "Tekst voor een vervolgadvies zonder uitkomsten.",
    "algemeen.programma": "De tekst over het programma van de cyclus.",
}

_SESSION = {
    "sessie": "De sessie waar het document over gaat.",
    "sessie.code": "De sessiecode uit het werkboek.",
    "sessie.thema": "Naam van het thema van de sessie.",
    "sessie.datum": "Datum van de sessie, voluit.",
    "sessie.tijd": "Begin- en eindtijd ('14:00 - 15:00').",
    "sessie.begintijd": "Begintijd, uu:mm.",
    "sessie.eindtijd": "Eindtijd, uu:mm.",
    "sessie.duur_minuten": "Duur van de sessie in minuten.",
    "sessie.online": "Ja bij een online sessie.",
    "sessie.vorm": "'online' of 'op locatie'.",
    "sessie.locatie": "De locatie (leeg bij online).",
    "sessie.link": "De link van de online sessie (leeg op locatie).",
    "sessie.link_weergave": "De link zoals hij getoond wordt (mag in een smalle kolom "
    "afbreken); het adres zelf staat in sessie.link.",
    "sessie.plaats": "Waar de sessie is: de locatie, of 'online via' en de link.",
    "sessie.begeleider": "Naam van de begeleider.",
    "sessie.begeleiding": "'HR' of 'extern'.",
    "sessie.begeleiding_tekst": "De begeleiding in een zin ('een begeleider van HR').",
    "sessie.groepsgrootte": "Aantal deelnemers van de sessie.",
    "sessie.omschrijving": "Omschrijving van de afgezegde sessie zoals in de agenda-afspraak.",
    "sessies[].rol": "De rol van de lezer in deze sessie ('deelnemer' of 'inbrenger').",
}

_THEME = {
    "thema": "Het thema van de sessie (templates/inhoud/themas/).",
    "thema.naam": "Naam van het thema.",
    "thema.pijler": "Ja als het thema een pijler is (geen probleemronde).",
    "thema.uitleg": "Uitleg van het thema.",
    "thema.doel": "Doel van het thema.",
    "thema.voorbereiding": "Wat de deelnemer vooraf doet.",
    "thema.inbrenger": "Wat de inbrenger doet.",
    "thema.spelregels": "De spelregels die bij dit thema horen.",
    "thema.standaardvraag": "De eerste prikkelende vraag van het thema.",
    "thema.prikkelende_vragen": "Alle prikkelende vragen van het thema.",
    "thema.heeft_analyse": "Ja als het thema een analysestap heeft.",
    "thema.analyse_categorieen": "De categorieën van de analyse.",
    "thema.analyse_vraag": "De vraag bij de analyse.",
    "thema.beeldvorming": "De vragen voor de beeldvorming.",
    "thema.praktijkvragen": "De praktijkvragen.",
    "thema.focusvraag": "De focusvraag.",
    "thema.vervolgsuggesties": "De suggesties voor het vervolg.",
    "thema.vervolgsuggesties[].titel": "Titel van de suggestie.",
    "thema.vervolgsuggesties[].tekst": "Tekst van de suggestie.",
    "thema.onderscheid_titel": "Kop van de tekst over het onderscheid (kan leeg zijn).",
    "thema.onderscheid": "Tekst over het onderscheid met verwante begrippen.",
    "thema.heeft_rondes": "Ja als het thema de probleemronde gebruikt.",
    "thema.ronde_minuten": "Minuten per ronde (per inbrenger).",
    "thema.rondestappen": "De stappen van één ronde.",
    "thema.rondestappen[].titel": "Titel van de rondestap.",
    "thema.rondestappen[].minuten": "Minuten van de rondestap.",
    "thema.rondestappen[].eigenaar": "Wat de inbrenger in deze stap doet.",
    "thema.rondestappen[].groep": "Wat de groep in deze stap doet.",
    "thema.stappen": "De stappen van het thema.",
    "thema.stappen[].titel": "Titel van de stap.",
    "thema.stappen[].minuten": "Tijd van de stap als tekst ('10 min', 'ca. 20 min').",
    "thema.stappen[].uitleg": "Wat de begeleider in deze stap doet.",
    "thema.stappen[].rondes": "Ja als de stap per inbrenger herhaald wordt.",
}

_DOCUMENT = {
    "documenttitel": "Titel van het document (ook in de documenteigenschappen).",
    "kenmerk": "Kenmerk van de brief: sessiecode/personeelsnummer.",
    "handtekening": "De handtekening uit het werkboek als afbeelding (leeg zonder).",
    "prikkelende_vraag": "De prikkelende vraag van de sessie (uit het werkboek of het thema).",
    "inbrenger": "Ja als de ontvanger in deze sessie inbrenger is.",
    "deelnemers": "De deelnemers van de sessie, op achternaam.",
    "deelnemers[].rol": "Rol in de sessie: 'deelnemer' of 'inbrenger'.",
    "inbrengers": "Namen van de inbrengers van de sessie.",
    "agenda": "De agenda: één regel per stap (en per rondestap).",
    "agenda[].tijd": "Begin- en eindtijd van de regel.",
    "agenda[].minuten": "Minuten van de regel.",
    "agenda[].titel": "Titel van de stap of rondestap.",
    "stappen": "De stappen van deze sessie met hun tijden.",
    "stappen[].titel": "Titel van de stap.",
    "stappen[].tijd": "Begin- en eindtijd van de stap.",
    "stappen[].minuten": "Minuten van de stap in deze sessie.",
    "stappen[].uitleg": "Wat de begeleider doet, passend bij de minuten.",
    "stappen[].inbrenger_start": "Ja als de inbrenger deze stap begint.",
    "stappen[].grote_groep": "Ja als de stap in een grote groep anders loopt.",
    "stappen[].analyse": "Ja bij de analysestap.",
    "stappen[].rondes": "De rondes van de stap (één per inbrenger).",
    "stappen[].rondes[].nummer": "Nummer van de ronde.",
    "stappen[].rondes[].inbrenger": "Naam van de inbrenger (of 'nog te kiezen bij de start').",
    "stappen[].rondes[].tijd": "Begin- en eindtijd van de ronde.",
    "stappen[].rondes[].stappen": "De stappen van de ronde.",
    "stappen[].rondes[].stappen[].titel": "Titel van de rondestap.",
    "stappen[].rondes[].stappen[].tijd": "Begin- en eindtijd van de rondestap.",
    "stappen[].rondes[].stappen[].minuten": "Minuten van de rondestap.",
    "stappen[].rondes[].stappen[].eigenaar": "Wat de inbrenger doet.",
    "stappen[].rondes[].stappen[].groep": "Wat de groep doet.",
    "lezer": "De deelnemer voor wie de syllabus is.",
    "sessies": "De sessies van de lezer, op datum.",
    "cyclus": "Het programma van de lezer in het kort.",
    "cyclus.aantal": "Aantal sessies van de lezer.",
    "cyclus.duur": "Duur van de sessies in minuten ('60' of '60 tot 90').",
    "cyclus.groep": "Groepsgrootte van de sessies ('4' of '4 tot 8').",
    "cyclus.themas": "De thema's van de lezer als opsomming.",
    "themas": "De thema's van de sessies van de lezer.",
    "methode": "De probleemronde, zoals elke syllabus haar beschrijft.",
    "methode.aanwezig": "Ja als er een thema met de probleemronde is.",
    "methode.naam": "Naam van dat thema.",
    "methode.inbrenger": "Wat de inbrenger doet.",
    "methode.uitleg": "Uitleg van de methode.",
    "methode.ronde_minuten": "Minuten per ronde.",
    "methode.rondestappen": "De stappen van één ronde.",
    "grote_groep": "Ja als de groep groot is (zie algemeen.grote_groep_regel).",
    "adviesdatum": "Datum van het advies (leeg bij een concept).",
    "advies": "Het vervolgadvies.",
    "advies.concept": "Ja zolang de sessie geen uitkomsten heeft (concept).",
    "advies.knelpunten": "De knelpunten uit het blad Uitkomsten.",
    "advies.wat_helpt": "Wat helpt, uit het blad Uitkomsten.",
    "advies.acties": "De afspraken uit het blad Uitkomsten.",
    "advies.gekozen": "De suggesties die passen bij wat de groep meldde.",
    "advies.gekozen[].titel": "Titel van de suggestie.",
    "advies.gekozen[].tekst": "Tekst van de suggestie.",
    "advies.gekozen[].aanleiding": "Het gemelde punt dat tot de suggestie leidde.",
    "advies.overige": "De andere suggesties.",
    "advies.overige[].titel": "Titel van de suggestie.",
    "advies.overige[].tekst": "Tekst van de suggestie.",
}

_CHANGES = {
    "overige_sessies": "Afzegging: de andere sessies van de ontvanger die wel doorgaan, op "
    "tijd gesorteerd (leeg als er geen zijn).",
    "overige_sessies[].rol": "De rol van de ontvanger in die sessie ('deelnemer' of "
    "'inbrenger').",
    "sessie.titel": "Afzegging: de omschrijving van de sessie zonder code ('Intervisie "
    "Leerruimte'), voor het onderwerp.",
    "thema.bij_tijdgebrek": "Voor de begeleider: wat in te korten als de tijd krap is.",
    "thema.doel_in_zin": "Het doel met een kleine letter, voor na een dubbelepunt.",
    "thema.praktijkvragen_kort": "De praktijkvragen in het kort (je-vorm), voor de "
    "uitnodiging.",
    "thema.praktijkvragen_kort_u": "De praktijkvragen in het kort in de u-vorm.",
    "wijziging": "Uitnodiging: of deze brief een eerdere vervangt, en wat er veranderde "
    "(uit het register: wat de vorige versie van de uitnodiging zei).",
    "wijziging.vervangt": "Ja als deze uitnodiging een eerder gemaakte vervangt (nee bij de "
    "eerste uitnodiging).",
    "wijziging.eerdere_datum": "De briefdatum van de uitnodiging die deze vervangt (leeg als "
    "die niet bekend is).",
    "wijziging.wat": "Wat er veranderde, elk als stukje zin in de vorm van de brief (u of "
    "je): datum en tijd, plaats of link, begeleiding, rol.",
    "wijziging.samenvatting": "Eén of twee zinnen: welke uitnodiging deze vervangt en wat "
    "er veranderde (ook de eerste alinea van de e-mail).",
}

MEANINGS: dict[str, str] = {
    **_CHANGES,
    **_PERSON,
    **_ORGANISATION,
    **_GENERAL,
    **_SESSION,
    **_THEME,
    **_DOCUMENT,
}


def canonical(path: str) -> str:
    """The path under which MEANINGS explains `path`: itself, or through an alias."""
    if path in MEANINGS:
        return path
    for alias, target in ALIASES.items():
        if path == alias or path.startswith(f"{alias}."):
            return target + path[len(alias) :]
    return path


def meaning(path: str) -> str | None:
    return MEANINGS.get(canonical(path))
