"""Corpus files: many documents in one ``.jsonl`` or ``.csv`` file.

An archive dump of an outlet is one JSON object per line (JSON Lines) or one
row per document (CSV, TSV). :func:`iter_records` streams such a file: one
line (or row) is in memory at a time, so a file of any number of records is
read in bounded memory. Each record is a :class:`Record` (its text and
metadata, not yet normalised) or, when it cannot be used, a
:class:`~kg.records.Skipped` naming the line and what to do; one bad record
never costs the others.

Fields are found under their default names (:data:`DEFAULT_COLUMNS`) or
under the names given with ``--field NAME=COLUMN``.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..dates import parse_timestamp
from ..errors import IngestError, KGError
from ..records import MarkupSkipped, Skipped
from .decoding import binary_kind, decode_legacy
from .files import CORPUS_SUFFIXES, open_regular
from .normalize import normalize_text

__all__ = ["FIELDS", "DEFAULT_COLUMNS", "Record", "field_map", "iter_records"]

#: kg's record fields, and the column each is read from by default.
DEFAULT_COLUMNS: dict[str, str] = {
    "id": "id",
    "title": "title",
    "date": "date",
    "url": "url",
    "source": "source",
    "text": "text",
    "author": "author",
    "language": "language",
}
FIELDS = tuple(DEFAULT_COLUMNS)
#: ``publisher`` is another name for the ``source`` field (the outlet).
_FIELD_ALIASES = {"publisher": "source"}

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Record:
    """One document of a corpus file, before normalisation.

    source
        ``path#id`` when the record has an id, else ``path#line``.
    line
        The line the record starts on (1-based).
    text
        The raw text field.
    metadata
        ``title``, ``date`` (as given, or ISO for a number: a Unix timestamp
        or ``YYYYMMDD``; a value that is no date as written, to be
        reported), ``url``, ``publisher``, ``author``, ``language`` where present.
    """

    source: str
    line: int
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def field_map(fields: Mapping[str, str] | None) -> dict[str, str]:
    """The column of each field: the defaults updated with *fields*.

    Raises :class:`~kg.errors.KGError` for a field kg does not know.

    >>> field_map({"text": "body", "publisher": "outlet"})["source"]
    'outlet'
    """
    columns = dict(DEFAULT_COLUMNS)
    for name, column in (fields or {}).items():
        key = _FIELD_ALIASES.get(name.strip().lower(), name.strip().lower())
        if key not in columns:
            raise KGError(f"--field {name}={column}: kg has no field {name!r}",
                          hint=f"the fields are {', '.join(FIELDS)}")
        if not str(column).strip():
            raise KGError(f"--field {name}=: no column named", hint="write --field NAME=COLUMN")
        columns[key] = str(column).strip()
    return columns


def iter_records(path: str | os.PathLike, *, fields: Mapping[str, str] | None = None,
                 max_bytes: int = 20 * 1024 * 1024, where: str | None = None) -> Iterator[Record | Skipped]:
    """Stream the records of the corpus file *path*.

    *max_bytes* limits each record (line), not the file. *where* is how the
    file is named in sources and messages (default: the path).
    """
    path = Path(path)
    where = where or str(path)
    columns = field_map(fields)
    kind = CORPUS_SUFFIXES.get(path.suffix.lower(), "jsonl")
    try:
        handle = open_regular(path, where)
    except IngestError as err:
        yield Skipped(where, err.reason, err.hint)
        return
    with handle:
        problem = _sniff(handle)
        if problem:
            yield Skipped(where, problem[0], problem[1])
            return
        lines = _Lines(handle, max_bytes)
        reader = _iter_jsonl if kind == "jsonl" else _iter_csv
        empty = True
        for item in reader(lines, columns, where, "\t" if kind == "tsv" else None, max_bytes):
            empty = False
            yield item
        if empty:
            yield Skipped(where, "no records in the file" if lines.count else "empty file", "nothing to read")


def _sniff(handle) -> tuple[str, str] | None:
    """Refuse binary files before reading them line by line."""
    head = handle.read(65536)
    handle.seek(0)
    what = binary_kind(head)  # the same signatures as single files
    if what:
        return f"binary file ({what})", "a corpus file is JSON Lines or CSV text"
    return None


class _TooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Lines:
    """Decoded lines of a binary file, with their numbers.

    UTF-8 by default (a BOM is honoured); a line that is not valid UTF-8 is
    read as Windows-1252, as single files are. A line longer than
    *max_bytes* raises :class:`_TooLong` after it has been skipped over.
    """

    def __init__(self, handle, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.count = 0
        head = handle.read(4)
        handle.seek(0)
        self.text = None
        for bom, codec in _BOMS:
            if head.startswith(bom):
                self.text = io.TextIOWrapper(handle, encoding=codec, newline="")
                break
        self.handle = handle
        if self.text is None and head.startswith(codecs.BOM_UTF8):
            handle.read(3)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        source = self.text or self.handle
        raw = source.readline(self.max_bytes + 1)
        if not raw:
            raise StopIteration
        self.count += 1
        end = "\n" if isinstance(raw, str) else b"\n"
        if len(raw) > self.max_bytes and not raw.endswith(end):
            while raw and not raw.endswith(end):  # skip the rest of the line, in pieces
                raw = source.readline(1 << 20)
            raise _TooLong(self.count)
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return decode_legacy(raw)


def _iter_jsonl(lines: _Lines, columns, where, _delimiter, max_bytes) -> Iterator[Record | Skipped]:
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except _TooLong as err:
            yield _too_long(where, err.line, max_bytes)
            continue
        n = lines.count
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as err:
            detail = (f"{err.msg.removesuffix(' at')} at column {err.colno}" if isinstance(err, json.JSONDecodeError)
                      else "nested too deeply")
            yield Skipped(f"{where}#{n}", f"line {n}: invalid JSON ({detail})",
                          f"fix or remove line {n}; the other lines were read")
            continue
        if not isinstance(obj, dict):
            yield Skipped(f"{where}#{n}", f"line {n}: a JSON {type(obj).__name__}, not an object",
                          "each line must be one JSON object with a text field")
            continue
        yield _record(obj, columns, where, n, "key")


def _iter_csv(lines: _Lines, columns, where, delimiter, max_bytes) -> Iterator[Record | Skipped]:
    # A field may hold a whole article; the default limit (128 KiB) is far too low.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    try:
        header_line = next(lines)
    except StopIteration:
        return
    except _TooLong as err:
        yield _too_long(where, err.line, max_bytes)
        return
    delimiter = delimiter or _delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    names = [h.strip() for h in header]
    index = _header_index(names)
    if columns["text"].lower() not in index:
        shown = ", ".join(repr(n) for n in names[:12]) or "none"
        yield Skipped(where, f"no {columns['text']!r} column (the text); the columns are {shown}",
                      "name the text column with --field text=COLUMN")
        return
    rows = _Rows(lines)
    reader = csv.reader(rows, delimiter=delimiter)
    unclosed = 0
    while True:
        rows.taken = []
        try:
            row = next(reader)
        except StopIteration:
            return
        except _TooLong as err:
            yield _too_long(where, err.line, max_bytes, rest=True)
            return
        except csv.Error as err:
            row, error = None, err
        else:
            error = None
        taken = rows.taken
        n = taken[0][0]
        again = _rows_taken_in(taken, delimiter, len(header)) if len(taken) > 1 else None
        if again is not None:
            # A quote that opens a field and is never closed takes in the rows
            # after it: the row ends before them, and they are read again.
            unclosed += 1
            hint = f"close the quote in line {n} (a quote inside a quoted field is written twice: \"\")"
            if unclosed > _MAX_UNCLOSED:
                yield Skipped(f"{where}#{n}", f"line {n}: more than {_MAX_UNCLOSED} rows with a quote never closed; "
                                              "the rest of the file was not read", hint)
                return
            rows.push_back(taken[again:])
            reader = csv.reader(rows, delimiter=delimiter)  # a new reader: out of the quote
            row = next(csv.reader((text for _, text in taken[:again]), delimiter=delimiter), [])
            item = _record({name: row[i] for name, i in index.items() if i < len(row)}, columns, where, n,
                           "column", ci=True)
            if isinstance(item, Record):
                yield MarkupSkipped(item.source, f"line {n}: a quoted field opened in this row is never closed; it "
                                                 f"was read as closed at the end of line {taken[again - 1][0]}, "
                                                 f"before the row on line {taken[again][0]}", hint)
            yield item
            continue
        if row is None:
            if len(taken) > 1:  # after a quoting error the reader cannot find the next row reliably
                yield Skipped(f"{where}#{n}", f"line {n}: malformed CSV ({error}); the rest of the file was not read",
                              f"fix the quoting at line {n}; the rows before it were read")
                return
            yield Skipped(f"{where}#{n}", f"line {n}: malformed CSV ({error})", f"fix line {n}; the other rows were read")
            reader = csv.reader(rows, delimiter=delimiter)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        obj = {name: row[i] for name, i in index.items() if i < len(row)}
        yield _record(obj, columns, where, n, "column", ci=True)


#: Rows with an unclosed quote read again before the rest of a file is given
#: up: each may take in the rest of the file before it is found out.
_MAX_UNCLOSED = 10


class _Rows:
    """The lines of a CSV file for :func:`csv.reader`, with the lines of the
    row being read kept in ``taken`` as ``(line number, text)``, and lines
    pushed back to be read again."""

    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.pending: collections.deque[tuple[int, str]] = collections.deque()
        self.taken: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pending:
            item = self.pending.popleft()
        else:
            text = next(self.lines)
            item = (self.lines.count, text)
        self.taken.append(item)
        return item[1]

    def push_back(self, items: list[tuple[int, str]]) -> None:
        self.pending.extendleft(reversed(items))


def _rows_taken_in(taken: list[tuple[int, str]], delimiter: str, width: int) -> int | None:
    """The index in *taken* (the lines of one row that spans several) of the
    first line of the rows an unclosed quote took in, or ``None`` when the row
    is one well-quoted row (or nothing after its first line reads as a row).

    The row is badly quoted when a strict reader refuses it (a quote never
    closed, or closed by the opening quote of a later row's field; kg's reader
    forgives a stray quote as in ``"a "b" c"``), and a line it took in is a
    row of its own: as many fields as the header.
    """
    try:
        if len(list(csv.reader((text for _, text in taken), delimiter=delimiter, strict=True))) == 1:
            return None
    except csv.Error:
        pass
    for i, (_, text) in enumerate(taken[1:], start=1):
        try:
            fields = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(fields) == width:
            return i
    return None


def _header_index(names: list[str]) -> dict[str, int]:
    """Column name (lower-cased) -> position; the first of duplicates wins."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)
    return index


def _delimiter(header: str) -> str:
    """The delimiter of a CSV file, from its header line (comma, semicolon, tab or bar)."""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _too_long(where: str, line: int, max_bytes: int, rest: bool = False) -> Skipped:
    tail = "; the rest of the file was not read" if rest else ""
    return Skipped(f"{where}#{line}", f"line {line}: record is over the {max_bytes:,}-byte limit{tail}",
                   "split the record, or raise the limit with --max-bytes")


#: What :func:`_lookup` returns for a key the record does not have (a JSON
#: ``null`` is ``None``).
_MISSING = object()


def _lookup(obj: dict, column: str, ci: bool, missing=None):
    """The value of *column* in *obj*: exact name, then case-insensitive
    (CSV headers are lower-cased), then a dotted path into nested objects;
    *missing* when there is none."""
    if ci:
        return obj.get(column.lower(), missing)
    if column in obj:
        return obj[column]
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() == column.lower():
            return value
    if "." in column:
        value = obj
        for part in column.split("."):
            if not isinstance(value, dict) or part not in value:
                return missing
            value = value[part]
        return value
    return missing


def _scalar(value, name: str) -> str | None:
    """A metadata value as text: strings as they are, numbers written out,
    lists joined (several authors), objects by their ``name``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        if name == "date":  # a number that is no date is kept as written, and reported
            return parse_timestamp(value) or json.dumps(value)
        return str(value)
    if isinstance(value, list):
        parts = [_scalar(v, name) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        return _scalar(value.get("name"), name)
    return None


def _record_id(value: str | None) -> str | None:
    """A record id fit to show in a source and a message: one line, no
    control or bidi characters, at most 200 characters."""
    if not value:
        return None
    return " ".join(normalize_text(value).split())[:200] or None


def _record(obj: dict, columns: dict[str, str], where: str, n: int, what: str, ci: bool = False) -> Record | Skipped:
    record_id = _record_id(_scalar(_lookup(obj, columns["id"], ci), "id"))
    source = f"{where}#{record_id}" if record_id else f"{where}#{n}"
    text = _lookup(obj, columns["text"], ci, _MISSING)
    if text is _MISSING:
        return Skipped(source, f"line {n}: no {columns['text']!r} {what} (the text)",
                       "name the text field with --field text=NAME")
    if text is None:
        return Skipped(source, f"line {n}: the text field {columns['text']!r} is null",
                       "give the record its text, or leave it out; the other records were read")
    if not isinstance(text, str):
        kind = {bool: "boolean", int: "number", float: "number", list: "list", dict: "object"}.get(type(text), "value")
        return Skipped(source, f"line {n}: the text field {columns['text']!r} is a {kind}, not a string",
                       "each record's text must be a string")
    if not text.strip():
        return Skipped(source, f"line {n}: the text field {columns['text']!r} is empty",
                       "fill it in, or leave the record out; the other records were read")
    meta: dict[str, str] = {}
    for name in ("title", "date", "url", "author", "language"):
        raw = _lookup(obj, columns[name], ci)
        value = _scalar(raw, name)
        if value is None and name == "date" and raw not in (None, "", [], {}) and not isinstance(raw, str):
            value = json.dumps(raw, ensure_ascii=False)[:100]  # not a date: kept as written, and reported
        if value:
            meta[name] = value
    publisher = _scalar(_lookup(obj, columns["source"], ci), "source")
    if publisher is None and columns["source"] == DEFAULT_COLUMNS["source"]:
        publisher = _scalar(_lookup(obj, "publisher", ci), "source")
    if publisher:
        meta["publisher"] = publisher
    return Record(source, n, text, meta)
