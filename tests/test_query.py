"""kg.query and `kg query`: shipped queries on the seeds, formats that parse
back, parameters that cannot inject, errors with line and column."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import ROOT
from kg.errors import EntityNotFound, KGError, QueryError
from kg.query import (
    QueryRefused,
    format_result,
    list_queries,
    load_graph,
    named_query,
    parse_param,
    parse_query,
    resolve_query,
    run_query,
    to_dataframe,
)

SHIPPED = ("timeline", "initiatives", "visits", "quotations", "evidence", "profile", "cooccurrence",
           "entities", "documents", "relations")
INJECTION = 'x" } ; DROP ALL #'

# A tiny graph with every kind of term a result can hold.
TINY = """\
@prefix ex: <http://example.org/> .
@prefix kgo: <https://w3id.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a kgo:Person ; rdfs:label "Ada" ; ex:born "1815-12-10"^^xsd:date ; ex:knows ex:b .
ex:b a kgo:Person ; rdfs:label "Bo, \\"the\\" tab\\there\\nnewline" ; ex:note "hallo"@de .
ex:c a kgo:Person ; rdfs:label "x\\" } ; DROP ALL #" .
ex:d a kgo:Person ; rdfs:label "習近平" ; ex:friend [ rdfs:label "anon" ] .
"""
TINY_SELECT = """SELECT ?p ?label ?born ?note ?friend WHERE {
  ?p a kgo:Person ; rdfs:label ?label .
  OPTIONAL { ?p <http://example.org/born> ?born }
  OPTIONAL { ?p <http://example.org/note> ?note }
  OPTIONAL { ?p <http://example.org/friend> ?friend }
} ORDER BY ?p"""


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(data=TINY, format="turtle")


def rows(result, *names):
    return [tuple(None if r[n] is None else str(r[n]) for n in names) for r in result]


# --------------------------------------------------------------------------- shipped queries on the seeds


def test_the_shipped_queries_are_listed_with_a_description():
    queries = {q.name: q for q in list_queries()}
    assert set(SHIPPED) <= set(queries)
    for q in queries.values():
        assert q.description and not q.description.startswith("PREFIX"), q.name
        parsed = parse_query(q.text)
        from kg.query import query_variables

        # a name parameter binds its entity variable; the others bind their own
        assert {q.entity_params.get(p, p) for p in q.params} <= query_variables(parsed), q.name
    assert list(queries["profile"].params) == ["name"]


@pytest.mark.parametrize("name", [n for n in SHIPPED if n != "profile"])
def test_every_shipped_query_runs_on_the_seeds_and_returns_rows(seeds_graph, name):
    result = run_query(seeds_graph, name)
    assert result.type == "SELECT"
    assert len(result) > 0
    for fmt in ("table", "csv", "tsv", "json", "xml"):
        assert format_result(result, fmt)


def test_visits_has_xi_jinping_in_russia_on_2023_03_20(seeds_graph):
    result = run_query(seeds_graph, "visits")
    assert [str(v) for v in result.vars] == ["visitor", "destination", "start", "end", "host"]
    assert ("Xi Jinping", "Russia", "2023-03-20", "2023-03-22") in rows(result, "visitor", "destination", "start", "end")


def test_timeline_is_in_date_order_with_the_russia_visit(seeds_graph):
    result = run_query(seeds_graph, "timeline")
    starts = [str(r.start) for r in result]
    assert starts == sorted(starts)
    visit = [r for r in result if str(r.start) == "2023-03-20" and str(r.type) == "Visit"]
    assert visit and "Xi Jinping" in str(visit[0].participants) and str(visit[0].place) == "Russia"


def test_initiatives_quotations_evidence_relations_entities(seeds_graph):
    assert ("Xi Jinping", "proposed", "Global Development Initiative", "2021-09-21") in rows(
        run_query(seeds_graph, "initiatives"), "who", "relation", "initiative", "date")
    quotes = run_query(seeds_graph, "quotations")
    assert any(str(r.speaker) == "Xi Jinping" and "peaceful development" in str(r.quotation) for r in quotes)
    assert str(list(quotes)[0].speaker) != "None"  # attributed quotations come first
    evidence = rows(run_query(seeds_graph, "evidence"), "subject", "relation", "object", "sentence")
    assert any(r[:3] == ("Xi Jinping", "visited", "Russia") and "Russia" in r[3] for r in evidence)
    assert ("Xi Jinping", "visited", "Russia") in [r[:3] for r in rows(
        run_query(seeds_graph, "relations"), "subject", "relation", "object", "sentences")]
    entities = {r[1]: r for r in rows(run_query(seeds_graph, "entities"), "type", "label", "wikidata")}
    assert entities["Xi Jinping"] == ("Person", "Xi Jinping", "http://www.wikidata.org/entity/Q15031")
    assert len(run_query(seeds_graph, "documents")) == 2


def test_initiatives_without_a_dated_event_come_first_on_a_hand_made_graph():
    # two undated rows: rdflib cannot compare STR() of an unbound ?date with another
    g = Graph().parse(data="""
        @prefix kgo: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:us> rdfs:label "United States" ; kgo:launched <urn:plan>, <urn:genomics>, <urn:climate> .
        <urn:caricom> rdfs:label "CARICOM" ; kgo:launched <urn:plan> .
        <urn:plan> a kgo:Initiative ; rdfs:label "Zero Hunger Plan" .
        <urn:genomics> a kgo:Initiative ; rdfs:label "Pathogen Genomics" .
        <urn:climate> a kgo:Initiative ; rdfs:label "Climate Partnership" .
        <urn:e> kgo:agent <urn:us> ; kgo:target <urn:climate> ; schema:startDate "2022-04-29"^^xsd:date .
        """, format="turtle")
    assert rows(run_query(g, "initiatives"), "who", "initiative", "date") == [
        ("CARICOM", "Zero Hunger Plan", None), ("United States", "Pathogen Genomics", None),
        ("United States", "Zero Hunger Plan", None), ("United States", "Climate Partnership", "2022-04-29")]


def test_profile_of_xi_jinping(seeds_graph):
    result = run_query(seeds_graph, "profile", {"name": "Xi Jinping"})
    facts = rows(result, "entity", "field", "value", "detail")
    assert {f[0] for f in facts} == {"https://w3id.org/kg/id/person/xi-jinping"}
    fields = {(f[1], f[2]) for f in facts}
    assert ("type", "https://w3id.org/kg/ontology#Person") in fields
    assert ("label", "Xi Jinping") in fields
    assert ("same as", "http://www.wikidata.org/entity/Q15031") in fields
    assert ("out: visited", "https://w3id.org/kg/id/country/russia") in fields
    assert any(f[1] == "document" for f in facts)
    assert any(f[1] == "event" and f[3].startswith("2023-03-20 Visit") for f in facts)
    assert any(f[1] == "quotation" and "peaceful development" in f[3] for f in facts)
    # an alternative name finds the same entity
    again = run_query(seeds_graph, "profile", {"name": "President Xi Jinping"})
    assert rows(again, "entity", "field", "value", "detail") == facts
    table = format_result(result, "table")
    assert "wd:Q15031" in table and "person:xi-jinping" in table


@pytest.mark.parametrize("name", ["xi jinping", "XI JINPING", " president xi  jinping ", "person:xi-jinping",
                                  "<https://w3id.org/kg/id/person/xi-jinping>"])
def test_profile_finds_a_name_in_any_case_or_an_iri(seeds_graph, name):
    exact = rows(run_query(seeds_graph, "profile", {"name": "Xi Jinping"}), "entity", "field", "value", "detail")
    assert rows(run_query(seeds_graph, "profile", {"name": name}), "entity", "field", "value", "detail") == exact


def test_profile_finds_a_name_without_its_accents(seeds_graph):
    facts = rows(run_query(seeds_graph, "profile", {"name": "antonio guterres"}), "entity", "field", "value")
    assert ("https://w3id.org/kg/id/person/antonio-guterres", "label", "António Guterres") in facts


def test_profile_of_an_unknown_or_partial_name_is_an_error_with_the_closest_names(seeds_graph):
    with pytest.raises(EntityNotFound) as caught:
        run_query(seeds_graph, "profile", {"name": "jinping"})
    assert caught.value.suggestions[0] == ("Xi Jinping", "Xi Jinping")


def test_profile_of_a_name_several_entities_have_lists_each(tiny):
    g = Graph().parse(data=TINY + 'ex:e a kgo:Person ; rdfs:label "ADA" .\n', format="turtle")
    facts = rows(run_query(g, "profile", {"name": "ada"}), "entity", "field", "value")
    assert [f for f in facts if f[1] == "label"] == [("http://example.org/a", "label", "Ada"),
                                                     ("http://example.org/e", "label", "ADA")]
    assert {f[0] for f in facts} == {"http://example.org/a", "http://example.org/e"}
    # binding the entity itself needs no name
    bound = rows(run_query(g, "profile", {"entity": URIRef("http://example.org/e")}), "entity")
    assert set(bound) == {("http://example.org/e",)}


def test_a_name_parameter_is_declared_with_its_variable():
    profile = named_query("profile")
    assert profile.entity_params == {"name": "entity"}
    assert "?name" not in profile.text  # the name is resolved before the query runs, never matched in SPARQL


def test_cooccurrence_counts_pairs_once_most_frequent_first(seeds_graph):
    result = run_query(seeds_graph, "cooccurrence")
    pairs = rows(result, "entity1", "entity2", "sentences")
    counts = [int(p[2]) for p in pairs]
    assert counts == sorted(counts, reverse=True) and counts[-1] >= 1
    assert all(a != b for a, b, _ in pairs)
    keys = [frozenset(p[:2]) for p in pairs]
    assert len(keys) == len(set(keys))
    together = {frozenset(p[:2]): int(p[2]) for p in pairs}
    assert together[frozenset({"China", "Xi Jinping"})] >= 2


def test_cooccurrence_counts_sentences_on_a_hand_made_graph():
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    its = "http://www.w3.org/2005/11/its/rdf#taIdentRef"
    lines = []
    for m, (sentence, entity) in enumerate([(1, "a"), (1, "b"), (1, "b"), (2, "a"), (2, "b"), (3, "a"), (3, "c")]):
        lines.append(f"<urn:m{m}> <{nif}sentence> <urn:s{sentence}> ; <{its}> <urn:{entity}> .")
    lines += [f'<urn:{e}> <http://www.w3.org/2000/01/rdf-schema#label> "{e.upper()}" .' for e in "abc"]
    g = Graph().parse(data="\n".join(lines), format="turtle")
    assert rows(run_query(g, "cooccurrence"), "entity1", "entity2", "sentences") == [("A", "B", "2"), ("A", "C", "1")]


# --------------------------------------------------------------------------- parameters


def test_a_parameter_cannot_inject(seeds_graph):
    before = len(seeds_graph)
    with pytest.raises(EntityNotFound):
        run_query(seeds_graph, "profile", {"name": INJECTION})
    result = run_query(seeds_graph, "SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": INJECTION})
    assert len(result) == 0
    assert len(seeds_graph) == before


def test_a_parameter_is_matched_exactly_as_a_literal(tiny):
    # the graph has a label that *is* the injection text: binding finds exactly that node
    result = run_query(tiny, "SELECT ?p WHERE { ?p rdfs:label ?name }", dict([parse_param(f"name={INJECTION}")]))
    assert rows(result, "p") == [("http://example.org/c",)]
    assert len(tiny) == 13


def test_an_iri_parameter(tiny):
    name, value = parse_param("p=<http://example.org/a>")
    assert (name, value) == ("p", URIRef("http://example.org/a"))
    result = run_query(tiny, "SELECT ?label WHERE { ?p rdfs:label ?label }", {name: value})
    assert rows(result, "label") == [("Ada",)]
    assert run_query(tiny, "SELECT ?label WHERE { ?p rdfs:label ?label }", {"p": "http://example.org/a"}).bindings == []


@pytest.mark.parametrize("bad", ["name", "=x", "na me=x", "1x=y"])
def test_a_malformed_param_is_an_error(bad):
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_param(bad)


def test_a_param_the_query_does_not_have_and_a_missing_declared_param(tiny):
    with pytest.raises(QueryError, match=r"no variable \?nme"):
        run_query(tiny, "SELECT ?p WHERE { ?p rdfs:label ?name }", {"nme": "Ada"})
    with pytest.raises(QueryError, match="needs --param name="):
        run_query(tiny, "profile")


# --------------------------------------------------------------------------- errors and refusals


def test_a_syntax_error_names_line_and_column():
    query = "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n  FILTER(?x = ) }"
    with pytest.raises(QueryError) as info:
        parse_query(query)
    err = info.value
    assert err.line == 4 and err.column >= 1
    assert f"line 4, column {err.column}" in str(err)
    assert "FILTER(?x = ) }" in str(err)  # the offending line is quoted with a caret
    assert str(err).splitlines()[-1].strip().endswith("^")


def test_an_unknown_prefix_names_line_and_column():
    with pytest.raises(QueryError) as info:
        parse_query("SELECT ?x WHERE {\n  ?x  foo:bar ?y }")
    assert (info.value.line, info.value.column) == (2, 7)
    assert "unknown prefix 'foo'" in str(info.value)


def test_kg_prefixes_need_no_prefix_lines(seeds_graph):
    result = run_query(seeds_graph, "SELECT ?p WHERE { ?p a kgo:Person ; owl:sameAs wd:Q15031 }")
    assert rows(result, "p") == [("https://w3id.org/kg/id/person/xi-jinping",)]


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <http://example.org/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
    "CREATE GRAPH <urn:g>",
])
def test_updates_are_refused_and_change_nothing(tiny, update):
    before = len(tiny)
    with pytest.raises(QueryRefused) as info:
        run_query(tiny, update)
    assert info.value.feature == "update"
    assert len(tiny) == before


def test_service_and_from_are_refused(tiny):
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_query(tiny, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryRefused, match="FROM"):
        run_query(tiny, "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }")


def test_from_a_graph_of_a_quad_file_is_allowed(tmp_path, tiny):
    ds = Dataset()
    for triple in tiny:
        ds.add((*triple, URIRef("urn:graph:1")))
    ds.add((URIRef("urn:z"), URIRef("urn:p"), Literal("other"), URIRef("urn:graph:2")))
    path = tmp_path / "data.nq"
    ds.serialize(path, format="nquads")
    graph = load_graph(path)
    assert len(run_query(graph, "SELECT * WHERE { ?s ?p ?o }")) == len(tiny) + 1  # the union
    one = run_query(graph, "SELECT ?s WHERE { GRAPH <urn:graph:2> { ?s ?p ?o } }")
    assert rows(one, "s") == [("urn:z",)]
    assert len(run_query(graph, "SELECT * FROM <urn:graph:2> WHERE { ?s ?p ?o }")) == 1


# --------------------------------------------------------------------------- formats


def test_csv_parses_back(tiny):
    text = format_result(run_query(tiny, TINY_SELECT), "csv")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == ["p", "label", "born", "note", "friend"]
    assert table[1] == ["http://example.org/a", "Ada", "1815-12-10", "", ""]
    assert table[2][1] == 'Bo, "the" tab\there\nnewline' and table[2][3] == "hallo"
    assert table[4][1] == "習近平" and table[4][4].startswith("_:")
    assert len(table) == 5


def test_tsv_parses_back_with_rdflib_and_keeps_types(tiny):
    result = run_query(tiny, TINY_SELECT)
    text = format_result(result, "tsv")
    assert text.splitlines()[0] == "?p\t?label\t?born\t?note\t?friend"
    assert all(line.count("\t") == 4 for line in text.splitlines())  # tabs and newlines in values are escaped
    back = Result.parse(io.StringIO(text), format="tsv")
    parsed = [{str(k): v for k, v in b.items()} for b in back.bindings]
    original = [{str(k): v for k, v in b.items()} for b in result.bindings]
    assert [p["label"] for p in parsed] == [o["label"] for o in original]
    by_label = {str(p["label"]): p for p in parsed}
    assert by_label['Bo, "the" tab\there\nnewline']["note"] == Literal("hallo", lang="de")
    ada = by_label["Ada"]
    assert ada["born"] == Literal("1815-12-10", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert "note" not in ada


def test_json_has_the_sparql_results_shape(tiny):
    text = format_result(run_query(tiny, TINY_SELECT), "json")
    data = json.loads(text)
    assert data["head"]["vars"] == ["p", "label", "born", "note", "friend"]
    bindings = data["results"]["bindings"]
    assert bindings[0]["p"] == {"type": "uri", "value": "http://example.org/a"}
    assert bindings[0]["born"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert bindings[1]["note"] == {"type": "literal", "value": "hallo", "xml:lang": "de"}
    assert bindings[3]["friend"]["type"] == "bnode"
    assert "note" not in bindings[0]
    ask = json.loads(format_result(run_query(tiny, "ASK { ?p rdfs:label \"Ada\" }"), "json"))
    assert ask == {"head": {}, "boolean": True}


def test_xml_parses_back(tiny):
    text = format_result(run_query(tiny, TINY_SELECT), "xml")
    root = ET.fromstring(text.encode("utf-8"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["p", "label", "born", "note", "friend"]
    assert len(root.findall("s:results/s:result", ns)) == 4
    back = Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
    assert len(back.bindings) == 4


def test_the_table_is_aligned_and_counts_rows(tiny):
    text = format_result(run_query(tiny, TINY_SELECT), "table", width=12)
    lines = text.splitlines()
    assert lines[0].split() == ["p", "label", "born", "note", "friend"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[-1] == "(4 rows)"
    assert lines[2].startswith("<http://exa…  Ada")  # an IRI with no kg prefix, cut to 12 characters
    assert "\n" not in lines[3] and "\t" not in lines[3]  # whitespace in values is flattened
    starts = [i for i, c in enumerate(lines[1]) if c == "-" and (i == 0 or lines[1][i - 1] == " ")]
    assert len(starts) == 5
    for line in [lines[0]] + lines[2:5]:  # the rows without wide characters
        for start in starts[1:]:
            assert len(line) <= start or line[start - 2:start] == "  ", (line, start)
    assert lines[3][starts[3]:].startswith("hallo")
    assert lines[2][starts[2]:].startswith("1815-12-10")
    seeds_like = format_result(run_query(tiny, "SELECT ?c WHERE { ?p a ?c } LIMIT 1"), "table")
    assert "kgo:Person" in seeds_like and "(1 row)" in seeds_like


def test_wide_characters_keep_the_table_aligned():
    g = Graph().parse(data='<urn:a> <urn:l> "習近平" . <urn:b> <urn:l> "Xi" .', format="turtle")
    lines = format_result(run_query(g, "SELECT ?l ?s WHERE { ?s <urn:l> ?l } ORDER BY ?s"), "table").splitlines()
    # "習近平" takes 6 columns on a terminal, as wide as the dashes under it
    assert lines[1].split("  ")[0] == "------"
    assert lines[2] == "習近平  <urn:a>" and lines[3] == "Xi      <urn:b>"


def test_ask_and_construct(tiny):
    assert format_result(run_query(tiny, 'ASK { ?p rdfs:label "Ada" }')) == "true\n"
    assert format_result(run_query(tiny, 'ASK { ?p rdfs:label "Nobody" }'), "csv") == "false\n"
    construct = run_query(tiny, "CONSTRUCT { ?p a kgo:Person } WHERE { ?p a kgo:Person }")
    expected = Graph()
    for s in tiny.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None):
        expected.add((s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      URIRef("https://w3id.org/kg/ontology#Person")))
    turtle = format_result(construct, "table")
    assert "@prefix kgo:" in turtle
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    assert isomorphic(Graph().parse(data=format_result(construct, "nt"), format="nt"), expected)
    assert isomorphic(Graph().parse(data=format_result(construct, "json"), format="json-ld"), expected)
    with pytest.raises(QueryError, match="has no csv form"):
        format_result(construct, "csv")
    with pytest.raises(QueryError, match="no turtle form"):
        format_result(run_query(tiny, TINY_SELECT), "turtle")


def test_describe_gives_a_graph(tiny):
    result = run_query(tiny, "DESCRIBE <http://example.org/a>")
    back = Graph().parse(data=format_result(result, "turtle"), format="turtle")
    assert (URIRef("http://example.org/a"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Ada")) in back


def test_to_dataframe_without_pandas_is_a_clear_error(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(QueryError, match="needs pandas"):
        to_dataframe(run_query(tiny, TINY_SELECT))


def test_to_dataframe_with_pandas(tiny):
    pytest.importorskip("pandas")
    frame = to_dataframe(run_query(tiny, TINY_SELECT))
    assert list(frame.columns) == ["p", "label", "born", "note", "friend"]
    assert frame.iloc[0]["label"] == "Ada" and str(frame.iloc[0]["born"]) == "1815-12-10"


# --------------------------------------------------------------------------- queries and graphs from files


def test_resolve_query_names_files_and_text(tmp_path):
    assert resolve_query("visits").name == "visits"
    rq = tmp_path / "mine.rq"
    rq.write_text("# Mine.\n# param who: a name\nSELECT ?x WHERE { ?x rdfs:label ?who }\n", encoding="utf-8")
    mine = resolve_query(str(rq))
    # A user's own file is plain SPARQL: its "# param" comment requires nothing.
    assert (mine.name, mine.description, dict(mine.params)) == ("mine", "Mine.", {})
    assert resolve_query("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    long_one_line = "SELECT * WHERE { " + "?s ?p ?o . " * 40 + "}"
    assert resolve_query(long_one_line) == long_one_line
    with pytest.raises(QueryError, match="no query file"):
        resolve_query(str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError, match="no shipped query named 'timelime'") as info:
        resolve_query("timelime")
    assert "timeline" in str(info.value)
    with pytest.raises(QueryError):
        named_query("../queries/visits")


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"),
                                        (".rdf", "xml"), (".nq", "nquads"), (".trig", "trig")])
def test_load_graph_reads_each_rdf_format(tmp_path, tiny, suffix, fmt):
    path = tmp_path / f"g{suffix}"
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        for triple in tiny:
            ds.add((*triple, URIRef("urn:graph:1")))
        ds.serialize(path, format=fmt)
    else:
        tiny.serialize(path, format=fmt)
    graph = load_graph(path)
    assert rows(run_query(graph, 'SELECT ?p WHERE { ?p rdfs:label "Ada" }'), "p") == [("http://example.org/a",)]


def test_load_graph_of_a_build_folder_and_of_nothing(seeds_out, tmp_path):
    folder = seeds_out.outputs["turtle"].parent
    assert len(load_graph(folder)) == len(seeds_out.graph)
    with pytest.raises(KGError, match="no graph"):
        load_graph(tmp_path)


# --------------------------------------------------------------------------- the command line


def kg(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, timeout=120)


@pytest.fixture(scope="module")
def out_dir(seeds_out):
    return str(seeds_out.outputs["turtle"].parent)


def test_cli_timeline_table_csv_and_json(out_dir):
    proc = kg("query", "timeline", "--graph", out_dir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["start", "end", "type", "event", "place", "participants"]
    assert lines[-1].endswith("rows)")
    proc = kg("query", "visits", "--graph", out_dir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout, newline="")))
    assert ["Xi Jinping", "Russia", "2023-03-20", "2023-03-22", ""] in table
    proc = kg("query", "profile", "--param", "name=Xi Jinping", "--graph", out_dir, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    values = {b["value"]["value"] for b in json.loads(proc.stdout)["results"]["bindings"]}
    assert "http://www.wikidata.org/entity/Q15031" in values


def test_cli_errors_are_one_message_and_exit_1(out_dir, tmp_path):
    proc = kg("query", "SELECT ?x WHERE {\n ?x ?y }", "--graph", out_dir)
    assert proc.returncode == 1
    assert proc.stderr.startswith("kg: error: SPARQL syntax error at line 2, column")
    assert "Traceback" not in proc.stderr
    proc = kg("query", "profile", "--param", f"name={INJECTION}", "--graph", out_dir, "--format", "csv")
    assert (proc.returncode, proc.stdout) == (4, ""), proc.stderr
    proc = kg("query", "DROP ALL", "--graph", out_dir)
    assert proc.returncode == 1 and "not allowed" in proc.stderr
    proc = kg("query", "timeline", "--graph", str(tmp_path))
    assert proc.returncode == 1 and "no graph" in proc.stderr and "Traceback" not in proc.stderr


def test_a_copy_of_a_shipped_query_runs_as_plain_sparql(tmp_path, tiny):
    """The "# param name -> ?entity:" header binds kg's own profile query,
    not a user's copy of it: the copy runs without --param, and with one
    (of its variable ?entity) when given."""
    mine = tmp_path / "my-profile.rq"
    mine.write_text(named_query("profile").text, encoding="utf-8")
    graph = tmp_path / "tiny.ttl"
    graph.write_text(TINY, encoding="utf-8")
    unbound = kg("query", str(mine), "--graph", str(graph), "--format", "csv")
    assert unbound.returncode == 0, unbound.stderr
    table = list(csv.DictReader(io.StringIO(unbound.stdout, newline="")))
    assert {"http://example.org/a", "http://example.org/b", "http://example.org/d"} <= {r["entity"] for r in table}
    bound = kg("query", str(mine), "--graph", str(graph), "--format", "csv", "--param", "entity=<http://example.org/a>")
    assert bound.returncode == 0, bound.stderr
    assert {row["entity"] for row in csv.DictReader(io.StringIO(bound.stdout, newline=""))} == {"http://example.org/a"}
    assert len(run_query(tiny, str(mine))) == len(table)
    with pytest.raises(QueryError, match="needs --param name="):
        run_query(tiny, "profile")


def test_cli_profile_by_a_lower_case_name_and_a_miss_with_the_closest_names(out_dir):
    proc = kg("query", "profile", "--param", "name=xi jinping", "--graph", out_dir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert "https://w3id.org/kg/id/person/xi-jinping,label,Xi Jinping," in proc.stdout
    proc = kg("query", "profile", "--param", "name=guteres", "--graph", out_dir)
    assert (proc.returncode, proc.stdout) == (4, ""), proc.stderr
    assert proc.stderr.splitlines() == [
        "kg query: error: no entity named 'guteres' in the graph "
        "(looked up in every rdfs:label and skos:altLabel, ignoring case and accents)",
        "closest names:",
        "  Guterres  (another name of António Guterres)",
    ]
    assert "4  no entity has the name" in kg("query", "--help").stdout


def test_cli_list_stdin_and_usage(out_dir):
    proc = kg("query", "--list")
    assert proc.returncode == 0
    listed = {line.split()[0] for line in proc.stdout.splitlines()}
    assert set(SHIPPED) <= listed
    assert "--param name=" in next(line for line in proc.stdout.splitlines() if line.startswith("profile"))
    proc = kg("query", "-", "--graph", out_dir, stdin="ASK { ?p a kgo:Person ; rdfs:label \"Xi Jinping\" }")
    assert (proc.returncode, proc.stdout) == (0, "true\n"), proc.stderr
    assert kg("query").returncode == 2
    assert kg("query", "timeline", "--format", "yaml").returncode == 2
    help_text = kg("query", "--help").stdout
    assert "NAME=<iri>" in help_text and "initBindings" in help_text


def test_construct_as_rdf_xml(tiny):
    construct = run_query(tiny, "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p rdfs:label ?l }")
    back = Graph().parse(data=format_result(construct, "xml"), format="xml")
    assert isomorphic(back, construct.graph)


@pytest.mark.slow
def test_an_event_in_several_places_is_one_row_of_the_timeline_and_visits(tmp_path):
    from kg.pipeline import build
    from kg.query import run_query

    (tmp_path / "a.txt").write_text("On March 9, 2024, a strong earthquake occurred in Peru and Chile. "
                                    "On April 2, 2024, Kenyan President William Ruto traveled to Fiji and Samoa.")
    build([str(tmp_path / "a.txt")], out=str(tmp_path / "out"), quiet=True, html=False)
    timeline = [r for r in run_query(str(tmp_path / "out"), "timeline") if str(r[2]) == "Disaster"]
    assert len(timeline) == 1 and set(str(timeline[0][4]).split(", ")) == {"Peru", "Chile"}, timeline
    visits = [r for r in run_query(str(tmp_path / "out"), "visits") if str(r[0]) == "William Ruto"]
    assert len(visits) == 1 and set(str(visits[0][1]).split(", ")) == {"Fiji", "Samoa"}, visits
