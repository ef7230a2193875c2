"""Test helper: turn a register this version made into what an older schema held."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def as_schema_1(path: Path) -> None:
    """The register at `path` as the first schema had it: without the columns schema 2
    added (db.MIGRATIONS[2])."""
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(
            "ALTER TABLE versions DROP COLUMN letter_date;"
            "ALTER TABLE versions DROP COLUMN briefdatum;"
            "ALTER TABLE bookings DROP COLUMN facts;"
            "ALTER TABLE bookings DROP COLUMN replaced;"
            "PRAGMA user_version = 1;"
        )
