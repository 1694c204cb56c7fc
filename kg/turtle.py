"""A plain, portable Turtle writer (from N-Triples lines or an Oxigraph store).

Why not rdflib's or Oxigraph's own: rdflib writes an integral ``xsd:decimal``
as a bare integer (it reads back as ``xsd:integer``) and cannot stream a store
larger than memory; Oxigraph escapes characters in prefixed names
(``doc:…\\#char\\=0``), which is valid Turtle 1.1 but which Virtuoso 7 reads
wrongly. This writer uses a prefixed name only when the local part is plain
(letters, digits, ``_`` and ``-``) and the full ``<IRI>`` otherwise, writes
literals in their N-Triples form (valid Turtle), and streams: it needs the
triples grouped by subject. ``kg build`` gets them so by sorting its N-Triples
on disk (:func:`sorted_unique_lines`, flat memory, no store scan); ``kg export``
of a store takes them in Oxigraph's dump order. Either way the same graph
always gives the same bytes.
"""

from __future__ import annotations

import heapq
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["write_turtle", "write_turtle_from_store", "write_turtle_from_ntriples", "sorted_unique_lines",
           "turtle_bytes"]

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


def write_turtle(lines: Iterable[bytes], fh, prefixes: dict[str, str]) -> int:
    """Write N-Triples *lines* (grouped by subject, as Oxigraph dumps them)
    as Turtle to the binary *fh*; the number of triples written. It works on
    the lines' text rather than on parsed terms (no Python object per term)."""
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
    count = 0
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
        count += 1
    if current is not None:
        out.append("\n" + name(current) + "\n    " + " ;\n    ".join(parts) + " .\n")
    fh.write("".join(out).encode("utf-8"))
    return count


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


#: N-Triples lines sorted in memory at once by :func:`sorted_unique_lines`
#: (about 20 MB); longer inputs are sorted in runs on disk and merged.
SORT_RUN_LINES = 100_000
#: Runs merged at once (open files); more are merged in rounds.
MERGE_FAN_IN = 128


def sorted_unique_lines(source: bytes | Path, *, run_lines: int | None = None,
                        tmpdir: str | os.PathLike | None = None) -> Iterator[bytes]:
    """The lines of N-Triples *source* (bytes, or a file), sorted bytewise
    and without duplicates: an external merge sort, so memory stays at one
    run whatever the size of the input. Sorting by the line puts each
    subject's triples together, which is all Turtle needs, and gives the
    same order for the same graph whatever order the triples came in."""
    run_lines = run_lines or SORT_RUN_LINES
    if isinstance(source, (bytes, bytearray)):
        yield from _unique(sorted(line if line.endswith(b"\n") else line + b"\n"
                                  for line in bytes(source).splitlines() if line.strip()))
        return
    with tempfile.TemporaryDirectory(prefix="kg-sort-", dir=tmpdir) as folder:
        runs: list[Path] = []
        with open(source, "rb") as fh:
            while True:
                chunk = [line for line in itertools.islice(fh, run_lines) if line.strip()]
                if not chunk:
                    break
                chunk = [line if line.endswith(b"\n") else line + b"\n" for line in chunk]
                chunk.sort()
                if not runs and len(chunk) < run_lines:  # it all fitted in one run
                    yield from _unique(chunk)
                    return
                runs.append(_write_run(folder, len(runs), _unique(chunk)))
        level = 0
        while len(runs) > MERGE_FAN_IN:  # merge in rounds, at most MERGE_FAN_IN files open
            level += 1
            runs = [_merge_to_file(folder, f"m{level}-{i}", runs[i:i + MERGE_FAN_IN])
                    for i in range(0, len(runs), MERGE_FAN_IN)]
        files = [open(path, "rb", buffering=1 << 16) for path in runs]
        try:
            yield from _unique(heapq.merge(*files))
        finally:
            for f in files:
                f.close()


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _write_run(folder: str, name, lines: Iterable[bytes]) -> Path:
    path = Path(folder) / f"run-{name}.nt"
    with open(path, "wb", buffering=1 << 20) as out:
        out.writelines(lines)
    return path


def _merge_to_file(folder: str, name: str, runs: list[Path]) -> Path:
    files = [open(path, "rb", buffering=1 << 16) for path in runs]
    try:
        merged = _write_run(folder, name, _unique(heapq.merge(*files)))
    finally:
        for f in files:
            f.close()
    for path in runs:
        path.unlink()
    return merged


def write_turtle_from_ntriples(source: bytes | Path, fh, prefixes: dict[str, str], *,
                               tmpdir: str | os.PathLike | None = None) -> int:
    """Write N-Triples *source* (bytes or a file, in any order, duplicates
    allowed) to *fh* as Turtle, sorted by subject, predicate and object, in
    flat memory (see :func:`sorted_unique_lines`); the number of (distinct)
    triples written."""
    return write_turtle(sorted_unique_lines(source, tmpdir=tmpdir), fh, prefixes)
