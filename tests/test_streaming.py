"""Large corpora stream: no extraction stays in memory; resolution, events
and the graph read them back from the build cache one document at a time.
The output is the same as the in-memory path's."""

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS

import kg.run.pageproc as pageproc
import kg.run.spill as spill
from kg.pipeline import build

from conftest import SEEDS


def test_streaming_path_writes_the_same_turtle(tmp_path, monkeypatch, seeds_out):
    monkeypatch.setattr(spill, "KEEP_GRAPH_DOCS", 1)
    result = build([SEEDS], out=tmp_path, html=True)
    assert (tmp_path / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    # the extractions were left on disk, not kept in memory, and read back whole
    assert result.extractions.spilled and not result.extractions.held
    assert list(result.extractions) == list(seeds_out.extractions)
    counts = [line for line in result.summary().splitlines() if not line.startswith(tuple(result.outputs))]
    assert counts == [line for line in seeds_out.summary().splitlines() if not line.startswith(tuple(seeds_out.outputs))]
    # BuildResult.graph is a graph over the store
    assert len(result.graph) == len(seeds_out.graph)
    assert any(True for _ in result.graph.subjects(RDFS.label, Literal("Xi Jinping")))
    assert (tmp_path / "graph.html").exists()


def test_no_python_graph_path_writes_the_same_outputs(tmp_path, monkeypatch, seeds_out):
    import kg.store

    opened = []
    real_open = kg.store.open_store_graph
    monkeypatch.setattr(kg.store, "open_store_graph", lambda path: opened.append(path) or real_open(path))
    result = build([SEEDS], out=tmp_path, keep_graph=False)
    assert (tmp_path / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    # the triples were counted as the Turtle was written; the store is opened on first use of the graph
    assert result.triples == len(seeds_out.graph) == seeds_out.triples
    assert opened == []
    assert len(result.graph) == len(seeds_out.graph)
    assert opened == [tmp_path]


@pytest.fixture
def page_jobs(monkeypatch):
    """The jobs handed to page processes (the keyword arguments of start)."""
    started = []
    real = pageproc.PageProcess

    class Spy(real):
        def start(self, *args, **kwargs):
            started.append(list(kwargs))
            super().start(*args, **kwargs)

        def follow(self, *args, **kwargs):
            started.append(["follow"])
            super().follow(*args, **kwargs)

        def read_store(self, *args, **kwargs):
            started.append(["store"])
            super().read_store(*args, **kwargs)

    monkeypatch.setattr(pageproc, "PageProcess", Spy)
    return started


@pytest.mark.parametrize("keep", [False, True], ids=["followed as written", "finished file"])
def test_page_made_in_a_second_process_is_the_same(tmp_path, page_jobs, seeds_out, keep):
    result = build([SEEDS], out=tmp_path, keep_graph=keep)
    assert page_jobs == ([["ntriples"]] if keep else [["follow"]]), "the page was not made in a second process"
    assert result.outputs["html"] == tmp_path / "graph.html"
    from kg.viz import render_html

    here = render_html(seeds_out.graph).encode("utf-8")  # the in-memory graph, in this process
    assert (tmp_path / "graph.html").read_bytes() == here
    assert not (tmp_path / ".kg" / "graph.nt").exists()


@pytest.mark.parametrize("keep", [False, True], ids=["followed as written", "finished file"])
def test_page_process_reads_the_store_when_the_graph_is_large(tmp_path, monkeypatch, page_jobs, seeds_out, keep):
    monkeypatch.setattr(pageproc, "PAGE_MEMORY_BYTES", 10)
    build([SEEDS], out=tmp_path, keep_graph=keep)
    assert page_jobs == ([["store"]] if keep else [["follow"], ["store"]])
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()


def test_a_large_graph_without_a_store_gets_its_page_here(tmp_path, monkeypatch, page_jobs, seeds_out):
    monkeypatch.setattr(pageproc, "PAGE_MEMORY_BYTES", 10)
    result = build([SEEDS], out=tmp_path, keep_graph=False, store=False)
    assert page_jobs == [["follow"]] and "store" not in result.outputs
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()


def test_page_process_takes_any_output_path(tmp_path, monkeypatch, seeds_out):
    """The store and page paths reach the waiting child intact, whatever they hold."""
    import kg.viz

    def not_here(*args, **kwargs):
        raise AssertionError("the page was made in this process, not the child")

    monkeypatch.setattr(kg.viz, "write_html", not_here)
    out = tmp_path / "out\tß \"q\" x"
    build([SEEDS], out=out, keep_graph=False)
    assert (out / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()


def test_a_failing_page_process_falls_back_to_this_one(tmp_path, monkeypatch, seeds_out):
    monkeypatch.setattr(pageproc.PageProcess, "CODE", "raise SystemExit(3)")
    build([SEEDS], out=tmp_path, keep_graph=False)
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()


def test_with_workers_the_page_process_starts_when_the_nlp_ends(tmp_path, monkeypatch, seeds_out, nlp):
    """The model is loaded, so spaCy's workers will keep both cores busy: the
    page process is not started before them, and only for large enough builds."""
    from kg.nlp.pipeline import pipeline_loaded

    assert pipeline_loaded()
    spawned = []
    real = pageproc.PageProcess.spawn.__func__

    def spy(cls):
        spawned.append(len(list((tmp_path / "small" / ".kg" / "extractions").rglob("*.json"))))
        return real(cls)

    monkeypatch.setattr(pageproc.PageProcess, "spawn", classmethod(spy))
    build([SEEDS], out=tmp_path / "small", keep_graph=False, workers=2)
    assert spawned == []  # two documents: the page is made in-process
    monkeypatch.setattr(pageproc, "PARALLEL_PAGE_DOCS", 1)
    build([SEEDS], out=tmp_path / "small", keep_graph=False, workers=2, fresh=True)
    assert spawned == [2], "started before the workers had written their documents"
    assert (tmp_path / "small" / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()


def test_a_build_that_fails_while_writing_the_graph_leaves_the_last_outputs(tmp_path, monkeypatch, seeds_out):
    """The store and the page follow the statements as they are written; a
    failure there stops them, and the last build's files stay as they were."""
    import kg.graph
    from kg.store import open_store_graph

    build([SEEDS], out=tmp_path, keep_graph=False)
    before = {name: (tmp_path / name).read_bytes() for name in ("graph.ttl", "graph.html")}

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kg.graph, "add_corpus_statements", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build([SEEDS], out=tmp_path, keep_graph=False)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert len(open_store_graph(tmp_path)) == len(seeds_out.graph)
    assert not (tmp_path / ".kg" / "graph.nt").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store"]
