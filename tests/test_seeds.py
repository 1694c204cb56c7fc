"""What the foundation promises about the seeds' graph."""

import subprocess
import sys

from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from helpers import all_entity_labels, entities, nodes_labelled
from kg.ns import KGO, NIF, SCHEMA, WD

from conftest import ROOT, SEEDS


def test_exactly_one_xi_jinping_with_president_as_surface_form(seeds_graph):
    people = entities(seeds_graph, "Person")
    assert "Xi Jinping" in people
    assert len(nodes_labelled(seeds_graph, "Xi Jinping")) == 1
    xi = people["Xi Jinping"]
    alts = {str(a) for a in seeds_graph.objects(xi, SKOS.altLabel)}
    assert "President Xi Jinping" in alts
    assert not any("Xi" in label and label != "Xi Jinping" for label in people)


def test_countries_organisations_initiatives_places(seeds_graph):
    countries = entities(seeds_graph, "Country")
    assert {"Russia", "Ethiopia", "China"} <= set(countries)
    assert "United Nations" in entities(seeds_graph, "Organization")
    assert "Belt and Road Initiative" in entities(seeds_graph, "Initiative")
    places = entities(seeds_graph, "Place")
    assert "Addis Ababa" in places and "Addis Ababa" not in countries


def test_cities_are_not_countries(seeds_graph):
    countries = set(entities(seeds_graph, "Country"))
    assert not countries & {"Beijing", "Geneva", "New York", "Bangkok", "Bali", "Xiamen", "Hatay Province"}


def test_brics_is_not_a_place(seeds_graph):
    assert "BRICS" not in entities(seeds_graph, "Place")
    assert "BRICS" in entities(seeds_graph, "Organization")


def test_no_junk_entities(seeds_graph):
    labels = all_entity_labels(seeds_graph)
    assert not labels & {"Ideas", "Insist", "Arriving", "Olympic", "Peace"}
    assert not any(label.startswith(("the ", "The ", '"')) or label.endswith(("'s", '"')) for label in labels)


def test_every_entity_links_to_the_documents_that_mention_it(seeds_graph):
    docs = set(seeds_graph.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(docs) == 2
    for t in ("Person", "Country", "Organization", "Place", "Initiative", "Event"):
        for node in entities(seeds_graph, t).values():
            linked = set(seeds_graph.objects(node, KGO.mentionedIn))
            assert linked and linked <= docs


def test_shared_entities_merge_across_the_two_seeds(seeds_graph):
    cs = entities(seeds_graph, "Initiative")
    shared = [n for n in cs.values() if len(set(seeds_graph.objects(n, KGO.mentionedIn))) == 2]
    assert shared, "the two translations share initiatives"


def test_wikidata_links(seeds_graph):
    assert (entities(seeds_graph, "Country")["China"], OWL.sameAs, WD.Q148) in seeds_graph
    assert (entities(seeds_graph, "Country")["Russia"], OWL.sameAs, WD.Q159) in seeds_graph
    assert (entities(seeds_graph, "Organization")["United Nations"], OWL.sameAs, WD.Q1065) in seeds_graph
    assert (entities(seeds_graph, "Person")["Xi Jinping"], OWL.sameAs, WD.Q15031) in seeds_graph


def test_mentions_point_to_sentences_that_contain_them(seeds_graph):
    checked = 0
    for m in seeds_graph.subjects(RDF.type, KGO.Mention):
        sent = seeds_graph.value(m, NIF.sentence)
        anchor = str(seeds_graph.value(m, NIF.anchorOf))
        assert anchor in str(seeds_graph.value(sent, NIF.anchorOf))
        doc = seeds_graph.value(m, NIF.referenceContext)
        text = str(seeds_graph.value(doc, NIF.isString))
        b, e = int(seeds_graph.value(m, NIF.beginIndex)), int(seeds_graph.value(m, NIF.endIndex))
        assert text[b:e] == anchor
        checked += 1
    assert checked > 100


def test_page_furniture_became_metadata(seeds_graph):
    docs = list(seeds_graph.subjects(RDF.type, SCHEMA.NewsArticle))
    editors = {str(o) for d in docs for o in seeds_graph.objects(d, SCHEMA.editor)}
    assert "He Chuanning" in editors
    texts = " ".join(str(seeds_graph.value(d, NIF.isString)) for d in docs)
    assert "Recommended Reading" not in texts and "Special statement" not in texts


def test_turtle_parses_and_round_trips(seeds_out):
    ttl = seeds_out.outputs["turtle"].read_text("utf-8")
    assert "ns1:" not in ttl
    parsed = Graph().parse(data=ttl, format="turtle")
    assert isomorphic(parsed, seeds_out.graph)


def test_turtle_is_valid_for_rapper_when_available(seeds_out):
    import shutil

    if shutil.which("rapper") is None:
        import pytest

        pytest.skip("rapper (raptor2-utils) is not installed")
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(seeds_out.outputs["turtle"])],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_two_runs_give_byte_identical_turtle(tmp_path, seeds_out):
    # A separate process with another hash seed: nothing may depend on set order.
    out = tmp_path / "again"
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (out / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (out / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
