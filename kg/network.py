"""The graph as a network for Gephi, Cytoscape and networkx: GraphML, GEXF,
or a node table and an edge table (CSV).

Nodes are the entities (people, countries, organisations, places,
initiatives, named events) and, by default, the events extracted from the
text. Every node has the same attributes, never empty of type: ``label``,
``type`` (the kgo class), ``kind`` (``entity``, or ``event`` for an extracted
event), ``qid`` (``""`` without one), ``mention_count`` (0 for an extracted
event), ``country_iso3`` (a country's ISO 3166-1 alpha-3 code, or the one
state a person holds office in), ``event_type``, ``cameo_code``,
``start_date``, ``end_date`` (``""`` on nodes that are not dated events);
places with coordinates also have ``latitude`` and ``longitude`` (floats).

Edges are directed, keyed by ``predicate``, with ``kind``, ``predicate``,
``label`` and ``weight``:

* ``kind="relation"``: a stated relation (``metWith``, ``headOfState``,
  ``locatedIn`` ...), weight = the number of evidence sentences of its
  reified statements (1 for a triple stated without one);
* ``kind="role"`` (``events="nodes"``, the default): an entity's part in an
  event, through the event node: ``agent`` and ``participant`` run from the
  entity to the event, ``target`` and ``place`` from the event to the entity;
  weight = the number of the event's evidence sentences;
* ``kind="event"`` (``events="pairs"``): extracted events are not nodes; each
  event links its actors directly, agent to target (or agent to agent when
  there is no other side, as in the events table), keyed ``event:<Type>``
  (``event:Meeting``), weight = the number of such events;
* ``kind="cooccurrence"`` only with ``cooccurrence=True``: two entities named
  in the same sentence (from the lower IRI to the higher), weight = the
  number of sentences.

The same graph gives byte-identical files: nodes and edges are added in
sorted order, GraphML is written by ``nx.write_graphml`` and GEXF by
``nx.write_gexf``, whose ``lastmodifieddate`` (the day it runs) is replaced
by the latest publication date of the graph's documents (and left out when
they have none).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph

from .errors import ExportError
from .graphindex import GraphIndex, actor_pairs

__all__ = ["NETWORK_FORMATS", "EVENT_MODES", "to_networkx", "network_bytes", "write_network", "NODE_COLUMNS",
           "EDGE_COLUMNS"]

#: Network output formats and their usual file suffix.
NETWORK_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "nodes-csv": ".csv", "edges-csv": ".csv"}
#: How events enter the network: as nodes linked by roles, or as actor-to-actor edges.
EVENT_MODES = ("nodes", "pairs")
#: Columns of ``nodes-csv`` (``latitude``/``longitude`` empty where unknown).
NODE_COLUMNS = ("id", "label", "type", "kind", "qid", "mention_count", "country_iso3", "event_type", "cameo_code",
                "start_date", "end_date", "latitude", "longitude")
#: Columns of ``edges-csv``.
EDGE_COLUMNS = ("source", "target", "kind", "predicate", "label", "weight")


def _words(name: str) -> str:
    """``providedAidTo`` -> ``provided aid to``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _index(graph) -> GraphIndex:
    if isinstance(graph, GraphIndex):
        return graph
    if isinstance(graph, (str, os.PathLike)):
        from .export import read_graph

        graph = read_graph(graph)
    if not isinstance(graph, Graph):
        raise ExportError(f"not a graph: {type(graph).__name__}",
                          hint="give an rdflib Graph or the path of a build folder or RDF file")
    return GraphIndex(graph)


def to_networkx(graph, *, events: str = "nodes", cooccurrence: bool = False):
    """The network of *graph* as a :class:`networkx.MultiDiGraph`.

    *graph* is an rdflib ``Graph`` or the path of a build folder or RDF file.
    *events*: ``"nodes"`` (events are nodes, linked to their agents, targets,
    participants and place) or ``"pairs"`` (edges from agent to target).
    *cooccurrence*: also link entities named in the same sentence.
    Node ids are IRIs; see the module's documentation for the attributes.
    """
    import networkx as nx

    if events not in EVENT_MODES:
        raise ExportError(f"unknown events mode {events!r}", hint=f"use one of {', '.join(EVENT_MODES)}")
    index = _index(graph)
    g = nx.MultiDiGraph()
    keep = {iri for iri, node in index.nodes.items() if node.named or events == "nodes"}
    for iri in sorted(keep):
        node = index.nodes[iri]
        event = index.events.get(iri)
        state = index.state_of(iri) if node.type in ("Country", "Person") else None
        code = index.country_code(state)
        attrs = {"label": node.label, "type": node.type, "kind": "entity" if node.named else "event",
                 "qid": node.qid, "mention_count": node.mention_count, "country_iso3": code.iso3 if code else "",
                 "event_type": event.type if event else "", "cameo_code": event.cameo if event else "",
                 "start_date": event.start if event else "", "end_date": event.end if event else ""}
        if node.latitude and node.longitude:
            attrs["latitude"], attrs["longitude"] = float(node.latitude), float(node.longitude)
        g.add_node(iri, **attrs)

    edges: list[tuple[str, str, str, dict]] = []
    for rel in index.relations:
        if rel.subject in keep and rel.object in keep:
            label = _words(rel.predicate) + (f" ({'; '.join(rel.verbs)})" if rel.verbs and rel.predicate == "relatedTo" else "")
            edges.append((rel.subject, rel.object, rel.predicate,
                          {"kind": "relation", "predicate": rel.predicate, "label": label, "weight": rel.weight}))
    if events == "nodes":
        for iri, event in index.events.items():
            weight = max(1, len(event.evidence))
            roles = [(a, iri, "agent") for a in event.agents] + [(p, iri, "participant") for p in event.participants]
            roles += [(iri, t, "target") for t in event.targets]
            if event.place and event.place != iri:
                roles.append((iri, event.place, "place"))
            for u, v, role in roles:
                edges.append((u, v, role, {"kind": "role", "predicate": role, "label": role, "weight": weight}))
    else:
        counts: Counter = Counter()
        for event in index.events.values():
            for one, two in actor_pairs(event):
                if one is not None and two is not None and one[0] in keep and two[0] in keep:
                    counts[(one[0], two[0], event.type, event.type_label, event.cameo)] += 1
        for (a, b, etype, type_label, cameo), n in counts.items():
            label = f"{type_label} (CAMEO {cameo})" if cameo else type_label
            edges.append((a, b, f"event:{etype}",
                          {"kind": "event", "predicate": etype, "label": label, "weight": n}))
    if cooccurrence:
        for (a, b), n in _cooccurrence(index, keep).items():
            edges.append((a, b, "cooccurrence",
                          {"kind": "cooccurrence", "predicate": "cooccurrence", "label": "same sentence", "weight": n}))
    for u, v, key, attrs in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        g.add_edge(u, v, key=key, **attrs)
    return g


def _cooccurrence(index: GraphIndex, keep: set[str]) -> Counter:
    from .ns import ITSRDF, NIF

    graph = index.graph
    sentence_of = {str(m): str(s) for m, s in graph.subject_objects(NIF.sentence)}
    members: dict[str, set[str]] = defaultdict(set)
    for m, entity in graph.subject_objects(ITSRDF.taIdentRef):
        if str(entity) in keep and str(m) in sentence_of:
            members[sentence_of[str(m)]].add(str(entity))
    counts: Counter = Counter()
    for names in members.values():
        names_sorted = sorted(names)
        for i, a in enumerate(names_sorted):
            for b in names_sorted[i + 1:]:
                counts[(a, b)] += 1
    return counts


def _table(rows, columns) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _latest_date(graph) -> str | None:
    """The latest publication date of *graph*'s documents, if any."""
    from rdflib.namespace import RDF

    from .ns import SCHEMA

    dates = [str(d)[:10] for doc in graph.subjects(RDF.type, SCHEMA.NewsArticle)
             for d in graph.objects(doc, SCHEMA.datePublished)]
    dates = [d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    return max(dates) if dates else None


def network_bytes(graph, fmt: str, *, events: str = "nodes", cooccurrence: bool = False) -> bytes:
    """The network of *graph* in *fmt* (one of :data:`NETWORK_FORMATS`) as bytes."""
    import networkx as nx

    if fmt not in NETWORK_FORMATS:
        raise ExportError(f"unknown network format {fmt!r}", hint=f"use one of {', '.join(NETWORK_FORMATS)}")
    index = _index(graph)
    g = to_networkx(index, events=events, cooccurrence=cooccurrence)
    if fmt == "nodes-csv":
        return _table(([iri] + [data.get(c, "") for c in NODE_COLUMNS[1:]] for iri, data in g.nodes(data=True)),
                      NODE_COLUMNS)
    if fmt == "edges-csv":
        return _table(([u, v] + [data[c] for c in EDGE_COLUMNS[2:]] for u, v, data in g.edges(data=True)),
                      EDGE_COLUMNS)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buffer)
        return buffer.getvalue()
    nx.write_gexf(g, buffer)
    # networkx stamps the day it runs; the data's own latest date (or none) keeps the bytes the same
    latest = _latest_date(index.graph)
    stamp = f' lastmodifieddate="{latest}"'.encode() if latest else b""
    return re.sub(rb' lastmodifieddate="[0-9-]*"', stamp, buffer.getvalue(), count=1)


def write_network(graph, path: str | os.PathLike, fmt: str | None = None, *, events: str = "nodes",
                  cooccurrence: bool = False) -> Path:
    """Write the network of *graph* to *path* atomically (``graphml`` and
    ``gexf`` are also recognised by the suffix); returns the path."""
    from .files import atomic_write

    path = Path(path)
    if fmt is None:
        fmt = path.suffix.lower().lstrip(".")
    return atomic_write(path, network_bytes(graph, fmt, events=events, cooccurrence=cooccurrence))
