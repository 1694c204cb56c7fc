"""Files: which paths are documents, and reading one.

:func:`discover` expands files and folders into the documents to read
(by their suffix, :data:`SUFFIXES`), :func:`open_regular` opens one only if
it is a regular file, :func:`read_bytes` reads it within a size limit, and
:func:`display` writes a path so that a message about it is one honest line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import IngestError, UsageError
from ..records import Skipped

__all__ = ["SUFFIXES", "CORPUS_SUFFIXES", "DEFAULT_MAX_BYTES", "discover", "require_paths", "display", "open_regular",
           "read_bytes"]


#: Suffixes of corpus files (many documents in one file: :mod:`.corpus`) and their format.
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
#: File suffixes kg reads, and how.
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html", ".xhtml": "html", **CORPUS_SUFFIXES}
#: Files larger than this are refused (``--max-bytes`` changes it); in a
#: corpus file, it is the limit of one record.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


# A folder holding these is an output folder of kg build.
_OUTPUT_FILES = {"graph.ttl", "merges.tsv"}


def discover(paths: Iterable[str | os.PathLike], *,
             follow_links: bool = False) -> tuple[list[Path], list[Skipped]]:
    """Expand files and folders into the sorted list of readable documents.

    Folders are walked recursively; hidden files, unknown suffixes and kg's
    own output folders (with ``graph.ttl`` and ``merges.tsv``) in folders are
    ignored. A path named explicitly is read wherever it is (a link
    included); one that does not exist is reported as skipped.

    A symbolic link in a folder is read when it leads to a file inside that
    folder (the folder named in *paths*). One that leads out of it is
    reported and skipped, unless *follow_links*: a folder of articles with
    ``notes.txt -> /etc/passwd`` must not put that file in the graph. A link
    to a folder inside is not walked (the folder itself is); with
    *follow_links* every link is followed and each folder walked once, so a
    link loop cannot hang the walk.
    """
    found: set[Path] = set()
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, found, skipped, follow_links)
        elif path.exists():
            found.add(path)
        elif path.is_symlink():
            skipped.append(Skipped(display(path), "broken symbolic link (or a symbolic link loop)",
                                   "point it at an existing file"))
        else:
            skipped.append(Skipped(display(path), "no such file or folder", "check the path"))
    return sorted(found, key=lambda p: str(p)), skipped


def _walk(top: Path, found: set[Path], skipped: list[Skipped], follow_links: bool) -> None:
    """Add the documents in the folder *top* to *found* (see :func:`discover`)."""
    inside = Path(os.path.realpath(top))
    walked: set[str] = set()

    def cannot_list(err: OSError) -> None:
        skipped.append(Skipped(display(err.filename), f"cannot list folder: {err.strerror}", "check its permissions"))

    def leads_out(link: Path, what: str) -> bool:
        """Whether *link* leads out of *top* (and is reported and skipped)."""
        if follow_links or not os.path.islink(link):
            return False
        target = Path(os.path.realpath(link))
        if target.is_relative_to(inside):
            return False
        skipped.append(Skipped(display(link), f"symbolic link to {what} outside the folder {display(top)} "
                                              f"({display(target)})",
                               "links that lead out of a folder are not followed: pass --follow-links to follow "
                               "them, or give its path on the command line"))
        return True

    for root, dirs, files in os.walk(top, followlinks=follow_links, onerror=cannot_list):
        if follow_links:
            real = os.path.realpath(root)
            if real in walked:  # reached again through a link: a loop, or a folder twice
                dirs[:] = []
                continue
            walked.add(real)
        if _OUTPUT_FILES <= set(files) and top.resolve() != Path(root).resolve():
            dirs[:] = []  # kg's own output folder (an --out inside the input): not articles
            continue
        kept = []
        for name in sorted(dirs):
            candidate = Path(root) / name
            if name.startswith(".") or leads_out(candidate, "a folder"):
                continue
            if follow_links or not os.path.islink(candidate):  # a link to a folder inside: walked as itself
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            candidate = Path(root) / name
            if name.startswith(".") or candidate.suffix.lower() not in SUFFIXES:
                continue
            if not leads_out(candidate, "a file"):
                found.add(candidate)


def require_paths(paths: Iterable[str | os.PathLike]) -> None:
    """Raise :class:`~kg.errors.UsageError` naming the *paths* that do not
    exist (a broken symbolic link exists: :func:`discover` reports it)."""
    missing = [display(p) for p in paths if not os.path.lexists(p)]
    if missing:
        names = ", ".join(missing)
        raise UsageError(f"no such file or folder: {names}", hint="check the path; nothing was written")


def display(path: str | os.PathLike | bytes | None) -> str:
    """A path as text that can be written anywhere: undecodable bytes of
    the file name (kept by Python as lone surrogates) become U+FFFD, and
    control and bidi characters (a newline, an escape sequence, a
    right-to-left override in a file name) are written as ``\\xNN`` /
    ``\\uNNNN``, so a message about the file is one honest line."""
    if path is None:
        return "?"
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def open_regular(path: str | os.PathLike, where: str | None = None):
    """Open *path* for reading bytes if it is a regular file; else raise
    :class:`IngestError` saying what it is (a named pipe or a device would
    block or never end; a folder, a broken link, a link loop)."""
    path = Path(path)
    where = where or display(path)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise IngestError(where, "permission denied", hint="make the file readable") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise IngestError(where, "symbolic link loop", hint="fix the link") from err
        if err.errno == errno.ENOENT and path.is_symlink():
            raise IngestError(where, "broken symbolic link", hint="point it at an existing file") from err
        if err.errno == errno.EISDIR:
            raise IngestError(where, "is a folder, not a file", hint="give the folder itself to read what is in it") from err
        raise IngestError(where, f"cannot read: {err.strerror or err}", hint="check the file") from err
    mode = os.fstat(fd).st_mode
    for test, what in _FILE_KINDS:
        if test(mode):
            os.close(fd)
            if what == "a folder":  # (Linux opens a folder read-only; reading it fails)
                raise IngestError(where, "is a folder, not a file", hint="give the folder itself to read what is in it")
            raise IngestError(where, f"not a regular file ({what})", hint="give kg text, Markdown, HTML or corpus files")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, where: str, max_bytes: int) -> bytes:
    with open_regular(path, where) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise IngestError(where, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                              hint="split it, or raise the limit with --max-bytes")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as err:
            raise IngestError(where, f"cannot read: {err.strerror or err}", hint="check the file") from err
    if len(data) > max_bytes:  # it grew since it was measured
        raise IngestError(where, f"file is over the {max_bytes:,}-byte limit",
                          hint="split it, or raise the limit with --max-bytes")
    return data
