"""Query results as text: an aligned table, CSV, TSV, SPARQL JSON or XML,
Turtle / N-Triples / JSON-LD / RDF/XML for CONSTRUCT and DESCRIBE
(:func:`format_result`), or a pandas DataFrame (:func:`to_dataframe`)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import TYPE_CHECKING

from ..errors import QueryError
from .parse import _prefixes
from .runner import _running

if TYPE_CHECKING:  # rdflib is imported by the functions that need it
    from rdflib import Graph
    from rdflib.query import Result

__all__ = ["RESULT_FORMATS", "format_result", "to_dataframe"]

#: Output formats of :func:`format_result`. SELECT and ASK results take
#: table, csv, tsv, json, xml; CONSTRUCT and DESCRIBE take table or turtle
#: (Turtle), nt (N-Triples), json (JSON-LD) and xml (RDF/XML).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt")


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

    from ..ns import bind_prefixes

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
