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

The modules: :mod:`~kg.server.endpoint` (the HTTP server, its handler and
limits), :mod:`~kg.server.negotiate` (media types), :mod:`~kg.server.answer`
(one query, parsed, evaluated and formatted) and :mod:`~kg.server.workers`
(the worker processes and the thread fallback).
"""

from __future__ import annotations

from .endpoint import Limits, SparqlServer, make_server, serve
from .negotiate import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, negotiate

__all__ = ["Limits", "SparqlServer", "make_server", "serve", "negotiate", "RESULT_MEDIA_TYPES", "GRAPH_MEDIA_TYPES"]
