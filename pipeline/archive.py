"""Archive the syllabi of a run: one deterministic zip per distinct set of syllabi.

The archive lives outside the cycle folder (`<root>/archief/<cycle>/`), so a new run
never removes an earlier archive; its name carries a hash of its content, so the same
input gives the same archive and re-running does not pile up copies.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError
from .manifest import ManifestRow, manifest_csv
from .writer import write_atomic

ARCHIVE_DIR = "archief"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def archive_syllabi(
    staging: Path, root: Path, cycle_folder: str, rows: Sequence[ManifestRow]
) -> Path | None:
    syllabi = [r for r in rows if r.soort == "syllabus"]
    if not syllabi:
        return None
    fingerprint = hashlib.sha256("".join(r.sha256 for r in syllabi).encode()).hexdigest()[:12]
    target = root / ARCHIVE_DIR / cycle_folder / f"syllabi-{cycle_folder}-{fingerprint}.zip"
    if target.exists():
        return target
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in syllabi:
            info = zipfile.ZipInfo(row.pad, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED  # docx files are compressed already
            info.external_attr = 0o600 << 16
            archive.writestr(info, (staging / row.pad).read_bytes())
        info = zipfile.ZipInfo("manifest.csv", date_time=ZIP_DATE)
        info.external_attr = 0o600 << 16
        archive.writestr(info, manifest_csv(syllabi))
    try:
        write_atomic(target, buffer.getvalue())
    except OSError as exc:
        raise OutputError(
            f"de documenten staan klaar, maar het archief '{target}' kon niet worden "
            f"geschreven: {exc}"
        ) from None
    return target
