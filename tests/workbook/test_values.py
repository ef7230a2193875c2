from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.workbook import values
from pipeline.workbook.values import (
    InvalidDate,
    InvalidEmail,
    InvalidNumber,
    InvalidPostcode,
    InvalidTime,
    InvalidUrl,
    InvalidValue,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(dt.date(2027, 3, 9), dt.date(2027, 3, 9), id="date-cell"),
        pytest.param(dt.datetime(2027, 3, 9, 0, 0), dt.date(2027, 3, 9), id="datetime-cell"),
        pytest.param("09-03-2027", dt.date(2027, 3, 9), id="dd-mm-jjjj"),
        pytest.param("9-3-2027", dt.date(2027, 3, 9), id="d-m-jjjj"),
        pytest.param(" 29-02-2028 ", dt.date(2028, 2, 29), id="leap-day"),
    ],
)
def test_parse_date_accepts(value: values.CellValue, expected: dt.date) -> None:
    assert values.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        pytest.param("31-02-2027", "bestaat niet", id="impossible"),
        pytest.param("29-02-2027", "bestaat niet", id="no-leap-day"),
        pytest.param("2027-03-09", "verwacht dd-mm-jjjj", id="iso"),
        pytest.param("9 maart", "geen datum", id="words"),
        pytest.param(46455, "geef de cel de opmaak Datum", id="serial-number"),
        pytest.param(dt.time(14, 0), "is een tijd", id="time"),
        pytest.param(True, "geen datum", id="bool"),
        pytest.param("٠٩-٠٣-٢٠٢٧", "geen datum", id="arabic-digits"),
    ],
)
def test_parse_date_rejects(value: values.CellValue, phrase: str) -> None:
    with pytest.raises(InvalidDate, match=phrase):
        values.parse_date(value)


def test_parse_date_message_is_concrete() -> None:
    with pytest.raises(InvalidDate) as caught:
        values.parse_date("31-02-2027")
    assert caught.value.message == (
        "datum '31-02-2027' bestaat niet; verwacht dd-mm-jjjj, bijvoorbeeld 09-03-2027."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(dt.time(14, 0), dt.time(14, 0), id="time-cell"),
        pytest.param(dt.time(13, 59, 59, 999000), dt.time(14, 0), id="float-noise"),
        pytest.param(dt.datetime(1899, 12, 30, 9, 30), dt.time(9, 30), id="epoch-1900"),
        pytest.param(dt.datetime(1904, 1, 1, 9, 30), dt.time(9, 30), id="epoch-1904"),
        pytest.param(0.5, dt.time(12, 0), id="day-fraction"),
        pytest.param(0.604166666, dt.time(14, 30), id="day-fraction-rounded"),
        pytest.param("14:00", dt.time(14, 0), id="hh:mm"),
        pytest.param("9:05", dt.time(9, 5), id="h:mm"),
        pytest.param("14.30", dt.time(14, 30), id="dutch-dot"),
        pytest.param("14:00:00", dt.time(14, 0), id="seconds"),
    ],
)
def test_parse_time_accepts(value: values.CellValue, expected: dt.time) -> None:
    assert values.parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        pytest.param("25:00", "bestaat niet", id="hour-25"),
        pytest.param("14:60", "bestaat niet", id="minute-60"),
        pytest.param("middag", "geen tijd", id="words"),
        pytest.param(14, "is het getal 14", id="whole-number"),
        pytest.param(1.5, "is het getal", id="more-than-a-day"),
        pytest.param(dt.datetime(2027, 3, 9, 14, 0), "is een datum", id="real-datetime"),
        pytest.param(dt.date(2027, 3, 9), "is een datum", id="date"),
        pytest.param(False, "geen tijd", id="bool"),
    ],
)
def test_parse_time_rejects(value: values.CellValue, phrase: str) -> None:
    with pytest.raises(InvalidTime, match=phrase):
        values.parse_time(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(60, 60), (60.0, 60), (" 90 ", 90), ("-5", -5)],
    ids=["int", "float", "text", "negative-text"],
)
def test_parse_int_accepts(value: values.CellValue, expected: int) -> None:
    assert values.parse_int(value) == expected


@pytest.mark.parametrize(
    "value",
    [60.5, "een uur", "6O", True, dt.date(2027, 1, 1), "²"],
    ids=["fraction", "words", "letter-o", "bool", "date", "superscript"],
)
def test_parse_int_rejects(value: values.CellValue) -> None:
    with pytest.raises(InvalidNumber, match="geen geheel getal"):
        values.parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10234, "10234"),
        (10234.0, "10234"),
        (" A-12 ", "A-12"),
        (1.5, "1.5"),
        (dt.date(2027, 3, 9), "09-03-2027"),
        (None, ""),
    ],
    ids=["int", "float-id", "text", "fraction", "date", "none"],
)
def test_as_text(value: values.CellValue, expected: str) -> None:
    assert values.as_text(value) == expected


def test_as_lines_splits_and_strips_bullets() -> None:
    assert values.as_lines("- eerste\n\n• tweede \r\n derde\x0bvierde") == (
        "eerste",
        "tweede",
        "derde",
        "vierde",
    )
    assert values.as_line("Jan\nJansen") == "Jan Jansen"


@pytest.mark.parametrize(
    "value",
    ["jan@voorbeeldstad.nl", "j.van.der.berg+hr@gemeente-x.nl", "mailto:hr@x.nl"],
)
def test_email_accepts(value: str) -> None:
    assert "@" in values.parse_email(value)


@pytest.mark.parametrize(
    "value",
    [
        "jan",
        "jan@voorbeeld",
        "jan @x.nl",
        "a@b@c.nl",
        "jan@.nl",
        "jan@x..nl",
        "a@x.nl; b@y.nl",
        "jan@x.nl.",
        42,
    ],
)
def test_email_rejects(value: values.CellValue) -> None:
    with pytest.raises(InvalidEmail, match="is ongeldig; verwacht een adres als"):
        values.parse_email(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1234AB", "1234 AB"), ("1234 ab", "1234 AB"), (" 9999 zz ", "9999 ZZ")],
)
def test_postcode_normalised(value: str, expected: str) -> None:
    assert values.parse_postcode(value) == expected


@pytest.mark.parametrize(
    "value", ["0123 AB", "123 AB", "1234", "1234 A", "1234 ABC", "1234 SS", 1234, "1234-AB"]
)
def test_postcode_rejects(value: values.CellValue) -> None:
    with pytest.raises(InvalidPostcode, match="bijvoorbeeld 1234 AB"):
        values.parse_postcode(value)


@pytest.mark.parametrize(
    "value", ["https://teams.example.nl/sessie", "HTTPS://x.nl", "https://x.nl:443/a?b=c"]
)
def test_url_accepts(value: str) -> None:
    assert values.parse_https_url(value) == value


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("http://teams.example.nl", "geen https-link"),
        ("teams.example.nl/sessie", "geen https-link"),
        ("https://", "geen adres"),
        ("https://x.nl/een sessie", "spaties"),
        ("https://[::1", "ongeldig"),
        ("https://x.nl:poort", "ongeldig"),
        ("ftp://x.nl", "geen https-link"),
    ],
)
def test_url_rejects(value: str, phrase: str) -> None:
    with pytest.raises(InvalidUrl, match=phrase):
        values.parse_https_url(value)


def test_choice_is_case_insensitive_and_canonical() -> None:
    assert values.parse_choice(" hr ", ("HR", "extern")) == "HR"
    with pytest.raises(InvalidValue, match="kies HR of extern"):
        values.parse_choice("intern", ("HR", "extern"))
    with pytest.raises(InvalidValue):
        values.parse_choice("op_locatie", ("online", "op locatie"))


def test_lists() -> None:
    assert values.or_list(["a", "b", "c"]) == "a, b of c"
    assert values.and_list(["a", "b"]) == "a en b"
    assert values.and_list(["a"]) == "a"


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.dates(),
    st.times(),
    st.datetimes(),
)

PARSERS = [
    values.parse_date,
    values.parse_time,
    values.parse_int,
    values.parse_email,
    values.parse_postcode,
    values.parse_https_url,
    values.as_lines,
    values.as_line,
]


@settings(max_examples=200, deadline=None)
@given(value=cell_values)
def test_parsers_raise_only_invalid_value(value: values.CellValue) -> None:
    for parse in PARSERS:
        try:
            parse(value)
        except InvalidValue as exc:
            assert exc.message
