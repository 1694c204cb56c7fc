"""Large corpora stream: documents' statements are written one document at a
time from the build cache, and resolution works on compact records. The
output is the same as the in-memory path's."""

from rdflib import Literal
from rdflib.namespace import RDFS

import kg.builder as builder
from kg.builder import build

from conftest import SEEDS


def test_streaming_path_writes_the_same_turtle(tmp_path, monkeypatch, seeds_out):
    monkeypatch.setattr(builder, "KEEP_GRAPH_DOCS", 1)
    result = build([SEEDS], out=tmp_path, html=True)
    assert (tmp_path / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    # the texts were left on disk, not kept in memory
    assert all(ex.doc.text == "" for ex in result.extractions)
    # BuildResult.graph is a graph over the store
    assert len(result.graph) == len(seeds_out.graph)
    assert any(True for _ in result.graph.subjects(RDFS.label, Literal("Xi Jinping")))
    assert (tmp_path / "graph.html").exists()


def test_no_python_graph_path_writes_the_same_outputs(tmp_path, seeds_out):
    result = build([SEEDS], out=tmp_path, keep_graph=False)
    assert (tmp_path / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    assert len(result.graph) == len(seeds_out.graph)
