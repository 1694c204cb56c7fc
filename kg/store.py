"""The persistent Oxigraph store of a build (``OUT/store``).

rdflib stays the API; Oxigraph (through oxrdflib) does the storing and the
SPARQL, so graphs far larger than memory-friendly rdflib graphs query fast.
``kg build`` loads its output into ``OUT/store`` (all triples in the default
graph) by pyoxigraph's bulk loader, into a fresh folder that replaces the old
one only when complete. :func:`open_store_graph` gives an rdflib ``Graph``
over it; :func:`kg.export.read_graph` uses it for build folders whose Turtle
is large (see :data:`STORE_THRESHOLD_BYTES`), and always for ``OUT/store``.

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

__all__ = ["STORE_DIR", "STORE_THRESHOLD_BYTES", "Writing", "follow_lines", "write_store", "open_store_graph",
           "memory_store_graph", "store_path"]

STORE_DIR = "store"
#: Build folders whose graph.ttl is larger than this are read from the store.
STORE_THRESHOLD_BYTES = 50 * 1024 * 1024
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
            raise DiskFullError(str(target), f"cannot write the store {target}: {err}", "make room on its disk") from None
        raise ExportError(f"cannot write the store {target}: {err}", hint="check the output folder") from None
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
        raise ExportError(f"cannot open the store {path}: {err}", hint="rebuild it with `kg build`") from None
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
        raise ExportError(f"cannot load {ntriples}: {err}") from None
    graph = Graph(store=OxigraphStore(store=inner), identifier=DATASET_DEFAULT_GRAPH_ID)
    return bind_prefixes(graph)
