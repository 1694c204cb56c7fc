"""Answering one query, in a worker process (or a thread): parse and check
it with rdflib (parses remembered), evaluate it with Oxigraph (a copy of an
in-memory graph, or the store it is read from) or rdflib's engine, and
format the answer (:func:`_answer_query`); :func:`_warm_up` imports and
parses what the workers need before they are forked."""

from __future__ import annotations

import functools
import itertools

from ..errors import QueryError
from ..query import format_result, list_queries, parse_query, run_query, truncate
from ..query.parse import _prefixes
from ..query.runner import _running
from ..store import oxigraph_store
from .negotiate import _choose_format
from .workers import _FORK_LOCK

__all__: list[str] = []


def _answer_query(graph, oxigraph, text: str, accept: str | None, requested: str | None, max_results: int,
                  *, forked: bool) -> tuple[bytes, str, bool]:
    """Parse, check and evaluate *text* on *graph* (rdflib), or on
    *oxigraph* (a pyoxigraph Store of the same triples, or None): (body,
    content type, truncated). Runs in the worker, so the deadline covers
    parsing too."""
    if forked:  # a worker process has no other thread
        parsed = _parse(text)
    else:
        with _FORK_LOCK:
            parsed = _parse(text)
    kind = "graph" if parsed.algebra.name in ("ConstructQuery", "DescribeQuery") else "results"
    fmt, content_type = _choose_format(kind, accept, requested)
    result, truncated = _evaluate(graph, oxigraph, parsed, text, max_results)
    return format_result(result, fmt).encode("utf-8"), content_type, truncated


@functools.lru_cache(maxsize=256)
def _parse(text: str):
    """:func:`kg.query.parse_query`, remembered: rdflib's parser takes 10-170 ms
    for a shipped query, Oxigraph answers most of them on the seeds' graph in
    a few. Only successes are kept (an error is raised again each time)."""
    return parse_query(text)


def _evaluate(graph, oxigraph, parsed, text: str, max_results: int):
    """(result, truncated): *text* evaluated by *oxigraph* if there is one,
    else by rdflib's engine on *graph* (:func:`kg.query.run_query`), as
    every query was before: DESCRIBE (rdflib's describes more), a query
    naming its dataset (``FROM``), and what Oxigraph's parser refuses."""
    algebra = parsed.algebra  # CompValue.get gives the key itself for a missing key: ask with ``in``
    if (oxigraph is not None and algebra.name != "DescribeQuery"  # rdflib's DESCRIBE gives more
            and not ("datasetClause" in algebra and algebra["datasetClause"])):
        try:
            return _run_on_oxigraph(oxigraph, text, max_results)
        except SyntaxError:  # a dialect difference: rdflib's engine accepts it
            pass
    return truncate(run_query(graph, parsed), max_results)


def _run_on_oxigraph(store, text: str, limit: int):
    """*text* evaluated by the pyoxigraph *store* (which releases the
    interpreter lock while it works), as an rdflib result of at most *limit*
    rows or triples, and whether some were dropped. Terms are rdflib's as
    its own engine gives them (a plain literal has no ``xsd:string``), so
    the answers are formatted exactly as before."""
    import pyoxigraph
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    with _running():
        answer = store.query(text, prefixes=_prefixes(), default_graph=pyoxigraph.DefaultGraph())
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return SPARQLResult({"type_": "ASK", "askAnswer": bool(answer)}), False
        if isinstance(answer, pyoxigraph.QuerySolutions):
            names = [Variable(v.value) for v in answer.variables]
            rows = [{name: _rdflib_term(term) for name, term in zip(names, solution) if term is not None}
                    for solution in itertools.islice(answer, limit + 1)]
            return SPARQLResult({"type_": "SELECT", "vars_": names, "bindings": rows[:limit]}), len(rows) > limit
        graph = Graph()
        for triple in answer:
            graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    return truncate(SPARQLResult({"type_": "CONSTRUCT", "graph": graph}), limit)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@functools.lru_cache(maxsize=1 << 16)
def _rdflib_term(term):
    """The rdflib term of a pyoxigraph term, a plain literal for ``xsd:string``.
    Remembered: an answer repeats its labels, and an rdflib literal is slow
    to make (it parses its value)."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"kg cannot send the RDF-star term {term} in an answer")


def _oxigraph_of(graph):
    """The pyoxigraph Store to evaluate queries on *graph* with: the one
    behind an Oxigraph-backed graph (a store, a large build), or an
    in-memory copy of an rdflib graph. None for a dataset (quads: rdflib's
    engine sees its named graphs as ``kg query`` does) and for a graph
    Oxigraph cannot load."""
    import pyoxigraph

    inner = oxigraph_store(graph)
    if inner is not None or getattr(graph, "context_aware", False):
        return inner
    copy = pyoxigraph.Store()
    try:
        copy.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError):  # e.g. an IRI rdflib took and Oxigraph does not
        return None
    return copy


def _warm_up() -> None:
    """Import everything a query needs before any child is forked: a child
    that imported a module another thread was importing could deadlock."""
    import ctypes  # noqa: F401 (for kg.lifeline in the workers)
    import stat  # noqa: F401

    import pyoxigraph
    from rdflib import Graph

    empty, oxigraph = Graph(), pyoxigraph.Store()
    for text, formats in (("SELECT ?s WHERE { ?s ?p ?o }", ("json", "xml", "csv", "tsv")),
                          ("ASK { ?s ?p ?o }", ("json", "xml")),
                          ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ("turtle", "nt", "jsonld"))):
        for fmt in formats:
            for store in (None, oxigraph):
                _answer_query(empty, store, text, None, fmt, 1, forked=False)
    # The workers are forked with the shipped queries parsed (as the form sends them).
    for query in list_queries():
        with _FORK_LOCK:
            _parse(query.text)
