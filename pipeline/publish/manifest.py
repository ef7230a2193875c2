"""The run's record: manifest.csv (one row per file) and manifest.json (the whole run)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

MANIFEST_JSON = "manifest.json"
PROGRAM = "intervisie-docs"
CSV_HEADER = ("soort", "sessie", "personeelsnummer", "pad", "sha256")
# A cell starting with one of these is a formula to Excel or LibreOffice Calc.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
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

    def as_dict(self) -> dict[str, Any]:
        """The row as manifest.json has it: every field, in field order."""
        return {name: getattr(self, name) for name in ROW_FIELDS}


ROW_FIELDS = tuple(f.name for f in fields(ManifestRow))

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


def csv_chunks(header: Sequence[str], lines: Iterable[Iterable[str]]) -> Iterator[bytes]:
    """An Excel-friendly CSV (BOM: Excel then reads UTF-8, so names with diacritics stay
    intact; semicolons) in pieces of some thousand lines, never held whole; every value
    neutralised."""
    yield "\ufeff".encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for number, line in enumerate(lines, start=1):
        writer.writerow(neutralise(value) for value in line)
        if number % _CSV_BLOCK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


_CSV_BLOCK = 2000  # lines per piece written


def manifest_csv_chunks(rows: Iterable[ManifestRow]) -> Iterator[bytes]:
    return csv_chunks(
        CSV_HEADER,
        ((row.soort, row.sessie, row.personeelsnummer, row.pad, row.sha256) for row in rows),
    )


def manifest_csv(rows: Iterable[ManifestRow]) -> bytes:
    return b"".join(manifest_csv_chunks(rows))


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
    a list of every small string first: tens of megabytes for a large run), each list
    of rows (`rows`, and a RowList in `extra`) one row at a time; together the same
    bytes as json.dumps(record, ensure_ascii=False, indent=2) + newline, with every row
    as its as_dict()."""
    record: dict[str, Any] = {
        "programma": PROGRAM,
        "versie": version,
        "cyclus": cycle,
        "werkboek": {"naam": workbook.name, "sha256": workbook_sha256},
        "sjablonen": [{"naam": name, "sha256": digest} for name, digest in templates],
        "aantallen": counts,
        "waarschuwingen": list(warnings),
        "documenten": RowList(rows),
        **(extra or {}),
    }
    lists = {name: value for name, value in record.items() if isinstance(value, RowList)}
    markers = {_INDENTED.encode(f"\0rows\0{name}"): name for name in lists}
    record.update({name: f"\0rows\0{name}" for name in lists})
    pending: list[str] = []
    size = 0
    for piece in _INDENTED.iterencode(record):
        name = markers.pop(piece, None)
        for text in _rows_json(lists[name].rows) if name is not None else (piece,):
            pending.append(text)
            size += len(text)
            if size >= _JSON_BLOCK:
                yield "".join(pending).encode("utf-8")
                pending, size = [], 0
    if markers:  # the encoder did not give a value as a piece of its own
        raise RuntimeError(f"manifest.json: {sorted(markers.values())} not written")
    pending.append("\n")
    yield "".join(pending).encode("utf-8")


_JSON_BLOCK = 1 << 16  # characters per piece written
_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class RowList:
    """Rows as a list in manifest.json, written one at a time (manifest_json_chunks)."""

    rows: Sequence[ManifestRow]


_ROW_START = "{\n      "
_ROW_SEPARATOR = ",\n      "
_ROW_END = "\n    }"
_ROW_KEYS = tuple(f"{encode_basestring(name)}: " for name in ROW_FIELDS)


def _rows_json(rows: Iterable[ManifestRow]) -> Iterator[str]:
    """A list of rows as the encoder writes it as a value of the record (indent 2, so
    each row at level 2), without building a dict per row."""
    first = True
    for row in rows:
        yield "[\n    " if first else ",\n    "
        first = False
        yield _row_json(row)
    yield "[]" if first else "\n  ]"


def _row_json(row: ManifestRow) -> str:
    values = [getattr(row, name) for name in ROW_FIELDS]
    if not all(type(value) is str or type(value) is int for value in values):
        # A hand-edited previous manifest may hold anything: the encoder's own way.
        return _INDENTED.encode(row.as_dict()).replace("\n", "\n    ")
    texts = (
        key + (encode_basestring(value) if type(value) is str else int.__repr__(value))
        for key, value in zip(_ROW_KEYS, values, strict=True)
    )
    return _ROW_START + _ROW_SEPARATOR.join(texts) + _ROW_END


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


_ROW_FIELDS = set(ROW_FIELDS)


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
