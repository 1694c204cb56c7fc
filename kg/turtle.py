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
        if len(self._cache) < 20_000:  # types and hub entities repeat; the first ones seen suffice
            self._cache[iri] = name
        return name


def write_turtle(lines: Iterable[bytes], fh, prefixes: dict[str, str]) -> None:
    """Write N-Triples *lines* (grouped by subject, as Oxigraph dumps them)
    as Turtle to the binary *fh*. It works on the lines' text rather than on
    parsed terms (no Python object per term)."""
    names = _Names({**prefixes, "xsd": _XSD})
    for prefix, ns in sorted({**prefixes, "xsd": _XSD}.items()):
        fh.write(f"@prefix {prefix}: <{ns}> .\n".encode("utf-8"))
    iri = names.iri
    # predicates and typed-literal datatypes repeat: their Turtle is memoised
    verbs: dict[str, str] = {"<" + _RDF_TYPE + ">": "a"}
    typed: dict[str, str] = {}

    def name(term: str) -> str:
        if term[0] == "<":
            return iri(term[1:-1])
        if term[-1] == ">":
            head, sep, datatype = term.rpartition("^^<")
            if sep:
                short = typed.get(datatype)
                if short is None:
                    local = datatype[len(_XSD):-1]
                    short = typed[datatype] = (f"^^xsd:{local}" if datatype.startswith(_XSD) and _PLAIN.fullmatch(local)
                                               else "^^<" + datatype)
                return head + short
        return term  # plain or language-tagged literal, or a blank node

    current = None
    parts: list[str] = []
    out: list[str] = []
    for raw in lines:
        line = raw.decode("utf-8").rstrip("\n")
        if not line or line[0] == "#":
            continue
        subject, predicate, rest = line.split(" ", 2)
        obj = rest[:-2] if rest.endswith(" .") else rest.rstrip(" .")
        if subject != current:
            if current is not None:
                out.append("\n" + name(current) + "\n    " + " ;\n    ".join(parts) + " .\n")
                if len(out) >= 1000:
                    fh.write("".join(out).encode("utf-8"))
                    out.clear()
            current, parts = subject, []
        verb = verbs.get(predicate)
        if verb is None:
            verb = verbs[predicate] = iri(predicate[1:-1])
        parts.append(verb + " " + name(obj))
    if current is not None:
        out.append("\n" + name(current) + "\n    " + " ;\n    ".join(parts) + " .\n")
    fh.write("".join(out).encode("utf-8"))


def turtle_bytes(store, prefixes: dict[str, str]) -> bytes:
    """The Turtle of the default graph of a pyoxigraph *store*."""
    import io

    buffer = io.BytesIO()
    write_turtle_from_store(store, buffer, prefixes)
    return buffer.getvalue()


def write_turtle_from_store(store, fh, prefixes: dict[str, str]) -> None:
    """Stream the default graph of a pyoxigraph *store* to *fh* as Turtle.

    Oxigraph dumps N-Triples into a pipe from a second thread (its writer
    runs without the GIL) while this one turns the lines into Turtle, so the
    two overlap and memory stays flat whatever the size of the graph."""
    import os
    import threading

    import pyoxigraph

    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def dump() -> None:
        try:
            with os.fdopen(write_end, "wb") as sink:
                store.dump(sink, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        except BaseException as err:  # re-raised below; a closed pipe means the reader failed first
            failure.append(err)

    thread = threading.Thread(target=dump, name="kg-turtle-dump", daemon=True)
    thread.start()
    try:
        with os.fdopen(read_end, "rb", buffering=1 << 20) as source:
            write_turtle(source, fh, prefixes)
    finally:
        thread.join()
    if failure:
        raise failure[0]
