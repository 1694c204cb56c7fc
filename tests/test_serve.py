"""kg.server and `kg serve`: a real HTTP server on 127.0.0.1 (a free port),
real requests with http.client, every answer parsed back.

Every request goes to 127.0.0.1 and has a timeout; the servers stop at the
end of the module.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import ROOT
from kg.server import make_server, negotiate, RESULT_MEDIA_TYPES

VISITS = (ROOT / "kg" / "queries" / "visits.rq").read_text(encoding="utf-8")
PERSONS = "SELECT ?p ?name WHERE { ?p a kgo:Person ; rdfs:label ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
MAX_RESULTS = 50
MAX_BODY = 20_000


def start(graph, **limits):
    server = make_server(graph, "127.0.0.1", 0, quiet=True, **limits)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture(scope="module")
def server(seeds_graph):
    srv, thread = start(seeds_graph, timeout=60, max_results=MAX_RESULTS, max_body=MAX_BODY)
    yield srv
    stop(srv, thread)


def slow_graph(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    return g


def request(server, method, path, body=None, headers=None, timeout=60):
    """(status, headers with lower-case names, body) of one request to 127.0.0.1."""
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def get(server, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return request(server, "GET", "/sparql?" + urlencode({"query": query, **params}), headers=headers)


def post_form(server, query, accept=None, **fields):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return request(server, "POST", "/sparql", urlencode({"query": query, **fields}).encode(), headers)


def json_rows(body):
    data = json.loads(body)
    names = data["head"]["vars"]
    return [tuple(b.get(n, {}).get("value") for n in names) for b in data["results"]["bindings"]]


# --------------------------------------------------------------------------- queries and formats


def test_get_answers_sparql_json_by_default(server):
    status, headers, body = get(server, VISITS)
    assert status == 200
    assert headers["content-type"].startswith("application/sparql-results+json")
    assert headers["x-content-type-options"] == "nosniff"
    assert "x-kg-truncated" not in headers
    assert ("Xi Jinping", "Russia", "2023-03-20", "2023-03-22", None) in json_rows(body)


def test_post_form_and_post_sparql_query(server):
    status, _, body = post_form(server, VISITS)
    assert status == 200 and ("Xi Jinping", "Russia", "2023-03-20", "2023-03-22", None) in json_rows(body)
    status, headers, body = request(server, "POST", "/sparql", VISITS.encode("utf-8"),
                                    {"Content-Type": "application/sparql-query; charset=utf-8"})
    assert status == 200 and ("Xi Jinping", "Russia", "2023-03-20", "2023-03-22", None) in json_rows(body)


def test_content_negotiation(server):
    status, headers, body = get(server, PERSONS, accept="text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert table[0] == ["p", "name"] and ["https://w3id.org/kg/id/person/xi-jinping", "Xi Jinping"] in table

    status, headers, body = get(server, PERSONS, accept="text/tab-separated-values")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    back = Result.parse(io.StringIO(body.decode("utf-8")), format="tsv")
    assert Literal("Xi Jinping") in {b[next(v for v in b if str(v) == "name")] for b in back.bindings}

    status, headers, body = get(server, PERSONS, accept="text/csv;q=0.5, application/sparql-results+xml")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(body)
    literals = [e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert "Xi Jinping" in literals

    status, headers, _ = get(server, PERSONS, accept="text/html, */*;q=0.1")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    status, _, body = get(server, PERSONS, accept="text/html")
    assert status == 406 and b"offered" in body

    status, headers, body = get(server, PERSONS, accept="application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")  # format= overrides Accept


def test_negotiate_prefers_the_most_specific_range():
    assert negotiate("*/*;q=0.1, text/*;q=0.5, text/csv;q=0", RESULT_MEDIA_TYPES) == "text/tab-separated-values"
    assert negotiate("application/*", RESULT_MEDIA_TYPES) == "application/sparql-results+json"
    assert negotiate("text/csv;q=0", RESULT_MEDIA_TYPES) is None


def test_ask_construct_describe(server, seeds_graph):
    status, _, body = get(server, 'ASK { ?p rdfs:label "Xi Jinping" }')
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?p a kgo:Person } WHERE { ?p a kgo:Person }"
    expected = Graph()
    for p in seeds_graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                  URIRef("https://w3id.org/kg/ontology#Person")):
        expected.add((p, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      URIRef("https://w3id.org/kg/ontology#Person")))
    status, headers, body = get(server, construct)
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="turtle"), expected)
    status, headers, body = get(server, construct, accept="application/n-triples")
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="nt"), expected)
    status, _, body = get(server, "DESCRIBE <https://w3id.org/kg/id/person/xi-jinping>", accept="text/turtle")
    described = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (URIRef("https://w3id.org/kg/id/person/xi-jinping"), URIRef("http://www.w3.org/2002/07/owl#sameAs"),
            URIRef("http://www.wikidata.org/entity/Q15031")) in described
    status, headers, body = get(server, construct, accept="application/rdf+xml")
    assert status == 200 and headers["content-type"] == "application/rdf+xml"
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="xml"), expected)
    status, _, _ = get(server, construct, accept="text/csv")
    assert status == 406


def test_results_are_cut_at_max_results_with_a_header(server):
    status, headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert headers["x-kg-truncated"] == "true" and headers["x-kg-max-results"] == str(MAX_RESULTS)
    assert len(json_rows(body)) == MAX_RESULTS
    status, headers, body = get(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert status == 200 and headers["x-kg-truncated"] == "true"
    assert len([line for line in body.decode().splitlines() if line.strip()]) == MAX_RESULTS


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("query", [
    "DROP ALL",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(server, seeds_graph, query):
    before = len(seeds_graph)
    for status, _, body in (get(server, query), post_form(server, query)):
        assert status == 403 and b"not allowed" in body
    status, _, body = request(server, "POST", "/sparql", urlencode({"update": query}).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, _ = request(server, "POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403
    assert len(seeds_graph) == before


def test_service_and_from_are_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    status, _, body = get(server, "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
    assert status == 403 and b"FROM" in body
    status, _, _ = get(server, "ASK {}", **{"default-graph-uri": "http://127.0.0.1:9/x"})
    assert status == 400


def test_an_oversize_body_is_refused_unread(server):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Content-Length", str(10 * MAX_BODY))
        conn.endheaders()
        conn.send(b"SELECT * WHERE { ?s ?p ?o } #" + b" " * 100)  # a small part only: the server must not wait
        response = conn.getresponse()
        assert response.status == 413 and b"at most" in response.read()
    finally:
        conn.close()
    big = "ASK {} #" + "x" * MAX_BODY
    status, _, _ = request(server, "POST", "/sparql", big.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_bad_requests(server):
    status, _, body = get(server, "SELECT ?x WHERE {\n  ?x ?y }")
    assert status == 400 and b"line 2, column" in body
    assert request(server, "GET", "/sparql")[0] == 400
    assert request(server, "GET", "/nothing-here")[0] == 404
    assert request(server, "POST", "/sparql", b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415
    status, _, body = request(server, "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and b"exactly one" in body


def test_only_loopback_host_names_are_answered(server):
    port = server.server_address[1]
    status, _, body = request(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    assert status == 403 and b"not allowed" in body
    status, _, _ = request(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": f"localhost:{port}"})
    assert status == 200


def test_no_cors_header_unless_asked(server, seeds_graph):
    assert "access-control-allow-origin" not in get(server, "ASK {}")[1]
    srv, thread = start(seeds_graph, cors="*")
    try:
        status, headers, _ = get(srv, "ASK {}")
        assert status == 200 and headers["access-control-allow-origin"] == "*"
        status, headers, _ = request(srv, "OPTIONS", "/sparql", headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["access-control-allow-methods"]
    finally:
        stop(srv, thread)


def test_the_form_page_escapes_what_it_shows(server):
    status, headers, body = request(server, "GET", "/?q=" + quote('</textarea><script>alert("x")</script>'))
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "default-src 'none'" in headers["content-security-policy"]
    assert 'action="/sparql"' in page and "timeline" in page
    status, _, body = request(server, "GET", "/?q=visits")
    assert "Who visited which country" in body.decode("utf-8")


# --------------------------------------------------------------------------- timeouts


def _children() -> set[int]:
    """Child processes of this process (Linux /proc)."""
    me, found = os.getpid(), set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_a_slow_query_is_stopped_and_its_process_killed():
    srv, thread = start(slow_graph(200), timeout=1.0)  # 200**4 rows to count: minutes of work
    try:
        workers = srv.pool.pids()
        t0 = time.monotonic()
        status, headers, body = post_form(srv, SLOW)
        elapsed = time.monotonic() - t0
        assert status == 503 and b"longer than 1 s" in body
        assert elapsed < 10
        killed = workers - srv.pool.pids()
        assert len(killed) == 1  # the worker that ran it was killed
        deadline = time.monotonic() + 10
        while len(srv.pool.pids()) < len(workers) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(srv.pool.pids()) == len(workers)  # and a new one forked in its place
        if Path("/proc/self/stat").exists():
            assert srv.pool.pids() <= _children() and not killed & _children()  # and reaped: no zombie
        t0 = time.monotonic()
        status, _, body = get(srv, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and json_rows(body) == [("200",)]
        assert time.monotonic() - t0 < 5
    finally:
        stop(srv, thread)


def test_thread_isolation_also_answers_503_on_time():
    srv, thread = start(slow_graph(50), timeout=0.3, isolation="thread")  # about a second of work, abandoned
    try:
        t0 = time.monotonic()
        status, _, body = get(srv, SLOW)
        assert status == 503 and time.monotonic() - t0 < 5
        status, _, body = get(srv, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        stop(srv, thread)


# --------------------------------------------------------------------------- the command


def test_kg_serve_prints_its_url_and_answers(seeds_out):
    out = str(seeds_out.outputs["turtle"].parent)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", out, "--port", "0", "--quiet"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # printed once the socket listens
        assert line.startswith("kg: SPARQL endpoint at http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/sparql?" + urlencode({"query": 'ASK { ?p rdfs:label "Xi Jinping" }'}))
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["boolean"] is True
        conn.close()
    finally:
        proc.terminate()
        proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()


def test_kg_serve_reports_a_missing_graph(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(tmp_path), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "no graph" in proc.stderr and "Traceback" not in proc.stderr
