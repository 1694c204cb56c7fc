"""Every date kg reads: in news text, in document metadata, in the view's filters.

Dates in text are the subject of most of this module (below).  Dates in
metadata, front matter and corpus files are read by :func:`parse_date` and
:func:`parse_timestamp` (for :mod:`kg.ingest`); the dates of the view's
filters by :func:`parse_date_bounds` (for :mod:`kg.viz`).

The NER marks spans such as "March 20th to 22nd", "the end of 2022",
"Ten years ago" or "on Tuesday" as DATE.  :func:`parse_date_expression`
turns such a span into a :class:`DateValue` whose ``start`` (and, for
ranges, ``end``) are ISO lexical forms usable as ``xsd:date``,
``xsd:gYearMonth`` or ``xsd:gYear`` literals.  The module is pure standard
library (no spaCy, no rdflib).

Design
------
Only whitelisted shapes parse; everything else returns ``None``.  So
durations ("the past 10 years", "6 days", "more than 5,000 years"), vague
spans ("the century", "a few years ago", "the spring") and events anchored to
something other than the document ("the next day", "the previous year") are
never mistaken for points in time.

*Anchor.*  Expressions that need a reference date (missing year, "last
year", "on Tuesday", "ten years ago") use ``anchor``, normally the
publication date of the document; without an anchor they return ``None``.
Anything taken from the anchor sets ``inferred=True``.

*Missing year.*  A month/day without a year gets the anchor's year, unless
that puts it more than 183 days (~6 months) *after* the anchor, in which case
the previous year is used: news mostly reports the past, so "November 14" in
a story of 1 May 2023 is 14 November 2022, while "March 20" is 20 March 2023.
For a month alone the first day of the month is compared.  The rule is
applied to the start of a range; the end follows it (and rolls over into the
next year for "December 30 to January 2").

*Relative expressions* (all need the anchor): "today", "yesterday",
"tomorrow", "last night", "this morning" (day); "N days/weeks ago" (day),
"N months ago", "last/this/next month" (month); "N years/decades ago",
"N years from now", "last/this/next year" (year); "ten years ago today" /
"... this month" keep the finer precision.  N is digits or a number word up
to ninety-nine ("a", "ten", "seventy-five"); hedges "about", "some",
"nearly" are allowed, "more than"/"over" (a bound, not a point) are not.
Weekdays: a bare "Tuesday" is the most recent Tuesday on or before the
anchor (the anchor itself if it is a Tuesday); "last Tuesday" is strictly
before, "next Tuesday" strictly after, "this Tuesday" the Tuesday of the
anchor's Monday-based week.  "last March" is the latest March before the
anchor's month, "next March" the first after it.  "March 23 this year" and
"March of last year" take the year from the anchor without the 6-month rule.

*Coarse qualifiers* keep the precision of what they qualify: "early 2020",
"mid-2021", "late 1990s", "spring of 2022", "the first half of 2022" →
the year; "mid-March 2022" → the month.  "the end of" / "the beginning of"
a year give its last / first month ("the end of 2022" → ``2022-12``).

*Decades.*  "the 1990s" (also "the early 1990s") returns the gYear range
1990..1999.  "the 1900s" / "the 2000s" are ambiguous between a decade and a
century and return ``None``; centuries return ``None``.

*Year ranges*: "2019-2021", "2019 to 2021", "between 2019 and 2021" and
the short "2022-23" (at most ten years).  "2011-12" is read as the ISO month
December 2011, not as a range.

*Not supported* (``None``): weeks ("last week" — there is no week
precision), seasons without a year, quarters/halves without a year,
numeric dates with slashes other than year-first ("3/4/2013" is ambiguous
between US and European order), two-digit years ("March '22"), and any
input longer than 200 characters.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import email.utils
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple

__all__ = ["DateValue", "parse_date_expression", "latest_explicit_date", "parse_date", "parse_timestamp",
           "parse_date_bounds"]

_DATATYPES = {"day": "date", "month": "gYearMonth", "year": "gYear"}
_MAX_LEN = 200
#: A date without a year that would fall more than this many days after the
#: anchor is put in the previous year.
_FUTURE_DAYS = 183


@dataclass(frozen=True)
class DateValue:
    """A normalised date expression.

    Attributes
    ----------
    start : str
        ISO lexical form: ``"2023-03-20"`` (day), ``"2023-03"`` (month) or
        ``"2023"`` (year).
    end : str or None
        The end of a range in the same forms, ``None`` for a single date.
    precision : str
        ``"day"``, ``"month"`` or ``"year"``: the precision of ``start``.
    inferred : bool
        True when any part (year, day, the whole date) came from the anchor
        rather than from the text.
    text : str
        The expression as given.

    Examples
    --------
    >>> v = DateValue("2022-11", None, "month", False, "November 2022")
    >>> v.datatype
    'gYearMonth'
    """

    start: str
    end: str | None
    precision: str
    inferred: bool
    text: str

    @property
    def datatype(self) -> str:
        """The XSD local name for ``start``: ``date``, ``gYearMonth`` or ``gYear``.

        >>> parse_date_expression("1963").datatype
        'gYear'
        """
        return _DATATYPES[self.precision]

    @property
    def end_datatype(self) -> str | None:
        """The XSD local name for ``end`` (``None`` when there is no end).

        >>> parse_date_expression("November 14 to 19, 2022").end_datatype
        'date'
        """
        if self.end is None:
            return None
        return _DATATYPES[_precision_of(self.end)]


class _R(NamedTuple):
    start: str
    end: str | None
    precision: str
    inferred: bool


def _precision_of(iso: str) -> str:
    return {4: "year", 7: "month"}.get(len(iso), "day")


def _fmt(precision: str, y: int, m: int = 1, d: int = 1) -> str:
    if precision == "day":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if precision == "month":
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _valid(y: int, m: int = 1, d: int = 1) -> bool:
    try:
        _dt.date(y, m, d)
    except (ValueError, OverflowError):
        return False
    return True


def _first_day(iso: str) -> _dt.date:
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return _dt.date(parts[0], parts[1], parts[2])


# --------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAY_ALT = "|".join(_WEEKDAYS)

_UNITS_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
               "seventy": 70, "eighty": 80, "ninety": 90}
_NUM = (r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"|" + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True)) + r"|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,6})")


def _number(word: str) -> int | None:
    """Read a number written in digits or words (one..ninety-nine).

    >>> _number("twenty-five"), _number("Ten"), _number("1,000"), _number("many")
    (25, 10, 1000, None)
    """
    word = word.lower().strip()
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,6}", word):
        return int(word.replace(",", ""))
    if word in _UNITS_WORDS:
        return _UNITS_WORDS[word]
    parts = re.split(r"[ -]", word)
    if parts[0] in _TENS_WORDS and len(parts) <= 2:
        rest = _UNITS_WORDS.get(parts[1], 0) if len(parts) == 2 else 0
        if len(parts) == 2 and not 1 <= rest <= 9:
            return None
        return _TENS_WORDS[parts[0]] + rest
    return None


# --------------------------------------------------------------------------
# Patterns (matched against the cleaned, lower-cased text with fullmatch)

def _m(g: str) -> str:
    return rf"(?P<{g}>{_MONTH_ALT})\.?(?![a-z])"


def _d(g: str) -> str:
    return rf"(?P<{g}>[0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9a-z])"


def _y(g: str) -> str:
    return rf"(?P<{g}>[12][0-9]{{3}})(?![0-9])"


def _dm(d: str, m: str) -> str:
    return rf"(?:the\s+)?{_d(d)}(?:\s+of)?\s+{_m(m)}"


_YS = r"(?:\s*,\s*|\s+)"                      # before a year after a day
_OF = r"(?:\s*,\s*|\s+of\s+|\s+)"             # before a year after a month
_SEP = r"(?:\s*-\s*|\s+(?:to|through|thru|until|till)\s+)"

_FLAGS = re.ASCII
_CALENDAR = [
    (False, re.compile(rf"{_m('m1')}\s+{_d('d1')}(?:{_YS}{_y('y1')})?", _FLAGS)),
    (False, re.compile(rf"{_dm('d1', 'm1')}(?:{_YS}{_y('y1')})?", _FLAGS)),
    (False, re.compile(rf"{_m('m1')}(?:{_OF}{_y('y1')})?", _FLAGS)),
    (True, re.compile(rf"{_m('m1')}\s+{_d('d1')}(?:{_YS}{_y('y1')})?{_SEP}"
                      rf"{_m('m2')}\s+{_d('d2')}(?:{_YS}{_y('y2')})?", _FLAGS)),
    (True, re.compile(rf"{_m('m1')}\s+{_d('d1')}{_SEP}(?:the\s+)?{_d('d2')}(?:{_YS}{_y('y2')})?", _FLAGS)),
    (True, re.compile(rf"{_dm('d1', 'm1')}(?:{_YS}{_y('y1')})?{_SEP}{_dm('d2', 'm2')}(?:{_YS}{_y('y2')})?", _FLAGS)),
    (True, re.compile(rf"(?:the\s+)?{_d('d1')}{_SEP}{_dm('d2', 'm2')}(?:{_YS}{_y('y2')})?", _FLAGS)),
    (True, re.compile(rf"{_m('m1')}(?:{_OF}{_y('y1')})?{_SEP}{_m('m2')}(?:{_OF}{_y('y2')})?", _FLAGS)),
]
_ISO_DAY = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
                      r"(?:t[0-9:.]+(?:z|[+-][0-9]{2}:?[0-9]{2})?)?", _FLAGS)
_ISO_SLASH = re.compile(r"(?P<y>[0-9]{4})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})", _FLAGS)
_ISO_MONTH = re.compile(r"(?P<y>[0-9]{4})-(?P<m>0[1-9]|1[0-2])", _FLAGS)
_YEAR = re.compile(rf"(?:the\s+year\s+)?{_y('y1')}", _FLAGS)
_YEAR_RANGE = re.compile(rf"{_y('y1')}{_SEP}(?:{_y('y2')}|(?P<yy>[0-9]{{2}})(?![0-9]))", _FLAGS)
_DECADE = re.compile(r"(?:the\s+)?(?P<y>[12][0-9]{2}0)'?s", _FLAGS)
_RELATIVE_YEAR_SUFFIX = re.compile(r"(?P<rest>.+?)(?:\s*,\s*|\s+of\s+|\s+)(?P<w>this|last|next)\s+year", _FLAGS)

_AGO = re.compile(
    r"(?:(?:about|around|some|roughly|nearly|almost|approximately|exactly|precisely|just|only)\s+)?"
    rf"(?P<n>{_NUM})\s+(?P<u>years?|months?|weeks?|days?|decades?|century|centuries)\s+"
    r"(?:(?P<ago>ago)(?:\s+(?P<same>today|this\s+month))?|from\s+(?:now|today))", _FLAGS)
_PERIOD = re.compile(r"(?P<w>last|this|next|(?:the\s+)?current)\s+(?P<u>year|month)", _FLAGS)
_WEEKDAY = re.compile(
    rf"(?:(?P<w>last|next|this|this\s+past|past|this\s+coming|coming)\s+)?(?P<d>{_WEEKDAY_ALT})", _FLAGS)
_MONTH_REL = re.compile(rf"(?P<w>last|next|this)\s+{_m('m1')}", _FLAGS)
_DAY_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "the day before yesterday": -2,
    "tomorrow": 1, "the day after tomorrow": 2,
}

# Qualifiers: (kind, pattern).  "soft" keeps the value as it is, "edge" turns
# a year into its first/last month, "part" accepts a year only.
_QUALIFIERS = [
    ("soft", re.compile(r"(?:the\s+)?(?:early|mid|late|earlier|later)(?:\s*-\s*|\s+)(?:in\s+|on\s+)?", _FLAGS)),
    ("soft", re.compile(r"(?:the\s+)?middle\s+of\s+", _FLAGS)),
    ("edge", re.compile(r"(?:the\s+|by\s+the\s+)?(?P<k>end|beginning|start)\s+of\s+", _FLAGS)),
    ("part", re.compile(r"(?:the\s+)?(?:first|second|third|fourth|final|last)\s+(?:quarter|half)\s+of\s+"
                        r"|(?:q[1-4]|h[12])\s+", _FLAGS)),
    ("part", re.compile(r"(?:the\s+)?(?:spring|summer|autumn|fall|winter)(?:\s+of|\s*,)?\s+", _FLAGS)),
]

_PREFIX = re.compile(
    r"(?:on|in|from|since|by|as\s+of|as\s+from|until|till|through|during|at|dated|"
    r"starting(?:\s+(?:on|in|from))?|beginning\s+(?:on|in)|"
    r"around|about|circa|c\.|approximately|roughly|some\s*time\s+in)\s+", _FLAGS)
_TIME_OF = re.compile(
    r"(?:the\s+)?(?:(?:early|late)\s+)?(?:morning|afternoon|evening|night|early\s+hours|small\s+hours)\s+of\s+",
    _FLAGS)
_LEADING_WEEKDAY = re.compile(rf"(?:{_WEEKDAY_ALT})\s*,?\s+(?=.*[0-9])", _FLAGS)
_ZONES = "gmt|utc|bst|cet|cest|eet|eest|est|edt|cst|cdt|pst|pdt|ist|jst|kst|msk|sgt|hkt|aest|wib"
_SUFFIX = re.compile(
    rf"(?:,?\s+(?:local\s+time|[a-z]+\s+time|\(?(?:{_ZONES})\)?)"
    r"|,?\s+(?:at\s+)?[0-9]{1,2}(?::[0-9]{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|,?\s+(?:at\s+)?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"|\s*\([^()]*\)?)$", _FLAGS)
_TIME_OF_DAY_SUFFIX = re.compile(r"(?P<rest>.+?)\s+(?:morning|afternoon|evening|night|noon|midday|midnight)", _FLAGS)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_EDGE_CHARS = " \t\"'`()[]{}.,;:!?"


def _clean(text: str) -> str:
    """Lower-case, normalise dashes/spaces and strip leading/trailing noise.

    >>> _clean("On the afternoon of February 8, 2023 local time")
    'february 8, 2023'
    >>> _clean("between March 6\u201310")
    'march 6-10'
    """
    s = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    s = _DASHES.sub("-", s).lower()
    s = re.sub(r"\s+", " ", s).strip(_EDGE_CHARS)
    between = False
    for _ in range(8):
        before = s
        if s.startswith("between "):
            s, between = s[8:], True
        for pattern in (_PREFIX, _TIME_OF, _LEADING_WEEKDAY):
            m = pattern.match(s)
            if m and m.end() < len(s):
                s = s[m.end():]
        m = _SUFFIX.search(s)
        if m and m.start() > 0:
            s = s[:m.start()]
        s = s.strip(_EDGE_CHARS)
        if s == before:
            break
    if between:
        s = re.sub(r"\s+and\s+", " to ", s, count=1)
    return s


# --------------------------------------------------------------------------
# Building values

def _infer_year(anchor: _dt.date, month: int, day: int | None) -> int:
    """The year of a month/day without one (see the module docstring).

    >>> _infer_year(_dt.date(2023, 5, 1), 11, 14), _infer_year(_dt.date(2023, 5, 1), 3, 20)
    (2022, 2023)
    """
    try:
        candidate = _dt.date(anchor.year, month, day or 1)
    except ValueError:  # 29 February in a common year: compare with the 28th
        candidate = _dt.date(anchor.year, month, 28)
    if (candidate - anchor).days > _FUTURE_DAYS:
        return anchor.year - 1
    return anchor.year


def _calendar(g: dict, is_range: bool, anchor: _dt.date | None, forced_year: int | None) -> _R | None:
    """Build a day/month date or range from matched groups."""
    m1 = _MONTHS[g["m1"]] if g.get("m1") else None
    m2 = _MONTHS[g["m2"]] if g.get("m2") else None
    d1 = int(g["d1"]) if g.get("d1") else None
    d2 = int(g["d2"]) if g.get("d2") else None
    y1 = int(g["y1"]) if g.get("y1") else None
    y2 = int(g["y2"]) if g.get("y2") else None
    precision = "month" if d1 is None else "day"
    inferred = False
    if (y1 or y2) and forced_year is not None:
        return None  # "March 2022 this year"
    if not is_range:
        if y1 is None:
            if forced_year is not None:
                y1 = forced_year
            elif anchor is not None:
                y1 = _infer_year(anchor, m1, d1)
            else:
                return None
            inferred = True
        if not _valid(y1, m1, d1 or 1):
            return None
        return _R(_fmt(precision, y1, m1, d1 or 1), None, precision, inferred)
    m1 = m1 or m2
    m2 = m2 or m1
    wraps = m2 < m1  # "December 30 to January 2"; "March 22 to 20" is simply invalid
    if y1 is not None and y2 is not None:
        pass
    elif y2 is not None:
        y1 = y2 - 1 if wraps else y2
    elif y1 is not None:
        y2 = y1 + 1 if wraps else y1
    else:
        if forced_year is not None:
            y1 = forced_year
        elif anchor is not None:
            y1 = _infer_year(anchor, m1, d1)
        else:
            return None
        y2 = y1 + 1 if wraps else y1
        inferred = True
    if not (_valid(y1, m1, d1 or 1) and _valid(y2, m2, d2 or 1)):
        return None
    start, end = _fmt(precision, y1, m1, d1 or 1), _fmt(precision, y2, m2, d2 or 1)
    if end < start:
        return None
    return _R(start, None if end == start else end, precision, inferred)


def _absolute(s: str, anchor: _dt.date | None, forced_year: int | None = None) -> _R | None:
    """Calendar expressions: ISO forms, years, year ranges, decades, month/day forms."""
    if forced_year is None:
        for pattern in (_ISO_DAY, _ISO_SLASH):
            m = pattern.fullmatch(s)
            if m:
                y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
                return _R(_fmt("day", y, mo, d), None, "day", False) if _valid(y, mo, d) else None
        m = _ISO_MONTH.fullmatch(s)
        if m:
            return _R(_fmt("month", int(m["y"]), int(m["m"])), None, "month", False)
        m = _YEAR.fullmatch(s)
        if m:
            return _R(m["y1"], None, "year", False)
        m = _YEAR_RANGE.fullmatch(s)
        if m:
            y1 = int(m["y1"])
            y2 = int(m["y2"]) if m["y2"] else y1 // 100 * 100 + int(m["yy"])
            if m["yy"] and y2 < y1:  # "1999-00"
                y2 += 100
            if y2 < y1 or (m["yy"] and y2 - y1 > 10):  # "2023-13" is no range
                return None
            return _R(m["y1"], None if y2 == y1 else _fmt("year", y2), "year", False)
        m = _DECADE.fullmatch(s)
        if m:
            y = int(m["y"])
            if y % 100 == 0:  # "the 1900s": a decade or a century?
                return None
            return _R(_fmt("year", y), _fmt("year", y + 9), "year", False)
    for is_range, pattern in _CALENDAR:
        m = pattern.fullmatch(s)
        if m:
            return _calendar(m.groupdict(), is_range, anchor, forced_year)
    return None


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + n
    return index // 12, index % 12 + 1


def _relative(s: str, anchor: _dt.date) -> _R | None:
    """Expressions relative to the anchor (all inferred)."""
    if s in _DAY_WORDS:
        try:
            day = anchor + _dt.timedelta(days=_DAY_WORDS[s])
        except OverflowError:
            return None
        return _R(day.isoformat(), None, "day", True)
    m = _PERIOD.fullmatch(s)
    if m:
        n = {"last": -1, "next": 1}.get(m["w"], 0)
        if m["u"] == "year":
            y, mo = anchor.year + n, 1
        else:
            y, mo = _add_months(anchor.year, anchor.month, n)
        if not _valid(y, mo):
            return None
        return _R(_fmt(m["u"], y, mo), None, m["u"], True)
    m = _AGO.fullmatch(s)
    if m:
        n = _number(m["n"])
        if n is None:
            return None
        if m["ago"]:
            n = -n
        unit = {"cen": "century", "dec": "decade"}.get(m["u"][:3], m["u"].rstrip("s"))
        if unit in ("year", "decade", "century"):
            years = anchor.year + n * {"year": 1, "decade": 10, "century": 100}[unit]
            if m["same"] == "today":
                return _R(_fmt("day", years, anchor.month, anchor.day), None, "day", True) \
                    if _valid(years, anchor.month, anchor.day) else None
            if m["same"]:
                return _R(_fmt("month", years, anchor.month), None, "month", True) if _valid(years) else None
            return _R(_fmt("year", years), None, "year", True) if _valid(years) else None
        if m["same"]:
            return None
        if unit == "month":
            y, mo = _add_months(anchor.year, anchor.month, n)
            return _R(_fmt("month", y, mo), None, "month", True) if _valid(y, mo) else None
        days = n * (7 if unit == "week" else 1)
        try:
            day = anchor + _dt.timedelta(days=days)
        except OverflowError:
            return None
        return _R(day.isoformat(), None, "day", True)
    m = _WEEKDAY.fullmatch(s)
    if m:
        target, today = _WEEKDAYS[m["d"]], anchor.weekday()
        w = re.sub(r"\s+", " ", m["w"] or "")
        if w in ("next", "coming", "this coming"):
            delta = (target - today) % 7 or 7
        elif w in ("last", "past", "this past"):
            delta = -((today - target) % 7 or 7)
        elif w == "this":  # the weekday of the anchor's (Monday-based) week
            delta = target - today
        else:  # bare "Tuesday": the most recent one, on or before the anchor
            delta = -((today - target) % 7)
        try:
            day = anchor + _dt.timedelta(days=delta)
        except OverflowError:
            return None
        return _R(day.isoformat(), None, "day", True)
    m = _MONTH_REL.fullmatch(s)
    if m:
        month = _MONTHS[m["m1"]]
        if m["w"] == "this":
            y = anchor.year
        elif m["w"] == "last":
            y = anchor.year if month < anchor.month else anchor.year - 1
        else:
            y = anchor.year if month > anchor.month else anchor.year + 1
        return _R(_fmt("month", y, month), None, "month", True) if _valid(y, month) else None
    return None


def _core(s: str, anchor: _dt.date | None) -> _R | None:
    """An expression without qualifiers."""
    value = _absolute(s, anchor)
    if value is not None:
        return value
    m = _RELATIVE_YEAR_SUFFIX.fullmatch(s)
    if m and anchor is not None:  # "March 23 this year", "in March of last year"
        forced = anchor.year + {"last": -1, "next": 1}.get(m["w"], 0)
        return _absolute(m["rest"], anchor, forced_year=forced)
    if anchor is not None:
        value = _relative(s, anchor)
        if value is not None:
            return value
    m = _TIME_OF_DAY_SUFFIX.fullmatch(s)  # "Tuesday morning", "yesterday afternoon"
    if m and m["rest"] not in ("last", "this", "that", "the", "the same", "every", "one"):
        return _core(m["rest"], anchor)
    return None


def _qualified(s: str, anchor: _dt.date | None) -> _R | None:
    for kind, pattern in _QUALIFIERS:
        m = pattern.match(s)
        if not m or m.end() == len(s):
            continue
        rest = s[m.end():]
        if re.fullmatch(r"(?:the\s+)?year", rest):
            rest = "this year"
        elif re.fullmatch(r"(?:the\s+)?month", rest):
            rest = "this month"
        value = _core(rest, anchor)
        if value is None:
            return None
        if kind == "soft":
            return value
        if kind == "part":
            return value if value.precision == "year" and value.end is None else None
        # "edge": the end/beginning of a year is its last/first month
        if value.end is not None or value.precision == "day":
            return None
        if value.precision == "month":
            return value
        month = "12" if m["k"] == "end" else "01"
        return _R(f"{value.start}-{month}", None, "month", value.inferred)
    return _core(s, anchor)


# --------------------------------------------------------------------------
# Public API

def parse_date_expression(text: str, anchor: _dt.date | None = None) -> DateValue | None:
    """Normalise a date expression from English news text.

    Parameters
    ----------
    text : str
        A DATE span, e.g. ``"March 20th to 22nd"`` or ``"Ten years ago"``.
        Leading words such as "on", "from", "since", "by", "the afternoon
        of" and trailing "local time" are ignored.
    anchor : datetime.date, optional
        The reference date (normally the publication date) for expressions
        without a year or relative to "now".  A ``datetime`` is reduced to
        its date.

    Returns
    -------
    DateValue or None
        ``None`` when the text is not a point in time or a date range
        (durations, vague spans), when it needs an anchor and none was
        given, or when the calendar date is invalid.  Never raises for a
        string input.

    Examples
    --------
    >>> parse_date_expression("March 23, 2013")
    DateValue(start='2013-03-23', end=None, precision='day', inferred=False, text='March 23, 2013')
    >>> v = parse_date_expression("November 14 to 19, 2022")
    >>> v.start, v.end, v.datatype
    ('2022-11-14', '2022-11-19', 'date')
    >>> import datetime
    >>> anchor = datetime.date(2023, 5, 1)
    >>> v = parse_date_expression("From March 20th to 22nd", anchor)
    >>> v.start, v.end, v.inferred
    ('2023-03-20', '2023-03-22', True)
    >>> parse_date_expression("November 14", anchor).start   # > 6 months ahead: last year
    '2022-11-14'
    >>> parse_date_expression("Ten years ago", anchor).start
    '2013'
    >>> parse_date_expression("the end of 2022").start
    '2022-12'
    >>> parse_date_expression("on Tuesday", anchor).start     # 1 May 2023 is a Monday
    '2023-04-25'
    >>> parse_date_expression("the past 10 years", anchor) is None
    True
    >>> parse_date_expression("March 20th to 22nd") is None  # needs an anchor
    True
    """
    if not isinstance(text, str):
        return None
    if isinstance(anchor, _dt.datetime):
        anchor = anchor.date()
    if anchor is not None and not isinstance(anchor, _dt.date):
        raise TypeError(f"anchor must be a datetime.date, not {type(anchor).__name__}")
    if len(text) > _MAX_LEN:
        return None
    s = _clean(text)
    if not s:
        return None
    value = _qualified(s, anchor)
    if value is None:
        return None
    return DateValue(value.start, value.end, value.precision, value.inferred, text)


def latest_explicit_date(texts: Iterable[str]) -> _dt.date | None:
    """The latest day- or month-precise date stated in full among ``texts``.

    Each text is parsed *without* an anchor, so only expressions that carry
    their own year count ("March 5, 2023", "February 2022"; not "March 5",
    "last year" or "2023").  A range counts by its end; a month by its first
    day.  Meant as a fallback anchor for a document without a publication
    date.

    Parameters
    ----------
    texts : iterable of str
        DATE spans; anything that does not parse is skipped.

    Returns
    -------
    datetime.date or None
        ``None`` when no text qualifies.

    Examples
    --------
    >>> latest_explicit_date(["2019", "March 5, 2023", "February 2023", "yesterday", "April 2023"])
    datetime.date(2023, 4, 1)
    >>> latest_explicit_date(["November 14 to 19, 2022", "last year"])
    datetime.date(2022, 11, 19)
    >>> latest_explicit_date(["2030", "next week"]) is None
    True
    """
    latest: _dt.date | None = None
    for text in texts:
        value = parse_date_expression(text) if isinstance(text, str) else None
        if value is None or value.precision == "year":
            continue
        iso = value.end or value.start
        if _precision_of(iso) == "year":
            continue
        day = _first_day(iso)
        if latest is None or day > latest:
            latest = day
    return latest


# --------------------------------------------------------------------------
# Dates in metadata (the month names are those of dates in text)

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
    return _fmt("day", y, m, d) if _valid(y, m, d) else None


def _rfc2822(value: str) -> str | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


def parse_timestamp(value: float) -> str | None:
    """A Unix timestamp (seconds, or milliseconds when it is that large) as an
    ISO date (UTC); a number of eight digits that is a date between 1800 and
    2199 written YYYYMMDD is that date (as seconds it would be a day of 1970).

    >>> parse_timestamp(20230101), parse_timestamp(1668412800), parse_timestamp(1668412800000)
    ('2023-01-01', '2022-11-14', '2022-11-14')
    """
    if value != value or abs(value) > 1e16:  # NaN, or beyond any date
        return None
    if value == int(value) and 18000101 <= value <= 21991231:
        day = int(value)
        if _valid(day // 10000, day // 100 % 100, day % 100):
            return _fmt("day", day // 10000, day // 100 % 100, day % 100)
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


# --------------------------------------------------------------------------
# The view's date filters

_BOUNDS_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date_bounds(text: str) -> tuple[str, str] | None:
    """The first and last day (``YYYY-MM-DD``) of a date written ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` if *text* is none of these.

    >>> parse_date_bounds("2023-02")
    ('2023-02-01', '2023-02-28')
    >>> parse_date_bounds("2022")
    ('2022-01-01', '2022-12-31')
    """
    m = _BOUNDS_DATE.fullmatch(str(text).strip())
    if not m:
        return None
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
            return None
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"
