"""Build the five .docx templates under templates/ with python-docx.

The templates are committed and are the source HR edits in Word; this script documents
how they were made and rebuilds them (`make templates`). It never overwrites a template
that was changed after it was last built (its bytes differ from what the script wrote,
recorded in templates/sjablonen.sha256) unless asked to with --forceer.

The builders live in tools/template_builder/: one module per template and the house-style
helpers (house_style, para, facts, table, keep_with_next, hyperlink, ...) they all share,
so a new document kind looks the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
if str(ROOT) not in sys.path:  # run as a script (`python tools/build_templates.py`)
    sys.path.insert(0, str(ROOT))

from tools.template_builder import BUILDERS  # noqa: E402
from tools.template_builder.package import package  # noqa: E402
from tools.template_builder.record import build  # noqa: E402

__all__ = ["BUILDERS", "build", "main", "package"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de Word-sjablonen in templates/.")
    parser.add_argument("map", nargs="?", type=Path, default=ROOT / "templates")
    parser.add_argument(
        "--forceer",
        action="store_true",
        help="overschrijf ook sjablonen die na de laatste bouw zijn gewijzigd",
    )
    args = parser.parse_args(argv)
    return build(args.map, force=args.forceer)


if __name__ == "__main__":
    sys.exit(main())
