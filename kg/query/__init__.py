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

The modules: :mod:`~kg.query.named` (the shipped queries and ``.rq`` files),
:mod:`~kg.query.parse` (parsing, checks, parameters), :mod:`~kg.query.runner`
(evaluation) and :mod:`~kg.query.formats` (results as text or a DataFrame).

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

from ..errors import QueryRefused
from ..store import open_graph as load_graph  # README's name (``from kg.query import load_graph``)
from .formats import RESULT_FORMATS, format_result, to_dataframe
from .named import QUERIES_DIR, NamedQuery, list_queries, named_query, resolve_query
from .parse import parse_param, parse_query, query_variables
from .runner import run_query, truncate

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
