"""The register file itself: its journal mode, its marks, and claiming a delivery."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.identity import BookingKey
from pipeline.register import db, sends
from pipeline.register.sends import Delivery


def _fresh(tmp_path: Path) -> Path:
    path = db.register_path(tmp_path)
    with closing(db.connect(path)) as connection:
        connection.execute(
            "INSERT INTO cycles(key, name, folder, version, letter_date) VALUES (?,?,?,?,?)",
            ("voorjaar", "Voorjaar", "voorjaar", 1, "2027-01-15"),
        )
    return path


def test_a_new_register_is_marked_and_not_in_wal_mode(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
        assert raw.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("PRAGMA application_id=1234", "is geen register van intervisie-docs (een ander bestand)"),
        (
            f"PRAGMA application_id={db.APPLICATION_ID}; PRAGMA user_version=99",
            "is gemaakt door een nieuwere versie van het programma (schema 99)",
        ),
        ("CREATE TABLE x(y)", "is geen register van intervisie-docs (een ander bestand)"),
    ],
)
def test_a_register_that_is_not_ours_is_refused(tmp_path: Path, setup: str, message: str) -> None:
    path = db.register_path(tmp_path)
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(setup)
    with pytest.raises(OutputError) as refused:
        db.connect(path)
    assert str(refused.value) == (
        f"het register '{path}' {message}; er is niets geschreven of verstuurd. "
        "Zet een reservekopie van het register terug, of begin opnieuw: verplaats het bestand "
        "(niet weggooien) en lees in de README onder 'Het register' wat dat betekent."
    )


def test_two_senders_never_both_claim_a_delivery(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    delivery = Delivery(1, BookingKey("lr-01", "10001"), "jan@x.nl", 0, "REQUEST")
    with closing(db.connect(path)) as first, closing(db.connect(path)) as second:
        claimed = sends.begin(first, delivery, "<1@x>", "a.eml")
        assert claimed is not None
        assert sends.begin(second, delivery, "<1@x>", "a.eml") is None  # busy elsewhere
        sends.finish(first, claimed, sends.SENT, 250, "OK")
        assert sends.begin(second, delivery, "<1@x>", "a.eml", resend_uncertain=True) is None
        other = Delivery(1, BookingKey("lr-01", "10001"), "jan@x.nl", 1, "REQUEST")
        assert sends.begin(second, other, "<2@x>", "a.eml") is not None  # a new version


def test_a_not_sent_delivery_can_be_claimed_again(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    delivery = Delivery(1, BookingKey("lr-01", "10001"), "jan@x.nl", 0, "REQUEST")
    with closing(db.connect(path)) as connection:
        attempt = sends.begin(connection, delivery, "<1@x>", "a.eml")
        assert attempt is not None
        sends.finish(connection, attempt, sends.NOT_SENT, 451, "later")
        assert sends.begin(connection, delivery, "<1@x>", "a.eml") is not None


def test_a_register_of_schema_1_is_brought_up_to_date_when_opened(tmp_path: Path) -> None:
    """The tables as the previous version made them: opening adds the letter date of each
    version (the one date its run's letters carried), the facts of each booking and the
    table of the letters' routes (empty: the next run with letters fills it)."""
    path = db.register_path(tmp_path)
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(
            db.SCHEMA
            + f"PRAGMA application_id={db.APPLICATION_ID}; PRAGMA user_version=1;"
            + "INSERT INTO cycles VALUES (1, 'voorjaar', 'Voorjaar', 'voorjaar', 2, '2027-02-16');"
            + "INSERT INTO versions VALUES (1, 1, '2027-01-15T10:00:00+00:00', 'abc');"
            + "INSERT INTO versions VALUES (1, 2, '2027-01-20T10:00:00+00:00', 'def');"
            + "INSERT INTO bookings VALUES (1, 'lr-01', '10001', 'uid@x', 1);"
        )
    with closing(db.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION == 3
        assert connection.execute(
            "SELECT version, letter_date, briefdatum FROM versions ORDER BY version"
        ).fetchall() == [(1, "2027-02-16", None), (2, "2027-02-16", None)]
        assert connection.execute("SELECT uid, facts, replaced FROM bookings").fetchall() == [
            ("uid@x", None, None)
        ]
        assert connection.execute("SELECT count(*) FROM routes").fetchone()[0] == 0
    with closing(db.connect(path)) as again:  # opening once more changes nothing
        assert again.execute("SELECT count(*) FROM versions").fetchone()[0] == 2
