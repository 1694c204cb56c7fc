import codecs

import pytest

from kg.errors import IngestError
from kg.ingest import discover, iter_documents, parse_date, read_document, split_front_matter
from kg.records import Skipped, SourceDoc

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
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")  # unknown suffix in a folder: ignored
    items = list(iter_documents([tmp_path, tmp_path / "missing.txt"]))
    docs = [i for i in items if isinstance(i, SourceDoc)]
    skipped = sorted(i.source for i in items if isinstance(i, Skipped))
    assert [d.text for d in docs] == [ARTICLE]
    assert skipped == sorted([str(tmp_path / "empty.txt"), str(tmp_path / "image.html"), str(tmp_path / "missing.txt")])


def test_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, _ = discover([tmp_path])
    assert files == [tmp_path / "sub" / "a.txt"]


def test_front_matter_needs_its_closing_line():
    body, meta = split_front_matter("---\ntitle: x\nno closing line")
    assert meta == {} and body.startswith("---")


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
