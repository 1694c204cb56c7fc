"""The view model: what the page can show of a graph (entities, events,
documents, sentences and the edges between them), read from the graph once
by :func:`collect`."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from ..dates import parse_date_bounds
from ..ns import ITSRDF, KGO, NIF, SCHEMA
from ..records import ENTITY_TYPES
from ..store import oxigraph_store
from .reader import StoreReader

__all__ = ["Node", "Model", "collect", "local_name", "words"]

#: Quotations kept per speaker.
_QUOTES_PER_NODE = 8
_QID = re.compile(r"Q[1-9][0-9]{0,11}")
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


@dataclass
class Node:
    """An entity or an event as the page shows it."""

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
class Model:
    """Everything the page can show of a graph."""

    nodes: dict[str, Node]
    docs: dict[str, dict]
    sentences: dict[str, tuple[str, str, int]]  # iri -> (text, doc iri, begin)
    edges: dict[tuple[str, str, str], dict]     # (kind, a, b) -> {"rels": set, "sentences": set, "count": int}


def local_name(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def words(name: str) -> str:
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


def _first(values) -> str | None:
    values = sorted(str(v) for v in values)
    return values[0] if values else None


def collect(graph: Graph) -> Model:
    store = oxigraph_store(graph)
    if store is not None:
        graph = StoreReader(graph, store)
    nodes: dict[str, Node] = {}
    for t in ENTITY_TYPES:
        for s in sorted(set(graph.subjects(RDF.type, KGO[t]))):
            iri = str(s)
            if not isinstance(s, URIRef) or iri in nodes:
                continue
            labels = sorted(str(x) for x in graph.objects(s, RDFS.label))
            label = labels[0] if labels else local_name(iri)
            alt = sorted({str(x) for x in graph.objects(s, SKOS.altLabel)} | set(labels[1:]) - {label})
            node = Node(iri, t, label, alt, qid=_qid(graph, s))
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
        ident = str(graph.value(d, SCHEMA.identifier) or local_name(iri))
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
                concept_label[etype] = str(graph.value(etype, SKOS.prefLabel) or local_name(etype))
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
        name = words(local_name(p))
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
                name = words(local_name(p))
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
    return Model(nodes, docs, sentences, edges)
