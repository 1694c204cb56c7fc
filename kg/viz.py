"""Graph -> one self-contained, explorable HTML page (pyvis + vis-network).

The page inlines vis-network (pyvis's bundled copy, found in pyvis's package
folder) and kg's own template: no CDN, no network request, and a
Content-Security-Policy that lets only the page's own two scripts run (by
their SHA-256). Every string from a document reaches the page as JSON data
(``<``, ``>`` and ``&`` escaped) and is shown with ``textContent``: it is
never parsed as HTML.

What the page shows:

* nodes are the entities and the extracted events, coloured and shaped by
  type (or coloured by Louvain community), sized by PageRank;
* edges are the stated relations (``kgo:proposed``, ``kgo:visited``, ...,
  labelled), event participation (agent, target, place, participant) and,
  lighter, co-occurrence in a sentence, which starts hidden (a toggle shows
  it); each edge keeps its evidence sentences;
* the most important *top* nodes are shown first; the data of every node is
  in the page, so a node's neighbourhood can be expanded and any name found.

Positions are computed here (:func:`kg.layout.layout`: the first view laid
out on the links it shows, its loose parts around its largest) and physics
is off, so nothing moves unless the user asks ("Tidy layout" runs the
physics briefly, then stops it). The same graph gives byte-identical HTML.
"""

from __future__ import annotations

import base64
import calendar
import functools
import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import KGError, QueryError
from .layout import layout
from .ns import ITSRDF, KGO, NIF, SCHEMA
from .records import ENTITY_TYPES

__all__ = [
    "TYPE_STYLE",
    "DEFAULT_TOP",
    "network_data",
    "pagerank",
    "parse_date_bounds",
    "render_html",
    "write_html",
]

#: Colour and vis-network shape per entity type (the legend shows both).
TYPE_STYLE = {
    "Person": ("#e6194b", "dot"),
    "Country": ("#3cb44b", "diamond"),
    "Organization": ("#4363d8", "square"),
    "Place": ("#f58231", "triangle"),
    "Initiative": ("#911eb4", "star"),
    "Event": ("#1fa2c4", "hexagon"),
}
_GLYPH = {"dot": "\u25cf", "diamond": "\u25c6", "square": "\u25a0", "triangle": "\u25b2",
          "star": "\u2605", "hexagon": "\u2b22"}

#: Community colours (communities beyond these share the last, grey).
_COMMUNITY_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                      "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ffd92f", "#9e9e9e")

#: How many nodes the page shows before the user asks for more.
DEFAULT_TOP = 300

_SENTENCES_PER_NODE = 40
_SENTENCES_PER_EDGE = 12
_QUOTES_PER_NODE = 8
_LOUVAIN_SEED = 42

_QID = re.compile(r"Q[1-9][0-9]{0,11}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Event-participation properties and the role each shows on its edge.
_ROLES = {
    KGO.agent: "agent",
    KGO.target: "target",
    SCHEMA.location: "place",
    SCHEMA.organizer: "organizer",
    SCHEMA.participant: "participant",
}
#: kgo: properties between two nodes that are not relations.
_NOT_RELATIONS = {KGO.agent, KGO.target, KGO.eventType, KGO.mentionedIn, KGO.said, KGO.speaker, KGO.participation,
                  KGO.participant, KGO.represents}
_EDGE_WEIGHT = {"relation": 3.0, "event": 2.0, "query": 3.0}
#: Links the page starts with hidden (a toggle shows them): names in the same
#: sentence would bury the stated relations under a hairball.
_HIDDEN_KINDS = frozenset({"cooccurrence"})


# --------------------------------------------------------------------------- reading the graph

@dataclass
class _Node:
    iri: str
    type: str
    label: str
    alt: list[str]
    qid: str | None = None
    titles: list[str] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    mentions: int = 0
    quotes: list[str] = field(default_factory=list)
    # events only
    event_type: str | None = None
    start: str | None = None
    end: str | None = None
    lo: str | None = None
    hi: str | None = None
    inferred: bool = False
    phrase: str | None = None
    roles: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class _Model:
    nodes: dict[str, _Node]
    docs: dict[str, dict]
    sentences: dict[str, tuple[str, str, int]]  # iri -> (text, doc iri, begin)
    edges: dict[tuple[str, str, str], dict]     # (kind, a, b) -> {"rels": set, "sentences": set, "count": int}


def _local(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _words(name: str) -> str:
    """``providedAidTo`` -> ``provided aid to``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _qid(graph: Graph, s: URIRef) -> str | None:
    """The Wikidata id of *s*, only if it is a well-formed QID."""
    for o in sorted(graph.objects(s, OWL.sameAs)):
        o = str(o)
        if o.startswith(("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/")):
            qid = o.rsplit("/", 1)[-1]
            if _QID.fullmatch(qid):
                return qid
    return None


def parse_date_bounds(text: str) -> tuple[str, str] | None:
    """The first and last day (``YYYY-MM-DD``) of a date written ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` if *text* is none of these.

    >>> parse_date_bounds("2023-02")
    ('2023-02-01', '2023-02-28')
    >>> parse_date_bounds("2022")
    ('2022-01-01', '2022-12-31')
    """
    m = _DATE.fullmatch(str(text).strip())
    if not m:
        return None
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
            return None
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _first(values) -> str | None:
    values = sorted(str(v) for v in values)
    return values[0] if values else None


class _StoreReader:
    """The read calls :func:`_collect` makes, answered by the pyoxigraph
    store behind an Oxigraph-backed graph directly. The page asks tens of
    thousands of them; through rdflib's store plugin each one also builds a
    context graph per triple, which makes the page twice as slow.

    A predicate asked for subject after subject (labels, sentence texts,
    the parts of each reified statement) is read once, whole, after
    :attr:`BULK_AFTER` lookups: one scan of the store instead of thousands
    of point lookups. Each subject's objects keep the store's order."""

    #: Point lookups of one predicate before it is read whole.
    BULK_AFTER = 32

    def __init__(self, graph: Graph, store) -> None:
        import pyoxigraph

        self.graph, self.store, self.ox = graph, store, pyoxigraph
        self.default = pyoxigraph.DefaultGraph()
        self._nodes: dict = {}
        self._iris: dict[str, URIRef] = {}
        self._string = str(XSD.string)
        self._asked: Counter = Counter()
        self._bulk: dict = {}  # predicate -> {store subject: [store objects]}

    def _node(self, term):
        if term is None:
            return None
        found = self._nodes.get(term)
        if found is None:
            found = self.ox.NamedNode(str(term)) if isinstance(term, URIRef) else self.ox.BlankNode(str(term))
            if len(self._nodes) < 10_000:
                self._nodes[term] = found
        return found

    def _term(self, t):
        kind = type(t)
        if kind is self.ox.NamedNode:
            value = t.value
            found = self._iris.get(value)
            if found is None:
                found = URIRef(value)
                if len(self._iris) < 50_000:
                    self._iris[value] = found
            return found
        if kind is self.ox.Literal:
            if t.language:
                return Literal(t.value, lang=t.language)
            datatype = t.datatype.value
            return Literal(t.value) if datatype == self._string else Literal(t.value, datatype=URIRef(datatype))
        return BNode(t.value)

    def _quads(self, s, p, o):
        if isinstance(o, Literal):  # not asked by the page: let rdflib match literals
            return None
        return self.store.quads_for_pattern(self._node(s), self._node(p), self._node(o), self.default)

    def objects(self, s, p):
        index = self._bulk.get(p)
        if index is None:
            self._asked[p] += 1
            if self._asked[p] < self.BULK_AFTER:
                return (self._term(q.object) for q in self._quads(s, p, None))
            index = self._bulk[p] = defaultdict(list)
            for q in self.store.quads_for_pattern(None, self._node(p), None, self.default):
                index[q.subject].append(q.object)
        return (self._term(o) for o in index.get(self._node(s), ()))

    def value(self, s, p):
        return next(self.objects(s, p), None)

    def subjects(self, p, o):
        quads = self._quads(None, p, o)
        if quads is None:
            return self.graph.subjects(p, o)
        return (self._term(q.subject) for q in quads)

    def subject_objects(self, p):
        return ((self._term(q.subject), self._term(q.object)) for q in self._quads(None, p, None))

    def predicate_objects(self, s):
        return ((self._term(q.predicate), self._term(q.object)) for q in self._quads(s, None, None))


def _collect(graph: Graph) -> _Model:
    from .export import _oxigraph

    store = _oxigraph(graph)
    if store is not None:
        graph = _StoreReader(graph, store)
    nodes: dict[str, _Node] = {}
    for t in ENTITY_TYPES:
        for s in sorted(set(graph.subjects(RDF.type, KGO[t]))):
            iri = str(s)
            if not isinstance(s, URIRef) or iri in nodes:
                continue
            labels = sorted(str(x) for x in graph.objects(s, RDFS.label))
            label = labels[0] if labels else _local(iri)
            alt = sorted({str(x) for x in graph.objects(s, SKOS.altLabel)} | set(labels[1:]) - {label})
            node = _Node(iri, t, label, alt, qid=_qid(graph, s))
            node.titles = sorted(str(x) for x in graph.objects(s, SCHEMA.jobTitle))
            node.docs = {str(d) for d in graph.objects(s, KGO.mentionedIn)}
            count = graph.value(s, KGO.mentionCount)
            node.mentions = int(count) if isinstance(count, Literal) and str(count).isdigit() else 0
            nodes[iri] = node

    sentences: dict[str, tuple[str, str, int]] = {}
    for s in graph.subjects(RDF.type, NIF.Sentence):
        begin = graph.value(s, NIF.beginIndex)
        sentences[str(s)] = (str(graph.value(s, NIF.anchorOf) or ""), str(graph.value(s, NIF.referenceContext) or ""),
                             int(begin) if begin is not None and str(begin).isdigit() else 0)

    def sentence(s) -> str | None:
        s = str(s)
        if s not in sentences:
            text = graph.value(URIRef(s), NIF.anchorOf)
            if text is None:
                return None
            sentences[s] = (str(text), str(graph.value(URIRef(s), NIF.referenceContext) or ""), 0)
        return s

    docs: dict[str, dict] = {}
    for d in set(graph.subjects(RDF.type, SCHEMA.NewsArticle)) | set(graph.subjects(RDF.type, NIF.Context)):
        iri = str(d)
        ident = str(graph.value(d, SCHEMA.identifier) or _local(iri))
        source = str(graph.value(d, KGO.source) or "")
        title = _first(graph.objects(d, SCHEMA.headline)) or _first(graph.objects(d, SCHEMA.name))
        docs[iri] = {"id": ident, "iri": iri, "source": source,
                     "title": title or (source.rsplit("/", 1)[-1] if source else ident),
                     "date": str(graph.value(d, SCHEMA.datePublished) or "")}

    # Events: type, dates, roles, evidence.
    concept_label = {}
    for node in nodes.values():
        if node.type != "Event":
            continue
        s = URIRef(node.iri)
        etype = graph.value(s, KGO.eventType)
        if etype is not None:
            if etype not in concept_label:
                concept_label[etype] = str(graph.value(etype, SKOS.prefLabel) or _local(etype))
            node.event_type = concept_label[etype]
        start, end = graph.value(s, SCHEMA.startDate), graph.value(s, SCHEMA.endDate)
        node.start = str(start) if start is not None else None
        node.end = str(end) if end is not None else None
        lo = parse_date_bounds(node.start) if node.start else None
        hi = parse_date_bounds(node.end) if node.end else lo
        if lo and hi:
            node.lo, node.hi = lo[0], hi[1]
        node.inferred = str(graph.value(s, KGO.dateInferred) or "").lower() == "true"
        node.phrase = _first(graph.objects(s, KGO.phrase))
        for ev in graph.objects(s, KGO.evidence):
            if (sid := sentence(ev)) is not None:
                node.sentences.add(sid)
        node.docs |= {str(d) for d in graph.objects(s, PROV.wasDerivedFrom) if str(d) in docs}
        node.docs |= {sentences[x][1] for x in node.sentences if sentences[x][1]}

    for q, speaker in graph.subject_objects(KGO.speaker):
        if str(speaker) in nodes:
            text = graph.value(q, SCHEMA.text)
            if text is not None:
                nodes[str(speaker)].quotes.append(str(text))
    for node in nodes.values():
        node.quotes = sorted(set(node.quotes))[:_QUOTES_PER_NODE]

    edges: dict[tuple[str, str, str], dict] = {}

    def edge(kind: str, a: str, b: str) -> dict:
        key = (kind, a, b)
        if key not in edges:
            edges[key] = {"rels": set(), "sentences": set(), "count": 0}
        return edges[key]

    # Mentions: sentences of each entity, and co-occurrence.
    sentence_of = {str(m): str(s) for m, s in graph.subject_objects(NIF.sentence)}
    members: dict[str, set[str]] = defaultdict(set)
    mention_count: Counter = Counter()
    for m, ent in graph.subject_objects(ITSRDF.taIdentRef):
        ent = str(ent)
        if ent not in nodes:
            continue
        mention_count[ent] += 1
        s = sentence_of.get(str(m))
        if s is not None and sentence(s) is not None:
            members[s].add(ent)
            nodes[ent].sentences.add(s)
    for iri, n in mention_count.items():
        nodes[iri].mentions = nodes[iri].mentions or n
    for s, ents in members.items():
        ents = sorted(ents)
        for i, a in enumerate(ents):
            for b in ents[i + 1:]:
                e = edge("cooccurrence", a, b)
                e["sentences"].add(s)
                e["count"] += 1

    # Stated relations, with the evidence of their reified statements.
    for st in graph.subjects(RDF.type, RDF.Statement):
        a, p, b = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if a is None or p is None or str(a) not in nodes or str(b) not in nodes or a == b:
            continue
        e = edge("relation", str(a), str(b))
        name = _words(_local(p))
        verbs = sorted(str(v) for v in graph.objects(st, KGO.verb))
        if p == KGO.relatedTo and verbs:
            e["rels"] |= {f"{name}: {v}" for v in verbs}
        else:
            e["rels"].add(name)
        for ev in graph.objects(st, KGO.evidence):
            if (sid := sentence(ev)) is not None:
                e["sentences"].add(sid)
    # Direct triples (also those without a reified statement).
    for a in list(nodes):
        for p, b in graph.predicate_objects(URIRef(a)):
            b = str(b)
            if b in nodes and b != a and str(p).startswith(str(KGO)) and p not in _NOT_RELATIONS:
                e = edge("relation", a, b)
                name = _words(_local(p))
                if not any(r == name or r.startswith(name + ":") for r in e["rels"]):
                    e["rels"].add(name)

    # Event participation: one edge per (event, entity), labelled by its roles.
    for prop, role in _ROLES.items():
        for ev, ent in graph.subject_objects(prop):
            ev, ent = str(ev), str(ent)
            if ev in nodes and ent in nodes and ev != ent and nodes[ev].type == "Event":
                nodes[ev].roles.setdefault(ent, set()).add(role)
    # The state a participant acts for, from its qualified participation.
    for ev, part in graph.subject_objects(KGO.participation):
        ev = str(ev)
        if ev not in nodes or nodes[ev].type != "Event":
            continue
        for state in graph.objects(part, KGO.represents):
            state = str(state)
            if state in nodes and state != ev:
                nodes[ev].roles.setdefault(state, set()).add("state")
    for ev, roles in ((n.iri, n.roles) for n in nodes.values() if n.roles):
        for ent, names in roles.items():
            if len(names) > 1:
                names.discard("participant")
            e = edge("event", ev, ent)
            e["rels"] |= names
            e["sentences"] |= nodes[ev].sentences
    return _Model(nodes, docs, sentences, edges)


# --------------------------------------------------------------------------- selecting a view

def _nx_graph(nodes, edges):
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


def _find_entity(graph: Graph, model: _Model, name: str) -> list[str]:
    """The nodes *name* names (:func:`kg.lookup.find_entities`)."""
    from .lookup import find_entities

    found = [str(iri) for iri in find_entities(graph, name)]
    shown = [iri for iri in found if iri in model.nodes]
    if not shown:
        raise KGError(f"{name!r} names {', '.join(found)}, which is not an entity or an event",
                      hint="give the name of an entity or an event")
    return shown


def _find_document(model: _Model, ref: str) -> str:
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


def _construct(graph: Graph, model: _Model, query: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    from .ns import PREFIXES

    try:
        result = graph.query(query, initNs=PREFIXES)
    except Exception as err:  # rdflib raises pyparsing's and its own errors
        raise QueryError(f"the SPARQL query cannot be run: {err}", hint="check its syntax") from None
    if result.type != "CONSTRUCT":
        raise QueryError(f"the query is a {result.type} query", hint="--construct needs a CONSTRUCT query")
    keep: set[str] = set()
    extra: list[tuple[str, str, str]] = []
    for s, p, o in result:
        ins = [str(x) for x in (s, o) if str(x) in model.nodes]
        keep.update(ins)
        if len(ins) == 2 and s != o:
            extra.append((str(s), _words(_local(p)), str(o)))
    return keep, sorted(set(extra))


def _select(graph, model: _Model, *, entity, hops, document, date_from, date_to, construct):
    """The nodes (and query-made edges) of the requested view; ``None`` for all."""
    sets: list[set[str]] = []
    extra: list[tuple[str, str, str]] = []
    description = []
    if entity is not None:
        import networkx as nx

        centres = _find_entity(graph, model, entity)
        g = _nx_graph(model.nodes, model.edges)
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


# --------------------------------------------------------------------------- importance, communities

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


def _communities(g) -> dict[str, int]:
    """Louvain communities (fixed seed), numbered by size."""
    import networkx as nx

    if g.number_of_edges() == 0:
        return {v: i for i, v in enumerate(sorted(g))}
    parts = nx.community.louvain_communities(g, weight="weight", seed=_LOUVAIN_SEED)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return {v: i for i, part in enumerate(parts) for v in part}


# --------------------------------------------------------------------------- the page's data

def network_data(
    graph: Graph,
    *,
    top: int = DEFAULT_TOP,
    max_nodes: int | None = None,
    entity: str | None = None,
    hops: int = 1,
    document: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    construct: str | None = None,
) -> dict:
    """Everything the page shows, as plain JSON-ready data.

    The view is the whole graph, or the nodes every given selector picks:
    *entity* (a label, alternative label or IRI) with its neighbours up to
    *hops* links away; *document* (an id, IRI or source file); the events
    between *date_from* and *date_to* (``YYYY[-MM[-DD]]``) with their
    participants; the entities named in the result of the SPARQL CONSTRUCT
    query *construct* (its triples between two of them become edges too).
    *max_nodes* keeps only that many nodes (the most important); the page
    first shows the *top* most important ones.
    """
    model = _collect(graph)
    keep, extra, description = _select(graph, model, entity=entity, hops=hops, document=document,
                                       date_from=date_from, date_to=date_to, construct=construct)
    nodes = model.nodes if keep is None else {k: v for k, v in model.nodes.items() if k in keep}
    edges = {k: v for k, v in model.edges.items() if k[1] in nodes and k[2] in nodes}
    for a, rel, b in extra:
        if not any((kind, a, b) in edges and rel in edges[(kind, a, b)]["rels"] for kind in ("relation", "event")):
            e = edges.setdefault(("query", a, b), {"rels": set(), "sentences": set(), "count": 0})
            e["rels"].add(rel)
    g = _nx_graph(nodes, edges)
    rank = pagerank(g)
    order = sorted(nodes, key=lambda v: (-round(rank[v], 12), nodes[v].label.casefold(), v))
    if max_nodes is not None and len(order) > max_nodes:
        order = order[:max_nodes]
        nodes = {k: nodes[k] for k in order}
        edges = {k: v for k, v in edges.items() if k[1] in nodes and k[2] in nodes}
        g = g.subgraph(order).copy()
    community = _communities(g)
    # Laid out on the links the page shows at first: co-occurrence starts hidden.
    shown_first = _nx_graph(nodes, {k: v for k, v in edges.items() if k[0] not in _HIDDEN_KINDS})
    pos = layout(g, shown_first, order, first=top)
    index = {v: i for i, v in enumerate(sorted(nodes))}
    doc_list = sorted({d for n in nodes.values() for d in n.docs if d in model.docs},
                      key=lambda d: (model.docs[d]["date"], model.docs[d]["title"], d))
    doc_index = {d: i for i, d in enumerate(doc_list)}

    used_sentences: set[str] = set()
    node_sentences: dict[str, list[str]] = {}
    for v, n in nodes.items():
        ss = sorted(n.sentences, key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
        node_sentences[v] = ss[:_SENTENCES_PER_NODE]
        used_sentences.update(node_sentences[v])
    edge_sentences: dict[tuple, list[str]] = {}
    for key, e in edges.items():
        ss = sorted(e["sentences"], key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
        edge_sentences[key] = ss[:_SENTENCES_PER_EDGE]
        used_sentences.update(edge_sentences[key])
    sentence_list = sorted(used_sentences, key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
    sentence_index = {s: i for i, s in enumerate(sentence_list)}

    top_rank = max(rank.values(), default=1.0) or 1.0
    events_of: dict[str, list[str]] = defaultdict(list)
    for v, n in nodes.items():
        for ent in n.roles:
            if ent in nodes:
                events_of[ent].append(v)

    def event_key(v):
        n = nodes[v]
        return (n.lo or "9999", n.hi or "9999", n.label, v)

    out_nodes = []
    for v in sorted(nodes):
        n = nodes[v]
        colour, shape = TYPE_STYLE[n.type]
        x, y = pos.get(v, (0.0, 0.0))
        short = n.label
        if n.event_type:
            short = f"{n.event_type} {n.start}" if n.start else n.event_type
        item = {
            "id": v, "label": n.label, "short": short if short != n.label else None, "type": n.type,
            "alt": n.alt, "qid": n.qid, "titles": n.titles, "mentions": n.mentions,
            "docs": sorted(doc_index[d] for d in n.docs if d in doc_index),
            "sentences": [sentence_index[s] for s in node_sentences[v]],
            "sentenceCount": len(n.sentences),
            "events": [index[e] for e in sorted(events_of.get(v, []), key=event_key)],
            "quotes": n.quotes,
            "importance": round(rank[v] / top_rank, 6),
            "value": round(1.0 + 9.0 * math.sqrt(rank[v] / top_rank), 3),
            "community": community.get(v, 0),
            "x": round(x), "y": round(y),
        }
        if n.type == "Event" and (n.event_type or n.roles):
            item.update({
                "eventType": n.event_type, "start": n.start, "end": n.end, "lo": n.lo, "hi": n.hi,
                "inferred": n.inferred, "phrase": n.phrase,
                "roles": [[index[e], ", ".join(sorted(r))] for e, r in sorted(n.roles.items()) if e in index],
            })
        out_nodes.append({k: val for k, val in item.items() if val is not None and val is not False and val != []})

    kinds = ("relation", "query", "event", "cooccurrence")
    edge_rows = []
    rel_counts: Counter = Counter()
    kind_of_rel: dict[str, str] = {}
    for (kind, a, b), e in sorted(edges.items(), key=lambda kv: (index[kv[0][1]], index[kv[0][2]], kv[0][0])):
        rels = sorted(e["rels"])
        keys = sorted({r.split(":", 1)[0] for r in rels}) if kind != "cooccurrence" else ["co-occurrence"]
        for k in keys:
            rel_counts[k] += 1
            kind_of_rel.setdefault(k, kind)
        docs = sorted({doc_index[d] for d in (model.sentences[x][1] for x in e["sentences"]) if d in doc_index})
        edge_rows.append((index[a], index[b], kinds.index(kind), keys, ", ".join(rels) if rels else None,
                          [sentence_index[x] for x in edge_sentences[(kind, a, b)]], len(e["sentences"]), docs))
    relations = sorted(rel_counts, key=lambda k: (kinds.index(kind_of_rel[k]), k))
    rel_index = {k: i for i, k in enumerate(relations)}
    # Edges are rows (the bulk of a large page): [from, to, kind, relation keys,
    # label, sentences, number of sentences, documents]; the page's script names the fields.
    out_edges = [[a, b, k, [rel_index[x] for x in keys], label, ss, n, docs]
                 for a, b, k, keys, label, ss, n, docs in edge_rows]

    types = Counter(n.type for n in nodes.values())
    communities = []
    members: dict[int, list[str]] = defaultdict(list)
    for v in order:
        members[community.get(v, 0)].append(nodes[v].label)
    for c in sorted(members):
        communities.append({"color": _COMMUNITY_COLOURS[min(c, len(_COMMUNITY_COLOURS) - 1)],
                            "size": len(members[c]), "label": ", ".join(members[c][:3])})
    return {
        "title": description or "knowledge graph",
        "top": max(1, int(top)),
        "types": [{"type": t, "color": TYPE_STYLE[t][0], "shape": TYPE_STYLE[t][1],
                   "glyph": _GLYPH[TYPE_STYLE[t][1]], "count": types.get(t, 0)} for t in ENTITY_TYPES],
        "kinds": list(kinds),
        "relations": [{"key": k, "kind": kind_of_rel[k], "count": rel_counts[k],
                       "shown": kind_of_rel[k] not in _HIDDEN_KINDS} for k in relations],
        "communities": communities,
        "docs": [{k: model.docs[d][k] for k in ("id", "title", "date", "source")} for d in doc_list],
        "sentences": [[model.sentences[s][0], doc_index.get(model.sentences[s][1], -1)] for s in sentence_list],
        "nodes": out_nodes,
        "edges": out_edges,
        "order": [index[v] for v in order],
        "options": {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": True,
                            "hideEdgesOnZoom": len(out_edges) > 3000, "keyboard": False},
            # Names are drawn by the page's own script, legible at any zoom (not by vis-network).
            "nodes": {"borderWidth": 1, "scaling": {"min": 7, "max": 34, "label": {"enabled": False}}},
            "edges": {"smooth": False, "selectionWidth": 2, "width": 1},
        },
    }


# --------------------------------------------------------------------------- the page

def _script_json(payload: dict) -> str:
    """JSON that cannot end its <script> block or open a comment/markup."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def prepare() -> None:
    """Import and read what making a page needs, ahead of time (a process
    that will make a page calls it while it waits for the graph)."""
    import jinja2  # noqa: F401
    import networkx  # noqa: F401
    import oxrdflib.store  # noqa: F401
    import pyoxigraph  # noqa: F401

    from . import export  # noqa: F401

    _vis_files()


@functools.lru_cache(maxsize=1)
def _vis_files() -> tuple[str, str]:
    """vis-network's JS and CSS from pyvis's bundled copy (found without
    importing pyvis, which imports IPython: 60 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("pyvis is not installed", hint="pip install 'pyvis>=0.3.2,<0.4'")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib"
    folder = max(lib.glob("vis-*/vis-network.min.js"), default=None)
    if folder is None:
        raise KGError(f"pyvis has no bundled vis-network under {lib}", hint="reinstall pyvis (>=0.3.2,<0.4)")
    js = folder.read_text("utf-8")
    css = (folder.parent / "vis-network.css").read_text("utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise KGError("pyvis's vis-network cannot be inlined (it contains a closing tag)", hint="reinstall pyvis")
    return js, css


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def render_html(
    graph: Graph,
    *,
    top: int = DEFAULT_TOP,
    max_nodes: int | None = None,
    entity: str | None = None,
    hops: int = 1,
    document: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    construct: str | None = None,
) -> str:
    """The HTML page of *graph* as a string; see :func:`network_data` for
    the view's arguments."""
    import jinja2
    from markupsafe import Markup

    payload = network_data(graph, top=top, max_nodes=max_nodes, entity=entity, hops=hops, document=document,
                           date_from=date_from, date_to=date_to, construct=construct)
    js, css = _vis_files()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                             autoescape=True, keep_trailing_newline=True)
    html = env.get_template("kg_network.html").render(
        title=payload["title"], vis_js=Markup(js), vis_css=Markup(css),
        data=Markup(_script_json(payload)), csp_scripts="__KG_SCRIPT_HASHES__")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _SCRIPT.findall(html))
    return html.replace("__KG_SCRIPT_HASHES__", hashes, 1)


def write_html(graph: Graph, path: str | os.PathLike, **view) -> Path:
    """Write the page of *graph* to *path* atomically (*view* as for
    :func:`render_html`)."""
    from .export import atomic_write

    return atomic_write(path, render_html(graph, **view).encode("utf-8"))
