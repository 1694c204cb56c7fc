"""Write any graph (atomically, :mod:`kg.files`) in every RDF format.

Formats: Turtle (``ttl``), N-Triples (``nt``), N-Quads (``nq``), TriG
(``trig``), JSON-LD (``jsonld``, compacted with ``ontology/context.jsonld``)
and RDF/XML (``xml``). In N-Quads and TriG each document's statements — the
document node, its sentences, mentions, quotations and the reified relations
read from it — sit in a named graph named by the document's IRI; the resolved
knowledge (entities, direct relations, events) is in the default graph.
N-Triples and N-Quads are written line by line in sorted order (canonical and
streamable); Turtle goes through rdflib, whose output is deterministic for a
graph without blank nodes. A dataset (quads read by :func:`kg.store.open_graph`)
is written as the union of its graphs. Graphs are read by :mod:`kg.store`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import ExportError
from .files import atomic_writer
from .store import open_graph, oxigraph_store, triples_graph

__all__ = ["FORMATS", "NTriplesSink", "serialize", "write_graph", "read_graph", "partition", "iter_nquads", "jsonld_context"]

#: Output format name -> (rdflib format, file suffix)
FORMATS = {
    "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "nq": ("nquads", ".nq"),
    "trig": ("trig", ".trig"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
            "json-ld": "jsonld", "json": "jsonld", "rdf": "xml", "rdfxml": "xml"}


def _fmt(fmt: str) -> str:
    fmt = _ALIASES.get(fmt.lower(), fmt.lower())
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(sorted(FORMATS))}")
    return fmt


def jsonld_context() -> dict:
    """The published JSON-LD ``@context`` (``ontology/context.jsonld``)."""
    text = resources.files("kg.data").joinpath("ontology/context.jsonld").read_text("utf-8")
    return json.loads(text)["@context"]


def partition(graph: Graph) -> dict[URIRef | None, Graph]:
    """Split *graph* into the default graph (``None``) and one graph per
    document: a subject belongs to document D when it is D, or points to it
    with ``nif:referenceContext`` (sentences, mentions, quotations), or is a
    reified statement derived from D alone."""
    from rdflib.namespace import PROV, RDF

    from .ns import NIF, SCHEMA

    docs = set(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    owner: dict = {d: d for d in docs}
    for s, o in graph.subject_objects(NIF.referenceContext):
        if o in docs:
            owner[s] = o
    for st in graph.subjects(RDF.type, RDF.Statement):
        sources = set(graph.objects(st, PROV.wasDerivedFrom))
        if len(sources) == 1:
            owner[st] = next(iter(sources))
    parts: dict[URIRef | None, Graph] = {}
    for triple in graph:
        key = owner.get(triple[0])
        parts.setdefault(key, Graph()).add(triple)
    return parts


def iter_nquads(graph: Graph) -> Iterator[bytes]:
    """The N-Quads lines of *graph*'s partition, sorted (canonical)."""
    from rdflib.plugins.serializers.nt import _nt_row

    lines = []
    for context, part in partition(graph).items():
        suffix = f" <{context}> .\n" if context is not None else " .\n"
        for triple in part:
            row = _nt_row(triple)  # "<s> <p> <o> .\n"
            lines.append((row[:-3] + suffix).encode("utf-8"))
    lines.sort()
    yield from lines


def _iter_ntriples(graph: Graph) -> Iterator[bytes]:
    from rdflib.plugins.serializers.nt import _nt_row

    yield from sorted(_nt_row(t).encode("utf-8") for t in graph)


def serialize(graph: Graph, fmt: str = "ttl") -> bytes:
    """Serialise *graph* in *fmt* (see :data:`FORMATS`)."""
    fmt = _fmt(fmt)
    graph = triples_graph(graph)
    if fmt == "nt":
        return b"".join(_iter_ntriples(graph))
    if fmt == "nq":
        return b"".join(iter_nquads(graph))
    if fmt in ("ttl", "trig"):
        # Turtle and TriG are written by Oxigraph: the same bytes for the same
        # graph whatever built it, and typed literals (decimals) kept exact.
        import pyoxigraph

        from .ns import PREFIXES

        store = pyoxigraph.Store()
        if fmt == "ttl":
            from .turtle import turtle_bytes

            store.bulk_load(b"".join(_iter_ntriples(graph)), format=pyoxigraph.RdfFormat.N_TRIPLES)
            return turtle_bytes(store, PREFIXES)
        store.bulk_load(b"".join(iter_nquads(graph)), format=pyoxigraph.RdfFormat.N_QUADS)
        return store.dump(format=pyoxigraph.RdfFormat.TRIG, prefixes=dict(sorted(PREFIXES.items())))
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=jsonld_context(), sort_keys=True, indent=1,
                               encoding="utf-8")
    return graph.serialize(format=FORMATS[fmt][0], encoding="utf-8")


def write_graph(graph: Graph, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Serialise *graph* to *path* atomically (format from the suffix if not given).
    N-Triples and N-Quads are streamed line by line. A graph in an Oxigraph
    store is dumped by Oxigraph itself (Turtle, N-Triples), without passing
    every triple through Python."""
    path = Path(path)
    if fmt is None:
        fmt = path.suffix.lower().lstrip(".")
    fmt = _fmt(fmt)
    graph = triples_graph(graph)
    inner = oxigraph_store(graph)
    if inner is not None and fmt in ("nt", "ttl"):
        import pyoxigraph

        with atomic_writer(path) as fh:
            if fmt == "nt":
                inner.dump(fh, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
            else:
                from .ns import PREFIXES
                from .turtle import write_turtle_from_store

                write_turtle_from_store(inner, fh, PREFIXES)
        return path
    with atomic_writer(path) as fh:
        if fmt == "nt":
            fh.writelines(_iter_ntriples(graph))
        elif fmt == "nq":
            fh.writelines(iter_nquads(graph))
        else:
            fh.write(serialize(graph, fmt))
    return path


def read_graph(path: str | os.PathLike) -> Graph:
    """Read any graph: :func:`kg.store.open_graph`, under the name README
    gives it (``from kg.export import read_graph, write_graph``)."""
    graph = open_graph(path)
    return graph


# --------------------------------------------------------------------------- streamed N-Triples


class NTriplesSink:
    """Writes added triples to the binary file *fh* as N-Triples lines,
    byte for byte as rdflib's N-Triples serializer would (duplicates are not
    dropped: the store does that). A build streams its statements through
    it, one document at a time (:mod:`kg.run.writer`); the IRIs of recent
    subjects and every predicate are written from a memo."""

    def __init__(self, fh) -> None:
        from rdflib import Literal
        # rdflib's own literal quoting for N-Triples is private; its public
        # Literal.n3() writes a literal with a line break as a """long""" string
        # (Turtle, not N-Triples), so the private function is what keeps the bytes.
        from rdflib.plugins.serializers.nt import _quoteLiteral

        self.fh, self.literal, self.quote = fh, Literal, _quoteLiteral
        self.memo: dict = {}

    def add(self, triple) -> None:
        s, p, o = triple
        memo = self.memo
        s_text = memo.get(s)
        if s_text is None:
            if len(memo) > 50_000:
                memo.clear()
            s_text = memo[s] = s.n3()
        p_text = memo.get(p)
        if p_text is None:
            p_text = memo[p] = p.n3()
        o_text = memo.get(o)
        if o_text is None:
            if isinstance(o, self.literal):
                o_text = self.quote(o)
                if len(o_text) < 64:  # offsets, rule ids, dates, types: they repeat
                    memo[o] = o_text
            else:
                o_text = o.n3()
        self.fh.write(f"{s_text} {p_text} {o_text} .\n".encode("utf-8"))
