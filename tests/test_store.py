"""The Oxigraph store written by kg build, used through rdflib."""

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.store import open_graph, open_store_graph


def _plain(term):
    """Oxigraph returns plain literals typed xsd:string and canonical decimals."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term), lang=term.language)
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        return ("decimal", term.toPython())
    return term


def test_the_build_writes_a_store_with_the_same_triples(seeds_out):
    out = seeds_out.outputs["turtle"].parent
    assert (out / "store").is_dir()
    store = open_store_graph(out)
    assert len(store) == len(seeds_out.graph)
    same = {tuple(_plain(t) for t in triple) for triple in store}
    assert same == {tuple(_plain(t) for t in triple) for triple in seeds_out.graph}


def test_named_queries_give_the_same_answers_from_the_store(seeds_out):
    from importlib import resources

    out = seeds_out.outputs["turtle"].parent
    store = open_graph(out / "store")
    for name in ("visits", "initiatives", "timeline"):
        query = resources.files("kg.queries").joinpath(f"{name}.rq").read_text("utf-8")
        # an empty GROUP_CONCAT is "" in rdflib and unbound in Oxigraph
        mem = sorted(tuple("" if v is None else str(v) for v in row) for row in seeds_out.graph.query(query))
        oxi = sorted(tuple("" if v is None else str(v) for v in row) for row in store.query(query))
        if name == "timeline":  # GROUP_CONCAT order is not defined by SPARQL
            mem = sorted(tuple(sorted(r[-1].split(", "))) + r[:-1] for r in mem)
            oxi = sorted(tuple(sorted(r[-1].split(", "))) + r[:-1] for r in oxi)
        assert mem == oxi, name


def test_run_query_sends_the_text_to_oxigraph(seeds_out, monkeypatch):
    """kg's query API lets Oxigraph evaluate queries on a store (rdflib's own
    engine, handed a parsed query, would scan the store triple by triple)."""
    from kg.query import run_query

    out = seeds_out.outputs["turtle"].parent
    store = open_graph(out / "store")
    sent = []
    real = type(store).query

    def spy(self, query, *args, **kwargs):
        sent.append(type(query).__name__)
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(type(store), "query", spy)
    rows = list(run_query(store, "visits"))
    assert sent == ["str"]
    assert sorted(tuple(map(str, r)) for r in rows) == sorted(tuple(map(str, r)) for r in run_query(seeds_out.graph, "visits"))
    # kg's prefixes need no PREFIX lines; bindings are passed on
    xi = next(iter(run_query(store, "SELECT ?p WHERE { ?p rdfs:label \"Xi Jinping\" }")))[0]
    found = list(run_query(store, "SELECT ?label WHERE { ?p rdfs:label ?label }", {"p": f"<{xi}>"}))
    assert [str(r[0]) for r in found] == ["Xi Jinping"]


def test_a_file_loaded_in_slices_holds_every_triple(tmp_path, monkeypatch, seeds_out):
    import kg.store as store_module
    from kg.export import serialize

    nt = tmp_path / "graph.nt"
    nt.write_bytes(serialize(seeds_out.graph, "nt"))
    lines = nt.read_bytes().count(b"\n")
    monkeypatch.setattr(store_module, "BULK_BYTES", 5000)  # hundreds of slices
    store_module.write_store(nt, tmp_path)
    assert lines > 2000
    assert len(open_store_graph(tmp_path)) == len(seeds_out.graph)


def test_lines_longer_than_a_slice_and_no_final_newline_load_whole(tmp_path, monkeypatch):
    import kg.store as store_module

    long = "x" * 10_000
    nt = tmp_path / "graph.nt"
    nt.write_text(f'<urn:a> <urn:p> "{long}" .\n<urn:a> <urn:p> "short" .\n<urn:b> <urn:p> <urn:c> .', "utf-8")
    monkeypatch.setattr(store_module, "BULK_BYTES", 100)
    store_module.write_store(nt, tmp_path)
    values = sorted(str(o) for o in open_store_graph(tmp_path).objects())
    assert values == ["short", "urn:c", long]


def test_turtle_writer_reports_a_failing_output_and_does_not_hang(seeds_out):
    import errno

    import pytest

    from kg.ns import PREFIXES
    from kg.turtle import write_turtle_from_store

    class Full:
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    inner = open_store_graph(seeds_out.outputs["turtle"].parent).store._store
    with pytest.raises(OSError, match="No space"):
        write_turtle_from_store(inner, Full(), PREFIXES)


def test_turtle_writer_reports_a_failing_store_instead_of_a_short_file():
    import io

    import pytest

    from kg.turtle import write_turtle_from_store

    class Broken:
        def dump(self, sink, **kw):
            sink.write(b"<http://a/s> <http://a/p> <http://a/o> .\n")
            raise OSError("store closed")

    out = io.BytesIO()
    with pytest.raises(OSError, match="store closed"):
        write_turtle_from_store(Broken(), out, {})


def test_an_ntriples_file_loads_into_an_in_memory_store(tmp_path, seeds_out):
    from kg.errors import ExportError
    from kg.export import serialize
    from kg.store import memory_store_graph

    nt = tmp_path / "graph.nt"
    nt.write_bytes(serialize(seeds_out.graph, "nt"))
    graph = memory_store_graph(nt)
    assert {tuple(_plain(t) for t in triple) for triple in graph} == \
        {tuple(_plain(t) for t in triple) for triple in seeds_out.graph}
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(ExportError, match="bad.nt"):
        memory_store_graph(bad)
    with pytest.raises(ExportError):
        memory_store_graph(tmp_path / "missing.nt")


def _write_slowly(path, pieces, written, *, give_up=False):
    """Append *pieces* to *path* a little at a time, then say it is complete (or give up)."""
    import time

    with open(path, "ab") as fh:
        for piece in pieces:
            fh.write(piece)
            fh.flush()
            time.sleep(0.002)
    if give_up:
        written.abandon()
    else:
        written.complete()


def test_a_file_is_followed_as_it_is_written(tmp_path):
    import threading

    from kg.store import Writing, follow_lines

    lines = [f'<urn:s{i}> <urn:p> "{"x" * (i % 97)}" .\n'.encode() for i in range(3000)]
    data = b"".join(lines)
    pieces = [data[i:i + 997] for i in range(0, len(data), 997)]  # lines cut anywhere
    path = tmp_path / "growing.nt"
    path.write_bytes(b"")
    written = Writing()
    writer = threading.Thread(target=_write_slowly, args=(path, pieces, written))
    writer.start()
    slices = list(follow_lines(path, written.state, size=4096))
    writer.join()
    assert b"".join(slices) == data
    assert len(slices) > 10 and all(s.endswith(b"\n") for s in slices)


def test_a_store_whose_writer_gives_up_is_not_written(tmp_path, seeds_out):
    import threading

    from kg.errors import ExportError
    from kg.export import serialize
    from kg.store import Writing, write_store

    write_store(serialize(seeds_out.graph, "nt"), tmp_path)  # a store from an earlier build
    path = tmp_path / "growing.nt"
    path.write_bytes(b"")
    written = Writing()
    writer = threading.Thread(target=_write_slowly, args=(path, [b"<urn:a> <urn:p> <urn:b> .\n"] * 50, written),
                              kwargs={"give_up": True})
    writer.start()
    with pytest.raises(ExportError, match="not completed"):
        write_store(path, tmp_path, state=written.state)
    writer.join()
    assert len(open_store_graph(tmp_path)) == len(seeds_out.graph)  # the earlier store is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["growing.nt", "store"]
