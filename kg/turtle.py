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

__all__ = ["write_turtle", "write_turtle_from_store", "turtle_bytes"]

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


def write_turtle(lines: Iterable[bytes], fh, prefixes: dict[str, str]) -> None:
    """Write N-Triples *lines* (grouped by subject, as Oxigraph dumps them)
    as Turtle to the binary *fh*. It works on the lines' text rather than on
    parsed terms (no Python object per term); still, it is a few times slower
    than Oxigraph's native dump (see the benchmark)."""
    names = _Names({**prefixes, "xsd": _XSD})
    for prefix, ns in sorted({**prefixes, "xsd": _XSD}.items()):
        fh.write(f"@prefix {prefix}: <{ns}> .\n".encode("utf-8"))
    iri = names.iri
    current = None
    parts: list[str] = []
    write = fh.write

    def name(term: str) -> str:
        if term.startswith("<"):
            return iri(term[1:-1])
        if term.endswith(">") and "^^<" + _XSD in term:
            head, _, datatype = term.rpartition("^^<")
            local = datatype[len(_XSD):-1]
            if _PLAIN.fullmatch(local):
                return f"{head}^^xsd:{local}"
        return term  # plain or language-tagged literal, or a blank node

    for raw in lines:
        line = raw.decode("utf-8").rstrip("\n")
        if not line or line.startswith("#"):
            continue
        subject, predicate, rest = line.split(" ", 2)
        obj = rest[:-2] if rest.endswith(" .") else rest.rstrip(" .")
        if subject != current:
            if current is not None:
                write(("\n" + name(current) + "\n    " + " ;\n    ".join(parts) + " .\n").encode("utf-8"))
            current, parts = subject, []
        verb = "a" if predicate == "<" + _RDF_TYPE + ">" else iri(predicate[1:-1])
        parts.append(verb + " " + name(obj))
    if current is not None:
        write(("\n" + name(current) + "\n    " + " ;\n    ".join(parts) + " .\n").encode("utf-8"))


def turtle_bytes(store, prefixes: dict[str, str]) -> bytes:
    """The Turtle of the default graph of a pyoxigraph *store*."""
    import io

    buffer = io.BytesIO()
    write_turtle_from_store(store, buffer, prefixes)
    return buffer.getvalue()


def write_turtle_from_store(store, fh, prefixes: dict[str, str]) -> None:
    """Stream the default graph of a pyoxigraph *store* to *fh* as Turtle
    (through a temporary N-Triples dump, so memory stays flat)."""
    import tempfile

    import pyoxigraph

    with tempfile.TemporaryFile() as tmp:
        store.dump(tmp, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        tmp.seek(0)
        write_turtle(tmp, fh, prefixes)
