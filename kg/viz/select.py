"""Selecting a view: the nodes the selectors of :func:`kg.viz.network_data`
pick (an entity and its neighbours, a document, a date range, a CONSTRUCT
query), and the importance (PageRank) that orders them."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..dates import parse_date_bounds
from ..errors import KGError, QueryError
from ..lookup import find_entities
from ..ns import PREFIXES
from .model import Model, local_name, words

__all__ = ["nx_graph", "pagerank", "select"]

_EDGE_WEIGHT = {"relation": 3.0, "event": 2.0, "query": 3.0}


def nx_graph(nodes, edges):
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    for (kind, a, b), e in sorted(edges.items()):
        if a in nodes and b in nodes:
            w = _EDGE_WEIGHT.get(kind, float(min(e["count"], 5)))
            if g.has_edge(a, b):
                g[a][b]["weight"] += w
            else:
                g.add_edge(a, b, weight=w)
    return g


def _find_entity(graph: Graph, model: Model, name: str) -> list[str]:
    """The nodes *name* names (:func:`kg.lookup.find_entities`)."""
    found = [str(iri) for iri in find_entities(graph, name)]
    shown = [iri for iri in found if iri in model.nodes]
    if not shown:
        raise KGError(f"{name!r} names {', '.join(found)}, which is not an entity or an event",
                      hint="give the name of an entity or an event")
    return shown


def _find_document(model: Model, ref: str) -> str:
    ref = ref.strip()
    for iri, d in sorted(model.docs.items()):
        if ref in (iri, d["id"], d["source"]) or (d["source"] and Path(d["source"]).name == ref):
            return iri
    matches = sorted(iri for iri, d in model.docs.items() if d["id"].startswith(ref) and len(ref) >= 6)
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(d["id"] for d in model.docs.values())[:8])
    raise KGError(f"no document {ref!r} in the graph",
                  hint=f"give a document id, IRI or source file (known ids: {known or 'none'})")


def _construct(graph: Graph, model: Model, query: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    try:
        result = graph.query(query, initNs=PREFIXES)
    except Exception as err:  # rdflib raises pyparsing's and its own errors
        raise QueryError(f"the SPARQL query cannot be run: {err}", hint="check its syntax") from err
    if result.type != "CONSTRUCT":
        raise QueryError(f"the query is a {result.type} query", hint="--construct needs a CONSTRUCT query")
    keep: set[str] = set()
    extra: list[tuple[str, str, str]] = []
    for s, p, o in result:
        ins = [str(x) for x in (s, o) if str(x) in model.nodes]
        keep.update(ins)
        if len(ins) == 2 and s != o:
            extra.append((str(s), words(local_name(p)), str(o)))
    return keep, sorted(set(extra))


def select(graph, model: Model, *, entity, hops, document, date_from, date_to, construct):
    """The nodes (and query-made edges) of the requested view; ``None`` for all."""
    sets: list[set[str]] = []
    extra: list[tuple[str, str, str]] = []
    description = []
    if entity is not None:
        import networkx as nx

        centres = _find_entity(graph, model, entity)
        g = nx_graph(model.nodes, model.edges)
        keep: set[str] = set()
        for c in centres:
            keep |= set(nx.single_source_shortest_path_length(g, c, cutoff=max(0, int(hops))))
        sets.append(keep)
        description.append(f"{model.nodes[centres[0]].label} and {hops} hop(s) around")
    if document is not None:
        doc = _find_document(model, document)
        sets.append({iri for iri, n in model.nodes.items() if doc in n.docs})
        description.append(f"document {model.docs[doc]['title']}")
    if date_from is not None or date_to is not None:
        lo = parse_date_bounds(date_from) if date_from else ("0000-01-01", "0000-01-01")
        hi = parse_date_bounds(date_to) if date_to else ("9999-12-31", "9999-12-31")
        for text, bounds in ((date_from, lo), (date_to, hi)):
            if bounds is None:
                raise KGError(f"{text!r} is not a date", hint="write it as YYYY, YYYY-MM or YYYY-MM-DD")
        keep = set()
        for n in model.nodes.values():
            if n.lo and n.lo <= hi[1] and n.hi >= lo[0]:
                keep.add(n.iri)
                keep |= set(n.roles)
        sets.append(keep)
        description.append(f"events from {date_from or 'the start'} to {date_to or 'the end'}")
    if construct is not None:
        keep, extra = _construct(graph, model, construct)
        sets.append(keep)
        description.append("the result of a CONSTRUCT query")
    if not sets:
        return None, [], ""
    keep = set.intersection(*sets)
    if not keep:
        raise KGError(f"nothing to show: no entity in {' and '.join(description)}",
                      hint="widen the selection (more hops, a wider date range, another document)")
    return keep, [x for x in extra if x[0] in keep and x[2] in keep], "; ".join(description)


def pagerank(graph, *, alpha: float = 0.85, iterations: int = 100, tol: float = 1e-10) -> dict:
    """Weighted PageRank of an undirected networkx *graph* (numpy power
    iteration; networkx's own needs scipy). Deterministic for a given graph.

    >>> import networkx as nx
    >>> r = pagerank(nx.star_graph(3))
    >>> max(r, key=r.get), round(sum(r.values()), 6)
    (0, 1.0)
    """
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    src, dst, w = [], [], []
    for a, b, data in graph.edges(data=True):
        weight = float(data.get("weight", 1.0))
        src += [index[a], index[b]]
        dst += [index[b], index[a]]
        w += [weight, weight]
    src, dst, w = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w, dtype=np.float64)
    out = np.bincount(src, weights=w, minlength=n)
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(iterations):
        share = np.where(dangling, 0.0, x / np.where(dangling, 1.0, out))
        new = np.bincount(dst, weights=share[src] * w, minlength=n) if len(src) else np.zeros(n)
        new = alpha * (new + x[dangling].sum() / n) + (1.0 - alpha) / n
        done = np.abs(new - x).sum() < n * tol
        x = new
        if done:
            break
    return {v: float(x[i]) for v, i in index.items()}
