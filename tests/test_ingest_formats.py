"""kg.ingest.formats: the article text of Markdown and HTML documents."""

import os

import pytest

from kg.errors import IngestError
from kg.ingest import iter_documents, read_document
from kg.ingest.formats import drop_headline, html_to_text, markdown_to_text
from kg.records import Skipped, SourceDoc

from ingest_texts import ARTICLE, LONG_EN, html_page


def test_markdown_to_text_keeps_the_text_without_syntax_or_code():
    text, title = markdown_to_text("# Title\n\nSome *emphasis* and `code`.\n\n```\nblock code\n```\n\n> quoted\n")
    assert (text, title) == ("Title\n\nSome emphasis and code.\n\nquoted", "Title")


def test_drop_headline():
    assert drop_headline("Lula in Angola\n\nHe went.", "Lula  in angola") == "He went."
    assert drop_headline("Lula in Angola\n\nHe went.", "Other") == "Lula in Angola\n\nHe went."
    assert drop_headline("Lula in Angola", "Lula in Angola") == "Lula in Angola"  # nothing after it
    assert drop_headline("Lula in Angola\n\nHe went.", None) == "Lula in Angola\n\nHe went."


def test_html_to_text_gives_the_text_and_the_metadata():
    text, meta, lost = html_to_text(html_page("<meta property='article:published_time' content='2023-08-25'>"),
                                    "a.html")
    assert LONG_EN in text and "<p>" not in text
    assert (meta["title"], meta["date"], lost) == ("Lula in Angola", "2023-08-25", None)


def test_html_without_an_article_is_an_error():
    with pytest.raises(IngestError, match="no article text"):
        html_to_text("<html><head><script>var x = 1;</script></head><body></body></html>", "a.html")


# ----------------------------------------------------- through read_document

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


def test_html_json_ld_date_published_wins_over_date_modified(tmp_path):
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "Lula in Angola", "dateModified": "2023-09-30", "datePublished": "2023-08-25T10:00:00+01:00", '
          '"author": {"@type": "Person", "name": "Ana Souza"}, "publisher": {"@type": "Organization", "name": "Example Wire"}}</script>')
    p = tmp_path / "a.html"
    p.write_text(html_page(ld), encoding="utf-8")
    doc = read_document(p)
    assert (doc.date, doc.author, doc.publisher, doc.title) == ("2023-08-25", "Ana Souza", "Example Wire", "Lula in Angola")


def test_html_published_time_over_modified_time(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(html_page("<meta property='article:modified_time' content='2024-01-02T00:00:00Z'>"
                       "<meta property='article:published_time' content='2022-11-14T08:00:00+08:00'>"), encoding="utf-8")
    assert read_document(p).date == "2022-11-14"


def test_html_date_never_comes_from_the_file_or_today(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(html_page(""), encoding="utf-8")
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
        p.write_text(html_page(f"<meta property='article:published_time' content='{date}'>"), encoding="utf-8")
        assert read_document(p).date == date


def test_html_headline_is_metadata_not_a_sentence(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(html_page(""), encoding="utf-8")
    doc = read_document(p)
    assert doc.title == "Lula in Angola" and doc.text.startswith("President Lula")


def test_html_declared_charset_is_used(tmp_path):
    p = tmp_path / "ru.html"
    text = "Президент России Владимир Путин встретился в Москве с председателем КНР Си Цзиньпином."
    p.write_bytes(html_page('<meta charset="windows-1251">', f"<p>{text}</p><p>{text}</p>").encode("cp1251"))
    assert text in read_document(p).text


def test_html_url_is_kept_only_when_absolute(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(html_page("<link rel='canonical' href='https://example.org/news/lula in angola'>"), encoding="utf-8")
    assert read_document(p).url == "https://example.org/news/lula%20in%20angola"
    q = tmp_path / "b.md"
    q.write_text(f"---\nurl: javascript:alert(1)\n---\n{LONG_EN}", encoding="utf-8")
    assert read_document(q).url is None


def test_html_lang_attribute_is_the_declared_language(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(html_page("").replace("<html>", "<html lang='pt-BR'>"), encoding="utf-8")
    assert read_document(p).language == "pt"
    # ... which the text outranks when it is long enough to tell.
    [doc] = list(iter_documents([p]))
    assert isinstance(doc, SourceDoc) and doc.language == "en"
    q = tmp_path / "short.html"
    q.write_text("<html lang='de'><body><article><p>Scholz besuchte Peking am Montag.</p></article></body></html>",
                 encoding="utf-8")
    [skip] = list(iter_documents([q]))
    assert isinstance(skip, Skipped) and skip.reason == "language 'de' declared in the metadata; kg reads 'en'"
