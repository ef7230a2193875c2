"""The run's record: manifest.csv (one row per file) and manifest.json (the whole run)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MANIFEST_JSON = "manifest.json"
PROGRAM = "intervisie-docs"
CSV_HEADER = ("soort", "sessie", "personeelsnummer", "pad", "sha256")
# A cell starting with one of these is a formula to Excel or LibreOffice Calc.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ManifestRow:
    soort: str
    sessie: str
    personeelsnummer: str
    pad: str  # relative to the cycle folder, with forward slashes
    sha256: str
    # What the recipient reads: sha256 of the document's context (see register/changes.py);
    # "" for files without one (print bundles).
    inhoud: str = ""
    versie: int = 0  # 0 when first made, +1 each time its content changed in this cycle
    gewijzigd_in: int = 0  # the cycle version (run that changed something) it last changed in


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running data as a formula: prefix such values with '."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def manifest_csv(rows: Iterable[ManifestRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            neutralise(v)
            for v in (row.soort, row.sessie, row.personeelsnummer, row.pad, row.sha256)
        )
    # BOM: Excel then reads the file as UTF-8 (names with diacritics stay intact).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def manifest_json_chunks(
    *,
    version: str,
    cycle: str,
    workbook: Path,
    workbook_sha256: str,
    templates: Sequence[tuple[str, str]],
    warnings: Sequence[str],
    counts: dict[str, int],
    rows: Sequence[ManifestRow],
    extra: dict[str, Any] | None = None,
) -> Iterator[bytes]:
    """manifest.json in pieces as the encoder makes them (json.dumps with indent builds
    a list of every small string first: tens of megabytes for a large run); together
    the same bytes as json.dumps(record, ensure_ascii=False, indent=2) + newline."""
    record: dict[str, Any] = {
        "programma": PROGRAM,
        "versie": version,
        "cyclus": cycle,
        "werkboek": {"naam": workbook.name, "sha256": workbook_sha256},
        "sjablonen": [{"naam": name, "sha256": digest} for name, digest in templates],
        "aantallen": counts,
        "waarschuwingen": list(warnings),
        "documenten": [row.__dict__ for row in rows],
        **(extra or {}),
    }
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    pending: list[str] = []
    size = 0
    for piece in encoder.iterencode(record):
        pending.append(piece)
        size += len(piece)
        if size >= _JSON_BLOCK:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    pending.append("\n")
    yield "".join(pending).encode("utf-8")


_JSON_BLOCK = 1 << 16  # characters per piece written


def read_manifest(folder: Path) -> dict[str, object] | None:
    """Our manifest.json in `folder`, or None when there is none we can read: the one
    place the previous run's record is parsed (ownership, changes, carry-over)."""
    path = folder / MANIFEST_JSON
    try:
        if path.is_symlink() or not path.is_file():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("programma") != PROGRAM:
        return None
    return record


_ROW_FIELDS = {f.name for f in fields(ManifestRow)}


def manifest_rows(entries: object) -> tuple[ManifestRow, ...]:
    """The rows of a manifest list (documenten, vervallen); entries that are not rows
    are left out."""
    rows = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            try:
                rows.append(ManifestRow(**{k: v for k, v in entry.items() if k in _ROW_FIELDS}))
            except TypeError:
                continue
    return tuple(rows)
