"""Records -> rdflib Graph. The only module that builds triples.

Layout of the output (see ``ontology/kg.ttl``):

* entity ``person:xi-jinping a kgo:Person; rdfs:label; skos:altLabel;
  owl:sameAs wd:Q15031; kgo:mentionedIn doc:...; kgo:mentionCount``
* document ``doc:<hash> a schema:NewsArticle, nif:Context`` with its
  metadata and its text (``nif:isString``)
* sentence ``doc:<hash>#char=b,e a nif:Sentence`` with its text and offsets
* mention ``doc:<hash>/m<b>-<e> a kgo:Mention, nif:Phrase`` linking a
  sentence to an entity (``itsrdf:taIdentRef``) with the rule that found it
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from rdflib.namespace import PROV

from .ns import (ITSRDF, KGO, NIF, SCHEMA, bind_prefixes, doc_iri, entity_iri, event_type_iri, geo_iri, geonames_iri,
                 mention_iri, participation_iri, property_domains, quantity_iri, quotation_iri, sentence_iri, statement_iri,
                 wikidata_iri)
from .records import Entity, Extraction, SourceDoc
from .resolve import Resolution

__all__ = ["new_graph", "build_graph", "add_document", "add_entities", "add_mentions", "add_relations",
           "add_events", "add_quotations", "add_document_statements", "add_corpus_statements", "entity_node",
           "event_node"]

_CREDIT_PROPERTY = {
    "editor": SCHEMA.editor,
    "responsibleEditor": KGO.responsibleEditor,
    "author": SCHEMA.author,
    "translator": SCHEMA.translator,
    "contributor": SCHEMA.contributor,
    "publisher": SCHEMA.publisher,
}


def new_graph() -> Graph:
    """An empty in-memory graph with kg's prefixes bound."""
    return bind_prefixes(Graph())


def entity_node(entity: Entity) -> URIRef:
    return entity_iri(entity.type, entity.key)


def add_document(graph: Graph, doc: SourceDoc) -> URIRef:
    """Add a document node and its metadata."""
    node = doc_iri(doc.id)
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, RDF.type, NIF.Context))
    graph.add((node, SCHEMA.identifier, Literal(doc.id)))
    graph.add((node, KGO.contentHash, Literal(hashlib.sha256(doc.text.encode("utf-8")).hexdigest())))
    graph.add((node, KGO.source, Literal(doc.source)))
    graph.add((node, NIF.isString, Literal(doc.text)))
    if doc.title:
        graph.add((node, SCHEMA.headline, Literal(doc.title)))
    if doc.date:
        graph.add((node, SCHEMA.datePublished, Literal(doc.date, datatype=XSD.date)))
    if doc.url:
        graph.add((node, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.publisher:
        graph.add((node, SCHEMA.publisher, Literal(doc.publisher)))
    if doc.author:
        graph.add((node, SCHEMA.author, Literal(doc.author)))
    if doc.language:
        graph.add((node, SCHEMA.inLanguage, Literal(doc.language)))
    for role, name in doc.credits:
        graph.add((node, _CREDIT_PROPERTY.get(role, SCHEMA.contributor), Literal(name)))
    for keyword in doc.keywords:
        graph.add((node, SCHEMA.keywords, Literal(keyword)))
    return node


def add_entities(graph: Graph, resolution: Resolution) -> None:
    """Add the entity nodes (names, types, links, counts). Their mentions,
    and the documents naming them, are added per document by
    :func:`add_document_statements`."""
    for entity in resolution.entities:
        node = entity_node(entity)
        graph.add((node, RDF.type, KGO[entity.type]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if entity.qid:
            graph.add((node, OWL.sameAs, wikidata_iri(entity.qid)))
        if entity.geonames:
            graph.add((node, OWL.sameAs, geonames_iri(entity.geonames)))
        if entity.coords is not None:
            geo = geo_iri(node)
            graph.add((node, SCHEMA.geo, geo))
            graph.add((geo, RDF.type, SCHEMA.GeoCoordinates))
            graph.add((geo, SCHEMA.latitude, Literal(_decimal(entity.coords[0]), datatype=XSD.decimal)))
            graph.add((geo, SCHEMA.longitude, Literal(_decimal(entity.coords[1]), datatype=XSD.decimal)))
        for title in entity.titles:
            graph.add((node, SCHEMA.jobTitle, Literal(title)))
        graph.add((node, KGO.mentionCount, Literal(entity.mention_count)))


def _decimal(value: float) -> str:
    """A coordinate as an XSD 1.1 canonical decimal ("43.3713", "6"), as Oxigraph writes it."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@lru_cache(maxsize=1 << 16)
def _offset(n: int) -> Literal:
    """A character offset's literal (xsd:integer); offsets repeat in every document."""
    return Literal(int(n))


@lru_cache(maxsize=1024)
def _rule(rule: str) -> Literal:
    return Literal(rule)


class _Sentences:
    """Sentence nodes of one document, each added once."""

    def __init__(self, graph, ex: Extraction) -> None:
        self.graph, self.ex, self.seen = graph, ex, set()

    def node(self, index: int) -> URIRef:
        sentence = self.ex.sentences[index]
        node = sentence_iri(self.ex.doc.id, sentence.start, sentence.end)
        if node not in self.seen:
            self.seen.add(node)
            graph = self.graph
            graph.add((node, RDF.type, NIF.Sentence))
            graph.add((node, NIF.referenceContext, doc_iri(self.ex.doc.id)))
            graph.add((node, NIF.beginIndex, _offset(sentence.start)))
            graph.add((node, NIF.endIndex, _offset(sentence.end)))
            graph.add((node, NIF.anchorOf, Literal(sentence.text)))
        return node


def add_mentions(graph, ex: Extraction, resolution: Resolution, sentences: _Sentences) -> None:
    """The mentions of one document, linked to their entities and sentences."""
    add, a, doc = graph.add, RDF.type, doc_iri(ex.doc.id)
    mention, phrase, context, in_sentence = KGO.Mention, NIF.Phrase, NIF.referenceContext, NIF.sentence
    begin, end, anchor, surface, ident, rule, mentioned = (NIF.beginIndex, NIF.endIndex, NIF.anchorOf, KGO.surfaceForm,
                                                           ITSRDF.taIdentRef, KGO.extractedBy, KGO.mentionedIn)
    for m in ex.mentions:
        node = entity_node(resolution.entity_of(m))
        m_node = mention_iri(m.doc_id, m.start, m.end)
        m_doc = doc if m.doc_id == ex.doc.id else doc_iri(m.doc_id)
        add((m_node, a, mention))
        add((m_node, a, phrase))
        add((m_node, context, m_doc))
        add((m_node, in_sentence, sentences.node(m.sentence)))
        add((m_node, begin, _offset(m.start)))
        add((m_node, end, _offset(m.end)))
        add((m_node, anchor, Literal(m.text)))
        if m.surface != m.text:
            add((m_node, surface, Literal(m.surface)))
        add((m_node, ident, node))
        add((m_node, rule, _rule(m.rule)))
        add((node, mentioned, m_doc))


def add_relations(graph, ex: Extraction, resolution: Resolution, sentences: _Sentences) -> int:
    """Direct entity-to-entity triples of one document, each with a reified
    ``rdf:Statement`` beside it that carries the evidence sentence, the
    mentions and the rule id."""
    count = 0
    by_span = {(m.start, m.end): m for m in ex.mentions}
    domains = property_domains()
    for r in ex.relations:
        sm, om = by_span.get(tuple(r.subject)), by_span.get(tuple(r.object))
        if sm is None or om is None:
            continue
        s, o = resolution.entity_of(sm), resolution.entity_of(om)
        if s is o or s.type not in domains.get(r.predicate, (s.type,)):
            continue  # (a mention resolved to another type: "Zelenskiy in Istanbul" read as a body)
        s_node, o_node = entity_node(s), entity_node(o)
        predicate = KGO[r.predicate]
        graph.add((s_node, predicate, o_node))
        # one statement per relation and document, so it lives in that document's named graph
        st = statement_iri(ex.doc.id, s_node, predicate, o_node, r.verb if r.predicate == "relatedTo" else "")
        graph.add((st, RDF.type, RDF.Statement))
        graph.add((st, RDF.subject, s_node))
        graph.add((st, RDF.predicate, predicate))
        graph.add((st, RDF.object, o_node))
        graph.add((st, KGO.evidence, sentences.node(r.sentence)))
        graph.add((st, KGO.subjectMention, mention_iri(ex.doc.id, sm.start, sm.end)))
        graph.add((st, KGO.objectMention, mention_iri(ex.doc.id, om.start, om.end)))
        graph.add((st, KGO.extractedBy, _rule(r.rule)))
        graph.add((st, PROV.wasDerivedFrom, doc_iri(ex.doc.id)))
        if r.verb:
            graph.add((st, KGO.verb, Literal(r.verb)))
        if r.title:
            graph.add((st, KGO.title, Literal(r.title)))
        count += 1
    return count


def event_node(event) -> URIRef:
    if event.entity is not None:
        return entity_node(event.entity)
    return entity_iri("Event", event.key)


_DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def _date_literal(value: str) -> Literal:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value), "date")
    return Literal(value, datatype=_DATATYPES[kind])


def add_events(graph: Graph, events) -> None:
    """Event nodes: type (SKOS concept), CAMEO code, dates, place, participants, evidence."""
    from .nlp.rules import relation_rules

    kinds = relation_rules()["event_types"]
    for etype in sorted({ev.type for ev in events}):
        concept = event_type_iri(etype)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, KGO.EventTypes))
        graph.add((concept, SKOS.prefLabel, Literal(kinds[etype]["label"], lang="en")))
        if kinds[etype].get("cameo"):
            graph.add((concept, KGO.cameoCode, Literal(kinds[etype]["cameo"])))
    for ev in events:
        node = event_node(ev)
        graph.add((node, RDF.type, KGO.Event))
        if ev.entity is None:
            graph.add((node, RDFS.label, Literal(ev.label)))
        graph.add((node, KGO.eventType, event_type_iri(ev.type)))
        if ev.start:
            graph.add((node, SCHEMA.startDate, _date_literal(ev.start)))
            graph.add((node, SCHEMA.endDate, _date_literal(ev.end or ev.start)))
            graph.add((node, KGO.dateInferred, Literal(ev.inferred)))
            graph.add((node, KGO.dateSource, Literal(ev.date_source)))
            if ev.date_text:
                graph.add((node, KGO.dateText, Literal(ev.date_text)))
        else:
            graph.add((node, KGO.dateSource, Literal("none: the text gives no date for it")))
        for e in ev.places or ((ev.place,) if ev.place is not None else ()):
            graph.add((node, SCHEMA.location, entity_node(e)))
        for e in ev.agents:
            graph.add((node, SCHEMA.participant, entity_node(e)))
            graph.add((node, KGO.agent, entity_node(e)))
        for e in ev.targets:
            if entity_node(e) == node:
                continue  # a named event does not target itself
            if e.type in ("Person", "Country", "Organization"):
                graph.add((node, SCHEMA.participant, entity_node(e)))
            graph.add((node, KGO.target, entity_node(e)))
        for person, state in ev.states:
            # the state a participant acts for qualifies that participation
            # (Wikidata: participant P710 with the qualifier represents P1268)
            part = participation_iri(node, entity_node(person))
            graph.add((node, KGO.participation, part))
            graph.add((part, RDF.type, KGO.Participation))
            graph.add((part, KGO.participant, entity_node(person)))
            graph.add((part, KGO.represents, entity_node(state)))
        if ev.planned:
            graph.add((node, KGO.planned, Literal(True)))
        for e, role in ev.roles:
            graph.add((node, KGO.participantRole, Literal(f"{e.label}: {role}")))
        if ev.entity is not None and ev.type in ("Summit", "Meeting"):
            for e in ev.agents:
                graph.add((node, SCHEMA.organizer, entity_node(e)))
        graph.add((node, KGO.phrase, Literal(ev.phrase)))
        for i, q in enumerate(ev.quantities, start=1):
            q_node = quantity_iri(node, i)
            graph.add((node, KGO.quantity, q_node))
            graph.add((q_node, RDF.type, SCHEMA.QuantitativeValue))
            # XSD 1.1 canonical decimal ("30", "2.5"), as Oxigraph writes it
            graph.add((q_node, SCHEMA.value, Literal(q.value, datatype=XSD.decimal)))
            if q.item:
                graph.add((q_node, SCHEMA.unitText, Literal(q.item)))
            if q.currency:
                graph.add((q_node, SCHEMA.unitCode, Literal(q.currency)))
            if q.qualifier:
                graph.add((q_node, KGO.qualifier, Literal(q.qualifier)))
            graph.add((q_node, KGO.quantityText, Literal(q.text)))
        for rule in ev.rules:
            graph.add((node, KGO.extractedBy, Literal(rule)))
        for doc_id, start, end in ev.evidence:
            graph.add((node, KGO.evidence, sentence_iri(doc_id, start, end)))
            graph.add((node, PROV.wasDerivedFrom, doc_iri(doc_id)))


def add_quotations(graph, ex: Extraction, resolution: Resolution, sentences: _Sentences) -> None:
    """Quotation nodes of one document with their text, speaker and sentence."""
    by_span = {(m.start, m.end): m for m in ex.mentions}
    starts = [m.start for m in ex.mentions]
    for q in ex.quotations:
        node = quotation_iri(ex.doc.id, q.start, q.end)
        graph.add((node, RDF.type, KGO.Quotation))
        graph.add((node, SCHEMA.text, Literal(q.text)))
        graph.add((node, NIF.referenceContext, doc_iri(ex.doc.id)))
        graph.add((node, NIF.beginIndex, Literal(q.start)))
        graph.add((node, NIF.endIndex, Literal(q.end)))
        graph.add((node, KGO.evidence, sentences.node(q.sentence)))
        graph.add((node, KGO.extractedBy, Literal(q.rule)))
        if q.speaker is not None and tuple(q.speaker) in by_span:
            speaker = entity_node(resolution.entity_of(by_span[tuple(q.speaker)]))
            graph.add((node, KGO.speaker, speaker))
            graph.add((speaker, KGO.said, node))
        # what the quotation speaks of: the entities named inside it (mentions are sorted by start)
        for m in ex.mentions[bisect.bisect_left(starts, q.start):bisect.bisect_right(starts, q.end)]:
            if m.end <= q.end:
                graph.add((node, SCHEMA.mentions, entity_node(resolution.entity_of(m))))


def add_document_statements(graph, ex: Extraction, resolution: Resolution, events=()) -> None:
    """Everything one document contributes: its node, mentions, relations,
    quotations, and the sentences they and *events* cite. Needs the full
    extraction (texts); call it one document at a time to stream."""
    add_document(graph, ex.doc)
    sentences = _Sentences(graph, ex)
    add_mentions(graph, ex, resolution, sentences)
    add_relations(graph, ex, resolution, sentences)
    add_quotations(graph, ex, resolution, sentences)
    starts = {(s.start, s.end): i for i, s in enumerate(ex.sentences)}
    for ev in events:
        for doc_id, start, end in ev.evidence:
            if doc_id == ex.doc.id and (start, end) in starts:
                sentences.node(starts[(start, end)])


def add_corpus_statements(graph, resolution: Resolution, events=None) -> None:
    """What belongs to no single document: entity nodes and event nodes."""
    add_entities(graph, resolution)
    if events is not None:
        add_events(graph, events)


def build_graph(extractions: Iterable[Extraction], resolution: Resolution, graph: Graph | None = None,
                events=None) -> Graph:
    """The whole graph of *extractions* as resolved by *resolution*, in memory."""
    graph = graph if graph is not None else new_graph()
    events = list(events) if events is not None else None
    for ex in extractions:
        add_document_statements(graph, ex, resolution, events or ())
    add_corpus_statements(graph, resolution, events)
    return graph
