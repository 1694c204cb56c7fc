"""The ``kg`` command: a thin layer over the library API.

Each subcommand lives in :mod:`kg.commands` (one module each): it parses its
arguments, makes one library call and returns an exit status. Here a
:class:`~kg.errors.KGError` becomes a one-line message instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS, _exit
from .errors import EntityNotFound, KGError, OutputBusy, UsageError

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_SKIPPED", "EXIT_USAGE", "EXIT_NOT_FOUND", "EXIT_BUSY"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = _exit.OK, _exit.ERROR, _exit.USAGE, _exit.SKIPPED
EXIT_NOT_FOUND = _exit.NOT_FOUND
EXIT_BUSY = _exit.BUSY


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build an RDF knowledge graph (Turtle + HTML view) from news and diplomatic articles, "
                    "and query, validate, export and explore it.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module_name = f"kg.commands.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except UsageError as err:
        print(f"kg {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except EntityNotFound as err:
        print(_not_found(args.command, err), file=sys.stderr)
        return EXIT_NOT_FOUND
    except OutputBusy as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return EXIT_BUSY
    except KGError as err:
        print(f"kg: error: {err}", file=sys.stderr)
        if getattr(args, "verbose", False) and err.__cause__ is not None:
            print(f"kg: caused by: {err.__cause__!r}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130


def _not_found(command: str, err: EntityNotFound) -> str:
    """The message for a name no entity has, with the closest names, one a
    line (an alternative name followed by its entity's label)."""
    lines = [f"kg {command}: error: {err.message} "
             "(looked up in every rdfs:label and skos:altLabel, ignoring case and accents)"]
    if err.suggestions:
        lines.append("closest names:")
        for text, label in err.suggestions:
            lines.append(f"  {text}  (another name of {label})" if label != text else f"  {text}")
    else:
        lines.append("no name in the graph is close to it; `kg query entities` lists every entity")
    return "\n".join(lines)
