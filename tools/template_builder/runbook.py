"""draaiboek.docx: the facilitator's runbook, one per session, with a schedule on the clock."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from tools.template_builder.style import house_style, keep_with_next, loop_list, para, tag
from tools.template_builder.tables import facts, table


def draaiboek() -> DocumentObject:
    doc = house_style("Draaiboek")
    doc.add_heading("Draaiboek {{ thema.naam }} – {{ sessie.code }}", level=0)
    facts(
        doc,
        [
            ("Datum", "{{ sessie.datum }}"),
            ("Tijd", "{{ sessie.tijd }} uur ({{ sessie.duur_minuten }} minuten)"),
            ("{% if sessie.online %}Online{% else %}Locatie{% endif %}", "LINK"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding }})"),
            ("Groepsgrootte", "{{ sessie.groepsgrootte }}"),
        ],
    )
    _participants_and_agreements(doc)
    _schedule(doc)
    _steps(doc)
    _after_the_steps(doc)
    return doc


def _participants_and_agreements(doc: DocumentObject) -> None:
    """The participants, the aim and the agreements to make at the start."""
    doc.add_heading("Deelnemers", level=1)
    table(
        doc,
        ["Naam", "Functie en afdeling", "Rol"],
        [
            "{{ d.naam }}",
            "{{ d.functie }}{% if d.functie and d.afdeling %}, {% endif %}{{ d.afdeling }}",
            "{{ d.rol }}",
        ],
        "d in deelnemers",
        [50, 85, 25],
    )
    tag(doc, "{%p if inbrengers %}")
    para(doc, "Inbrenger in deze werkvorm: {{ thema.inbrenger }}", italic=True)
    tag(doc, "{%p endif %}")
    doc.add_heading("Doel en afspraken", level=1)
    para(doc, "{{ thema.doel }}")
    para(doc, "{{ thema.uitleg }}")
    keep_with_next(para(doc, "Maak bij de start deze afspraken:", bold=True))
    loop_list(doc, "thema.spelregels", "{{ item }}")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    para(doc, "Prikkelende vraag uit de uitnodiging: „{{ prikkelende_vraag }}”", italic=True)


def _schedule(doc: DocumentObject) -> None:
    """The schedule on the clock and what to drop when time runs short."""
    doc.add_heading("Tijdschema", level=1)
    table(
        doc,
        ["Tijd", "Min.", "Onderdeel"],
        ["{{ r.tijd }}", "{{ r.minuten }}", "{{ r.titel }}"],
        "r in agenda",
        [30, 15, 115],
    )
    tag(doc, "{%p if thema.bij_tijdgebrek %}")
    keep_with_next(para(doc, "Als de tijd krap is", bold=True))
    para(doc, "{{ thema.bij_tijdgebrek }}")
    tag(doc, "{%p endif %}")


def _steps(doc: DocumentObject) -> None:
    """Per step its explanation and, for round-based methods, each round's roles and times."""
    doc.add_heading("Per stap", level=1)
    tag(doc, "{%p for stap in stappen %}")
    doc.add_heading("{{ stap.tijd }}  {{ stap.titel }} ({{ stap.minuten }} min)", level=2)
    tag(doc, "{%p if stap.inbrenger_start and inbrengers %}")
    para(
        doc,
        "Begin met de praktijksituatie van de inbrenger: {{ inbrengers|join(', ') }}. "
        "Laat daarna de anderen aanvullen met hun eigen voorbeelden.",
        bold=True,
    )
    tag(doc, "{%p endif %}")
    para(doc, "{{ stap.uitleg }}")
    tag(doc, "{%p if stap.grote_groep %}")
    para(doc, "Grote groep: {{ algemeen.grote_groep_regel }}", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if stap.analyse %}")
    keep_with_next(para(doc, "{{ thema.analyse_vraag }}"))
    loop_list(doc, "thema.analyse_categorieen", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ronde in stap.rondes %}")
    doc.add_heading(
        "Ronde {{ ronde.nummer }}: inbrenger {{ ronde.inbrenger }} ({{ ronde.tijd }})", level=3
    )
    # The roles per step once, in the first round; later rounds only what differs: the
    # inbrenger and the clock.
    tag(doc, "{%p if loop.first %}")
    table(
        doc,
        ["Tijd", "Stap", "Inbrenger", "Groep"],
        [
            "{{ s.tijd }}",
            "{{ s.titel }} ({{ s.minuten }} min)",
            "{{ s.eigenaar }}",
            "{{ s.groep }}",
        ],
        "s in ronde.stappen",
        [25, 35, 50, 50],
    )
    tag(doc, "{%p else %}")
    keep_with_next(para(doc, "Dezelfde stappen en rollen als in ronde 1:", italic=True))
    table(
        doc,
        ["Tijd", "Stap"],
        ["{{ s.tijd }}", "{{ s.titel }} ({{ s.minuten }} min)"],
        "s in ronde.stappen",
        [25, 135],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def _after_the_steps(doc: DocumentObject) -> None:
    """Topics for the picture-forming, the practice questions and the checklist afterwards."""
    tag(doc, "{%p if thema.beeldvorming %}")
    doc.add_heading("Onderwerpen voor de beeldvorming", level=1)
    loop_list(doc, "thema.beeldvorming", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    doc.add_heading("Praktijksituatie uitvragen", level=1)
    loop_list(doc, "thema.praktijkvragen", "{{ item }}", style="List Number")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    doc.add_heading("Checklist na afloop", level=1)
    loop_list(doc, "algemeen.vervolg_checklist", "☐ {{ item }}", style="Normal", together=True)

