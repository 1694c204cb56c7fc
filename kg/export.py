"""Write graphs (atomically) and read them back."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph

from .errors import ExportError

__all__ = ["FORMATS", "atomic_write", "serialize", "write_graph", "read_graph"]

#: Output format name -> (rdflib serializer, file suffix)
FORMATS = {
    "ttl": ("turtle", ".ttl"),
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write *data* to *path* through a temporary file and a rename, so a
    reader never sees a half-written file and a crash keeps the old one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}", hint="check the output folder") from None
    return path


def serialize(graph: Graph, fmt: str = "ttl") -> bytes:
    """Serialise *graph*; N-Triples lines are sorted so output is canonical."""
    try:
        rdflib_format, _ = FORMATS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(sorted(FORMATS))}") from None
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    if rdflib_format == "nt":
        lines = sorted(set(line for line in data.split(b"\n") if line.strip()))
        data = b"\n".join(lines) + b"\n"
    return data


def write_graph(graph: Graph, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Serialise *graph* to *path* atomically (format from the suffix)."""
    path = Path(path)
    if fmt is None:
        suffix = path.suffix.lower().lstrip(".")
        fmt = {"rdf": "xml", "json": "jsonld"}.get(suffix, suffix)
    return atomic_write(path, serialize(graph, fmt))


def read_graph(path: str | os.PathLike) -> Graph:
    """Read an RDF file, or the ``graph.ttl`` of a build folder."""
    from .ns import bind_prefixes

    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.exists():
        raise ExportError(f"no graph at {path}", hint="run `kg build` first or pass --graph")
    graph = bind_prefixes(Graph())
    try:
        graph.parse(path)
    except Exception as err:  # rdflib raises parser-specific errors
        raise ExportError(f"cannot parse {path}: {err}", hint="is it an RDF file?") from None
    return graph
