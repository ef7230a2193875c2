"""uitnodiging.docx: the invitation letter, one per person per session."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt

from tools.template_builder.letter import closing_block, letter_head, letter_style
from tools.template_builder.style import keep_with_next, lead, loop_list, para, tag
from tools.template_builder.tables import facts

U = "{% if ontvanger.formeel %}"  # the letter's register: 'u' ...
JE = "{% else %}"  # ... or 'je'
END = "{% endif %}"


def uitnodiging() -> DocumentObject:
    doc = letter_style("Uitnodiging")
    # The code is in the reference (kenmerk); the subject says what and when.
    letter_head(
        doc,
        "{% if wijziging.vervangt %}Gewijzigde uitnodiging{% else %}Uitnodiging{% endif %}"
        " intervisie{% if thema.pijler %} {{ thema.naam }}"
        "{% else %} (probleemronde){% endif %} op {{ sessie.datum }}",
    )
    _opening(doc)
    _preparation(doc)
    return doc


def _opening(doc: DocumentObject) -> None:
    """The replaced-letter note, the invitation itself, the question and the facts."""
    # A re-sent invitation says first that it replaces the earlier one and what changed
    # (the register remembers what the earlier version said; the sentence follows the
    # letter's u or je, and the e-mail opens with the same sentence).
    tag(doc, "{%p if wijziging.vervangt %}")
    para(doc, "{{ wijziging.samenvatting }}", bold=True)
    tag(doc, "{%p endif %}")
    para(
        doc,
        f"Graag nodig ik {U}u{JE}je{END} uit voor een intervisiesessie voor leidinggevenden"
        "{% if thema.pijler %} over {{ thema.naam|lower }}{% endif %} op "
        "{{ sessie.datum }}. {{ thema.uitleg }}",
    )
    para(doc, "Doel van de sessie: {{ thema.doel_in_zin }}")
    keep_with_next(para(doc, "Een vraag om alvast over na te denken:"))
    question = para(doc, "„{{ prikkelende_vraag }}”", italic=True)
    question.paragraph_format.left_indent = Mm(8)
    doc.add_heading("Praktische informatie", level=2)
    # No group size: it is no reason to send the letter again (documents/matters.py), so
    # the letter must not state it.
    facts(
        doc,
        [
            ("Wanneer", "{{ sessie.datum }}, {{ sessie.tijd }} uur"),
            ("{% if sessie.online %}Online{% else %}Locatie{% endif %}", "LINK"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding_tekst }})"),
        ],
    )


def _preparation(doc: DocumentObject) -> None:
    """What to prepare: the inbrenger's role or the theme's preparation, and the short questions."""
    # The preparation: for an inbrenger what that role asks, addressed to the reader
    # (not the method's third-person description, which is for the facilitator).
    tag(doc, "{%p if inbrenger and thema.heeft_rondes %}")
    keep_with_next(
        lead(
            doc,
            f"{U}U bent{JE}Je bent{END} inbrenger",
            f"Breng één actueel vraagstuk uit {U}uw{JE}je{END} eigen werk mee dat nog niet "
            f"is opgelost. Het krijgt een eigen ronde van {{{{ thema.ronde_minuten }}}} "
            f"minuten: {U}u licht{JE}je licht{END} het toe, de groep vraagt door en denkt mee "
            f"terwijl {U}u{JE}jij{END} luistert, en tot slot {U}vertelt u{JE}vertel je{END} "
            f"wat {U}u meeneemt{JE}je meeneemt{END}. Deze vragen helpen bij de voorbereiding:",
        )
    )
    tag(doc, "{%p elif inbrenger %}")
    keep_with_next(
        lead(
            doc,
            f"{U}U bent{JE}Je bent{END} inbrenger",
            f"Werk vooraf één praktijksituatie uit {U}uw{JE}je{END} eigen werk uit met de "
            f"vragen hieronder. Met {U}uw{JE}jouw{END} situatie begint de eerste "
            "voorbeeldronde: de groep bespreekt die als eerste en wat uitgebreider.",
        )
    )
    tag(doc, "{%p else %}")
    preparation = "{{ thema.voorbereiding }} De praktijkvragen in het kort:"
    keep_with_next(lead(doc, "Voorbereiding", preparation))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if ontvanger.formeel %}")
    short = loop_list(doc, "thema.praktijkvragen_kort_u", "{{ item }}", together=True)
    short.paragraph_format.space_after = Pt(1)
    tag(doc, "{%p else %}")
    short = loop_list(doc, "thema.praktijkvragen_kort", "{{ item }}", together=True)
    short.paragraph_format.space_after = Pt(1)
    tag(doc, "{%p endif %}")
    closing_block(
        doc,
        ("Vertrouwelijk", "{{ algemeen.vertrouwelijkheid }}"),
        (
            "",
            f"{U}Hebt u vragen, of kunt u{JE}Heb je vragen, of kun je{END} onverhoopt niet "
            "aanwezig zijn? Neem dan contact op met {{ organisatie.contactpersoon }} via "
            "{{ organisatie.contact_email }}"
            "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}"
            "{% endif %}.",
        ),
        ("", f"Ik hoop {U}u{JE}je{END} te zien bij de sessie."),
    )

