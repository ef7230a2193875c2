"""Build the example workbook `inputs/voorbeeld.xlsx` from the data in tools/voorbeeld.toml.

Run from the project root:  .venv/bin/python tools/make_example.py   (or `make example`)

The rows go into the empty workbook `nieuw-werkboek` writes (same headers, formats and
dropdowns), the file is saved deterministically (the same data gives the same bytes),
and the real workbook check then reads it back: the example must pass without errors, or
nothing is kept (its warnings are printed: some sessions are too short on purpose). The
signature inputs/handtekening.png is a committed file, not generated.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.content.themes import load_content  # noqa: E402
from pipeline.errors import IntervisieError  # noqa: E402
from pipeline.workbook import schema  # noqa: E402
from pipeline.workbook.check import check_workbook  # noqa: E402
from pipeline.workbook.empty import (  # noqa: E402
    build_empty_workbook,
    fill_workbook,
    save_workbook,
)

DATA = ROOT / "tools" / "voorbeeld.toml"
WORKBOOK = ROOT / "inputs" / "voorbeeld.xlsx"


def load_data(path: Path = DATA) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def write_workbook(data: dict[str, Any], path: Path) -> None:
    """The example as an .xlsx file at `path`."""
    workbook = build_empty_workbook(data["themas"])
    fill_workbook(
        workbook,
        data["organisatie"],
        {
            schema.SESSIES.name: data["sessies"],
            schema.DEELNEMERS.name: data["deelnemers"],
            schema.INDELING.name: data["indeling"]["rijen"],
            schema.UITKOMSTEN.name: data["uitkomsten"],
        },
    )
    save_workbook(workbook, path, timestamp=data["tijdstempel"])


def check(path: Path, today: dt.date) -> list[str]:
    """Every error the real workbook check finds in `path` (empty: the check accepts it)."""
    return check_all(path, today)[0]


def check_all(path: Path, today: dt.date) -> tuple[list[str], list[str]]:
    """The errors and the warnings the real workbook check finds in `path`."""
    try:
        result = check_workbook(path, load_content(ROOT / "templates"), today)
    except IntervisieError as exc:
        return [str(p) for p in getattr(exc, "problems", ())] or [str(exc)], []
    return [], [str(p) for p in result.warnings]


def main() -> int:
    data = load_data()
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / WORKBOOK.name
        # The check looks for the signature next to the workbook, as in inputs/.
        signature = data["organisatie"].get("handtekening")
        if signature:
            (Path(folder) / signature).write_bytes((WORKBOOK.parent / signature).read_bytes())
        write_workbook(data, draft)
        errors, warnings = check_all(draft, data["vandaag"])
        if errors:
            print(f"{DATA.relative_to(ROOT)} is niet in orde; niets geschreven:", file=sys.stderr)
            for problem in errors:
                print(f"  {problem}", file=sys.stderr)
            return 1
        WORKBOOK.write_bytes(draft.read_bytes())
    print(f"Geschreven: {WORKBOOK.relative_to(ROOT)}")
    # The example plans some 60-minute sessions on purpose: HR does, and the warning with
    # its advice is part of what a new user should see.
    for warning in warnings:
        print(f"  waarschuwing (zoals bedoeld): {warning}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
