"""Query helpers for tests (plain functions over an rdflib Graph)."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.ns import KGO


def entities(graph: Graph, kg_type: str) -> dict[str, object]:
    """label -> node of every named entity of *kg_type* (nodes with mentions;
    extracted happenings are Events too but are not names)."""
    return {str(graph.value(s, RDFS.label)): s for s in graph.subjects(RDF.type, KGO[kg_type])
            if (s, KGO.mentionCount, None) in graph}


def nodes_labelled(graph: Graph, label: str) -> list:
    return sorted(graph.subjects(RDFS.label, Literal(label)))


def all_entity_labels(graph: Graph) -> set[str]:
    out = set()
    for t in ("Person", "Country", "Organization", "Place", "Initiative", "Event"):
        out |= set(entities(graph, t))
    return out
