"""The helper for checks without root's rights: the mode bits bind its work, whatever
the checkout's place, and its work's failure fails the test."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest

from tests.plain_user import as_plain_user


def test_a_file_with_mode_000_cannot_be_read(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    secret.chmod(0)

    def work() -> None:
        with pytest.raises(PermissionError):
            secret.read_text()

    as_plain_user(work)


def test_a_read_only_folder_cannot_be_written_to(tmp_path: Path) -> None:
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o500)

    def work() -> None:
        with pytest.raises(PermissionError):
            (folder / "nieuw.txt").write_text("x")
        assert not (folder / "nieuw.txt").exists()

    try:
        as_plain_user(work)
    finally:
        folder.chmod(0o700)


def test_a_program_it_starts_has_no_root_rights_either(tmp_path: Path) -> None:
    import subprocess

    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    secret.chmod(0)

    def work() -> None:
        result = subprocess.run(["cat", str(secret)], capture_output=True, check=False)
        assert result.returncode != 0
        assert b"geheim" not in result.stdout

    as_plain_user(work)


def test_its_own_files_and_modules_stay_readable(tmp_path: Path) -> None:
    """Python and the checkout may be in a folder only their owner can read (/root,
    `mktemp -d`): a module first imported in the work still imports."""
    mine = tmp_path / "eigen.txt"
    mine.write_text("van mij")
    mine.chmod(0o600)

    def work() -> None:
        sys.modules.pop("colorsys", None)
        assert importlib.import_module("colorsys").rgb_to_hsv(0, 0, 0) == (0, 0, 0)
        assert mine.read_text() == "van mij"

    as_plain_user(work)


def test_its_failure_fails_the_test_with_the_reason() -> None:
    def work() -> None:
        raise AssertionError("een bewuste fout")

    with pytest.raises(AssertionError, match="een bewuste fout") as failure:
        as_plain_user(work)
    if os.geteuid() == 0:
        assert "without root's rights failed" in str(failure.value)
