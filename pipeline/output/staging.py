"""Write a run into a staging folder and publish it in one step.

Files go to `<root>/.<folder>.staging-<pid>` first; only when every file is written and
checked does the staging folder replace `<root>/<folder>`. An error, a full disk or
Ctrl-C before that leaves the previous output as it was and removes the staging folder.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from lxml import etree

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import DIR_MODE, inside, make_private_dirs, write_file


def verify_docx(data: bytes, name: str) -> None:
    """Reopen a generated document (zip and main XML) before it may be published."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            etree.fromstring(archive.read("[Content_Types].xml"))
            etree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise OutputError(f"het gegenereerde document '{name}' is beschadigd: {exc}") from None


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


class StagedOutput:
    """Context manager: `with StagedOutput(root, folder) as staged: ...; staged.publish()`."""

    def __init__(self, root: Path, folder: str) -> None:
        self.root = root
        self.folder = folder
        self.target = inside(root, PurePosixPath(folder))
        self.staging = root / f".{folder}{STAGING}{os.getpid()}"
        self._old = root / f".{folder}{PREVIOUS}{os.getpid()}"
        self.published = False

    def _recover(self) -> None:
        """Tidy up after a run that was killed: a run stopped between the two renames of
        publish() left the previous output under its 'vorige' name; put it back. Staging
        folders of runs that no longer exist are removed."""

        def dead(pattern: str) -> list[Path]:
            found = self.root.glob(f".{self.folder}{pattern}*")
            return [p for p in found if not _alive(p.name.rsplit("-", 1)[-1])]

        previous = sorted(dead(PREVIOUS), key=lambda p: p.stat().st_mtime, reverse=True)
        if previous and not self.target.exists():
            # The newest is the output the killed run was replacing; older ones are
            # left over from earlier kills and were already superseded.
            os.replace(previous.pop(0), self.target)
        for leftover in previous + dead(STAGING):
            shutil.rmtree(leftover, ignore_errors=True)

    def __enter__(self) -> StagedOutput:
        try:
            make_private_dirs(self.root)
            self._recover()
            if self.staging.exists():
                shutil.rmtree(self.staging)
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
        shutil.rmtree(self._old, ignore_errors=True)
        self.published = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.published:
            shutil.rmtree(self.staging, ignore_errors=True)


alive = _alive  # the archive's temporary folders are named the same way
