"""Never overwrite what HR edited: the record of what the builder last wrote
(templates/sjablonen.sha256) and the build that honours it.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from tools.template_builder import BUILDERS
from tools.template_builder.package import package

# The record of what this script last wrote, so an edited template is never overwritten.
RECORD = "sjablonen.sha256"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(target: Path) -> dict[str, str]:
    """name -> sha256 of the bytes this script last wrote."""
    path = target / RECORD
    if not path.exists():
        return {}
    record = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            record[name] = digest
    return record


def edited(target: Path, names: Iterable[str]) -> list[str]:
    """Templates whose bytes differ from what this script last wrote (or that exist
    without a record): someone edited them, in Word or otherwise."""
    record = read_record(target)
    return [
        name
        for name in names
        if (target / name).exists()
        and record.get(name) != _digest((target / name).read_bytes())
    ]


def build(target: Path, force: bool = False) -> int:
    """Write every template; refuse (exit code 1) when one was edited, unless forced."""
    target.mkdir(parents=True, exist_ok=True)
    changed = edited(target, BUILDERS)
    if changed and not force:
        for name in changed:
            print(
                f"niet overschreven: {target / name} is gewijzigd sinds het laatst is gebouwd "
                "(bijvoorbeeld in Word).",
                file=sys.stderr,
            )
        print(
            "Er is niets geschreven. Bewaar de wijzigingen eerst elders, of bouw toch opnieuw "
            "met: python tools/build_templates.py --forceer (dat overschrijft ze).",
            file=sys.stderr,
        )
        return 1
    record = read_record(target)
    for name, builder in BUILDERS.items():
        data = package(builder())
        (target / name).write_bytes(data)
        record[name] = _digest(data)
        note = " (gewijzigde versie overschreven)" if name in changed else ""
        print(f"geschreven: {target / name}{note}")
    (target / RECORD).write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(record.items())),
        encoding="utf-8",
    )
    return 0

