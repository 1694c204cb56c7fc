"""kg.store.open_graph: every kind of input opens, with one quads policy, on
real rdflib graphs and real Oxigraph stores."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

import kg.store as store_module
from kg.errors import ExportError
from kg.export import serialize
from kg.outputs import Generation
from kg.query import run_query
from kg.store import open_graph, open_store_graph, oxigraph_store, triples_graph, write_store

A, B = URIRef("https://w3id.org/kg/id/person/ada"), URIRef("https://w3id.org/kg/id/person/bob")
KNOWS = URIRef("https://w3id.org/kg/ontology#metWith")
G1, G2 = URIRef("https://w3id.org/kg/id/doc/one"), URIRef("https://w3id.org/kg/id/doc/two")


@pytest.fixture
def tiny() -> Graph:
    g = Graph()
    g.add((A, RDFS.label, Literal("Ada")))
    g.add((B, RDFS.label, Literal("Bob")))
    g.add((A, KNOWS, B))
    return g


def _quads(tiny: Graph) -> Dataset:
    ds = Dataset()
    ds.add((A, RDFS.label, Literal("Ada"), G1))
    ds.add((A, KNOWS, B, G1))
    ds.add((B, RDFS.label, Literal("Bob"), G2))
    return ds


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"),
                                        (".rdf", "xml"), (".owl", "xml")])
def test_a_triples_file_opens_as_a_plain_graph(tmp_path, tiny, suffix, fmt):
    path = tmp_path / f"g{suffix}"
    tiny.serialize(path, format=fmt)
    graph = open_graph(path)
    assert not graph.context_aware
    assert isomorphic(graph, tiny)
    assert oxigraph_store(graph) is None
    assert triples_graph(graph) is graph


@pytest.mark.parametrize("suffix,fmt", [(".nq", "nquads"), (".trig", "trig")])
def test_quads_open_as_a_dataset_whose_default_graph_is_their_union(tmp_path, tiny, suffix, fmt):
    path = tmp_path / f"g{suffix}"
    _quads(tiny).serialize(path, format=fmt)
    graph = open_graph(path)
    assert isinstance(graph, Dataset)
    assert len(graph) == 3 and (A, KNOWS, B) in graph  # plain patterns see every graph
    rows = run_query(graph, "SELECT ?g ?s WHERE { GRAPH ?g { ?s rdfs:label ?o } }")
    assert sorted((str(r.g), str(r.s)) for r in rows) == [(str(G1), str(A)), (str(G2), str(B))]
    union = triples_graph(graph)  # for writers: one plain graph
    assert not union.context_aware and isomorphic(union, tiny)
    assert serialize(graph, "nt") == serialize(tiny, "nt")


def test_a_build_folder_opens_its_current_turtle(tmp_path, tiny):
    generation = Generation(tmp_path)
    (generation.path / "graph.ttl").write_bytes(serialize(tiny, "ttl"))
    generation.commit()
    graph = open_graph(tmp_path)
    assert oxigraph_store(graph) is None and isomorphic(graph, tiny)


def test_a_build_folder_with_a_large_turtle_opens_its_store(tmp_path, tiny, monkeypatch):
    generation = Generation(tmp_path)
    (generation.path / "graph.ttl").write_bytes(serialize(tiny, "ttl"))
    write_store(serialize(tiny, "nt"), generation.path)
    generation.commit()
    assert oxigraph_store(open_graph(tmp_path)) is None  # small: parsed
    monkeypatch.setattr(store_module, "STORE_THRESHOLD_BYTES", 0)
    graph = open_graph(tmp_path)
    assert oxigraph_store(graph) is not None
    assert len(graph) == 3 and str(graph.value(A, RDFS.label)) == "Ada"  # typed xsd:string by Oxigraph


def test_a_store_folder_opens_as_an_oxigraph_graph(tmp_path, tiny):
    target = write_store(serialize(tiny, "nt"), tmp_path)
    for graph in (open_graph(target), open_store_graph(tmp_path)):
        inner = oxigraph_store(graph)
        assert inner is not None and len(inner) == 3
        assert set(graph.objects(A, KNOWS)) == {B}
        assert triples_graph(graph) is graph


def test_a_file_with_an_unknown_suffix_is_read_as_turtle(tmp_path, tiny):
    path = tmp_path / "graph.txt"
    path.write_bytes(serialize(tiny, "ttl"))
    assert isomorphic(open_graph(path), tiny)


def test_nothing_there_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="no graph at .*graph.ttl"):
        open_graph(tmp_path)
    with pytest.raises(ExportError, match="no graph at .*missing.ttl"):
        open_graph(tmp_path / "missing.ttl")
    with pytest.raises(ExportError, match="no store at"):
        open_store_graph(tmp_path / "store")


@pytest.mark.parametrize("name", ["bad.ttl", "bad.nq", "bad.trig"])
def test_a_file_that_does_not_parse_is_an_export_error_naming_it(tmp_path, name):
    path = tmp_path / name
    path.write_text("<urn:a> <urn:b> .\n", "utf-8")
    with pytest.raises(ExportError, match=f"cannot parse .*{name}"):
        open_graph(path)
