"""The output choreography of a build: how ``graph.ttl``, ``store/``,
``merges.tsv`` and ``graph.html`` are written, together.

The outputs go into a new generation of the build folder and are switched
in at once (:mod:`kg.outputs`). The graph's statements are serialised to
N-Triples (from the in-memory graph, or streamed document by document with
:class:`kg.export.NTriplesSink` when there is none); Oxigraph loads the
store from that file in a thread (it runs without the interpreter lock);
the page process (:mod:`kg.run.pageproc`) loads the file too, as it grows or
once it is finished, or reads the store when the graph is too large for its
memory; the Turtle is sorted on disk in runs and merged
(:func:`kg.turtle.write_turtle_from_ntriples`), so memory stays flat and its
order depends only on the graph.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from . import pageproc

__all__ = ["Written", "merge_tsv", "write_outputs", "write_statements"]


class Written(NamedTuple):
    """What :func:`write_outputs` wrote."""

    #: output name (``store``, ``turtle``, ``merge log``, ``html``) -> its path in the build folder
    outputs: dict[str, Path]
    #: the number of triples in ``graph.ttl`` (counted as it was written)
    triples: int
    #: opens the written graph (the store, or else ``graph.ttl``) when called
    open_graph: Callable[[], object]


def write_outputs(out, graph, extractions, resolution, events, *, html, timings, store, keep, page,
                  progress) -> Written:
    """Write the outputs of a build into the build folder *out*, all of
    them or none (a failure leaves the last complete set).

    *graph* is the build's rdflib graph if it was made in memory (*keep*),
    else None: the statements are then made again, one document of
    *extractions* at a time, and streamed. *page* is the build's
    :class:`~kg.run.pageproc.PageProcess`, or None (the page is then made
    here)."""
    from ..export import read_graph
    from ..outputs import Generation
    from ..store import open_store_graph

    out = Path(out)
    generation = Generation(out)
    outputs: dict[str, Path] = {}
    try:
        triples = _write_outputs(outputs, generation.path, graph, extractions, resolution, events, html=html,
                                 timings=timings, store=store, keep=keep, page=page, progress=progress)
        generation.commit()
    except BaseException:
        if page is not None:
            page.kill()  # before its folder goes
        generation.abandon()
        raise
    for name, key in (("graph.ttl", "turtle"), ("merges.tsv", "merge log"), ("store", "store"),
                      ("graph.html", "html")):
        if key in outputs:
            outputs[key] = out / name
    turtle = outputs["turtle"]
    open_graph = (lambda: open_store_graph(out)) if store else (lambda: read_graph(turtle))
    return Written(outputs, triples, open_graph)


def _write_outputs(outputs, folder, graph, extractions, resolution, events, *, html, timings, store, keep, page,
                   progress) -> int:
    """Write the outputs of a build into *folder* (its generation's), their
    paths into *outputs*; the number of triples."""
    from ..export import read_graph
    from ..files import atomic_write, atomic_writer

    t = time.perf_counter()
    from concurrent.futures import ThreadPoolExecutor

    from ..export import NTriplesSink, serialize
    from ..ns import PREFIXES
    from ..store import Writing, open_store_graph, store_path, write_store
    from ..turtle import write_turtle_from_ntriples

    ntriples_file = None
    # Oxigraph loads the store without the interpreter lock: in a thread, beside the graph's statements and the Turtle.
    with ThreadPoolExecutor(1, thread_name_prefix="kg-store") as pool:
        loading = None
        if keep:
            ntriples = serialize(graph, "nt")
            if page is not None and len(ntriples) <= pageproc.PAGE_MEMORY_BYTES:
                ntriples_file = atomic_write(folder / "graph.nt", ntriples, fsync=False)
                page.start(folder / "graph.html", ntriples=ntriples_file)
            if store:
                loading = pool.submit(write_store, ntriples, folder)
        else:
            # Each document's statements stream to N-Triples, one document in memory at a time; the
            # store and the page's process load the file as it grows.
            ntriples = ntriples_file = folder / "graph.nt"
            written = Writing()
            fh = open(ntriples, "wb")
            if store:
                loading = pool.submit(write_store, ntriples, folder, state=written.state)
            if page is not None:
                page.follow(folder / "graph.html", ntriples, limit=pageproc.PAGE_MEMORY_BYTES)
            try:
                with fh:
                    write_statements(NTriplesSink(fh), progress.each(extractions, "documents"), resolution, events)
            except BaseException as err:
                if isinstance(err, OSError) and err.filename is None:
                    err.filename = str(ntriples)  # for the message (a full disk)
                written.abandon()  # the store's loader stops; the old store stays
                ntriples.unlink(missing_ok=True)
                raise
            written.complete()
            if page is not None:
                page.complete(in_memory=ntriples.stat().st_size <= pageproc.PAGE_MEMORY_BYTES, store_coming=store)
            timings["graph"] += time.perf_counter() - t
            t = time.perf_counter()
        store_done = False
        if loading is not None and page is not None and (page.path is None or page.needs_store):
            progress.stage("store")
            loading.result()  # the page is read from the store
            store_done = True
            if page.path is None:
                page.start(folder / "graph.html", store=store_path(folder))
            else:
                page.read_store(store_path(folder))
        # Sorted on disk in runs and merged: flat memory, and the order depends only on the graph.
        progress.stage("Turtle")
        with atomic_writer(folder / "graph.ttl") as fh:
            triples = write_turtle_from_ntriples(ntriples, fh, PREFIXES, tmpdir=folder)
        if loading is not None:
            if not store_done:
                progress.stage("store")
            outputs["store"] = loading.result()
    outputs["turtle"] = folder / "graph.ttl"
    outputs["merge log"] = atomic_write(folder / "merges.tsv", merge_tsv(resolution.merges))
    timings["serialisation"] += time.perf_counter() - t
    if html:
        from ..viz import write_html

        t = time.perf_counter()
        progress.stage("page")
        made = page.wait() if page is not None and page.path is not None else None
        if made is None:
            # the graph of this build, which is not current yet
            page_graph = graph
            if page_graph is None:
                page_graph = open_store_graph(folder) if store else read_graph(folder / "graph.ttl")
            made = write_html(page_graph, folder / "graph.html")
        outputs["html"] = made
        timings["html"] += time.perf_counter() - t
    if ntriples_file is not None:
        ntriples_file.unlink(missing_ok=True)
    return triples


def write_statements(sink, extractions, resolution, events) -> None:
    """Every document's statements, then the corpus's, to *sink* (anything
    with an ``add(triple)`` method)."""
    from ..graph import add_corpus_statements, add_document_statements

    by_doc = defaultdict(list)
    for ev in events:
        for doc_id, _, _ in ev.evidence:
            by_doc[doc_id].append(ev)
    for ex in extractions:
        add_document_statements(sink, ex, resolution, by_doc.get(ex.doc.id, ()))
    add_corpus_statements(sink, resolution, events)


def merge_tsv(merges) -> bytes:
    """The merge log (``merges.tsv``) of a resolution's *merges*: one row a
    merge, tab-separated, with a header."""
    def cell(value: str | None) -> str:
        return (value or "").replace("\t", " ").replace("\n", " ")

    rows = ["entity\tname\treason\tdocument"]
    rows += [f"{cell(m.entity)}\t{cell(m.name)}\t{cell(m.reason)}\t{cell(m.doc_id)}" for m in merges]
    return ("\n".join(rows) + "\n").encode("utf-8")
