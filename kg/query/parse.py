"""Parsing and checking SPARQL: kg's prefixes known without ``PREFIX``
lines, syntax errors located by line and column, SPARQL Update, ``SERVICE``
and ``FROM`` of graphs not in the data refused (:class:`QueryRefused`), and
query parameters (``NAME=VALUE``) as rdflib terms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import QueryError, QueryRefused

if TYPE_CHECKING:  # rdflib is imported by the functions that need it
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["parse_query", "query_variables", "parse_param"]

_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def _prefixes() -> dict[str, str]:
    from ..ns import PREFIXES

    return dict(PREFIXES)


def _skip_prologue(text: str) -> int:
    """Offset of the first keyword after comments, PREFIX and BASE lines."""
    prologue = re.compile(
        r"\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.IGNORECASE
    )
    pos = 0
    while True:
        match = prologue.match(text, pos)
        if not match or match.end() == pos:
            return pos
        pos = match.end()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _located(message: str, text: str, line: int, col: int) -> QueryError:
    """A QueryError whose message shows the query line with a caret under
    the column; ``line`` and ``column`` are also attributes (1-based)."""
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    gutter = f"{line} | "
    err = QueryError(f"{message}\n  {gutter}{source}\n  {' ' * (len(gutter) - 2)}| {' ' * (col - 1)}^")
    err.line, err.column = line, col
    return err


def parse_query(text: str) -> "Query":
    """Parse and translate SPARQL *text* (SELECT, ASK, CONSTRUCT, DESCRIBE).

    kg's prefixes (``kgo:``, ``schema:``, ``rdfs:``, ``nif:`` ...) are known
    without ``PREFIX`` lines. A syntax error raises :class:`QueryError` naming
    the line and column; SPARQL Update and ``SERVICE`` raise
    :class:`QueryRefused`.

    >>> parse_query("SELECT ?x WHERE { ?x a kgo:Person }").algebra.name
    'SelectQuery'
    >>> parse_query("SELECT ?x WHERE {\\n  ?x a }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SPARQL syntax error at line 2, column 3: ...
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    start = _skip_prologue(text)
    keyword = re.match(r"[A-Za-z]+", text[start:])
    if keyword and keyword.group(0).upper() in _UPDATE_KEYWORDS:
        raise QueryRefused(
            "update", f"SPARQL Update ({keyword.group(0).upper()}) is not allowed: kg only reads the graph",
            hint="to change the graph, change the articles and run `kg build` again")
    try:
        try:
            parsed = parseQuery(text)
        except ParseBaseException as err:
            message = re.sub(r"\s*\(at char \d+\).*$", "", str(err), flags=re.S)
            raise _located(f"SPARQL syntax error at line {err.lineno}, column {err.col}: {message}",
                           err.pstr, err.lineno, err.col) from err
        try:
            query = translateQuery(parsed, initNs=_prefixes())
        except RecursionError:
            raise
        except Exception as err:  # rdflib raises bare Exceptions (e.g. an unknown prefix)
            raise _translation_error(text, err) from err
        _refuse_service(query)
    except RecursionError:
        # pyparsing and rdflib's algebra are recursive: each nested { } or ( )
        # costs stack, and Python's stack ends (a few dozen levels deep).
        raise _too_deep() from None
    return query


def _too_deep() -> QueryError:
    return QueryError("the query is nested too deeply for kg's SPARQL engine (RecursionError)",
                      hint="flatten its nested { } groups and ( ) expressions")


def _translation_error(text: str, err: Exception) -> QueryError:
    message = str(err)
    match = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", message)
    if match:
        prefix = match.group(1)
        where = re.search(rf"(?<![\w:<#/.\-]){re.escape(prefix)}:", text)
        known = ", ".join(sorted(_prefixes()))
        hint = f"add PREFIX {prefix}: <...>; known without PREFIX: {known}"
        if where:
            line, col = _line_col(text, where.start())
            return _located(f"unknown prefix {prefix!r} at line {line}, column {col} ({hint})", text, line, col)
        return QueryError(f"unknown prefix {prefix!r}", hint=hint)
    return QueryError(f"invalid SPARQL query: {message}")


def _walk(query: "Query"):
    """Every node and term of the query's algebra."""
    from rdflib.plugins.sparql.algebra import traverse

    seen: list = []
    traverse(query.algebra, visitPre=seen.append)
    return seen


def _refuse_service(query: "Query") -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk(query):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefused(
                "service", "SERVICE (federated query) is not allowed: kg does not send queries to other endpoints",
                hint="load the other data into the graph instead")


def _refuse_dataset(query: "Query", graph: "Graph") -> None:
    """``FROM``/``FROM NAMED`` make rdflib fetch missing graphs from the web;
    allow them only for graphs the data already has."""
    from rdflib import Dataset

    # CompValue.get returns the key itself for a missing key: ask with ``in``.
    algebra = query.algebra
    for clause in (algebra["datasetClause"] if "datasetClause" in algebra else None) or ():
        # A clause holds "default" (FROM) or "named" (FROM NAMED).
        keyword, key = ("FROM NAMED", "named") if "named" in clause else ("FROM", "default")
        iri = clause[key]
        present = isinstance(graph, Dataset) and len(graph.get_context(iri)) > 0
        if not present:
            raise QueryRefused(
                "from", f"{keyword} <{iri}> names no graph in the data, and kg does not fetch graphs from the web",
                hint=f"drop the {keyword} clause (the default graph is the whole build)")


def query_variables(query: "Query") -> set[str]:
    """The names of every variable the query mentions."""
    from rdflib.term import Variable

    return {str(node) for node in _walk(query) if isinstance(node, Variable)}



def parse_param(item: str) -> tuple[str, Any]:
    """``NAME=VALUE`` -> (name, rdflib term): a plain string literal, or an
    IRI when the value is written ``<iri>``.

    >>> parse_param('name=Xi Jinping')
    ('name', rdflib.term.Literal('Xi Jinping'))
    >>> parse_param('entity=<https://w3id.org/kg/id/person/xi-jinping>')[1]
    rdflib.term.URIRef('https://w3id.org/kg/id/person/xi-jinping')
    """
    name, sep, value = item.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _PARAM_NAME.match(name):
        raise QueryError(f"--param {item!r} is not NAME=VALUE", hint='e.g. --param name="Xi Jinping"')
    return name, _term(value)


def _term(value: Any):
    from rdflib import Literal, URIRef
    from rdflib.term import Identifier

    if isinstance(value, Identifier):
        return value
    if isinstance(value, str) and len(value) > 1 and value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or re.search(r'[\s<>"{}|\\^`]', iri):
            raise QueryError(f"{value!r} is not an IRI", hint="write <https://...> without spaces")
        return URIRef(iri)
    if isinstance(value, (str, int, float, bool)):
        return Literal(value)
    raise QueryError(f"cannot use {value!r} as a query parameter", hint="give a string or an rdflib term")
