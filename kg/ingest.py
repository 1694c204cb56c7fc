"""Files, HTML pages and corpus files -> :class:`~kg.records.SourceDoc`.

:func:`iter_documents` walks the paths it is given (files and folders),
decodes each file, extracts the article from HTML with trafilatura, strips
Markdown syntax and front matter, streams the records of corpus files
(``.jsonl``, ``.csv``: see :mod:`kg.corpus`), normalises the text, separates
page furniture and checks the language. A document that cannot be read is
yielded as a :class:`~kg.records.Skipped` record with the reason and what to
do, never raised, so one bad file never costs the others.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as _dt
import email.utils
import errno
import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

from .corpus import CORPUS_SUFFIXES, Record, field_map, iter_records
from .errors import IngestError, KGError, UsageError
from .frontmatter import MAX_LINES as MAX_FRONT_MATTER_LINES, read_front_matter, split_front_matter
from .language import detect, normalize_code
from .language import MAX_EXPECTED as _MAX_EXPECTED
from .normalize import normalize_text, split_furniture
from .records import MarkupSkipped, MetadataSkipped, Skipped, SourceDoc

__all__ = [
    "SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "discover",
    "require_paths",
    "iter_documents",
    "read_document",
    "make_doc",
    "parse_date",
    "decode_bytes",
    "decode_legacy",
    "binary_kind",
    "display",
    "open_regular",
    "split_front_matter",
]

#: File suffixes kg reads, and how.
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html", ".xhtml": "html", **CORPUS_SUFFIXES}
#: Files larger than this are refused (``--max-bytes`` changes it); in a
#: corpus file, it is the limit of one record.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Bytes that never occur in text (controls other than tab, newlines, form feed, escape).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
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


def iter_documents(
    paths: Iterable[str | os.PathLike],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fields: Mapping[str, str] | None = None,
    fallback_date: str | None = None,
    language: str | None = "en",
    on_total: Callable[[int | None], object] | None = None,
    follow_links: bool = False,
) -> Iterator[SourceDoc | Skipped]:
    """Yield a :class:`SourceDoc` for every readable document under *paths*,
    and a :class:`Skipped` record for every one that is not.

    fields
        kg field -> column name in corpus files (``{"text": "body"}``); see
        :mod:`kg.corpus`.
    fallback_date
        ``YYYY-MM-DD``, the publication date of documents that give none.
    language
        The language the pipeline reads: documents detected (or declared)
        in another are skipped with the language found. ``None`` keeps all.
    on_total
        Called once, before the first item, with the number of documents and
        :class:`Skipped` records to come (a warning, :class:`MetadataSkipped`
        or :class:`MarkupSkipped`, comes beside its document and is not
        counted), or ``None`` when a corpus
        file holds a number of records not known before it is read.
    follow_links
        Read the symbolic links in folders that lead out of them (see
        :func:`discover`; by default they are reported and skipped).

    Raises :class:`~kg.errors.KGError` for a bad *fields* or *fallback_date*.
    """
    columns = field_map(fields)
    fallback = None
    if fallback_date is not None:
        fallback = parse_date(fallback_date)
        if fallback is None:
            raise KGError(f"--date {fallback_date!r} is not a date", hint="write it as YYYY-MM-DD")
    files, skipped = discover(paths, follow_links=follow_links)
    if on_total is not None:
        corpus = any(SUFFIXES.get(p.suffix.lower()) in CORPUS_SUFFIXES.values() for p in files)
        on_total(None if corpus else len(files) + len(skipped))
    yield from skipped
    for path in files:
        if SUFFIXES.get(path.suffix.lower()) in CORPUS_SUFFIXES.values():
            for item in iter_records(path, fields=columns, max_bytes=max_bytes, where=display(path)):
                if isinstance(item, Record):
                    record = item
                    item = _accept(_record_doc(record), language, fallback)
                    if isinstance(item, Skipped) and not item.reason.startswith(f"line {record.line}:"):
                        item = dataclasses.replace(item, reason=f"line {record.line}: {item.reason}")
                    warning = _date_warning(record.source, record.metadata, f"line {record.line}: ")
                    if warning and not isinstance(item, Skipped):
                        yield warning
                yield item
            continue
        yield from _file_documents(path, max_bytes, language, fallback)


def _file_documents(path: Path, max_bytes: int, language: str | None,
                    fallback: str | None) -> Iterator[SourceDoc | Skipped]:
    """The document of one file and, before it, a :class:`MetadataSkipped`
    for metadata that could not be read (front matter, a date) and a
    :class:`MarkupSkipped` for markup that could not be parsed (Markdown read
    as plain text, HTML deeper than libxml2 reads); a :class:`Skipped` when
    the file cannot be read, whatever goes wrong (a missing library included)."""
    try:
        doc, warnings = _read_file(path, max_bytes)
        doc = _accept(doc, language, fallback)
    except IngestError as err:
        yield Skipped(err.path, err.reason, err.hint)
        return
    except Exception as err:  # a bug or a broken install must cost this document only
        yield _unexpected(display(path), err)
        return
    if not isinstance(doc, Skipped):
        yield from warnings
    yield doc


def _date_warning(source: str, metadata: Mapping[str, object], prefix: str = "") -> MetadataSkipped | None:
    """The warning for a metadata date that is no date (``2023-02-30``,
    ``next Tuesday``): the document is read without it."""
    value = metadata.get("date")
    if not value or parse_date(value) is not None:
        return None
    return MetadataSkipped(source, f"{prefix}date {_clean(value, 100)!r} is not a date and was left out; "
                                   "the text was read",
                           "write the date as YYYY-MM-DD (documents without one take the date given with --date)")


def _unexpected(source: str, err: Exception) -> Skipped:
    if isinstance(err, ImportError):
        return Skipped(source, f"a library kg needs cannot be imported: {' '.join(str(err).split())}",
                       "reinstall kg with its dependencies (pip install kg)")
    return Skipped(source, f"unexpected error: {type(err).__name__}: {' '.join(str(err).split())}",
                   "the other documents were read; please report this with the file")


def _record_doc(record: Record) -> SourceDoc | Skipped:
    try:
        return make_doc(record.text, source=record.source, metadata=record.metadata)
    except IngestError as err:
        return Skipped(record.source, f"line {record.line}: {err.reason}", err.hint)
    except Exception as err:  # a bug must cost this record only
        item = _unexpected(record.source, err)
        return dataclasses.replace(item, reason=f"line {record.line}: {item.reason}")


def _accept(doc: SourceDoc | Skipped, language: str | None, fallback: str | None) -> SourceDoc | Skipped:
    """Check the language of *doc*; fill in its language and fallback date."""
    if isinstance(doc, Skipped):
        return doc
    declared = normalize_code(doc.language)
    found = detect(doc.text)
    if language is not None:
        # The text outranks the metadata (page templates often declare a
        # language wrongly); the metadata decides only when the text is unclear.
        if found.language is not None and found.language != language and found.probability(language) < _MAX_EXPECTED:
            return Skipped(doc.source, f"language {found.language!r} detected; kg reads {language!r}",
                           "pass --model with a pipeline for that language")
        if declared and declared != language and found.language != language:
            return Skipped(doc.source, f"language {declared!r} declared in the metadata; kg reads {language!r}",
                           "pass --model with a pipeline for that language, or correct the metadata")
    changes = {}
    # A confident detection outranks the metadata here too.
    if (found.language or declared) != doc.language:
        changes["language"] = found.language or declared
    if doc.date is None and fallback is not None:
        changes["date"] = fallback
    return dataclasses.replace(doc, **changes) if changes else doc


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


def read_document(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDoc:
    """Read one file into a :class:`SourceDoc`; raise :class:`IngestError`.

    Only regular files are read (a named pipe or a device would block or
    never end), and never more than *max_bytes* of them. Front matter that
    cannot be read is left out (:func:`iter_documents` reports it).
    """
    return _read_file(Path(path), max_bytes)[0]


def _read_file(path: Path, max_bytes: int) -> tuple[SourceDoc, list[Skipped]]:
    """The document of *path*, and the warnings about it: metadata that was
    ignored (:class:`MetadataSkipped`), markup read as plain text
    (:class:`MarkupSkipped`)."""
    where = display(path)
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    data = _read_bytes(path, where, max_bytes)
    text = decode_bytes(data, where, declared=_declared_charset(data) if kind == "html" else None)
    meta: dict[str, object] = {}
    warnings: list[Skipped] = []
    if kind == "html":
        text, meta, lost = _html_to_text(text, where)
        if lost:
            warnings.append(MarkupSkipped(where, lost, _TOO_DEEP_HINT))
        text = _drop_headline(text, meta.get("title"))
    else:
        front = read_front_matter(text)
        text, meta = front.body, dict(front.metadata)
        if front.problem:
            warnings.append(MetadataSkipped(where, f"front matter ignored: {front.problem}; the text after it was read",
                                            "fix the front matter (YAML between --- lines, TOML between +++ lines, "
                                            f"at most {MAX_FRONT_MATTER_LINES} lines)"))
        if kind == "markdown":
            try:
                text, title = _markdown_to_text(text)
            except RecursionError:  # markdown-it recurses once (or more) per level of nesting
                title = None
                warnings.append(MarkupSkipped(
                    where, "Markdown nested too deeply to parse (lists or block quotes hundreds of levels deep); "
                           "its text was read as plain text, Markdown syntax and all",
                    "flatten the nesting to have the Markdown read"))
            if title and "title" not in meta:
                meta["title"] = title
            text = _drop_headline(text, meta.get("title"))
    warning = _date_warning(where, meta)
    if warning:
        warnings.append(warning)
    return make_doc(text, source=where, metadata=meta), warnings


def _drop_headline(text: str, title: str | None) -> str:
    """The article without its first paragraph when that is the headline
    (it is the document's ``schema:headline``; as text it would be read as
    one more, undated, sentence)."""
    if not title:
        return text
    first, sep, rest = text.lstrip().partition("\n\n")
    if sep and rest.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


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
            raise IngestError(where, "symbolic link loop", hint="fix the link") from None
        if err.errno == errno.ENOENT and path.is_symlink():
            raise IngestError(where, "broken symbolic link", hint="point it at an existing file") from None
        if err.errno == errno.EISDIR:
            raise IngestError(where, "is a folder, not a file", hint="give the folder itself to read what is in it") from None
        raise IngestError(where, f"cannot read: {err.strerror or err}", hint="check the file") from None
    handle = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    for test, what in _FILE_KINDS:
        if test(mode):
            handle.close()
            raise IngestError(where, f"not a regular file ({what})", hint="give kg text, Markdown, HTML or corpus files")
    return handle


def _read_bytes(path: Path, where: str, max_bytes: int) -> bytes:
    with open_regular(path, where) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise IngestError(where, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                              hint="split it, or raise the limit with --max-bytes")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as err:
            raise IngestError(where, f"cannot read: {err.strerror or err}", hint="check the file") from None
    if len(data) > max_bytes:  # it grew since it was measured
        raise IngestError(where, f"file is over the {max_bytes:,}-byte limit",
                          hint="split it, or raise the limit with --max-bytes")
    return data


def binary_kind(data: bytes) -> str | None:
    """What binary data *data* (the start of a file) looks like, or ``None``
    when it may be text."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = data[:65536]
    if not sample:
        return None
    if _utf16_without_bom(sample):
        return None
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 20):
        return "contains control bytes"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when *sample* is ASCII-range UTF-16 with no BOM
    (every other byte NUL), else ``None``."""
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even, odd = sample[0:2 * half:2].count(0), sample[1:2 * half:2].count(0)
    if odd >= 0.9 * half and even < 0.1 * half:
        return "utf-16-le"
    if even >= 0.9 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, where: str, *, declared: str | None = None) -> str:
    """Decode file bytes into text.

    A BOM decides; else UTF-8 (a few invalid bytes in a UTF-8 file are
    read as Windows-1252, as a mixed-up file usually holds); else the
    charset the HTML page declares (*declared*); else Windows-1252
    (which covers Latin-1's printable range: what mislabelled Western pages
    use). Raises :class:`IngestError` for empty and binary data.
    """
    if not data.strip():
        raise IngestError(where, "empty file", hint="nothing to read")
    what = binary_kind(data)
    if what:
        raise IngestError(where, f"binary file ({what})", hint="give kg text, Markdown or HTML")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise IngestError(where, f"invalid {codec} at byte {err.start}", hint="re-save the file as UTF-8") from None
    wide = _utf16_without_bom(data[:65536])
    if wide:
        try:
            return data.decode(wide)
        except UnicodeDecodeError as err:
            raise IngestError(where, f"invalid {wide} at byte {err.start}", hint="re-save the file as UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_legacy(data)


# Windows-1252, with its five unassigned bytes read as Latin-1 (C1 controls,
# removed by normalisation) so that decoding never fails.
_CP1252 = "".join(bytes([b]).decode("cp1252", "strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                  for b in range(256))


def decode_legacy(data: bytes) -> str:
    """Bytes that are not valid UTF-8: mostly UTF-8 with a few stray bytes
    (each read as Windows-1252), or a Windows-1252/Latin-1 file.

    >>> decode_legacy("Caf\\u00e9 \\u201cs\\u00fcr\\u201d".encode("cp1252"))
    'Café “sür”'
    >>> decode_legacy("S\\u00e3o Paulo".encode("utf-8") + b" \\x93ok\\x94")
    'São Paulo “ok”'
    """
    stray = 0

    def as_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
        nonlocal stray
        stray += err.end - err.start
        return "".join(_CP1252[b] for b in err.object[err.start:err.end]), err.end

    mixed = _decode_with(data, as_cp1252)
    wide = sum(1 for ch in mixed if ord(ch) > 0x7F) - stray  # characters UTF-8 decoded
    # Valid UTF-8 sequences are rare by chance in Windows-1252 text; when in
    # doubt read it all as Windows-1252: ftfy repairs the UTF-8 parts later.
    if wide * 4 >= stray:
        return mixed
    return data.decode("latin-1").translate(_CP1252_TABLE)


_CP1252_TABLE = {b: ch for b, ch in enumerate(_CP1252) if chr(b) != ch}


def _decode_with(data: bytes, handler) -> str:
    """UTF-8 with *handler* for invalid bytes (without a global registration)."""
    parts: list[str] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            return "".join(parts)
        except UnicodeDecodeError as err:
            parts.append(data[pos:pos + err.start].decode("utf-8"))
            shifted = UnicodeDecodeError(err.encoding, data, pos + err.start, pos + err.end, err.reason)
            text, end = handler(shifted)
            parts.append(text)
            pos = end


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# What browsers read these labels as (the WHATWG Encoding Standard).
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932",
                    "x-sjis": "cp932", "euc-kr": "cp949", "iso-8859-9": "cp1254", "tis-620": "cp874"}


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` in its first 4 KiB."""
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def make_doc(text: str, *, source: str, metadata: Mapping[str, object] | None = None) -> SourceDoc:
    """Normalise *text*, separate furniture and build a :class:`SourceDoc`.

    *metadata* keys: ``title``, ``date``, ``url``, ``publisher`` (or
    ``source``, ``sitename``), ``author``, ``language`` (or ``lang``), all
    strings, and ``keywords`` (a sequence of strings, or one string of
    comma-separated ones).
    Raises :class:`IngestError` when no article text is left.
    """
    meta = dict(metadata or {})
    furniture = split_furniture(normalize_text(text))
    body = furniture.text
    if not body.strip():
        raise IngestError(source, "no article text (the file is empty or holds only page furniture)",
                          hint="check that it is an article; nothing was added to the graph from it")
    if not re.search(r"[^\W\d_]", body):
        raise IngestError(source, "no letters in the text", hint="check that it is a text document")
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    credits = tuple(furniture.credits)
    title = _clean(meta.get("title"), 500) or _title_from_text(body)
    author = _clean(meta.get("author"), 500) or next((n for r, n in credits if r == "author"), None)
    publisher = _clean(meta.get("publisher") or meta.get("source") or meta.get("sitename"), 500)
    return SourceDoc(
        id=digest,
        text=body,
        source=source,
        title=title,
        date=parse_date(meta.get("date")),
        url=_clean_url(meta.get("url")),
        publisher=publisher,
        author=author,
        language=normalize_code(meta.get("language") or meta.get("lang")),
        credits=credits,
        keywords=_keywords(meta.get("keywords")),
    )


def _keywords(value: object) -> tuple[str, ...]:
    """Keywords, cleaned, each once, in their order (at most 100)."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    cleaned = (_clean(item, 200) for item in items if isinstance(item, str))
    return tuple(dict.fromkeys(k for k in cleaned if k))[:100]


# -------------------------------------------------------------------- Markdown

# markdown-it drops, silently, whatever is nested deeper than its maxNesting
# (20 in CommonMark mode: the text of 20 nested block quotes, everything after
# a list 20 deep). Unbounded, Python's recursion limit stops it instead, a few
# hundred levels deep, with a RecursionError that is reported.
_MARKDOWN_OPTIONS = {"maxNesting": sys.maxsize}


def _markdown_to_text(text: str) -> tuple[str, str | None]:
    """Markdown -> plain paragraphs, with markdown-it's parser (no regexes).
    Raises :class:`RecursionError` when *text* is nested too deeply for it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", _MARKDOWN_OPTIONS).parse(text)
    blocks: list[str] = []
    title = None
    in_heading = None
    for token in tokens:
        if token.type == "heading_open":
            in_heading = token.tag
        elif token.type == "heading_close":
            in_heading = None
        elif token.type in ("inline",):
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            block = "".join(parts).strip()
            if block:
                if in_heading == "h1" and title is None:
                    title = block
                blocks.append(block)
        elif token.type in ("fence", "code_block"):
            continue
    return "\n\n".join(blocks), title


# ------------------------------------------------------------------------ HTML

# The publication date is taken from the page only (meta tags such as
# article:published_time, JSON-LD datePublished, the URL, time elements),
# never from the file's date or today's; the bounds are fixed, not "today",
# so the same page gives the same date whenever it is read.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1900-01-01", "max_date": "2099-12-31"}


def _html_to_text(html: str, where: str) -> tuple[str, dict[str, str], str | None]:
    """The article text of an HTML page, its metadata, and what of the page
    could not be read (or ``None``)."""
    try:
        import trafilatura
    except ImportError as err:  # e.g. lxml.html.clean, a separate project since lxml 5.2
        raise IngestError(where, f"cannot read HTML: trafilatura cannot be imported ({' '.join(str(err).split())})",
                          hint="reinstall kg with its dependencies (pip install kg)") from None
    tree, limit = _deep_tree(html)
    lost = None if limit is None else f"HTML nested more than {limit:,} elements deep, more than the HTML parser (libxml2) reads"
    try:
        result = trafilatura.bare_extraction(
            html if tree is None else tree, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise IngestError(where, f"cannot parse HTML ({type(err).__name__}: {err})",
                          hint="check that the file is an HTML page") from None
    if result is None or not (result.text or "").strip():
        if lost:
            raise IngestError(where, f"{lost}; no article text above that depth", hint=_TOO_DEEP_HINT)
        raise IngestError(where, "no article text found in the HTML page",
                          hint="the page may hold only scripts, styles or navigation")
    meta = {}
    for key, attr in (("title", "title"), ("date", "date"), ("author", "author"),
                      ("publisher", "sitename"), ("url", "url"), ("language", "language")):
        value = getattr(result, attr, None)
        if value:
            meta[key] = str(value)
    if "language" not in meta:
        declared = _HTML_LANG.search(html[:4096])
        if declared:
            meta["language"] = declared.group(1)
    # trafilatura gives one block per line; make them paragraphs.
    text = "\n\n".join(line for line in result.text.split("\n") if line.strip())
    return text, meta, lost and f"{lost}: the text deeper than that was not read"


_TOO_DEEP_HINT = "the page's markup is broken (tags left open): save the article's text as a .txt file"


def _deep_tree(html: str):
    """``(tree, limit)``: the page parsed by lxml with libxml2's depth limit
    raised when it is nested deeper than trafilatura's parser reads (else
    ``None``), and the limit it still reaches (else ``None``).

    libxml2 stops at 256 nested elements and drops, silently, the rest of the
    page (pages of unclosed ``<div>`` or ``<font>`` tags nest that deep).
    With ``huge_tree`` it reads 2,048 levels. The check is one more parse of
    the page by libxml2: a few milliseconds, against trafilatura's hundreds.
    """
    import lxml.etree
    import lxml.html

    data = html.encode("utf-8", "surrogatepass")
    if _depth_limit(data, huge=False) is None:
        return None, None
    parser = _html_parser(huge=True)
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None, None
    return tree, _depth_limit_hit(parser)


def _html_parser(huge: bool):
    """An lxml HTML parser set as trafilatura sets its own."""
    import lxml.html

    return lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                remove_pis=True, huge_tree=huge)


def _depth_limit(data: bytes, huge: bool) -> int | None:
    """The depth limit of libxml2 that *data* reaches (``None``: none)."""
    import lxml.etree
    import lxml.html

    parser = _html_parser(huge)
    try:
        lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None
    return _depth_limit_hit(parser)


def _depth_limit_hit(parser) -> int | None:
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" and "depth" in entry.message:
            found = re.search(r"\d+", entry.message)
            return int(found.group()) if found else 0
    return None


_HTML_LANG = re.compile(r"""<html\b[^>]*?\s(?:xml:)?lang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)


# ----------------------------------------------------------------------- dates

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9


def parse_date(value: str | None) -> str | None:
    """Normalise a metadata date to ``YYYY-MM-DD`` (or ``None``).

    The date is the one written (a time zone does not move it to another day).

    >>> parse_date("2022-11-14T08:00:00Z")
    '2022-11-14'
    >>> parse_date("November 14, 2022"), parse_date("14 Nov. 2022"), parse_date("2022/11/14")
    ('2022-11-14', '2022-11-14', '2022-11-14')
    >>> parse_date("Mon, 14 Nov 2022 08:00:00 GMT"), parse_date("20221114")
    ('2022-11-14', '2022-11-14')
    >>> parse_date("2022-02-30") is None
    True
    """
    if not value:
        return None
    value = str(value).strip()
    if len(value) > 100:
        return None
    # 2022-11-14, 2022/11/14, 2022.11.14; 20221114 (ISO 8601's basic form)
    match = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", value) or re.match(
        r"^(\d{4})(\d{2})(\d{2})(?:$|T\d)", value)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        words = re.sub(r"^[A-Za-z]+,\s*", "", value)  # a weekday: "Mon, 14 Nov 2022 ..."
        match = re.match(r"^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b", words)
        if match and match.group(1).lower() in _MONTHS:
            y, m, d = int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2))
        else:
            match = re.match(r"^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})\b", words)
            if not (match and match.group(2).lower() in _MONTHS):
                return _rfc2822(value)
            y, m, d = int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _rfc2822(value: str) -> str | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


# --------------------------------------------------------------------- helpers

def _clean(value: str | None, limit: int) -> str | None:
    """A metadata value, normalised, on one line, at most *limit* characters."""
    if value is None:
        return None
    value = " ".join(normalize_text(str(value)).split())
    return value[:limit].rstrip() or None


def _clean_url(value: str | None) -> str | None:
    """An absolute URL, with characters not allowed in an IRI escaped;
    anything else (a relative path, ``javascript:``) is dropped."""
    if not value:
        return None
    value = normalize_text(str(value)).strip()
    if len(value) > 2000 or not re.match(r"^(?:https?|ftp)://[^\s/?#]+", value, re.IGNORECASE):
        return None
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~-._") if re.search(r'[\s<>"{}|\\^`\x00-\x1f]', value) else value


def _title_from_text(body: str) -> str | None:
    """A first line that reads like a headline (short, no final full stop)."""
    first, _, rest = body.partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 150 and not first.endswith((".", "!", "?", ":", ";", ",")) and len(first.split()) >= 2:
        return first
    return None
