"""kg.pipeline: the build runs its stages in order, ingest -> extract ->
resolve -> events -> graph -> outputs, on a real seed document."""

from __future__ import annotations

import pytest

import kg.events
import kg.graph
import kg.ingest
import kg.nlp.extract
import kg.resolve
import kg.turtle
from kg.pipeline import build, build_graph_from_texts

from conftest import SEEDS

SEED = SEEDS / "000_d337aa177af2950f.txt"


@pytest.fixture
def stages(monkeypatch):
    """Each stage's entry point, wrapped to log when it is called (and, for
    the streaming ones, when each item comes out)."""
    log: list[str] = []

    def called(module, name, stage):
        real = getattr(module, name)

        def spy(*args, **kwargs):
            log.append(stage)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)

    def streamed(module, name, stage):
        real = getattr(module, name)

        def spy(*args, **kwargs):
            for item in real(*args, **kwargs):
                log.append(stage)
                yield item

        monkeypatch.setattr(module, name, spy)

    streamed(kg.ingest, "iter_documents", "ingest")
    streamed(kg.nlp.extract, "extract", "extract")
    called(kg.resolve, "resolve", "resolve")
    called(kg.events, "resolve_events", "events")
    called(kg.graph, "build_graph", "graph")
    called(kg.graph, "add_document_statements", "graph")
    called(kg.turtle, "write_turtle_from_ntriples", "outputs")
    return log


def _runs(log: list[str]) -> list[str]:
    """The log with repeats folded: the order in which the stages ran."""
    return [stage for i, stage in enumerate(log) if i == 0 or log[i - 1] != stage]


def test_build_runs_its_stages_in_order(tmp_path, stages, nlp):
    result = build([SEED], out=tmp_path, html=False, keep_graph=True)
    assert _runs(stages) == ["ingest", "extract", "resolve", "events", "graph", "outputs"]
    assert len(result.extractions) == 1 and result.outputs["turtle"] == tmp_path / "graph.ttl"
    assert result.triples == len(result.graph) > 0


def test_a_build_without_a_python_graph_makes_its_statements_while_writing(tmp_path, stages, nlp):
    """keep_graph=False (what `kg build` does): no rdflib graph; the graph
    stage's statements are made document by document as the outputs are written."""
    result = build([SEED], out=tmp_path, html=False, keep_graph=False)
    assert _runs(stages) == ["ingest", "extract", "resolve", "events", "graph", "outputs"]
    assert result._graph is None and "graph" in stages
    assert len(result.graph) == result.triples  # opened from the store on first use


def test_build_graph_from_texts_runs_the_stages_in_memory(stages, nlp):
    result = build_graph_from_texts(["Xi Jinping met Joe Biden in Beijing on Monday."])
    assert _runs(stages) == ["extract", "resolve", "events", "graph"]  # no files: no ingest of paths, no outputs
    assert result.outputs == {} and len(result.extractions) == 1
    assert {e.label for e in result.resolution.entities} >= {"Xi Jinping", "Joe Biden", "Beijing"}
