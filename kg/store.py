"""Open any graph: an RDF file, a build folder, its Oxigraph store.

:func:`open_graph` is the one way kg reads a graph (``kg query``, ``kg
export``, ``kg serve``, ``kg viz``, ``kg validate``, notebooks). A file is
parsed by its suffix (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML);
quads (N-Quads, TriG) become an rdflib ``Dataset`` whose default graph is the
union of its named graphs, so plain patterns see every statement and SPARQL's
``GRAPH ?g { ... }`` still sees each graph (:func:`triples_graph` gives the
union as one plain graph, for writers that want triples). A build folder is
read from its ``graph.ttl``, or from its store when the Turtle is large (see
:data:`STORE_THRESHOLD_BYTES`); ``OUT/store`` is always opened as a store.

The store of a build (``OUT/store``): rdflib stays the API; Oxigraph (through
oxrdflib) does the storing and the SPARQL, so graphs far larger than
memory-friendly rdflib graphs query fast. ``kg build`` loads its output into
``OUT/store`` (all triples in the default graph) by pyoxigraph's bulk
loader, into a fresh folder that replaces the old one only when complete.
:func:`open_store_graph` gives an rdflib ``Graph`` over it, and
:func:`oxigraph_store` the pyoxigraph ``Store`` behind such a graph, for
code that asks Oxigraph directly (SPARQL text, the page's many lookups).

Two things differ from an in-memory rdflib graph: plain literals come back
typed ``xsd:string`` (the same RDF term, a different Python object), and
``initBindings`` may only bind variables the query projects.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import DiskFullError, ExportError

__all__ = ["STORE_DIR", "STORE_THRESHOLD_BYTES", "READ_FORMATS", "Writing", "follow_lines", "write_store",
           "open_graph", "open_store_graph", "memory_store_graph", "oxigraph_store", "triples_graph", "store_path"]

STORE_DIR = "store"
#: Build folders whose graph.ttl is larger than this are read from the store.
STORE_THRESHOLD_BYTES = 50 * 1024 * 1024
#: File suffix -> rdflib parser of :func:`open_graph` (Turtle for any other suffix).
READ_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
                ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml"}
#: The parsers of quads: their files are read as a Dataset (see :func:`open_graph`).
_QUAD_FORMATS = ("nquads", "trig")
#: Bytes per slice (whole lines) when a file is bulk-loaded, about 45k
#: lines of kg's N-Triples. Measured on 1M triples: 250k-line slices peak at
#: 315 MiB, 50k-line ones at 105 MiB, at the same speed (the store is
#: compacted after loading either way). Slices are read with one call each:
#: line by line, a load in a background thread waits for the interpreter
#: lock at every buffered read and takes twice as long.
BULK_BYTES = 8 * 1024 * 1024
#: Slices loaded into an in-memory store: as fast as larger ones there, and
#: a file being written is followed closely.
MEMORY_SLICE_BYTES = 2 * 1024 * 1024


def store_path(out: str | os.PathLike) -> Path:
    return Path(out) / STORE_DIR


class Writing:
    """A file being written, as its followers see it: :meth:`state` (for
    :func:`follow_lines`) is None while it is written, True once
    :meth:`complete`, False once the writer gives up (:meth:`abandon`)."""

    def __init__(self) -> None:
        self._state: bool | None = None

    def state(self) -> bool | None:
        return self._state

    def complete(self) -> None:
        self._state = True

    def abandon(self) -> None:
        self._state = False


def follow_lines(path: str | os.PathLike, state: Callable[[], bool | None] | None = None, *,
                 size: int | None = None, poll: float = 0.01) -> Iterator[bytes]:
    """The file *path* in slices of whole lines, about *size* bytes each
    (one call reads each), as it is written: *state()* is None while the
    writer (another thread or process) appends to it, True once the file is
    complete, False if the writer gave up (:class:`ExportError` then). With
    no *state* the file is complete already. A last line without a newline
    ends the last slice. *size* is :data:`BULK_BYTES` by default."""
    state = state or (lambda: True)
    size = size or BULK_BYTES
    with open(path, "rb") as fh:
        pending = bytearray()
        while True:
            status = state()  # before reading: whatever was written before completion is read below
            if status is False:
                raise ExportError(f"{path} was not completed")
            block = fh.read(size)
            pending += block
            if not block and status:
                if pending:
                    yield bytes(pending)
                return
            if len(pending) < size and status is None:  # a whole slice, or the end
                if not block:
                    time.sleep(poll)
                continue
            cut = pending.rfind(b"\n") + 1
            if cut:  # else one line longer than a slice: read on
                yield bytes(pending[:cut])
                del pending[:cut]


def write_store(ntriples: bytes | Path, out: str | os.PathLike, *, state: Callable[[], bool | None] | None = None) -> Path:
    """Bulk-load N-Triples (bytes or a file) into ``OUT/store``, atomically.
    With *state* the file is loaded as it is written (see
    :func:`follow_lines`); if its writer gives up, no store is written."""
    import pyoxigraph

    target = store_path(out)
    tmp = target.with_name(target.name + ".tmp")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = pyoxigraph.Store(str(tmp))
        if isinstance(ntriples, Path):
            # Oxigraph's bulk loader holds a whole input in memory while it
            # sorts it; loading a large file in slices of BULK_BYTES keeps
            # memory flat (1M triples at once: 890 MiB peak; in slices: 105).
            # The loader releases the interpreter lock: this can run in a thread.
            for chunk in follow_lines(ntriples, state, size=BULK_BYTES):
                store.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
        else:
            store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        # Merge the slices' files: reads over many small files are twice as slow.
        store.optimize()
        del store
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as err:
        from .diskspace import is_disk_full

        shutil.rmtree(tmp, ignore_errors=True)
        if is_disk_full(err):
            raise DiskFullError(str(target), f"cannot write the store {target}: {err}", "make room on its disk") from err
        raise ExportError(f"cannot write the store {target}: {err}", hint="check the output folder") from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def open_store_graph(path: str | os.PathLike):
    """An rdflib Graph backed by the Oxigraph store at *path* (``OUT/store``
    or a build folder that has one)."""
    import pyoxigraph
    from oxrdflib.store import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from .ns import bind_prefixes

    from .outputs import current_dir

    path = Path(path)
    if (path / STORE_DIR).is_dir():
        path = (current_dir(path) or path) / STORE_DIR  # the last complete build's, resolved once
    if not path.is_dir():
        raise ExportError(f"no store at {path}", hint="run `kg build` first")
    # Read-only: any number of readers (kg query, kg serve, notebooks) at once.
    try:
        inner = pyoxigraph.Store.read_only(str(path))
    except OSError as err:
        raise ExportError(f"cannot open the store {path}: {err}", hint="rebuild it with `kg build`") from err
    graph = Graph(store=OxigraphStore(store=inner), identifier=DATASET_DEFAULT_GRAPH_ID)
    return bind_prefixes(graph)


def memory_store_graph(ntriples: str | os.PathLike, *, state: Callable[[], bool | None] | None = None,
                       limit: int | None = None):
    """An rdflib Graph over an in-memory Oxigraph store loaded with the
    N-Triples file *ntriples*: Oxigraph's speed without writing a store
    (loading is about twice as fast as into ``OUT/store``). With *state* the
    file is loaded as it is written (see :func:`follow_lines`). A file
    larger than *limit* bytes is not loaded (:class:`ExportError`)."""
    import pyoxigraph
    from oxrdflib.store import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from .ns import bind_prefixes

    inner = pyoxigraph.Store()
    loaded = 0
    try:
        for chunk in follow_lines(ntriples, state, size=MEMORY_SLICE_BYTES):
            loaded += len(chunk)
            if limit is not None and loaded > limit:
                raise ExportError(f"{ntriples} is larger than {limit} bytes")
            inner.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (OSError, SyntaxError) as err:
        raise ExportError(f"cannot load {ntriples}: {err}") from err
    graph = Graph(store=OxigraphStore(store=inner), identifier=DATASET_DEFAULT_GRAPH_ID)
    return bind_prefixes(graph)


def open_graph(path: str | os.PathLike):
    """Read an RDF file, or the ``graph.ttl`` of a build folder, as an rdflib
    graph. Quads (N-Quads, TriG) are read as a ``Dataset`` whose default
    graph is the union of their graphs. A build folder whose Turtle is large,
    or a ``store`` folder, is opened as an Oxigraph-backed graph
    (:func:`open_store_graph`) instead of parsed into memory."""
    from rdflib import Dataset, Graph

    from .ns import bind_prefixes

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
    fmt = READ_FORMATS.get(path.suffix.lower(), "turtle")
    graph = bind_prefixes(Dataset(default_union=True) if fmt in _QUAD_FORMATS else Graph())
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises parser-specific errors
        raise ExportError(f"cannot parse {path}: {err}", hint="is it an RDF file in the format its suffix says?") from err
    return graph


def triples_graph(graph):
    """*graph* as one plain rdflib ``Graph`` of triples: itself, or for a
    dataset (quads, see :func:`open_graph`) a copy of the union of its
    graphs, with kg's prefixes bound."""
    if not getattr(graph, "context_aware", False):
        return graph
    from rdflib import Graph

    from .ns import bind_prefixes

    plain = bind_prefixes(Graph())
    for triple in graph.triples((None, None, None)):
        plain.add(triple)
    return plain


def oxigraph_store(graph):
    """The pyoxigraph ``Store`` behind an Oxigraph-backed rdflib graph (from
    :func:`open_store_graph` or :func:`memory_store_graph`), or None for any
    other graph."""
    inner = getattr(graph.store, "_store", None)
    return inner if type(graph.store).__name__ == "OxigraphStore" and inner is not None else None
