"""The named queries: the shipped ``kg/queries/NAME.rq`` files and a user's
``.rq`` files, and what a query argument names (:func:`resolve_query`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import QueryError

__all__ = ["QUERIES_DIR", "NamedQuery", "list_queries", "named_query", "resolve_query"]

#: The shipped named queries, one ``NAME.rq`` file each.
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

_QUERY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query (``kg/queries/NAME.rq``) or a ``.rq`` file.

    ``description`` is the file's first comment line; ``params`` maps each
    parameter a shipped query needs (declared by a ``# param NAME: what it
    is`` comment line) to its description. A parameter declared
    ``# param NAME -> ?VAR: ...`` takes an entity's name: :func:`run_query`
    finds the entities so named (:func:`kg.lookup.find_entities`) and binds
    ``?VAR`` to each; ``entity_params`` maps NAME to VAR. A user's own
    ``.rq`` file is plain SPARQL: its comments require nothing, even in a
    copy of a shipped query.
    """

    name: str
    path: Path
    text: str
    description: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    entity_params: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: str | Path, name: str | None = None, *, shipped: bool = False) -> "NamedQuery":
        """Read *path*; its ``# param`` lines declare parameters only when
        it is one of kg's *shipped* queries."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"cannot read query file {path}: {err}", hint="is it a UTF-8 text file?") from err
        description, params, entity_params = "", {}, {}
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                break
            comment = stripped.lstrip("#").strip()
            match = re.match(r"param\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:->\s*\?([A-Za-z_][A-Za-z0-9_]*)\s*)?:\s*(.*)",
                             comment)
            if match:
                if shipped:
                    params[match.group(1)] = match.group(3)
                    if match.group(2):
                        entity_params[match.group(1)] = match.group(2)
            elif not description:
                description = comment
        return cls(name or path.stem, path, text, description, params, entity_params)


def list_queries() -> list[NamedQuery]:
    """The shipped named queries, sorted by name."""
    return [NamedQuery.from_file(p, shipped=True) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    """The shipped query called *name* (``kg/queries/NAME.rq``)."""
    path = QUERIES_DIR / f"{name}.rq"
    if not _QUERY_NAME.match(name) or not path.is_file():
        names = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no shipped query named {name!r}", hint=f"use one of: {names}; or `kg query --list`")
    return NamedQuery.from_file(path, shipped=True)


def resolve_query(spec: str) -> NamedQuery | str:
    """What *spec* names: a path to a ``.rq`` file, the name of a shipped
    query, or else SPARQL text (returned unchanged).

    >>> resolve_query("visits").name
    'visits'
    >>> resolve_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    if "\n" in spec or len(spec) > 1024:
        return spec
    path = Path(spec)
    try:
        is_file = path.is_file()
    except OSError:  # e.g. a one-line query too long to be a file name
        is_file = False
    if is_file:
        return NamedQuery.from_file(path)
    if spec.endswith(".rq"):
        raise QueryError(f"no query file {spec}", hint="check the path, or give SPARQL text or a query name")
    if _QUERY_NAME.match(spec):
        return named_query(spec)
    return spec
