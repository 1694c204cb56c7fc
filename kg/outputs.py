"""A build folder's outputs change together: one build's set, never a mix.

Layout of a build folder OUT::

    OUT/graph.ttl   -> .kg/outputs/current/graph.ttl     (symbolic links)
    OUT/graph.html  -> .kg/outputs/current/graph.html
    OUT/merges.tsv  -> .kg/outputs/current/merges.tsv
    OUT/store       -> .kg/outputs/current/store
    OUT/.kg/outputs/current -> 7                          (the last complete build)
    OUT/.kg/outputs/7/                                    (its outputs)

A build writes its outputs into a new numbered folder (a
:class:`Generation`) and, once every one is written, points ``current`` at it
with one ``rename``: a reader, or a build killed at any moment, sees the old
set or the new one, whole. The old folder is then removed. An output the new
build does not write (``--no-html``, ``--no-store``) is not carried over from
an older build: its link is removed.

:func:`prepare` runs under the build lock (:mod:`kg.outlock`) before a build
writes: it removes what killed builds left (unfinished folders, temporary
files of earlier kg versions) and brings a folder written by an earlier kg
(plain files) into this layout without a moment where its files are mixed.
Readers open the resolved folder (:func:`current_dir`) so that graph.ttl and
the store they read are of the same build.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .diskspace import error_chain, folder_bytes, free_bytes, is_disk_full, mount_point
from .errors import DiskFullError, ExportError
from .files import fsync_dir

__all__ = ["OUTPUT_NAMES", "OUTPUTS_DIR", "Generation", "current_dir", "prepare", "describe", "disk_full_error",
           "disk_full_guard"]

#: What a build writes into OUT, each a link into the current folder.
OUTPUT_NAMES = ("graph.ttl", "graph.html", "merges.tsv", "store")
#: The numbered folders and the ``current`` link, relative to OUT.
OUTPUTS_DIR = ".kg/outputs"
CURRENT = "current"
#: What builds of earlier kg versions left when killed (relative to OUT).
_OLD_LEFTOVERS = (".graph.ttl.*.tmp", ".graph.html.*.tmp", ".merges.tsv.*.tmp", "store.tmp", "store.old",
                  ".kg/graph.nt", ".kg/kg-sort-*", ".*.kg-link")


def _link_text(name: str) -> str:
    return f"{OUTPUTS_DIR}/{CURRENT}/{name}"


def current_dir(out: str | os.PathLike) -> Path | None:
    """The folder holding the last complete outputs of the build folder
    *out*, resolved now (so that what is read from it is of one build even
    if a build switches meanwhile), or None if *out* has none."""
    link = Path(out) / OUTPUTS_DIR / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    folder = link.parent / target
    return folder if folder.is_dir() else None


@contextmanager
def _folder_errors(out: Path) -> Iterator[None]:
    """An OSError on OUT's layout (a full disk aside: :mod:`kg.diskspace`)
    becomes an :class:`~kg.errors.ExportError` naming the folder."""
    try:
        yield
    except OSError as err:

        if is_disk_full(err):
            raise
        where = f" ({err.filename})" if err.filename else ""
        raise ExportError(f"cannot write the output folder {out}{where}: {err.strerror or err}",
                          hint="give --out a folder you can write") from err


def prepare(out: str | os.PathLike) -> None:
    """Make *out* ready for a build (call it holding the build lock):
    remove what killed builds left and adopt the plain output files of an
    earlier kg version into the current folder, then make the links."""
    out = Path(out)
    with _folder_errors(out):
        _prepare(out)


def _prepare(out: Path) -> None:
    root = out / OUTPUTS_DIR
    root.mkdir(parents=True, exist_ok=True)
    current = current_dir(out)
    for entry in root.iterdir():  # folders of builds that were killed, a half-made link
        if entry.name not in (CURRENT, current.name if current is not None else None):
            _remove(entry)
    for pattern in _OLD_LEFTOVERS:
        for path in out.glob(pattern):
            _remove(path)
    plain = [name for name in OUTPUT_NAMES if (out / name).exists() and not (out / name).is_symlink()]
    if plain and current is None:  # an earlier kg's outputs: they become the current set
        current = _new_folder(root)
        _point(root, current.name)
    for name in plain:
        _adopt(out / name, current / name)
    _tidy_links(out)


def _adopt(top: Path, inside: Path) -> None:
    """A plain output file or folder *top* (written by an earlier kg)
    becomes *inside*, the current folder's; *top* keeps its content
    throughout (a file by a second name, a folder by a rename and a link)."""
    if top.is_symlink() or not top.exists():
        return
    if top.is_dir():
        _remove(inside)
        os.rename(top, inside)
        return
    tmp = inside.with_name(f".{inside.name}.adopted")
    _remove(tmp)
    try:
        os.link(top, tmp)
    except OSError:  # no hard links here
        shutil.copy2(top, tmp)
    os.replace(tmp, inside)


def _tidy_links(out: Path, names: tuple[str, ...] | None = None) -> None:
    """Each output the current folder has is linked from OUT (the *names*
    given get a link in any case); links to outputs it lacks are removed."""
    current = current_dir(out)
    for name in OUTPUT_NAMES:
        top = out / name
        ours = top.is_symlink() and os.readlink(top) == _link_text(name)
        wanted = (names is not None and name in names) or (current is not None and (current / name).exists())
        if wanted and not ours:
            tmp = out / f".{name}.kg-link"
            _remove(tmp)
            try:
                os.symlink(_link_text(name), tmp)
            except OSError as err:
                if getattr(err, "errno", None) in _NO_LINKS:
                    raise ExportError(f"cannot make the link {top}: {err.strerror}",
                                      hint="kg build needs a folder on a file system with symbolic links; "
                                           "choose another --out") from err
                raise
            if top.is_dir() and not top.is_symlink():  # not adopted (cannot happen after prepare)
                _remove(top)
            os.replace(tmp, top)
        elif ours and not wanted and names is None:
            top.unlink(missing_ok=True)


class Generation:
    """The folder into which one build writes its outputs
    (``OUT/.kg/outputs/N``): :meth:`commit` makes it the current one,
    :meth:`abandon` removes it and leaves the current one as it was."""

    def __init__(self, out: str | os.PathLike) -> None:
        self.out = Path(out)
        self.root = self.out / OUTPUTS_DIR
        with _folder_errors(self.out):
            self.root.mkdir(parents=True, exist_ok=True)
            self.path = _new_folder(self.root)

    def commit(self) -> None:
        """Switch OUT's outputs to this folder's, all at once. If it
        raises, the switch has not happened."""
        with _folder_errors(self.out):
            written = tuple(name for name in OUTPUT_NAMES if (self.path / name).exists())
            _tidy_links(self.out, written)  # new outputs' links (through `current`) first
            fsync_dir(self.path)
            _point(self.root, self.path.name)
        # Past the switch nothing may fail the build: this only tidies.
        try:
            _tidy_links(self.out)
        except OSError:
            pass
        for entry in self.root.iterdir():
            if entry.name not in (CURRENT, self.path.name):
                _remove(entry)

    def abandon(self) -> None:
        """Remove this folder: the last complete outputs stay current."""
        current = current_dir(self.out)
        if current is not None and current.name == self.path.name:
            return  # interrupted just after the switch: this is the current set now
        _remove(self.path)
        try:
            _tidy_links(self.out)
        except OSError:
            pass


def describe(out: str | os.PathLike, path: str | os.PathLike | None) -> str:
    """What the file *path* inside the build folder *out* is, for a message:
    an output's name, the build cache, or the path itself."""
    if path is None:
        return f"the outputs in {out}"
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(out)).parts
    except ValueError:
        return str(path)
    if parts[:2] == (".kg", "outputs") and len(parts) > 3:
        name = parts[3]
        if name.startswith("kg-sort-"):
            return "graph.ttl (its sorted runs)"
        if name == "graph.nt":
            return "the graph's statements (graph.nt)"
        if name.startswith("."):  # an atomic write's temporary file: .graph.ttl.abc.tmp
            name = next((n for n in OUTPUT_NAMES if name.startswith(f".{n}.")), name)
        return name
    if parts[:1] == (".kg",):
        return f"the build cache ({Path(out) / '.kg'})"
    return str(path)


#: What os.symlink says on a file system without symbolic links.
_NO_LINKS = {getattr(errno, name) for name in ("EPERM", "ENOSYS", "EOPNOTSUPP", "ENOTSUP") if hasattr(errno, name)}


def _new_folder(root: Path) -> Path:
    number = 1 + max((int(e.name) for e in root.iterdir() if e.name.isdigit()), default=0)
    while True:
        folder = root / str(number)
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            number += 1


def _point(root: Path, name: str) -> None:
    """Point ``root/current`` at *name* in one rename (atomic)."""
    tmp = root / f"{CURRENT}.tmp"
    _remove(tmp)
    os.symlink(name, tmp)
    os.replace(tmp, root / CURRENT)
    fsync_dir(root)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _failed_path(err: BaseException) -> str | None:
    for e in error_chain(err):
        if isinstance(e, DiskFullError):
            return e.path
        if isinstance(e, OSError) and e.filename:
            return os.fsdecode(e.filename)
    return None


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def disk_full_error(out: str | os.PathLike, err: BaseException) -> DiskFullError:
    """The error for the build of *out* that ran out of space with *err*."""
    path = _failed_path(err)
    mount = mount_point(out)
    free = free_bytes(out)
    needed = folder_bytes(current_dir(out))  # a rebuild writes a set like the last one beside it
    message = (f"the disk of {out} is full ({_mib(free)} free on {mount}): cannot write {describe(out, path)}; "
               "the previous outputs are unchanged")
    room = f"the last build's outputs take {_mib(needed)}, a new build needs about as much free: " if needed else ""
    hint = f"{room}make room on {mount}, or build into an --out on another disk"
    return DiskFullError(path or str(out), message, hint)


@contextmanager
def disk_full_guard(out: str | os.PathLike) -> Iterator[None]:
    """Turn any error of a full disk raised inside into one
    :class:`~kg.errors.DiskFullError` about the build folder *out*."""
    try:
        yield
    except BaseException as err:
        if isinstance(err, (KeyboardInterrupt, SystemExit)) or not is_disk_full(err):
            raise
        raise disk_full_error(out, err) from err
