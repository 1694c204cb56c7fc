"""The ``kg`` command: a thin layer over the library API.

Each subcommand lives in :mod:`kg.commands` (one module each): it parses its
arguments, makes one library call and returns an exit status. Here a
:class:`~kg.errors.KGError` becomes a one-line message instead of a traceback;
with ``--verbose`` (``kg --verbose COMMAND``, or ``kg build -v`` and
``kg viz -v``) the errors it was raised from follow, one line each.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import traceback
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
    # Its own dest: a subcommand's --verbose default would overwrite a shared one.
    parser.add_argument("--verbose", "-v", dest="verbose_errors", action="store_true",
                        help="on an error, also show the errors it was raised from")
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
    verbose = args.verbose_errors or getattr(args, "verbose", False)
    try:
        return args.func(args)
    except UsageError as err:
        _report(f"kg {args.command}: error: {err}", err, verbose)
        return EXIT_USAGE
    except EntityNotFound as err:
        _report(_not_found(args.command, err), err, verbose)
        return EXIT_NOT_FOUND
    except OutputBusy as err:
        _report(f"kg: error: {err}", err, verbose)
        return EXIT_BUSY
    except KGError as err:
        _report(f"kg: error: {err}", err, verbose)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130


def _report(message: str, err: KGError, verbose: bool) -> None:
    print(message, file=sys.stderr)
    if verbose:
        for note in getattr(err, "__notes__", ()):
            print(f"kg: note: {note}", file=sys.stderr)
        for line in _causes(err):
            print(line, file=sys.stderr)


def _causes(err: BaseException) -> list[str]:
    """One line for each error *err* was raised from (``raise ... from``,
    or an error being handled when it was raised), outermost first: its
    type, its message and where it was raised.

    >>> try:
    ...     try:
    ...         int("x")
    ...     except ValueError as e:
    ...         raise KGError("not a number") from e
    ... except KGError as e:
    ...     lines = _causes(e)
    >>> len(lines), lines[0].split(" (")[0]
    (1, "kg: caused by: ValueError: invalid literal for int() with base 10: 'x'")
    """
    lines: list[str] = []
    seen = {id(err)}
    link = _cause(err)
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        kind = type(link)
        name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        frames = traceback.extract_tb(link.__traceback__)
        where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
        lines.append(f"kg: caused by: {name}: {link}{where}")
        link = _cause(link)
    return lines


def _cause(err: BaseException) -> BaseException | None:
    if err.__cause__ is not None:
        return err.__cause__
    return None if err.__suppress_context__ else err.__context__


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
