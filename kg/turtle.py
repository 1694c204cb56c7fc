"""A plain, portable Turtle writer over an Oxigraph store.

Why not rdflib's or Oxigraph's own: rdflib writes an integral ``xsd:decimal``
as a bare integer (it reads back as ``xsd:integer``) and cannot stream a store
larger than memory; Oxigraph escapes characters in prefixed names
(``doc:…\\#char\\=0``), which is valid Turtle 1.1 but which Virtuoso 7 reads
wrongly. This writer uses a prefixed name only when the local part is plain
(letters, digits, ``_`` and ``-``) and the full ``<IRI>`` otherwise, writes
literals in their N-Triples form (valid Turtle), and streams: triples come from
the store grouped by subject, in the store's content-derived order, so the
same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["write_turtle", "turtle_bytes"]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"


class _Names:
    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first, so "…/id/doc/" wins over "…/id/"
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        name = self._cache.get(iri)
        if name is not None:
            return name
        name = f"<{iri}>"
        for prefix, ns in self.prefixes:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _PLAIN.fullmatch(local):
                    name = f"{prefix}:{local}"
                break
        if len(self._cache) < 200_000:  # predicates, types and hub entities repeat
            self._cache[iri] = name
        return name

    def term(self, term) -> str:
        kind = type(term).__name__
        if kind == "NamedNode":
            return self.iri(term.value)
        if kind == "Literal":
            text = str(term)  # N-Triples form: "…", "…"@en, "…"^^<dt>
            datatype = term.datatype.value if term.datatype is not None else None
            if datatype and text.endswith(f"^^<{datatype}>") and datatype.startswith(_XSD) \
                    and _PLAIN.fullmatch(datatype[len(_XSD):]):
                text = text[: -len(datatype) - 2] + "xsd:" + datatype[len(_XSD):]
            return text
        return str(term)  # blank nodes: _:b…


def write_turtle(quads: Iterable, fh, prefixes: dict[str, str]) -> None:
    """Write the triples of *quads* (grouped by subject) to the binary *fh*."""
    names = _Names({**prefixes, "xsd": _XSD})
    for prefix, ns in sorted({**prefixes, "xsd": _XSD}.items()):
        fh.write(f"@prefix {prefix}: <{ns}> .\n".encode("utf-8"))
    current = None
    lines: list[str] = []

    def flush():
        if current is not None:
            fh.write(("\n" + names.term(current) + "\n    " + " ;\n    ".join(lines) + " .\n").encode("utf-8"))

    term = names.term
    iri = names.iri
    for quad in quads:
        subject = quad.subject
        if subject != current:
            flush()
            current, lines = subject, []
        predicate = quad.predicate.value
        lines.append(("a " if predicate == _RDF_TYPE else iri(predicate) + " ") + term(quad.object))
    flush()


def turtle_bytes(store, prefixes: dict[str, str]) -> bytes:
    """The Turtle of the default graph of a pyoxigraph *store*."""
    import io

    import pyoxigraph

    buffer = io.BytesIO()
    write_turtle(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()), buffer, prefixes)
    return buffer.getvalue()
