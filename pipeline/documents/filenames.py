"""File names built from workbook data: safe on every file system, always inside the output."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

MAX_PART_LENGTH = 60
_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")
# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
# Device names Windows refuses as a file name whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}


def fold_to_ascii(text: str) -> str:
    """NFC, lower case, diacritics folded: 'Café Øst' -> 'cafe ost' (other signs stay)."""
    normal = unicodedata.normalize("NFC", text)
    return "".join(
        c
        for c in unicodedata.normalize("NFKD", normal.lower().translate(_FOLD))
        if not unicodedata.combining(c)
    ).lower()


def safe_part(text: str, fallback: str = "onbekend") -> str:
    """One path segment: NFC, diacritics folded to ASCII, lower case, only [a-z0-9_-]."""
    cleaned = _DASHES.sub("-", _UNSAFE.sub("-", fold_to_ascii(text))).strip("-_.")
    cleaned = cleaned[:MAX_PART_LENGTH].rstrip("-_.")
    if not cleaned:
        return fallback
    if cleaned.split(".")[0] in _RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned


class UniquePaths:
    """Hands out relative paths that stay unique on a case-insensitive file system."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, folder: str, stem: str, suffix: str) -> PurePosixPath:
        candidate, number = stem, 1
        while f"{folder}/{candidate}{suffix}".casefold() in self._taken:
            number += 1
            candidate = f"{stem}-{number}"
        path = f"{folder}/{candidate}{suffix}"
        self._taken.add(path.casefold())
        return PurePosixPath(path)
