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

import hashlib
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .ns import ITSRDF, KGO, NIF, SCHEMA, bind_prefixes, doc_iri, entity_iri, mention_iri, sentence_iri, wikidata_iri
from .records import Entity, Extraction, SourceDoc
from .resolve import Resolution

__all__ = ["new_graph", "build_graph", "add_document", "add_entities", "entity_node"]

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
    return node


def add_entities(graph: Graph, resolution: Resolution, extractions: dict[str, Extraction]) -> None:
    """Add entity nodes, their mentions and the sentences holding them."""
    for entity in resolution.entities:
        node = entity_node(entity)
        graph.add((node, RDF.type, KGO[entity.type]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if entity.qid:
            graph.add((node, OWL.sameAs, wikidata_iri(entity.qid)))
        for title in entity.titles:
            graph.add((node, KGO.title, Literal(title)))
        graph.add((node, KGO.mentionCount, Literal(len(entity.mentions))))
        for doc_id in entity.doc_ids:
            graph.add((node, KGO.mentionedIn, doc_iri(doc_id)))
        for m in entity.mentions:
            ex = extractions[m.doc_id]
            sentence = ex.sentences[m.sentence]
            s_node = sentence_iri(m.doc_id, sentence.start, sentence.end)
            if (s_node, RDF.type, NIF.Sentence) not in graph:
                graph.add((s_node, RDF.type, NIF.Sentence))
                graph.add((s_node, NIF.referenceContext, doc_iri(m.doc_id)))
                graph.add((s_node, NIF.beginIndex, Literal(sentence.start)))
                graph.add((s_node, NIF.endIndex, Literal(sentence.end)))
                graph.add((s_node, NIF.anchorOf, Literal(sentence.text)))
            m_node = mention_iri(m.doc_id, m.start, m.end)
            graph.add((m_node, RDF.type, KGO.Mention))
            graph.add((m_node, RDF.type, NIF.Phrase))
            graph.add((m_node, NIF.referenceContext, doc_iri(m.doc_id)))
            graph.add((m_node, NIF.sentence, s_node))
            graph.add((m_node, NIF.beginIndex, Literal(m.start)))
            graph.add((m_node, NIF.endIndex, Literal(m.end)))
            graph.add((m_node, NIF.anchorOf, Literal(m.text)))
            if m.surface != m.text:
                graph.add((m_node, KGO.surfaceForm, Literal(m.surface)))
            graph.add((m_node, ITSRDF.taIdentRef, node))
            graph.add((m_node, KGO.extractedBy, Literal(m.rule)))


def build_graph(extractions: Iterable[Extraction], resolution: Resolution, graph: Graph | None = None) -> Graph:
    """The whole graph of *extractions* as resolved by *resolution*."""
    graph = graph if graph is not None else new_graph()
    by_id: dict[str, Extraction] = {}
    for ex in extractions:
        by_id[ex.doc.id] = ex
        add_document(graph, ex.doc)
    add_entities(graph, resolution, by_id)
    return graph
