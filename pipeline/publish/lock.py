"""One run per cycle folder at a time: an flock on `<root>/.<folder>.lock`.

The lock file is removed when the run ends. A run that takes an existing lock file
checks that the name still points at the file it locked (the previous holder may have
removed it in between); a killed run's lock is released by the kernel and its file
is taken over by the next run.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from pipeline.errors import OutputError, describe_os_error
from pipeline.files import FILE_MODE, make_private_dirs

LOCK = ".lock"
WAIT_SECONDS = 10.0  # a second run waits this long for the first before it refuses
_POLL = 0.1


class CycleLock:
    """`with CycleLock(root, folder): ...` - exclusive for that cycle folder."""

    def __init__(self, root: Path, folder: str, wait: float | None = None) -> None:
        self.path = root / f".{folder}{LOCK}"
        self.root = root
        self.folder = folder
        self.wait = WAIT_SECONDS if wait is None else wait
        self._fd: int | None = None

    def _try_once(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        try:
            same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # removed by the previous holder after we opened it: try again
            os.close(fd)
            return self._try_once()
        self._fd = fd
        return True

    def __enter__(self) -> CycleLock:
        deadline = time.monotonic() + self.wait
        try:
            make_private_dirs(self.root)
            while not self._try_once():
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"een andere run schrijft nu in de map '{self.root / self.folder}' "
                        f"(van dezelfde cyclus); wacht tot die klaar is en start de run "
                        f"daarna opnieuw. Er is niets geschreven."
                    )
                time.sleep(_POLL)
        except OSError as exc:
            raise OutputError(
                f"kan niet schrijven in de uitvoermap '{self.root}': {describe_os_error(exc)}"
            ) from None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # still ours: unlinked before release
            os.close(self._fd)
            self._fd = None


def is_locked(root: Path, folder: str) -> bool:
    """Whether a live run holds the lock of that cycle folder now."""
    path = root / f".{folder}{LOCK}"
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
