"""The three date parsers pinned on a varied set of inputs: what
:func:`kg.dates.parse_date_expression` (dates in text, with and without an
anchor), the metadata dates of ingest and the date filters of the view gave
before they shared one module (the table was written from their results
then); and the Unix timestamps of corpus files. All four live in kg.dates."""

from __future__ import annotations

import datetime as _dt

import pytest

import kg.ingest
import kg.viz
from kg.dates import parse_date, parse_date_bounds, parse_date_expression, parse_timestamp

ANCHOR = _dt.date(2023, 5, 1)

# (input, metadata date, view bounds, text expression, text expression with ANCHOR);
# an expression as [start, end, precision, inferred].
CASES = [
    ('2024-05-04', '2024-05-04', ('2024-05-04', '2024-05-04'), ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024-5-4', '2024-05-04', None, None, None),
    (' 2024-05-04 ', '2024-05-04', ('2024-05-04', '2024-05-04'), ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024/05/04', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024.05.04', '2024-05-04', None, None, None),
    ('20240504', '2024-05-04', None, None, None),
    ('20240504T101500Z', '2024-05-04', None, None, None),
    ('2024-02-29', '2024-02-29', ('2024-02-29', '2024-02-29'), ['2024-02-29', None, 'day', False], ['2024-02-29', None, 'day', False]),
    ('2023-02-29', None, None, None, None),
    ('2024-02-30', None, None, None, None),
    ('2024-13-01', None, None, None, None),
    ('2024-00-10', None, None, None, None),
    ('2024-02', None, ('2024-02-01', '2024-02-29'), ['2024-02', None, 'month', False], ['2024-02', None, 'month', False]),
    ('2024-13', None, None, None, None),
    ('2023-02', None, ('2023-02-01', '2023-02-28'), ['2023-02', None, 'month', False], ['2023-02', None, 'month', False]),
    ('2024', None, ('2024-01-01', '2024-12-31'), ['2024', None, 'year', False], ['2024', None, 'year', False]),
    ('0000', None, ('0000-01-01', '0000-12-31'), None, None),
    ('0000-02-29', None, ('0000-02-29', '0000-02-29'), None, None),
    ('1999', None, ('1999-01-01', '1999-12-31'), ['1999', None, 'year', False], ['1999', None, 'year', False]),
    ('12024', None, None, None, None),
    ('May 4, 2024', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('May 4 2024', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('4 May 2024', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('4th May, 2024', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('May 4th, 2024', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('Nov. 14, 2022', '2022-11-14', None, ['2022-11-14', None, 'day', False], ['2022-11-14', None, 'day', False]),
    ('14 Nov. 2022', '2022-11-14', None, ['2022-11-14', None, 'day', False], ['2022-11-14', None, 'day', False]),
    ('Sept 5, 2021', '2021-09-05', None, ['2021-09-05', None, 'day', False], ['2021-09-05', None, 'day', False]),
    ('September 31, 2021', None, None, None, None),
    ('Mon, 14 Nov 2022 08:00:00 GMT', '2022-11-14', None, None, None),
    ('Tue, 01 Aug 2023 23:30:00 -0500', '2023-08-01', None, None, None),
    ('May 2024', None, None, ['2024-05', None, 'month', False], ['2024-05', None, 'month', False]),
    ('May of 2024', None, None, ['2024-05', None, 'month', False], ['2024-05', None, 'month', False]),
    ('2024-05-04T08:00:00Z', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024-05-04T23:30:00-05:00', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024-05-04T01:00:00+14:00', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024-05-04 08:00', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('2024-05-04T08:00:00.123+0200', '2024-05-04', None, ['2024-05-04', None, 'day', False], ['2024-05-04', None, 'day', False]),
    ('the end of 2022', None, None, ['2022-12', None, 'month', False], ['2022-12', None, 'month', False]),
    ('mid-2021', None, None, ['2021', None, 'year', False], ['2021', None, 'year', False]),
    ('the 1990s', None, None, ['1990', '1999', 'year', False], ['1990', '1999', 'year', False]),
    ('2019-2021', None, None, ['2019', '2021', 'year', False], ['2019', '2021', 'year', False]),
    ('2022-23', None, None, ['2022', '2023', 'year', False], ['2022', '2023', 'year', False]),
    ('yesterday', None, None, None, ['2023-04-30', None, 'day', True]),
    ('next Tuesday', None, None, None, ['2023-05-02', None, 'day', True]),
    ('May 4', None, None, None, ['2023-05-04', None, 'day', True]),
    ('ten years ago', None, None, None, ['2013', None, 'year', True]),
    ('12/03/2024', None, None, None, None),
    ('2024-05-04junk', '2024-05-04', None, None, None),
    ('not a date', None, None, None, None),
    ('junk 2024', None, None, None, None),
    ('1e9', None, None, None, None),
    ('', None, None, None, None),
    ('   ', None, None, None, None),
    ("x" * 150, None, None, None, None),
]
TIMESTAMPS = [
    (0, '1970-01-01'),
    (1668412800, '2022-11-14'),
    (1668412800000, '2022-11-14'),
    (20230101, '2023-01-01'),
    (20230230, '1970-08-23'),
    (18000101, '1800-01-01'),
    (21991231, '2199-12-31'),
    (22000101, '1970-09-12'),
    (1500000000.0, '2017-07-14'),
    (-86400, '1969-12-31'),
    (float("nan"), None),
    (1e+17, None),
    (99999999, '1973-03-03'),
]


def _expression(value):
    return None if value is None else [value.start, value.end, value.precision, value.inferred]


@pytest.mark.parametrize("text, metadata, bounds, expression, anchored", CASES, ids=[c[0][:30] for c in CASES])
def test_the_three_parsers_give_what_they_gave(text, metadata, bounds, expression, anchored):
    assert parse_date(text) == metadata
    assert parse_date_bounds(text) == bounds
    assert _expression(parse_date_expression(text)) == expression
    assert _expression(parse_date_expression(text, ANCHOR)) == anchored


def test_no_value_is_no_date():
    assert parse_date(None) is None
    assert parse_date_expression(None) is None


@pytest.mark.parametrize("number, day", TIMESTAMPS)
def test_corpus_numbers_as_dates(number, day):
    assert parse_timestamp(number) == day


def test_the_old_public_names_are_the_parsers_of_kg_dates():
    assert kg.ingest.parse_date is parse_date
    assert kg.viz.parse_date_bounds is parse_date_bounds
