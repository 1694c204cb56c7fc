import pytest
from rdflib import Graph, Literal, URIRef

from kg.ns import entity_iri, doc_iri, mention_iri, sentence_iri, slugify, wikidata_iri, PREFIXES

ODD = [
    "Xi Jinping",
    "Côte d'Ivoire",
    "<script>alert(1)</script>",
    "http://evil.example/?a=b#c",
    "\"\"\" ; <x> a <y> .",
    "سلام",
    "😀😀",
    "a" * 500,
    "",
    "\u202eevil",
]


@pytest.mark.parametrize("text", ODD)
def test_any_text_gives_a_valid_stable_iri(text):
    iri = entity_iri("Person", text)
    assert iri == entity_iri("Person", text)
    g = Graph()
    g.add((iri, URIRef("http://example.org/p"), Literal(text)))
    round_trip = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(round_trip.subjects()) == {iri}
    assert all(c.isalnum() or c in "-/:." for c in str(iri)), iri


def test_slugs_are_readable():
    assert slugify("Xi Jinping") == "xi-jinping"
    assert slugify("Belt and Road Initiative") == "belt-and-road-initiative"


def test_distinct_non_latin_names_get_distinct_slugs():
    assert slugify("北京") != slugify("上海")


def test_document_sentence_and_mention_iris():
    assert str(doc_iri("abc")) .endswith("/doc/abc")
    assert str(sentence_iri("abc", 0, 10)).endswith("/doc/abc#char=0,10")
    assert str(mention_iri("abc", 3, 5)).endswith("/doc/abc/m3-5")


def test_wikidata_iri_checks_the_qid():
    assert str(wikidata_iri("Q148")) == "http://www.wikidata.org/entity/Q148"
    with pytest.raises(ValueError):
        wikidata_iri("Q148> <x")


def test_prefixes_have_no_ns1():
    assert not any(p.startswith("ns") for p in PREFIXES)


def test_the_iris_of_statements_quotations_quantities_and_event_types():
    from kg.ns import KGSH, event_type_iri, quantity_iri, quotation_iri, statement_iri

    s, p, o = entity_iri("Person", "Ada"), URIRef("https://w3id.org/kg/ontology#metWith"), entity_iri("Person", "Bob")
    st = statement_iri("abc", s, p, o)
    assert st == statement_iri("abc", s, p, o)  # stable
    assert str(st).startswith("https://w3id.org/kg/id/statement/abc-https-w3id-org-kg-id-person-ada-")
    assert statement_iri("abd", s, p, o) != st and statement_iri("abc", s, p, o, "meet") != st
    assert str(quotation_iri("abc", 50, 65)) == "https://w3id.org/kg/id/doc/abc/q50-65"
    assert str(quantity_iri(URIRef("https://w3id.org/kg/id/event/e"), 2)) == "https://w3id.org/kg/id/event/e/quantity-2"
    assert str(event_type_iri("Visit")) == "https://w3id.org/kg/ontology#event-type/Visit"
    assert str(KGSH.countryName) == "https://w3id.org/kg/shapes#countryName"
