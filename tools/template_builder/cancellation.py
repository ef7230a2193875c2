"""afzegging.docx: the letter for a booking that no longer applies."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from tools.template_builder.letter import closing_block, letter_head, letter_style
from tools.template_builder.style import keep_with_next, loop_list, para, tag


def afzegging() -> DocumentObject:
    """The short letter for a booking that no longer applies: the invitation's house
    style, sender, window-envelope address block, reference and signature."""
    doc = letter_style("Afzegging")
    letter_head(
        doc, "Afzegging {{ sessie.titel }} op {{ sessie.datum }} om {{ sessie.begintijd }} uur"
    )
    para(
        doc,
        "Eerder {% if ontvanger.formeel %}hebt u{% else %}heb je{% endif %} een uitnodiging "
        "ontvangen voor de sessie {{ sessie.omschrijving }} op {{ sessie.datum }} van "
        "{{ sessie.tijd }} "
        "uur{% if sessie.plaats %} ({{ sessie.plaats }}){% endif %}. Door een wijziging in de "
        "indeling gaat deze sessie voor {% if ontvanger.formeel %}u{% else %}jou{% endif %} "
        "niet door. De afspraak in {% if ontvanger.formeel %}uw{% else %}je{% endif %} agenda "
        "vervalt; een bericht van de agenda volgt per e-mail.",
    )
    tag(doc, "{%p if overige_sessies %}")
    keep_with_next(
        para(
            doc,
            "{% if ontvanger.formeel %}Uw{% else %}Je{% endif %} andere "
            "{% if overige_sessies|length == 1 %}sessie in deze cyclus gaat"
            "{% else %}sessies in deze cyclus gaan{% endif %} wel door:",
        )
    )
    loop_list(
        doc,
        "overige_sessies",
        "{{ item.thema }} ({{ item.code }}): {{ item.datum }}, {{ item.tijd }} uur, "
        "{{ item.plaats }}",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Voor een andere sessie van deze cyclus {% if ontvanger.formeel %}bent u{% else %}ben je"
        "{% endif %} op dit moment niet ingedeeld.",
    )
    tag(doc, "{%p endif %}")
    closing_block(
        doc,
        (
            "",
            "{% if ontvanger.formeel %}Hebt u vragen? Neem dan{% else %}Heb je vragen? Neem dan"
            "{% endif %} contact op met {{ organisatie.contactpersoon }} via "
            "{{ organisatie.contact_email }}"
            "{% if organisatie.contact_telefoon %} of {{ organisatie.contact_telefoon }}"
            "{% endif %}.",
        ),
    )
    return doc


