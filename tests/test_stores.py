"""The seeds' Turtle in real triple stores: Oxigraph and Virtuoso load it
whole and give the named queries the same answers as rdflib; rapper parses
it to the same number of triples.

Each store starts once per session on 127.0.0.1 (a free port, a temporary
folder) and is stopped at the end. A store that is not installed skips its
tests on a developer's machine and fails them in CI (CI=true).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from rdflib import Graph

from stores import (
    StoreError,
    concat_columns,
    difference,
    oxigraph_load,
    rapper_count,
    rapper_triples,
    require,
    rows_from_json,
    rows_from_rdflib,
    start_oxigraph,
    start_virtuoso,
    triple_key,
    virtuoso_ini,
    virtuoso_load,
)

pytestmark = pytest.mark.slow

QUERIES_DIR = Path(__file__).resolve().parent.parent / "kg" / "queries"
#: The named queries every store must answer as rdflib does.
QUERIES = ("timeline", "visits", "initiatives", "quotations", "evidence")
GRAPH_IRI = "https://w3id.org/kg/graph/seeds"


@pytest.fixture(scope="session")
def seeds_turtle(seeds_out) -> Path:
    return Path(seeds_out.outputs["turtle"])


@pytest.fixture(scope="session")
def seeds_rdflib(seeds_turtle) -> Graph:
    """The seeds' Turtle as rdflib reads it back (what the stores are compared with)."""
    graph = Graph()
    graph.parse(seeds_turtle, format="turtle")
    return graph


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory, seeds_turtle):
    program = require("oxigraph", "pip install oxigraph")
    server = start_oxigraph(program, tmp_path_factory.mktemp("oxigraph"))
    try:
        t0 = time.monotonic()
        oxigraph_load(server, seeds_turtle)
        server.extra["load_s"] = time.monotonic() - t0
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, seeds_turtle):
    program = require("virtuoso-t", "apt-get install virtuoso-opensource")
    isql_program = require("isql-vt", "apt-get install virtuoso-opensource")
    work = tmp_path_factory.mktemp("virtuoso")
    server = start_virtuoso(program, work)
    server.extra["isql"] = isql_program
    try:
        # TTLP_MT reads files only inside DirsAllowed: the server's folder.
        local = shutil.copy(seeds_turtle, work / "graph.ttl")
        t0 = time.monotonic()
        virtuoso_load(server, isql_program, Path(local), GRAPH_IRI)
        server.extra["load_s"] = time.monotonic() - t0
        yield server
    finally:
        server.stop()


def _same_triples(got: Graph, expected: Graph, who: str) -> None:
    # Stores rewrite numbers (Oxigraph: the decimal 21.0 as 21; Virtuoso: as the
    # integer 21), so numbers compare by value; everything else exactly.
    got_keys, expected_keys = {triple_key(t) for t in got}, {triple_key(t) for t in expected}
    missing, extra = sorted(expected_keys - got_keys), sorted(got_keys - expected_keys)
    assert not missing and not extra, (
        f"{who} holds {len(missing)} triples differently; e.g. expected {missing[:2]}, got {extra[:2]}")


def _compare(server, graph: Graph, name: str) -> None:
    query = (QUERIES_DIR / f"{name}.rq").read_text("utf-8")
    variables, expected = rows_from_rdflib(graph.query(query), query)
    assert sum(expected.values()) > 0, f"{name}: rdflib finds no rows on the seeds; the comparison would prove nothing"
    got_vars, bindings = server.select(query)
    assert got_vars == variables
    got = rows_from_json(got_vars, bindings, query)
    assert got == expected, f"{server.name} answers {name}.rq differently from rdflib:\n{difference(expected, got)}"


# --------------------------------------------------------------------------- Oxigraph


def test_oxigraph_holds_every_triple(oxigraph, seeds_rdflib):
    assert oxigraph.count_triples() == len(seeds_rdflib)


def test_oxigraph_gives_back_the_same_triples(oxigraph, seeds_rdflib):
    from stores import http

    ntriples = http("GET", oxigraph.extra["base"] + "/store?default", headers={"Accept": "application/n-triples"})
    back = Graph()
    back.parse(data=ntriples.decode("utf-8"), format="nt")
    _same_triples(back, seeds_rdflib, "oxigraph")


@pytest.mark.parametrize("name", QUERIES)
def test_oxigraph_answers_like_rdflib(oxigraph, seeds_rdflib, name):
    _compare(oxigraph, seeds_rdflib, name)


# --------------------------------------------------------------------------- Virtuoso


def test_virtuoso_holds_every_triple(virtuoso, seeds_rdflib):
    assert virtuoso.count_triples() == len(seeds_rdflib)


def test_virtuoso_gives_back_the_same_triples(virtuoso, seeds_rdflib):
    back = virtuoso.construct_all()
    _same_triples(back, seeds_rdflib, "virtuoso")


@pytest.mark.parametrize("name", QUERIES)
def test_virtuoso_answers_like_rdflib(virtuoso, seeds_rdflib, name):
    _compare(virtuoso, seeds_rdflib, name)


def test_virtuoso_load_errors_are_not_silent(virtuoso):
    # /etc is outside DirsAllowed: Virtuoso refuses to read the file, and the
    # helper must say so rather than leave an empty graph behind.
    with pytest.raises(StoreError, match="Error"):
        virtuoso_load(virtuoso, virtuoso.extra["isql"], Path("/etc/hostname"), GRAPH_IRI + "/refused")
    assert virtuoso.graph_iri == GRAPH_IRI


def test_virtuoso_ini_moves_ports_and_files(tmp_path):
    template = (
        "[Database]\nDatabaseFile = /var/lib/virtuoso-opensource-7/db/virtuoso.db\n"
        "[Parameters]\nServerPort = 1111\nDirsAllowed = ., /usr/share/virtuoso-opensource-7/vad\n"
        ";SSLServerPort = 2111\n[HTTPServer]\nServerPort = 8890\n"
    )
    text = virtuoso_ini(template, tmp_path, 41111, 48890)
    assert f"DatabaseFile = {tmp_path}/virtuoso.db" in text
    assert "ServerPort = 41111" in text and "ServerPort = 48890" in text
    assert "1111\n" not in text.replace("41111", "") and "8890" not in text.replace("48890", "")
    assert f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {tmp_path}" in text


# --------------------------------------------------------------------------- rapper


def test_rapper_parses_the_seeds_to_the_same_triples(seeds_turtle, seeds_rdflib):
    program = require("rapper", "apt-get install raptor2-utils")
    assert rapper_count(program, seeds_turtle) == len(seeds_rdflib)
    _same_triples(rapper_triples(program, seeds_turtle), seeds_rdflib, "rapper")


def test_rapper_rejects_broken_turtle(tmp_path, seeds_turtle):
    program = require("rapper", "apt-get install raptor2-utils")
    broken = tmp_path / "broken.ttl"
    text = seeds_turtle.read_text("utf-8")
    broken.write_text(text[: len(text) // 2] + " <unterminated", "utf-8")
    with pytest.raises(StoreError, match="could not parse"):
        rapper_count(program, broken)


# --------------------------------------------------------------------------- comparing answers


def test_group_concat_columns_are_found_with_their_separator():
    assert concat_columns('SELECT ?a (GROUP_CONCAT(?w; separator=", ") AS ?ws) WHERE {}') == {"ws": ", "}
    assert concat_columns('SELECT (GROUP_CONCAT(COALESCE(?w, ""); separator="|") AS ?ws) (COUNT(*) AS ?n) {}') == {
        "ws": "|"}
    assert concat_columns("SELECT (GROUP_CONCAT(DISTINCT ?w) AS ?ws) {}") == {"ws": " "}
    assert concat_columns("SELECT (COUNT(?w) AS ?n) {}") == {}


def test_numbers_compare_by_value_and_strings_as_written():
    from stores import lexical

    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert lexical("120.0", xsd + "decimal") == lexical("120", xsd + "decimal") == "120"
    assert lexical("1.5E1", xsd + "double") == "15"
    assert lexical("120.0") == "120.0"


def test_rows_compare_concatenations_as_sets_and_unbound_apart():
    query = 'SELECT ?e (GROUP_CONCAT(?w; separator=", ") AS ?ws) {}'
    a = rows_from_json(["e", "ws"], [{"e": {"value": "x"}, "ws": {"value": "A, B"}}], query)
    b = rows_from_json(["e", "ws"], [{"e": {"value": "x"}, "ws": {"value": "B, A"}}], query)
    empty = rows_from_json(["e", "ws"], [{"e": {"value": "x"}, "ws": {"value": ""}}], query)
    unbound = rows_from_json(["e", "ws"], [{"e": {"value": "x"}}], query)
    assert a == b
    assert empty != unbound


def test_a_missing_store_skips_here_and_fails_in_ci(monkeypatch):
    import stores

    monkeypatch.setattr(stores, "find_program", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        stores.require("virtuoso-t", "apt-get install virtuoso-opensource")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        stores.require("virtuoso-t", "apt-get install virtuoso-opensource")
