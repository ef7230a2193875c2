"""Folder names under the output root: one distinct folder per cycle, never the archive's."""

from __future__ import annotations

import hashlib
import re

from pipeline.documents.filenames import MAX_PART_LENGTH, fold_to_ascii, safe_part
from pipeline.identity import cycle_key

ARCHIVE_DIR = "archief"
_SPACES = re.compile(r"[\s-]+")


def cycle_folder(cycle_name: str) -> str:
    """The cycle's folder: its name as a readable slug, made distinct where the slug loses
    something (dropped characters, a cut, the archive's name) by a short hash of the name.

    'Intervisie voorjaar 2027' -> 'intervisie-voorjaar-2027'; 'team A+B' and 'team A/B'
    both slug to 'team-a-b' and so each gets its own suffix. The folder is made from
    identity.cycle_key alone, so every name identity.same_cycle counts as the same cycle
    (case, accents, spacing: 'Team A+B' and 'team  a+b'; 'Ǿresund' and 'Øresund', an accent
    on a letter ASCII folding changes) gets the same folder, with a suffix or without. Two
    different cycles whose slugs still meet (a name that only loses a ligature, 'Œuvre' and
    'oeuvre') share a folder name; ownership then refuses to let the one replace the other.
    """
    key = cycle_key(cycle_name)
    slug = safe_part(key)
    readable = _SPACES.sub("-", fold_to_ascii(key).strip()).strip("-")
    if slug == readable and slug != ARCHIVE_DIR:
        return slug
    suffix = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{slug[: MAX_PART_LENGTH - len(suffix) - 1].rstrip('-_.')}-{suffix}"
