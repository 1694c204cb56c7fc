"""``kg validate``: check a built graph against kg's SHACL shapes."""

from __future__ import annotations

import argparse
import sys

from . import _exit

DESCRIPTION = """\
Check a built graph against kg's SHACL shapes (ontology/shapes.ttl) with
pySHACL, after RDFS inference with the ontology (ontology/kg.ttl).

The rules: every entity has one name (rdfs:label) and at most one Wikidata
link; a country of the gazetteer is linked to its Wikidata item; an extracted
event has one type and a date or the reason it has none; mentions, sentences
and quotations sit in one document, with offsets that fit its text; dates are
xsd:date, xsd:gYearMonth or xsd:gYear; a quotation has one text; a reified
relation names its triple, which is in the graph, and its evidence."""

EPILOG = """\
output:
  text (default)  the broken rules, most frequent first: the count, the message,
                  the property, then each node (prefixed IRI, its name, the
                  offending value); --limit nodes per rule
  turtle          the SHACL validation report (sh:ValidationReport) as Turtle

examples:
  kg validate
  kg validate --graph out/graph.ttl --format turtle > report.ttl

exit status:
  0  the graph conforms to the shapes
  1  the graph does not conform (the violations are printed on stdout),
     or an error stopped the check (no graph, a file that is not RDF; on stderr)
  2  the command line was wrong
"""


def register(sub) -> None:
    v = sub.add_parser(
        "validate", help="check the graph against kg's SHACL shapes (exit 1 if it does not conform)",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("--graph", "-g", default="out", metavar="OUT",
                   help="a build folder (reads OUT/graph.ttl) or an RDF file (default: out/)")
    v.add_argument("--format", "-f", default="text", choices=("text", "turtle"),
                   help="output format (default: text)")
    v.add_argument("--limit", type=int, default=10, metavar="N",
                   help="list at most N nodes per broken rule in the text output (default: 10; 0: all)")
    v.add_argument("--no-inference", action="store_true",
                   help="check the triples as they are, without RDFS inference from the ontology")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 0:
        print(f"kg validate: error: --limit {args.limit} is negative (0 lists all)", file=sys.stderr)
        return _exit.USAGE

    from ..store import open_graph
    from ..validate import validate_graph

    report = validate_graph(open_graph(args.graph), inference="none" if args.no_inference else "rdfs")
    sys.stdout.write(report.turtle() if args.format == "turtle" else report.text(limit=args.limit))
    return _exit.OK if report.conforms else _exit.ERROR
