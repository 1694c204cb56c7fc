"""Atomic writes: a file (or a folder's entries) is whole or not there.

:func:`atomic_write` and :class:`atomic_writer` write through a temporary
file in the same folder and a rename, so a reader never sees a half-written
file and a crash keeps the old one; :func:`fsync_dir` makes a rename in a
folder survive a power cut. A write that fails raises
:class:`~kg.errors.ExportError` naming the file (:class:`~kg.errors.DiskFullError`
when its disk is full). Used by the build cache, every output and export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import DiskFullError, ExportError

__all__ = ["atomic_write", "atomic_writer", "fsync_dir"]


class atomic_writer:
    """A binary file handle that becomes *path* only when closed without error.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_writer(p) as fh:
    ...     _ = fh.write(b"hello")
    >>> p.read_bytes()
    b'hello'
    """

    def __init__(self, path: str | os.PathLike, *, fsync: bool = True) -> None:
        self.path = Path(path)
        self.fsync = fsync

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(prefix="." + self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        except OSError as err:
            raise _write_error(self.path, err) from err
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(self.path)  # a write in the block failed: name the file it was for
        try:
            if exc_type is None:
                self.fh.flush()
                if self.fsync:
                    os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                # mkstemp makes the file private (0600); give it the usual mode
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)
                os.replace(self.tmp, self.path)
        except OSError as err:
            raise _write_error(self.path, err) from err
        finally:
            if Path(self.tmp).exists():
                Path(self.tmp).unlink()
        return False


def _write_error(path: Path, err: OSError) -> ExportError:
    from .diskspace import is_disk_full

    message = f"cannot write {path}: {err.strerror or err}"
    if is_disk_full(err):
        return DiskFullError(str(path), message, "make room on its disk")
    return ExportError(message, hint="check the output folder")


def atomic_write(path: str | os.PathLike, data: bytes, *, fsync: bool = True) -> Path:
    """Write *data* to *path* through a temporary file and a rename, so a
    reader never sees a half-written file and a crash keeps the old one.
    *fsync* also survives a power cut (the build cache skips it: a damaged
    cache entry is simply extracted again)."""
    with atomic_writer(path, fsync=fsync) as fh:
        fh.write(data)
    return Path(path)


def fsync_dir(folder: Path) -> None:
    """Flush *folder*'s entries (the renames made in it) to disk, if the
    system allows it; failing that, nothing (a rename is atomic anyway)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
