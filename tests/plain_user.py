"""Run a piece of a test without root's power over file permissions.

As root, a check of what an unreadable file or a read-only folder does would pass or fail
for the wrong reason: root reads and writes anyway. Such a check runs instead in a forked
child that stays the same user but gives up the capabilities that override file
permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), so that the mode bits
bind it as they bind a plain user who owns the files.

It does not become another user ('nobody'): another user could not read a checkout in a
private folder (`mktemp -d`, a home folder with mode 0700), nor a Python installed under
/root, so every module not imported before the fork, and every file the code reads, would
fail for a reason that has nothing to do with the check. Files the child needs should still
be the test's own (copied into tmp_path), so that they are the child's to read.

Where the capabilities cannot be given up (not Linux, no capset), or giving them up does
not make a file with mode 000 unreadable, the test is skipped with the reason.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

# linux/capability.h
_VERSION_3 = 0x20080522
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
CAP_FOWNER = 3
_DROPPED = (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER)
_PR_CAPBSET_DROP = 24
_SKIP = 77  # the child's exit code for "this check cannot run here"


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_capabilities() -> None:
    """Give up, for this process and what it starts, the capabilities that override
    file permissions. Linux keeps capabilities per thread: call it in a child that has one."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DROPPED:  # from the bounding set, or a program it starts gets them back
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {capability})")
    header = _Header(_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~sum(1 << capability for capability in _DROPPED) & 0xFFFFFFFF
    for field in ("effective", "permitted", "inheritable"):
        setattr(data[0], field, getattr(data[0], field) & mask)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _child(work: Callable[[], None], probe: Path, report: int) -> int:  # pragma: no cover
    """Runs in the forked child: drop the capabilities, check that they are gone, work."""
    try:
        _drop_capabilities()
    except (OSError, AttributeError) as exc:  # AttributeError: no such function in libc
        os.write(report, f"rootrechten kunnen niet worden opgegeven: {exc}".encode())
        return _SKIP
    try:
        probe.read_bytes()
    except PermissionError:
        pass
    else:
        os.write(report, b"een bestand met rechten 000 blijft leesbaar zonder CAP_DAC_OVERRIDE")
        return _SKIP
    try:
        work()
    except BaseException:
        os.write(report, traceback.format_exc().encode())
        return 1
    return 0


def as_plain_user(work: Callable[[], None]) -> None:
    """Run `work` here when not root; as root, in a forked child that gave up the
    capabilities that override file permissions. The child's failure fails the test, with
    its traceback; a child that cannot give them up skips the test with the reason."""
    if os.geteuid() != 0:
        work()
        return
    if not sys.platform.startswith("linux"):
        pytest.skip("als root kan een test zonder rootrechten alleen op Linux draaien")
    with tempfile.TemporaryDirectory(prefix="intervisie-rechten-") as folder:
        probe = Path(folder) / "onleesbaar"
        probe.write_bytes(b"geheim")
        probe.chmod(0)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                os.close(read_end)
                code = _child(work, probe, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            message = reader.read().decode(errors="replace")
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == _SKIP:
        pytest.skip(message)
    assert code == 0, f"the check without root's rights failed (exit code {code}):\n{message}"
