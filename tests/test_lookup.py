"""kg.lookup: names -> entities, ignoring case and accents, with the closest
names when nothing matches."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg.errors import EntityNotFound, KGError
from kg.lookup import closest_names, entity_names, find_entities, name_key

ID = "https://w3id.org/kg/id/"
XI = URIRef(ID + "person/xi-jinping")

# Names as the dev corpus of readouts writes them, on a hand-made graph.
NAMES = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix person: <https://w3id.org/kg/id/person/> .
@prefix country: <https://w3id.org/kg/id/country/> .
@prefix place: <https://w3id.org/kg/id/place/> .
person:volodymyr-zelenskyy rdfs:label "Volodymyr Zelenskyy" ; skos:altLabel "Zelensky", "Zelenskyy" .
person:andres-manuel-lopez-obrador rdfs:label "Andrés Manuel López Obrador" ; skos:altLabel "López Obrador" .
person:xi-jinping rdfs:label "Xi Jinping" ; skos:altLabel "President Xi Jinping" .
country:georgia rdfs:label "Georgia" .
place:georgia rdfs:label "Georgia" .
country:cote-d-ivoire rdfs:label "Côte d’Ivoire" .
country:united-states rdfs:label "United States" ; skos:altLabel "U.S." .
"""


@pytest.fixture(scope="module")
def names_graph() -> Graph:
    return Graph().parse(data=NAMES, format="turtle")


def test_name_key_ignores_case_accents_punctuation_and_spacing():
    assert name_key("  Xi   JINPING ") == name_key("xi jinping") == "xi jinping"
    assert name_key("López Obrador") == name_key("Lopez Obrador") == "lopez obrador"
    assert name_key("Côte d’Ivoire") == name_key("Cote d'Ivoire") == name_key("COTE DIVOIRE")
    assert name_key("U.S.") == name_key("US")
    assert name_key("South-South cooperation") == "south south cooperation"
    assert name_key("Łukasz Ørsted") == "lukasz orsted"
    assert name_key("習近平") == "習近平"
    assert name_key("...") == ""


@pytest.mark.parametrize("name, iri", [
    ("zelensky", "person/volodymyr-zelenskyy"),          # an altLabel, lower case
    ("VOLODYMYR ZELENSKYY", "person/volodymyr-zelenskyy"),
    ("xi jinping", "person/xi-jinping"),
    ("president xi jinping", "person/xi-jinping"),
    ("Lopez Obrador", "person/andres-manuel-lopez-obrador"),  # without the accent
    ("andres manuel lopez obrador", "person/andres-manuel-lopez-obrador"),
    ("cote d'ivoire", "country/cote-d-ivoire"),
    ("US", "country/united-states"),
])
def test_a_name_finds_its_entity_in_any_case_and_without_accents(names_graph, name, iri):
    assert find_entities(names_graph, name) == [URIRef(ID + iri)]


def test_a_name_of_several_entities_finds_them_all_in_iri_order(names_graph):
    assert find_entities(names_graph, "georgia") == [URIRef(ID + "country/georgia"), URIRef(ID + "place/georgia")]


@pytest.mark.parametrize("written", [f"<{XI}>", str(XI), "person:xi-jinping"])
def test_an_iri_the_graph_has_is_taken_as_it_is(names_graph, written):
    assert find_entities(names_graph, written) == [XI]


def test_a_miss_lists_the_closest_names(names_graph):
    with pytest.raises(EntityNotFound) as caught:
        find_entities(names_graph, "jinping")  # a part of a name
    err = caught.value
    assert isinstance(err, KGError) and err.name == "jinping"
    assert err.suggestions[0] == ("Xi Jinping", "Xi Jinping")
    assert "did you mean: Xi Jinping" in str(err)
    # a misspelling: the closest alternative name, with its entity's label; one name per entity
    with pytest.raises(EntityNotFound) as caught:
        find_entities(names_graph, "zelenski")
    assert caught.value.suggestions == (("Zelensky", "Volodymyr Zelenskyy"),)
    with pytest.raises(EntityNotFound) as caught:
        find_entities(names_graph, "obrador")
    assert caught.value.suggestions == (("López Obrador", "Andrés Manuel López Obrador"),)
    with pytest.raises(EntityNotFound) as caught:
        find_entities(names_graph, "Nobody Atall")
    assert caught.value.suggestions == () and "kg query entities" in str(caught.value)
    with pytest.raises(EntityNotFound):
        find_entities(names_graph, "person:nobody")  # an IRI the graph does not have


def test_closest_names_put_whole_words_before_word_starts_before_look_alikes(names_graph):
    names = entity_names(names_graph)
    assert [n.text for n in closest_names(names, "zelensk")] == ["Zelensky"]
    assert [n.text for n in closest_names(names, "georgi")] == ["Georgia", "Georgia"]
    assert [n.text for n in closest_names(names, "Unitd States")] == ["United States"]
    assert len(closest_names(names, "a", n=3)) <= 3


def test_entity_names_are_every_label_and_alternative_label(names_graph):
    names = entity_names(names_graph)
    assert names == sorted(names)
    assert {(n.text, n.preferred) for n in names if n.entity == str(XI)} == {
        ("Xi Jinping", True), ("President Xi Jinping", False)}
    assert all(n.label == "Volodymyr Zelenskyy" for n in names if n.entity.endswith("zelenskyy"))


# --------------------------------------------------------------------------- on the seeds' build

def test_the_seeds_entities_are_found_by_name(seeds_graph):
    assert find_entities(seeds_graph, "xi jinping") == [XI]
    assert find_entities(seeds_graph, "antonio guterres") == [URIRef(ID + "person/antonio-guterres")]
    assert find_entities(seeds_graph, "KORBER FOUNDATION") == [URIRef(ID + "organization/korber-foundation")]
    with pytest.raises(EntityNotFound, match="did you mean: Guterres"):
        find_entities(seeds_graph, "guteres")


def test_the_seeds_store_gives_the_same_answers(seeds_out):
    """`kg query` reads large graphs from the Oxigraph store, where plain
    literals come back typed xsd:string."""
    from kg.store import open_store_graph

    store = open_store_graph(seeds_out.outputs["store"].parent)
    assert find_entities(store, "xi jinping") == [XI]
    assert entity_names(store) == entity_names(seeds_out.graph)
    with pytest.raises(EntityNotFound) as caught:
        find_entities(store, "jinping")
    assert caught.value.suggestions[0] == ("Xi Jinping", "Xi Jinping")
    from kg.query import run_query

    def facts(graph):
        return sorted(tuple(map(str, row)) for row in run_query(graph, "profile", {"name": "president xi jinping"}))

    assert facts(store) == facts(seeds_out.graph) and len(facts(store)) > 20
