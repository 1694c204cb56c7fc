"""Documents: text and metadata -> :class:`~kg.records.SourceDoc`.

:func:`make_doc` normalises the text, separates the page furniture, gives
the document its id (a digest of its text) and cleans its metadata (title,
date, URL, publisher, author, language, keywords).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from urllib.parse import quote

from ..dates import parse_date
from ..errors import IngestError
from ..records import MetadataSkipped, SourceDoc
from .language import normalize_code
from .normalize import normalize_text, split_furniture

__all__ = ["make_doc", "date_warning"]


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


def date_warning(source: str, metadata: Mapping[str, object], prefix: str = "") -> MetadataSkipped | None:
    """The warning for a metadata date that is no date (``2023-02-30``,
    ``next Tuesday``): the document is read without it."""
    value = metadata.get("date")
    if not value or parse_date(value) is not None:
        return None
    return MetadataSkipped(source, f"{prefix}date {_clean(value, 100)!r} is not a date and was left out; "
                                   "the text was read",
                           "write the date as YYYY-MM-DD (documents without one take the date given with --date)")


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
