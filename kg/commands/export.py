"""``kg export``: the built graph in another RDF format, as an event table or as a network."""

from __future__ import annotations

import argparse
import sys

RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "xml")
NETWORK_FORMATS = ("graphml", "gexf", "nodes-csv", "edges-csv")
FORMATS = RDF_FORMATS + ("events-csv",) + NETWORK_FORMATS


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="write the graph as RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD), an event table "
                       "or a network (GraphML, GEXF, CSV)",
        description="Write the graph of a build folder (or an RDF file) in another format. In N-Quads and TriG "
                    "each document's statements (its sentences, mentions, quotations and the relations read from "
                    "it) are in a named graph named by the document's IRI; entities, relations and events are in "
                    "the default graph. N-Triples and N-Quads are sorted and streamed. events-csv is one row per "
                    "event and actor pair (date, type, CAMEO code, Goldstein value, actors and their states' ISO "
                    "codes, place, document, evidence). graphml, gexf, nodes-csv and edges-csv are the network "
                    "of entities, their stated relations and their roles in events, for Gephi, Cytoscape or "
                    "networkx.",
    )
    p.add_argument("--graph", "-g", default="out", help="build folder or RDF file (default: out/)")
    p.add_argument("--format", "-f", default="ttl", choices=FORMATS, metavar="FORMAT",
                   help=f"output format: {', '.join(FORMATS)} (default: ttl)")
    p.add_argument("--out", "-o", default=None, metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.add_argument("--events", default="nodes", choices=("nodes", "pairs"),
                   help="network formats: events as nodes linked to their actors and place (default), or as "
                        "edges from each agent to each target")
    p.add_argument("--cooccurrence", action="store_true",
                   help="network formats: also link entities named in the same sentence")
    p.set_defaults(func=run)


def _bytes(graph, args: argparse.Namespace) -> bytes:
    if args.format == "events-csv":
        from ..events_table import events_csv

        return events_csv(graph)
    if args.format in NETWORK_FORMATS:
        from ..network import network_bytes

        return network_bytes(graph, args.format, events=args.events, cooccurrence=args.cooccurrence)
    from ..export import serialize

    return serialize(graph, args.format)


def run(args: argparse.Namespace) -> int:
    from ..export import write_graph
    from ..files import atomic_write
    from ..store import open_graph

    graph = open_graph(args.graph)
    if args.format in RDF_FORMATS:
        if args.out:
            path = write_graph(graph, args.out, args.format)
            print(f"wrote {len(graph)} triples to {path}", file=sys.stderr)
            return 0
        sys.stdout.buffer.write(_bytes(graph, args))
        sys.stdout.flush()
        return 0
    data = _bytes(graph, args)
    if args.out:
        path = atomic_write(args.out, data)
        print(f"wrote {args.format} ({len(data)} bytes) to {path}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
