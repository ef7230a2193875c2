"""The registry of file kinds and the core properties every document gets."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.kinds import (
    ALL_KINDS,
    REGISTRY,
    WITH_INVITATIONS,
    Kind,
    core_properties,
    is_pdf,
    pdf_soort,
    w3cdtf,
    with_pdfs,
)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2027, 2, 16, 9, 0), "2027-02-16T08:00:00Z"),  # winter time: UTC+1
        (dt.datetime(2027, 6, 1, 9, 30), "2027-06-01T07:30:00Z"),  # summer time: UTC+2
        (dt.datetime(2027, 1, 1, 0, 30), "2026-12-31T23:30:00Z"),  # the day before in UTC
        (dt.datetime(2027, 3, 28, 3, 0), "2027-03-28T01:00:00Z"),  # just after the switch
    ],
)
def test_workbook_time_is_written_as_utc(moment: dt.datetime, expected: str) -> None:
    assert w3cdtf(moment) == expected
    props = core_properties("uitnodiging", "Titel", "Cyclus", "Gemeente", moment)
    assert props.created == expected


def test_core_properties_name_kind_and_cycle() -> None:
    moment = dt.datetime(2027, 2, 16, 9)
    props = core_properties("afzegging", "Afzegging IV-01", "Voorjaar", "Gemeente X", moment)
    assert (props.title, props.subject, props.author, props.keywords) == (
        "Afzegging IV-01",
        "afzegging - Voorjaar",
        "Gemeente X",
        "intervisie; afzegging; Voorjaar",
    )


def test_every_template_kind_is_registered_with_its_folder() -> None:
    for kind in Kind:
        spec = REGISTRY[kind.value]
        assert spec.template == kind.template == f"{kind.value}.docx"
        assert kind.folder == spec.folder and spec.suffix == ".docx" and spec.pdf
    folders = [spec.folder for spec in REGISTRY.values() if spec.value != "agenda-afzegging"]
    assert len(folders) == len(set(folders))  # only a cancel .ics shares its letter's folder


def test_what_goes_with_the_invitations() -> None:
    assert set(WITH_INVITATIONS) == {
        "uitnodiging", "afzegging", "afdrukbestand", "agenda", "agenda-afzegging", "e-mail"
    }
    assert not any(k.value in WITH_INVITATIONS for k in ALL_KINDS[1:])
    assert with_pdfs({"agenda", "syllabus"}) == {"agenda", "syllabus", "syllabus-pdf"}
    assert is_pdf(pdf_soort("draaiboek")) and not is_pdf("draaiboek")
