"""kg.ingest.documents: text and metadata -> SourceDoc."""

import hashlib

import pytest

from kg.errors import IngestError
from kg.ingest import make_doc, read_document
from kg.ingest.documents import date_warning
from kg.records import MetadataSkipped

from ingest_texts import ARTICLE, LONG_EN


def test_make_doc_reads_the_metadata():
    doc = make_doc(LONG_EN, source="s", metadata={
        "title": " Lula  in\nAngola ", "date": "25 August 2023", "url": "https://example.org/a b",
        "sitename": "Example Wire", "author": "Ana Souza", "lang": "pt-BR", "keywords": "Angola, trade, Angola"})
    assert (doc.source, doc.title, doc.date, doc.url, doc.publisher, doc.author, doc.language, doc.keywords) == (
        "s", "Lula in Angola", "2023-08-25", "https://example.org/a%20b", "Example Wire", "Ana Souza", "pt",
        ("Angola", "trade"))


def test_the_id_is_a_digest_of_the_normalised_text():
    a = make_doc("He said \u201chello\u201d to the minister.", source="a")
    b = make_doc('He said "hello" to the minister.\n\n', source="b")
    assert a.text == b.text == 'He said "hello" to the minister.'
    assert a.id == b.id == hashlib.sha256(b.text.encode("utf-8")).hexdigest()[:16]


def test_a_headline_like_first_line_is_the_title():
    assert make_doc("Lula visits Angola\n" + LONG_EN, source="s").title == "Lula visits Angola"
    assert make_doc("This is a sentence.\n" + LONG_EN, source="s").title is None


def test_credits_are_separated_and_name_the_author():
    doc = make_doc(LONG_EN + "\n\nReporter: Ana Souza", source="s")
    assert (doc.text, doc.author, doc.credits) == (LONG_EN, "Ana Souza", (("author", "Ana Souza"),))


@pytest.mark.parametrize("text, reason", [
    ("", "no article text"),
    ("  \n ", "no article text"),
    ("1234 5678 !!", "no letters"),
])
def test_no_article_is_an_ingest_error(text, reason):
    with pytest.raises(IngestError, match=reason):
        make_doc(text, source="s")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "/relative/path", "example.org/x"])
def test_only_absolute_urls_are_kept(url):
    assert make_doc(LONG_EN, source="s", metadata={"url": url}).url is None


def test_date_warning_for_a_date_that_is_no_date():
    warning = date_warning("a.md", {"date": "2023-02-30"}, "line 3: ")
    assert isinstance(warning, MetadataSkipped)
    assert warning.reason == "line 3: date '2023-02-30' is not a date and was left out; the text was read"
    assert date_warning("a.md", {"date": "2023-02-28"}) is None
    assert date_warning("a.md", {}) is None


# ----------------------------------------------------- through read_document

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
