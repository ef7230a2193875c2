"""vervolgadvies.docx: the follow-up advice, one per session, filled in with the outcomes
once they are known.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from tools.template_builder.style import house_style, keep_with_next, loop_list, para, tag
from tools.template_builder.tables import blank_table, facts


def vervolgadvies() -> DocumentObject:
    doc = house_style("Vervolgadvies")
    doc.add_heading(
        "Vervolgadvies {{ thema.naam }} – {{ sessie.code }}"
        "{% if advies.concept %} (concept){% endif %}",
        level=0,
    )
    facts(
        doc,
        [
            (
                "Datum",
                "{{ adviesdatum }}",
            ),
            ("Van", "{{ organisatie.contactpersoon }}, HR ({{ organisatie.contact_email }})"),
            ("Aan", "De leidinggevenden van de groep: {{ deelnemers|join(', ') }}"),
            ("Sessie", "{{ sessie.code }}, {{ sessie.datum }}, {{ sessie.tijd }} uur"),
            ("Thema", "{{ thema.naam }}"),
            ("Begeleiding", "{{ sessie.begeleider }} ({{ sessie.begeleiding }})"),
        ],
    )
    _outcomes(doc)
    _advice(doc)
    return doc


def _outcomes(doc: DocumentObject) -> None:
    """A draft's blank tables to fill in, or what the session yielded."""
    tag(doc, "{%p if advies.concept %}")
    para(doc, "{{ algemeen.advies_zonder_uitkomsten }}", italic=True)
    doc.add_heading("Wat de groep lastig vindt", level=2)
    blank_table(doc, ["In te vullen na de sessie"], 3, [160])
    doc.add_heading("Wat helpt om verder te komen", level=2)
    blank_table(doc, ["In te vullen na de sessie"], 3, [160])
    doc.add_heading("Afspraken", level=2)
    blank_table(doc, ["Afspraak", "Wie", "Wanneer"], 3, [100, 35, 25])
    tag(doc, "{%p else %}")
    doc.add_heading("Wat de sessie opleverde", level=1)
    tag(doc, "{%p if advies.knelpunten %}")
    doc.add_heading("Wat de groep lastig vond", level=2)
    loop_list(doc, "advies.knelpunten", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if advies.wat_helpt %}")
    doc.add_heading("Wat helpt om verder te komen", level=2)
    loop_list(doc, "advies.wat_helpt", "{{ item }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if advies.acties %}")
    doc.add_heading("Actielijst", level=2)
    keep_with_next(para(doc, "Deze afspraken maakte de groep; vink ze af als ze zijn gedaan."))
    loop_list(doc, "advies.acties", "☐ {{ item }}", style="Normal", together=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def _advice(doc: DocumentObject) -> None:
    """The chosen suggestions with their reasons, further options and planning notes."""
    doc.add_heading("Advies", level=1)
    tag(doc, "{%p if not advies.concept and advies.overige %}")
    para(doc, "De suggesties hieronder zijn gekozen en geordend naar wat de groep inbracht.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for suggestie in advies.gekozen %}")
    doc.add_heading("{{ suggestie.titel }}", level=2)
    # The reason and the advice in one paragraph, kept whole: the reason is never left
    # at the foot of a page without the advice it explains.
    tag(doc, "{%p if suggestie.aanleiding %}")
    reasoned = doc.add_paragraph()
    reason = reasoned.add_run("Aanleiding: de groep noemde „{{ suggestie.aanleiding }}”")
    reason.italic = True
    reason.add_break()
    reasoned.add_run("{{ suggestie.tekst }}")
    reasoned.paragraph_format.keep_together = True
    tag(doc, "{%p else %}")
    para(doc, "{{ suggestie.tekst }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if advies.overige %}")
    doc.add_heading("Verder mogelijk", level=2)
    loop_list(doc, "advies.overige", "{{ item.titel }}: {{ item.tekst }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if thema.onderscheid %}")
    doc.add_heading("{{ thema.onderscheid_titel }}", level=2)
    para(doc, "{{ thema.onderscheid }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if grote_groep %}")
    doc.add_heading("Meer sessies plannen", level=2)
    para(
        doc,
        "Deze groep telt {{ sessie.groepsgrootte }} deelnemers. {{ algemeen.advies_grote_groep }}",
    )
    tag(doc, "{%p endif %}")

