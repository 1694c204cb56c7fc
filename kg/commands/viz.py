"""``kg viz``: render the HTML network view of a built graph, or of a part of it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import KGError
from . import _exit

EPILOG = """\
views (when several are given, the page shows the nodes they all select):
  --entity NAME [--hops N]   the entity (a label or alternative label, in any case, with or without
                             accents, or its IRI) and its neighbours
  --document DOC             the entities and events of one document (id, IRI or source file)
  --from DATE --to DATE      the events in that window (YYYY, YYYY-MM or YYYY-MM-DD) and who took part
  --construct QUERY.rq       the entities named in the result of a SPARQL CONSTRUCT query

examples:
  kg viz                                  # out/graph.ttl -> out/view.html
  kg viz --entity "Xi Jinping" --hops 2 --out xi.html
  kg viz --from 2023-03 --to 2023-03      # what happened in March 2023
  kg viz --construct my-query.rq --graph out/ --out query.html

exit status:
  0  the page was written
  1  an error (no graph, no such document, a bad query, an empty selection)
  2  the command line was wrong
  4  no entity has the --entity NAME (the closest names are listed on stderr)
"""


def register(sub) -> None:
    v = sub.add_parser(
        "viz", help="write the interactive network view of a graph (or of a part of it)",
        description="Write one self-contained HTML page (no network access) to explore the graph: "
                    "search, filters, node and link cards with their evidence, a timeline of events.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("--graph", "-g", default="out", metavar="OUT",
                   help="a build folder (its graph.ttl) or an RDF file (default: out/)")
    v.add_argument("--out", "-o", default=None, metavar="FILE",
                   help="the page to write (default: view.html beside the graph)")
    v.add_argument("--entity", "-e", default=None, metavar="NAME", help="show this entity and its neighbours")
    v.add_argument("--hops", type=int, default=1, metavar="N", help="neighbours up to N links away (default: 1)")
    v.add_argument("--document", "-d", default=None, metavar="DOC_ID", help="show one document's entities and events")
    v.add_argument("--from", dest="date_from", default=None, metavar="DATE", help="events from DATE on")
    v.add_argument("--to", dest="date_to", default=None, metavar="DATE", help="events up to DATE")
    v.add_argument("--construct", default=None, metavar="QUERY.rq", help="show the result of a SPARQL CONSTRUCT query")
    v.add_argument("--top", type=int, default=300, metavar="N",
                   help="nodes shown at first, the most important (default: 300); the others on demand")
    v.add_argument("--verbose", "-v", action="store_true", help="more detail on errors")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..store import open_graph
    from ..viz import write_html

    if args.hops < 0:
        raise KGError(f"--hops {args.hops} is negative", hint="give 0 (the entity alone), 1, 2, ...")
    if args.top < 1:
        raise KGError(f"--top {args.top} is not positive", hint="give the number of nodes to show first, e.g. 300")
    if args.hops != 1 and args.entity is None:
        raise KGError("--hops needs --entity", hint='e.g. --entity "Xi Jinping" --hops 2')
    query = None
    if args.construct is not None:
        try:
            query = Path(args.construct).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KGError(f"cannot read the query {args.construct}: {err}", hint="give a UTF-8 .rq file") from err
    source = Path(args.graph)
    graph = open_graph(source)
    out = Path(args.out) if args.out else (source if source.is_dir() else source.parent) / "view.html"
    path = write_html(graph, out, top=args.top, entity=args.entity, hops=args.hops, document=args.document,
                      date_from=args.date_from, date_to=args.date_to, construct=query)
    print(f"html: {path}", file=sys.stdout)
    return _exit.OK
