"""One build at a time per output folder.

A build holds an exclusive OS file lock (``flock``) on ``OUT/.kg/lock``
from before it touches OUT until its outputs are switched in (see
:mod:`kg.outputs`). The kernel drops the lock when the process ends, however
it ends, so a killed build never leaves OUT locked. A second build of the
same OUT waits for the lock, or with ``wait=False`` fails at once with
:class:`~kg.errors.OutputBusy`. Readers (``kg query``, ``kg export``,
``kg serve``) take no lock: they read the last complete outputs, which a
build replaces in one rename.

The lock file holds the holder's process id, for the messages; it is never
removed (removing a lock file lets two processes lock two different files).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .errors import ExportError, OutputBusy

__all__ = ["LOCK_NAME", "OutputLock"]

#: The lock file, relative to the output folder.
LOCK_NAME = ".kg/lock"


class OutputLock:
    """The build lock of the output folder *out*, as a context manager.

    With *wait* a build that finds OUT locked calls *on_wait* with a
    one-line message, then waits; without it, it raises
    :class:`~kg.errors.OutputBusy`.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with OutputLock(folder):
    ...     with OutputLock(folder, wait=False):
    ...         pass
    Traceback (most recent call last):
    ...
    kg.errors.OutputBusy: another build (process ...) is writing ... (run this build when it has finished, or without --no-wait to wait for it)
    """

    def __init__(self, out: str | os.PathLike, *, wait: bool = True,
                 on_wait: Callable[[str], object] | None = None) -> None:
        self.out = Path(out)
        self.path = self.out / LOCK_NAME
        self.wait = wait
        self.on_wait = on_wait
        self.fd: int | None = None

    def __enter__(self) -> "OutputLock":
        import fcntl

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A descriptor of its own: the lock belongs to this open file, which
            # exec'd children do not inherit (forked workers die with the build).
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as err:
            from .diskspace import is_disk_full

            if is_disk_full(err):
                raise
            raise ExportError(f"cannot use {self.out} as the output folder: {err.strerror or err}",
                              hint="give --out a folder you can write") from err
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _holder(fd)
                who = f"another build (process {pid})" if pid else "another build"
                if not self.wait:
                    # from None: the message says all the caught error could
                    raise OutputBusy(str(self.out), pid, f"{who} is writing {self.out}",
                                     hint="run this build when it has finished, or without --no-wait "
                                          "to wait for it") from None
                if self.on_wait is not None:
                    self.on_wait(f"kg: {who} is writing {self.out}; waiting for it to finish "
                                 "(--no-wait: fail instead)")
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:  # for the messages of builds that come while this one runs
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            except OSError:  # a full disk: the lock holds all the same
                pass
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor releases the lock
            self.fd = None


def _holder(fd: int) -> int | None:
    """The process id the lock's holder wrote, if it did."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
