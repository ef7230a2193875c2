"""Changes since the previous run: new, changed and gone documents, and their files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from pipeline.mail import calendar
from pipeline.render.bundle import combine_letters
from pipeline.render.prepared import CoreProperties
from pipeline.run import RunResult, generate
from tests.conftest import TEMPLATES
from tests.docx_text import body_lines, open_docx
from tests.workbooks import TODAY, Book

Key = tuple[str, str, str, str]  # status, kind, session, personeelsnummer


def run(book: Book | Path, out: Path, **options: object) -> RunResult:
    workbook = (
        book if isinstance(book, Path) else book.save(out.parent / f"werkboek-{out.name}.xlsx")
    )
    return generate(workbook, out, TEMPLATES, today=TODAY, workers=1, **options)  # type: ignore[arg-type]


def changes(result: RunResult) -> set[Key]:
    return {(c.status, c.row.soort, c.row.sessie, c.row.personeelsnummer) for c in result.changes}


def csv_changes(result: RunResult) -> set[Key]:
    text = (result.target / "wijzigingen.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return {(r["wijziging"], r["soort"], r["sessie"], r["personeelsnummer"]) for r in rows}


def members(book: Book, sessie: str) -> list[str]:
    return [
        str(r["personeelsnummer"]) for r in book.sheets["Indeling"].rows if r["sessie"] == sessie
    ]


def per_session(status: str, sessie: str, numbers: list[str]) -> set[Key]:
    """The changes every document of one session gets when the session itself changes."""
    found = {(status, "uitnodiging", sessie, n) for n in numbers}
    found |= {(status, "agenda", sessie, n) for n in numbers}
    found |= {(status, kind, sessie, "") for kind in ("draaiboek", "vervolgadvies")}
    return found | {(status, "syllabus", "", n) for n in numbers}


def test_first_run_is_all_new_and_a_rerun_is_byte_identical(tmp_path: Path) -> None:
    book = Book.valid().save(tmp_path / "werkboek.xlsx")  # saved once: xlsx files hold a time
    first = run(book, tmp_path / "a", mail=True, print_bundles=True)
    assert {c.status for c in first.changes} == {"nieuw"}
    assert len([c for c in first.changes if c.row.soort == "uitnodiging"]) == 13
    assert csv_changes(first) == changes(first)
    before = {
        p.relative_to(first.target): p.read_bytes() for p in first.target.rglob("*") if p.is_file()
    }
    again = run(book, tmp_path / "a", mail=True, print_bundles=True)
    after = {
        p.relative_to(again.target): p.read_bytes() for p in again.target.rglob("*") if p.is_file()
    }
    assert before == after
    assert again.cycle_version == first.cycle_version == 1


def _move(book: Book) -> None:
    book.set("Sessies", book.row_of("Sessies", sessie="LR-01"), "begintijd", dt.time(15, 0))


def _facilitator(book: Book) -> None:
    book.set("Sessies", book.row_of("Sessies", sessie="AU-01"), "begeleider", "Anke de Wit")


def _swap(book: Book) -> None:
    """10002 (LR-01) and 10006 (AU-01) change places."""
    book.set(
        "Indeling",
        book.row_of("Indeling", sessie="LR-01", personeelsnummer=10002),
        "sessie",
        "AU-01",
    )
    book.set(
        "Indeling",
        book.row_of("Indeling", sessie="AU-01", personeelsnummer=10006),
        "sessie",
        "LR-01",
    )


def _remove(book: Book) -> None:
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)


LR = ["10001", "10002", "10003", "10004"]
AU = ["10005", "10006", "10007", "10008"]
IV = ["10009", "10010", "10011", "10012", "10001"]


def _expected_swap() -> set[Key]:
    found = {("nieuw", kind, "AU-01", "10002") for kind in ("uitnodiging", "agenda")} | {
        ("nieuw", kind, "LR-01", "10006") for kind in ("uitnodiging", "agenda")
    }
    found |= {("vervallen", kind, "LR-01", "10002") for kind in ("uitnodiging", "agenda")}
    found |= {("vervallen", kind, "AU-01", "10006") for kind in ("uitnodiging", "agenda")}
    # The draaiboeken and advices list the participants; the two syllabi list the session.
    found |= {
        ("gewijzigd", kind, s, "")
        for kind in ("draaiboek", "vervolgadvies")
        for s in ("LR-01", "AU-01")
    }
    found |= {("gewijzigd", "syllabus", "", n) for n in ("10002", "10006")}
    return found


def _expected_remove() -> set[Key]:
    found = {("vervallen", kind, "IV-01", "10012") for kind in ("uitnodiging", "agenda")}
    found |= {("vervallen", "syllabus", "", "10012")}  # their only session
    # The group shrinks: that is news for the facilitator's papers, not for the others'
    # invitations and syllabi (documents/matters.py: the group's size does not count).
    found |= {("gewijzigd", kind, "IV-01", "") for kind in ("draaiboek", "vervolgadvies")}
    return found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # The time is in every document of the session and in its members' syllabi.
        (_move, per_session("gewijzigd", "LR-01", LR)),
        (_facilitator, per_session("gewijzigd", "AU-01", AU)),
        (_swap, _expected_swap()),
        (_remove, _expected_remove()),
    ],
    ids=["tijd-verschoven", "begeleider", "geruild", "afgemeld"],
)
def test_each_change_gives_exactly_the_expected_sets(
    tmp_path: Path, change: Callable[[Book], None], expected: set[Key]
) -> None:
    book = Book.valid()
    run(book, tmp_path / "out")
    change(book)
    result = run(book, tmp_path / "out")
    assert changes(result) == expected
    assert csv_changes(result) == expected
    assert result.cycle_version == 2


def test_a_cancelled_booking_gets_a_letter_a_cancel_file_and_an_e_mail(tmp_path: Path) -> None:
    book = Book.valid()
    first = run(book, tmp_path / "out", mail=True)
    old_ics = next(first.target.glob("agenda/*iv-01-10012*.ics")).read_bytes()
    old_event, old_sequence = calendar.parse(old_ics)
    _remove(book)
    result = run(book, tmp_path / "out", mail=True, only_changes=True, print_bundles=True)
    by_kind = {(r.soort, r.pad) for r in result.rows}
    cancel = [p for k, p in by_kind if k == "agenda-afzegging"]
    assert len(cancel) == 1
    data = (result.target / cancel[0]).read_bytes()
    assert b"METHOD:CANCEL" in data
    event, sequence = calendar.parse(data)
    assert event.uid == old_event.uid and sequence == old_sequence + 1
    letters = [p for k, p in by_kind if k == "afzegging"]
    assert len(letters) == 1
    text = "\n".join(body_lines(result.target / letters[0]))  # the signature sits in a table
    assert "gaat deze sessie voor u niet door" in text and "IV-01" in text
    assert "dinsdag 16 maart 2027 van 09:30 - " in text
    assert "drs. A.M. Jansen" in text  # signed like the invitation
    # The print bundles hold only what must go out again: the cancellation, headed as one
    # (the others' letters did not change for them: only their group got smaller).
    assert not (result.target / "afdrukken" / "uitnodigingen-per-post.docx").exists()
    internal = result.target / "afdrukken" / "uitnodigingen-interne-post.docx"
    subjects = [p.text for p in Document(str(internal)).paragraphs if p.text.startswith("Onderw")]
    assert subjects == ["Onderwerp\tAfzegging Intervisie op dinsdag 16 maart 2027 om 09:30 uur"]
    headers = [s.header.paragraphs[0].text for s in Document(str(internal)).sections]
    assert headers == ["Gemeente Voorbeeldstad\tAfzegging"]
    mails = sorted(p.name for p in (result.target / "e-mail").glob("*.eml"))
    assert mails == ["afzegging-uitnodiging-iv-01-10012-boer-de-iris.eml"]
    # Invitations and cancellations in one bundle: each letter keeps its own header.
    invitation = sorted((result.target / "uitnodigingen").glob("*.docx"))[0]
    mixed = combine_letters(
        [invitation, result.target / letters[0], invitation],
        CoreProperties("t", "s", "a", "k", "2027-01-01T00:00:00Z"),
    )
    headers = [s.header.paragraphs[0].text.split("\t")[-1] for s in open_docx(mixed).sections]
    assert headers == ["Uitnodiging", "Afzegging", "Uitnodiging"]
    manifest = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["cyclusversie"] == 2
    assert {(g["soort"], g["personeelsnummer"]) for g in manifest["vervallen"]} == {
        ("uitnodiging", "10012"),
        ("agenda", "10012"),
        ("syllabus", "10012"),
    }
    # Rerun with the same input: the same cancellation, the same bytes.
    again = run(book, tmp_path / "out", mail=True, only_changes=True, print_bundles=True)
    assert (again.target / cancel[0]).read_bytes() == data
    assert changes(again) == changes(result)


def test_a_booking_that_comes_back_continues_its_sequence(tmp_path: Path) -> None:
    book = Book.valid()
    run(book, tmp_path / "out")
    removed = Book.valid()
    _remove(removed)
    run(removed, tmp_path / "out")
    back = run(book, tmp_path / "out")
    ics = next(back.target.glob("agenda/*iv-01-10012*.ics")).read_bytes()
    assert calendar.parse(ics)[1] == 2  # 0 sent, 1 cancelled, 2 invited again
    # To the calendar it is the same event again: an update of the one it cancelled.
    assert ("gewijzigd", "uitnodiging", "IV-01", "10012") in changes(back)


def test_only_the_letter_date_changed_is_no_change(tmp_path: Path) -> None:
    book = Book.valid()
    run(book, tmp_path / "out")
    book.org("briefdatum", dt.date(2027, 2, 20))
    result = run(book, tmp_path / "out")
    assert result.changes == () or {c.status for c in result.changes} == {"nieuw"}
    assert result.cycle_version == 1


def test_a_previous_run_without_calendar_files_still_gets_its_cancellation(tmp_path: Path) -> None:
    """A cycle first generated by a version without calendar files."""
    book = Book.valid()
    first = run(book, tmp_path / "out")
    manifest = first.target / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["documenten"] = [d for d in record["documenten"] if d["soort"] != "agenda"]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    for ics in (first.target / "agenda").glob("*.ics"):
        ics.unlink()
    _remove(book)
    result = run(book, tmp_path / "out", mail=True)
    (cancel,) = (result.target / "afzeggingen").glob("*.ics")
    event, sequence = calendar.parse(cancel.read_bytes())
    assert sequence == 1 and event.start == dt.datetime(2027, 3, 16, 9, 30)
    assert len(list((result.target / "afzeggingen").glob("*.docx"))) == 1
    assert len(list((result.target / "e-mail").glob("afzegging-*.eml"))) == 1
