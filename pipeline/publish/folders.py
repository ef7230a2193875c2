"""Folder names under the output root: one distinct folder per cycle, never the archive's."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pipeline.documents.filenames import MAX_PART_LENGTH, fold_to_ascii, safe_part

ARCHIVE_DIR = "archief"
_SPACES = re.compile(r"[\s-]+")


def cycle_key(cycle_name: str) -> str:
    """What names a cycle to a person: the name without case, accents or extra spacing."""
    decomposed = unicodedata.normalize("NFKD", cycle_name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def cycle_folder(cycle_name: str) -> str:
    """The cycle's folder: its name as a readable slug, made distinct where the slug loses
    something (dropped characters, a cut, the archive's name) by a short hash of the name.

    'Intervisie voorjaar 2027' -> 'intervisie-voorjaar-2027'; 'team A+B' and 'team A/B'
    both slug to 'team-a-b' and so each gets its own suffix. Names that differ only in
    case, accents or spacing share a folder, suffix or not: they name the same cycle to a
    person (cycle_key, which ownership.same_cycle compares too).
    """
    slug = safe_part(cycle_name)
    readable = _SPACES.sub("-", fold_to_ascii(cycle_name).strip()).strip("-")
    if slug == readable and slug != ARCHIVE_DIR:
        return slug
    suffix = hashlib.sha256(cycle_key(cycle_name).encode()).hexdigest()[:8]
    return f"{slug[: MAX_PART_LENGTH - len(suffix) - 1].rstrip('-_.')}-{suffix}"
