"""Document metadata from every input kind reaches the graph, and the
publication date anchors the dates in the text (issue: real corpora)."""

import json

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from helpers import entities
from kg.pipeline import build
from kg.ns import KGO, SCHEMA

pytestmark = pytest.mark.slow  # every test builds with the spaCy pipeline

BODY = ("Kenyan President William Ruto met Ghanaian President Nana Akufo-Addo in Accra on November 14. "
        "The two leaders signed a trade agreement and Ruto visited the Ghana Cocoa Board.")
TITLE = "Ruto and Akufo-Addo meet in Accra"


def _folder(tmp_path, kind):
    folder = tmp_path / kind
    folder.mkdir()
    if kind == "txt":
        (folder / "a.txt").write_text(f"---\ntitle: {TITLE}\ndate: 2022-11-15\nurl: https://example.org/ruto\n"
                                      f"source: Example Wire\nauthor: A. Reporter\n---\n{BODY}\n", encoding="utf-8")
    elif kind == "html":
        (folder / "a.html").write_text(
            f"<html><head><title>{TITLE}</title>"
            "<meta property='article:published_time' content='2022-11-15T09:00:00Z'>"
            "<meta property='og:site_name' content='Example Wire'><meta name='author' content='A. Reporter'>"
            "<link rel='canonical' href='https://example.org/ruto'></head>"
            f"<body><nav>Home | Africa</nav><article><h1>{TITLE}</h1><p>{BODY}</p></article>"
            "<footer>Copyright Example Wire</footer></body></html>", encoding="utf-8")
    else:
        record = {"id": "ruto-1", "title": TITLE, "date": "2022-11-15", "url": "https://example.org/ruto",
                  "source": "Example Wire", "author": "A. Reporter", "text": BODY}
        (folder / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


def _facts(graph):
    names = {(t, label) for t in ("Person", "Country", "Organization", "Place") for label in entities(graph, t)}
    events = set()
    for e in graph.subjects(KGO.eventType, None):
        events.add((str(graph.value(e, KGO.eventType)).rsplit("/", 1)[-1],
                    str(graph.value(e, SCHEMA.startDate)),
                    frozenset(str(graph.value(p, RDFS.label)) for p in graph.objects(e, SCHEMA.participant))))
    return names, events


def test_the_same_article_in_three_formats_gives_the_same_graph_facts(tmp_path):
    results = {kind: build([_folder(tmp_path, kind)], out=None).graph for kind in ("txt", "html", "jsonl")}
    facts = {kind: _facts(g) for kind, g in results.items()}
    assert facts["txt"] == facts["jsonl"]
    assert facts["txt"][0] <= facts["html"][0] and facts["txt"][1] <= facts["html"][1]
    for kind, g in results.items():
        doc = next(g.subjects(RDF.type, SCHEMA.NewsArticle))
        assert g.value(doc, SCHEMA.headline) == Literal(TITLE), kind
        assert g.value(doc, SCHEMA.datePublished) == Literal("2022-11-15", datatype=XSD.date), kind
        assert str(g.value(doc, SCHEMA.publisher)) == "Example Wire", kind


def test_publication_date_dates_a_day_without_a_year(tmp_path):
    g = build([_folder(tmp_path, "txt")], out=None).graph
    meetings = [e for e in g.subjects(KGO.eventType, None)
                if "William Ruto" in {str(g.value(p, RDFS.label)) for p in g.objects(e, SCHEMA.participant)}
                and g.value(e, SCHEMA.startDate) is not None]
    assert any(g.value(e, SCHEMA.startDate) == Literal("2022-11-14", datatype=XSD.date)
               and g.value(e, KGO.dateInferred) == Literal(True) for e in meetings)


def test_fallback_date_is_used_when_a_document_has_none(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    g = build([folder], out=None, fallback_date="2021-11-20").graph
    doc = next(g.subjects(RDF.type, SCHEMA.NewsArticle))
    assert g.value(doc, SCHEMA.datePublished) == Literal("2021-11-20", datatype=XSD.date)
    dated = {str(o) for o in g.objects(None, SCHEMA.startDate)}
    assert "2021-11-14" in dated


def test_front_matter_metadata_reaches_the_graph_and_survives_the_build_cache(tmp_path):
    """YAML front matter as archives write it (escapes, a folded title,
    source_url, published_time with a time zone, tags) gives the document's
    headline, url, date and keywords, also when a later build reads the
    document back from OUT/.kg."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(
        '---\n'
        'title: "Ruto\\u2019s\\_visit to Accra: Ruto and Akufo-Addo\\\n'
        '  \\ meet"\n'
        'source_url: https://example.org/ruto\n'
        'published_time: 2022-11-15T22:00:00-05:00\n'
        'tags: [Kenya, Ghana, trade]\n'
        f'---\n{BODY}\n', encoding="utf-8")
    out = tmp_path / "out"
    first = build([folder], out=out, html=False)
    more = tmp_path / "more"  # the second build reads a.md from OUT/.kg only
    more.mkdir()
    (more / "b.txt").write_text("Ghana's President Nana Akufo-Addo visited Kenya in December.", encoding="utf-8")
    second = build([more], out=out, html=False)
    assert (len(second.extractions), second.reused) == (2, 1)
    for g in (first.graph, second.graph):
        doc = next(d for d in g.subjects(RDF.type, SCHEMA.NewsArticle) if g.value(d, SCHEMA.url) is not None)
        assert str(g.value(doc, SCHEMA.headline)) == "Ruto's visit to Accra: Ruto and Akufo-Addo meet"
        assert g.value(doc, SCHEMA.url) == Literal("https://example.org/ruto", datatype=XSD.anyURI)
        assert g.value(doc, SCHEMA.datePublished) == Literal("2022-11-15", datatype=XSD.date)
        assert {str(k) for k in g.objects(doc, SCHEMA.keywords)} == {"Kenya", "Ghana", "trade"}
