"""Graph -> one self-contained, explorable HTML page (pyvis + vis-network).

The page inlines vis-network (pyvis's bundled copy, found in pyvis's package
folder) and kg's own template: no CDN, no network request, and a
Content-Security-Policy that lets only the page's own two scripts run (by
their SHA-256). Every string from a document reaches the page as JSON data
(``<``, ``>`` and ``&`` escaped) and is shown with ``textContent``: it is
never parsed as HTML.

What the page shows:

* nodes are the entities and the extracted events, coloured and shaped by
  type (or coloured by Louvain community), sized by PageRank;
* edges are the stated relations (``kgo:proposed``, ``kgo:visited``, ...,
  labelled), event participation (agent, target, place, participant) and,
  lighter, co-occurrence in a sentence, which starts hidden (a toggle shows
  it); each edge keeps its evidence sentences;
* the most important *top* nodes are shown first; the data of every node is
  in the page, so a node's neighbourhood can be expanded and any name found.

Positions are computed here (:func:`kg.viz.layout.layout`: the first view laid
out on the links it shows, its loose parts around its largest) and physics
is off, so nothing moves unless the user asks ("Tidy layout" runs the
physics briefly, then stops it). The same graph gives byte-identical HTML.

The package, one room each:

* :mod:`kg.viz.model`: the view model, read from the graph once
  (:mod:`kg.viz.reader` reads an Oxigraph store directly);
* :mod:`kg.viz.select`: the selectors (entity, document, dates, CONSTRUCT
  query) and the importance (PageRank) that orders the nodes;
* :mod:`kg.viz.layout`: where the nodes start;
* :mod:`kg.viz.page`: the page's data and the HTML page.
"""

from __future__ import annotations

from ..dates import parse_date_bounds
from .page import DEFAULT_TOP, TYPE_STYLE, network_data, prepare, render_html, write_html  # noqa: F401 (prepare: kg.run.pageproc)
from .select import pagerank

__all__ = [
    "TYPE_STYLE",
    "DEFAULT_TOP",
    "network_data",
    "pagerank",
    "parse_date_bounds",
    "render_html",
    "write_html",
]
