"""LibreOffice headless as a tool: find it, run one conversion, and never leave it behind.

Every conversion runs under a small guard process (pipeline.pdf.guard) that
leads its own process group and holds a pipe to this process. When the run ends in any
way — normally, by Ctrl-C, by SIGTERM or by kill -9 — the pipe closes and the guard kills
its whole group: soffice, oosplash and soffice.bin alike. On a normal end, a timeout or
an error this process also kills the group itself. Each instance has its own user
profile, so parallel instances do not lock each other out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConversionFailed, LibreOfficeMissing

INSTALL_COMMAND = (
    "sudo apt-get install libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2"
)
# The PDF export filter with PDF/A-2b: every font embedded, XMP with the PDF/A
# identification. Bookmarks become named destinations: they mark where each document
# of a combined conversion starts. Images keep their own pixels, losslessly: resampling
# each occurrence of the signature to 300 dpi was 40% of a letter's conversion time
# (the signature is about that resolution already), and JPEG blurred its lines.
# Tagged (UseTaggedPDF): with a structure tree screen readers follow.
PDFA_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"},'
    '"ReduceImageResolution":{"type":"boolean","value":"false"},'
    '"UseLosslessCompression":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"false"}}'
)
TAGGED_FILTER = PDFA_FILTER[:-1] + ',"UseTaggedPDF":{"type":"boolean","value":"true"}}'



def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    program = find_soffice()
    if program is None:
        raise LibreOfficeMissing(INSTALL_COMMAND)
    return program


@dataclass(frozen=True)
class SofficeRun:
    returncode: int
    timed_out: bool
    stderr: str


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(pgid, signal.SIGKILL)


class Running:
    """The soffice process groups at work. Once stopped, every group at work is killed,
    and so is one added later: a conversion that passed its stop check just before the
    stop would otherwise go on (or hang) until its timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._groups: set[int] = set()
        self._stopped = False

    def add(self, group: int) -> None:
        with self._lock:
            self._groups.add(group)
            stopped = self._stopped
        if stopped:
            kill_group(group)

    def discard(self, group: int) -> None:
        with self._lock:
            self._groups.discard(group)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            groups = list(self._groups)
        for group in groups:
            kill_group(group)


class Soffice:
    """One LibreOffice instance with a private profile under `profile`."""

    def __init__(self, program: str, profile: Path) -> None:
        self.program = program
        self.profile = profile

    def convert(
        self,
        sources: list[Path],
        outdir: Path,
        timeout: float,
        running: Running | None = None,
        *,
        tagged: bool = False,
    ) -> SofficeRun:
        """Convert `sources` into `outdir` as PDF/A-2b (`tagged`: as tagged PDF); the
        soffice process group is gone when this returns or raises."""
        command = [
            sys.executable,
            "-m",
            "pipeline.pdf.guard",
            self.program,
            f"-env:UserInstallation={self.profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--convert-to",
            TAGGED_FILTER if tagged else PDFA_FILTER,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        log = outdir / ".soffice.log"
        with log.open("w+b") as stderr:
            guard = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,  # the lifeline: closes when this process ends
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # own process group, out of reach of the terminal's ^C
            )
            if running is not None:
                running.add(guard.pid)
            try:
                try:
                    returncode, timed_out = guard.wait(timeout=timeout), False
                except subprocess.TimeoutExpired:
                    returncode, timed_out = -1, True
            finally:
                kill_group(guard.pid)  # whatever soffice left running in its group
                if guard.stdin is not None:
                    guard.stdin.close()
                guard.wait()
                if running is not None:
                    running.discard(guard.pid)
            stderr.seek(0)
            message = stderr.read(4000).decode("utf-8", "replace")
        log.unlink(missing_ok=True)
        return SofficeRun(returncode, timed_out, message)


__all__ = [
    "INSTALL_COMMAND",
    "ConversionFailed",
    "LibreOfficeMissing",
    "Running",
    "Soffice",
    "SofficeRun",
    "find_soffice",
    "kill_group",
    "require_soffice",
]
