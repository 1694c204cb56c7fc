"""Hostile text stays text: every output format stays valid, IRIs stay IRIs."""

import os
import shutil
import subprocess

import pytest
from rdflib import Graph

from kg.export import serialize, write_graph

HOSTILE = (
    'President "Evil" O\'Brien said: "we will \\ break <script>alert(1)</script> your parser; """ triple quotes """" '
    "and > arrows" + '." The minister of Ruritania, Jane <img src=x onerror=alert(2)> Doe, met '
    "Dr. Xavier\u202eReversed\u202c Smith in Paris.\n\n"
    "\u200fMr. Ahmed \u0627\u0644\u0639\u0631\u0628\u064a\u0629 visited Cairo \U0001F600 on May 5, 2024. "
    "The <http://evil.example/#x> Initiative and the ]] } ; DROP ALL # Fund were launched by "
    "Ruritania. " + "A" * 3000 + " Bank was founded.\n\n"
    "Leaders of the @prefix ex: <http://x/> . Union met in javascript:alert(3) Square."
)


@pytest.fixture(scope="module")
def hostile_graph(build_texts):
    return build_texts([HOSTILE, "The Quote\"Maker Foundation praised Kenya and \\\\ Ghana on 1 June 2024."]).graph


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                                ("trig", "trig"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_every_format_parses_in_rdflib(hostile_graph, fmt, rdflib_format):
    from rdflib import Dataset

    data = serialize(hostile_graph, fmt)
    if fmt in ("nq", "trig"):
        ds = Dataset()
        ds.parse(data=data, format=rdflib_format)
        assert len(list(ds.quads((None, None, None, None)))) == len(hostile_graph)
    else:
        assert len(Graph().parse(data=data, format=rdflib_format)) == len(hostile_graph)


def test_every_format_parses_in_pyoxigraph(hostile_graph):
    import pyoxigraph

    for fmt, rf in (("ttl", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
                    ("nq", pyoxigraph.RdfFormat.N_QUADS), ("trig", pyoxigraph.RdfFormat.TRIG),
                    ("jsonld", pyoxigraph.RdfFormat.JSON_LD), ("xml", pyoxigraph.RdfFormat.RDF_XML)):
        assert len(list(pyoxigraph.parse(serialize(hostile_graph, fmt), format=rf))) == len(hostile_graph), fmt


def test_rapper_accepts_the_hostile_graph(tmp_path, hostile_graph):
    if shutil.which("rapper") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (raptor2-utils) must be installed in CI")
        pytest.skip("rapper not installed")
    for fmt, name in (("ttl", "turtle"), ("nt", "ntriples"), ("xml", "rdfxml")):
        path = write_graph(hostile_graph, tmp_path / f"h.{fmt}", fmt)
        proc = subprocess.run(["rapper", "-i", name, "-c", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, (fmt, proc.stderr[-500:])


def test_iris_are_clean(hostile_graph):
    from rdflib import URIRef

    for triple in hostile_graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith("https://w3id.org/kg/id/"):
                tail = str(term)[len("https://w3id.org/kg/id/"):]
                assert all(c.isalnum() or c in "-/#=,." for c in tail), term


def test_text_survives_exactly(hostile_graph):
    from kg.ns import NIF

    texts = [str(o) for o in hostile_graph.objects(None, NIF.isString)]
    assert any("<script>alert(1)</script>" in t and '"""' in t for t in texts)
