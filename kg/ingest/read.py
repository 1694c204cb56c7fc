"""Reading: paths -> :class:`~kg.records.SourceDoc` records, one file or many.

:func:`iter_documents` walks the paths it is given (:mod:`.files`), decodes
each file (:mod:`.decoding`), reads its format (:mod:`.formats`) and front
matter (:mod:`.frontmatter`), streams the records of corpus files
(:mod:`.corpus`), makes each document (:mod:`.documents`) and checks its
language (:mod:`.language`). A document that cannot be read is yielded as a
:class:`~kg.records.Skipped` record with the reason and what to do, never
raised, so one bad file never costs the others.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from ..dates import parse_date
from ..errors import IngestError, KGError
from ..records import MarkupSkipped, MetadataSkipped, Skipped, SourceDoc
from .corpus import Record, field_map, iter_records
from .decoding import decode_bytes, declared_charset
from .documents import date_warning, make_doc
from .files import CORPUS_SUFFIXES, DEFAULT_MAX_BYTES, SUFFIXES, discover, display, read_bytes
from .formats import TOO_DEEP_HINT, drop_headline, html_to_text, markdown_to_text
from .frontmatter import MAX_LINES as MAX_FRONT_MATTER_LINES, read_front_matter
from .language import MAX_EXPECTED as _MAX_EXPECTED
from .language import detect, normalize_code

__all__ = ["iter_documents", "read_document"]


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
        :mod:`kg.ingest.corpus`.
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
                    warning = date_warning(record.source, record.metadata, f"line {record.line}: ")
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
    data = read_bytes(path, where, max_bytes)
    text = decode_bytes(data, where, declared=declared_charset(data) if kind == "html" else None)
    meta: dict[str, object] = {}
    warnings: list[Skipped] = []
    if kind == "html":
        text, meta, lost = html_to_text(text, where)
        if lost:
            warnings.append(MarkupSkipped(where, lost, TOO_DEEP_HINT))
        text = drop_headline(text, meta.get("title"))
    else:
        front = read_front_matter(text)
        text, meta = front.body, dict(front.metadata)
        if front.problem:
            warnings.append(MetadataSkipped(where, f"front matter ignored: {front.problem}; the text after it was read",
                                            "fix the front matter (YAML between --- lines, TOML between +++ lines, "
                                            f"at most {MAX_FRONT_MATTER_LINES} lines)"))
        if kind == "markdown":
            try:
                text, title = markdown_to_text(text)
            except RecursionError:  # markdown-it recurses once (or more) per level of nesting
                title = None
                warnings.append(MarkupSkipped(
                    where, "Markdown nested too deeply to parse (lists or block quotes hundreds of levels deep); "
                           "its text was read as plain text, Markdown syntax and all",
                    "flatten the nesting to have the Markdown read"))
            if title and "title" not in meta:
                meta["title"] = title
            text = drop_headline(text, meta.get("title"))
    warning = date_warning(where, meta)
    if warning:
        warnings.append(warning)
    return make_doc(text, source=where, metadata=meta), warnings
