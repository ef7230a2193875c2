"""What changed since the previous run of the same cycle.

Every document has an identity that survives renames and retyped ids: (kind, session,
personeelsnummer) compared as identity.py says.
Its `inhoud` is the sha256 of its context as canonical JSON, limited to what counts for
the reader (documents/matters.py): not the bytes of the file (a new template layout or
the letter date alone does not make a letter "changed"), nor the size of the group.
Comparing the plan with the previous manifest gives, per document: new, changed,
unchanged; and per document of the previous run that is no longer planned:
no longer needed ('vervallen').

Each run that changes something starts a new *cycle version* (manifest key
`cyclusversie`). A document remembers the version it last changed in, so a re-run with
the same input reports the same changes as the run before it and writes the same bytes;
`vervallen` keeps every document that disappeared, with its version number, so a
booking that comes back continues its calendar SEQUENCE instead of starting at 0.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.documents.matters import WHOLE, Part
from pipeline.identity import id_key
from pipeline.model import SignatureImage
from pipeline.publish.manifest import (
    ManifestRow,
    RowList,
    csv_chunks,
    manifest_rows,
    read_manifest,
)

NEW = "nieuw"
CHANGED = "gewijzigd"
GONE = "vervallen"
VERSION_KEY = "cyclusversie"
GONE_KEY = "vervallen"
CSV_HEADER = ("wijziging", "soort", "sessie", "personeelsnummer", "naam", "pad")
# Keys of the organisation context that do not change what a recipient must know: the
# letter date moves whenever HR re-sends, and would otherwise mark every letter changed.
_INCIDENTAL = {"briefdatum"}

Key = tuple[str, str, str]


def key_of(soort: str, sessie: str, personeelsnummer: str) -> Key:
    """A document's identity: its kind and its ids in their compared form (identity.py),
    so '004512' and 4512, 'AU-01' and 'au-01' are the same document."""
    return (soort, id_key(sessie), id_key(personeelsnummer))


def key(row: ManifestRow) -> Key:
    return key_of(row.soort, row.sessie, row.personeelsnummer)


def _plain(value: Any) -> Any:
    if isinstance(value, SignatureImage):
        return "handtekening"  # its place on disk is incidental
    raise TypeError(f"not JSON: {type(value).__name__}")


def _canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )


class ContentHasher:
    """sha256 of a document context as canonical JSON (sorted keys, no spacing).

    Given a view (documents/matters.py: which keys and fields count for the kind), only
    those are hashed, so a change nobody must act on (the group's size) changes nothing.
    Contexts of one run share their large parts (organisation, general texts, themes,
    method) as the same objects; those are serialised once per run and view. The cache
    keeps a reference to each object, so an id is never reused for another object
    meanwhile.
    """

    SHARED = frozenset({"organisatie", "algemeen", "methode", "thema", "themas"})

    def __init__(self) -> None:
        self._cache: dict[tuple[int, Part | None], tuple[Any, str]] = {}

    @staticmethod
    def _part(value: Any, part: Part | None) -> Any:
        if part is None or part == WHOLE:
            return value
        if isinstance(value, Mapping):
            return part.view(value)
        if isinstance(value, list):
            return [ContentHasher._part(item, part) for item in value]
        return value

    def _shared(self, key: str, value: Any, part: Part | None = None) -> str:
        hit = self._cache.get((id(value), part))
        if hit is not None and hit[0] is value:
            return hit[1]
        if key == "organisatie" and part is None and isinstance(value, Mapping):
            text = _canonical({k: v for k, v in value.items() if k not in _INCIDENTAL})
        elif key == "themas" and isinstance(value, list):
            text = "[" + ",".join(self._shared("thema", v, part) for v in value) + "]"
            return text  # the list itself is made per document
        else:
            text = _canonical(self._part(value, part))
        self._cache[(id(value), part)] = (value, text)
        return text

    def _text(self, name: str, value: Any, part: Part | None) -> str:
        if name in self.SHARED:
            return self._shared(name, value, part)
        return _canonical(self._part(value, part))

    def __call__(self, context: Mapping[str, Any], view: Mapping[str, Part] | None = None) -> str:
        """The hash of `context`, or of only the parts `view` counts."""
        return self.hashes(context, view)[0]

    def hashes(self, context: Mapping[str, Any], *views: Mapping[str, Part] | None) -> list[str]:
        """The hash of `context` under each view; a part two views count alike is
        serialised once."""
        texts: dict[tuple[str, Part | None], str] = {}
        found = []
        for view in views or (None,):
            names = sorted(context) if view is None else sorted(k for k in view if k in context)
            parts = []
            for name in names:
                part = None if view is None else view[name]
                text = texts.get((name, part))
                if text is None:
                    text = texts[(name, part)] = self._text(name, context[name], part)
                parts.append(f"{_canonical(name)}:{text}")
            joined = "{" + ",".join(parts) + "}"
            found.append(hashlib.sha256(joined.encode("utf-8")).hexdigest())
        return found


def content_hash(context: Mapping[str, Any]) -> str:
    """One context's hash (see ContentHasher; a run keeps one hasher for all documents)."""
    return ContentHasher()(context)


@dataclass(frozen=True)
class Previous:
    """What the previous run of the cycle left in its manifest.json."""

    version: int
    rows: tuple[ManifestRow, ...]
    gone: tuple[ManifestRow, ...]


def read_previous(folder: Path) -> Previous | None:
    """None when there was no previous run (or its manifest cannot be read: then every
    document counts as new, which sends too much rather than too little)."""
    record = read_manifest(folder)
    if record is None:
        return None
    version = record.get(VERSION_KEY, 0)
    return Previous(
        version if isinstance(version, int) else 0,
        manifest_rows(record.get("documenten")),
        manifest_rows(record.get(GONE_KEY)),
    )


@dataclass(frozen=True, slots=True)
class Change:
    status: str  # NEW, CHANGED or GONE
    row: ManifestRow


@dataclass(frozen=True)
class Comparison:
    version: int  # this run's cycle version
    rows: tuple[ManifestRow, ...]  # the planned rows with versie and gewijzigd_in set
    gone: tuple[ManifestRow, ...]  # every document that disappeared so far (history)

    @property
    def changes(self) -> list[Change]:
        """What this cycle version changed among the planned rows, then the gone."""
        return self.changes_among(self.rows)

    def changes_among(self, rows: Iterable[ManifestRow]) -> list[Change]:
        """The same over `rows`: with the rows a --soort run carried over, the report
        stays complete for the cycle version."""
        found = [
            Change(CHANGED if row.versie else NEW, row)
            for row in rows
            if row.inhoud and row.gewijzigd_in == self.version
        ]
        return found + [Change(GONE, row) for row in self.gone if row.gewijzigd_in == self.version]

    @property
    def versions(self) -> dict[Key, ManifestRow]:
        return {key(row): row for row in self.rows}

    def versions_of(self, soort: str) -> dict[Key, ManifestRow]:
        """`versions` of one kind (a smaller dict, for the steps that need only that)."""
        return {key(row): row for row in self.rows if row.soort == soort}

    def changed(self, soort: str) -> set[Key]:
        return {key(c.row) for c in self.changes if c.status != GONE and c.row.soort == soort}

    def cancelled(self, soort: str) -> list[ManifestRow]:
        return [c.row for c in self.changes if c.status == GONE and c.row.soort == soort]


def compare(
    previous: Previous | None, planned: Sequence[ManifestRow], kinds: set[str]
) -> Comparison:
    """Give each planned row its version; `kinds` are the kinds this run makes (others
    were carried over and cannot have disappeared)."""
    before = {key(r): r for r in previous.rows if r.soort in kinds} if previous else {}
    history = {key(r): r for r in previous.gone} if previous else {}
    last = previous.version if previous else 0
    current = last + 1
    rows: list[ManifestRow] = []
    touched = False
    for row in planned:
        identity = key(row)
        old = before.pop(identity, None)
        if old is not None and old.inhoud == row.inhoud:
            rows.append(replace(row, versie=old.versie, gewijzigd_in=old.gewijzigd_in))
            continue
        touched = True
        gone = history.pop(identity, None)
        if old is not None:
            version = old.versie + 1
        elif gone is not None:  # it disappeared once and comes back
            version = gone.versie + 1
        else:
            version = 0
        rows.append(replace(row, versie=version, gewijzigd_in=current))
    for old in before.values():
        touched = True
        history[key(old)] = replace(old, versie=old.versie + 1, gewijzigd_in=current, sha256="")
    if not touched and previous is not None:
        return Comparison(last, tuple(rows), tuple(history.values()))
    # A version where nothing moved keeps its number; the rows were stamped `current`.
    return Comparison(current, tuple(rows), tuple(history.values()))


def compare_run(
    previous: Previous | None,
    written: Sequence[ManifestRow],
    events: Sequence[ManifestRow],
    kinds: set[str],
) -> tuple[Comparison, list[ManifestRow]]:
    """The run's compare step: the documents written and the calendar events planned,
    compared with the previous run; the comparison and `written` with their versions."""
    comparison = compare(previous, [*written, *events], kinds)
    versions = comparison.versions
    return comparison, [versions[key(row)] for row in written]


def only_changed(
    comparison: Comparison, rows: Iterable[ManifestRow], soorten: Iterable[str]
) -> list[ManifestRow]:
    """The rows of a booking (session, person) that changed in this cycle version in any
    of `soorten`: what --alleen-wijzigingen sends again."""
    fresh = {(s, n) for soort in soorten for (_, s, n) in comparison.changed(soort)}
    return [row for row in rows if key(row)[1:] in fresh]


def changes_csv_chunks(changes: Iterable[Change], names: Mapping[str, str]) -> Iterator[bytes]:
    """wijzigingen.csv: Excel-friendly like manifest.csv (BOM, semicolons), in pieces."""
    return csv_chunks(
        CSV_HEADER,
        (
            (
                change.status,
                change.row.soort,
                change.row.sessie,
                change.row.personeelsnummer,
                names.get(change.row.personeelsnummer, ""),
                change.row.pad,
            )
            for change in changes
        ),
    )


def manifest_extra(comparison: Comparison) -> dict[str, Any]:
    return {
        VERSION_KEY: comparison.version,
        GONE_KEY: RowList(comparison.gone),
    }
