"""Runs that meet: a lock per cycle folder, recovery after kills, read-only leftovers."""

from __future__ import annotations

import shutil
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import OutputError
from pipeline.publish import lock
from pipeline.publish.lock import CycleLock
from pipeline.register.db import REGISTER_NAME
from pipeline.run import generate
from tests.conftest import EXAMPLE, TEMPLATES
from tests.generated import TODAY, generate_example
from tests.plain_user import as_plain_user
from tests.workbooks import TODAY as BOOK_TODAY
from tests.workbooks import Book

FOLDER = "intervisie-voorjaar-2027"


def test_a_second_run_of_the_same_cycle_refuses_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    with CycleLock(tmp_path, FOLDER):
        result = CliRunner().invoke(
            main, ["genereer", str(EXAMPLE), "--uitvoer", str(tmp_path)], prog_name="intervisie"
        )
        assert result.exit_code == 2, result.output
        assert "een andere run schrijft nu in de map" in result.stderr
        assert not (tmp_path / FOLDER).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the lock file is gone too


def test_a_second_run_waits_briefly_for_the_first(tmp_path: Path) -> None:
    held = CycleLock(tmp_path, FOLDER).__enter__()
    timer = threading.Timer(0.5, held.__exit__, (None, None, None))
    timer.start()
    started = time.monotonic()
    run = generate_example(tmp_path)
    assert time.monotonic() - started >= 0.5
    assert (run.target / "manifest.json").is_file()


def test_another_cycle_is_not_held_up(tmp_path: Path) -> None:
    with CycleLock(tmp_path, "een-andere-cyclus", wait=0):
        assert generate_example(tmp_path).target.name == FOLDER


def _killed_in_publish(root: Path) -> Path:
    """What kill -9 between the two renames of publish() leaves: no cycle folder, the
    old one under its 'vorige' name, a staging folder and a lock file."""
    first = generate_example(root)
    first.target.rename(root / f".{FOLDER}.vorige-999999999")
    (root / f".{FOLDER}.staging-999999999").mkdir()
    (root / f".{FOLDER}.lock").touch()
    return first.target


def test_controleer_restores_a_folder_a_killed_publish_left_missing(tmp_path: Path) -> None:
    target = _killed_in_publish(tmp_path)
    result = CliRunner().invoke(
        main, ["controleer", str(EXAMPLE), "--uitvoer", str(tmp_path)], prog_name="intervisie"
    )
    assert result.exit_code == 0, result.output
    assert f"Teruggezet na een afgebroken run: {target}" in result.stderr
    assert (target / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["archief", REGISTER_NAME, FOLDER])


def test_a_run_of_another_cycle_restores_it_too(tmp_path: Path) -> None:
    target = _killed_in_publish(tmp_path)
    other = Book.valid().org("cyclus", "Intervisie najaar 2027").save(tmp_path / "ander.xlsx")
    generate(other, tmp_path, TEMPLATES, today=BOOK_TODAY, workers=1)
    assert (target / "manifest.json").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_read_only_cycle_folder_leaves_no_old_copy_behind(tmp_path: Path) -> None:
    for name in ("voorbeeld.xlsx", "handtekening.png"):
        shutil.copy(EXAMPLE.parent / name, tmp_path / name)
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    root = tmp_path / "uit"

    def work() -> None:
        first = generate(tmp_path / "voorbeeld.xlsx", root, templates, today=TODAY, workers=1)
        for folder in [first.target, *[p for p in first.target.rglob("*") if p.is_dir()]]:
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        second = generate(tmp_path / "voorbeeld.xlsx", root, templates, today=TODAY, workers=1)
        left = sorted(p.name for p in root.iterdir())
        assert left == sorted(["archief", REGISTER_NAME, FOLDER]), left
        assert (second.target / "manifest.json").is_file()

    try:
        as_plain_user(work)
    finally:  # the run may have left read-only folders, which a plain user cannot remove
        for folder in [root, *root.rglob("*")] if root.exists() else []:
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o700)


def test_lock_refusal_is_an_output_error(tmp_path: Path) -> None:
    second = CycleLock(tmp_path, FOLDER, wait=0)
    with CycleLock(tmp_path, FOLDER), pytest.raises(OutputError, match="andere run"):
        second.__enter__()
