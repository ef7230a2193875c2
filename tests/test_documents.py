"""Every kind of document, generated from the example workbook and read back."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

from pipeline.run import RunResult
from tests.docx_text import body_lines, header_footer_text, open_docx

GOLDEN = Path(__file__).parent / "golden"
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
    body = text(one(example_run, "uitnodigingen", "lr-01-004518"))
    assert "Ingrid van der Linden" in body
    assert "Helmgras 41" in body and "1972 CX  Bergvliet aan Zee" in body
    assert "Geachte mevrouw Van der Linden," in body
    assert "dinsdag 9 maart 2027" in body
    assert "14:00 - 15:00 uur" in body
    assert "Raadzaal, Raadhuisplein 1, 1971 AB Bergvliet aan Zee" in body
    assert "Marco de Graaf (een begeleider van HR)" in body
    assert "mr. drs. E.J. (Evelien) Bouwmeester" in body
    assert "Gemeentesecretaris / algemeen directeur" in body
    assert "Bergvliet aan Zee, dinsdag 16 februari 2027" in body
    assert "ingedeeld als inbrenger" not in body
    assert "Gemeente Bergvliet aan Zee" in header_footer_text(
        one(example_run, "uitnodigingen", "lr-01-004518")
    )


def test_inbrenger_is_asked_to_bring_the_case(example_run: RunResult) -> None:
    body = text(one(example_run, "uitnodigingen", "lr-01-004512"))
    assert "Geachte heer Hoekstra," in body
    assert "ingedeeld als inbrenger" in body


def test_internal_delivery_block_replaces_the_address(example_run: RunResult) -> None:
    internal = [
        p for p in example_run.target.glob("uitnodigingen/*.docx") if "INTERNE POST" in text(p)
    ]
    assert len(internal) == len(example_run.internal_delivery) == 8
    karim = body_lines(one(example_run, "uitnodigingen", "lr-01-004549"))
    karim_post = karim[karim.index("Karim el Idrissi") :][:4]
    assert karim_post[1] == "INTERNE POST"
    assert "Geachte heer El Idrissi," in karim
    assert any(line.startswith("Graag nodig ik u uit") for line in karim)


def test_ampersand_in_a_department_survives(example_run: RunResult) -> None:
    body = text(one(example_run, "draaiboeken", "lr-01"))
    assert "Teamleider Handhaving, Vergunningen, Toezicht & Handhaving" in body


def test_online_invitation_has_link_and_own_question(example_run: RunResult) -> None:
    body = text(one(example_run, "uitnodigingen", "au-01-004512"))
    assert "Wanneer liet jij voor het laatst een beslissing aan je team over" in body
    online = text(next(iter(sorted((example_run.target / "uitnodigingen").glob("*lr-02*")))))
    assert "https://teams.bergvliet.example/l/meetup-join/lr-02-voorjaar-2027" in online
    assert "woensdag 31 maart 2027" in online


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
        path = one(example_run, "syllabi", number)
        document = open_docx(path)
        table = document.tables[0]
        listed = [
            re.search(r"\((.+)\)", row.cells[2].text)[1]  # type: ignore[index]
            for row in table.rows[1:]
        ]
        assert set(listed) == sessions, number
        assert len(listed) == len(sessions)
        starts = [session_starts[code] for code in listed]
        assert starts == sorted(starts), f"{number}: sessies niet op datum"


def test_syllabus_has_rules_roles_skills_and_methods(example_run: RunResult) -> None:
    body = text(one(example_run, "syllabi", "004512"))
    for heading in (
        "Wat is intervisie?",
        "Spelregels",
        "Rollen",
        "Vaardigheden die je oefent",
        "De werkvormen",
        "De probleemronde (30 minuten per inbrenger)",
        "Voorbereiding: je praktijksituatie",
    ):
        assert heading in body
    assert "Sjoerd Hoekstra" in body


# --- vervolgadvies -------------------------------------------------------------------


def test_advice_weaves_in_outcomes(example_run: RunResult) -> None:
    body = text(one(example_run, "vervolgadviezen", "lr-01"))
    assert "Leren schiet erbij in zodra de drukte aan de balie oploopt." in body
    assert "Een vast kwartier 'wat hebben we geleerd?' in het teamoverleg." in body
    assert "Leerruimte is geen leeraanbod" in body


def test_advice_without_outcomes_is_general(example_run: RunResult) -> None:
    body = text(one(example_run, "vervolgadviezen", "pa-02"))
    assert "Wat de groep lastig vond" not in body
    assert "Meer sessies plannen" not in body  # 7 people: not a large group
    general = [line for line in body.splitlines() if "algemeen" in line and "Uitkomsten" in line]
    assert general, "the advice must say it is general and invite HR to fill in Uitkomsten"


def test_large_group_gets_the_advice_to_plan_more_sessions(example_run: RunResult) -> None:
    assert "Meer sessies plannen" in text(one(example_run, "vervolgadviezen", "pa-01"))
    assert "Meer sessies plannen" not in text(one(example_run, "vervolgadviezen", "lr-01"))


# --- golden text ---------------------------------------------------------------------

GOLDEN_CASES = {
    "uitnodiging-lr-01-004512.txt": ("uitnodigingen", "lr-01-004512"),
    "uitnodiging-au-02-intern.txt": ("uitnodigingen", "au-02-004610"),
    "draaiboek-lr-01.txt": ("draaiboeken", "lr-01"),
    "draaiboek-iv-02.txt": ("draaiboeken", "iv-02"),
    "syllabus-004512.txt": ("syllabi", "004512"),
    "syllabus-004518.txt": ("syllabi", "004518"),
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


# --- core properties ---------------------------------------------------------------------


def test_every_document_is_dated_the_letter_date_at_nine(example_run: RunResult) -> None:
    """The example's letter date is 16-02-2027 (before every session), so every document
    is created and last modified then, at 09:00: from the data, never the clock."""
    import zipfile

    from lxml import etree

    terms = "{http://purl.org/dc/terms/}"
    documents = sorted(example_run.target.rglob("*.docx"))
    assert len(documents) == 118
    for path in documents:
        with zipfile.ZipFile(path) as package:
            core = etree.fromstring(package.read("docProps/core.xml"))
        dates = [core.findtext(f"{terms}created"), core.findtext(f"{terms}modified")]
        assert dates == ["2027-02-16T09:00:00Z"] * 2, path.name
