"""SPARQL over a built graph: named queries, safe parameters, result formats.

The same functions serve ``kg query``, ``kg serve`` and a notebook:

* :func:`load_graph` reads a build folder or an RDF file (it is
  :func:`kg.store.open_graph`: quads become a dataset whose default graph is
  the union of its graphs);
* :func:`resolve_query` turns a query name (``timeline``), a ``.rq`` path or
  SPARQL text into a :class:`NamedQuery` or text;
* :func:`run_query` parses, checks and evaluates it, with parameters passed as
  rdflib ``initBindings`` (values are never pasted into the query text);
* :func:`format_result` renders the result as an aligned table, CSV, TSV,
  SPARQL JSON or XML, or Turtle / N-Triples for CONSTRUCT and DESCRIBE;
* :func:`to_dataframe` gives a pandas DataFrame (pandas is optional).

kg is offline: a query that would fetch data from the web (``SERVICE``,
``FROM <iri>`` of a graph that is not in the data) or change the graph (SPARQL
Update) is refused with :class:`QueryRefused` before anything runs.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "Xi" .', format="nt")
>>> result = run_query(g, "SELECT ?x ?name WHERE { ?x rdfs:label ?name }", {"name": "Xi"})
>>> print(format_result(result), end="")
x        name
-------  ----
<urn:x>  Xi
(1 row)
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .errors import QueryError, QueryRefused
from .store import open_graph, oxigraph_store
from .store import open_graph as load_graph  # README's name (``from kg.query import load_graph``)

if TYPE_CHECKING:  # rdflib is imported by the functions that need it
    from rdflib import Graph
    from rdflib.query import Result
    from rdflib.plugins.sparql.sparql import Query

__all__ = [
    "QUERIES_DIR",
    "RESULT_FORMATS",
    "NamedQuery",
    "QueryRefused",
    "list_queries",
    "named_query",
    "resolve_query",
    "load_graph",
    "parse_query",
    "query_variables",
    "parse_param",
    "run_query",
    "truncate",
    "format_result",
    "to_dataframe",
]

#: The shipped named queries, one ``NAME.rq`` file each.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

#: Output formats of :func:`format_result`. SELECT and ASK results take
#: table, csv, tsv, json, xml; CONSTRUCT and DESCRIBE take table or turtle
#: (Turtle), nt (N-Triples), json (JSON-LD) and xml (RDF/XML).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt")


_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_QUERY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")



# --------------------------------------------------------------------------- named queries


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
            raise QueryError(f"cannot read query file {path}: {err}", hint="is it a UTF-8 text file?") from None
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


# --------------------------------------------------------------------------- graphs


def _as_graph(graph: Any) -> "Graph":
    from rdflib import Graph

    if isinstance(graph, Graph):
        return graph
    if isinstance(graph, (str, Path)):
        return open_graph(graph)
    raise TypeError(f"expected an rdflib Graph or a path, not {type(graph).__name__}")


# --------------------------------------------------------------------------- parsing and checks


def _prefixes() -> dict[str, str]:
    from .ns import PREFIXES

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


def _on_oxigraph(graph) -> bool:
    return oxigraph_store(graph) is not None


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
                           err.pstr, err.lineno, err.col) from None
        try:
            query = translateQuery(parsed, initNs=_prefixes())
        except RecursionError:
            raise
        except Exception as err:  # rdflib raises bare Exceptions (e.g. an unknown prefix)
            raise _translation_error(text, err) from None
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


# --------------------------------------------------------------------------- parameters


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


# --------------------------------------------------------------------------- running


def run_query(graph: Any, query: Any, params: Mapping[str, Any] | None = None) -> "Result":
    """Evaluate *query* on *graph* and return the rdflib result.

    *graph* is an rdflib ``Graph`` or a path for :func:`load_graph`; *query*
    is SPARQL text, a query name, a ``.rq`` path, a :class:`NamedQuery` or a
    parsed query. *params* binds variables before evaluation (rdflib
    ``initBindings``): ``str`` values are plain literals, rdflib terms are used
    as they are, and ``"<iri>"`` strings are IRIs. A parameter the query does
    not mention, or a declared parameter left out, is a :class:`QueryError`.

    A shipped query's name parameter (``profile``'s ``name``; see
    :class:`NamedQuery`) is looked up with :func:`kg.lookup.find_entities`:
    a name no entity has raises :class:`~kg.errors.EntityNotFound` with the
    closest names. When the name is several entities', the query runs for
    each, in IRI order, and their rows follow one another.
    """
    from rdflib.plugins.sparql.sparql import Query

    graph = _as_graph(graph)
    named = None
    if isinstance(query, str):
        query = resolve_query(query)
    if isinstance(query, NamedQuery):
        named, query = query, query.text
    parsed = query if isinstance(query, Query) else parse_query(query)
    _refuse_service(parsed)  # again: a Query object may not come from parse_query
    _refuse_dataset(parsed, graph)
    entity_params = named.entity_params if named is not None else {}
    bindings, entities = {}, {}
    if params:
        variables = query_variables(parsed)
        for name, value in params.items():
            name = name.lstrip("?$")
            if name in entity_params:
                entities[entity_params[name]] = _entities(graph, value)
                continue
            if name not in variables:
                known = " ".join(f"?{v}" for v in sorted(variables)) or "none"
                raise QueryError(f"the query has no variable ?{name} to bind", hint=f"its variables: {known}")
            bindings[name] = _term(value)
    if named is not None:
        given = set(bindings) | set(entities)  # a name parameter is also given by binding its variable
        missing = [p for p in named.params if p not in given and entity_params.get(p) not in given]
        if missing:
            example = " ".join(f'--param {p}="..."' for p in missing)
            described = "; ".join(f"{p}: {named.params[p]}" for p in missing)
            raise QueryError(f"query {named.name!r} needs {example}", hint=described)
    text = query if isinstance(query, str) else None
    if not entities:
        return _evaluate(graph, parsed, text, bindings)
    names = sorted(entities)
    results = [_evaluate(graph, parsed, text, {**bindings, **dict(zip(names, iris))})
               for iris in itertools.product(*(entities[n] for n in names))]
    return results[0] if len(results) == 1 else _concatenate(results)


def _entities(graph: "Graph", value: Any) -> list:
    """The entities a name parameter names: an IRI given as one, or those
    :func:`kg.lookup.find_entities` finds."""
    from rdflib import URIRef

    from .lookup import find_entities

    term = _term(value)
    return find_entities(graph, f"<{term}>" if isinstance(term, URIRef) else str(term))


def _evaluate(graph: "Graph", parsed: "Query", text: str | None, bindings: dict) -> "Result":
    with _running():
        if text is not None and _on_oxigraph(graph):
            # Oxigraph evaluates the text itself (rdflib's engine, given the
            # parsed query, would walk the store triple by triple: 10-100x slower).
            try:
                return graph.query(text, initNs=_prefixes(), initBindings=bindings)
            except SyntaxError:  # a dialect difference: rdflib's engine accepts it
                pass
            except RuntimeError:  # Oxigraph binds only projected variables; rdflib's engine binds any
                if not bindings:
                    raise
        return _as_dataset(graph, parsed).query(parsed, initBindings=bindings)


def _failed(err: Exception) -> QueryError:
    """The :class:`QueryError` of an error raised while a query runs (in
    :func:`_evaluate`, or later: rdflib evaluates SELECT rows as they are read)."""
    if isinstance(err, RecursionError):
        return _too_deep()
    return QueryError(f"the query failed while running: {type(err).__name__}: {err}")


@contextlib.contextmanager
def _running():
    """Turn an error raised while a query runs into a :class:`QueryError`.
    rdflib evaluates SELECT rows as they are read, so the rows are read
    under this too, not only the call that starts the query."""
    try:
        yield
    except QueryError:
        raise
    except Exception as err:  # evaluation errors from rdflib have no common base class
        raise _failed(err) from err


def _as_dataset(graph: "Graph", parsed: "Query") -> "Graph":
    """*graph*, or, when it is one plain graph and the query has a ``GRAPH``
    pattern, a dataset whose default graph it is and which has no named
    graphs: SPARQL's view of one graph, in which ``GRAPH`` matches nothing
    (what Oxigraph answers). rdflib refuses ``GRAPH`` on a plain graph."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if getattr(graph, "context_aware", False):
        return graph
    if not any(isinstance(node, CompValue) and node.name == "Graph" for node in _walk(parsed)):
        return graph
    return _one_graph_dataset()(graph)


@functools.cache
def _one_graph_dataset() -> type:
    from rdflib import Dataset

    class OneGraph(Dataset):
        """A read-only view of a plain graph as a dataset: its default graph
        is the graph, it has no named graphs, and nothing is added to the
        graph's store (``Dataset.graphs`` would add an empty default graph)."""

        def __init__(self, graph: "Graph") -> None:
            super().__init__(store=graph.store, default_union=False)
            self.default_graph = graph
            self.namespace_manager = graph.namespace_manager

        def graphs(self, triple=None):
            return iter(())

        contexts = graphs

    return OneGraph


def _concatenate(results: list["Result"]) -> "Result":
    """One result of several of the same query: the rows of each in turn
    (SELECT), whether any is true (ASK), the union of the graphs."""
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    kind = results[0].type
    if kind == "SELECT":
        with _running():
            rows = [{Variable(k): v for k, v in row.asdict().items()} for r in results for row in r]
        return SPARQLResult({"type_": "SELECT", "vars_": results[0].vars, "bindings": rows})
    if kind == "ASK":
        return SPARQLResult({"type_": "ASK", "askAnswer": any(r.askAnswer for r in results)})
    graph = Graph()
    for r in results:
        for triple in r.graph:
            graph.add(triple)
    return SPARQLResult({"type_": kind, "graph": graph})


def truncate(result: "Result", limit: int) -> tuple["Result", bool]:
    """At most *limit* rows (SELECT) or triples (CONSTRUCT/DESCRIBE) of
    *result*, and whether some were dropped. SELECT rows are read lazily,
    so a huge result is never held in memory."""
    from rdflib import Graph
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.term import Variable

    if result.type == "SELECT":
        with _running():
            rows = [{Variable(k): v for k, v in row.asdict().items()}
                    for row in itertools.islice(result, limit + 1)]
        cut = SPARQLResult({"type_": "SELECT", "vars_": result.vars, "bindings": rows[:limit]})
        return cut, len(rows) > limit
    if result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph) > limit:
        graph = Graph()
        for triple in itertools.islice(sorted(result.graph), limit):
            graph.add(triple)
        cut = SPARQLResult({"type_": result.type, "graph": graph})
        return cut, True
    return result, False


# --------------------------------------------------------------------------- formats


def format_result(result: "Result", fmt: str = "table", *, width: int | None = None) -> str:
    """*result* as text in *fmt* (see :data:`RESULT_FORMATS`).

    ``table`` aligns the columns, shows IRIs with kg's prefixes and literals
    by their value, and cuts cells longer than *width* characters (no cut if
    ``None`` or 0). ``csv`` and ``tsv`` follow the SPARQL 1.1 CSV/TSV results
    format, ``json`` and ``xml`` the SPARQL 1.1 results formats. ASK gives
    ``true`` or ``false`` in table, csv and tsv. CONSTRUCT and DESCRIBE give
    Turtle for table and turtle, N-Triples for nt, JSON-LD for json and
    RDF/XML for xml.
    """
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}", hint=f"use one of {', '.join(RESULT_FORMATS)}")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result.graph, fmt)
    if fmt in ("turtle", "nt"):
        raise QueryError(f"a {result.type} result has no {fmt} form",
                         hint="turtle and nt are for CONSTRUCT and DESCRIBE; use table, csv, tsv, json or xml")
    if fmt in ("json", "xml"):
        return _bound_only(result).serialize(format=fmt).decode("utf-8")
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    variables = [str(v) for v in result.vars or ()]
    with _running():
        rows = [[row.get(v) for v in result.vars] for row in result.bindings]
    if fmt == "csv":
        return _csv(variables, rows)
    if fmt == "tsv":
        return _tsv(variables, rows)
    return _table(variables, rows, width)


def _bound_only(result: "Result") -> "Result":
    """*result* without unbound cells: rdflib's XML serializer fails on the
    ``None`` that GROUP BY leaves for an unmatched OPTIONAL."""
    from rdflib.plugins.sparql.processor import SPARQLResult

    if result.type != "SELECT":
        return result
    with _running():
        bindings = [{k: v for k, v in b.items() if v is not None} for b in result.bindings]
    return SPARQLResult({"type_": "SELECT", "vars_": result.vars, "bindings": bindings})


def _format_graph(graph: "Graph", fmt: str) -> str:
    from rdflib import Graph

    from .ns import bind_prefixes

    if fmt in ("csv", "tsv"):
        raise QueryError(f"a CONSTRUCT or DESCRIBE result is a graph and has no {fmt} form",
                         hint="use table or turtle (Turtle), nt (N-Triples), json (JSON-LD) or xml (RDF/XML)")
    out = bind_prefixes(Graph())
    for triple in graph:
        out.add(triple)
    if fmt == "nt":
        lines = sorted(set(out.serialize(format="nt").splitlines()) - {""})
        return "".join(line + "\n" for line in lines)
    return out.serialize(format={"json": "json-ld", "xml": "pretty-xml"}.get(fmt, "turtle"))


def _csv(variables: list[str], rows: list[list]) -> str:
    from rdflib import BNode

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buf.getvalue()


def _tsv_term(term) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical = (str(term).replace("\\", "\\\\").replace('"', '\\"')
                   .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    return str(term)


def _tsv(variables: list[str], rows: list[list]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _short(term) -> str:
    """How a term reads in a table: a prefixed name, ``<iri>``, or the literal's value."""
    from rdflib import BNode, Literal

    if term is None:
        return ""
    if isinstance(term, Literal):
        return " ".join(str(term).split())
    if isinstance(term, BNode):
        return f"_:{term}"
    iri = str(term)
    best = ""
    for prefix, ns in _prefixes().items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best:
        local = iri[len(best):]
        if local and not re.search(r"[\s<>\"{}|\\^`]", local):
            return f"{name}:{local}"
    return f"<{iri}>"


def _display_width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _cut(text: str, width: int | None) -> str:
    if not width or _display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = _display_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def _table(variables: list[str], rows: list[list], width: int | None) -> str:
    cells = [[_cut(_short(t), width) for t in row] for row in rows]
    widths = [max([_display_width(v)] + [_display_width(r[i]) for r in cells]) for i, v in enumerate(variables)]

    def line(values: list[str]) -> str:
        padded = [v + " " * (w - _display_width(v)) for v, w in zip(values, widths)]
        return "  ".join(padded).rstrip()

    out = [line(variables), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]
    count = len(rows)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def to_dataframe(result: "Result"):
    """A SELECT result as a pandas DataFrame (one column per variable, cells
    are rdflib terms converted with ``toPython()``, unbound cells ``None``).

    pandas is optional: it is imported here, and its absence is a QueryError.
    """
    try:
        import pandas as pd
    except ImportError:
        raise QueryError("to_dataframe needs pandas", hint="pip install pandas") from None
    if result.type != "SELECT":
        raise QueryError(f"only SELECT results become a DataFrame, not {result.type}")
    columns = [str(v) for v in result.vars or ()]
    with _running():
        data = [[None if row.get(v) is None else row.get(v).toPython() for v in result.vars]
                for row in result.bindings]
    return pd.DataFrame(data, columns=columns)
