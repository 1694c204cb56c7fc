"""Tests for kg.dates: date expressions from news text, metadata dates, the view's date bounds."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dates import DateValue, latest_explicit_date, parse_date, parse_date_bounds, parse_date_expression

# 1 May 2023 is a Monday.
ANCHOR = dt.date(2023, 5, 1)

# (text, start, end, precision): stated in full, so the same with or without an anchor.
ABSOLUTE = [
    ("March 23, 2013", "2013-03-23", None, "day"),
    ("September 28, 2015", "2015-09-28", None, "day"),
    ("March 23rd, 2013", "2013-03-23", None, "day"),
    ("Sept. 28, 2015", "2015-09-28", None, "day"),
    ("Sep 28 2015", "2015-09-28", None, "day"),
    ("23 March 2013", "2013-03-23", None, "day"),
    ("the 23rd of March, 2013", "2013-03-23", None, "day"),
    ("2013-03-23", "2013-03-23", None, "day"),
    ("2023-03-23T10:00:00Z", "2023-03-23", None, "day"),
    ("2013/03/23", "2013-03-23", None, "day"),
    ("2013-03", "2013-03", None, "month"),
    ("February 2022", "2022-02", None, "month"),
    ("April 2022", "2022-04", None, "month"),
    ("March of 2022", "2022-03", None, "month"),
    ("2022", "2022", None, "year"),
    ("2023", "2023", None, "year"),
    ("1963", "1963", None, "year"),
    ("2030", "2030", None, "year"),
    ("the year 2022", "2022", None, "year"),
    # leading and trailing noise
    ("On March 23, 2013", "2013-03-23", None, "day"),
    ("on March 23, 2013", "2013-03-23", None, "day"),
    ("the afternoon of February 8, 2023", "2023-02-08", None, "day"),
    ("February 8, 2023 local time", "2023-02-08", None, "day"),
    ("February 8, 2023, Beijing time", "2023-02-08", None, "day"),
    ("February 8, 2023 (local time)", "2023-02-08", None, "day"),
    ("on the evening of February 8, 2023, at 7:30 p.m.", "2023-02-08", None, "day"),
    ("Since 1963", "1963", None, "year"),
    ("By 2030", "2030", None, "year"),
    ("From 2019", "2019", None, "year"),
    ("in 2023", "2023", None, "year"),
    ("around 1963", "1963", None, "year"),
    ("Tuesday, March 21, 2023", "2023-03-21", None, "day"),
    # ranges
    ("November 14 to 19, 2022", "2022-11-14", "2022-11-19", "day"),
    ("from March 30 to April 2, 2023", "2023-03-30", "2023-04-02", "day"),
    ("March 30-April 2, 2023", "2023-03-30", "2023-04-02", "day"),
    ("December 30 to January 2, 2023", "2022-12-30", "2023-01-02", "day"),
    ("December 30, 2022 to January 2, 2023", "2022-12-30", "2023-01-02", "day"),
    ("March to May 2022", "2022-03", "2022-05", "month"),
    ("March 2022 to May 2023", "2022-03", "2023-05", "month"),
    ("2019-2021", "2019", "2021", "year"),
    ("2019\u20132021", "2019", "2021", "year"),
    ("2019 to 2021", "2019", "2021", "year"),
    ("between 2019 and 2021", "2019", "2021", "year"),
    ("from 2019 to 2021", "2019", "2021", "year"),
    ("2022-23", "2022", "2023", "year"),
    ("March 5 to March 5, 2023", "2023-03-05", None, "day"),
    # coarse qualifiers
    ("the end of 2022", "2022-12", None, "month"),
    ("by the end of 2022", "2022-12", None, "month"),
    ("the beginning of 2020", "2020-01", None, "month"),
    ("the end of March 2022", "2022-03", None, "month"),
    ("mid-2021", "2021", None, "year"),
    ("early 2020", "2020", None, "year"),
    ("late 2016", "2016", None, "year"),
    ("since early 2020", "2020", None, "year"),
    ("mid-March 2022", "2022-03", None, "month"),
    ("the spring of 2022", "2022", None, "year"),
    ("summer 1963", "1963", None, "year"),
    ("the first half of 2022", "2022", None, "year"),
    ("Q1 2022", "2022", None, "year"),
    # decades: a gYear range
    ("the 1990s", "1990", "1999", "year"),
    ("the 1960s", "1960", "1969", "year"),
    ("the late 1990s", "1990", "1999", "year"),
    # other years and countries
    ("On 14 July 2019", "2019-07-14", None, "day"),
    ("Sept. 5-7, 2024", "2024-09-05", "2024-09-07", "day"),
    ("23-24 August 2023", "2023-08-23", "2023-08-24", "day"),
    ("between 23 and 24 August 2023", "2023-08-23", "2023-08-24", "day"),
    ("October 17-18, 2023", "2023-10-17", "2023-10-18", "day"),
    ("15 to 16 November 2022", "2022-11-15", "2022-11-16", "day"),
    ("30 March to 2 April 2023", "2023-03-30", "2023-04-02", "day"),
    ("1 October 1949", "1949-10-01", None, "day"),
    ("December 3, 2021", "2021-12-03", None, "day"),
    ("26 February 2024", "2024-02-26", None, "day"),
    ("February 29, 2024", "2024-02-29", None, "day"),
    ("Oct 1, 2019", "2019-10-01", None, "day"),
    ("ON 14 JULY 2019", "2019-07-14", None, "day"),
    ("14\u00a0July\u00a02019", "2019-07-14", None, "day"),
]


@pytest.mark.parametrize("text,start,end,precision", ABSOLUTE)
def test_absolute_expressions(text, start, end, precision):
    for anchor in (None, ANCHOR):
        value = parse_date_expression(text, anchor)
        assert value is not None, (text, anchor)
        assert (value.start, value.end, value.precision) == (start, end, precision)
        assert value.inferred is False
        assert value.text == text


# (text, start, end, precision), with ANCHOR = Monday 1 May 2023.
ANCHORED = [
    # missing year: the anchor's year, or the previous one if > 183 days ahead
    ("March 20th to 22nd", "2023-03-20", "2023-03-22", "day"),
    ("From March 20th to 22nd", "2023-03-20", "2023-03-22", "day"),
    ("between March 6-10", "2023-03-06", "2023-03-10", "day"),
    ("between March 6\u201310", "2023-03-06", "2023-03-10", "day"),
    ("on March 10", "2023-03-10", None, "day"),
    ("November 14", "2022-11-14", None, "day"),
    ("July 4", "2023-07-04", None, "day"),
    ("14 July", "2023-07-14", None, "day"),
    ("January 1st", "2023-01-01", None, "day"),
    ("in March", "2023-03", None, "month"),
    ("mid-March", "2023-03", None, "month"),
    ("December", "2022-12", None, "month"),
    ("March 23 this year", "2023-03-23", None, "day"),
    ("in March of last year", "2022-03", None, "month"),
    ("March 5, 10 a.m.", "2023-03-05", None, "day"),
    # relative years and months
    ("Ten years ago", "2013", None, "year"),
    ("Five years ago", "2018", None, "year"),
    ("10 years ago", "2013", None, "year"),
    ("a year ago", "2022", None, "year"),
    ("a decade ago", "2013", None, "year"),
    ("about twenty years ago", "2003", None, "year"),
    ("Seventy years ago", "1953", None, "year"),
    ("seventy-five years ago", "1948", None, "year"),
    ("ten years ago today", "2013-05-01", None, "day"),
    ("five years from now", "2028", None, "year"),
    ("last year", "2022", None, "year"),
    ("this year", "2023", None, "year"),
    ("next year", "2024", None, "year"),
    ("last month", "2023-04", None, "month"),
    ("this month", "2023-05", None, "month"),
    ("next month", "2023-06", None, "month"),
    ("three months ago", "2023-02", None, "month"),
    ("last March", "2023-03", None, "month"),
    ("next March", "2024-03", None, "month"),
    ("the end of last year", "2022-12", None, "month"),
    ("by the end of this year", "2023-12", None, "month"),
    ("the end of the year", "2023-12", None, "month"),
    ("late last year", "2022", None, "year"),
    ("earlier this year", "2023", None, "year"),
    ("earlier this month", "2023-05", None, "month"),
    # days
    ("today", "2023-05-01", None, "day"),
    ("yesterday", "2023-04-30", None, "day"),
    ("tomorrow", "2023-05-02", None, "day"),
    ("the day before yesterday", "2023-04-29", None, "day"),
    ("last night", "2023-04-30", None, "day"),
    ("this morning", "2023-05-01", None, "day"),
    ("yesterday afternoon", "2023-04-30", None, "day"),
    ("two weeks ago", "2023-04-17", None, "day"),
    ("3 days ago", "2023-04-28", None, "day"),
    # weekdays: bare = on or before the anchor; last = strictly before
    ("on Tuesday", "2023-04-25", None, "day"),
    ("Tuesday", "2023-04-25", None, "day"),
    ("Tuesday morning", "2023-04-25", None, "day"),
    ("early Tuesday", "2023-04-25", None, "day"),
    ("the early hours of Tuesday", "2023-04-25", None, "day"),
    ("on Monday", "2023-05-01", None, "day"),
    ("last Friday", "2023-04-28", None, "day"),
    ("last Monday", "2023-04-24", None, "day"),
    ("next Friday", "2023-05-05", None, "day"),
    ("this Friday", "2023-05-05", None, "day"),
    ("this past Sunday", "2023-04-30", None, "day"),
]


@pytest.mark.parametrize("text,start,end,precision", ANCHORED)
def test_anchored_expressions(text, start, end, precision):
    value = parse_date_expression(text, ANCHOR)
    assert value is not None, text
    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert value.inferred is True
    assert value.text == text


@pytest.mark.parametrize("text", [t for t, *_ in ANCHORED])
def test_anchored_expressions_need_an_anchor(text):
    assert parse_date_expression(text) is None


def test_missing_year_rule_boundary():
    # 183 days after the anchor stays in the anchor's year, 184 goes back a year.
    anchor = dt.date(2023, 1, 1)
    assert parse_date_expression("July 3", anchor).start == "2023-07-03"   # +183 days
    assert parse_date_expression("July 4", anchor).start == "2022-07-04"   # +184 days
    assert parse_date_expression("December 28", dt.date(2023, 1, 10)).start == "2022-12-28"
    assert parse_date_expression("December", dt.date(2023, 6, 15)).start == "2023-12"


def test_year_less_range_across_new_year():
    value = parse_date_expression("from December 28 to January 3", dt.date(2023, 1, 5))
    assert (value.start, value.end, value.inferred) == ("2022-12-28", "2023-01-03", True)


@pytest.mark.parametrize("anchor,expected", [
    (dt.date(2023, 4, 25), "2023-04-25"),   # a Tuesday: the anchor itself
    (dt.date(2023, 4, 26), "2023-04-25"),
    (dt.date(2023, 4, 24), "2023-04-18"),
])
def test_bare_weekday_is_on_or_before_the_anchor(anchor, expected):
    assert parse_date_expression("on Tuesday", anchor).start == expected


def test_last_weekday_on_that_weekday_is_a_week_earlier():
    assert parse_date_expression("last Tuesday", dt.date(2023, 4, 25)).start == "2023-04-18"


def test_leap_day_without_year():
    assert parse_date_expression("February 29", dt.date(2024, 3, 10)).start == "2024-02-29"
    assert parse_date_expression("February 29", dt.date(2023, 3, 10)) is None


def test_datetime_anchor_is_accepted():
    value = parse_date_expression("yesterday", dt.datetime(2023, 5, 1, 23, 59))
    assert value.start == "2023-04-30"


def test_bad_anchor_type_is_an_error():
    with pytest.raises(TypeError):
        parse_date_expression("yesterday", "2023-05-01")


NOT_A_POINT = [
    # durations and spans
    "the past 10 years", "more than 5,000 years", "6 days", "16 glorious years",
    "the century", "the 21st century", "the spring", "the summer", "last summer",
    "the first quarter", "the past year", "the last year", "the coming years", "recent years",
    "24 hours", "the weekend", "decades", "years", "a few years ago", "several days ago",
    "more than ten years ago", "over a year ago", "years ago",
    # relative to something other than the anchor, or no week precision
    "the next day", "the same day", "that day", "the previous year", "the following year",
    "last week", "this week", "next week",
    # ambiguous or invalid
    "the 1900s", "the 2000s", "the '90s", "3/4/2013", "March '22", "Feb 30, 2023",
    "February 29, 2023", "2023-02-30", "2023-13", "March 32, 2023", "March 22 to 20, 2023",
    "2021-2019", "the 23rd", "20th", "Mayor", "now", "0800 GMT", "5000",
]


@pytest.mark.parametrize("text", NOT_A_POINT)
def test_not_a_point_in_time(text):
    assert parse_date_expression(text) is None
    assert parse_date_expression(text, ANCHOR) is None


@pytest.mark.parametrize("text,datatype", [
    ("March 23, 2013", "date"), ("February 2022", "gYearMonth"), ("2022", "gYear"),
    ("the end of 2022", "gYearMonth"), ("the 1990s", "gYear"),
])
def test_datatype(text, datatype):
    assert parse_date_expression(text).datatype == datatype


def test_end_datatype():
    assert parse_date_expression("2019-2021").end_datatype == "gYear"
    assert parse_date_expression("1963").end_datatype is None


def test_date_value_is_frozen():
    value = parse_date_expression("1963")
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.start = "1964"


def test_latest_explicit_date():
    texts = ["2019", "March 5, 2023", "February 2023", "yesterday", "November 14", "2025-2026"]
    assert latest_explicit_date(texts) == dt.date(2023, 3, 5)
    assert latest_explicit_date(["November 14 to 19, 2022", "last year"]) == dt.date(2022, 11, 19)
    assert latest_explicit_date(["April 2023", "March 30, 2023"]) == dt.date(2023, 4, 1)
    assert latest_explicit_date(iter(["the end of 2022"])) == dt.date(2022, 12, 1)


def test_latest_explicit_date_without_candidates():
    assert latest_explicit_date([]) is None
    assert latest_explicit_date(["2030", "next week", "Tuesday", "", None, 42]) is None


ODD = [
    "", " ", "\n\t", "-", "--", "to", "between", "between and", "from to", "the", "the end of",
    "early", "mid-", "ago", "years ago", "0 years ago", "99999 years ago", "999,999,999 days ago",
    "0000", "0000-00-00", "9999-99-99", "2023-02-29", "00/00/0000", "March 0, 2023",
    "March 00", "0th March 2023", "March 99", "1-2-3-4-5", "2019-2021-2023",
    "March 1 to 2 to 3", "\u2013\u2014\u2212", "\x00\x01", "\ud7ff", "\U0001F600 2023",
    "\u0662\u0660\u0662\u0663", "２０２３", "ǅ", "İstanbul 2023", "x" * 10_000,
    "March " * 100, "1" * 500, "(" * 50, "March 5, 2023" + " local time" * 30, None, 2023,
]


@pytest.mark.parametrize("text", ODD)
@pytest.mark.parametrize("anchor", [None, ANCHOR, dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_never_raises_on_odd_input(text, anchor):
    value = parse_date_expression(text, anchor)
    assert value is None or isinstance(value, DateValue)


def test_extreme_anchors_do_not_overflow():
    last = dt.date(9999, 12, 31)
    for text in ("tomorrow", "next month", "next year", "next Tuesday", "December 30 to January 2"):
        assert parse_date_expression(text, last) is None
    first = dt.date(1, 1, 1)
    for text in ("yesterday", "last month", "last year", "last Tuesday", "ten years ago"):
        assert parse_date_expression(text, first) is None


_WORDS = st.sampled_from([
    "March", "Sept.", "may", "14", "22nd", "2023", "1990s", "to", "-", "\u2013", ",", "and",
    "between", "from", "on", "the", "end", "of", "early", "mid-", "last", "next", "this",
    "year", "month", "ago", "ten", "days", "Tuesday", "today", "local time", "(", ")", "0", "99",
])
_ANCHORS = st.one_of(st.none(), st.dates())


def _check(value: DateValue | None) -> None:
    if value is None:
        return
    assert value.precision in ("day", "month", "year")
    assert len(value.start) == {"day": 10, "month": 7, "year": 4}[value.precision]
    dt.date.fromisoformat(value.start + {"day": "", "month": "-01", "year": "-01-01"}[value.precision])
    if value.end is not None:
        assert value.end > value.start


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60), _ANCHORS)
def test_fuzz_text_never_raises(text, anchor):
    _check(parse_date_expression(text, anchor))


@settings(max_examples=600, deadline=None)
@given(st.lists(_WORDS, max_size=8).map(" ".join), _ANCHORS)
def test_fuzz_date_like_text_never_raises(text, anchor):
    _check(parse_date_expression(text, anchor))


# ------------------------------------------------------------ metadata dates

@pytest.mark.parametrize("raw, expected", [
    ("2022-11-14", "2022-11-14"),
    ("2022-11-14T08:00:00+08:00", "2022-11-14"),
    ("November 14, 2022", "2022-11-14"),
    ("14 November 2022", "2022-11-14"),
    ("2022-02-30", None),
    ("yesterday", None),
    (None, None),
])
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("2022/11/14", "2022-11-14"),
    ("Nov. 14, 2022", "2022-11-14"),
    ("14th November, 2022", "2022-11-14"),
    ("Mon, 14 Nov 2022 08:00:00 +0800", "2022-11-14"),
    ("2022-11-14 08:00", "2022-11-14"),
    ("20221114", "2022-11-14"),  # ISO 8601 basic form (issue 19: a YAML or CSV date written 20221114)
    ("20221131", None),
    ("x" * 1000, None),
])
def test_parse_date_more_forms(raw, expected):
    assert parse_date(raw) == expected


# ---------------------------------------------------------- the view's bounds

@pytest.mark.parametrize("text, bounds", [
    ("2024-02", ("2024-02-01", "2024-02-29")),
    (" 2023-03-20 ", ("2023-03-20", "2023-03-20")),
    ("2023", ("2023-01-01", "2023-12-31")),
    ("2023-02-29", None),
    ("March 2023", None),
])
def test_parse_date_bounds(text, bounds):
    assert parse_date_bounds(text) == bounds
