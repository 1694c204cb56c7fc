"""Content negotiation of the SPARQL endpoint: the media types offered for
results and for graphs, the ``Accept`` header and the ``format`` parameter
(:func:`negotiate`, :func:`_choose_format`), and :class:`_HTTPError`, an
answer other than 200."""

from __future__ import annotations

__all__ = ["RESULT_MEDIA_TYPES", "GRAPH_MEDIA_TYPES", "negotiate"]

#: Media types offered for SELECT and ASK results, in order of preference, and their format.
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Media types offered for CONSTRUCT and DESCRIBE results, in order of preference.
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
}
# ``format=`` parameter values -> the format name for results / for graphs.
_FORMAT_PARAM = {
    "json": ("json", "json"), "jsonld": (None, "json"), "json-ld": (None, "json"),
    "xml": ("xml", "xml"), "rdfxml": (None, "xml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "nt": (None, "nt"), "ntriples": (None, "nt"),
}
_CONTENT_TYPE = {
    ("results", "json"): "application/sparql-results+json",
    ("results", "xml"): "application/sparql-results+xml",
    ("results", "csv"): "text/csv; charset=utf-8",
    ("results", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "nt"): "application/n-triples",
    ("graph", "json"): "application/ld+json",
    ("graph", "xml"): "application/rdf+xml",
}


class _HTTPError(Exception):
    """An answer other than 200, raised inside the handler."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The media type of *offered* (in preference order) that the ``Accept``
    header *accept* rates highest, or None if it accepts none of them.

    >>> negotiate("text/csv, */*;q=0.1", RESULT_MEDIA_TYPES)
    'text/csv'
    >>> negotiate(None, RESULT_MEDIA_TYPES)
    'application/sparql-results+json'
    >>> negotiate("text/html", RESULT_MEDIA_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0]
        # the most specific range that matches decides the quality
        q, specificity = None, -1
        for rng, rq in ranges:
            level = 2 if rng == media else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
            if level > specificity:
                q, specificity = rq, level
        if q is not None and q > best_q:
            best, best_q = media, q
    return best


def _choose_format(kind: str, accept: str | None, requested: str | None) -> tuple[str, str]:
    """(format, content type) for a ``"results"`` or ``"graph"`` answer, from
    the ``format`` parameter if given, else the ``Accept`` header."""
    offered = GRAPH_MEDIA_TYPES if kind == "graph" else RESULT_MEDIA_TYPES
    if requested:
        key = requested.strip().lower()
        if key in _FORMAT_PARAM:
            fmt = _FORMAT_PARAM[key][kind == "graph"]
            if fmt is None:
                raise _HTTPError(406, f"format={requested} does not fit a "
                                      f"{'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT/ASK'} query")
            return fmt, _CONTENT_TYPE[(kind, fmt)]
        media = negotiate(requested, offered)
    else:
        media = negotiate(accept, offered)
    if media is None:
        raise _HTTPError(406, f"cannot answer in {requested or accept!r}; offered: {', '.join(offered)}")
    return offered[media], _CONTENT_TYPE[(kind, offered[media])]
