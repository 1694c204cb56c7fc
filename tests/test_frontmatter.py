"""kg.ingest.frontmatter: YAML (PyYAML) and TOML (tomllib) front matter -> metadata."""

import pytest

from kg.ingest.frontmatter import KEYS, FrontMatter, read_front_matter, split_front_matter

# A White House readout as an archive stores it: escaped characters (\u2019,
# \_ for a no-break space) and a double-quoted title folded over two lines
# with a \ continuation.
READOUT = (
    '---\n'
    'title: "Readout of\\_President\\_Biden\\u2019s Call with President Xi Jinping of the\\\n'
    '  \\ People\\u2019s Republic of\\_China"\n'
    'source_url: https://www.whitehouse.gov/briefing-room/statements-releases/2024/04/02/readout/\n'
    'published_time: 2024-05-01T10:00:00-04:00\n'
    'tags: [China, Readouts]\n'
    '---\n'
    'President Biden spoke today with President Xi Jinping.\n'
)


def test_escaped_and_folded_yaml_title_is_read_as_yaml():
    found = read_front_matter(READOUT)
    assert found.problem is None
    assert found.body == "President Biden spoke today with President Xi Jinping.\n"
    assert found.metadata == {
        "title": "Readout of\xa0President\xa0Biden\u2019s Call with President Xi Jinping of the "
                 "People\u2019s Republic of\xa0China",
        "date": "2024-05-01",
        "url": "https://www.whitehouse.gov/briefing-room/statements-releases/2024/04/02/readout/",
        "keywords": ("China", "Readouts"),
    }


@pytest.mark.parametrize("value", ["2024-05-01T23:30:00-04:00", "'2024-05-01T23:30:00-04:00'", "2024-05-01 23:30:00 -4"])
def test_the_day_written_is_the_date_whatever_the_time_zone(value):
    # In UTC this is already 2 May.
    assert read_front_matter(f"---\ndate: {value}\n---\nText").metadata == {"date": "2024-05-01"}


@pytest.mark.parametrize("field, key", [(f, k) for f, keys in KEYS.items() for k in keys])
def test_every_key_archives_use_is_read(field, key):
    value = {"date": "2021-05-06", "url": "https://example.org/a", "keywords": "x"}.get(field, "Value")
    meta = read_front_matter(f"---\n{key}: {value}\n---\nText").metadata
    assert meta == {field: ("x",) if field == "keywords" else value}


def test_keys_are_case_insensitive():
    meta = read_front_matter("---\ndatePublished: 2021-05-06\nSite_Name: Wire\n---\nText").metadata
    assert meta == {"date": "2021-05-06", "publisher": "Wire"}


def test_the_first_key_with_a_usable_value_wins():
    text = "---\npublished: 2020-01-02\ndate: not known\nlink: /relative\nurl: https://example.org/a\n---\nText"
    assert read_front_matter(text).metadata == {"date": "2020-01-02", "url": "https://example.org/a"}


@pytest.mark.parametrize("block, expected", [
    ('title: "Lula in \\"Angola\\""', {"title": 'Lula in "Angola"'}),
    ("title: 'It''s Angola'", {"title": "It's Angola"}),
    ("date: 2022-11-14 08:00", {"date": "2022-11-14"}),
    ("date: 2022-11-14", {"date": "2022-11-14"}),
    ("tags: [a, b, a]\nlayout: post\ncategories:\n  - world", {"keywords": ("a", "b")}),
    ("tags: trade, energy", {"keywords": ("trade", "energy")}),
    ("url: https://example.org/a#b # the canonical page", {"url": "https://example.org/a#b"}),
    ("lang: de-AT", {"language": "de-AT"}),
    ("authors:\n- Ana Souza\n- Bo Li", {"author": "Ana Souza, Bo Li"}),
    ("authors:\n- name: Ana Souza\n- name: Bo Li", {"author": "Ana Souza, Bo Li"}),
    ("author:\n  name: Ana Souza\n  email: a@example.org", {"author": "Ana Souza"}),
    ("description: >\n  a folded\n  description\ntitle: T", {"title": "T"}),
    ("title: 2024\ndraft: true", {"title": "2024"}),
    ("title: ~\nheadline: The headline", {"title": "The headline"}),
])
def test_yaml_values(block, expected):
    assert split_front_matter(f"---\n{block}\n---\nThe text.") == ("The text.", expected)


def test_toml_front_matter():
    text = ('+++\ntitle = "Toml \\u2019quoted\\u2019"\ndate = 2022-11-14T23:00:00-05:00\n'
            'authors = ["Ana Souza", "Bo Li"]\ntags = ["trade"]\n'
            '[params]\nauthor = "not the page\'s"\n+++\nText')
    found = read_front_matter(text)
    assert (found.body, found.problem) == ("Text", None)
    assert found.metadata == {"title": "Toml \u2019quoted\u2019", "date": "2022-11-14",
                              "author": "Ana Souza, Bo Li", "keywords": ("trade",)}


@pytest.mark.parametrize("text, problem", [
    ('---\ntitle: "An unclosed quote\ndate: 2024-05-01\n---\nThe text.',
     "YAML syntax error at line 3, column 17: found unexpected end of stream "
     "(while scanning a quoted scalar at line 2, column 8)"),
    ("---\ntitle: A\n  date: 2024-05-01\n---\nThe text.",
     "YAML syntax error at line 3, column 7: mapping values are not allowed here"),
    ("---\ntitle: A\ndate: 2024-13-45\n---\nThe text.", "YAML error: ValueError: month must be in 1..12"),
    ("---\n- title: A\n- date: 2024-05-01\n---\nThe text.", "the front matter is a list, not keys with values"),
    ('+++\ntitle = "A"\nnot toml\n+++\nThe text.',
     "TOML syntax error: Expected '=' after a key in a key/value pair (at line 3, column 5)"),
])
def test_front_matter_that_cannot_be_read_is_reported_and_the_text_kept(text, problem):
    found = read_front_matter(text)
    assert (found.body, found.metadata, found.problem) == ("The text.", {}, problem)


@pytest.mark.parametrize("text", [
    "---\nThis is prose, not metadata.\n---\nMore prose.",
    "---\n* a list\n* of points\n---\nMore prose.",
    "+++\nNot TOML at all.\n+++\nMore prose.",
])
def test_a_rule_followed_by_prose_is_not_front_matter(text):
    assert read_front_matter(text) == FrontMatter(text)


def test_front_matter_needs_its_closing_line():
    found = read_front_matter("---\ntitle: x\nno closing line")
    assert (found.body, found.metadata, found.problem) == ("---\ntitle: x\nno closing line", {}, None)


def test_yaml_is_read_safely():
    found = read_front_matter("---\ntitle: !!python/object/apply:os.system ['echo unsafe']\n---\nText")
    assert found.metadata == {} and found.body == "Text"
    assert found.problem.startswith("YAML syntax error at line 2, column 8: ")
