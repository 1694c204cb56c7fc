"""A local, read-only SPARQL 1.1 Protocol endpoint over a built graph.

``make_server(graph, host, port, **limits)`` returns a
:class:`SparqlServer` (a standard-library ``ThreadingHTTPServer``); call its
``serve_forever()`` (in a thread, in tests) and ``shutdown()``.

Endpoint ``/sparql``:

* ``GET /sparql?query=...``, ``POST`` with ``application/x-www-form-urlencoded``
  (``query=...``) or ``application/sparql-query`` (the query is the body);
* results as ``application/sparql-results+json`` (default),
  ``application/sparql-results+xml``, ``text/csv`` or
  ``text/tab-separated-values``; CONSTRUCT/DESCRIBE as ``text/turtle``
  (default), ``application/n-triples``, ``application/ld+json`` or
  ``application/rdf+xml`` — chosen by the ``Accept`` header, or by a
  ``format`` parameter (json, xml, csv, tsv, turtle, nt, jsonld) that
  overrides it; 406 if nothing offered is acceptable.

Read-only and offline: SPARQL Update (in any form) is refused with 403, as are
``SERVICE`` and ``FROM`` of graphs not in the data (rdflib would fetch them
from the web). A POST body larger than ``max_body`` is refused with 413 before
it is read. At most ``max_results`` rows (or triples) are sent; when a result
had more, it is cut and the response carries ``X-KG-Truncated: true`` and
``X-KG-Max-Results: N``. A query that runs longer than ``timeout`` seconds is
answered with 503.

Concurrency and timeouts (``isolation="process"``, the default where
``os.fork`` exists): ``max_workers`` worker processes are forked when the
server starts, each holding the graph and answering one query at a time. A
worker parses and checks the query with rdflib (remembering the parse: the
shipped queries are parsed before the workers are forked), evaluates it with
Oxigraph (a copy of an in-memory graph, or the store it is read from) and
formats the answer with rdflib's serializers, so answers read as they did when
rdflib's engine evaluated them. Neither engine can interrupt a query: a
worker still running at the deadline is killed (the CPU is freed at once) and
a new one forked in its place. A request that finds no idle worker within
``timeout`` seconds gets 503. rdflib's engine still evaluates DESCRIBE
(rdflib's description has more triples), queries with ``FROM``, quads
(N-Quads, TriG), and a query that made Oxigraph abort its process (a panic,
e.g. on an ORDER BY over terms it cannot order): that query is run again by
rdflib in a fresh worker. Where the order of rows is not fixed by the query
(ties in ORDER BY, the parts of a GROUP_CONCAT) it is Oxigraph's.

Without ``fork`` (Windows), ``isolation="thread"`` evaluates with rdflib in a
thread that is abandoned at the deadline: the client gets its 503 on time,
but the thread keeps its CPU and its slot until rdflib finishes (an Oxigraph
abort there would end the server).

When the server listens on a loopback address, requests whose ``Host`` header
is not a loopback name are refused (403), so a web page cannot reach the
endpoint through DNS rebinding. A request with more than one ``Host`` header
is refused (400) whatever the address. No CORS header is sent unless ``cors`` names
an allowed origin (``"*"`` for any, e.g. for YASGUI).
"""

from __future__ import annotations

import functools
import html
import ipaddress
import itertools
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from .errors import KGError, QueryError

__all__ = ["Limits", "SparqlServer", "make_server", "negotiate", "RESULT_MEDIA_TYPES", "GRAPH_MEDIA_TYPES"]

#: Media types offered for SELECT and ASK results, in order of preference, and their format.
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Media types offered for CONSTRUCT and DESCRIBE results, in order of preference.
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
}
# ``format=`` parameter values -> the format name for results / for graphs.
_FORMAT_PARAM = {
    "json": ("json", "json"), "jsonld": (None, "json"), "json-ld": (None, "json"),
    "xml": ("xml", "xml"), "rdfxml": (None, "xml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "nt": (None, "nt"), "ntriples": (None, "nt"),
}
_CONTENT_TYPE = {
    ("results", "json"): "application/sparql-results+json",
    ("results", "xml"): "application/sparql-results+xml",
    ("results", "csv"): "text/csv; charset=utf-8",
    ("results", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "nt"): "application/n-triples",
    ("graph", "json"): "application/ld+json",
    ("graph", "xml"): "application/rdf+xml",
}

# Held while forking and while a thread of this process parses a query
# (pyparsing has a lock of its own), so that a forked child never inherits a
# lock held by a thread it does not have.
_FORK_LOCK = threading.Lock()


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


class _HTTPError(Exception):
    """An answer other than 200, raised inside the handler."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --------------------------------------------------------------------------- content negotiation


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The media type of *offered* (in preference order) that the ``Accept``
    header *accept* rates highest, or None if it accepts none of them.

    >>> negotiate("text/csv, */*;q=0.1", RESULT_MEDIA_TYPES)
    'text/csv'
    >>> negotiate(None, RESULT_MEDIA_TYPES)
    'application/sparql-results+json'
    >>> negotiate("text/html", RESULT_MEDIA_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0]
        # the most specific range that matches decides the quality
        q, specificity = None, -1
        for rng, rq in ranges:
            level = 2 if rng == media else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
            if level > specificity:
                q, specificity = rq, level
        if q is not None and q > best_q:
            best, best_q = media, q
    return best


# --------------------------------------------------------------------------- running a query in a worker


def _choose_format(kind: str, accept: str | None, requested: str | None) -> tuple[str, str]:
    """(format, content type) for a ``"results"`` or ``"graph"`` answer, from
    the ``format`` parameter if given, else the ``Accept`` header."""
    offered = GRAPH_MEDIA_TYPES if kind == "graph" else RESULT_MEDIA_TYPES
    if requested:
        key = requested.strip().lower()
        if key in _FORMAT_PARAM:
            fmt = _FORMAT_PARAM[key][kind == "graph"]
            if fmt is None:
                raise _HTTPError(406, f"format={requested} does not fit a "
                                      f"{'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT/ASK'} query")
            return fmt, _CONTENT_TYPE[(kind, fmt)]
        media = negotiate(requested, offered)
    else:
        media = negotiate(accept, offered)
    if media is None:
        raise _HTTPError(406, f"cannot answer in {requested or accept!r}; offered: {', '.join(offered)}")
    return offered[media], _CONTENT_TYPE[(kind, offered[media])]


def _answer_query(graph, oxigraph, text: str, accept: str | None, requested: str | None, max_results: int,
                  *, forked: bool) -> tuple[bytes, str, bool]:
    """Parse, check and evaluate *text* on *graph* (rdflib), or on
    *oxigraph* (a pyoxigraph Store of the same triples, or None): (body,
    content type, truncated). Runs in the worker, so the deadline covers
    parsing too."""
    from .query import format_result

    if forked:  # a worker process has no other thread
        parsed = _parse(text)
    else:
        with _FORK_LOCK:
            parsed = _parse(text)
    kind = "graph" if parsed.algebra.name in ("ConstructQuery", "DescribeQuery") else "results"
    fmt, content_type = _choose_format(kind, accept, requested)
    result, truncated = _evaluate(graph, oxigraph, parsed, text, max_results)
    return format_result(result, fmt).encode("utf-8"), content_type, truncated


@functools.lru_cache(maxsize=256)
def _parse(text: str):
    """:func:`kg.query.parse_query`, remembered: rdflib's parser takes 10-170 ms
    for a shipped query, Oxigraph answers most of them on the seeds' graph in
    a few. Only successes are kept (an error is raised again each time)."""
    from .query import parse_query

    return parse_query(text)


def _evaluate(graph, oxigraph, parsed, text: str, max_results: int):
    """(result, truncated): *text* evaluated by *oxigraph* if there is one,
    else by rdflib's engine on *graph* (:func:`kg.query.run_query`), as
    every query was before: DESCRIBE (rdflib's describes more), a query
    naming its dataset (``FROM``), and what Oxigraph's parser refuses."""
    from .query import run_query, truncate

    algebra = parsed.algebra  # CompValue.get gives the key itself for a missing key: ask with ``in``
    if (oxigraph is not None and algebra.name != "DescribeQuery"  # rdflib's DESCRIBE gives more
            and not ("datasetClause" in algebra and algebra["datasetClause"])):
        try:
            return _run_on_oxigraph(oxigraph, text, max_results)
        except SyntaxError:  # a dialect difference: rdflib's engine accepts it
            pass
    return truncate(run_query(graph, parsed), max_results)


def _run_on_oxigraph(store, text: str, limit: int):
    """*text* evaluated by the pyoxigraph *store* (which releases the
    interpreter lock while it works), as an rdflib result of at most *limit*
    rows or triples, and whether some were dropped. Terms are rdflib's as
    its own engine gives them (a plain literal has no ``xsd:string``), so
    the answers are formatted exactly as before."""
    import pyoxigraph
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    from .query import _prefixes, _running, truncate

    with _running():
        answer = store.query(text, prefixes=_prefixes(), default_graph=pyoxigraph.DefaultGraph())
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return SPARQLResult({"type_": "ASK", "askAnswer": bool(answer)}), False
        if isinstance(answer, pyoxigraph.QuerySolutions):
            names = [Variable(v.value) for v in answer.variables]
            rows = [{name: _rdflib_term(term) for name, term in zip(names, solution) if term is not None}
                    for solution in itertools.islice(answer, limit + 1)]
            return SPARQLResult({"type_": "SELECT", "vars_": names, "bindings": rows[:limit]}), len(rows) > limit
        graph = Graph()
        for triple in answer:
            graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    return truncate(SPARQLResult({"type_": "CONSTRUCT", "graph": graph}), limit)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@functools.lru_cache(maxsize=1 << 16)
def _rdflib_term(term):
    """The rdflib term of a pyoxigraph term, a plain literal for ``xsd:string``.
    Remembered: an answer repeats its labels, and an rdflib literal is slow
    to make (it parses its value)."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"kg cannot send the RDF-star term {term} in an answer")


def _oxigraph_of(graph):
    """The pyoxigraph Store to evaluate queries on *graph* with: the one
    behind an Oxigraph-backed graph (a store, a large build), or an
    in-memory copy of an rdflib graph. None for a dataset (quads: rdflib's
    engine sees its named graphs as ``kg query`` does) and for a graph
    Oxigraph cannot load."""
    import pyoxigraph

    from .store import oxigraph_store

    inner = oxigraph_store(graph)
    if inner is not None or getattr(graph, "context_aware", False):
        return inner
    copy = pyoxigraph.Store()
    try:
        copy.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError):  # e.g. an IRI rdflib took and Oxigraph does not
        return None
    return copy


def _outcome(fn: Callable[[], Any]) -> tuple:
    """("ok", value) | ("error", status, message) | ("crash", message)."""
    from .query import QueryRefused

    try:
        return ("ok", fn())
    except _HTTPError as err:
        return ("error", err.status, err.message)
    except QueryRefused as err:
        return ("error", 403, str(err))
    except KGError as err:
        return ("error", 400, str(err))
    except BaseException as err:  # reported to the client as a 500, never lost
        return ("crash", f"{type(err).__name__}: {err}")


# Messages between the server and a worker: 8 bytes of length, then a pickle.
_HEADER = struct.Struct("!Q")


def _send_message(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    """*size* bytes from *fd*; None at end of file or past *deadline*
    (``time.monotonic()``; None waits for ever)."""
    chunks, needed = [], size
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while needed:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                return None
        chunk = os.read(fd, min(needed, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        needed -= len(chunk)
    return b"".join(chunks)


def _receive_message(fd: int, deadline: float | None = None) -> tuple[str, Any]:
    """("ok", object) | ("eof",) | ("timeout",)."""
    header = _read_exactly(fd, _HEADER.size, deadline)
    body = None if header is None else _read_exactly(fd, _HEADER.unpack(header)[0], deadline)
    if body is None:
        return ("timeout",) if deadline is not None and time.monotonic() >= deadline else ("eof",)
    return ("ok", pickle.loads(body))


class _Worker:
    """A forked process that answers one query at a time, sent down a pipe."""

    def __init__(self, answer: Callable[..., Any], inherited: list[int]) -> None:
        from .lifeline import die_with_parent

        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        server = os.getpid()
        with _FORK_LOCK:
            pid = os.fork()
        if pid == 0:  # the worker: answer until the server closes the pipe, and leave without cleanup
            try:
                _close_in_worker(inherited + [request_write, reply_read])
                die_with_parent(server)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
                while True:
                    message = _receive_message(request_read)
                    if message[0] != "ok":
                        break
                    _send_message(reply_write, _outcome(lambda: answer(*message[1])))
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(reply_write)
        self.pid, self.requests, self.replies = pid, request_write, reply_read
        self._lock = threading.Lock()
        self._status: str | None = None

    def fds(self) -> list[int]:
        return [self.requests, self.replies]

    def ask(self, request: tuple, timeout: float) -> tuple:
        """The outcome of *request*, ("timeout",) after *timeout* seconds (the
        worker is then killed), or ("died", message) if the worker died."""
        try:
            _send_message(self.requests, request)
        except OSError:  # it died since its last answer
            return ("died", f"the query worker died ({self.stop()})")
        reply = _receive_message(self.replies, time.monotonic() + timeout)
        if reply[0] == "ok":
            return reply[1]
        status = self.stop()
        return ("timeout",) if reply[0] == "timeout" else ("died", f"the query worker died ({status})")

    def kill(self) -> None:
        """Kill the process (:meth:`stop` reaps it)."""
        with self._lock:
            if self._status is None:
                os.kill(self.pid, signal.SIGKILL)

    def stop(self) -> str:
        """Kill the process, reap it and close its pipes, once; how it ended."""
        with self._lock:
            if self._status is None:
                os.kill(self.pid, signal.SIGKILL)
                _, status = os.waitpid(self.pid, 0)
                self._status = f"wait status {status}"
                for fd in self.fds():
                    os.close(fd)
            return self._status


def _close_in_worker(fds: list[int]) -> None:
    """Close, in a new worker, *fds* (the other workers' pipes) and the
    server's sockets: a worker must not hold the listening socket or a
    client's connection open."""
    import stat

    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in names:
        try:
            fd = int(name)
            if fd > 2 and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except (OSError, ValueError):
            pass


class _Pool:
    """*size* persistent worker processes (:class:`_Worker`), forked once.
    A query waits for an idle one; a worker that runs past the deadline is
    killed, and a new one forked in its place.

    Every worker is forked by one thread of the pool's own, which lives as
    long as the pool: Linux kills a worker when the *thread* that forked it
    ends (``PR_SET_PDEATHSIG``), so a request's thread must not fork."""

    def __init__(self, size: int, answer: Callable[..., Any]) -> None:
        import queue

        self._answer = answer
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._available = threading.Semaphore(0)
        self._workers: set[_Worker] = set()
        self._closed = False
        self._orders: queue.SimpleQueue = queue.SimpleQueue()
        self._forker = threading.Thread(target=self._fork_on_order, name="kg-sparql-forker", daemon=True)
        self._forker.start()
        for _ in range(size):
            self._orders.put(True)
        for _ in range(size):  # all forked before the server answers
            self._available.acquire()
        for _ in range(size):
            self._available.release()
        with self._lock:
            started = len(self._workers)
        if started < size:
            self.close()
            raise KGError(f"could start only {started} of {size} query workers", hint="see the error above")

    def _fork_on_order(self) -> None:
        while self._orders.get():
            with self._lock:
                inherited = [fd for worker in self._workers for fd in worker.fds()]
            try:
                worker = _Worker(self._answer, inherited)
            except OSError as err:  # no more processes or pipes: the pool runs short
                print(f"kg: cannot start a query worker: {err}", file=sys.stderr)
                self._available.release()  # a waiting request then finds no worker and answers busy
                continue
            with self._lock:
                closed = self._closed
                if not closed:
                    self._workers.add(worker)
                    self._idle.append(worker)
            if closed:
                worker.stop()
            else:
                self._available.release()

    def _fork(self) -> None:
        """A new worker, idle once forked."""
        self._orders.put(True)

    def pids(self) -> set[int]:
        """The workers' process ids."""
        with self._lock:
            return {worker.pid for worker in self._workers}

    def run(self, request: tuple, timeout: float, wait: float) -> tuple:
        """The outcome of *request* in an idle worker (see
        :meth:`_Worker.ask`), or ("busy",) if none became idle within *wait*
        seconds."""
        if not self._available.acquire(timeout=wait):
            return ("busy",)
        with self._lock:
            if self._closed or not self._idle:
                return ("busy",)
            worker = self._idle.pop()
        outcome = worker.ask(request, timeout)
        if outcome[0] in ("timeout", "died"):
            with self._lock:
                self._workers.discard(worker)
            self._fork()
            return outcome
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                self._available.release()
                return outcome
        worker.stop()
        return outcome

    def close(self) -> None:
        """Stop the workers; one answering a query is killed, and reaped by
        the thread that waits for it."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, self._workers - set(self._idle)
            self._idle, self._workers = [], set()
        self._orders.put(False)
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
        for _ in busy:  # wake any request still waiting for a worker
            self._available.release()


def _run_in_thread(fn: Callable[[bool], Any], timeout: float, release: Callable[[], None]) -> tuple:
    """Run ``fn(False)`` in a daemon thread; stop waiting after *timeout*
    seconds (the thread runs on, and calls *release* when it ends)."""
    box: list = []

    def target() -> None:
        try:
            box.append(_outcome(lambda: fn(False)))
        finally:
            release()

    thread = threading.Thread(target=target, name="kg-sparql-query", daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else ("timeout",)


def _warm_up() -> None:
    """Import everything a query needs before any child is forked: a child
    that imported a module another thread was importing could deadlock."""
    import ctypes  # noqa: F401 (for kg.lifeline in the workers)
    import stat  # noqa: F401

    import pyoxigraph
    from rdflib import Graph

    empty, oxigraph = Graph(), pyoxigraph.Store()
    for text, formats in (("SELECT ?s WHERE { ?s ?p ?o }", ("json", "xml", "csv", "tsv")),
                          ("ASK { ?s ?p ?o }", ("json", "xml")),
                          ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ("turtle", "nt", "jsonld"))):
        for fmt in formats:
            for store in (None, oxigraph):
                _answer_query(empty, store, text, None, fmt, 1, forked=False)
    # The workers are forked with the shipped queries parsed (as the form sends them).
    from .query import list_queries

    for query in list_queries():
        with _FORK_LOCK:
            _parse(query.text)


# --------------------------------------------------------------------------- the server


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
    from .store import open_graph

    source = "" if not isinstance(graph, (str, os.PathLike)) else str(graph)
    if source:
        graph = open_graph(graph)
    limits = Limits(timeout=timeout, max_results=max_results, max_body=max_body, max_workers=max_workers,
                    **({"isolation": isolation} if isolation else {}))
    try:
        return SparqlServer(graph, host, port, limits, cors=cors, quiet=quiet, source=source)
    except OSError as err:
        raise KGError(f"cannot listen on {host}:{port}: {err.strerror or err}",
                      hint="pick another --port, or stop what uses it") from None


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
                raise _HTTPError(400, f"the form body is not UTF-8 form data: {err}") from None
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
        from .query import list_queries, named_query

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
