"""``kg export``: the built graph in another RDF format."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="write the graph as Turtle, N-Triples, N-Quads, TriG or JSON-LD",
        description="Write the graph of a build folder (or an RDF file) in another format. In N-Quads and TriG "
                    "each document's statements (its sentences, mentions, quotations and the relations read from "
                    "it) are in a named graph named by the document's IRI; entities, relations and events are in "
                    "the default graph. N-Triples and N-Quads are sorted and streamed.",
    )
    p.add_argument("--graph", "-g", default="out", help="build folder or RDF file (default: out/)")
    p.add_argument("--format", "-f", default="ttl", choices=["ttl", "nt", "nq", "trig", "jsonld", "xml"],
                   help="output format (default: ttl)")
    p.add_argument("--out", "-o", default=None, metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..export import read_graph, serialize, write_graph

    graph = read_graph(args.graph)
    if args.out:
        path = write_graph(graph, args.out, args.format)
        print(f"wrote {len(graph)} triples to {path}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(serialize(graph, args.format))
        sys.stdout.flush()
    return 0
