"""Ingest: files, HTML pages and corpus files -> :class:`~kg.records.SourceDoc`.

:func:`iter_documents` walks the paths it is given (files and folders),
decodes each file, extracts the article from HTML with trafilatura, strips
Markdown syntax and front matter, streams the records of corpus files
(``.jsonl``, ``.csv``), normalises the text, separates page furniture and
checks the language. A document that cannot be read is yielded as a
:class:`~kg.records.Skipped` record with the reason and what to do, never
raised, so one bad file never costs the others.

One module per concern:

- :mod:`.files`: which paths are documents (:data:`SUFFIXES`), opening and reading one;
- :mod:`.decoding`: bytes -> text (BOMs, UTF-8, declared charsets, Windows-1252);
- :mod:`.formats`: the article text of Markdown and HTML (trafilatura);
- :mod:`.corpus`: the records of ``.jsonl`` / ``.csv`` corpus files;
- :mod:`.frontmatter`: YAML / TOML front matter -> metadata;
- :mod:`.normalize`: text clean-up and page furniture;
- :mod:`.language`: which language a text is written in;
- :mod:`.documents`: text and metadata -> a :class:`~kg.records.SourceDoc` (id, metadata);
- :mod:`.read`: the way through them, :func:`iter_documents` and :func:`read_document`.

The names below are the public API (``kg.ingest.read_document`` ...).
"""

from __future__ import annotations

from ..dates import parse_date  # kg.ingest.parse_date, public since before kg.dates read metadata dates
from .decoding import binary_kind, decode_bytes, decode_legacy
from .documents import make_doc
from .files import DEFAULT_MAX_BYTES, SUFFIXES, discover, display, open_regular, require_paths
from .frontmatter import split_front_matter
from .read import iter_documents, read_document

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
