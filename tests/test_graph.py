"""kg.graph: how resolved entities and events become triples, on a short
built text (slow: it runs the spaCy pipeline) and on hand-made records."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.events import ResolvedEvent
from kg.ns import SCHEMA
from kg.records import Entity, Extraction, Mention, Quotation, Relation, Sentence, SourceDoc

#: The reified statement of Ruto's meeting with Guterres (its IRI is a slug and hash of its parts).
STATEMENT = "d1-https-w3id-org-kg-id-person-william-r-63809b9e08"


@pytest.fixture(scope="module")
def graph(nlp):
    from kg.pipeline import build_graph_from_texts

    return build_graph_from_texts(["The foreign ministers met in Nairobi on Tuesday to discuss trade."]).graph


def _place(g, label):
    found = [s for s in g.subjects(RDFS.label, Literal(label)) if (s, RDF.type, None) in g]
    assert found, label
    return found[0]


@pytest.mark.slow
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


# --------------------------------------------------------------------------- records -> Turtle, by hand
#
# kg.graph alone: hand-made records and a stand-in for the resolution (graph.py
# asks it for its entities and for the entity of a mention, nothing else), the
# Turtle kg writes compared by isomorphism with a graph written out by hand.

TEXT = 'Ruto met Guterres in Nairobi on May 3. Ruto said "we want peace".'
DOC = SourceDoc(id="d1", text=TEXT, source="talks.txt", title="Talks in Nairobi", date="2024-05-03",
                language="en", keywords=("trade",), credits=(("editor", "Jane Roe"),))
SENTENCES = (Sentence("d1", 0, 38, "Ruto met Guterres in Nairobi on May 3."),
             Sentence("d1", 39, 66, 'Ruto said "we want peace".'))
RUTO = Entity("William Ruto", "Person", "William Ruto", alt_labels=("Ruto",), qid="Q7834",
              titles=("President",), mention_count=2, doc_count=1)
GUTERRES = Entity("Antonio Guterres", "Person", "Antonio Guterres", mention_count=1, doc_count=1)
NAIROBI = Entity("Nairobi", "Place", "Nairobi", qid="Q3870", geonames="184745", coords=(-1.28333, 36.81667),
                 mention_count=1, doc_count=1)
KENYA = Entity("Kenya", "Country", "Kenya", mention_count=0, doc_count=0)
MENTIONS = (
    Mention("d1", 0, 4, "Ruto", "Ruto", "Person", "Ruto", 0, "ner"),
    Mention("d1", 9, 17, "Guterres", "Guterres", "Person", "Guterres", 0, "ner"),
    Mention("d1", 21, 28, "Nairobi", "Nairobi", "Place", "Nairobi", 0, "gazetteer", gazetteer_id="places:184745"),
    Mention("d1", 39, 43, "Ruto", "President Ruto", "Person", "Ruto", 1, "ner", title="President"),
)
EXTRACTION = Extraction(
    doc=DOC, sentences=SENTENCES, mentions=MENTIONS,
    relations=(Relation("d1", 0, (0, 4), "metWith", (9, 17), "met", "meet-verb"),),
    quotations=(Quotation("d1", 50, 65, "we want peace", 1, (39, 43), "said-quote"),),
)
MEETING = ResolvedEvent(
    key="meeting-ruto-guterres-2024-05-03", type="Meeting", label="Meeting of William Ruto and Antonio Guterres",
    start="2024-05-03", end=None, datatype="date", inferred=False, date_text="May 3", date_source="sentence",
    place=NAIROBI, agents=(RUTO,), targets=(GUTERRES,), roles=(), evidence=(("d1", 0, 38),),
    rules=("meet-verb",), phrase="Ruto met Guterres", states=((RUTO, KENYA),),
)


class _Resolved:
    """What kg.graph asks of a Resolution: the entities, and each mention's entity."""

    def __init__(self, entities, of):
        self.entities, self._of = tuple(entities), of

    def entity_of(self, mention):
        return self._of[(mention.start, mention.end)]


RESOLVED = _Resolved((GUTERRES, RUTO, KENYA, NAIROBI),
                     {(0, 4): RUTO, (9, 17): GUTERRES, (21, 28): NAIROBI, (39, 43): RUTO})

EXPECTED = """
@prefix kgo: <https://w3id.org/kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix doc: <https://w3id.org/kg/id/doc/> .
@prefix person: <https://w3id.org/kg/id/person/> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix country: <https://w3id.org/kg/id/country/> .
@prefix event: <https://w3id.org/kg/id/event/> .
@prefix st: <https://w3id.org/kg/id/statement/> .

doc:d1 a schema:NewsArticle, nif:Context ;
    schema:identifier "d1" ;
    kgo:contentHash "CONTENT_HASH" ;
    kgo:source "talks.txt" ;
    nif:isString "Ruto met Guterres in Nairobi on May 3. Ruto said \\"we want peace\\"." ;
    schema:headline "Talks in Nairobi" ;
    schema:datePublished "2024-05-03"^^xsd:date ;
    schema:inLanguage "en" ;
    schema:editor "Jane Roe" ;
    schema:keywords "trade" .

<https://w3id.org/kg/id/doc/d1#char=0,38> a nif:Sentence ;
    nif:referenceContext doc:d1 ;
    nif:beginIndex 0 ; nif:endIndex 38 ;
    nif:anchorOf "Ruto met Guterres in Nairobi on May 3." .
<https://w3id.org/kg/id/doc/d1#char=39,66> a nif:Sentence ;
    nif:referenceContext doc:d1 ;
    nif:beginIndex 39 ; nif:endIndex 66 ;
    nif:anchorOf "Ruto said \\"we want peace\\"." .

<https://w3id.org/kg/id/doc/d1/m0-4> a kgo:Mention, nif:Phrase ;
    nif:referenceContext doc:d1 ; nif:sentence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    nif:beginIndex 0 ; nif:endIndex 4 ; nif:anchorOf "Ruto" ;
    itsrdf:taIdentRef person:william-ruto ; kgo:extractedBy "ner" .
<https://w3id.org/kg/id/doc/d1/m9-17> a kgo:Mention, nif:Phrase ;
    nif:referenceContext doc:d1 ; nif:sentence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    nif:beginIndex 9 ; nif:endIndex 17 ; nif:anchorOf "Guterres" ;
    itsrdf:taIdentRef person:antonio-guterres ; kgo:extractedBy "ner" .
<https://w3id.org/kg/id/doc/d1/m21-28> a kgo:Mention, nif:Phrase ;
    nif:referenceContext doc:d1 ; nif:sentence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    nif:beginIndex 21 ; nif:endIndex 28 ; nif:anchorOf "Nairobi" ;
    itsrdf:taIdentRef place:nairobi ; kgo:extractedBy "gazetteer" .
<https://w3id.org/kg/id/doc/d1/m39-43> a kgo:Mention, nif:Phrase ;
    nif:referenceContext doc:d1 ; nif:sentence <https://w3id.org/kg/id/doc/d1#char=39,66> ;
    nif:beginIndex 39 ; nif:endIndex 43 ; nif:anchorOf "Ruto" ; kgo:surfaceForm "President Ruto" ;
    itsrdf:taIdentRef person:william-ruto ; kgo:extractedBy "ner" .

person:william-ruto a kgo:Person ;
    rdfs:label "William Ruto" ; skos:altLabel "Ruto" ; schema:jobTitle "President" ;
    owl:sameAs wd:Q7834 ; kgo:mentionCount 2 ; kgo:mentionedIn doc:d1 ;
    kgo:metWith person:antonio-guterres ;
    kgo:said <https://w3id.org/kg/id/doc/d1/q50-65> .
person:antonio-guterres a kgo:Person ;
    rdfs:label "Antonio Guterres" ; kgo:mentionCount 1 ; kgo:mentionedIn doc:d1 .
country:kenya a kgo:Country ; rdfs:label "Kenya" ; kgo:mentionCount 0 .
place:nairobi a kgo:Place ;
    rdfs:label "Nairobi" ; owl:sameAs wd:Q3870, <https://sws.geonames.org/184745/> ;
    kgo:mentionCount 1 ; kgo:mentionedIn doc:d1 ;
    schema:geo <https://w3id.org/kg/id/place/nairobi/geo> .
<https://w3id.org/kg/id/place/nairobi/geo> a schema:GeoCoordinates ;
    schema:latitude "-1.2833"^^xsd:decimal ; schema:longitude "36.8167"^^xsd:decimal .

st:STATEMENT a rdf:Statement ;
    rdf:subject person:william-ruto ; rdf:predicate kgo:metWith ; rdf:object person:antonio-guterres ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    kgo:subjectMention <https://w3id.org/kg/id/doc/d1/m0-4> ;
    kgo:objectMention <https://w3id.org/kg/id/doc/d1/m9-17> ;
    kgo:extractedBy "meet-verb" ; kgo:verb "met" ;
    prov:wasDerivedFrom doc:d1 .

<https://w3id.org/kg/id/doc/d1/q50-65> a kgo:Quotation ;
    schema:text "we want peace" ;
    nif:referenceContext doc:d1 ; nif:beginIndex 50 ; nif:endIndex 65 ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=39,66> ;
    kgo:extractedBy "said-quote" ;
    kgo:speaker person:william-ruto .

kgo:event-type\\/Meeting a skos:Concept ;
    skos:inScheme kgo:EventTypes ;
    skos:prefLabel "Meeting"@en ;
    kgo:cameoCode "040" .
event:meeting-ruto-guterres-2024-05-03 a kgo:Event ;
    rdfs:label "Meeting of William Ruto and Antonio Guterres" ;
    kgo:eventType kgo:event-type\\/Meeting ;
    schema:startDate "2024-05-03"^^xsd:date ; schema:endDate "2024-05-03"^^xsd:date ;
    kgo:dateInferred false ; kgo:dateSource "sentence" ; kgo:dateText "May 3" ;
    schema:location place:nairobi ;
    schema:participant person:william-ruto, person:antonio-guterres ;
    kgo:agent person:william-ruto ;
    kgo:target person:antonio-guterres ;
    kgo:participation <https://w3id.org/kg/id/event/meeting-ruto-guterres-2024-05-03/participation/william-ruto> ;
    kgo:phrase "Ruto met Guterres" ;
    kgo:extractedBy "meet-verb" ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    prov:wasDerivedFrom doc:d1 .
<https://w3id.org/kg/id/event/meeting-ruto-guterres-2024-05-03/participation/william-ruto> a kgo:Participation ;
    kgo:participant person:william-ruto ;
    kgo:represents country:kenya .
"""


def _expected() -> Graph:
    import hashlib

    text = (EXPECTED.replace("CONTENT_HASH", hashlib.sha256(TEXT.encode("utf-8")).hexdigest())
            .replace("st:STATEMENT", f"st:{STATEMENT}"))
    return Graph().parse(data=text, format="turtle")


def _differences(got: Graph, want: Graph) -> str:
    from rdflib.compare import graph_diff, to_isomorphic

    _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
    return ("\nonly in kg's graph:\n" + "\n".join(sorted(" ".join(t.n3() for t in x) for x in only_got))
            + "\nonly in the expected graph:\n" + "\n".join(sorted(" ".join(t.n3() for t in x) for x in only_want)))


def _turtle(graph: Graph) -> Graph:
    """*graph* as kg writes it to Turtle, read back."""
    from kg.export import serialize

    return Graph().parse(data=serialize(graph, "ttl"), format="turtle")


def test_records_become_the_hand_written_graph():
    from rdflib.compare import isomorphic

    from kg.graph import build_graph

    got = _turtle(build_graph([EXTRACTION], RESOLVED, events=[MEETING]))
    want = _expected()
    assert isomorphic(got, want), _differences(got, want)


def test_one_document_at_a_time_adds_up_to_the_whole_graph():
    """Streaming: each document's statements, then the corpus statements, make the same graph."""
    from rdflib.compare import isomorphic

    from kg.graph import add_corpus_statements, add_document_statements, new_graph

    g = new_graph()
    add_document_statements(g, EXTRACTION, RESOLVED, [MEETING])
    add_corpus_statements(g, RESOLVED, [MEETING])
    assert isomorphic(_turtle(g), _expected())


def test_an_undated_named_event_of_another_type_without_statements():
    """An event without a date says so; a named event (an entity) keeps its entity's IRI and label, and
    organises nothing unless it is a meeting or summit; a target that is a place is no participant."""
    from kg.graph import add_events, new_graph

    summit = Entity("G20 Summit", "Event", "G20 Summit")
    attack = ResolvedEvent(
        key="g20-summit", type="Attack", label="unused", start=None, end=None, datatype=None, inferred=False,
        date_text=None, date_source=None, place=None, agents=(RUTO,), targets=(NAIROBI, summit),
        roles=((RUTO, "host"),), evidence=(), rules=("r",), phrase="the attack", entity=summit, planned=True)
    g = new_graph()
    add_events(g, [attack])
    node = URIRef("https://w3id.org/kg/id/event/g20-summit")
    kgo = "https://w3id.org/kg/ontology#"
    assert g.value(node, URIRef(kgo + "dateSource")) == Literal("none: the text gives no date for it")
    assert (node, RDFS.label, None) not in g  # the entity's label is added with the entity
    assert (node, URIRef(kgo + "planned"), Literal(True)) in g
    assert (node, URIRef(kgo + "participantRole"), Literal("William Ruto: host")) in g
    assert set(g.objects(node, SCHEMA.participant)) == {URIRef("https://w3id.org/kg/id/person/william-ruto")}
    assert set(g.objects(node, URIRef(kgo + "target"))) == {URIRef("https://w3id.org/kg/id/place/nairobi")}
    assert (node, SCHEMA.organizer, None) not in g and (node, SCHEMA.startDate, None) not in g


AID_EXPECTED = """
@prefix kgo: <https://w3id.org/kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix person: <https://w3id.org/kg/id/person/> .
@prefix country: <https://w3id.org/kg/id/country/> .
@prefix event: <https://w3id.org/kg/id/event/> .

kgo:event-type\\/Aid a skos:Concept ;
    skos:inScheme kgo:EventTypes ;
    skos:prefLabel "Aid"@en ;
    kgo:cameoCode "070" .
event:aid-kenya a kgo:Event ;
    rdfs:label "Aid to Kenya" ;
    kgo:eventType kgo:event-type\\/Aid ;
    schema:startDate "2024-05"^^xsd:gYearMonth ; schema:endDate "2024-06"^^xsd:gYearMonth ;
    kgo:dateInferred true ; kgo:dateSource "publication" ;
    schema:participant person:william-ruto, country:kenya ;
    kgo:agent person:william-ruto ;
    kgo:target country:kenya ;
    kgo:phrase "sent aid" ;
    kgo:extractedBy "aid-verb" ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=0,38> ;
    prov:wasDerivedFrom <https://w3id.org/kg/id/doc/d1> ;
    kgo:quantity <https://w3id.org/kg/id/event/aid-kenya/quantity-1>, <https://w3id.org/kg/id/event/aid-kenya/quantity-2> .
<https://w3id.org/kg/id/event/aid-kenya/quantity-1> a schema:QuantitativeValue ;
    schema:value "2.5"^^xsd:decimal ; schema:unitText "tonnes of food" ;
    kgo:qualifier "more than" ; kgo:quantityText "more than 2.5 tonnes of food" .
<https://w3id.org/kg/id/event/aid-kenya/quantity-2> a schema:QuantitativeValue ;
    schema:value "30"^^xsd:decimal ; schema:unitCode "USD" ;
    kgo:quantityText "$30" .
"""


def test_an_event_with_quantities_becomes_the_hand_written_graph():
    """Quantities are numbered nodes under their event (kg.ns.quantity_iri),
    with a decimal value and what the text says of them; a country that is
    the target is also a participant."""
    from rdflib.compare import isomorphic

    from kg.graph import add_events, new_graph
    from kg.records import Quantity

    aid = ResolvedEvent(
        key="aid-kenya", type="Aid", label="Aid to Kenya", start="2024-05", end="2024-06", datatype="gYearMonth",
        inferred=True, date_text=None, date_source="publication", place=None, agents=(RUTO,), targets=(KENYA,),
        roles=(), evidence=(("d1", 0, 38),), rules=("aid-verb",), phrase="sent aid",
        quantities=(Quantity("2.5", "tonnes of food", "more than 2.5 tonnes of food", qualifier="more than"),
                    Quantity("30", "", "$30", currency="USD")))
    g = new_graph()
    add_events(g, [aid])
    got, want = _turtle(g), Graph().parse(data=AID_EXPECTED, format="turtle")
    assert isomorphic(got, want), _differences(got, want)


def test_a_relation_whose_subject_resolved_to_a_type_its_property_does_not_admit_is_left_out():
    """"Zelenskiy in Istanbul" read as a body headquartered in Istanbul, then
    resolved to the person: kgo:headquarteredIn admits organisations only
    (its rdfs:domain), so the relation goes; metWith (agents) stays."""
    from dataclasses import replace

    from kg.graph import build_graph
    from kg.ns import KGO, property_domains

    assert property_domains()["headquarteredIn"] == {"Organization"}
    assert property_domains()["metWith"] == {"Person", "Country", "Organization"}
    ex = replace(EXTRACTION, relations=EXTRACTION.relations + (
        Relation("d1", 0, (0, 4), "headquarteredIn", (21, 28), "", "organization-in-place"),))
    g = build_graph([ex], RESOLVED, events=[])
    ruto = next(g.subjects(RDFS.label, Literal("William Ruto")))
    assert not list(g.objects(ruto, KGO.headquarteredIn))
    assert list(g.objects(ruto, KGO.metWith))
