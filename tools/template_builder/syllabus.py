"""syllabus.docx: one per participant, with the ground rules, the methods and the reader's
own sessions.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt

from tools.template_builder.style import house_style, keep_with_next, loop_list, para, tag
from tools.template_builder.tables import place_cell, table

SU = "{% if lezer.formeel %}"  # the syllabus follows its reader's register too
SJE = "{% else %}"
SEND = "{% endif %}"


def syllabus() -> DocumentObject:
    doc = house_style("Syllabus")
    doc.add_heading("Syllabus intervisie", level=0)
    _cover(doc)
    _about_intervision(doc)
    _methods(doc)
    _preparation(doc)
    return doc


def _cover(doc: DocumentObject) -> None:
    """The reader's own sessions and the cycle in a few lines (the first page)."""
    para(doc, "{{ organisatie.cyclus }}", style="Subtitle")
    para(
        doc,
        "Persoonlijk exemplaar voor {{ lezer.naam }}"
        "{% if lezer.functie %}, {{ lezer.functie }}{% endif %}",
        bold=True,
    )
    doc.add_heading(f"{SU}Uw{SJE}Jouw{SEND} sessies", level=2)
    # Date and time together in one column wide enough for the longest date ('donderdag
    # 30 september 2027') on one line, the time on the line below.
    sessions = table(
        doc,
        ["Wanneer", "Thema", "Waar", "Rol"],
        [
            "{{ s.datum }}",
            "{{ s.thema }} ({{ s.code }}), begeleiding {{ s.begeleider }}",
            "",
            "{{ s.rol }}",
        ],
        "s in sessies",
        [50, 46, 44, 20],
    )
    sessions.rows[2].cells[0].add_paragraph("{{ s.tijd }} uur")
    place_cell(sessions.rows[2].cells[2], "s")
    for row in sessions.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    para(
        doc,
        f"In deze cyclus {SU}neemt u{SJE}neem je{SEND} deel aan {{{{ cyclus.aantal }}}} "
        "{% if cyclus.aantal == 1 %}sessie{% else %}sessies{% endif %} over "
        "{{ cyclus.themas }}, van {{ cyclus.duur }} minuten, in "
        "{% if cyclus.aantal == 1 %}een groep{% else %}groepen{% endif %} van "
        "{{ cyclus.groep }} leidinggevenden.",
    )
    para(
        doc,
        "Vragen? {{ organisatie.contactpersoon }}, {{ organisatie.contact_email }}"
        "{% if organisatie.contact_telefoon %}, {{ organisatie.contact_telefoon }}"
        "{% endif %}.",
    )


def _about_intervision(doc: DocumentObject) -> None:
    """What intervision is and is not, the ground rules, the roles and the skills."""
    doc.add_page_break()
    doc.add_heading("Wat is intervisie?", level=1)
    para(doc, "{{ algemeen.wat_is }}")
    para(doc, "{{ algemeen.duurzame_inzetbaarheid }}")
    para(doc, "{{ algemeen.programma }}")
    doc.add_heading("Waarom intervisie?", level=2)
    loop_list(doc, "algemeen.doelen", "{{ item }}")
    doc.add_heading("Wat intervisie niet is", level=2)
    loop_list(doc, "algemeen.wat_het_niet_is", "{{ item }}")
    doc.add_heading("Spelregels", level=1)
    keep_with_next(para(doc, "In elke sessie:"))
    loop_list(doc, "algemeen.spelregels", "{{ item }}")
    tag(doc, "{%p if methode.aanwezig %}")
    keep_with_next(para(doc, "In de probleemronde ook:"))
    loop_list(doc, "algemeen.spelregels_probleemronde", "{{ item }}", together=True)
    tag(doc, "{%p endif %}")
    para(doc, "{{ algemeen.vertrouwelijkheid }}")
    doc.add_heading("Rollen", level=1)
    tag(doc, "{%p for rol in algemeen.rollen %}")
    tag(doc, "{%p if methode.aanwezig or not rol.probleemronde %}")
    role = para(
        doc, "{{ rol.naam }}{% if rol.probleemronde %} (in de probleemronde){% endif %}", bold=True
    )
    role.paragraph_format.space_after = Pt(0)
    keep_with_next(role)
    para(doc, "{{ rol.omschrijving }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    doc.add_heading(f"Vaardigheden die {SU}u oefent{SJE}je oefent{SEND}", level=1)
    loop_list(doc, "algemeen.vaardigheden", "{{ item }}")


def _methods(doc: DocumentObject) -> None:
    """The methods of the cycle's themes and the problem round."""
    doc.add_heading("De werkvormen", level=1)
    tag(doc, "{%p for thema in themas %}")
    tag(doc, "{%p if not thema.heeft_rondes %}")
    doc.add_heading("{{ thema.naam }}", level=2)
    para(doc, "{{ thema.uitleg }}")
    keep_with_next(para(doc, "Zo verloopt de sessie:"))
    table(
        doc,
        ["Stap", "Tijd"],
        ["{{ st.titel }}", "{{ st.minuten }}"],
        "st in thema.stappen",
        [120, 40],
    )
    para(doc, "Als inbrenger: {{ thema.inbrenger }}")
    tag(doc, "{%p if thema.onderscheid %}")
    para(doc, "{{ thema.onderscheid }}", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if methode.aanwezig %}")
    doc.add_heading("De probleemronde ({{ methode.ronde_minuten }} minuten per inbrenger)", level=2)
    para(doc, "{{ methode.uitleg }}")
    table(
        doc,
        ["Stap", "Min.", "Inbrenger", "Groep"],
        ["{{ rs.titel }}", "{{ rs.minuten }}", "{{ rs.eigenaar }}", "{{ rs.groep }}"],
        "rs in methode.rondestappen",
        [35, 15, 55, 55],
    )
    para(doc, "Als inbrenger: {{ methode.inbrenger }}")
    tag(doc, "{%p endif %}")


def _preparation(doc: DocumentObject) -> None:
    """Per theme the preparation and its numbered practice questions."""
    doc.add_heading(f"Voorbereiding: {SU}uw{SJE}je{SEND} praktijksituatie", level=1)
    tag(doc, "{%p for thema in themas %}")
    doc.add_heading("{{ thema.naam }}", level=2)
    para(doc, "{{ thema.voorbereiding }}")
    # Inside the loop over themes one Word list would number on across themes
    # (1-5, 6-10, ...): the number is written out instead.
    tag(doc, "{%p for item in thema.praktijkvragen %}")
    question = para(doc, "{{ loop.index }}.\t{{ item }}")
    question.paragraph_format.left_indent = Mm(8)
    question.paragraph_format.first_line_indent = Mm(-8)
    question.paragraph_format.tab_stops.add_tab_stop(Mm(8))
    # The questions and the focus question are one block: never 'Voor extra focus'
    # alone on a page, cut off from the list it belongs to.
    keep_with_next(question)
    tag(doc, "{%p endfor %}")
    para(doc, "Voor extra focus: {{ thema.focusvraag }}", bold=True)
    tag(doc, "{%p endfor %}")

