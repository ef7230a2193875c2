"""Every parser of a cell value the workbook check uses, in one place.

Every parser takes a cell value exactly as the reader returns it (text, number, date,
time, boolean) and either returns a clean Python value or raises a subclass of
`InvalidValue` whose message is complete, Dutch and says what was expected. The
validator adds the location. Nothing here knows about sheets or rows (the signature
parser knows the workbook's folder, where the file must be).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from docx.image.image import Image

from pipeline.errors import describe_os_error

CellValue = str | int | float | bool | dt.date | dt.time | dt.datetime | None
T = TypeVar("T")

# Excel stores a time-only value as a date on its epoch (1900 or 1904 system).
_EXCEL_EPOCH_DATES = (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1904, 1, 1))

_DATE_TEXT = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_TIME_TEXT = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?::([0-9]{2}))?")
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
# Longer digit strings are no number anyone means (and Python refuses > 4300 digits).
MAX_INT_DIGITS = 18
_EMAIL = re.compile(r"[^@\s;,<>()\[\]\"]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
# PostNL never issues these letter combinations.
_POSTCODE_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})
_BULLET = re.compile(r"^(?:[-*•–]\s+)")

MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_SESSION_MINUTES = 24 * 60
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG

DATE_EXAMPLE = "09-03-2027"
TIME_EXAMPLE = "14:00"


class InvalidValue(ValueError):
    """A cell value that cannot be used; `message` is the complete Dutch explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidDate(InvalidValue):
    pass


class InvalidTime(InvalidValue):
    pass


class InvalidNumber(InvalidValue):
    pass


class InvalidEmail(InvalidValue):
    pass


class InvalidPostcode(InvalidValue):
    pass


class InvalidUrl(InvalidValue):
    pass


class InvalidChoice(InvalidValue):
    pass


def show(value: CellValue) -> str:
    """A value as the user typed it, for quoting in a message."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d-%m-%Y")
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_text(value: CellValue) -> str:
    """Any cell value as text. Whole numbers lose Excel's `.0` (10234.0 -> "10234")."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    return show(value)


def as_line(value: CellValue) -> str:
    """Text for a one-line field: line breaks inside the cell become single spaces."""
    return " ".join(as_lines(value))


def as_lines(value: CellValue) -> tuple[str, ...]:
    """Text split on line breaks (Alt+Enter), each line stripped, empty lines and
    leading list bullets ('- ', '• ') dropped."""
    lines = (_BULLET.sub("", line.strip()).strip() for line in as_text(value).splitlines())
    return tuple(line for line in lines if line)


def parse_date(value: CellValue) -> dt.date:
    """A date cell, or text dd-mm-jjjj / d-m-jjjj."""
    if isinstance(value, dt.datetime):
        if value.date() in _EXCEL_EPOCH_DATES:
            raise InvalidDate(f"'{show(value)}' is een tijd, geen datum; {_date_hint()}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _date_from_text(value.strip())
    if isinstance(value, dt.time):
        raise InvalidDate(f"'{show(value)}' is een tijd, geen datum; {_date_hint()}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise InvalidDate(
            f"datum is het getal {show(value)}; geef de cel de opmaak Datum of typ de datum "
            f"als {DATE_EXAMPLE}."
        )
    raise InvalidDate(f"'{show(value)}' is geen datum; {_date_hint()}")


def _date_from_text(text: str) -> dt.date:
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise InvalidDate(f"datum '{show(text)}' is geen datum; {_date_hint()}")
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidDate(f"datum '{text}' bestaat niet; {_date_hint()}") from None


def _date_hint() -> str:
    return f"verwacht dd-mm-jjjj, bijvoorbeeld {DATE_EXAMPLE}."


def parse_time(value: CellValue) -> dt.time:
    """A time cell, a datetime on Excel's epoch, a fraction of a day, or text hh:mm."""
    if isinstance(value, dt.datetime):
        if value.date() not in _EXCEL_EPOCH_DATES:
            raise InvalidTime(f"'{show(value)}' is een datum, geen tijd; {_time_hint()}")
        return _minutes(value.time())
    if isinstance(value, dt.time):
        return _minutes(value)
    if isinstance(value, dt.date):
        raise InvalidTime(f"'{show(value)}' is een datum, geen tijd; {_time_hint()}")
    if isinstance(value, bool) or value is None:
        raise InvalidTime(f"'{show(value)}' is geen tijd; {_time_hint()}")
    if isinstance(value, int | float):
        return _time_from_fraction(value)
    return _time_from_text(value.strip())


def _minutes(value: dt.time) -> dt.time:
    """Drop seconds noise from Excel's floating point times (13:59:59.999 -> 14:00)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    minutes = min(round(seconds / 60), 24 * 60 - 1)
    return dt.time(minutes // 60, minutes % 60)


def _time_from_fraction(value: float) -> dt.time:
    """Excel's time as a fraction of a day (0.5 == 12:00)."""
    if not 0 <= value < 1:
        raise InvalidTime(f"tijd is het getal {show(value)}; {_time_hint()}")
    minutes = min(round(value * 24 * 60), 24 * 60 - 1)
    return dt.time(minutes // 60, minutes % 60)


def _time_from_text(text: str) -> dt.time:
    match = _TIME_TEXT.fullmatch(text)
    if match is None:
        raise InvalidTime(f"tijd '{show(text)}' is geen tijd; {_time_hint()}")
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidTime(f"tijd '{text}' bestaat niet; {_time_hint()}")
    return dt.time(hour, minute)


def _time_hint() -> str:
    return f"verwacht uu:mm, bijvoorbeeld {TIME_EXAMPLE}."


def parse_int(value: CellValue) -> int:
    """A whole number: an integer cell, a float without fraction, or digits as text."""
    if isinstance(value, bool):
        raise InvalidNumber(f"'{show(value)}' is geen geheel getal.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        text = value.strip()
        if len(text) > MAX_INT_DIGITS:
            raise InvalidNumber(f"'{show(value)}' is geen bruikbaar geheel getal (te lang).")
        return int(text)
    raise InvalidNumber(f"'{show(value)}' is geen geheel getal.")


def parse_email(value: CellValue) -> str:
    """A pragmatic e-mail check: one @, no spaces, a dot in the domain."""
    text = as_text(value)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    if not _EMAIL.fullmatch(text):
        raise InvalidEmail(
            f"e-mailadres '{show(text)}' is ongeldig; verwacht een adres als naam@gemeente.nl."
        )
    return text


def parse_postcode(value: CellValue) -> str:
    """A Dutch postcode, normalised to '1234 AB'."""
    text = as_text(value)
    match = _POSTCODE.fullmatch(text)
    if match is None or match.group(2).upper() in _POSTCODE_UNUSED_LETTERS:
        raise InvalidPostcode(
            f"postcode '{show(text)}' is ongeldig; verwacht vier cijfers (niet beginnend met 0) "
            "en twee letters, bijvoorbeeld 1234 AB."
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def parse_https_url(value: CellValue) -> str:
    """An https URL with a host and without spaces."""
    text = as_text(value)
    hint = "verwacht een volledige link die met https:// begint."
    if not text or any(char.isspace() for char in text):
        raise InvalidUrl(f"link '{show(text)}' is ongeldig (bevat spaties); {hint}")
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise InvalidUrl(f"link '{show(text)}' is ongeldig; {hint}") from None
    if parts.scheme.lower() != "https":
        raise InvalidUrl(f"link '{show(text)}' is geen https-link; {hint}")
    if not host:
        raise InvalidUrl(f"link '{show(text)}' heeft geen adres na https://; {hint}")
    return text


def parse_choice(value: CellValue, choices: Sequence[str]) -> str:
    """One of `choices`, matched case-insensitively; returns the canonical spelling."""
    text = as_text(value)
    for choice in choices:
        if text.lower() == choice.lower():
            return choice
    raise InvalidChoice(f"'{show(text)}' is geen geldige keuze; kies {or_list(choices)}.")


def or_list(items: Sequence[str]) -> str:
    """'a', 'a of b', 'a, b of c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} of {items[-1]}"


def and_list(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def parse_known(
    value: CellValue, *, find: Callable[[str], T | None], names: Sequence[str], column: str
) -> T:
    """A value that names one of `names` (looked up with `find`), e.g. a theme."""
    found = find(as_text(value))
    if found is None:
        raise InvalidChoice(f"{column} '{show(value)}' is onbekend; kies {or_list(sorted(names))}.")
    return found


def parse_day(value: CellValue) -> dt.date:
    """A date in the years the program plans for (keeps date arithmetic safe)."""
    day = parse_date(value)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidDate(
            f"datum {show(day)} ligt niet tussen {MIN_YEAR} en {MAX_YEAR}; controleer het jaartal."
        )
    return day


def parse_minutes(value: CellValue) -> int:
    """A session length: a positive whole number of minutes, at most a day."""
    hint = "verwacht het aantal minuten als positief geheel getal, bijvoorbeeld 60."
    try:
        minutes = parse_int(value)
    except InvalidNumber:
        raise InvalidNumber(f"duur_minuten '{show(value)}' is geen geheel getal; {hint}") from None
    if minutes <= 0:
        raise InvalidNumber(f"duur_minuten {minutes} is geen positief aantal minuten; {hint}")
    if minutes > MAX_SESSION_MINUTES:
        raise InvalidNumber(
            f"duur_minuten {minutes} is langer dan een dag; verwacht hoogstens "
            f"{MAX_SESSION_MINUTES} minuten."
        )
    return minutes


MAX_SIGNATURE_BYTES = 5 * 1024 * 1024  # a scanned signature is tens of kilobytes
MAX_SIGNATURE_PIXELS = 16_000_000  # 4000 x 4000; every letter carries a copy


def parse_signature(folder: Path, value: CellValue) -> Path:
    """A PNG or JPEG file in the workbook's folder (or below it), by magic bytes, of a
    size a letter can carry. Only there: the workbook must not pull any picture on the
    machine into letters sent out in the secretary's name."""
    text = as_text(value)
    path = folder / text.replace("\\", "/")
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen; controleer het pad."
        ) from None
    if not inside:
        raise InvalidValue(
            f"handtekening '{show(text)}' staat buiten de map van het werkboek ({folder}); "
            "kopieer het bestand naar die map en geef alleen de bestandsnaam op."
        )
    try:
        info = os.stat(resolved)
    except FileNotFoundError:
        raise InvalidValue(
            f"handtekening '{show(text)}' bestaat niet (gezocht: {path}); geef het pad ten "
            "opzichte van de map van het werkboek."
        ) from None
    except (OSError, ValueError) as exc:
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen: {_os_reason(exc)}."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidValue(
            f"handtekening '{show(text)}' is een map; geef het pad van het afbeeldingsbestand."
        )
    if not stat.S_ISREG(info.st_mode):
        raise InvalidValue(
            f"handtekening '{show(text)}' is geen gewoon bestand (maar bijvoorbeeld een "
            "apparaat of pijp); geef het pad van het afbeeldingsbestand."
        )
    if info.st_size > MAX_SIGNATURE_BYTES:
        raise InvalidValue(
            f"handtekening '{show(text)}' is {info.st_size / 1024 / 1024:.0f} MB; dat is te "
            f"groot voor een brief (hoogstens {MAX_SIGNATURE_BYTES // 1024 // 1024} MB). Sla "
            "de handtekening kleiner op, bijvoorbeeld 600 x 200 pixels."
        )
    try:
        with resolved.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise InvalidValue(
            f"handtekening '{show(text)}' kan niet worden gelezen: {_os_reason(exc)}."
        ) from None
    if not magic.startswith(IMAGE_MAGICS):
        raise InvalidValue(
            f"handtekening '{show(text)}' is geen PNG- of JPEG-afbeelding; sla de handtekening "
            "op als .png of .jpg."
        )
    try:  # the same parse Word embedding needs: a damaged header fails here, not mid-run
        image = Image.from_file(str(resolved))
    except Exception:  # python-docx raises several unrelated types for a bad image
        raise InvalidValue(
            f"handtekening '{show(text)}' is beschadigd en kan niet in een brief worden "
            "geplaatst; sla de afbeelding opnieuw op als .png of .jpg."
        ) from None
    if image.px_width * image.px_height > MAX_SIGNATURE_PIXELS:
        raise InvalidValue(
            f"handtekening '{show(text)}' is {image.px_width} x {image.px_height} pixels; dat "
            "is te groot voor een brief (hoogstens 16 miljoen pixels). Sla de handtekening "
            "kleiner op, bijvoorbeeld 600 x 200 pixels."
        )
    return resolved


def _os_reason(exc: BaseException) -> str:
    return describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
