"""Child processes that die with the build that started them.

A build's page process and its NLP worker processes write into the build
folder; if the build is killed they must not go on (a page installed after
its build died, a worker holding the folder's lock). On Linux the kernel
kills them when their parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere
the page process still ends when its pipe from the build closes.
"""

from __future__ import annotations

import os
import signal
import sys

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> bool:
    """Have this process killed when its parent process dies, and exit at
    once if the parent *parent* (a process id) is gone already (this process
    then belongs to another). True if the kernel will do it (Linux)."""
    armed = False
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    # The parent may have died before prctl: then this process was adopted.
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    return armed
