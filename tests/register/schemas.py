"""Test helper: turn a register this version made into what an older schema held."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def as_schema_2(path: Path) -> None:
    """The register at `path` as schema 2 had it: without the letters' routes (schema 3)."""
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript("DROP TABLE routes; PRAGMA user_version = 2;")


def as_schema_1(path: Path) -> None:
    """The register at `path` as the first schema had it: without what schemas 2 and 3
    added (db.MIGRATIONS)."""
    as_schema_2(path)
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(
            "ALTER TABLE versions DROP COLUMN letter_date;"
            "ALTER TABLE versions DROP COLUMN briefdatum;"
            "ALTER TABLE bookings DROP COLUMN facts;"
            "ALTER TABLE bookings DROP COLUMN replaced;"
            "PRAGMA user_version = 1;"
        )
