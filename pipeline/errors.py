"""One exception hierarchy; every error knows where it happened and formats itself here."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    """Where in the workbook a problem sits. Rows are 1-based, as Excel shows."""

    sheet: str
    row: int | None = None
    column: str | None = None
    column_letter: str | None = None

    def __str__(self) -> str:
        parts = [f"blad '{self.sheet}'"]
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column is not None:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            parts.append(f"kolom '{self.column}'{letter}")
        return ", ".join(parts)


# The parts of a .docx a template problem can sit in, as HR knows them in Word.
_PART_NAMES = (
    ("word/document.xml", "de tekst"),
    ("word/header", "een koptekst"),
    ("word/footer", "een voettekst"),
    ("word/footnotes", "de voetnoten"),
    ("word/endnotes", "de eindnoten"),
)


def part_name(part: str) -> str:
    """'word/header2.xml' -> "een koptekst ('word/header2.xml')"."""
    name = next((n for prefix, n in _PART_NAMES if part.startswith(prefix)), None)
    return f"{name} ('{part}')" if name else f"'{part}'"


@dataclass(frozen=True)
class TemplateLocation:
    """Where in a Word template a problem sits: the file, the part, the paragraph."""

    template: str
    part: str | None = None  # zip member, e.g. word/header1.xml
    paragraph: str | None = None  # the paragraph's visible text

    def __str__(self) -> str:
        parts = [f"sjabloon '{self.template}'"]
        if self.part is not None:
            parts.append(f"in {part_name(self.part)}")
        if self.paragraph:
            parts.append(f"in de alinea '{self.paragraph}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class ContentLocation:
    """Where in a content file (templates/inhoud/*.toml) a problem sits."""

    file: str  # the file name, e.g. leerruimte.toml
    field: str | None = None

    def __str__(self) -> str:
        where = f"inhoudsbestand '{self.file}'"
        return f"{where}, veld '{self.field}'" if self.field else where


Where = Location | TemplateLocation | ContentLocation


class Severity(Enum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Problem:
    """One finding of the workbook check."""

    message: str
    location: Location | None = None
    severity: Severity = Severity.ERROR
    # True when the finding depends on the day of the run (a date in the past): such
    # findings are reported but kept out of the manifest, which must not change by day.
    depends_on_today: bool = False

    def __str__(self) -> str:
        return format_message(self.message, self.location)


def format_message(message: str, location: Where | None) -> str:
    """The single place where a location is put in front of a message."""
    return f"{location}: {message}" if location is not None else message


_OS_ERRORS = {
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "niet toegestaan (rechten)",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quotum) is op",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOENT: "bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "is een map",
    errno.EEXIST: "bestaat al",
    errno.ENAMETOOLONG: "de naam is te lang",
}


def plural(count: int, one: str, many: str) -> str:
    """'1 fout', '3 fouten'."""
    return f"{count} {one if count == 1 else many}"


def describe_os_error(exc: OSError) -> str:
    """An operating-system error in Dutch: the cause, not Python's English text."""
    reason = _OS_ERRORS.get(exc.errno or 0, f"systeemfout {exc.errno}")
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{reason}{where}"


class IntervisieError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, location: Where | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return format_message(self.message, self.location)


class WorkbookFileError(IntervisieError):
    """The file cannot be read as a workbook at all (not xlsx, corrupt, too large...)."""


class WorkbookInvalid(IntervisieError):
    """The workbook was read but breaks the contract; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"Het werkboek bevat {plural(len(errors), 'fout', 'fouten')}.")
        self.problems = tuple(problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


class TemplateProblem(IntervisieError):
    """A Word template is missing, broken or unsafe."""

    def __init__(
        self,
        message: str,
        template: str,
        detail: str | None = None,
        part: str | None = None,
        paragraph: str | None = None,
    ) -> None:
        super().__init__(
            f"{message} ({detail})" if detail else message,
            TemplateLocation(template, part, paragraph),
        )
        self.template = template
        self._arguments = (message, template, detail, part, paragraph)

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[str | None, ...]]:
        # Crosses process boundaries (worker pool): rebuild from the original arguments.
        return (type(self), self._arguments)


class ContentProblem(IntervisieError):
    """A content file (templates/inhoud/*.toml) is missing, broken or contradicts the method."""

    def __init__(
        self, message: str, file: str, field: str | None = None, detail: str | None = None
    ) -> None:
        super().__init__(
            f"{message} ({detail})" if detail else message, ContentLocation(file, field)
        )


class TemplatesInvalid(IntervisieError):
    """The template check found problems; carries all of them."""

    def __init__(self, problems: Sequence[TemplateProblem]) -> None:
        super().__init__(f"De sjablonen bevatten {plural(len(problems), 'probleem', 'problemen')}.")
        self.problems = tuple(problems)


class OutputError(IntervisieError):
    """Writing the output failed; the previous output is left as it was."""

    exit_code = 2


class TemplateLimit(IntervisieError):
    """A template went past a bound while it was filled in; the message is Dutch and says
    which (the renderer turns it into a TemplateProblem naming the template)."""


class LibreOfficeMissing(IntervisieError):
    """--pdf asked for, but soffice is not installed."""

    def __init__(self, install_command: str) -> None:
        super().__init__(
            "voor PDF (--pdf) is LibreOffice nodig, maar 'soffice' is niet gevonden. "
            f"Installeer het met: {install_command} (of maak de documenten zonder --pdf). "
            "Er is niets geschreven."
        )
        self.install_command = install_command

    def __reduce__(self) -> tuple[type[LibreOfficeMissing], tuple[str]]:
        return (type(self), (self.install_command,))


class ConversionFailed(OutputError):
    """LibreOffice hung, crashed or produced no PDF, also after a retry."""


class SendError(IntervisieError):
    """The SMTP server cannot be reached, or the connection cannot be secured."""

    exit_code = 3


class SendSettingsError(SendError):
    """The server refuses the login or the sender: a setting to fix, not a verdict on
    any message (nothing is marked refused)."""
