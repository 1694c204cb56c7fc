"""Files and HTML pages -> :class:`~kg.records.SourceDoc`.

:func:`iter_documents` walks the paths it is given (files and folders),
decodes each file, extracts the article from HTML with trafilatura, strips
Markdown syntax and front matter, normalises the text and separates page
furniture. A document that cannot be read is yielded as a
:class:`~kg.records.Skipped` record with the reason, never raised, so one bad
file never costs the others.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import IngestError
from .normalize import normalize_text, split_furniture
from .records import Skipped, SourceDoc

__all__ = [
    "SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "discover",
    "iter_documents",
    "read_document",
    "make_doc",
    "parse_date",
]

#: File suffixes kg reads, and how.
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".xhtml": "html"}
#: Files larger than this are refused (``--max-bytes`` changes it).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
)


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Skipped]]:
    """Expand files and folders into the sorted list of readable documents.

    Folders are walked recursively (symlinked folders are not followed, so a
    symlink loop cannot hang the walk); hidden files and unknown suffixes in
    folders are ignored. A path named explicitly that does not exist is
    reported as skipped.
    """
    found: set[Path] = set()
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False, onerror=lambda e: skipped.append(
                Skipped(str(e.filename), f"cannot list folder: {e.strerror}", "check its permissions"))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    candidate = Path(root) / name
                    if candidate.suffix.lower() in SUFFIXES:
                        found.add(candidate)
        elif path.exists():
            found.add(path)
        elif path.is_symlink():
            skipped.append(Skipped(str(path), "broken symbolic link", "point it at an existing file"))
        else:
            skipped.append(Skipped(str(path), "no such file or folder", "check the path"))
    return sorted(found, key=lambda p: str(p)), skipped


def iter_documents(
    paths: Iterable[str | os.PathLike],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fields: dict[str, str] | None = None,
    fallback_date: str | None = None,
    language: str = "en",
) -> Iterator[SourceDoc | Skipped]:
    """Yield a :class:`SourceDoc` for every readable document under *paths*,
    and a :class:`Skipped` record for every one that is not.

    *fields*, *fallback_date* and *language*: see :func:`kg.builder.build`
    (corpus-file column names; the date of undated documents; the language
    the pipeline reads).
    """
    files, skipped = discover(paths)
    yield from skipped
    for path in files:
        try:
            yield read_document(path, max_bytes=max_bytes)
        except IngestError as err:
            yield Skipped(err.path, err.reason, err.hint)


def read_document(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDoc:
    """Read one file into a :class:`SourceDoc`; raise :class:`IngestError`."""
    path = Path(path)
    where = str(path)
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    try:
        if path.is_dir():
            raise IngestError(where, "is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                where,
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                hint="split it, or raise the limit with --max-bytes",
            )
        data = path.read_bytes()
    except PermissionError:
        raise IngestError(where, "permission denied", hint="make the file readable") from None
    except OSError as err:
        raise IngestError(where, f"cannot read: {err.strerror or err}", hint="check the file") from None
    text = decode_bytes(data, where)
    meta: dict[str, str] = {}
    if kind == "html":
        text, meta = _html_to_text(text, where)
    else:
        text, meta = split_front_matter(text)
        if kind == "markdown":
            text, title = _markdown_to_text(text)
            if title and "title" not in meta:
                meta["title"] = title
    return make_doc(text, source=where, metadata=meta)


def make_doc(text: str, *, source: str, metadata: dict[str, str] | None = None) -> SourceDoc:
    """Normalise *text*, separate furniture and build a :class:`SourceDoc`.

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
    title = _clean(meta.get("title")) or _title_from_text(body)
    author = _clean(meta.get("author")) or next((n for r, n in credits if r == "author"), None)
    publisher = _clean(meta.get("publisher") or meta.get("source") or meta.get("sitename"))
    return SourceDoc(
        id=digest,
        text=body,
        source=source,
        title=title,
        date=parse_date(meta.get("date")),
        url=_clean(meta.get("url")),
        publisher=publisher,
        author=author,
        language=_clean(meta.get("language") or meta.get("lang")),
        credits=credits,
    )


def decode_bytes(data: bytes, where: str) -> str:
    """Decode file bytes: BOMs first, then UTF-8, then Windows-1252/Latin-1."""
    if not data.strip():
        raise IngestError(where, "empty file", hint="nothing to read")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise IngestError(where, f"binary file ({what})", hint="give kg text, Markdown or HTML")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise IngestError(where, f"invalid {codec} at byte {err.start}", hint="re-save the file as UTF-8") from None
    sample = data[:65536]
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        raise IngestError(where, "binary file (contains NUL bytes)", hint="give kg text, Markdown or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Windows-1252 is a superset of Latin-1's printable range and is
    # what mislabelled Western pages use; ftfy later repairs UTF-8 mojibake.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Split Jekyll/Hugo-style YAML front matter (``key: value`` lines
    between ``---`` lines) from the text. Returns ``(body, metadata)``."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        kv = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if not kv:
            continue
        value = kv.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value:
            meta[kv.group(1).lower()] = value
    return text[match.end():], meta


def _markdown_to_text(text: str) -> tuple[str, str | None]:
    """Markdown -> plain paragraphs, with markdown-it's parser (no regexes)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
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


def _html_to_text(html: str, where: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise IngestError(where, f"cannot parse HTML ({type(err).__name__}: {err})",
                          hint="check that the file is an HTML page") from None
    if result is None or not (result.text or "").strip():
        raise IngestError(where, "no article text found in the HTML page",
                          hint="the page may hold only scripts, styles or navigation")
    meta = {}
    for key, attr in (("title", "title"), ("date", "date"), ("author", "author"),
                      ("sitename", "sitename"), ("url", "url"), ("language", "language")):
        value = getattr(result, attr, None)
        if value:
            meta[key] = str(value)
    # trafilatura gives one block per line; make them paragraphs.
    text = "\n\n".join(line for line in result.text.split("\n") if line.strip())
    return text, meta


_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}


def parse_date(value: str | None) -> str | None:
    """Normalise a metadata date to ``YYYY-MM-DD`` (or ``None``).

    >>> parse_date("2022-11-14T08:00:00Z")
    '2022-11-14'
    >>> parse_date("November 14, 2022")
    '2022-11-14'
    """
    if not value:
        return None
    value = value.strip()
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = re.match(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$", value) or None
        if match and match.group(1).lower() in _MONTHS:
            y, m, d = int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2))
        else:
            match = re.match(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$", value)
            if not (match and match.group(2).lower() in _MONTHS):
                return None
            y, m, d = int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize_text(str(value))
    return value or None


def _title_from_text(body: str) -> str | None:
    """A first line that reads like a headline (short, no final full stop)."""
    first, _, rest = body.partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 150 and not first.endswith((".", "!", "?", ":", ";", ",")) and len(first.split()) >= 2:
        return first
    return None
