"""Write a run into a staging folder and publish it in one step.

Files go to `<root>/.<folder>.staging-<pid>` first; only when every file is written and
checked does the staging folder replace `<root>/<folder>`. An error, a full disk,
Ctrl-C, SIGTERM or SIGHUP before that leaves the previous output as it was and removes
the staging folder. A run killed outright (kill -9) leaves its folders behind; the next
run in the same output root, of any cycle, tidies them up (see recover()).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import FrameType, TracebackType
from xml.parsers import expat

from lxml import etree

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import DIR_MODE, inside, make_private_dirs, write_chunks, write_file
from pipeline.publish.lock import LOCK, is_locked


def verify_docx(data: bytes, name: str) -> None:
    """Reopen a generated document (zip and main XML) before it may be published."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            etree.fromstring(archive.read("[Content_Types].xml"))
            etree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise OutputError(f"het gegenereerde document '{name}' is beschadigd: {exc}") from None


def verify_members(members: list[tuple[str, bytes]], name: str) -> None:
    """Check the XML a document adds to its template's base archive before it is
    packed (what verify_docx checks after packing, without reopening the zip; the base
    archive's own parts are checked once per run, see verify_base). Expat with
    namespaces: well-formed, every prefix bound, without building a tree (half the time
    of lxml's parse)."""
    for member, data in members:
        try:
            expat.ParserCreate(namespace_separator=" ").Parse(data, True)
        except expat.ExpatError as exc:
            raise OutputError(
                f"het gegenereerde document '{name}' is beschadigd ({member}): {exc}"
            ) from None


def verify_base(base: bytes, name: str) -> None:
    """A template's base archive: a zip whose [Content_Types].xml is XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(base)) as archive:
            etree.fromstring(archive.read("[Content_Types].xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise OutputError(f"het sjabloon '{name}' geeft een beschadigd document: {exc}") from None


STAGING = ".staging-"
PREVIOUS = ".vorige-"


def _alive(pid_text: str) -> bool:
    """Whether the process that named a folder still runs (then it is not ours to touch)."""
    if not pid_text.isdigit():
        return False
    if int(pid_text) == os.getpid():
        return False  # our own leftover from an earlier run in this process
    try:
        os.kill(int(pid_text), 0)  # PermissionError: it runs, as another user
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def remove_tree(path: Path) -> None:
    """Remove a folder this program wrote, also when HR made parts of it read-only
    (rmtree cannot empty a folder without write permission)."""
    if not path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
        return
    for dirpath, _dirnames, _filenames in os.walk(path):
        try:
            mode = os.stat(dirpath, follow_symlinks=False).st_mode
            if not mode & stat.S_IWUSR or not mode & stat.S_IXUSR:
                os.chmod(dirpath, stat.S_IMODE(mode) | stat.S_IRWXU)
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def _split(name: str, marker: str) -> tuple[str, str] | None:
    """'.<folder><marker><pid>' -> (folder, pid)."""
    if not name.startswith(".") or marker not in name:
        return None
    folder, _, pid = name[1:].rpartition(marker)
    return (folder, pid) if folder else None


def recover(root: Path, own: str | None = None) -> list[Path]:
    """Tidy up after runs that were killed, for every cycle in `root`: a run stopped
    between the two renames of publish() left its previous output under the 'vorige'
    name; put it back. Staging folders, old 'vorige' folders and lock files of runs
    that no longer exist are removed. `own` is the cycle folder whose lock the caller
    holds. Returns the cycle folders restored."""
    if not root.is_dir():
        return []
    leftovers: dict[str, dict[str, list[Path]]] = {}
    for entry in root.iterdir():
        for marker in (STAGING, PREVIOUS):
            if (found := _split(entry.name, marker)) and not _alive(found[1]):
                leftovers.setdefault(found[0], {}).setdefault(marker, []).append(entry)
    restored = []
    for folder, kinds in leftovers.items():
        if folder != own and is_locked(root, folder):
            continue  # a run of that cycle is busy; its leftovers are its own
        previous = sorted(kinds.get(PREVIOUS, []), key=lambda p: p.stat().st_mtime, reverse=True)
        target = root / folder
        if previous and not target.exists() and not target.is_symlink():
            # The newest is the output the killed run was replacing; older ones are
            # left over from earlier kills and were already superseded.
            os.replace(previous.pop(0), target)
            restored.append(target)
        for leftover in previous + kinds.get(STAGING, []):
            remove_tree(leftover)
    for entry in root.glob(f".*{LOCK}"):
        folder = entry.name[1 : -len(LOCK)]
        if entry.is_file() and not entry.is_symlink() and not is_locked(root, folder):
            entry.unlink(missing_ok=True)
    return restored


@contextmanager
def stop_on_termination() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the run like Ctrl-C does, so every `finally` and
    `__exit__` runs and nothing is left behind (only in the main thread, where Python
    delivers signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    wanted = [signal.SIGTERM, signal.SIGHUP] if hasattr(signal, "SIGHUP") else [signal.SIGTERM]
    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class StagedOutput:
    """Context manager: `with StagedOutput(root, folder) as staged: ...; staged.publish()`.

    The caller holds the cycle's lock and has checked the target may be replaced
    (ownership.ensure_replaceable)."""

    def __init__(self, root: Path, folder: str) -> None:
        self.root = root
        self.folder = folder
        self.target = inside(root, PurePosixPath(folder))
        self.staging = root / f".{folder}{STAGING}{os.getpid()}"
        self._old = root / f".{folder}{PREVIOUS}{os.getpid()}"
        self.published = False

    def __enter__(self) -> StagedOutput:
        try:
            make_private_dirs(self.root)
            if self.staging.exists():
                remove_tree(self.staging)
            self.staging.mkdir(mode=DIR_MODE)
        except OSError as exc:
            raise OutputError(
                f"kan niet schrijven in de uitvoermap '{self.root}': {describe_os_error(exc)}"
            ) from None
        return self

    def write(self, relpath: PurePosixPath, data: bytes) -> Path:
        try:
            return write_file(self.staging, relpath, data)
        except OSError as exc:
            raise OutputError(f"kan '{relpath}' niet schrijven: {describe_os_error(exc)}") from None

    def write_chunks(self, relpath: PurePosixPath, chunks: Iterable[bytes]) -> Path:
        """write() for data made in pieces (a large manifest.json), never held whole."""
        try:
            return write_chunks(self.staging, relpath, chunks)
        except OSError as exc:
            raise OutputError(f"kan '{relpath}' niet schrijven: {describe_os_error(exc)}") from None

    def publish(self) -> None:
        """Swap the staging folder in; the old output is removed only after the swap."""
        try:
            if self.target.exists():
                os.replace(self.target, self._old)
            os.replace(self.staging, self.target)
        except OSError as exc:
            if self._old.exists() and not self.target.exists():
                os.replace(self._old, self.target)
            raise OutputError(f"kan de uitvoer niet publiceren: {describe_os_error(exc)}") from None
        self.published = True
        remove_tree(self._old)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.published:
            remove_tree(self.staging)


alive = _alive  # the archive's temporary folders are named the same way
