"""`controleer --markeer`: the marked copy, read back with openpyxl, for every invalid
workbook of the rule tables; the original is never changed; only our own, untouched
copy is ever replaced."""

from __future__ import annotations

import hashlib
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from pipeline.errors import (
    IntervisieError,
    Location,
    OutputError,
    Problem,
    Severity,
    WorkbookInvalid,
)
from pipeline.workbook.check import check_workbook
from pipeline.workbook.markup import (
    CONTROL_SHEET,
    ERROR_COLOUR,
    FIRST_PROBLEM_ROW,
    HEADERS,
    WARNING_COLOUR,
    copy_path,
    is_own_copy,
    write_marked_copy,
)
from tests.workbook.test_check import (
    CONTENT,
    ERROR_CASES,
    WARNING_CASES,
    Mutation,
    edits,
    weird_values,
)
from tests.workbooks import TODAY, Book

CASES = [(name, mutate) for name, mutate, _, _ in ERROR_CASES + WARNING_CASES]
LABEL = {Severity.ERROR: "FOUT", Severity.WARNING: "WAARSCHUWING"}
COLOUR = {Severity.ERROR: ERROR_COLOUR, Severity.WARNING: WARNING_COLOUR}


def problems_of(path: Path) -> tuple[Problem, ...]:
    try:
        return check_workbook(path, CONTENT, TODAY).warnings
    except WorkbookInvalid as exc:
        return exc.problems


def broken_workbook(folder: Path, mutate: Mutation) -> Path:
    book = Book.valid()
    mutate(book, folder)
    return book.save(folder / "werkboek.xlsx")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_title(book: Any, name: str) -> str | None:
    return next((t for t in book.sheetnames if t.strip().lower() == name.lower()), None)


def check_copy(workbook: Path, problems: tuple[Problem, ...]) -> None:
    """Everything HR must see in the copy, read back with openpyxl."""
    copy = openpyxl.load_workbook(copy_path(workbook))
    original = openpyxl.load_workbook(workbook)
    assert copy.sheetnames == [CONTROL_SHEET, *original.sheetnames]
    control = copy[CONTROL_SHEET]
    assert copy.active.title == CONTROL_SHEET
    listed = list(control.iter_rows(min_row=FIRST_PROBLEM_ROW, max_col=5, values_only=True))
    header = next(control.iter_rows(FIRST_PROBLEM_ROW - 1, FIRST_PROBLEM_ROW - 1, values_only=True))
    assert header[: len(HEADERS)] == HEADERS
    expected_rows = []
    for problem in problems:
        where = problem.location
        assert where is not None
        column = where.column or ""
        if where.column_letter:
            column = f"{column} ({where.column_letter})"
        expected_rows.append(
            (problem.severity.value, where.sheet, where.row, column or None, problem.message)
        )
    assert listed == (expected_rows or [("Geen problemen gevonden.", None, None, None, None)])
    by_place: dict[tuple[str, int, str], list[Problem]] = defaultdict(list)
    for number, problem in enumerate(problems, start=FIRST_PROBLEM_ROW):
        where = problem.location
        assert where is not None
        link = control.cell(number, len(HEADERS)).hyperlink
        title = sheet_title(copy, where.sheet)
        if title is None or where.row is None:
            if title is None:
                assert link is None, f"a link to the missing sheet {where.sheet}"
            continue
        letter = where.column_letter or "A"
        by_place[(title, where.row, letter)].append(problem)
        assert link is not None and link.location == f"'{title}'!{letter}{where.row}"
    for (title, row, letter), found in by_place.items():
        cell = copy[title][f"{letter}{row}"]
        assert cell.comment is not None, f"no comment on {title}!{letter}{row}"
        for problem in found:
            assert f"{LABEL[problem.severity]}: {problem.message}" in cell.comment.text
        errors = any(p.severity is Severity.ERROR for p in found)
        worst = Severity.ERROR if errors else Severity.WARNING
        assert cell.fill.fgColor.rgb == COLOUR[worst]
        if all(p.location is not None and p.location.column_letter is None for p in found):
            last = copy[title].max_column
            assert copy[title].cell(row, last).fill.fgColor.rgb == COLOUR[worst]


@pytest.mark.parametrize("mutate", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_every_problem_of_every_bad_workbook_is_marked(tmp_path: Path, mutate: Mutation) -> None:
    workbook = broken_workbook(tmp_path, mutate)
    problems = problems_of(workbook)
    assert problems
    before = sha(workbook)
    result = write_marked_copy(workbook, problems)
    assert sha(workbook) == before, "the workbook itself was changed"
    assert result.path == tmp_path / "werkboek-controle.xlsx"
    assert result.listed == len(problems)
    assert is_own_copy(result.path)
    check_copy(workbook, problems)


def test_a_row_problem_colours_the_row_and_a_missing_sheet_only_the_list(tmp_path: Path) -> None:
    book = Book.valid().delete_sheet("Indeling").delete_column("Deelnemers", "email")
    workbook = book.save(tmp_path / "w.xlsx")
    problems = problems_of(workbook)
    result = write_marked_copy(workbook, problems)
    assert (result.cells, result.rows, result.listed) == (0, 1, len(problems))
    copy = openpyxl.load_workbook(result.path)
    header = copy["Deelnemers"][1]
    assert [cell.fill.fgColor.rgb for cell in header] == [ERROR_COLOUR] * len(header)
    assert header[0].comment.text.startswith("FOUT: verplichte kolom 'email' ontbreekt")
    assert copy["Deelnemers"]["A2"].fill.fgColor.rgb != ERROR_COLOUR
    assert "Indeling" not in copy.sheetnames
    texts = [row[4] for row in copy[CONTROL_SHEET].iter_rows(values_only=True)]
    assert any(str(t).startswith("blad 'Indeling' ontbreekt") for t in texts)


def test_an_error_and_a_warning_in_one_cell_share_one_comment_in_red(tmp_path: Path) -> None:
    workbook = Book.valid().save(tmp_path / "w.xlsx")
    where = Location("Sessies", 3, "datum", "C")
    problems = (
        Problem("eerst een waarschuwing", where, Severity.WARNING),
        Problem("dan een fout", where),
    )
    write_marked_copy(workbook, problems)
    cell = openpyxl.load_workbook(copy_path(workbook))["Sessies"]["C3"]
    assert cell.comment.text == "WAARSCHUWING: eerst een waarschuwing\n\nFOUT: dan een fout"
    assert cell.fill.fgColor.rgb == ERROR_COLOUR


def test_only_an_untouched_copy_of_ours_is_replaced(tmp_path: Path) -> None:
    workbook = Book.valid().set("Sessies", 2, "datum", "31-02-2027").save(tmp_path / "w.xlsx")
    problems = problems_of(workbook)
    target = write_marked_copy(workbook, problems).path
    first = target.read_bytes()
    write_marked_copy(workbook, problems[:0])  # ours, untouched: replaced
    assert target.read_bytes() != first and is_own_copy(target)
    # HR edits the copy and saves it (Excel rewrites the whole package): kept.
    edited = openpyxl.load_workbook(target)
    edited["Sessies"]["C2"] = "09-03-2027"
    edited.save(target)
    saved = target.read_bytes()
    with pytest.raises(OutputError, match="is gewijzigd nadat het programma het schreef"):
        write_marked_copy(workbook, problems)
    assert target.read_bytes() == saved
    # A file of that name the program never wrote: kept.
    Book.valid().save(target)
    foreign = target.read_bytes()
    with pytest.raises(OutputError, match="is niet door dit programma geschreven"):
        write_marked_copy(workbook, problems)
    assert target.read_bytes() == foreign
    target.unlink()
    target.mkdir()
    with pytest.raises(OutputError, match="is geen gewoon bestand"):
        write_marked_copy(workbook, problems)


def test_a_copy_of_a_copy_carries_one_fresh_mark(tmp_path: Path) -> None:
    workbook = Book.valid().set("Sessies", 2, "datum", "31-02-2027").save(tmp_path / "w.xlsx")
    first = write_marked_copy(workbook, problems_of(workbook)).path
    second = write_marked_copy(first, problems_of(first)).path
    assert second.name == "w-controle-controle.xlsx" and is_own_copy(second)
    assert openpyxl.load_workbook(second).sheetnames[:2] == [f"{CONTROL_SHEET} 2", CONTROL_SHEET]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=edits, org_value=weird_values)
def test_random_values_give_a_copy_listing_every_problem(
    edits: list[tuple[tuple[str, str], int, Any]], org_value: Any
) -> None:
    book = Book.valid().org("cyclus", org_value)
    for (sheet, column), index, value in edits:
        book.set(sheet, 2 + index % len(book.sheets[sheet].rows), column, value)
    with tempfile.TemporaryDirectory() as folder:
        workbook = book.save(Path(folder) / "werkboek.xlsx")
        try:
            problems = problems_of(workbook)
        except IntervisieError:
            return  # not a workbook the check can read: nothing to mark
        write_marked_copy(workbook, problems)
        check_copy(workbook, problems)


def test_a_copy_without_problems_says_so(tmp_path: Path) -> None:
    workbook = Book.valid().save(tmp_path / "w.xlsx")
    assert write_marked_copy(workbook, ()).listed == 0
    check_copy(workbook, ())
