"""`archief controleer` on an archive someone tampered with in ways a checksum does not
show: symbolic links to identical copies, an unreadable file, a sha256sums.txt that is
not UTF-8, an empty folder. Each is a Dutch finding, never a traceback."""

from __future__ import annotations

import errno
import pathlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.archive.check import check_archive
from pipeline.cli import main
from pipeline.run import generate
from tests.conftest import TEMPLATES
from tests.workbooks import TODAY, Book


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One archive (of .docx syllabi), copied for each test to tamper with."""
    root = tmp_path_factory.mktemp("archief")
    workbook = Book.valid().save(root / "werkboek.xlsx")
    result = generate(workbook, root / "uit", TEMPLATES, today=TODAY, workers=1)
    assert result.archive is not None
    return result.archive.folder


@pytest.fixture
def archive(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archief" / pristine.parent.name / pristine.name
    shutil.copytree(pristine, copy, symlinks=True)
    assert check_archive(tmp_path / "archief").findings == []
    return copy


def controleer(folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["archief", "controleer", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stderr.splitlines()


def findings(folder: Path) -> list[str]:
    return [str(f) for f in check_archive(folder).findings]


def test_a_file_replaced_by_a_link_to_an_identical_copy_is_reported(
    archive: Path, tmp_path: Path
) -> None:
    syllabus = sorted((archive / "syllabi").glob("*.docx"))[0]
    elsewhere = tmp_path / "elders.docx"
    shutil.copyfile(syllabus, elsewhere)
    syllabus.unlink()
    syllabus.symlink_to(elsewhere)
    code, lines = controleer(archive)
    assert code == 1
    assert findings(archive) == [
        f"syllabi/{syllabus.name}: is een symbolische koppeling (naar '{elsewhere}'), geen "
        "eigen bestand of map van het archief"
    ]
    assert lines[-1].startswith("Het archief is niet in orde: 1 bevinding; ")
    assert check_archive(archive).files == 36  # nothing read through the link


def test_the_syllabi_folder_replaced_by_a_link_to_an_identical_copy_is_reported(
    archive: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elders"
    shutil.copytree(archive / "syllabi", elsewhere)
    shutil.rmtree(archive / "syllabi")
    (archive / "syllabi").symlink_to(elsewhere, target_is_directory=True)
    assert findings(archive) == [
        f"syllabi: is een symbolische koppeling (naar '{elsewhere}'), geen eigen bestand of "
        "map van het archief"
    ]
    assert controleer(archive)[0] == 1
    assert check_archive(archive).files == 1  # only the cycle's record: nothing via the link
    whole = tmp_path / "archief" / archive.parent.name  # checked from above: the same
    assert findings(whole) == [f"{archive.name}/{finding}" for finding in findings(archive)]


def test_a_line_that_is_not_utf8_is_a_finding_and_its_file_unknown(archive: Path) -> None:
    sums = archive / "sha256sums.txt"
    lines = sums.read_bytes().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.endswith(b".docx\n"))
    listed = lines[number].split(b"  ", 1)[1].strip().decode()
    lines[number] = lines[number].replace(b"syllabi/", b"syllabi/\xff")
    sums.write_bytes(b"".join(lines))
    column = lines[number].index(b"\xff") + 1
    code, _ = controleer(archive)
    assert code == 1
    assert findings(archive) == [
        f"sha256sums.txt: regel {number + 1} onleesbaar (geen UTF-8: byte 0xff op positie "
        f"{column})",
        f"{listed}: onbekend bestand (staat in geen sha256sums.txt)",
    ]


def test_an_unreadable_file_is_a_finding(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syllabus = sorted((archive / "syllabi").glob("*.docx"))[0]
    syllabus.chmod(0)  # enough for an ordinary user; root reads it anyway, so also:
    opened = pathlib.Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == syllabus:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opened(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    code, _ = controleer(archive)
    assert code == 1
    assert findings(archive) == [
        f"syllabi/{syllabus.name}: kan niet worden gelezen: geen toegang (rechten) ({syllabus})"
    ]
    syllabus.chmod(0o600)


def test_an_empty_folder_is_reported(archive: Path, tmp_path: Path) -> None:
    (archive / "syllabi" / "leeg").mkdir()
    (tmp_path / "archief" / "nog-een-cyclus").mkdir()
    assert findings(tmp_path / "archief") == [
        f"{archive.parent.name}/{archive.name}/syllabi/leeg: lege map (hoort niet bij het "
        "archief)",
        "nog-een-cyclus: lege map (hoort niet bij het archief)",
    ]
    assert controleer(tmp_path / "archief")[0] == 1
