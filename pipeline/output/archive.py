"""Archive the syllabi of a run: one deterministic zip per distinct set of syllabi.

The archive lives outside the cycle folder (`<root>/archief/<cycle>/`), so a new run
never removes an earlier archive; its name carries a hash of its content, so the same
input gives the same archive and re-running does not pile up copies. It is streamed to
disk (memory stays flat however many syllabi there are) and published with os.replace.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import FILE_MODE, make_private_dirs, zip_member
from pipeline.output.folders import ARCHIVE_DIR
from pipeline.output.manifest import ManifestRow, manifest_csv


def _write_zip(target: Path, source_folder: Path, syllabi: Sequence[ManifestRow]) -> None:
    make_private_dirs(target.parent)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for row in syllabi:
                # Stored, not deflated: a .docx is compressed already.
                info = zip_member(row.pad, zipfile.ZIP_STORED)
                with (source_folder / row.pad).open("rb") as src, archive.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst)
            archive.writestr(zip_member("manifest.csv"), manifest_csv(syllabi))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def archive_syllabi(
    source_folder: Path, root: Path, cycle_folder: str, rows: Sequence[ManifestRow]
) -> Path | None:
    """Archive the syllabi listed in `rows` (found under `source_folder`)."""
    syllabi = [r for r in rows if r.soort == "syllabus"]
    if not syllabi:
        return None
    fingerprint = hashlib.sha256("".join(r.sha256 for r in syllabi).encode()).hexdigest()[:12]
    target = root / ARCHIVE_DIR / cycle_folder / f"syllabi-{cycle_folder}-{fingerprint}.zip"
    if target.exists():
        return target
    try:
        _write_zip(target, source_folder, syllabi)
    except OSError as exc:
        raise OutputError(
            f"de documenten staan klaar, maar het archief '{target}' kon niet worden "
            f"geschreven: {describe_os_error(exc)}"
        ) from None
    return target
