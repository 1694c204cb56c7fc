"""kg.validate and ``kg validate``: the seeds conform to ontology/shapes.ttl,
and each kind of broken graph gets the violation that names its fault."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from conftest import ROOT
from kg.ns import KGO, SCHEMA, bind_prefixes
from kg.validate import Report, gazetteer_graph, load_ontology, load_shapes, ontology_text, validate_graph

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ID = "https://w3id.org/kg/id/"
DOC = URIRef(ID + "doc/d1")
XI = URIRef(ID + "person/xi-jinping")
ALGERIA = URIRef(ID + "country/algeria")
EVENT = URIRef(ID + "event/visit-2023-03-03-xi-jinping")
MENTION = URIRef(ID + "doc/d1/m10-20")
SENTENCE = URIRef(ID + "doc/d1#char=0,54")
QUOTE = URIRef(ID + "doc/d1/q64-78")
STATEMENT = URIRef(ID + "statement/xi-visited-algeria")

# A small graph with every kind of node kg writes, laid out as kg writes it;
# each test below breaks one thing in a copy of it.
VALID = """
@prefix kgo: <https://w3id.org/kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix id: <https://w3id.org/kg/id/> .

id:doc\\/d1 a schema:NewsArticle , nif:Context ;
    nif:isString "President Xi Jinping visited Algeria on March 3, 2023. He said \\"we are friends\\"." ;
    schema:headline "A visit" ;
    schema:datePublished "2023-03-04"^^xsd:date ;
    kgo:source "a.txt" .

<https://w3id.org/kg/id/doc/d1#char=0,54> a nif:Sentence ;
    nif:anchorOf "President Xi Jinping visited Algeria on March 3, 2023." ;
    nif:beginIndex 0 ; nif:endIndex 54 ;
    nif:referenceContext id:doc\\/d1 .

<https://w3id.org/kg/id/doc/d1#char=55,80> a nif:Sentence ;
    nif:anchorOf "He said \\"we are friends\\"." ;
    nif:beginIndex 55 ; nif:endIndex 80 ;
    nif:referenceContext id:doc\\/d1 .

<https://w3id.org/kg/id/doc/d1/m10-20> a kgo:Mention , nif:Phrase ;
    nif:anchorOf "Xi Jinping" ;
    nif:beginIndex 10 ; nif:endIndex 20 ;
    nif:referenceContext id:doc\\/d1 ;
    nif:sentence <https://w3id.org/kg/id/doc/d1#char=0,54> ;
    itsrdf:taIdentRef id:person\\/xi-jinping ;
    kgo:extractedBy "gazetteer" .

<https://w3id.org/kg/id/doc/d1/m29-36> a kgo:Mention , nif:Phrase ;
    nif:anchorOf "Algeria" ;
    nif:beginIndex 29 ; nif:endIndex 36 ;
    nif:referenceContext id:doc\\/d1 ;
    nif:sentence <https://w3id.org/kg/id/doc/d1#char=0,54> ;
    itsrdf:taIdentRef id:country\\/algeria ;
    kgo:extractedBy "gazetteer" .

id:person\\/xi-jinping a kgo:Person ;
    rdfs:label "Xi Jinping" ;
    owl:sameAs wd:Q15031 ;
    schema:jobTitle "President" ;
    kgo:mentionCount 1 ;
    kgo:mentionedIn id:doc\\/d1 ;
    kgo:visited id:country\\/algeria .

id:country\\/algeria a kgo:Country ;
    rdfs:label "Algeria" ;
    owl:sameAs wd:Q262 ;
    kgo:mentionCount 1 ;
    kgo:mentionedIn id:doc\\/d1 .

id:event\\/visit-2023-03-03-xi-jinping a kgo:Event ;
    rdfs:label "Visit: Xi Jinping visited Algeria" ;
    kgo:eventType <https://w3id.org/kg/ontology#event-type/Visit> ;
    schema:startDate "2023-03-03"^^xsd:date ;
    schema:endDate "2023-03-03"^^xsd:date ;
    kgo:dateSource "sentence" ;
    kgo:dateInferred false ;
    schema:location id:country\\/algeria ;
    schema:participant id:person\\/xi-jinping , id:country\\/algeria ;
    kgo:agent id:person\\/xi-jinping ;
    kgo:target id:country\\/algeria ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=0,54> ;
    kgo:extractedBy "verb:visit" ;
    prov:wasDerivedFrom id:doc\\/d1 .

<https://w3id.org/kg/id/doc/d1/q64-78> a kgo:Quotation ;
    schema:text "we are friends" ;
    nif:beginIndex 64 ; nif:endIndex 78 ;
    nif:referenceContext id:doc\\/d1 ;
    kgo:speaker id:person\\/xi-jinping ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=55,80> ;
    kgo:extractedBy "quote:said" .

id:statement\\/xi-visited-algeria a rdf:Statement ;
    rdf:subject id:person\\/xi-jinping ;
    rdf:predicate kgo:visited ;
    rdf:object id:country\\/algeria ;
    kgo:evidence <https://w3id.org/kg/id/doc/d1#char=0,54> ;
    kgo:extractedBy "verb:visit" ;
    prov:wasDerivedFrom id:doc\\/d1 .
"""


def valid_graph() -> Graph:
    return bind_prefixes(Graph()).parse(data=VALID, format="turtle")


def keys(report: Report) -> set[tuple]:
    return {(v.focus, v.path, v.component, v.message) for v in report.violations}


@pytest.fixture(scope="module")
def valid_report() -> Report:
    return validate_graph(valid_graph())


def test_the_hand_made_graph_mirrors_kg_build(valid_report):
    # Every mutation below is judged against this graph: it must be clean.
    assert valid_report.conforms, valid_report.text(limit=0)


def _remove(*triples):
    def change(g: Graph):
        for t in triples:
            assert t in g or None in t, t
            g.remove(t)
    return change


def _add(*triples):
    def change(g: Graph):
        for t in triples:
            g.add(t)
    return change


def _both(*changes):
    def change(g: Graph):
        for c in changes:
            c(g)
    return change


VISIT, MEETING = URIRef(str(KGO) + "event-type/Visit"), URIRef(str(KGO) + "event-type/Meeting")

# name -> (change to the valid graph, focus node, path, SHACL constraint, words of the message)
BROKEN = {
    "event with two types": (
        _add((EVENT, KGO.eventType, MEETING)),
        EVENT, "kgo:eventType", "MaxCountConstraintComponent", "more than one event type"),
    "event type outside kg's scheme": (
        _both(_remove((EVENT, KGO.eventType, VISIT)), _add((EVENT, KGO.eventType, URIRef("https://example.org/Party")))),
        EVENT, "kgo:eventType", "NodeConstraintComponent", "not one of kg's event types"),
    "event with no date and no reason": (
        _remove((EVENT, SCHEMA.startDate, None), (EVENT, SCHEMA.endDate, None), (EVENT, KGO.dateSource, None)),
        EVENT, None, "OrConstraintComponent", "no date"),
    "event with no date and a source that is not a reason": (
        _remove((EVENT, SCHEMA.startDate, None), (EVENT, SCHEMA.endDate, None)),
        EVENT, None, "OrConstraintComponent", "no date"),
    "event that ends before it starts": (
        _both(_remove((EVENT, SCHEMA.endDate, None)), _add((EVENT, SCHEMA.endDate, Literal("2023-03-01", datatype=XSD.date)))),
        EVENT, None, "SPARQLConstraintComponent", "ends"),
    "date typed as a string": (
        _both(_remove((EVENT, SCHEMA.startDate, None)), _add((EVENT, SCHEMA.startDate, Literal("March 3, 2023")))),
        EVENT, "schema:startDate", "OrConstraintComponent", "xsd:date"),
    "entity with two labels": (
        _add((XI, RDFS.label, Literal("Xi"))),
        XI, "rdfs:label", "MaxCountConstraintComponent", "more than one name"),
    "entity with no label": (
        _remove((ALGERIA, RDFS.label, None)),
        ALGERIA, "rdfs:label", "MinCountConstraintComponent", "no name"),
    "entity of two classes": (
        _add((ALGERIA, RDF.type, KGO.Place)),
        ALGERIA, None, "NotConstraintComponent", "exclude each other"),
    "sameAs outside Wikidata": (
        _both(_remove((XI, OWL.sameAs, None)), _add((XI, OWL.sameAs, URIRef("http://dbpedia.org/resource/Xi_Jinping")))),
        XI, "owl:sameAs", "PatternConstraintComponent", "Wikidata item"),
    "mention without document": (
        _remove((MENTION, NIF.referenceContext, None)),
        MENTION, "nif:referenceContext", "MinCountConstraintComponent", "which document"),
    "mention whose document is not a document": (
        _both(_remove((MENTION, NIF.referenceContext, None)), _add((MENTION, NIF.referenceContext, XI))),
        MENTION, "nif:referenceContext", "OrConstraintComponent", "not a document"),
    "mention that ends where it starts": (
        _both(_remove((MENTION, NIF.endIndex, None)), _add((MENTION, NIF.endIndex, Literal(10)))),
        MENTION, "nif:beginIndex", "LessThanConstraintComponent", "at or after its end"),
    "mention offset that is not an integer": (
        _both(_remove((MENTION, NIF.beginIndex, None)), _add((MENTION, NIF.beginIndex, Literal("10")))),
        MENTION, "nif:beginIndex", "DatatypeConstraintComponent", "must be an xsd:integer"),
    "mention with a negative offset": (
        _both(_remove((MENTION, NIF.beginIndex, None)), _add((MENTION, NIF.beginIndex, Literal(-1)))),
        MENTION, "nif:beginIndex", "MinInclusiveConstraintComponent", "negative"),
    "mention whose text is not at its offsets": (
        _both(_remove((MENTION, NIF.anchorOf, None)), _add((MENTION, NIF.anchorOf, Literal("Xi Jinpin")))),
        DOC, None, "SPARQLConstraintComponent", "Xi Jinpin"),
    "mention that names no entity": (
        _remove((MENTION, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), None)),
        MENTION, "itsrdf:taIdentRef", "MinCountConstraintComponent", "exactly one entity"),
    "country of the gazetteer without sameAs": (
        _remove((ALGERIA, OWL.sameAs, None)),
        ALGERIA, None, "SPARQLConstraintComponent", "gazetteer of countries"),
    "country of the gazetteer linked to another item": (
        _both(_remove((ALGERIA, OWL.sameAs, None)), _add((ALGERIA, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q79")))),
        ALGERIA, None, "SPARQLConstraintComponent", "gazetteer of countries"),
    "quotation with two texts": (
        _add((QUOTE, SCHEMA.text, Literal("we are close friends"))),
        QUOTE, "schema:text", "MaxCountConstraintComponent", "more than one text"),
    "quotation without text": (
        _remove((QUOTE, SCHEMA.text, None)),
        QUOTE, "schema:text", "MinCountConstraintComponent", "no text"),
    "statement without evidence": (
        _remove((STATEMENT, KGO.evidence, None)),
        STATEMENT, "kgo:evidence", "MinCountConstraintComponent", "no evidence"),
    "statement without object": (
        _remove((STATEMENT, RDF.object, None)),
        STATEMENT, "rdf:object", "MinCountConstraintComponent", "rdf:object"),
    "statement of a triple that is not in the graph": (
        _remove((XI, KGO.visited, ALGERIA)),
        STATEMENT, None, "SPARQLConstraintComponent", "not in the graph"),
}


def _short(node) -> str:
    g = bind_prefixes(Graph())
    from kg.validate import _short as short

    return short(node, g)


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_graph_gets_the_violation_that_names_its_fault(name, valid_report):
    change, focus, path, component, words = BROKEN[name]
    graph = valid_graph()
    change(graph)
    report = validate_graph(graph)
    assert not report.conforms
    new = [v for v in report.violations if (v.focus, v.path, v.component, v.message) not in keys(valid_report)]
    assert new, f"{name}: no new violation:\n{report.text(limit=0)}"
    matching = [v for v in new if v.focus == _short(focus) and v.path == path and v.component == component]
    assert matching, f"{name}: expected {component} on {_short(focus)} {path}; got:\n{report.text(limit=0)}"
    assert any(words in v.message for v in matching), [v.message for v in matching]


def test_a_country_not_in_the_gazetteer_needs_no_link(valid_report):
    graph = valid_graph()
    wakanda = URIRef(ID + "country/wakanda")
    graph.add((wakanda, RDF.type, KGO.Country))
    graph.add((wakanda, RDFS.label, Literal("Wakanda")))
    assert keys(validate_graph(graph)) == keys(valid_report)


def test_violations_name_the_node_its_label_and_the_value():
    graph = valid_graph()
    graph.add((XI, RDFS.label, Literal("Xi")))
    graph.remove((ALGERIA, OWL.sameAs, None))
    report = validate_graph(graph)
    by_rule = {v.component: v for v in report.violations}
    two_labels = by_rule["MaxCountConstraintComponent"]
    assert two_labels.focus == "person:xi-jinping" and two_labels.label == "Xi | Xi Jinping"
    country = by_rule["SPARQLConstraintComponent"]
    assert country.focus == "country:algeria" and country.label == "Algeria" and country.value == "wd:Q262"
    assert "(Wikidata wd:Q262)" in country.message
    text = report.text()
    assert text.startswith("The graph does not conform: 2 violations of 2 rules.")
    assert '[1] The entity has more than one name' in text and '- person:xi-jinping "Xi | Xi Jinping"' in text
    assert "value: wd:Q262" in text


def test_the_text_report_counts_and_limits_each_rule():
    graph = valid_graph()
    for i in range(5):
        node = URIRef(f"{ID}place/p{i}")
        graph.add((node, RDF.type, KGO.Place))
    report = validate_graph(graph)
    assert len(report.violations) == 5
    text = report.text(limit=2)
    assert "[5] The entity has no name" in text and "... and 3 more" in text
    assert text.count("    - place:p") == 2
    assert report.text(limit=0).count("    - place:p") == 5


def test_the_shacl_report_is_turtle_with_every_result():
    graph = valid_graph()
    graph.add((XI, RDFS.label, Literal("Xi")))
    report = validate_graph(graph)
    back = Graph().parse(data=report.turtle(), format="turtle")
    assert (None, SH.conforms, Literal(False)) in back
    assert len(set(back.objects(None, SH.result))) == 1


# --------------------------------------------------------------------------- the shapes themselves


def test_every_constraint_has_a_message_for_people():
    shapes = load_shapes()
    constraint_holders = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constraint_holders |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    constraint_holders |= {s for s in shapes.subjects(SH["or"], None) if (s, SH.targetSubjectsOf, None) in shapes
                           or (s, SH.targetClass, None) in shapes}
    assert len(constraint_holders) > 30
    missing = [h for h in constraint_holders if shapes.value(h, SH.message) is None]
    assert not missing, missing


def test_validation_changes_neither_the_graph_nor_the_shared_shapes():
    from kg.validate import _parsed

    graph = valid_graph()
    graph.add((XI, RDFS.label, Literal("Xi")))
    before = (set(graph), set(_parsed("shapes.ttl")), set(_parsed("kg.ttl")))
    validate_graph(graph)
    assert (set(graph), set(_parsed("shapes.ttl")), set(_parsed("kg.ttl"))) == before


def test_shapes_and_ontology_parse_and_name_known_terms():
    shapes, ontology = load_shapes(), load_ontology()
    declared = set(ontology.subjects())
    for cls in shapes.objects(None, SH.targetClass):
        if str(cls).startswith(str(KGO)):
            assert cls in declared, cls
    for prop in shapes.objects(None, SH.path):
        if isinstance(prop, URIRef) and str(prop).startswith(str(KGO)):
            assert prop in declared, prop


def test_the_gazetteer_names_every_country_with_a_qid():
    names = gazetteer_graph()
    assert (URIRef("http://www.wikidata.org/entity/Q262"), None, Literal("Algeria")) in names
    assert len(set(names.subjects())) > 190


def test_ontology_files_come_from_the_package_when_it_ships_them(monkeypatch, tmp_path):
    import kg.validate as validate

    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "shapes.ttl").write_text("# packaged copy\n", "utf-8")
    monkeypatch.setattr(validate.resources, "files", lambda package: tmp_path)
    assert ontology_text("shapes.ttl") == "# packaged copy\n"
    # Not shipped: the source checkout's ontology/ folder.
    assert ontology_text("kg.ttl") == (ROOT / "ontology" / "kg.ttl").read_text("utf-8")


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds_report(seeds_graph) -> Report:
    return validate_graph(seeds_graph)


@pytest.mark.slow
def test_the_seeds_graph_conforms(seeds_report):
    assert seeds_report.conforms, seeds_report.text(limit=0)


@pytest.mark.slow
def test_every_seed_country_of_the_gazetteer_is_linked(seeds_graph, seeds_report):
    names = {str(o) for o in gazetteer_graph().objects()}
    countries = {str(seeds_graph.value(c, RDFS.label)) for c in seeds_graph.subjects(RDF.type, KGO.Country)}
    checked = countries & names
    assert len(checked) >= 10, checked  # the rule is exercised, not vacuous
    assert not [v for v in seeds_report.violations if "gazetteer of countries" in v.message]


# --------------------------------------------------------------------------- the command


def run(*args):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_exit_0_on_a_conforming_graph(tmp_path):
    path = tmp_path / "good.ttl"
    valid_graph().serialize(path, format="turtle")
    proc = run("validate", "--graph", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms" in proc.stdout


def test_cli_exit_1_and_the_violations_on_a_broken_graph(tmp_path):
    graph = valid_graph()
    graph.add((EVENT, KGO.eventType, MEETING))
    graph.remove((ALGERIA, OWL.sameAs, None))
    (tmp_path / "out").mkdir()
    graph.serialize(tmp_path / "out" / "graph.ttl", format="turtle")
    proc = run("validate", "--graph", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "2 violations of 2 rules" in proc.stdout
    assert "more than one event type" in proc.stdout and "gazetteer of countries" in proc.stdout
    turtle = run("validate", "--graph", str(tmp_path / "out"), "--format", "turtle")
    assert turtle.returncode == 1
    assert len(set(Graph().parse(data=turtle.stdout, format="turtle").objects(None, SH.result))) == 2


def test_cli_errors_and_help(tmp_path):
    missing = run("validate", "--graph", str(tmp_path / "nothing"))
    assert missing.returncode == 1 and "kg: error:" in missing.stderr and "Traceback" not in missing.stderr
    assert run("validate", "--limit", "-1").returncode == 2
    assert run("validate", "--format", "xml").returncode == 2
    helped = run("validate", "--help")
    assert helped.returncode == 0
    assert "exit status" in helped.stdout and "does not conform" in helped.stdout
