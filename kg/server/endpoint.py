"""The HTTP side of the endpoint: :class:`SparqlServer` (its limits, its
workers, the loopback-only rule), :func:`make_server`, the request handler
(``/sparql``, the query form at ``/``) and :func:`serve`."""

from __future__ import annotations

import html
import ipaddress
import os
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from ..errors import KGError, QueryError
from ..query import list_queries, named_query
from ..store import open_graph
from .answer import _answer_query, _oxigraph_of, _warm_up
from .negotiate import _HTTPError
from .workers import _Pool, _run_in_thread

__all__ = ["Limits", "SparqlServer", "make_server", "serve"]


@dataclass(frozen=True)
class Limits:
    """What one request may cost.

    ``timeout``: seconds a query may run (503 after). ``max_results``: rows
    or triples sent (more are cut; ``X-KG-Truncated``). ``max_body``: bytes
    of a POST body (413 beyond). ``max_workers``: queries running at once.
    ``isolation``: ``"process"`` (worker processes, one killed and replaced
    at the deadline) or ``"thread"`` (abandoned at the deadline); default:
    process where ``os.fork`` exists.
    """

    timeout: float = 10.0
    max_results: int = 10_000
    max_body: int = 1_000_000
    max_workers: int = 4
    isolation: str = "process" if hasattr(os, "fork") else "thread"

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_results < 0 or self.max_body < 0 or self.max_workers < 1:
            raise KGError(f"invalid server limits {self}", hint="timeout > 0, max_workers >= 1, sizes >= 0")
        if self.isolation not in ("process", "thread"):
            raise KGError(f"unknown isolation {self.isolation!r}", hint="use process or thread")
        if self.isolation == "process" and not hasattr(os, "fork"):
            raise KGError("isolation='process' needs os.fork, which this system lacks", hint="use thread")


_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "localhost.", "ip6-localhost"}


def _is_loopback(host: str) -> bool:
    if host.lower().strip("[]") in {n.strip("[]") for n in _LOOPBACK_NAMES}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SparqlServer(ThreadingHTTPServer):
    """The endpoint: ``graph`` (an rdflib Graph), ``limits`` (:class:`Limits`),
    ``url`` (of ``/sparql``), ``cors`` (the allowed origin or None)."""

    daemon_threads = True

    def __init__(self, graph, host: str, port: int, limits: Limits, *, cors: str | None = None,
                 quiet: bool = False, source: str = "") -> None:
        import socket

        if ":" in host:
            self.address_family = socket.AF_INET6
        self.graph = graph
        self.limits = limits
        self.cors = cors
        self.quiet = quiet
        self.source = source
        self.triples = len(graph)
        # What the worker processes evaluate on (a thread of the server does not: see run).
        self.oxigraph = _oxigraph_of(graph) if limits.isolation == "process" else None
        self.slots = threading.BoundedSemaphore(limits.max_workers)
        self.loopback_only = _is_loopback(host)
        self.pool: _Pool | None = None
        self._oxigraph_aborts: set[str] = set()  # queries that made Oxigraph abort a worker
        _warm_up()
        if limits.isolation == "process":  # forked before the socket is made: they never hold it
            self.pool = _Pool(limits.max_workers, self._answer)
        try:
            super().__init__((host, port), _Handler)
        except BaseException:
            self.close_pool()
            raise

    def _answer(self, text: str, accept: str | None, requested: str | None,
                oxigraph: bool) -> tuple[bytes, str, bool]:
        """Run in a worker process."""
        return _answer_query(self.graph, self.oxigraph if oxigraph else None, text, accept, requested,
                             self.limits.max_results, forked=True)

    def close_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def server_close(self) -> None:
        super().server_close()
        self.close_pool()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The URL of the SPARQL endpoint."""
        return self.base_url + "/sparql"

    def run(self, text: str, accept: str | None, requested: str | None) -> tuple:
        """Answer the query *text* within the limits: ("ok", (body, content
        type, truncated)), ("error", status, message), ("crash", message),
        ("timeout",) or ("busy",)."""
        limits = self.limits
        if self.pool is not None:
            start = time.monotonic()
            oxigraph = self.oxigraph is not None and text not in self._oxigraph_aborts
            outcome = self.pool.run((text, accept, requested, oxigraph), limits.timeout, limits.timeout)
            if outcome[0] == "died" and oxigraph:
                # Oxigraph aborts its process on a few queries (a panic: an ORDER BY over
                # values it cannot order, in the shipped profile query for every entity):
                # rdflib's engine answers them, as it did before.
                if len(self._oxigraph_aborts) < 1000:
                    self._oxigraph_aborts.add(text)
                remaining = limits.timeout - (time.monotonic() - start)
                if remaining <= 0:
                    return ("timeout",)
                outcome = self.pool.run((text, accept, requested, False), remaining, limits.timeout)
            return ("crash", outcome[1]) if outcome[0] == "died" else outcome
        if not self.slots.acquire(timeout=limits.timeout):
            return ("busy",)

        def fn(forked: bool):
            # A thread is no process: were Oxigraph to abort, the whole server would go. rdflib answers.
            return _answer_query(self.graph, None, text, accept, requested, limits.max_results, forked=forked)

        return _run_in_thread(fn, limits.timeout, self.slots.release)


def make_server(graph, host: str = "127.0.0.1", port: int = 7878, *, timeout: float = 10.0,
                max_results: int = 10_000, max_body: int = 1_000_000, max_workers: int = 4,
                isolation: str | None = None, cors: str | None = None, quiet: bool = False) -> SparqlServer:
    """A :class:`SparqlServer` over *graph* (an rdflib Graph, a build folder
    or an RDF file), bound to *host*:*port* (0 picks a free port) but not yet
    serving: call ``serve_forever()``.

    >>> from rdflib import Graph
    >>> server = make_server(Graph(), port=0, quiet=True)
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    source = "" if not isinstance(graph, (str, os.PathLike)) else str(graph)
    if source:
        graph = open_graph(graph)
    limits = Limits(timeout=timeout, max_results=max_results, max_body=max_body, max_workers=max_workers,
                    **({"isolation": isolation} if isolation else {}))
    try:
        return SparqlServer(graph, host, port, limits, cors=cors, quiet=quiet, source=source)
    except OSError as err:
        raise KGError(f"cannot listen on {host}:{port}: {err.strerror or err}",
                      hint="pick another --port, or stop what uses it") from err


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds of socket inactivity before a connection is dropped
    # The headers and the body are two writes: with Nagle's algorithm the body
    # waited for the client's delayed ACK, 40 ms per answer on a kept-alive connection.
    disable_nagle_algorithm = True

    # ----------------------------------------------------------------- plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.server.quiet:
            super().log_message(format, *args)

    def _common_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated, X-KG-Max-Results")
            if self.server.cors != "*":
                self.send_header("Vary", "Origin")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(self, err: _HTTPError) -> None:
        if self.command == "POST":
            self.close_connection = True  # its body may be unread
        self._send(err.status, (err.message + "\n").encode("utf-8"), "text/plain; charset=utf-8", err.headers)

    def _guard(self, handler: Callable[[], None]) -> None:
        try:
            self._check_host()
            handler()
        except _HTTPError as err:
            self._send_error(err)

    def _check_host(self) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:  # RFC 9112, 3.2: which one a proxy and the server read may differ
            self.close_connection = True
            raise _HTTPError(400, f"the request has {len(hosts)} Host headers; send one")
        host = hosts[0] if hosts else None
        if not self.server.loopback_only or host is None:
            return
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if not _is_loopback(name.strip()):
            self.close_connection = True
            raise _HTTPError(403, f"Host {host!r} is not allowed: this endpoint only answers requests to "
                                  f"localhost (start it with --host to serve other names)")

    # ----------------------------------------------------------------- methods

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._guard(self._get)

    def do_HEAD(self) -> None:  # noqa: N802
        self._guard(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._guard(self._post)

    def do_OPTIONS(self) -> None:  # noqa: N802
        def options() -> None:
            headers = {"Allow": "GET, POST, OPTIONS"}
            if self.server.cors:
                headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
                headers["Access-Control-Max-Age"] = "600"
            self._send(204, b"", "text/plain", headers)
        self._guard(options)

    def _get(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True, max_num_fields=100)
        if url.path in ("/", "/index.html"):
            self._page(params)
        elif url.path == "/sparql":
            self._answer(params)
        else:
            raise _HTTPError(404, f"no such page {url.path!r}: the endpoint is /sparql, the query form is /")

    def _post(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            raise _HTTPError(404, f"no such endpoint {url.path!r}: POST queries to /sparql")
        params = parse_qs(url.query, keep_blank_values=True, max_num_fields=100)
        body = self._read_body()
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise _HTTPError(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if content_type == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100,
                                errors="strict")
            except (UnicodeDecodeError, ValueError) as err:
                raise _HTTPError(400, f"the form body is not UTF-8 form data: {err}") from err
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise _HTTPError(400, "the query is not UTF-8 text") from None
        else:
            raise _HTTPError(415, f"unsupported Content-Type {content_type!r}: send "
                                  "application/x-www-form-urlencoded (query=...) or application/sparql-query")
        self._answer(params)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise _HTTPError(411, "chunked bodies are not accepted: send a Content-Length")
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self.close_connection = True
            raise _HTTPError(411, "a POST needs a Content-Length header")
        size = int(length)
        if size > self.server.limits.max_body:
            self.close_connection = True  # the body is left unread
            raise _HTTPError(413, f"the request body has {size} bytes; this endpoint accepts at most "
                                  f"{self.server.limits.max_body} (kg serve --max-body)")
        return self.rfile.read(size)

    # ----------------------------------------------------------------- the query

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise _HTTPError(403, "SPARQL Update is not allowed: this endpoint is read-only")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise _HTTPError(400, f"{name} is not supported: the dataset is the built graph")
        queries = params.get("query", [])
        if len(queries) != 1:
            raise _HTTPError(400, "give exactly one query parameter, e.g. /sparql?query=ASK%20%7B%7D")
        if not queries[0].strip():
            raise _HTTPError(400, "the query is empty")
        requested = params.get("format", [None])[-1]
        outcome = self.server.run(queries[0], self.headers.get("Accept"), requested)
        if outcome[0] == "ok":
            body, content_type, truncated = outcome[1]
            headers = {"Vary": "Accept"}
            if truncated:
                headers["X-KG-Truncated"] = "true"
                headers["X-KG-Max-Results"] = str(self.server.limits.max_results)
            self._send(200, body, content_type, headers)
        elif outcome[0] == "error":
            raise _HTTPError(outcome[1], outcome[2])
        elif outcome[0] == "timeout":
            raise _HTTPError(503, f"the query ran longer than {self.server.limits.timeout:g} s and was stopped "
                                  "(kg serve --timeout)", {"Retry-After": "1"})
        elif outcome[0] == "busy":
            raise _HTTPError(503, "too many queries are running; try again", {"Retry-After": "1"})
        else:
            raise _HTTPError(500, f"the query failed: {outcome[1]}")

    # ----------------------------------------------------------------- the form

    def _page(self, params: dict[str, list[str]]) -> None:
        wanted = params.get("q", [""])[-1]
        text = ("SELECT ?entity ?type ?label WHERE {\n  ?entity a ?type ; rdfs:label ?label ; kgo:mentionCount ?n .\n}\n"
                "ORDER BY DESC(?n)\nLIMIT 20\n")
        if wanted:
            try:
                text = named_query(wanted).text
            except QueryError:  # not a shipped name: show it as query text
                text = wanted
        esc = html.escape
        items = "\n".join(
            f'<li><a href="/?q={esc(q.name)}">{esc(q.name)}</a> — {esc(q.description)}'
            + "".join(f" (set ?{esc(p)}: add <code>VALUES ?{esc(p)} {{ \"...\" }}</code> in WHERE)"
                      for p in q.params if p not in q.entity_params)
            + "".join(f" (set ?{esc(v)}: add <code>VALUES ?{esc(v)} {{ &lt;https://w3id.org/kg/id/...&gt; }}</code>"
                      " in WHERE)" for v in q.entity_params.values())
            + "</li>"
            for q in list_queries())
        limits = self.server.limits
        formats = "".join(f'<option value="{f}">{f}</option>' for f in ("json", "xml", "csv", "tsv", "turtle", "nt"))
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
textarea{{width:100%;font-family:monospace;font-size:0.95em}}code{{background:#f3f3f3}}</style></head>
<body><h1>kg SPARQL endpoint</h1>
<p>Graph: <code>{esc(self.server.source or "(in memory)")}</code>, {self.server.triples} triples.
Endpoint: <code>{esc(self.server.url)}</code> (SPARQL 1.1 Protocol, GET or POST, read-only).
kg's prefixes (kgo:, schema:, rdfs:, skos:, nif:, person:, country: ...) need no PREFIX line.</p>
<form method="get" action="/sparql">
<textarea name="query" rows="18" spellcheck="false">{esc(text)}</textarea>
<p><label>Format <select name="format">{formats}</select></label> <button type="submit">Run</button></p>
</form>
<h2>Shipped queries</h2>
<ul>
{items}
</ul>
<p>Limits: {limits.timeout:g} s per query, {limits.max_results} rows, {limits.max_body} bytes per request.
SPARQL Update, SERVICE and FROM of other graphs are refused.</p>
</body></html>
"""
        self._send(200, page.encode("utf-8"), "text/html; charset=utf-8", {
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        })


def serve(server: SparqlServer, *, out=None) -> None:
    """Announce *server*'s URL on *out* (stdout) and serve until Ctrl-C."""
    out = out or sys.stdout
    print(f"kg: SPARQL endpoint at {server.url} (query form at {server.base_url}/); Ctrl-C stops it",
          file=out, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
