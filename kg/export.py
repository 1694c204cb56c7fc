"""Write graphs (atomically) in every RDF format, and read them back.

Formats: Turtle (``ttl``), N-Triples (``nt``), N-Quads (``nq``), TriG
(``trig``), JSON-LD (``jsonld``, compacted with ``ontology/context.jsonld``)
and RDF/XML (``xml``). In N-Quads and TriG each document's statements — the
document node, its sentences, mentions, quotations and the reified relations
read from it — sit in a named graph named by the document's IRI; the resolved
knowledge (entities, direct relations, events) is in the default graph.
N-Triples and N-Quads are written line by line in sorted order (canonical and
streamable); Turtle goes through rdflib, whose output is deterministic for a
graph without blank nodes.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import DiskFullError, ExportError

__all__ = ["FORMATS", "atomic_write", "atomic_writer", "serialize", "write_graph", "read_graph",
           "partition", "iter_nquads", "jsonld_context"]

#: Output format name -> (rdflib format, file suffix)
FORMATS = {
    "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "nq": ("nquads", ".nq"),
    "trig": ("trig", ".trig"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
            "json-ld": "jsonld", "json": "jsonld", "rdf": "xml", "rdfxml": "xml"}


class atomic_writer:
    """A binary file handle that becomes *path* only when closed without error.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_writer(p) as fh:
    ...     _ = fh.write(b"hello")
    >>> p.read_bytes()
    b'hello'
    """

    def __init__(self, path: str | os.PathLike, *, fsync: bool = True) -> None:
        self.path = Path(path)
        self.fsync = fsync

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(prefix="." + self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        except OSError as err:
            raise _write_error(self.path, err) from err
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(self.path)  # a write in the block failed: name the file it was for
        try:
            if exc_type is None:
                self.fh.flush()
                if self.fsync:
                    os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                # mkstemp makes the file private (0600); give it the usual mode
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)
                os.replace(self.tmp, self.path)
        except OSError as err:
            raise _write_error(self.path, err) from err
        finally:
            if Path(self.tmp).exists():
                Path(self.tmp).unlink()
        return False


def _write_error(path: Path, err: OSError) -> ExportError:
    from .diskspace import is_disk_full

    message = f"cannot write {path}: {err.strerror or err}"
    if is_disk_full(err):
        return DiskFullError(str(path), message, "make room on its disk")
    return ExportError(message, hint="check the output folder")


def atomic_write(path: str | os.PathLike, data: bytes, *, fsync: bool = True) -> Path:
    """Write *data* to *path* through a temporary file and a rename, so a
    reader never sees a half-written file and a crash keeps the old one.
    *fsync* also survives a power cut (the build cache skips it: a damaged
    cache entry is simply extracted again)."""
    with atomic_writer(path, fsync=fsync) as fh:
        fh.write(data)
    return Path(path)


def _fmt(fmt: str) -> str:
    fmt = _ALIASES.get(fmt.lower(), fmt.lower())
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(sorted(FORMATS))}")
    return fmt


def jsonld_context() -> dict:
    """The published JSON-LD ``@context`` (``ontology/context.jsonld``)."""
    text = resources.files("kg.data").joinpath("ontology/context.jsonld").read_text("utf-8")
    return json.loads(text)["@context"]


def partition(graph: Graph) -> dict[URIRef | None, Graph]:
    """Split *graph* into the default graph (``None``) and one graph per
    document: a subject belongs to document D when it is D, or points to it
    with ``nif:referenceContext`` (sentences, mentions, quotations), or is a
    reified statement derived from D alone."""
    from rdflib.namespace import PROV, RDF

    from .ns import NIF, SCHEMA

    docs = set(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    owner: dict = {d: d for d in docs}
    for s, o in graph.subject_objects(NIF.referenceContext):
        if o in docs:
            owner[s] = o
    for st in graph.subjects(RDF.type, RDF.Statement):
        sources = set(graph.objects(st, PROV.wasDerivedFrom))
        if len(sources) == 1:
            owner[st] = next(iter(sources))
    parts: dict[URIRef | None, Graph] = {}
    for triple in graph:
        key = owner.get(triple[0])
        parts.setdefault(key, Graph()).add(triple)
    return parts


def iter_nquads(graph: Graph) -> Iterator[bytes]:
    """The N-Quads lines of *graph*'s partition, sorted (canonical)."""
    from rdflib.plugins.serializers.nt import _nt_row

    lines = []
    for context, part in partition(graph).items():
        suffix = f" <{context}> .\n" if context is not None else " .\n"
        for triple in part:
            row = _nt_row(triple)  # "<s> <p> <o> .\n"
            lines.append((row[:-3] + suffix).encode("utf-8"))
    lines.sort()
    yield from lines


def _iter_ntriples(graph: Graph) -> Iterator[bytes]:
    from rdflib.plugins.serializers.nt import _nt_row

    yield from sorted(_nt_row(t).encode("utf-8") for t in graph)


def serialize(graph: Graph, fmt: str = "ttl") -> bytes:
    """Serialise *graph* in *fmt* (see :data:`FORMATS`)."""
    fmt = _fmt(fmt)
    if fmt == "nt":
        return b"".join(_iter_ntriples(graph))
    if fmt == "nq":
        return b"".join(iter_nquads(graph))
    if fmt in ("ttl", "trig"):
        # Turtle and TriG are written by Oxigraph: the same bytes for the same
        # graph whatever built it, and typed literals (decimals) kept exact.
        import pyoxigraph

        from .ns import PREFIXES

        store = pyoxigraph.Store()
        if fmt == "ttl":
            from .turtle import turtle_bytes

            store.bulk_load(b"".join(_iter_ntriples(graph)), format=pyoxigraph.RdfFormat.N_TRIPLES)
            return turtle_bytes(store, PREFIXES)
        store.bulk_load(b"".join(iter_nquads(graph)), format=pyoxigraph.RdfFormat.N_QUADS)
        return store.dump(format=pyoxigraph.RdfFormat.TRIG, prefixes=dict(sorted(PREFIXES.items())))
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=jsonld_context(), sort_keys=True, indent=1,
                               encoding="utf-8")
    return graph.serialize(format=FORMATS[fmt][0], encoding="utf-8")


def _oxigraph(graph: Graph):
    """The pyoxigraph Store behind an Oxigraph-backed rdflib graph, if any."""
    inner = getattr(graph.store, "_store", None)
    return inner if type(graph.store).__name__ == "OxigraphStore" and inner is not None else None


def write_graph(graph: Graph, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Serialise *graph* to *path* atomically (format from the suffix if not given).
    N-Triples and N-Quads are streamed line by line. A graph in an Oxigraph
    store is dumped by Oxigraph itself (Turtle, N-Triples), without passing
    every triple through Python."""
    path = Path(path)
    if fmt is None:
        fmt = path.suffix.lower().lstrip(".")
    fmt = _fmt(fmt)
    inner = _oxigraph(graph)
    if inner is not None and fmt in ("nt", "ttl"):
        import pyoxigraph

        with atomic_writer(path) as fh:
            if fmt == "nt":
                inner.dump(fh, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
            else:
                from .ns import PREFIXES
                from .turtle import write_turtle_from_store

                write_turtle_from_store(inner, fh, PREFIXES)
        return path
    with atomic_writer(path) as fh:
        if fmt == "nt":
            fh.writelines(_iter_ntriples(graph))
        elif fmt == "nq":
            fh.writelines(iter_nquads(graph))
        else:
            fh.write(serialize(graph, fmt))
    return path


_PARSE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
                  ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


def read_graph(path: str | os.PathLike) -> Graph:
    """Read an RDF file, or the ``graph.ttl`` of a build folder. Quads
    (N-Quads, TriG) are read as the union of their graphs. A build folder
    whose Turtle is large, or a ``store`` folder, is opened as an
    Oxigraph-backed graph (:mod:`kg.store`) instead of parsed into memory."""
    from .ns import bind_prefixes

    from .store import STORE_DIR, STORE_THRESHOLD_BYTES, open_store_graph

    from .outputs import current_dir

    path = Path(path)
    if path.is_dir() and path.name == STORE_DIR and not (path / "graph.ttl").exists():
        return open_store_graph(path)
    if path.is_dir():
        # graph.ttl and the store of one build, even if a build switches the folder's outputs meanwhile
        folder = current_dir(path) or path
        ttl = folder / "graph.ttl"
        if (folder / STORE_DIR).is_dir() and ttl.exists() and ttl.stat().st_size > STORE_THRESHOLD_BYTES:
            return open_store_graph(folder)  # large: query Oxigraph instead of parsing into memory
        if not ttl.exists():
            raise ExportError(f"no graph at {path / 'graph.ttl'}", hint="run `kg build` first or pass --graph")
        path = ttl
    if not path.exists():
        raise ExportError(f"no graph at {path}", hint="run `kg build` first or pass --graph")
    fmt = _PARSE_FORMATS.get(path.suffix.lower(), "turtle")
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(path, format=fmt)
            graph = bind_prefixes(Graph())
            for quad in ds.quads((None, None, None, None)):
                graph.add(quad[:3])
            return graph
        graph = bind_prefixes(Graph())
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises parser-specific errors
        raise ExportError(f"cannot parse {path}: {err}", hint="is it an RDF file in the format its suffix says?") from err
    return graph


# --------------------------------------------------------------------------- streamed N-Triples

__all__ += ["NTriplesSink"]


class NTriplesSink:
    """Writes added triples to the binary file *fh* as N-Triples lines,
    byte for byte as rdflib's N-Triples serializer would (duplicates are not
    dropped: the store does that). A build streams its statements through
    it, one document at a time (:mod:`kg.run.writer`); the IRIs of recent
    subjects and every predicate are written from a memo."""

    def __init__(self, fh) -> None:
        from rdflib import Literal
        # rdflib's own literal quoting for N-Triples is private; its public
        # Literal.n3() writes a literal with a line break as a """long""" string
        # (Turtle, not N-Triples), so the private function is what keeps the bytes.
        from rdflib.plugins.serializers.nt import _quoteLiteral

        self.fh, self.literal, self.quote = fh, Literal, _quoteLiteral
        self.memo: dict = {}

    def add(self, triple) -> None:
        s, p, o = triple
        memo = self.memo
        s_text = memo.get(s)
        if s_text is None:
            if len(memo) > 50_000:
                memo.clear()
            s_text = memo[s] = s.n3()
        p_text = memo.get(p)
        if p_text is None:
            p_text = memo[p] = p.n3()
        o_text = memo.get(o)
        if o_text is None:
            if isinstance(o, self.literal):
                o_text = self.quote(o)
                if len(o_text) < 64:  # offsets, rule ids, dates, types: they repeat
                    memo[o] = o_text
            else:
                o_text = o.n3()
        self.fh.write(f"{s_text} {p_text} {o_text} .\n".encode("utf-8"))
