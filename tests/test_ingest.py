"""kg.ingest.read: paths -> documents, through every module of kg.ingest; one bad file never costs the others.

The modules have their own tests: test_ingest_files, test_ingest_decoding, test_ingest_formats,
test_ingest_documents, test_corpus, test_frontmatter, test_normalize, test_language.
"""

import json

import pytest

from kg.errors import KGError
from kg.ingest import iter_documents, read_document
from kg.records import MetadataSkipped, Skipped, SourceDoc

from ingest_texts import ARTICLE, LONG_DE, LONG_EN


def test_front_matter_is_metadata_not_text(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: \"Lula in Angola\"\ndate: 2023-08-25\nurl: https://example.org/x\nsource: Example Wire\nauthor: A. Writer\n---\n# Lula in Angola\n\n" + ARTICLE, encoding="utf-8")
    doc = read_document(p)
    assert doc.title == "Lula in Angola"
    assert doc.date == "2023-08-25"
    assert doc.url == "https://example.org/x"
    assert doc.publisher == "Example Wire"
    assert doc.author == "A. Writer"
    assert "title:" not in doc.text and "---" not in doc.text


def test_bad_files_are_skipped_and_good_ones_kept(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes.xml").write_text("<a/>", encoding="utf-8")  # unknown suffix in a folder: ignored
    items = list(iter_documents([tmp_path, tmp_path / "missing.txt"]))
    docs = [i for i in items if isinstance(i, SourceDoc)]
    skipped = sorted(i.source for i in items if isinstance(i, Skipped))
    assert [d.text for d in docs] == [ARTICLE]
    assert skipped == sorted([str(tmp_path / "empty.txt"), str(tmp_path / "image.html"), str(tmp_path / "missing.txt")])


def test_the_number_of_documents_to_come_is_told_before_the_first_when_known(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "front.md").write_text("---\ntitle: [unclosed\n---\n" + ARTICLE, encoding="utf-8")
    told = []
    items = iter_documents([tmp_path, tmp_path / "missing.txt"], on_total=told.append)
    first = next(items)
    assert told == [4]  # three files and a missing path, told before the first item
    rest = [first, *items]
    assert told == [4] and sum(not (isinstance(i, Skipped) and i.text_read) for i in rest) == 4
    (tmp_path / "more.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    told.clear()
    list(iter_documents([tmp_path], on_total=told.append))
    assert told == [None]  # a corpus file: its records are not counted before they are read


# ---------------------------------------------------------------- front matter


def test_front_matter_with_bom_and_crlf(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf---\r\ntitle: CRLF\r\nlanguage: en\r\n---\r\n" + LONG_EN.encode())
    doc = read_document(p)
    assert (doc.title, doc.language, doc.text) == ("CRLF", "en", LONG_EN)


def test_front_matter_date_with_time_and_language(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f"---\ndate: 2022-11-14 08:00\nlanguage: en-GB\nfoo: [1, 2]\n---\n{LONG_EN}\n", encoding="utf-8")
    doc = read_document(p)
    assert (doc.date, doc.language) == ("2022-11-14", "en")


READOUT_MD = (
    '---\n'
    'title: "Readout of\\_President\\_Biden\\u2019s Call with President Xi Jinping of the\\\n'
    '  \\ People\\u2019s Republic of\\_China"\n'
    'source_url: https://www.whitehouse.gov/briefing-room/statements-releases/2024/04/02/readout/\n'
    'published_time: 2024-05-01T10:00:00-04:00\n'
    '---\n'
    '# Readout\n\n'
    f'{LONG_EN}\n'
)


def test_yaml_front_matter_of_an_archive_is_read_by_a_yaml_parser(tmp_path):
    p = tmp_path / "readout.md"
    p.write_text(READOUT_MD, encoding="utf-8")
    doc = read_document(p)
    assert doc.title == "Readout of President Biden's Call with President Xi Jinping of the People's Republic of China"
    assert doc.url == "https://www.whitehouse.gov/briefing-room/statements-releases/2024/04/02/readout/"
    assert doc.date == "2024-05-01"
    assert doc.text == f"Readout\n\n{LONG_EN}"


def test_toml_front_matter_of_a_text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text('+++\ntitle = "Lula in Angola"\ndate = 2023-08-25\ncanonical_url = "https://example.org/lula"\n'
                 f'publisher = "Example Wire"\nauthors = ["Ana Souza", "Bo Li"]\ntags = ["Angola", "trade"]\n+++\n{LONG_EN}\n',
                 encoding="utf-8")
    doc = read_document(p)
    assert (doc.title, doc.date, doc.url, doc.publisher, doc.author, doc.keywords, doc.text) == (
        "Lula in Angola", "2023-08-25", "https://example.org/lula", "Example Wire", "Ana Souza, Bo Li",
        ("Angola", "trade"), LONG_EN)


def test_broken_front_matter_is_reported_and_the_text_still_read(tmp_path):
    (tmp_path / "broken.md").write_text(f'---\ntitle: "Unclosed\ndate: 2024-05-01\n---\n{LONG_EN}\n', encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    [warning] = [i for i in items if isinstance(i, Skipped)]
    assert isinstance(warning, MetadataSkipped) and warning.text_read
    assert warning.source == str(tmp_path / "broken.md")
    assert warning.reason == ("front matter ignored: YAML syntax error at line 3, column 17: found unexpected end of "
                              "stream (while scanning a quoted scalar at line 2, column 8); the text after it was read")
    docs = {d.source: d for d in items if isinstance(d, SourceDoc)}
    broken = docs[str(tmp_path / "broken.md")]
    assert (broken.text, broken.date) == (LONG_EN, None)
    assert str(tmp_path / "good.txt") in docs


def test_a_library_that_cannot_be_imported_skips_only_the_documents_needing_it(tmp_path, monkeypatch):
    import sys

    # What a pip install without lxml_html_clean gave: trafilatura's import fails.
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    (tmp_path / "page.html").write_text(f"<html><body><article><p>{LONG_EN}</p></article></body></html>", encoding="utf-8")
    (tmp_path / "a.txt").write_text(LONG_EN, encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    [skipped] = [i for i in items if isinstance(i, Skipped)]
    assert skipped.source == str(tmp_path / "page.html")
    assert skipped.reason.startswith("cannot read HTML: trafilatura cannot be imported (")
    assert "pip install" in skipped.hint
    assert [d.source for d in items if isinstance(d, SourceDoc)] == [str(tmp_path / "a.txt")]


def test_an_unexpected_error_in_one_document_skips_only_that_document(tmp_path, monkeypatch):
    import kg.ingest.read

    def broken(text):
        raise RuntimeError("markdown parser\nfailed")

    monkeypatch.setattr(kg.ingest.read, "markdown_to_text", broken)
    (tmp_path / "a.md").write_text(LONG_EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(LONG_EN + " Twice.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": LONG_EN + " Thrice."}) + "\n", encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    [skipped] = [i for i in items if isinstance(i, Skipped)]
    assert (skipped.source, skipped.reason) == (str(tmp_path / "a.md"),
                                                "unexpected error: RuntimeError: markdown parser failed")
    assert [d.source for d in items if isinstance(d, SourceDoc)] == [str(tmp_path / "b.txt"),
                                                                    str(tmp_path / "c.jsonl") + "#1"]


# -------------------------------------------------------- language and dates


def test_foreign_document_is_skipped_with_the_language(tmp_path):
    (tmp_path / "de.txt").write_text(LONG_DE, encoding="utf-8")
    (tmp_path / "en.txt").write_text(LONG_EN, encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    [skip] = [i for i in items if isinstance(i, Skipped)]
    [doc] = [i for i in items if isinstance(i, SourceDoc)]
    assert skip.source.endswith("de.txt")
    assert skip.reason == "language 'de' detected; kg reads 'en'"
    assert "--model" in skip.hint
    assert doc.language == "en"


def test_pipeline_language_decides(tmp_path):
    (tmp_path / "de.txt").write_text(LONG_DE, encoding="utf-8")
    [doc] = list(iter_documents([tmp_path], language="de"))
    assert isinstance(doc, SourceDoc) and doc.language == "de"
    [doc] = list(iter_documents([tmp_path], language=None))
    assert isinstance(doc, SourceDoc) and doc.language == "de"


def test_short_text_is_not_judged(tmp_path):
    (tmp_path / "de.txt").write_text("Scholz besuchte Peking.", encoding="utf-8")
    [doc] = list(iter_documents([tmp_path]))
    assert isinstance(doc, SourceDoc) and doc.language is None


def test_declared_language_decides_when_the_text_is_short(tmp_path):
    (tmp_path / "de.md").write_text("---\nlanguage: de\n---\nScholz besuchte Peking.", encoding="utf-8")
    [skip] = list(iter_documents([tmp_path]))
    assert isinstance(skip, Skipped) and "language 'de' declared" in skip.reason


def test_detected_language_outranks_wrong_metadata(tmp_path):
    (tmp_path / "a.md").write_text(f"---\nlanguage: de\n---\n{LONG_EN}", encoding="utf-8")
    [doc] = list(iter_documents([tmp_path]))
    assert isinstance(doc, SourceDoc) and doc.language == "en"


def test_bad_fallback_date_is_an_error(tmp_path):
    with pytest.raises(KGError, match="not a date"):
        list(iter_documents([tmp_path], fallback_date="14/11/2022"))


def test_fallback_date_does_not_replace_a_given_date(tmp_path):
    (tmp_path / "a.md").write_text(f"---\ndate: 2021-01-02\n---\n{LONG_EN}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(LONG_EN + " Again.", encoding="utf-8")
    docs = sorted(iter_documents([tmp_path], fallback_date="2022-11-14"), key=lambda d: d.source)
    assert [d.date for d in docs] == ["2021-01-02", "2022-11-14"]


# ------------------------------------------- one article, three input kinds

XI_BIDEN = ("Chinese President Xi Jinping met US President Joe Biden in Bali on November 14. The two leaders "
            "discussed trade, climate change and the war in Ukraine at the meeting, which lasted three hours.")


def _same_article(folder):
    (folder / "a.txt").write_text(
        "---\ntitle: \"Xi meets Biden in Bali\"\ndate: 2022-11-14 08:00\nsource: Example Wire\nauthor: Ana Souza\n---\n"
        + XI_BIDEN + "\n", encoding="utf-8")
    (folder / "b.html").write_text(
        "<html lang='en'><head><title>Xi meets Biden in Bali</title>"
        "<meta property='article:published_time' content='2022-11-14T08:00:00+08:00'>"
        "<meta property='og:site_name' content='Example Wire'><meta name='author' content='Ana Souza'></head>"
        "<body><nav>Home | World</nav><article><h1>Xi meets Biden in Bali</h1>"
        f"<p>{XI_BIDEN}</p></article><footer>Copyright 2022 Example Wire</footer></body></html>", encoding="utf-8")
    (folder / "c.jsonl").write_text(json.dumps({
        "id": "xi-biden", "title": "Xi meets Biden in Bali", "date": "2022-11-14T08:00:00+08:00",
        "source": "Example Wire", "author": "Ana Souza", "text": XI_BIDEN}) + "\n", encoding="utf-8")


def test_same_article_as_txt_html_and_jsonl_gives_the_same_graph_content(tmp_path, nlp):
    from kg.pipeline import build

    _same_article(tmp_path)
    seen = []
    for name in ("a.txt", "b.html", "c.jsonl"):
        result = build([tmp_path / name], out=None)
        [ex] = result.extractions
        doc = ex.doc
        assert (doc.title, doc.date, doc.publisher, doc.author, doc.language) == (
            "Xi meets Biden in Bali", "2022-11-14", "Example Wire", "Ana Souza", "en"), name
        entities = sorted((e.type, e.label) for e in result.resolution.entities)
        events = sorted((e.type, str(e.start)) for e in result.events)
        seen.append((doc.text, entities, events))
    assert seen[0] == seen[1] == seen[2]
    text, entities, events = seen[0]
    assert ("Person", "Xi Jinping") in entities and ("Person", "Joe Biden") in entities
    assert ("Meeting", "2022-11-14") in events


def test_front_matter_date_anchors_a_date_without_a_year(tmp_path, nlp):
    from kg.pipeline import build

    (tmp_path / "a.md").write_text("---\ndate: 2022-11-14\n---\nXi Jinping met Joe Biden in Bali on November 14.\n",
                                   encoding="utf-8")
    result = build([tmp_path], out=None)
    [event] = [e for e in result.events if e.type == "Meeting"]
    assert str(event.start) == "2022-11-14"
    # Without the front matter date, --date (fallback_date) anchors it.
    (tmp_path / "a.md").write_text("Xi Jinping met Joe Biden in Bali on November 14.\n", encoding="utf-8")
    result = build([tmp_path], out=None, fallback_date="2021-12-01")
    [event] = [e for e in result.events if e.type == "Meeting"]
    assert str(event.start) == "2021-11-14"


