"""Every output format parses back, in rdflib and (when installed) rapper and
pyoxigraph; named graphs hold each document's statements."""

import json
import shutil
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import partition, read_graph, serialize, write_graph
from kg.store import triples_graph
from kg.ns import SCHEMA

from conftest import ROOT


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_triple_formats_round_trip(seeds_graph, fmt, rdflib_format):
    data = serialize(seeds_graph, fmt)
    back = Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(back, seeds_graph)


@pytest.mark.parametrize("fmt, rdflib_format", [("nq", "nquads"), ("trig", "trig")])
def test_quad_formats_put_each_document_in_its_own_graph(seeds_graph, fmt, rdflib_format):
    ds = Dataset()
    ds.parse(data=serialize(seeds_graph, fmt), format=rdflib_format)
    union = Graph()
    for q in ds.quads((None, None, None, None)):
        union.add(q[:3])
    assert isomorphic(union, seeds_graph)
    docs = {str(d) for d in seeds_graph.subjects(None, SCHEMA.NewsArticle)}
    names = {str(c.identifier) for c in ds.contexts() if len(c)}
    assert docs <= names


def test_partition_keeps_entities_in_the_default_graph(seeds_graph):
    parts = partition(seeds_graph)
    assert sum(len(g) for g in parts.values()) == len(seeds_graph)
    from rdflib.namespace import RDF
    from kg.ns import KGO

    default = parts[None]
    assert any(default.triples((None, RDF.type, KGO.Person)))
    assert not any(default.triples((None, RDF.type, KGO.Mention)))


def test_ntriples_are_sorted_and_deterministic(seeds_graph):
    a = serialize(seeds_graph, "nt")
    lines = a.decode().splitlines()
    assert lines == sorted(lines)
    assert serialize(seeds_graph, "nt") == a


def test_jsonld_uses_the_published_context(seeds_graph):
    doc = json.loads(serialize(seeds_graph, "jsonld"))
    assert doc["@context"]["kgo"] == "https://w3id.org/kg/ontology#"


def test_rapper_accepts_every_format(tmp_path, seeds_graph):
    import os

    if shutil.which("rapper") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (raptor2-utils) must be installed in CI")
        pytest.skip("rapper not installed")
    for fmt, name in (("ttl", "turtle"), ("nt", "ntriples"), ("nq", "nquads"), ("trig", "trig"), ("xml", "rdfxml")):
        path = write_graph(seeds_graph, tmp_path / f"g.{fmt}", fmt)
        proc = subprocess.run(["rapper", "-i", name, "-c", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, (fmt, proc.stderr[-500:])
        assert f"returned {len(seeds_graph)} " in proc.stderr or fmt in ("nq", "trig"), proc.stderr[-300:]


def test_pyoxigraph_parses_every_format(seeds_graph):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    for fmt, rf in (("ttl", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
                    ("nq", pyoxigraph.RdfFormat.N_QUADS), ("trig", pyoxigraph.RdfFormat.TRIG),
                    ("jsonld", pyoxigraph.RdfFormat.JSON_LD)):
        quads = list(pyoxigraph.parse(serialize(seeds_graph, fmt), format=rf))
        assert len(quads) == len(seeds_graph), fmt


def test_read_graph_reads_quads_as_their_union(tmp_path, seeds_graph):
    path = write_graph(seeds_graph, tmp_path / "g.nq")
    back = read_graph(path)
    assert len(back) == len(seeds_graph)
    assert isomorphic(triples_graph(back), seeds_graph)
    assert serialize(back, "nt") == serialize(seeds_graph, "nt")  # a dataset is written as its union


def test_kg_export_cli(tmp_path, seeds_out):
    out_dir = seeds_out.outputs["turtle"].parent
    target = tmp_path / "g.trig"
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "--graph", str(out_dir), "--format", "trig",
                           "--out", str(target)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    ds = Dataset()
    ds.parse(target, format="trig")
    assert len(list(ds.quads((None, None, None, None)))) == len(seeds_out.graph)


def test_outputs_get_the_usual_file_mode(tmp_path, seeds_graph):
    import os
    import stat

    path = write_graph(seeds_graph, tmp_path / "g.ttl")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
