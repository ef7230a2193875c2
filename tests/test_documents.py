"""Every kind of document, generated from the example workbook and read back."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.content.model import Content
from pipeline.identity import id_key
from pipeline.run import RunResult
from tests.docx_text import body_lines, header_footer_text, open_docx

GOLDEN = Path(__file__).parent / "golden"
ZWSP = "\u200b"  # break chances in long links: invisible, not part of the text
TIME_RANGE = re.compile(r"^(\d\d:\d\d) - (\d\d:\d\d)$")


def doc(run: RunResult, relpath: str) -> Path:
    path = run.target / relpath
    assert path.exists(), f"{relpath} was not generated"
    return path


def one(run: RunResult, folder: str, fragment: str) -> Path:
    matches = sorted((run.target / folder).glob(f"*{fragment}*.docx"))
    assert len(matches) == 1, matches
    return matches[0]


def text(path: Path) -> str:
    return "\n".join(body_lines(path))


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


# --- invitations ---------------------------------------------------------------------


def test_one_invitation_per_booking(example_run: RunResult) -> None:
    assert example_run.counts == {
        "uitnodiging": 59,
        "agenda": 59,
        "draaiboek": 9,
        "syllabus": 41,
        "vervolgadvies": 9,
    }
    assert len(list((example_run.target / "uitnodigingen").glob("*.docx"))) == 59


def test_invitation_by_post_with_salutation_and_practical_facts(example_run: RunResult) -> None:
    body = text(one(example_run, "uitnodigingen", "lr-01-4518"))
    assert "Ingrid van der Linden" in body
    assert "Helmgras 41" in body and "1972 CX  Bergvliet aan Zee" in body
    assert "Geachte mevrouw Van der Linden," in body
    assert "dinsdag 9 maart 2027" in body
    assert "14:00 - 15:00 uur" in body
    assert "Raadzaal, Raadhuisplein 1, 1971 AB Bergvliet aan Zee" in body
    assert "Marco de Graaf (een begeleider van HR)" in body
    assert "mr. drs. E.J. (Evelien) Bouwmeester" in body
    assert "Gemeentesecretaris / algemeen directeur" in body
    assert "Datum\t16 februari 2027\n" in body  # no place, no weekday
    assert "ingedeeld als inbrenger" not in body
    assert "Gemeente Bergvliet aan Zee" in header_footer_text(
        one(example_run, "uitnodigingen", "lr-01-4518")
    )


def test_inbrenger_is_asked_to_bring_the_case(example_run: RunResult) -> None:
    body = text(one(example_run, "uitnodigingen", "lr-01-4512"))
    assert "Geachte heer Hoekstra," in body
    # Addressed to the reader, in the letter's register; nothing meant for the facilitator.
    assert "U bent inbrenger. Werk vooraf één praktijksituatie uit uw eigen werk uit" in body
    assert "De inbrenger" not in body and "grote groep" not in body


def test_internal_delivery_block_replaces_the_address(example_run: RunResult) -> None:
    internal = [
        p for p in example_run.target.glob("uitnodigingen/*.docx") if "INTERNE POST" in text(p)
    ]
    assert len(internal) == len(example_run.internal_delivery) == 8
    karim = body_lines(one(example_run, "uitnodigingen", "lr-01-4549"))
    karim_post = karim[karim.index("INTERNE POST") :][:4]
    # 'INTERNE POST' first, then name, function and department, as the post room reads it.
    assert karim_post[1] == "Karim el Idrissi"
    assert "Geachte heer El Idrissi," in karim
    assert any(line.startswith("Graag nodig ik u uit") for line in karim)


def test_ampersand_in_a_department_survives(example_run: RunResult) -> None:
    body = text(one(example_run, "draaiboeken", "lr-01"))
    assert "Teamleider Handhaving, Vergunningen, Toezicht & Handhaving" in body


def test_online_invitation_has_link_and_own_question(example_run: RunResult) -> None:
    body = text(one(example_run, "uitnodigingen", "au-01-4512"))
    assert "Wanneer liet jij voor het laatst een beslissing aan je team over" in body
    path = next(iter(sorted((example_run.target / "uitnodigingen").glob("*lr-02*"))))
    online = document_xml(path).replace(ZWSP, "")
    url = "https://teams.bergvliet.example/l/meetup-join/lr-02-voorjaar-2027"
    assert f">{url}</w:t>" in online  # shown, with invisible break chances
    assert "woensdag 31 maart 2027" in text(path)
    # Clickable: a HYPERLINK field with the plain URL as its target.
    assert f"HYPERLINK &quot;{url}&quot;" in document_xml(path) or (
        f'HYPERLINK "{url}"' in document_xml(path)
    )


def test_signature_image_is_in_every_invitation(example_run: RunResult) -> None:
    for path in sorted((example_run.target / "uitnodigingen").glob("*.docx")):
        document = open_docx(path)
        assert len(document.inline_shapes) == 1


# --- draaiboeken ---------------------------------------------------------------------


def agenda_rows(path: Path) -> list[list[str]]:
    document = open_docx(path)
    table = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Tijd" and t.rows[0].cells[2].text == "Onderdeel"
    )
    return [[c.text for c in row.cells] for row in table.rows[1:]]


@pytest.mark.parametrize(
    ("session", "start", "length"),
    [
        ("lr-01", "14:00", 60),
        ("au-01", "09:30", 60),
        ("pa-01", None, None),
        ("iv-01", "13:00", 100),
        ("iv-02", None, None),
        ("iv-03", None, None),
    ],
)
def test_agenda_runs_from_start_to_end_without_gaps(
    example_run: RunResult, session: str, start: str | None, length: int | None
) -> None:
    rows = agenda_rows(one(example_run, "draaiboeken", session))
    spans = [TIME_RANGE.match(r[0]) for r in rows]
    assert all(spans), rows
    clocks = [(m[1], m[2]) for m in spans if m]
    for (_, end), (begin, _) in itertools.pairwise(clocks):
        assert end == begin
    for (begin, end), row in zip(clocks, rows, strict=True):
        assert minutes(end) - minutes(begin) == int(row[1])
    facts = open_docx(one(example_run, "draaiboeken", session)).tables[0]
    planned = re.match(
        r"(\d\d:\d\d) - (\d\d:\d\d) uur \((\d+) minuten\)", facts.rows[1].cells[1].text
    )
    assert planned, facts.rows[1].cells[1].text
    assert clocks[0][0] == planned[1] and clocks[-1][1] == planned[2]
    assert minutes(clocks[-1][1]) - minutes(clocks[0][0]) == int(planned[3])
    if start is not None and length is not None:
        assert clocks[0][0] == start
        assert minutes(clocks[-1][1]) - minutes(start) == length


def test_autonomie_has_no_analysis_step_and_leerruimte_has(example_run: RunResult) -> None:
    autonomie = [r[2] for r in agenda_rows(one(example_run, "draaiboeken", "au-01"))]
    leerruimte = [r[2] for r in agenda_rows(one(example_run, "draaiboeken", "lr-01"))]
    assert "Analyse" not in autonomie
    assert "Analyse" in leerruimte
    assert [r[1] for r in agenda_rows(one(example_run, "draaiboeken", "lr-01"))][:2] == ["5", "20"]


def test_general_method_has_a_round_per_inbrenger(example_run: RunResult) -> None:
    rows = agenda_rows(one(example_run, "draaiboeken", "iv-02"))
    round_rows = [r for r in rows if r[2].startswith("Ronde ")]
    assert len(round_rows) == 3 * 5
    assert [r[1] for r in round_rows[:5]] == ["3", "10", "10", "2", "5"]


@pytest.mark.parametrize(
    ("fragment", "says", "never"),
    [("iv-02", "digitaal bord", "flip-over"), ("iv-01", "flip-over", "digitaal bord")],
)
def test_the_board_the_group_writes_on_follows_the_sessions_form(
    example_run: RunResult, fragment: str, says: str, never: str
) -> None:
    """IV-02 of the example is online, IV-01 on site: each draaiboek names only the board
    its group can use, in the step text and in the round's roles."""
    words = text(one(example_run, "draaiboeken", fragment))
    assert words.count(says) >= 2
    assert never not in words
    assert "{bord}" not in words


def test_participants_sorted_by_surname_without_particle(example_run: RunResult) -> None:
    document = open_docx(one(example_run, "draaiboeken", "lr-01"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Naam")
    names = [row.cells[0].text for row in table.rows[1:]]
    assert names.index("Eugène van den Berg") < names.index("Ayşe Çelik")
    assert names.index("Ingrid van der Linden") > names.index("Sjoerd Hoekstra")
    assert {row.cells[2].text for row in table.rows[1:]} == {"deelnemer", "inbrenger"}


def test_draaiboek_carries_questions_rule_and_checklist(example_run: RunResult) -> None:
    body = text(one(example_run, "draaiboeken", "lr-01"))
    assert "Praktijksituatie uitvragen" in body
    assert "Voor extra focus:" in body
    assert "Grote groep:" in body
    assert "Formeel leren" in body
    assert "Checklist na afloop" in body


# --- syllabi -------------------------------------------------------------------------


def session_start_times(run: RunResult) -> dict[str, tuple[int, int, int, int]]:
    """Session code -> (year, month, day, minute of day), read from the draaiboeken."""
    months = {
        m: i
        for i, m in enumerate(
            [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
            1,
        )
    }
    starts = {}
    for path in (run.target / "draaiboeken").glob("*.docx"):
        rows = open_docx(path).tables[0].rows
        _, day, month, year = rows[0].cells[1].text.split()
        code = path.stem.removeprefix("draaiboek-").upper()
        starts[code] = (
            int(year),
            months[month],
            int(day),
            minutes(rows[1].cells[1].text.split()[0]),
        )
    return starts


def test_syllabus_lists_exactly_its_readers_sessions_in_date_order(
    example_run: RunResult,
) -> None:
    import csv

    with (example_run.target / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    session_starts = session_start_times(example_run)
    booked: dict[str, set[str]] = {}
    for row in rows:
        if row["soort"] == "uitnodiging":
            booked.setdefault(row["personeelsnummer"], set()).add(row["sessie"])
    for number, sessions in booked.items():
        path = one(example_run, "syllabi", f"syllabus-{id_key(number)}-")
        document = open_docx(path)
        table = document.tables[0]
        listed = [
            re.search(r"\((.+)\)", row.cells[1].text)[1]  # type: ignore[index]
            for row in table.rows[1:]
        ]
        assert set(listed) == sessions, number
        assert len(listed) == len(sessions)
        starts = [session_starts[code] for code in listed]
        assert starts == sorted(starts), f"{number}: sessies niet op datum"


def test_syllabus_has_rules_roles_skills_and_methods(example_run: RunResult) -> None:
    body = text(one(example_run, "syllabi", "syllabus-4512-"))
    for heading in (
        "Wat is intervisie?",
        "Spelregels",
        "Rollen",
        "Vaardigheden die u oefent",  # Sjoerd Hoekstra's letter says 'u'
        "De werkvormen",
        "De probleemronde (30 minuten per inbrenger)",
        "Voorbereiding: uw praktijksituatie",
    ):
        assert heading in body
    assert "Sjoerd Hoekstra" in body
    assert "Procesbegeleiding" in body and "Professioneel netwerken" in body


# --- vervolgadvies -------------------------------------------------------------------


def test_advice_weaves_in_outcomes(example_run: RunResult) -> None:
    body = text(one(example_run, "vervolgadviezen", "lr-01"))
    assert "Leren schiet erbij in zodra de drukte aan de balie oploopt." in body
    assert "Een vast kwartier 'wat hebben we geleerd?' in het teamoverleg." in body
    assert "Leerruimte is geen leeraanbod" in body


def test_advice_without_outcomes_is_a_draft_for_after_the_session(
    example_run: RunResult,
) -> None:
    body = text(one(example_run, "vervolgadviezen", "pa-02"))
    assert "(concept)" in body.splitlines()[0]
    assert "Wat de groep lastig vond" not in body
    assert "Wat de groep lastig vindt" in body and "Afspraak | Wie | Wanneer" in body
    # 7 people: a large group by the method (small groups are at most six).
    assert "Deze groep telt 7 deelnemers." in body


def test_large_group_gets_the_advice_to_plan_more_sessions(example_run: RunResult) -> None:
    """From seven on: the method works in small groups of at most six."""
    assert "Meer sessies plannen" in text(one(example_run, "vervolgadviezen", "pa-01"))
    assert "Meer sessies plannen" in text(one(example_run, "vervolgadviezen", "pa-02"))  # 7
    assert "Meer sessies plannen" not in text(one(example_run, "vervolgadviezen", "lr-02"))  # 6


# --- golden text ---------------------------------------------------------------------

GOLDEN_CASES = {
    "uitnodiging-lr-01-004512.txt": ("uitnodigingen", "lr-01-4512"),
    "uitnodiging-au-02-intern.txt": ("uitnodigingen", "au-02-4610"),
    "draaiboek-lr-01.txt": ("draaiboeken", "lr-01"),
    "draaiboek-iv-02.txt": ("draaiboeken", "iv-02"),
    "syllabus-004512.txt": ("syllabi", "syllabus-4512"),
    "syllabus-004518.txt": ("syllabi", "syllabus-4518"),
    "vervolgadvies-lr-01.txt": ("vervolgadviezen", "lr-01"),
    "vervolgadvies-pa-02.txt": ("vervolgadviezen", "pa-02"),
}


@pytest.mark.parametrize("golden", sorted(GOLDEN_CASES))
def test_golden_text(example_run: RunResult, golden: str) -> None:
    folder, fragment = GOLDEN_CASES[golden]
    matches = sorted((example_run.target / folder).glob(f"*{fragment}*.docx"))
    actual = "\n".join(body_lines(matches[0])) + "\n"
    path = GOLDEN / golden
    if os.environ.get("GOLDEN_BIJWERKEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{golden} ontbreekt; draai met GOLDEN_BIJWERKEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"de tekst van {matches[0].name} wijkt af van tests/golden/{golden}; "
        "is de wijziging bedoeld, draai dan GOLDEN_BIJWERKEN=1 pytest"
    )


# --- fit to send: every generated document of the example workbook --------------------

QUOTED = re.compile(r"„[^”]*”")
JE_WORDS = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
U_WORDS = re.compile(r"\b(u|uw)\b")


def every(run: RunResult, folder: str) -> list[Path]:
    paths = sorted((run.target / folder).glob("*.docx"))
    assert paths
    return paths


def test_letters_keep_one_register_outside_marked_quotations(example_run: RunResult) -> None:
    """A 'u' letter never says je/jij/jouw except inside a visibly marked quotation (the
    question as the group will hear it); a 'je' letter never says u/uw."""
    for path in every(example_run, "uitnodigingen"):
        lines = body_lines(path)
        formal = any(line.startswith("Geachte ") for line in lines)
        outside = QUOTED.sub("", "\n".join(lines))
        slip = (JE_WORDS if formal else U_WORDS).search(outside)
        register = "u" if formal else "je"
        assert slip is None, f"{path.name}: '{slip and slip[0]}' in een {register}-brief"
        quoted = [line for line in lines if QUOTED.search(line)]
        assert quoted, f"{path.name}: the question is not marked as a quotation"
    question = next(
        p
        for p in open_docx(one(example_run, "uitnodigingen", "lr-01-4512")).paragraphs
        if p.text.startswith("„")
    )
    assert all(run.italic for run in question.runs if run.text.strip())


def _inbrenger_text(content: Content, theme_name: str) -> str:
    theme = content.theme(theme_name)
    assert theme is not None
    return theme.inbrenger


def test_the_inbrenger_role_is_the_same_in_letter_draaiboek_and_syllabus(
    example_run: RunResult, content: Content
) -> None:
    rows = manifest_rows(example_run)
    themes = {
        path.stem.removeprefix("draaiboek-").upper(): open_docx(path).paragraphs[0].text.split()[1]
        for path in every(example_run, "draaiboeken")
    }
    inbrengers = 0
    for row in rows:
        if row["soort"] != "uitnodiging":
            continue
        letter = text(example_run.target / row["pad"])
        role = _inbrenger_text(content, themes[row["sessie"]])
        formal = "\nGeachte " in letter
        if "bent inbrenger." in letter:
            inbrengers += 1
            assert ("U bent inbrenger." if formal else "Je bent inbrenger.") in letter
            # The letter speaks to the reader; the method's description is the syllabus's.
            assert role not in letter, row["pad"]
            syllabus = text(
                one(example_run, "syllabi", f"syllabus-{id_key(row['personeelsnummer'])}-")
            )
            assert f"Als inbrenger: {role}" in syllabus
        else:
            assert "bent inbrenger" not in letter
    assert inbrengers >= 9
    for path in every(example_run, "draaiboeken"):
        body = text(path)
        code = path.stem.removeprefix("draaiboek-").upper()
        theme = content.theme(themes[code])
        assert theme is not None
        names = [
            line.split(" | ")[0] for line in body.splitlines() if line.endswith(" | inbrenger")
        ]
        if names:
            assert f"Inbrenger in deze werkvorm: {theme.inbrenger}" in body
        if theme.pijler and names:
            assert f"Begin met de praktijksituatie van de inbrenger: {', '.join(names)}." in body
        # Ground rules fit the method: only the problem round has these. ('Brainstormen'
        # as a form of participation is a topic, not a phase of the method.)
        folded = body.casefold()
        for word in ("brainstorm", "verhelderingsfase", "tijdbewaker"):
            found = re.search(rf"\b{word}\b", folded) is not None
            assert found is theme.heeft_rondes, (path.name, word)


def manifest_rows(run: RunResult) -> list[dict[str, str]]:
    import csv

    with (run.target / "manifest.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def example_outcomes() -> dict[str, dict[str, list[str]]]:
    import openpyxl

    from tests.conftest import EXAMPLE

    book = openpyxl.load_workbook(EXAMPLE, read_only=True)
    rows = list(book["Uitkomsten"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    found = {}
    for row in rows[1:]:
        if row[0]:
            values = dict(zip(header, row, strict=False))
            found[str(row[0]).lower()] = {
                key: [line.strip() for line in str(values[key] or "").splitlines() if line.strip()]
                for key in ("knelpunten", "wat_helpt", "afspraken")
            }
    assert found
    return found


_MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def _day(text: str) -> dt.date:
    """'dinsdag 9 maart 2027' as a date."""
    _, day, month, year = text.split()
    return dt.date(int(year), _MONTHS.split().index(month) + 1, int(day))


def test_every_advice_is_dated_signed_addressed_and_free_of_instructions(
    example_run: RunResult,
) -> None:
    outcomes = example_outcomes()
    advice_texts = {}
    for path in every(example_run, "vervolgadviezen"):
        code = path.stem.removeprefix("vervolgadvies-")
        body = text(path)
        advice_texts[code] = body
        facts = {row.cells[0].text: row.cells[1].text for row in open_docx(path).tables[0].rows}
        assert re.match(r"\w+dag \d+ \w+ 20\d\d$", facts["Datum"]), facts
        assert facts["Van"].startswith("Yasmina Bouzid, HR")
        members = open_docx(one(example_run, "draaiboeken", code)).tables[1].rows[1:]
        names = [row.cells[0].text for row in members]
        assert all(name in facts["Aan"] for name in names), code
        folded = body.casefold()
        for instruction in ("werkboek", "blad uitkomsten", "hr kan", " was groot", "opnieuw laten"):
            assert instruction not in folded, (path.name, instruction)
        if code not in outcomes:
            assert "(concept)" in body.splitlines()[0]
            # Written before the session, dated for after it.
            assert _day(facts["Datum"]) > _day(facts["Sessie"].split(", ")[1]), facts
            continue
        assert "(concept)" not in body
        reported = outcomes[code]
        for line in reported["knelpunten"] + reported["wat_helpt"]:
            assert line in body, (code, line)
        for line in reported["afspraken"]:
            assert f"☐ {line}" in body, (code, line)
    # With outcomes the advice follows the group: the suggestions are chosen and ordered
    # by what was reported, each with its reason.
    lr = advice_texts["lr-01"].splitlines()
    advice = lr[lr.index("Advies") :]
    assert advice[2] == "Laat het thema terugkomen", advice[:4]
    assert advice[3].startswith("Aanleiding: de groep noemde „")
    assert "Verder mogelijk" in advice
    iv = advice_texts["iv-01"]
    assert "Aanleiding: de groep noemde „" in iv


def test_syllabus_programme_text_comes_from_the_readers_own_sessions(
    example_run: RunResult,
) -> None:
    sizes = {
        path.stem.removeprefix("draaiboek-").upper(): int(
            open_docx(path).tables[0].rows[-1].cells[1].text
        )
        for path in every(example_run, "draaiboeken")
    }
    registers: set[bool] = set()
    for path in every(example_run, "syllabi"):
        document = open_docx(path)
        rows = document.tables[0].rows[1:]
        lengths, groups = [], []
        for row in rows:
            when = row.cells[0].text.splitlines()[-1].removesuffix(" uur")
            begin, end = TIME_RANGE.match(when).groups()  # type: ignore[union-attr]
            lengths.append(minutes(end) - minutes(begin))
            code = re.search(r"\((\w\w-\d\d)\)", row.cells[1].text)[1]  # type: ignore[index]
            groups.append(sizes[code])
        span = lambda values: (  # noqa: E731
            str(min(values)) if min(values) == max(values) else f"{min(values)} tot {max(values)}"
        )
        body = text(path)
        count = f"{len(rows)} sessie{'' if len(rows) == 1 else 's'}"
        number = path.stem.split("-")[1]
        letter = text(sorted((example_run.target / "uitnodigingen").glob(f"*-{number}-*"))[0])
        # The syllabus speaks to its reader as the reader's letter does.
        formal = "\nGeachte " in letter
        registers.add(formal)
        you = "neemt u" if formal else "neem je"
        assert f"In deze cyclus {you} deel aan {count} over " in body, path.name
        # The method's texts too: the rules, the questions about the reader's situation.
        own = "uw" if formal else "je"
        assert f"Spreek vanuit {own} eigen ervaring en in de ik-vorm." in body, path.name
        focus = "Als u maar één ding" if formal else "Als je maar één ding"
        assert f"Voor extra focus: {focus}" in body, path.name
        assert f", van {span(lengths)} minuten, in " in body, path.name
        assert f" van {span(groups)} leidinggevenden." in body, path.name
        for promise in ("vijf bijeenkomsten", "zes tot acht", "ontvangt een syllabus"):
            assert promise not in body
    assert registers == {True, False}  # the example has readers of both


def test_draaiboek_step_texts_fit_the_minutes_they_get(
    example_run: RunResult, content: Content
) -> None:
    heading = re.compile(r"^(\d\d:\d\d) - (\d\d:\d\d)  (.+) \((\d+) min\)$")
    checked = 0
    for path in every(example_run, "draaiboeken"):
        lines = body_lines(path)
        theme = content.theme(lines[0].split()[1])
        assert theme is not None
        steps = {step.titel: step for step in theme.stappen}
        for index, line in enumerate(lines):
            match = heading.match(line)
            if not match:
                continue
            step, given = steps[match[3]], int(match[4])
            assert minutes(match[2]) - minutes(match[1]) == given
            explanation = next(
                candidate
                for candidate in lines[index + 1 : index + 3]
                if not candidate.startswith("Begin met de praktijksituatie")
            )
            # The board the group writes on follows the session's form (tested above).
            board = content.general.bord
            fitting = {board.fill(step.text_for(given), online) for online in (True, False)}
            assert explanation in fitting, (path.name, step.titel)
            if given >= 10:
                assert "korte ronde" not in explanation
            checked += 1
    assert checked > 40


def test_documents_carry_honest_metadata_and_no_blank_thumbnail(example_run: RunResult) -> None:
    for folder in ("uitnodigingen", "draaiboeken", "syllabi", "vervolgadviezen"):
        for path in every(example_run, folder)[:3]:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                app = archive.read("docProps/app.xml").decode()
                rels = archive.read("_rels/.rels").decode()
            assert not any("thumbnail" in name for name in names), path.name
            assert "thumbnail" not in rels
            assert "<Application>intervisie-docs" in app
            assert "Microsoft" not in app and "<Words>" not in app


# --- core properties ---------------------------------------------------------------------


def test_every_document_is_dated_the_letter_date_at_nine(example_run: RunResult) -> None:
    """The example's letter date is 16-02-2027 (before every session), so every document
    is created and last modified then, at 09:00 in Amsterdam (08:00 UTC, winter time):
    from the data, never the clock."""
    import zipfile

    from lxml import etree

    terms = "{http://purl.org/dc/terms/}"
    documents = sorted(example_run.target.rglob("*.docx"))
    assert len(documents) == 118
    for path in documents:
        with zipfile.ZipFile(path) as package:
            core = etree.fromstring(package.read("docProps/core.xml"))
        dates = [core.findtext(f"{terms}created"), core.findtext(f"{terms}modified")]
        assert dates == ["2027-02-16T08:00:00Z"] * 2, path.name


def test_three_rounds_in_90_minutes_give_a_draaiboek_of_rounds_and_a_warning(
    tmp_path: Path,
) -> None:
    """Three inbrengers in 90 minutes is exactly the method: the batch runs, the check
    warns that opening and closing do not fit, and the draaiboek shows only the rounds."""
    from pipeline.run import generate
    from tests.conftest import TEMPLATES
    from tests.generated import TODAY
    from tests.workbooks import Book

    book = Book.valid()
    book.set("Sessies", book.row_of("Sessies", sessie="IV-01"), "duur_minuten", 90)
    book.set(
        "Indeling",
        book.row_of("Indeling", sessie="IV-01", personeelsnummer=10011),
        "rol",
        "inbrenger",
    )
    run = generate(
        book.save(tmp_path / "werkboek.xlsx"), tmp_path / "uit", TEMPLATES, today=TODAY, workers=1
    )
    warned = [w.message for w in run.warnings if "IV-01" in w.message and "90 minuten" in w.message]
    assert warned and "geen opening" in warned[0] and "geen afsluiting" in warned[0]
    rows = agenda_rows(one(run, "draaiboeken", "iv-01"))
    assert len(rows) == 15 and all(row[2].startswith("Ronde ") for row in rows)
    assert sum(int(row[1]) for row in rows) == 90
    body = text(one(run, "draaiboeken", "iv-01"))
    assert "Opening" not in body and "Afsluiting" not in body
