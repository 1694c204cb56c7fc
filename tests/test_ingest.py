import codecs
import json
import os

import pytest

from kg.errors import IngestError, KGError
from kg.ingest import discover, iter_documents, parse_date, read_document
from kg.records import MetadataSkipped, Skipped, SourceDoc

ARTICLE = "President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda."


def test_plain_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    doc = read_document(p)
    assert doc.text == ARTICLE
    assert len(doc.id) == 16 and doc.source == str(p)


def test_same_text_same_id(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    assert read_document(tmp_path / "a.txt").id == read_document(tmp_path / "b.txt").id


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


def test_markdown_syntax_is_removed(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("# Heading\n\nThe **African Union** met in [Addis Ababa](https://x.org).\n\n- item one\n", encoding="utf-8")
    doc = read_document(p)
    assert "The African Union met in Addis Ababa." in doc.text
    assert "**" not in doc.text and "](" not in doc.text
    assert doc.title == "Heading"


def test_html_goes_through_the_article_extractor(tmp_path):
    html = (
        "<html><head><title>Lula in Angola</title>"
        "<meta property='article:published_time' content='2023-08-25T10:00:00Z'>"
        "<meta property='og:site_name' content='Example News'>"
        "<script>var x = 'do not index me';</script><style>p{}</style></head>"
        "<body><nav>Home | World | Sport</nav><article><h1>Lula in Angola</h1>"
        f"<p>{ARTICLE}</p><p>The two presidents signed agreements on trade, energy and tourism in the capital.</p>"
        "</article><footer>Copyright 2023 Example News</footer></body></html>"
    )
    p = tmp_path / "a.html"
    p.write_text(html, encoding="utf-8")
    doc = read_document(p)
    assert ARTICLE in doc.text
    assert "do not index me" not in doc.text
    assert doc.date == "2023-08-25"
    assert doc.title == "Lula in Angola"


def test_latin1_and_cp1252_are_decoded(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Le président de la Côte d'Ivoire a visité Paris.".encode("latin-1"))
    assert "président de la Côte" in read_document(p).text
    q = tmp_path / "cp1252.txt"
    q.write_bytes("The minister said \u201cpeace\u201d \u2013 twice.".encode("cp1252"))
    assert read_document(q).text == 'The minister said "peace" \u2013 twice.'


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    assert read_document(p).text == ARTICLE


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\t  \n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    (b"abc\x00\x00\x00def\x00\x00" * 50, "NUL"),
])
def test_unreadable_files_raise_ingest_error(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(IngestError) as err:
        read_document(p)
    assert reason in str(err.value) and str(p) in str(err.value)


def test_size_limit_names_the_limit_and_the_option(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_document(p, max_bytes=100)
    assert "--max-bytes" in str(err.value)


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


def test_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, _ = discover([tmp_path])
    assert files == [tmp_path / "sub" / "a.txt"]


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


# ---------------------------------------------------------------- front matter

LONG_EN = (
    "President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda, "
    "and the two presidents signed agreements on trade, energy and tourism in the capital."
)
LONG_DE = (
    "Bundeskanzler Olaf Scholz besuchte am Montag Peking und traf Präsident Xi Jinping. Die beiden sprachen "
    "über Handel und den Krieg in der Ukraine. Scholz sagte, Deutschland wolle die Beziehungen zu China "
    "weiter ausbauen, aber Abhängigkeiten verringern."
)


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
    import kg.ingest

    def broken(text):
        raise RuntimeError("markdown parser\nfailed")

    monkeypatch.setattr(kg.ingest, "_markdown_to_text", broken)
    (tmp_path / "a.md").write_text(LONG_EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(LONG_EN + " Twice.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": LONG_EN + " Thrice."}) + "\n", encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    [skipped] = [i for i in items if isinstance(i, Skipped)]
    assert (skipped.source, skipped.reason) == (str(tmp_path / "a.md"),
                                                "unexpected error: RuntimeError: markdown parser failed")
    assert [d.source for d in items if isinstance(d, SourceDoc)] == [str(tmp_path / "b.txt"),
                                                                    str(tmp_path / "c.jsonl") + "#1"]


# ------------------------------------------------------------------------ HTML

PARA = f"<p>{LONG_EN}</p><p>The visit was the first by a Brazilian president to the country in years.</p>"


def _html(head: str, body: str = PARA) -> str:
    return f"<html><head><title>Lula in Angola</title>{head}</head><body><article><h1>Lula in Angola</h1>{body}</article></body></html>"


def test_html_json_ld_date_published_wins_over_date_modified(tmp_path):
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "Lula in Angola", "dateModified": "2023-09-30", "datePublished": "2023-08-25T10:00:00+01:00", '
          '"author": {"@type": "Person", "name": "Ana Souza"}, "publisher": {"@type": "Organization", "name": "Example Wire"}}</script>')
    p = tmp_path / "a.html"
    p.write_text(_html(ld), encoding="utf-8")
    doc = read_document(p)
    assert (doc.date, doc.author, doc.publisher, doc.title) == ("2023-08-25", "Ana Souza", "Example Wire", "Lula in Angola")


def test_html_published_time_over_modified_time(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(_html("<meta property='article:modified_time' content='2024-01-02T00:00:00Z'>"
                       "<meta property='article:published_time' content='2022-11-14T08:00:00+08:00'>"), encoding="utf-8")
    assert read_document(p).date == "2022-11-14"


def test_html_date_never_comes_from_the_file_or_today(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(_html(""), encoding="utf-8")
    os.utime(p, (978307200, 978307200))  # 2001-01-01: a file date that must not be used
    doc = read_document(p)
    assert doc.date is None
    [dated] = [d for d in iter_documents([p], fallback_date="2020-02-02") if isinstance(d, SourceDoc)]
    assert dated.date == "2020-02-02"


def test_html_dates_outside_today_are_kept(tmp_path):
    # htmldate's default bounds are 1995 and today: the same page would get a
    # date or not depending on the day it is read. kg's bounds are fixed.
    for date in ("1989-11-09", "2031-01-01"):
        p = tmp_path / f"{date}.html"
        p.write_text(_html(f"<meta property='article:published_time' content='{date}'>"), encoding="utf-8")
        assert read_document(p).date == date


def test_html_headline_is_metadata_not_a_sentence(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(_html(""), encoding="utf-8")
    doc = read_document(p)
    assert doc.title == "Lula in Angola" and doc.text.startswith("President Lula")


def test_html_declared_charset_is_used(tmp_path):
    p = tmp_path / "ru.html"
    text = "Президент России Владимир Путин встретился в Москве с председателем КНР Си Цзиньпином."
    p.write_bytes(_html('<meta charset="windows-1251">', f"<p>{text}</p><p>{text}</p>").encode("cp1251"))
    assert text in read_document(p).text


def test_html_url_is_kept_only_when_absolute(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(_html("<link rel='canonical' href='https://example.org/news/lula in angola'>"), encoding="utf-8")
    assert read_document(p).url == "https://example.org/news/lula%20in%20angola"
    q = tmp_path / "b.md"
    q.write_text(f"---\nurl: javascript:alert(1)\n---\n{LONG_EN}", encoding="utf-8")
    assert read_document(q).url is None


# ------------------------------------------------------------------- decoding

def test_invalid_utf8_bytes_in_a_utf8_file(tmp_path):
    p = tmp_path / "mixed.txt"
    p.write_bytes("São Paulo and Luanda signed a “deal”.".encode("utf-8") + b" The minister said \x93yes\x94 \xff.")
    text = read_document(p).text
    assert text.startswith('São Paulo and Luanda signed a "deal".') and 'said "yes"' in text


def test_cp1252_with_undefined_bytes(tmp_path):
    p = tmp_path / "cp.txt"
    p.write_bytes("Le président a dit \u201cnon\u201d \u2013 20 \u20ac.".encode("cp1252") + b"\x81")
    assert read_document(p).text == 'Le président a dit "non" \u2013 20 \u20ac.'


def test_utf16_without_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16-le"))
    assert read_document(p).text == ARTICLE


def test_control_bytes_are_binary(tmp_path):
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes(range(1, 9)) * 200)
    with pytest.raises(IngestError, match="control bytes"):
        read_document(p)


def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="named pipe"):
        read_document(fifo)


def test_undecodable_file_name_is_shown_with_a_replacement_character(tmp_path):
    name = os.fsdecode(b"caf\xe9 report.txt")
    (tmp_path / name).write_text(LONG_EN, encoding="utf-8")
    [doc] = list(iter_documents([tmp_path]))
    assert doc.source == str(tmp_path / "caf\ufffd report.txt")
    doc.source.encode("utf-8")  # writable anywhere


def test_output_folder_inside_the_input_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(LONG_EN, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.ttl", "merges.tsv", "graph.html"):
        (out / name).write_text("entity\tname\n", encoding="utf-8")
    files, _ = discover([tmp_path])
    assert files == [tmp_path / "a.txt"]


# -------------------------------------------------------------------- language

def test_plain_english_is_recognised_without_the_model(monkeypatch):
    import kg.language as language

    def no_model():
        raise AssertionError("the model was consulted")

    monkeypatch.setattr(language, "_identifier", no_model)
    assert language.detect(LONG_EN).language == "en"
    with pytest.raises(AssertionError, match="consulted"):
        language.detect(LONG_DE)


@pytest.mark.parametrize("text", [
    "De minister van Buitenlandse Zaken had gisteren een ontmoeting met zijn Duitse collega in Berlijn. Zij "
    "spraken over de oorlog in Oekraïne en de gevolgen voor de energieprijzen in Europa, zei hij na afloop.",
    "Le président de la République a reçu mardi son homologue brésilien à l'Élysée. Les deux chefs d'État ont "
    "discuté du climat, de la forêt amazonienne et de la guerre en Ukraine, a déclaré le président.",
    "Presiden Joko Widodo bertemu dengan Perdana Menteri Jepang di Jakarta pada hari Selasa. Kedua pemimpin "
    "membahas kerja sama ekonomi, investasi, dan keamanan maritim di kawasan Indo-Pasifik, kata presiden.",
])
def test_other_languages_still_go_to_the_model(text):
    from kg.language import detect

    assert detect(text).language not in (None, "en")


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


def test_html_lang_attribute_is_the_declared_language(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(_html("").replace("<html>", "<html lang='pt-BR'>"), encoding="utf-8")
    assert read_document(p).language == "pt"
    # ... which the text outranks when it is long enough to tell.
    [doc] = list(iter_documents([p]))
    assert isinstance(doc, SourceDoc) and doc.language == "en"
    q = tmp_path / "short.html"
    q.write_text("<html lang='de'><body><article><p>Scholz besuchte Peking am Montag.</p></article></body></html>",
                 encoding="utf-8")
    [skip] = list(iter_documents([q]))
    assert isinstance(skip, Skipped) and skip.reason == "language 'de' declared in the metadata; kg reads 'en'"
