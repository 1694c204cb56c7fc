"""kg serve under load (issue 19, item 8): 50 clients sending the shipped
queries at once, a runaway query among them, a query that makes Oxigraph
abort. A real server on 127.0.0.1 (a free port), real requests.

It used to fork a process per query: 50 clients on the seeds' graph got
2.5-9% "busy" (503) answers, p50 1.4-4 s, p99 6-10 s (bench/serve_load.py
measures it in full). The figures asserted here leave room for a machine
busy with other work.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from kg.query import format_result, list_queries, parse_query, run_query
from kg.server import make_server

ENTITY = "https://w3id.org/kg/id/person/xi-jinping"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"  # 6,852**3 rows: days
# Oxigraph (0.5) cannot order these terms: its sort panics and aborts the process.
UNORDERABLE = ("SELECT ?x WHERE { VALUES ?x { " + " ".join(f'{i} "{c}"' for i, c in enumerate("abcdefghijkl", 1))
               + ' "2020-01-01"^^xsd:date "2019"^^xsd:gYear "2020-02"^^xsd:gYearMonth'
               + ' "2020-01-01T00:00:00"^^xsd:dateTime } } ORDER BY ?x')


def shipped() -> dict[str, str]:
    """The shipped queries, profile's ?entity bound to Xi Jinping (as bench/serve_load.py sends them)."""
    texts = {}
    for query in list_queries():
        text = query.text
        for var in query.entity_params.values():
            text = text.replace("WHERE {", f"WHERE {{\n  VALUES ?{var} {{ <{ENTITY}> }}", 1)
        texts[query.name] = text
    return texts


def start(graph, **limits):
    server = make_server(graph, "127.0.0.1", 0, quiet=True, **limits)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join(10)


def ask(conn, query, fmt="json"):
    """(status, body) of one GET on the kept-alive *conn*."""
    conn.request("GET", "/sparql?" + urlencode({"query": query, "format": fmt}))
    response = conn.getresponse()
    return response.status, response.read()


def connect(server, timeout=60):
    return http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=timeout)


def load(server, queries: dict[str, str], clients: int, seconds: float):
    """*clients* threads sending *queries* in turn for *seconds*: a list of
    (name, status, body, latency) per request."""
    names = sorted(queries)
    seen, lock = [], threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = connect(server)
        try:
            i = k
            while time.monotonic() < stop_at:
                name = names[i % len(names)]
                i += 1
                t0 = time.monotonic()
                try:
                    status, body = ask(conn, queries[name])
                except (OSError, http.client.HTTPException) as err:
                    status, body = 0, repr(err).encode()
                    conn.close()
                    conn = connect(server)
                with lock:
                    seen.append((name, status, body, time.monotonic() - t0))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return seen


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def rows(body: bytes) -> list[tuple]:
    """The rows of a SPARQL JSON answer, sorted, each GROUP_CONCAT's parts
    sorted: what SPARQL fixes whatever the engine."""
    data = json.loads(body)
    names = data["head"]["vars"]
    return sorted(tuple(json.dumps({**b[n], "value": ", ".join(sorted(b[n]["value"].split(", ")))}, sort_keys=True)
                        if n in b else "" for n in names) for b in data["results"]["bindings"])


@pytest.fixture(scope="module")
def served(seeds_graph):
    server, thread = start(seeds_graph, timeout=5)
    yield server
    stop(server, thread)


def test_the_answers_are_rdflib_engines_answers(served, seeds_graph):
    conn = connect(served)
    try:
        for name, text in sorted(shipped().items()):
            status, body = ask(conn, text)
            assert status == 200, (name, body[:200])
            expected = format_result(run_query(seeds_graph, parse_query(text)), "json").encode("utf-8")
            assert rows(body) == rows(expected), name
            assert len(body) == len(expected), name  # the same terms, written the same way
    finally:
        conn.close()


def test_50_clients_on_the_seeds_graph_are_all_answered_quickly(served):
    queries = shipped()
    conn = connect(served)
    try:
        reference = {name: ask(conn, text)[1] for name, text in queries.items()}
    finally:
        conn.close()
    seen = load(served, queries, clients=50, seconds=3)
    errors = [(name, status, body[:80]) for name, status, body, _ in seen if status != 200]
    assert not errors, f"{len(errors)} of {len(seen)} requests failed, e.g. {errors[:3]}"
    assert all(body == reference[name] for name, _, body, _ in seen)  # concurrent answers are the same answers
    # bench/serve_load.py, clients in a process of their own on a quiet machine: p99 under 0.5 s,
    # 300-400 answers a second. Here the clients share the server's process (and its interpreter
    # lock), and the machine may be busy: the bounds only leave out the old server (83 answers, p99 6-10 s).
    latency = p99([t for *_, t in seen])
    assert len(seen) >= 150 and latency < 4.0, (len(seen), latency)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_a_runaway_query_is_killed_at_the_timeout_while_other_clients_are_answered(seeds_graph):
    server, thread = start(seeds_graph, timeout=3.0)  # room for a machine busy with other work
    try:
        workers = server.pool.pids()
        runaway: list = []

        def send_runaway() -> None:
            conn = connect(server)
            t0 = time.monotonic()
            try:
                runaway.extend([*ask(conn, RUNAWAY), time.monotonic() - t0])
            finally:
                conn.close()

        runner = threading.Thread(target=send_runaway, daemon=True)
        runner.start()
        # The shipped queries as the server parsed them before forking its workers (a worker's
        # first parse of profile with VALUES takes a second on a busy machine); profile for every
        # entity is not one of them: a heavy answer.
        queries = {q.name: q.text for q in list_queries() if not q.entity_params}
        seen = load(server, queries, clients=10, seconds=3.5)
        runner.join(30)
        status, body, elapsed = runaway
        assert status == 503 and b"longer than 3 s" in body and 3.0 <= elapsed < 8, (status, body, elapsed)
        failed = [(name, status, body[:80], round(t, 2)) for name, status, body, t in seen if status != 200]
        assert seen and not failed, failed
        killed = workers - server.pool.pids()
        assert len(killed) == 1
        if Path("/proc").is_dir():
            assert not any(Path(f"/proc/{pid}").exists() for pid in killed)  # killed and reaped
        deadline = time.monotonic() + 10
        while len(server.pool.pids()) < len(workers) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(server.pool.pids()) == len(workers)
    finally:
        stop(server, thread)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_a_query_that_aborts_oxigraph_is_answered_by_rdflib(served, seeds_graph):
    workers = len(served.pool.pids())
    conn = connect(served)
    try:
        for _ in range(2):  # the second time rdflib answers at once
            status, body = ask(conn, UNORDERABLE)
            assert status == 200, body[:300]
            expected = format_result(run_query(seeds_graph, parse_query(UNORDERABLE)), "json").encode("utf-8")
            assert body == expected
        assert ask(conn, 'ASK { ?p rdfs:label "Xi Jinping" }') == (200, b'{"head": {}, "boolean": true}')
    finally:
        conn.close()
    deadline = time.monotonic() + 10
    while len(served.pool.pids()) < workers and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(served.pool.pids()) == workers
