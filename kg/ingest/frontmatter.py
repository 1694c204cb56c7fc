"""Front matter of text and Markdown documents -> document metadata.

Jekyll/Hugo-style front matter opens a file: YAML between ``---`` lines
(read with PyYAML's ``safe_load``) or TOML between ``+++`` lines (read with
``tomllib``). :func:`read_front_matter` returns the text after it, the
metadata kg uses (see :data:`KEYS`) and, when the block looks like front
matter but cannot be read (a syntax error, a list instead of keys), the
problem: the block is then dropped without its metadata and the text after it
is still the document.

A block that does not look like front matter (prose between two ``---``
rules, no ``key:`` line) is left in the text. Front matter is read up to
:data:`MAX_LINES` lines; a longer block shaped like front matter (every line
at the margin a key) is dropped unread, with the problem, rather than read
as the article (a megabyte of it took a build 3 GB); parsing it would take
seconds and a hundred megabytes a megabyte.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..dates import parse_date

__all__ = ["KEYS", "MAX_LINES", "FrontMatter", "read_front_matter", "split_front_matter"]

#: Metadata field -> the front matter keys it is read from (case-insensitive),
#: the first present with a usable value wins. Other keys are ignored, and
#: so are nested tables (TOML ``[params]``).
KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "date": ("date", "published", "published_time", "datepublished", "date_published", "published_at",
             "publishdate", "publish_date", "pubdate"),
    "url": ("url", "canonical_url", "canonicalurl", "source_url", "link"),
    "author": ("author", "authors", "byline"),
    "publisher": ("source", "publisher", "site_name", "sitename"),
    "language": ("language", "lang", "inlanguage", "locale"),
    "keywords": ("tags", "keywords"),
}

#: The longest front matter read, in lines between the fences.
MAX_LINES = 200
# A line that only front matter has: ``key: ...`` or ``- key: ...`` (YAML), ``key = ...`` (TOML).
_YAML_KEY_LINE = re.compile(r"^(?:-\s+)?[A-Za-z_][\w.-]*\s*:(?:\s|$)")
_TOML_KEY_LINE = re.compile(r"^(?:[A-Za-z_][\w.-]*|\"[^\"]*\")\s*=|^\[")


@dataclass(frozen=True)
class FrontMatter:
    """What :func:`read_front_matter` found.

    body
        The text after the front matter (the whole text when there is none).
    metadata
        ``title``, ``date`` (``YYYY-MM-DD`` when the value is a date, else as
        written), ``url``, ``publisher``, ``author``, ``language`` as strings
        and ``keywords`` as a tuple of strings, where the front matter gives them.
    problem
        Why a block that looks like front matter was ignored, or ``None``.
    """

    body: str
    metadata: dict[str, object] = field(default_factory=dict)
    problem: str | None = None


def read_front_matter(text: str) -> FrontMatter:
    """Split the front matter from *text* and read it.

    >>> fm = read_front_matter('---\\ntitle: "Biden\\\\u2019s\\\\_call"\\ndate: 2024-05-01T10:00:00-04:00\\n---\\nText.')
    >>> fm.body, fm.metadata
    ('Text.', {'title': 'Biden’s\\xa0call', 'date': '2024-05-01'})
    >>> read_front_matter('+++\\ntitle = "T"\\ntags = ["a", "b"]\\n+++\\nText.').metadata
    {'title': 'T', 'keywords': ('a', 'b')}
    >>> read_front_matter('---\\ntitle: "open\\n---\\nText.').problem
    'YAML syntax error at line 2, column 13: found unexpected end of stream (while scanning a quoted scalar at line 2, column 8)'
    >>> read_front_matter('---\\n' + 'key: value\\n' * 201 + '---\\nText.').problem
    '201 lines long, over the 200 lines kg reads'
    """
    block = _block(text)
    if block is None:
        return FrontMatter(text)
    lines, fence, body = block
    toml = fence == "+++"
    if len(lines) > MAX_LINES:
        if not _shaped_like_front_matter(lines, toml):
            return FrontMatter(text)
        return FrontMatter(body, {}, f"{len(lines):,} lines long, over the {MAX_LINES} lines kg reads")
    source = "\n".join(lines)
    try:
        data = _parse_toml(source) if toml else _parse_yaml(source)
    except _Unreadable as err:
        if not _looks_like_front_matter(lines, toml):
            return FrontMatter(text)
        return FrontMatter(body, {}, str(err))
    if data is None:  # an empty block, or only comments
        return FrontMatter(body)
    if not isinstance(data, Mapping):
        if not _looks_like_front_matter(lines, toml):
            return FrontMatter(text)
        return FrontMatter(body, {}, f"the front matter is a {_kind(data)}, not keys with values")
    return FrontMatter(body, _metadata(data))


def split_front_matter(text: str) -> tuple[str, dict[str, object]]:
    """``(body, metadata)`` of :func:`read_front_matter` (a problem is not reported).

    >>> split_front_matter('---\\ntitle: "A \\\\"quoted\\\\" title"\\ndate: 2022-11-14 08:00\\n---\\nText.')
    ('Text.', {'title': 'A "quoted" title', 'date': '2022-11-14'})
    """
    found = read_front_matter(text)
    return found.body, found.metadata


# ------------------------------------------------------------------- the block

def _block(text: str) -> tuple[list[str], str, str] | None:
    """``(lines, fence, body)`` of a front matter block that opens *text*
    and is closed, or ``None``."""
    start = 1 if text.startswith("\ufeff") else 0
    first_end = text.find("\n", start)
    if first_end < 0:
        return None
    fence = text[start:first_end].strip()
    if fence not in ("---", "+++"):
        return None
    closers = ("---", "...") if fence == "---" else ("+++",)
    lines: list[str] = []
    pos = first_end + 1
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        nxt = len(text) + 1 if end < 0 else end + 1
        if line.strip() in closers:
            return lines, fence, text[nxt:] if nxt <= len(text) else ""
        lines.append(line.rstrip("\r"))
        if end < 0 or len(lines) > MAX_LINES and not _margin_line(lines[-1], fence == "+++"):
            return None  # unclosed, or too long to read and not front matter either
        pos = nxt
    return None


def _looks_like_front_matter(lines: list[str], toml: bool) -> bool:
    pattern = _TOML_KEY_LINE if toml else _YAML_KEY_LINE
    return any(pattern.match(line) for line in lines)


def _margin_line(line: str, toml: bool) -> bool:
    """Whether *line* can be a line of front matter without being parsed:
    blank, indented, a comment, or at the margin a key (YAML: or a list
    item; TOML: or a table, or the end of a multi-line array or table)."""
    if not line.strip() or line[0] in " \t#":
        return True
    if toml:
        return bool(_TOML_KEY_LINE.match(line)) or line[0] in "]}"
    return bool(_YAML_KEY_LINE.match(line)) or line.startswith("- ") or line == "-"


def _shaped_like_front_matter(lines: list[str], toml: bool) -> bool:
    """Whether a block too long to parse is front matter all the same: every
    line is a :func:`_margin_line` and one at least is a key (prose between
    two rules has lines of text at the margin)."""
    return _looks_like_front_matter(lines, toml) and all(_margin_line(line, toml) for line in lines)


# The block starts on the file's second line.
_FIRST_LINE = 2


class _Unreadable(Exception):
    """The block is not valid YAML / TOML; the message says where and why."""


def _parse_yaml(source: str):
    import yaml

    try:
        return yaml.safe_load(source)
    except yaml.MarkedYAMLError as err:
        raise _Unreadable(f"YAML syntax error{_at(err.problem_mark)}: {err.problem or err.context}"
                          + (f" ({err.context}{_at(err.context_mark)})" if err.problem and err.context else "")) from err
    except Exception as err:  # PyYAML raises ValueError for a bad date, RecursionError on deep nesting ...
        raise _Unreadable(f"YAML error: {type(err).__name__}: {err}") from err


def _at(mark) -> str:
    return f" at line {mark.line + _FIRST_LINE}, column {mark.column + 1}" if mark is not None else ""


def _parse_toml(source: str):
    import tomllib

    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        message = re.sub(r"\(at line (\d+)", lambda m: f"(at line {int(m.group(1)) + _FIRST_LINE - 1}", str(err))
        raise _Unreadable(f"TOML syntax error: {message}") from err
    except Exception as err:
        raise _Unreadable(f"TOML error: {type(err).__name__}: {err}") from err


def _kind(data: object) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, str):
        return "text"
    return type(data).__name__


# ---------------------------------------------------------------- the metadata

def _metadata(data: Mapping) -> dict[str, object]:
    keys: dict[str, object] = {}
    for key, value in data.items():
        keys.setdefault(str(key).strip().lower(), value)
    meta: dict[str, object] = {}
    for name, candidates in KEYS.items():
        read = _READERS.get(name, _text)
        for key in candidates:
            value = read(keys.get(key))
            if value:
                meta[name] = value
                break
        else:
            if name == "date":  # no key holds a date: the first written is kept as it is, to be reported
                written = next((t for t in (_text(keys.get(key)) for key in candidates) if t), None)
                if written:
                    meta[name] = written
    return meta


def _text(value: object) -> str | None:
    """A scalar as text; a ``{name: ...}`` mapping as its name."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float, _dt.date, _dt.time)):
        return value.isoformat() if isinstance(value, (_dt.date, _dt.time)) else str(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            if str(key).lower() == "name":
                return _text(item)
    return None


def _texts(value: object) -> tuple[str, ...]:
    """A list of values (or one) as texts."""
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in (_text(item) for item in items) if t)


def _author(value: object) -> str | None:
    return ", ".join(_texts(value)) or None


def _keywords(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(dict.fromkeys(t for t in _texts(value)))


def _date(value: object) -> str | None:
    """``YYYY-MM-DD`` for a date, a datetime (the day written: its time zone
    does not move it) or a date string; ``None`` for anything else."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = _text(value)
    return parse_date(text) if text else None


def _url(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


_READERS = {"date": _date, "url": _url, "author": _author, "keywords": _keywords}
