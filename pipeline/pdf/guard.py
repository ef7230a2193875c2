"""Guard for one LibreOffice conversion: `python -m pipeline.pdf.guard CMD...`.

Started as the leader of a new process group with a pipe on stdin from the run. It runs
CMD in its group and exits with CMD's exit code. When the pipe closes before that (the
run ended, was interrupted or killed, even with SIGKILL), it kills the whole group, so
no soffice process outlives the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading


def _watch_lifeline() -> None:
    while sys.stdin.buffer.read(1):
        pass  # nothing is ever sent; EOF means the run is gone
    os.killpg(0, signal.SIGKILL)


def main(argv: list[str]) -> int:
    if not argv:
        return 2
    threading.Thread(target=_watch_lifeline, daemon=True).start()
    try:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    except OSError as exc:
        print(f"kan {argv[0]} niet starten: {exc}", file=sys.stderr)
        return 127
    return child.wait()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stderr.flush()
    # os._exit: a normal shutdown would wait for the lifeline thread's read of stdin.
    os._exit(code if code >= 0 else 128 - code)
