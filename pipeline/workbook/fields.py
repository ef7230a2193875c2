"""Typed, self-reporting access to the values of one record, for the validator.

A record is a row of a table sheet (`RowFields`) or the key/value list of the
Organisatie sheet (`OrganisationFields`). Each getter parses one named value with a
parser from `values`; an empty required value or a parse failure becomes a Problem at
the exact cell and the getter returns None, so the validator can carry on and collect
every problem in one pass. `ok` tells whether the record is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pipeline.errors import Location, Problem, Severity
from pipeline.identity import id_key
from pipeline.workbook import schema
from pipeline.workbook.reader import RawRow, RawSheet
from pipeline.workbook.values import (
    CellValue,
    InvalidValue,
    as_line,
    as_lines,
    as_text,
    parse_choice,
)

T = TypeVar("T")

_SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(schema.SHEETS)}


class Report:
    """Every problem found, starting with the reader's."""

    def __init__(self, read_problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(read_problems)
        # Cells the reader already reported: no second message about them being empty.
        self.reported_cells = {
            (p.location.sheet, p.location.row, p.location.column)
            for p in self.problems
            if p.location is not None and p.location.row is not None
        }

    def error(self, message: str, location: Location | None) -> None:
        self.problems.append(Problem(message, location, Severity.ERROR))

    def warning(
        self, message: str, location: Location | None, depends_on_today: bool = False
    ) -> None:
        self.problems.append(Problem(message, location, Severity.WARNING, depends_on_today))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def ordered(self) -> tuple[Problem, ...]:
        """In workbook order: by sheet as the contract lists them, then by row."""

        def key(problem: Problem) -> tuple[int, int]:
            location = problem.location
            if location is None:
                return (-1, 0)
            return (_SHEET_ORDER.get(location.sheet, len(_SHEET_ORDER)), location.row or 0)

        return tuple(sorted(self.problems, key=key))


def locate(sheet: RawSheet, row: int | None, column: str) -> Location:
    return Location(sheet.name, row, column, sheet.columns.get(column))


@dataclass(frozen=True)
class Field:
    location: Location
    value: CellValue
    silent: bool  # already reported (by the reader, or as a missing required column)
    hint: str = ""  # added to the "empty" message, e.g. that the column is missing


class Fields:
    """Base of the two record kinds; subclasses say where a named value lives."""

    def __init__(self, spec: schema.Sheet, report: Report) -> None:
        self.spec = spec
        self.report = report
        self.ok = True

    def field(self, name: str) -> Field:
        raise NotImplementedError

    def empty_message(self, name: str) -> str:
        return f"{name} is niet ingevuld; dit is verplicht."

    def fail(self, name: str, message: str) -> None:
        self.ok = False
        field = self.field(name)
        if not field.silent:
            self.report.error(message, field.location)

    def warn(self, name: str, message: str) -> None:
        self.report.warning(message, self.field(name).location)

    def is_filled(self, name: str) -> bool:
        return self.field(name).value is not None

    def require(self, name: str, message: str) -> None:
        """Report `name` as missing with `message` when its cell is empty."""
        field = self.field(name)
        if field.value is None:
            self.fail(name, f"{message}{field.hint}")

    def require_when(self, chosen: Mapping[str, str | None]) -> None:
        """Report the columns the contract requires given the choices of this record
        (`chosen`: column name -> the choice made, None when empty or invalid)."""
        for column in self.spec.columns:
            condition = column.required_when
            if condition is not None and chosen.get(condition.column) == condition.value:
                self.require(
                    column.name,
                    f"{column.name} is niet ingevuld; bij {condition.column} "
                    f"'{condition.value}' is {condition.what} verplicht.",
                )

    def get(self, name: str, parse: Callable[[CellValue], T]) -> T | None:
        """The parsed value, or None when empty or invalid (reported as needed)."""
        field = self.field(name)
        if field.value is None:
            self._empty(name, field)
            return None
        try:
            value = parse(field.value)
        except InvalidValue as exc:
            self.fail(name, exc.message)
            return None
        if value == "" or value == ():  # nothing left after cleaning up the text
            self._empty(name, field)
            return None
        return value

    def _empty(self, name: str, field: Field) -> None:
        if self.spec.column(name).required:
            self.fail(name, f"{self.empty_message(name)}{field.hint}")

    def text(self, name: str) -> str | None:
        """One-line text; a number typed in the cell counts as its digits."""
        return self.get(name, as_line)

    def lines(self, name: str) -> tuple[str, ...]:
        return self.get(name, as_lines) or ()

    def ident(self, name: str) -> str | None:
        return self.get(name, as_text)

    def choice(self, name: str) -> str | None:
        choices = self.spec.column(name).choices
        return self.get(name, lambda value: parse_choice(value, choices))


class RowFields(Fields):
    """The cells of one row of a table sheet."""

    def __init__(self, sheet: RawSheet, row: RawRow, spec: schema.Sheet, report: Report) -> None:
        super().__init__(spec, report)
        self.sheet = sheet
        self.row = row

    def field(self, name: str) -> Field:
        location = locate(self.sheet, self.row.row, name)
        cell = self.row.cells.get(name)
        if cell is None:  # the column is missing; a required one was reported at the header
            hint = f" De kolom '{name}' ontbreekt in de kopregel."
            return Field(location, None, self.spec.column(name).required, hint)
        key = (location.sheet, location.row, location.column)
        return Field(location, cell.value, key in self.report.reported_cells)


class OrganisationFields(Fields):
    """The veld/waarde list of the Organisatie sheet; velden matched like headers."""

    def __init__(self, sheet: RawSheet | None, report: Report) -> None:
        super().__init__(schema.ORGANISATIE, report)
        self.sheet = sheet
        self.rows: dict[str, RawRow] = {}
        self.usable = sheet is not None and all(
            name in sheet.columns for name in (schema.ORGANISATIE_KEY, schema.ORGANISATIE_VALUE)
        )
        if sheet is not None and self.usable:
            self._index(sheet)

    def _index(self, sheet: RawSheet) -> None:
        known = {column.name for column in schema.ORGANISATIE.columns}
        for row in sheet.rows:
            cell = row.cells.get(schema.ORGANISATIE_KEY)
            if cell is None or cell.value is None:
                continue  # a value without a veld name: nothing to match it to
            name = schema.normalise_header(as_text(cell.value))
            if name not in known:
                continue  # unknown velden are ignored, like unknown columns
            if name in self.rows:
                first = self.rows[name].row
                self.report.error(
                    f"veld '{name}' komt al voor in rij {first}; elk veld staat maar één keer "
                    "in het blad.",
                    locate(sheet, row.row, schema.ORGANISATIE_KEY),
                )
                continue
            self.rows[name] = row

    def field(self, name: str) -> Field:
        if self.sheet is None or not self.usable:
            return Field(Location(schema.ORGANISATIE.name), None, True)
        row = self.rows.get(name)
        number = row.row if row is not None else self.sheet.header_row
        location = locate(self.sheet, number, schema.ORGANISATIE_VALUE)
        cell = row.cells.get(schema.ORGANISATIE_VALUE) if row is not None else None
        value = cell.value if cell is not None else None
        key = (location.sheet, location.row, location.column)
        return Field(location, value, row is not None and key in self.report.reported_cells)

    def empty_message(self, name: str) -> str:
        column = self.spec.column(name)
        if name not in self.rows:
            return (
                f"veld '{name}' ontbreekt; voeg een rij toe met in kolom veld '{name}' en in "
                f"kolom waarde de juiste gegevens ({column.description.rstrip('.')})."
            )
        return f"waarde van veld '{name}' is niet ingevuld; dit veld is verplicht."


class Ids:
    """The unique ids of one sheet, matched with `id_key`; reports duplicates."""

    def __init__(self, sheet: RawSheet, column: str, rule: str, report: Report) -> None:
        self.sheet, self.column, self.rule, self.report = sheet, column, rule, report
        self._first: dict[str, tuple[str, int]] = {}  # key -> (id as first written, row)

    def add(self, value: str, row: int) -> bool:
        """Register an id; False (and an error) when it was seen before."""
        key = id_key(value)
        if key in self._first:
            _, first_row = self._first[key]
            self.report.error(
                f"{self.column} '{value}' komt al voor in rij {first_row}; {self.rule}",
                locate(self.sheet, row, self.column),
            )
            return False
        self._first[key] = (value, row)
        return True

    def resolve(self, value: str) -> str | None:
        """The id as written in its own sheet, or None when unknown."""
        found = self._first.get(id_key(value))
        return found[0] if found is not None else None

    def known(self, limit: int = 10) -> str:
        names: Sequence[str] = [value for value, _ in self._first.values()]
        shown = ", ".join(names[:limit])
        return shown + (", ..." if len(names) > limit else "") if names else "geen"
