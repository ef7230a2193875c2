"""Run a piece of a test without root's power over file permissions."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable

NOBODY = 65534


def as_plain_user(work: Callable[[], None]) -> None:
    """Run `work` here when not root; as root, in a forked child that became 'nobody'
    (the child reports through its exit code; its traceback goes to stderr)."""
    if os.geteuid() != 0:
        work()
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            work()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the check as a plain user failed"
