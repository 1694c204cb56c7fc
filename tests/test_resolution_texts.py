"""Resolution on texts we wrote: what is merged and what is kept apart."""

from helpers import entities


def test_two_people_called_li_stay_apart(build_texts):
    g = build_texts(["Premier Li Qiang met former Premier Li Keqiang in Beijing. Li said the talks were useful."]).graph
    people = entities(g, "Person")
    assert {"Li Qiang", "Li Keqiang"} <= set(people)
    assert people["Li Qiang"] != people["Li Keqiang"]


def test_georgia_the_country_and_the_us_state(build_texts):
    g = build_texts(["Georgia and Armenia signed a transit deal in Tbilisi. "
                     "Separately, flooding closed roads near Atlanta, Georgia, on Monday."]).graph
    assert "Georgia" in entities(g, "Country")
    assert "Georgia" in entities(g, "Place")
    from rdflib.namespace import OWL
    from kg.ns import WD

    assert (entities(g, "Country")["Georgia"], OWL.sameAs, WD.Q230) in g
    assert (entities(g, "Place")["Georgia"], OWL.sameAs, None) not in g


def test_congo_alone_is_a_country_but_not_linked(build_texts):
    from rdflib.namespace import OWL

    g = build_texts(["Congo and the Democratic Republic of the Congo agreed to reopen the river crossing."]).graph
    countries = entities(g, "Country")
    assert "Congo" in countries and "Democratic Republic of the Congo" in countries
    assert (countries["Congo"], OWL.sameAs, None) not in g


def test_acronym_and_title_variants_merge_within_a_document(build_texts):
    text = ("The Economic Community of West African States (ECOWAS) met in Abuja. "
            "Nigerian President Bola Tinubu chaired it. ECOWAS leaders then left, and Tinubu spoke to reporters.")
    g = build_texts([text]).graph
    orgs = entities(g, "Organization")
    assert "ECOWAS" not in orgs or orgs.get("ECOWAS") == orgs.get("Economic Community of West African States")
    assert "Tinubu" not in entities(g, "Person")


def test_entities_merge_across_documents(build_texts):
    result = build_texts(["Kenyan President William Ruto visited Ghana.", "William Ruto met students in Nairobi."])
    ruto = [e for e in result.resolution.entities if e.label == "William Ruto"]
    assert len(ruto) == 1 and ruto[0].doc_count == 2


def test_no_two_seed_people_share_a_last_name(seeds_out):
    last = [e.label.split()[-1] for e in seeds_out.resolution.entities if e.type == "Person"]
    assert len(last) == len(set(last))


def test_merge_log_explains_the_seeds(seeds_out):
    reasons = {(m.entity, m.name, m.reason) for m in seeds_out.resolution.merges}
    assert ("United Nations", "UN", "gazetteer") in reasons
    assert any(m.entity == "António Guterres" and m.reason == "gazetteer surname + title" for m in seeds_out.resolution.merges)
    tsv = seeds_out.outputs["merge log"].read_text("utf-8").splitlines()
    assert tsv[0] == "entity\tname\treason\tdocument" and len(tsv) > 10


def test_resolution_reduces_nodes(seeds_out):
    before = sum(seeds_out.resolution.before.values())
    after = len(seeds_out.resolution.entities)
    assert after < before


def test_the_same_event_reported_twice_is_one_event_with_both_reports(build_texts):
    from rdflib import URIRef
    from rdflib.namespace import RDF
    from kg.ns import KGO, SCHEMA
    from rdflib.namespace import PROV

    a = "On March 10, 2023, China, Saudi Arabia and Iran signed a joint statement in Beijing."
    b = "Iranian media said that China, Saudi Arabia and Iran signed a joint statement on 10 March 2023 after talks."
    g = build_texts([a, b]).graph
    agreement = URIRef("https://w3id.org/kg/ontology#event-type/Agreement")
    events = [e for e in g.subjects(KGO.eventType, agreement)
              if {str(g.value(p, __import__("rdflib").RDFS.label)) for p in g.objects(e, SCHEMA.participant)} >= {"China", "Saudi Arabia", "Iran"}]
    assert len(events) == 1
    assert len(set(g.objects(events[0], PROV.wasDerivedFrom))) == 2


def test_relations_point_to_their_mentions(seeds_graph):
    from rdflib.namespace import RDF
    from kg.ns import KGO, NIF

    for st in seeds_graph.subjects(RDF.type, RDF.Statement):
        m = seeds_graph.value(st, KGO.subjectMention)
        assert (m, RDF.type, KGO.Mention) in seeds_graph
        assert seeds_graph.value(m, NIF.beginIndex) is not None
