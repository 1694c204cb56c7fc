"""A full disk, said in one line: which folder, which disk, what could not
be written, how much room there is and how much a build needs.

A build runs inside :func:`kg.outputs.disk_full_guard`: whatever ran out of
space (an output, the build cache, Oxigraph, the page process), the error
that leaves it is one :class:`~kg.errors.DiskFullError`. The build's
unfinished outputs are removed before it gets there
(:meth:`kg.outputs.Generation.abandon`), so the previous ones are intact and
the room they take is what a rebuild needs. This module says what the disk
holds; :mod:`kg.outputs` says it about a build folder.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import DiskFullError

__all__ = ["is_disk_full", "error_chain", "mount_point", "free_bytes", "folder_bytes"]

_FULL = (errno.ENOSPC, errno.EDQUOT)
#: Oxigraph's I/O errors carry no errno; their text has the system's message.
_FULL_TEXT = tuple(os.strerror(code) for code in _FULL)


def error_chain(err: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


def is_disk_full(err: BaseException) -> bool:
    """Whether *err*, or an error it was raised from, is a full disk or quota.

    >>> is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    True
    >>> is_disk_full(OSError(errno.EACCES, "Permission denied"))
    False
    """
    for e in error_chain(err):
        if isinstance(e, DiskFullError):
            return True
        if isinstance(e, OSError) and (e.errno in _FULL or any(text in str(e) for text in _FULL_TEXT)):
            return True
    return False


def mount_point(path: str | os.PathLike) -> Path:
    """The mount point of the file system holding *path* (or its nearest
    existing parent)."""
    p = Path(os.path.abspath(path))
    while not p.exists():
        p = p.parent
    while not os.path.ismount(p):
        p = p.parent
    return p


def free_bytes(path: str | os.PathLike) -> int:
    """The bytes an unprivileged process may still write where *path* is."""
    st = os.statvfs(mount_point(path))
    return st.f_bavail * st.f_frsize


def folder_bytes(path: str | os.PathLike | None) -> int:
    """The room the files under *path* take on disk (links not followed)."""
    if path is None:
        return 0
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


