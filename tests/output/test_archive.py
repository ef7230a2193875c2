"""The syllabus archive: one zip per distinct set of syllabi, named by their content."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from pipeline.output.archive import archive_syllabi
from pipeline.output.manifest import ManifestRow


def _syllabi(folder: Path, texts: dict[str, bytes]) -> list[ManifestRow]:
    rows = []
    for name, data in texts.items():
        path = folder / "syllabi" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        rows.append(ManifestRow("syllabus", "", name, f"syllabi/{name}", digest))
    return rows


def test_a_changed_syllabus_gives_a_new_archive_next_to_the_old(tmp_path: Path) -> None:
    first_rows = _syllabi(tmp_path / "eerste", {"a.docx": b"oud", "b.docx": b"b"})
    first = archive_syllabi(tmp_path / "eerste", tmp_path, "cyclus", first_rows)
    second_rows = _syllabi(tmp_path / "tweede", {"a.docx": b"nieuw", "b.docx": b"b"})
    second = archive_syllabi(tmp_path / "tweede", tmp_path, "cyclus", second_rows)
    assert first is not None and second is not None
    assert first != second and first.exists() and second.exists()
    with zipfile.ZipFile(second) as archive:
        assert archive.read("syllabi/a.docx") == b"nieuw"
    with zipfile.ZipFile(first) as archive:
        assert archive.read("syllabi/a.docx") == b"oud"


def test_the_archive_name_carries_a_fingerprint_of_its_content(tmp_path: Path) -> None:
    rows = _syllabi(tmp_path, {"a.docx": b"a"})
    target = archive_syllabi(tmp_path, tmp_path, "cyclus", rows)
    assert target is not None
    expected = hashlib.sha256(rows[0].sha256.encode()).hexdigest()[:12]
    assert target.name == f"syllabi-cyclus-{expected}.zip"
    assert target.parent == tmp_path / "archief" / "cyclus"


def test_same_syllabi_keep_the_existing_archive(tmp_path: Path) -> None:
    rows = _syllabi(tmp_path, {"a.docx": b"a"})
    first = archive_syllabi(tmp_path, tmp_path, "cyclus", rows)
    assert first is not None
    stamp = first.stat().st_mtime_ns
    assert archive_syllabi(tmp_path, tmp_path, "cyclus", rows) == first
    assert first.stat().st_mtime_ns == stamp
