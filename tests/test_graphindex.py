"""kg.graphindex: the graph read into plain records (hand-built graphs, no spaCy)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.graph import new_graph
from kg.graphindex import GraphIndex, date_precision
from kg.ns import ID, KGO, SCHEMA, WD

P, C, O, PL, EV = (f"{ID}person/", f"{ID}country/", f"{ID}organization/", f"{ID}place/", f"{ID}event/")


def _graph():
    g = new_graph()

    def entity(iri, kind, label, qid=None, count=1):
        node = URIRef(iri)
        g.add((node, RDF.type, KGO[kind]))
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, KGO.mentionCount, Literal(count)))
        if qid:
            g.add((node, OWL.sameAs, WD[qid]))
        return node

    kenya = entity(C + "kenya", "Country", "Kenya", "Q114")
    ghana = entity(C + "ghana", "Country", "Ghana")  # no QID: found by its IRI's slug
    japan = entity(C + "japan", "Country", "Japan", "Q17")
    ruto = entity(P + "william-ruto", "Person", "William Ruto")
    envoy = entity(P + "envoy", "Person", "An Envoy")
    twice = entity(P + "twice", "Person", "Two Hats")
    au = entity(O + "african-union", "Organization", "African Union")
    houston = entity(PL + "houston", "Place", "Houston")
    g.add((houston, OWL.sameAs, URIRef("https://sws.geonames.org/4699066/")))
    site = entity(PL + "site", "Place", "A Site")
    town = entity(PL + "town", "Place", "A Town")
    g.add((site, KGO.locatedIn, town))
    g.add((town, KGO.locatedIn, ghana))
    g.add((ruto, KGO.headOfState, kenya))
    g.add((envoy, KGO.ambassadorTo, japan))  # an ambassador to Japan does not act for Japan
    g.add((envoy, KGO.ministerOf, ghana))
    g.add((twice, KGO.headOfState, kenya))
    g.add((twice, KGO.foreignMinisterOf, japan))
    ev = URIRef(EV + "meeting")
    g.add((ev, RDF.type, KGO.Event))
    g.add((ev, RDFS.label, Literal("Meeting: William Ruto and Two Hats")))
    g.add((ev, KGO.eventType, KGO["event-type/Meeting"]))
    g.add((KGO["event-type/Meeting"], KGO.cameoCode, Literal("040")))
    g.add((ev, SCHEMA.startDate, Literal("2024-05", datatype=XSD.gYearMonth)))
    g.add((ev, SCHEMA.endDate, Literal("2024-05", datatype=XSD.gYearMonth)))
    g.add((ev, KGO.agent, ruto))
    g.add((ev, KGO.target, twice))
    part = URIRef(f"{ev}/participation/twice")
    g.add((ev, KGO.participation, part))
    g.add((part, KGO.participant, twice))
    g.add((part, KGO.represents, au))  # acts for a body here, not a state
    return g


def test_states_of_countries_and_office_holders():
    index = GraphIndex(_graph())
    assert index.state_of(C + "kenya") == C + "kenya"
    assert index.state_of(P + "william-ruto") == C + "kenya"
    assert index.state_of(P + "envoy") == C + "ghana"  # minister of Ghana; ambassador to Japan ignored
    assert index.state_of(P + "twice") is None  # two states: ambiguous
    assert index.state_of(O + "african-union") is None
    event = index.events[EV + "meeting"]
    assert index.state_of(P + "twice", event) is None  # represents the AU in this event
    assert index.state_of(P + "william-ruto", event) == C + "kenya"
    assert index.country_code(C + "kenya").iso3 == "KEN"
    assert index.country_code(C + "ghana").iso3 == "GHA"
    assert index.country_code(P + "william-ruto") is None


def test_country_of_a_place_from_the_gazetteer_or_the_graph():
    index = GraphIndex(_graph())
    label, code = index.country_of_place(PL + "houston")
    assert (label, code.iso3) == ("United States", "USA")  # by its GeoNames id
    label, code = index.country_of_place(PL + "site")
    assert (label, code.iso3) == ("Ghana", "GHA")  # site -> town -> Ghana
    assert index.country_of_place(C + "japan")[1].iso3 == "JPN"
    assert index.country_of_place(PL + "town")[0] == "Ghana"
    assert index.country_of_place(None) == ("", None)


def test_events_and_relations():
    index = GraphIndex(_graph())
    event = index.events[EV + "meeting"]
    assert (event.type, event.cameo, event.start, event.end, event.precision) == ("Meeting", "040", "2024-05",
                                                                                  "2024-05", "month")
    assert event.agents == (P + "william-ruto",) and event.targets == (P + "twice",)
    assert not index.nodes[EV + "meeting"].named and index.nodes[P + "twice"].named
    rels = {(r.subject.rsplit("/", 1)[-1], r.predicate, r.object.rsplit("/", 1)[-1]) for r in index.relations}
    assert ("william-ruto", "headOfState", "kenya") in rels and ("site", "locatedIn", "town") in rels
    assert not any(p in ("agent", "target", "participation") for _, p, _ in rels)
    assert all(r.weight == 1 for r in index.relations)  # no reified statements: one each


def test_date_precision_by_datatype():
    day = Literal("2024-05-03", datatype=XSD.date)
    assert date_precision(day, day) == "day"
    assert date_precision(Literal("2024", datatype=XSD.gYear), None) == "year"
    assert date_precision(day, Literal("2024-05-05", datatype=XSD.date)) == "range"
    assert date_precision(None, None) == ""
