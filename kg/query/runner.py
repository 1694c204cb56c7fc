"""Running a query: :func:`run_query` evaluates a parsed and checked query
on a graph (by Oxigraph when the graph is in a store, else by rdflib's
engine), binds its parameters and entity names, and :func:`truncate` cuts a
result to a number of rows. Errors raised while a query runs (or its rows
are read) become :class:`QueryError` (:func:`_running`)."""

from __future__ import annotations

import contextlib
import functools
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import QueryError
from ..store import open_graph, oxigraph_store
from .named import NamedQuery, resolve_query
from .parse import _prefixes, _refuse_dataset, _refuse_service, _term, _too_deep, _walk, parse_query, query_variables

if TYPE_CHECKING:  # rdflib is imported by the functions that need it
    from rdflib import Graph
    from rdflib.query import Result
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["run_query", "truncate"]


def _as_graph(graph: Any) -> "Graph":
    from rdflib import Graph

    if isinstance(graph, Graph):
        return graph
    if isinstance(graph, (str, Path)):
        return open_graph(graph)
    raise TypeError(f"expected an rdflib Graph or a path, not {type(graph).__name__}")


def _on_oxigraph(graph) -> bool:
    return oxigraph_store(graph) is not None


def run_query(graph: Any, query: Any, params: Mapping[str, Any] | None = None) -> "Result":
    """Evaluate *query* on *graph* and return the rdflib result.

    *graph* is an rdflib ``Graph`` or a path for :func:`load_graph`; *query*
    is SPARQL text, a query name, a ``.rq`` path, a :class:`NamedQuery` or a
    parsed query. *params* binds variables before evaluation (rdflib
    ``initBindings``): ``str`` values are plain literals, rdflib terms are used
    as they are, and ``"<iri>"`` strings are IRIs. A parameter the query does
    not mention, or a declared parameter left out, is a :class:`QueryError`.

    A shipped query's name parameter (``profile``'s ``name``; see
    :class:`NamedQuery`) is looked up with :func:`kg.lookup.find_entities`:
    a name no entity has raises :class:`~kg.errors.EntityNotFound` with the
    closest names. When the name is several entities', the query runs for
    each, in IRI order, and their rows follow one another.
    """
    from rdflib.plugins.sparql.sparql import Query

    graph = _as_graph(graph)
    named = None
    if isinstance(query, str):
        query = resolve_query(query)
    if isinstance(query, NamedQuery):
        named, query = query, query.text
    parsed = query if isinstance(query, Query) else parse_query(query)
    _refuse_service(parsed)  # again: a Query object may not come from parse_query
    _refuse_dataset(parsed, graph)
    entity_params = named.entity_params if named is not None else {}
    bindings, entities = {}, {}
    if params:
        variables = query_variables(parsed)
        for name, value in params.items():
            name = name.lstrip("?$")
            if name in entity_params:
                entities[entity_params[name]] = _entities(graph, value)
                continue
            if name not in variables:
                known = " ".join(f"?{v}" for v in sorted(variables)) or "none"
                raise QueryError(f"the query has no variable ?{name} to bind", hint=f"its variables: {known}")
            bindings[name] = _term(value)
    if named is not None:
        given = set(bindings) | set(entities)  # a name parameter is also given by binding its variable
        missing = [p for p in named.params if p not in given and entity_params.get(p) not in given]
        if missing:
            example = " ".join(f'--param {p}="..."' for p in missing)
            described = "; ".join(f"{p}: {named.params[p]}" for p in missing)
            raise QueryError(f"query {named.name!r} needs {example}", hint=described)
    text = query if isinstance(query, str) else None
    if not entities:
        return _evaluate(graph, parsed, text, bindings)
    names = sorted(entities)
    results = [_evaluate(graph, parsed, text, {**bindings, **dict(zip(names, iris))})
               for iris in itertools.product(*(entities[n] for n in names))]
    return results[0] if len(results) == 1 else _concatenate(results)


def _entities(graph: "Graph", value: Any) -> list:
    """The entities a name parameter names: an IRI given as one, or those
    :func:`kg.lookup.find_entities` finds."""
    from rdflib import URIRef

    from ..lookup import find_entities

    term = _term(value)
    return find_entities(graph, f"<{term}>" if isinstance(term, URIRef) else str(term))


def _evaluate(graph: "Graph", parsed: "Query", text: str | None, bindings: dict) -> "Result":
    with _running():
        if text is not None and _on_oxigraph(graph):
            # Oxigraph evaluates the text itself (rdflib's engine, given the
            # parsed query, would walk the store triple by triple: 10-100x slower).
            try:
                return graph.query(text, initNs=_prefixes(), initBindings=bindings)
            except SyntaxError:  # a dialect difference: rdflib's engine accepts it
                pass
            except RuntimeError:  # Oxigraph binds only projected variables; rdflib's engine binds any
                if not bindings:
                    raise
        return _as_dataset(graph, parsed).query(parsed, initBindings=bindings)


def _failed(err: Exception) -> QueryError:
    """The :class:`QueryError` of an error raised while a query runs (in
    :func:`_evaluate`, or later: rdflib evaluates SELECT rows as they are read)."""
    if isinstance(err, RecursionError):
        return _too_deep()
    return QueryError(f"the query failed while running: {type(err).__name__}: {err}")


@contextlib.contextmanager
def _running():
    """Turn an error raised while a query runs into a :class:`QueryError`.
    rdflib evaluates SELECT rows as they are read, so the rows are read
    under this too, not only the call that starts the query."""
    try:
        yield
    except QueryError:
        raise
    except Exception as err:  # evaluation errors from rdflib have no common base class
        raise _failed(err) from err


def _as_dataset(graph: "Graph", parsed: "Query") -> "Graph":
    """*graph*, or, when it is one plain graph and the query has a ``GRAPH``
    pattern, a dataset whose default graph it is and which has no named
    graphs: SPARQL's view of one graph, in which ``GRAPH`` matches nothing
    (what Oxigraph answers). rdflib refuses ``GRAPH`` on a plain graph."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if getattr(graph, "context_aware", False):
        return graph
    if not any(isinstance(node, CompValue) and node.name == "Graph" for node in _walk(parsed)):
        return graph
    return _one_graph_dataset()(graph)


@functools.cache
def _one_graph_dataset() -> type:
    from rdflib import Dataset

    class OneGraph(Dataset):
        """A read-only view of a plain graph as a dataset: its default graph
        is the graph, it has no named graphs, and nothing is added to the
        graph's store (``Dataset.graphs`` would add an empty default graph)."""

        def __init__(self, graph: "Graph") -> None:
            super().__init__(store=graph.store, default_union=False)
            self.default_graph = graph
            self.namespace_manager = graph.namespace_manager

        def graphs(self, triple=None):
            return iter(())

        contexts = graphs

    return OneGraph


def _concatenate(results: list["Result"]) -> "Result":
    """One result of several of the same query: the rows of each in turn
    (SELECT), whether any is true (ASK), the union of the graphs."""
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    kind = results[0].type
    if kind == "SELECT":
        with _running():
            rows = [{Variable(k): v for k, v in row.asdict().items()} for r in results for row in r]
        return SPARQLResult({"type_": "SELECT", "vars_": results[0].vars, "bindings": rows})
    if kind == "ASK":
        return SPARQLResult({"type_": "ASK", "askAnswer": any(r.askAnswer for r in results)})
    graph = Graph()
    for r in results:
        for triple in r.graph:
            graph.add(triple)
    return SPARQLResult({"type_": kind, "graph": graph})


def truncate(result: "Result", limit: int) -> tuple["Result", bool]:
    """At most *limit* rows (SELECT) or triples (CONSTRUCT/DESCRIBE) of
    *result*, and whether some were dropped. SELECT rows are read lazily,
    so a huge result is never held in memory."""
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    if result.type == "SELECT":
        with _running():
            rows = [{Variable(k): v for k, v in row.asdict().items()}
                    for row in itertools.islice(result, limit + 1)]
        cut = SPARQLResult({"type_": "SELECT", "vars_": result.vars, "bindings": rows[:limit]})
        return cut, len(rows) > limit
    if result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph) > limit:
        graph = Graph()
        for triple in itertools.islice(sorted(result.graph), limit):
            graph.add(triple)
        cut = SPARQLResult({"type_": result.type, "graph": graph})
        return cut, True
    return result, False
