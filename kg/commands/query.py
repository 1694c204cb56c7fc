"""``kg query``: run SPARQL (text, a .rq file or a shipped query) on a built graph."""

from __future__ import annotations

import argparse
import sys

from . import _exit

DESCRIPTION = """\
Run a SPARQL query on a built graph and print the result.

QUERY is SPARQL text, a path to a .rq file, the name of a shipped query
(see --list), or - to read the query from standard input. kg's prefixes
(kgo: schema: rdfs: skos: owl: nif: itsrdf: prov: wd: person: country: ...)
are known without PREFIX lines."""

EPILOG = """\
parameters:
  --param NAME=VALUE binds the query variable ?NAME before the query runs
  (rdflib initBindings; the value is never pasted into the query text, so
  quotes and braces in it are harmless). VALUE is a plain string literal;
  write NAME=<iri> to bind an IRI, e.g. --param e=<https://w3id.org/kg/id/person/xi-jinping>.
  A shipped query's name parameter (profile's name) is looked up first: it
  matches an entity's rdfs:label or any skos:altLabel, ignoring case and
  accents (name="xi jinping", name="Lopez Obrador"), or is its IRI
  (name=person:xi-jinping); the query then runs on that entity. A name no
  entity has is an error (exit status 4) that lists the closest names.

output:
  table (default) aligned columns, IRIs shortened with kg's prefixes, cells cut
                  at --width characters; ASK prints true or false;
                  CONSTRUCT and DESCRIBE print Turtle
  csv, tsv        SPARQL 1.1 CSV / TSV results (never cut)
  json            SPARQL 1.1 Query Results JSON (JSON-LD for CONSTRUCT/DESCRIBE)
  xml             SPARQL Query Results XML (RDF/XML for CONSTRUCT/DESCRIBE)
  turtle, nt      Turtle / N-Triples, for CONSTRUCT and DESCRIBE

examples:
  kg query timeline
  kg query profile --param name="Xi Jinping"
  kg query 'SELECT ?p WHERE { ?p a kgo:Person }' --format csv
  kg query my.rq --graph out/graph.ttl --format json

exit status:
  0  the query ran (even with no rows)
  1  an error: no graph, a syntax error (with its line and column), a refused
     query (SPARQL Update, SERVICE), a missing parameter
  2  the command line was wrong
  4  no entity has the name given to a name parameter (the closest names are
     listed on stderr)
"""


def register(sub) -> None:
    from ..query import RESULT_FORMATS

    q = sub.add_parser(
        "query", help="run a SPARQL query (text, .rq file or shipped name) on the graph",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, a .rq file, a shipped query name, or -")
    q.add_argument("--graph", "-g", default="out", metavar="OUT",
                   help="a build folder (reads OUT/graph.ttl) or an RDF file: .ttl .nt .nq .trig .jsonld .rdf "
                        "(default: out/)")
    q.add_argument("--format", "-f", default="table", choices=RESULT_FORMATS, help="output format (default: table)")
    q.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to the string VALUE, or to an IRI with NAME=<iri>; repeatable")
    q.add_argument("--width", type=int, default=80, metavar="N",
                   help="cut table cells longer than N characters (default: 80; 0: never)")
    q.add_argument("--list", "-l", action="store_true", help="list the shipped queries and exit")
    q.set_defaults(func=run)


def _list() -> int:
    from ..query import list_queries

    queries = list_queries()
    width = max(len(q.name) for q in queries)
    for q in queries:
        params = "".join(f" --param {p}=..." for p in q.params)
        print(f"{q.name:<{width}}  {q.description}{params}")
    return _exit.OK


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    if args.query is None:
        print("kg query: error: no QUERY given (SPARQL text, a .rq file, or a name from `kg query --list`)",
              file=sys.stderr)
        return _exit.USAGE
    if args.width < 0:
        print(f"kg query: error: --width {args.width} is negative (0 never cuts)", file=sys.stderr)
        return _exit.USAGE

    from ..query import format_result, parse_param, resolve_query, run_query
    from ..store import open_graph

    params = dict(parse_param(item) for item in args.param)
    query = sys.stdin.read() if args.query == "-" else resolve_query(args.query)
    graph = open_graph(args.graph)
    result = run_query(graph, query, params)
    text = format_result(result, args.format, width=args.width or None)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `kg query ... | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return _exit.OK
