"""kg.graph: how resolved entities and events become triples, on a short
built text."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.ns import SCHEMA

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graph(nlp):
    from kg.builder import build_graph_from_texts

    return build_graph_from_texts(["The foreign ministers met in Nairobi on Tuesday to discuss trade."]).graph


def _place(g, label):
    found = [s for s in g.subjects(RDFS.label, Literal(label)) if (s, RDF.type, None) in g]
    assert found, label
    return found[0]


def test_a_gazetteer_place_has_its_geonames_link_and_coordinates(graph):
    nairobi = _place(graph, "Nairobi")
    assert (nairobi, OWL.sameAs, URIRef("https://sws.geonames.org/184745/")) in graph
    assert (nairobi, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q3870")) in graph
    geo = graph.value(nairobi, SCHEMA.geo)
    assert (geo, RDF.type, SCHEMA.GeoCoordinates) in graph
    assert graph.value(geo, SCHEMA.latitude) == Literal("-1.2833", datatype=XSD.decimal)
    assert graph.value(geo, SCHEMA.longitude) == Literal("36.8167", datatype=XSD.decimal)


def test_coordinates_are_canonical_decimals():
    from kg.graph import _decimal

    assert [_decimal(x) for x in (6.0, -8.396, 0.0, -0.00001, 43.3713)] == ["6", "-8.396", "0", "0", "43.3713"]
