"""The register file: where it lives, its schema, and refusing a file that is not ours.

`<uitvoermap>/intervisie-register.sqlite`, beside the cycle folders (each run replaces
a cycle folder, never this file). The standard library's sqlite3 with the classic
rollback journal (journal_mode=DELETE) and synchronous=FULL: WAL needs shared memory
between processes, which SMB/CIFS network drives (a municipal H: share) do not provide,
so WAL can corrupt the database there; the rollback journal only needs ordinary file
locks and writes. `PRAGMA application_id` marks the file as ours and `user_version` is
the schema version: a foreign, damaged or newer file is refused in Dutch and nothing is
written or sent; an older one is brought up to date (MIGRATIONS) when a command that
writes opens it. A command that only reads (`intervisie status`) opens it read-only
(`read_only`) and reads an older schema as it is.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import FILE_MODE, make_private_dirs

REGISTER_NAME = "intervisie-register.sqlite"
APPLICATION_ID = 0x49565244  # "IVRD"
SCHEMA_VERSION = 3
_HOW = (
    "Zet een reservekopie van het register terug, of begin opnieuw: verplaats het bestand "
    "(niet weggooien) en lees in de README onder 'Het register' wat dat betekent."
)

SCHEMA = """
CREATE TABLE cycles(
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,       -- identity.cycle_key of the name
    name TEXT NOT NULL,             -- the name as last written in the workbook
    folder TEXT NOT NULL,
    version INTEGER NOT NULL,       -- the cycle version of the last run
    letter_date TEXT NOT NULL       -- the letters' date in the last run (ISO)
);
CREATE TABLE versions(
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    version INTEGER NOT NULL,
    made TEXT NOT NULL,             -- UTC moment of the run that made it
    workbook_sha256 TEXT NOT NULL,
    PRIMARY KEY(cycle, version)
);
CREATE TABLE documents(             -- what change detection compares with
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    soort TEXT NOT NULL,
    sessie_key TEXT NOT NULL,
    nummer_key TEXT NOT NULL,
    sessie TEXT NOT NULL,           -- as last written
    nummer TEXT NOT NULL,
    pad TEXT NOT NULL,
    inhoud TEXT NOT NULL,           -- content hash: what the reader sees
    versie INTEGER NOT NULL,
    gewijzigd_in INTEGER NOT NULL,
    vervallen INTEGER NOT NULL,     -- 1: no longer planned (history)
    PRIMARY KEY(cycle, soort, sessie_key, nummer_key, vervallen)
);
CREATE TABLE written(               -- bytes the program wrote: edit detection
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    pad TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY(cycle, pad, sha256)
);
CREATE TABLE bookings(              -- calendar identity per booking
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    sessie_key TEXT NOT NULL,
    nummer_key TEXT NOT NULL,
    uid TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY(cycle, sessie_key, nummer_key)
);
CREATE TABLE messages(              -- every outbox message a run wrote
    message_id TEXT PRIMARY KEY,
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    sessie_key TEXT NOT NULL,
    nummer_key TEXT NOT NULL,
    recipient TEXT NOT NULL,        -- identity.address_key
    version INTEGER NOT NULL,       -- the booking's SEQUENCE
    method TEXT NOT NULL,           -- REQUEST or CANCEL
    pad TEXT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE deliveries(            -- every attempt, before and after the SMTP exchange
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    sessie_key TEXT NOT NULL,
    nummer_key TEXT NOT NULL,
    recipient TEXT NOT NULL,
    version INTEGER NOT NULL,
    method TEXT NOT NULL,
    message_id TEXT NOT NULL,
    file TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    code INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL            -- bezig, verzonden, geweigerd, niet_verzonden, onzeker
);
CREATE TABLE imports(               -- old CSV send logs taken over (never twice)
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    lines INTEGER NOT NULL,
    damaged INTEGER NOT NULL
);
CREATE INDEX deliveries_by_key
    ON deliveries(cycle, sessie_key, nummer_key, recipient, version, method);
"""

# Schema version -> the statements that bring a register of the version before it up to
# it. A new register is SCHEMA (version 1) followed by every migration, so an old one and
# a new one end up with the same tables.
MIGRATIONS: dict[int, str] = {
    # Each version of a cycle has its own letter date, and an invitation remembers the
    # facts of its last version, so a changed one can say what it replaces.
    2: """
-- letter_date: the date the letters of the version carry (ISO); briefdatum: the
-- workbook's own briefdatum then, if any (ISO); facts: JSON of the invitation's last
-- version (documents/facts.py); replaced: JSON of the version that one replaced.
ALTER TABLE versions ADD COLUMN letter_date TEXT;
ALTER TABLE versions ADD COLUMN briefdatum TEXT;
ALTER TABLE bookings ADD COLUMN facts TEXT;
ALTER TABLE bookings ADD COLUMN replaced TEXT;
-- Before version 2 every letter of a run carried the run's one date.
UPDATE versions SET letter_date =
    (SELECT cycles.letter_date FROM cycles WHERE cycles.id = versions.cycle);
""",
    # How each letter goes on paper, for `intervisie status` (before: only in the last
    # run's manifest.json, which the next run replaces).
    3: """
CREATE TABLE routes(                -- per letter of the cycle folder: how it goes on paper
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    soort TEXT NOT NULL,            -- uitnodiging or afzegging
    sessie_key TEXT NOT NULL,
    nummer_key TEXT NOT NULL,
    bezorging TEXT NOT NULL,        -- per post or interne post
    afdrukbestand INTEGER NOT NULL, -- 1: in the print bundle of the run that made it
    PRIMARY KEY(cycle, soort, sessie_key, nummer_key)
);
""",
}


def register_path(output_root: Path) -> Path:
    return output_root / REGISTER_NAME


def _refuse(path: Path, why: str) -> OutputError:
    return OutputError(f"het register '{path}' {why}; er is niets geschreven of verstuurd. {_HOW}")


def _configure(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode=DELETE")  # not WAL: see the module docstring
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")


def _check(connection: sqlite3.Connection, path: Path) -> bool:
    """Whether the file is ours (True) or a new, empty database (False); refuses others."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application == 0 and version == 0 and tables == 0:
        return False
    if application != APPLICATION_ID:
        raise _refuse(path, "is geen register van intervisie-docs (een ander bestand)")
    if version > SCHEMA_VERSION:
        raise _refuse(
            path, f"is gemaakt door een nieuwere versie van het programma (schema {version})"
        )
    if version < 1:
        raise _refuse(path, "is niet compleet")
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise _refuse(path, "is beschadigd")
    return True


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring a register of an older schema up to date, all in one transaction; when
    another run did it meanwhile, its work stands."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    steps = "".join(
        MIGRATIONS[number] + f"PRAGMA user_version={number};"
        for number in range(version + 1, SCHEMA_VERSION + 1)
    )
    try:
        connection.executescript("BEGIN IMMEDIATE;" + steps + "COMMIT;")
    except sqlite3.OperationalError as exc:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            raise OutputError(
                f"het register '{path}' is van een vorige versie van het programma en kan niet "
                f"worden bijgewerkt ({exc}); er is niets geschreven of verstuurd. Is het bestand "
                "alleen-lezen of in gebruik? Probeer het daarna opnieuw."
            ) from None


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """The register at `path` (see register_path), created when missing (unless `create`
    is False: then OutputError). Autocommit off: callers use `transaction`."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise _refuse(path, "is geen gewoon bestand")
    if not path.exists():
        if not create:
            raise OutputError(
                f"er is geen register '{path}': maak de e-mails eerst met `intervisie "
                "genereer --mail` in deze uitvoermap; er is niets verstuurd."
            )
        make_private_dirs(path.parent)
        try:  # owner-only like every output file (SQLite gives its journal the same mode)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except FileExistsError:
            pass
        except OSError as exc:
            raise OutputError(
                f"kan het register '{path}' niet maken: {describe_os_error(exc)}"
            ) from None
    try:
        connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise _refuse(path, f"kan niet worden geopend ({exc})") from None
    try:
        _configure(connection)
        if not _check(connection, path):
            connection.executescript(
                "BEGIN;"
                + SCHEMA
                + "".join(MIGRATIONS.values())
                + f"PRAGMA application_id={APPLICATION_ID};"
                + f"PRAGMA user_version={SCHEMA_VERSION};"
                + "COMMIT;"
            )
        else:
            _migrate(connection, path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise _not_opened(path, exc) from None
    except OutputError:
        connection.close()
        raise
    return connection


def _not_opened(path: Path, exc: sqlite3.DatabaseError) -> OutputError:
    """Why an opened register cannot be used: busy with another run, or damaged."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return OutputError(
            f"het register '{path}' is bezet door een andere run; probeer het zo opnieuw"
        )
    return _refuse(path, "is beschadigd of geen SQLite-database")


def read_only(path: Path) -> sqlite3.Connection:
    """The register at `path`, opened by SQLite read-only (mode=ro): nothing is written,
    not even the upgrade of an older schema (its readers ask `schema_version` which
    tables it has). A file that is not ours, damaged or of a newer schema is refused like
    `connect` does; a missing one is an OutputError."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise _refuse(path, "is geen gewoon bestand")
    if not path.exists():
        raise OutputError(f"er is geen register '{path}'")
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise _refuse(path, f"kan niet worden geopend ({exc})") from None
    try:
        connection.execute("PRAGMA query_only=ON")
        _check(connection, path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        if exc.sqlite_errorcode == sqlite3.SQLITE_READONLY_ROLLBACK:  # a hot journal
            raise OutputError(
                f"het register '{path}' is nog niet hersteld na een onderbroken run (ernaast "
                f"staat '{path.name}-journal'); de volgende 'intervisie genereer' of "
                "'intervisie verstuur' herstelt het. Er is niets geschreven."
            ) from None
        raise _not_opened(path, exc) from None
    except OutputError:
        connection.close()
        raise
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema of an open register: 0 for an empty file (a run stopped before it made
    the tables), else 1 up to SCHEMA_VERSION."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it or nothing (BEGIN IMMEDIATE takes the write lock
    at once, so two runs never interleave)."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise OutputError(
            f"het register is bezet of niet schrijfbaar ({exc}); probeer het zo opnieuw"
        ) from None
    try:
        yield connection
    except sqlite3.Error as exc:
        connection.execute("ROLLBACK")
        raise OutputError(f"kan niet in het register schrijven ({exc})") from None
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    try:
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise OutputError(f"kan niet in het register schrijven ({exc})") from None


__all__ = [
    "REGISTER_NAME",
    "connect",
    "read_only",
    "register_path",
    "schema_version",
    "transaction",
]
