"""``kg serve``: a local, read-only SPARQL endpoint over the built graph."""

from __future__ import annotations

import argparse
import sys

from . import _exit

DESCRIPTION = """\
Serve the built graph as a read-only SPARQL 1.1 Protocol endpoint at
http://HOST:PORT/sparql (GET ?query=... or POST, form or application/sparql-query),
with a query form at http://HOST:PORT/. Results are SPARQL JSON by default;
the Accept header (or format=json|xml|csv|tsv|turtle|nt|jsonld) picks XML, CSV,
TSV, or Turtle (default) / N-Triples / JSON-LD / RDF/XML for CONSTRUCT and DESCRIBE."""

EPILOG = """\
limits and refusals:
  SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...)   403
  SERVICE, and FROM of a graph that is not in the data             403
  a POST body larger than --max-body bytes                         413
  a query running longer than --timeout seconds                    503
    (queries run in --max-workers worker processes; one still running at the
     deadline is killed and replaced; where fork is missing, a thread is abandoned)
  no worker free within --timeout seconds                          503
  more than --max-results rows or triples: the first ones are sent, with the
    headers X-KG-Truncated: true and X-KG-Max-Results: N

It listens on 127.0.0.1 only, and answers only requests addressed to
localhost, unless --host says otherwise. No CORS header is sent unless
--cors ORIGIN is given (--cors '*' to use it from YASGUI in a browser).

exit status:
  0  stopped with Ctrl-C
  1  an error: no graph, the port is taken
  2  the command line was wrong
"""


def register(sub) -> None:
    s = sub.add_parser(
        "serve", help="serve the graph as a local, read-only SPARQL endpoint",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("--graph", "-g", default="out", metavar="OUT",
                   help="a build folder (serves OUT/graph.ttl) or an RDF file: .ttl .nt .nq .trig .jsonld .rdf "
                        "(default: out/)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="stop a query after this long and answer 503 (default: 10)")
    s.add_argument("--max-results", type=int, default=10_000, metavar="N",
                   help="send at most N rows or triples (default: 10000)")
    s.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="refuse POST bodies larger than this with 413 (default: 1000000)")
    s.add_argument("--max-workers", type=int, default=4, metavar="N",
                   help="worker processes, queries running at once (default: 4)")
    s.add_argument("--cors", default=None, metavar="ORIGIN",
                   help="send Access-Control-Allow-Origin: ORIGIN ('*' for any; default: none)")
    s.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..server import make_server, serve

    if not 0 <= args.port <= 65535:
        print(f"kg serve: error: --port {args.port} is not a port (0-65535)", file=sys.stderr)
        return _exit.USAGE
    server = make_server(args.graph, args.host, args.port, timeout=args.timeout, max_results=args.max_results,
                         max_body=args.max_body, max_workers=args.max_workers, cors=args.cors, quiet=args.quiet)
    try:
        serve(server)
    except KeyboardInterrupt:
        print("kg: server stopped", file=sys.stderr)
    return _exit.OK
