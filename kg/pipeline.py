"""The build, as its stages: paths -> documents -> extractions -> entities
and events -> graph -> files.

:func:`build` is what ``kg build`` runs; it is one call from Python too::

    from kg import build
    result = build(["seeds/"], out="out/")
    result.graph          # the rdflib Graph
    result.summary()      # counts by type

Each stage is one call here: ingest (:mod:`kg.ingest`), extract
(:mod:`kg.nlp`), resolve (:mod:`kg.resolve`), events (:mod:`kg.events`),
graph (:mod:`kg.graph`) and outputs. How fast they run (threads, worker
processes, a dask cluster, the corpus spill, the page process, the streamed
outputs) is the engine room's business, :mod:`kg.run`.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .progress import Progress
from .records import ENTITY_TYPES, Extraction, Skipped
from .run.extraction import READ, extract_corpus
from .run.pageproc import start_after_nlp, start_before_nlp
from .run.threads import prefetch
from .run.writer import write_outputs

__all__ = ["BuildResult", "build", "build_graph_from_texts"]


@dataclass
class BuildResult:
    """What a build produced.

    ``graph`` is the rdflib Graph of the build. For a build streamed to
    Oxigraph it is opened over ``OUT/store`` on first use, not before."""

    _graph: object
    #: the documents' extractions in document order (for a large corpus, a
    #: sequence that reads them back from the build cache)
    extractions: Sequence[Extraction]
    resolution: object
    skipped: list[Skipped]
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    events: list = field(default_factory=list)
    #: documents whose extraction came from the build folder's cache
    reused: int = 0
    #: mentions, relations and quotations over all documents
    stats: dict[str, int] = field(default_factory=dict)
    _open_graph: object = field(default=None, repr=False, compare=False)
    _triples: int | None = field(default=None, repr=False)

    @property
    def graph(self):
        if self._graph is None and self._open_graph is not None:
            self._graph, self._open_graph = self._open_graph(), None
        return self._graph

    @graph.setter
    def graph(self, value) -> None:
        self._graph, self._open_graph = value, None

    @property
    def triples(self) -> int:
        """The number of triples in the graph (counted as the Turtle was
        written, without opening the graph)."""
        return self._triples if self._triples is not None else len(self.graph)

    def counts(self) -> dict[str, int]:
        """Entity counts by type, in the ontology's order."""
        counter = Counter(e.type for e in self.resolution.entities)
        return {t: counter.get(t, 0) for t in ENTITY_TYPES}

    def summary(self) -> str:
        counts = self.counts()
        stats = self.stats
        lines = [
            f"documents: {len(self.extractions)} in the graph ({self.reused} from earlier builds), {sum(not s.text_read for s in self.skipped)} skipped",
            f"entities: {sum(counts.values())} ({', '.join(f'{t} {n}' for t, n in counts.items())})",
            f"  before resolution: {sum(self.resolution.before.values())} "
            f"({', '.join(f'{t} {n}' for t, n in self.resolution.before.items())})",
            f"mentions: {stats.get('mentions', 0)}",
            f"relations: {stats.get('relations', 0)}",
            f"events: {len(self.events)} ({sum(1 for e in self.events if e.start)} dated)",
            f"quotations: {stats.get('quotations', 0)}",
            f"linked to Wikidata: {sum(1 for e in self.resolution.entities if e.qid)}",
            f"merges: {len(self.resolution.merges)}",
            f"triples: {self.triples}",
        ]
        for name, path in self.outputs.items():
            lines.append(f"{name}: {path}")
        return "\n".join(lines)


def _model_language(model: str | None) -> str:
    """The language of the pipeline *model* (documents in others are skipped)."""
    if model is None:
        return "en"
    from .nlp import load_pipeline

    return load_pipeline(model).lang


def build(
    paths: Sequence[str | os.PathLike],
    out: str | os.PathLike | None = "out",
    *,
    model: str | None = None,
    gazetteers: Sequence[str] = (),
    max_bytes: int | None = None,
    html: bool = True,
    quiet: bool = True,
    batch_size: int = 32,
    fields: dict[str, str] | None = None,
    fallback_date: str | None = None,
    fresh: bool = False,
    workers: int = 1,
    dask: str | None = None,
    store: bool = True,
    keep_graph: bool | None = None,
    follow_links: bool = False,
    wait: bool = True,
    on_wait: Callable[[str], object] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the documents under *paths*.

    Writes ``graph.ttl``, ``graph.html``, ``merges.tsv`` and the Oxigraph
    store ``store/`` (unless *store* is false) into *out* (unless *out* is
    ``None``). Unreadable documents are reported in
    :attr:`BuildResult.skipped`; the others are all processed.

    *fields* maps kg's record fields to a corpus file's column names
    (``{"text": "body"}``); *fallback_date* (``YYYY-MM-DD``) is the
    publication date of documents that give none. *follow_links* reads the
    symbolic links in folders that lead out of them (by default they are
    reported in :attr:`BuildResult.skipped`; see :func:`kg.ingest.discover`).

    Building into an *out* that already holds a build adds the new documents
    to it (see :mod:`kg.cache`); *fresh* starts it over.

    One build at a time writes *out* (:mod:`kg.outlock`): if another holds
    it, this one waits (*on_wait* is called with a one-line message; by
    default it is shown on stderr unless *quiet*), or with *wait* false
    raises :class:`~kg.errors.OutputBusy`. The outputs change together
    (:mod:`kg.outputs`): a build that fails or is killed leaves the last
    complete set. A full disk raises :class:`~kg.errors.DiskFullError`.

    *workers* > 1 runs spaCy in that many processes; *dask* (``local:N`` or
    a scheduler address) runs extraction on a dask.distributed cluster. The
    output is the same whatever the number of workers.

    *keep_graph*: build :attr:`BuildResult.graph` as an in-memory rdflib
    graph (the default up to :data:`~kg.run.spill.KEEP_GRAPH_DOCS` documents), or not:
    the statements then stream to the store and ``graph`` is a read-only
    graph over it (what ``kg build`` does: it needs no Python graph).

    Unless *quiet*, the stages and their counts are shown on stderr when it
    is a terminal (see :mod:`kg.progress`; ``KG_PROGRESS=1`` shows them on
    any stderr).
    """
    from .ingest import DEFAULT_MAX_BYTES, iter_documents

    timings: dict[str, float] = Counter()
    skipped: list[Skipped] = []
    progress = Progress.for_stream(sys.stderr, quiet=quiet)

    def run() -> BuildResult:
        with progress:
            # Documents are read and cleaned in a second thread while spaCy parses.
            docs = prefetch(_ingest(iter_documents, paths, skipped, progress, timings,
                                    max_bytes=max_bytes or DEFAULT_MAX_BYTES, fields=fields,
                                    fallback_date=fallback_date, model=model, follow_links=follow_links),
                            name="kg-ingest")
            return _build_docs(docs, skipped, out, model=model, gazetteers=tuple(gazetteers), html=html,
                               progress=progress, batch_size=batch_size, timings=timings, fresh=fresh,
                               workers=workers, dask=dask, store=store, keep_graph=keep_graph)

    if out is None:
        return run()
    from .cache import remove_leftovers
    from .outputs import disk_full_guard
    from .outlock import OutputLock
    from .outputs import prepare

    if on_wait is None and not quiet:
        def on_wait(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

    with disk_full_guard(out), OutputLock(out, wait=wait, on_wait=on_wait):
        prepare(out)
        remove_leftovers(out)
        return run()


def build_graph_from_texts(texts: Sequence[str], *, model: str | None = None, gazetteers: Sequence[str] = ()) -> BuildResult:
    """Build a graph (in memory, no files) from strings; for tests and notebooks."""
    from .ingest import make_doc

    docs = []
    for i, text in enumerate(texts):
        docs.append(make_doc(text, source=f"text-{i}"))
    return _build_docs(sorted(docs, key=lambda d: d.id), [], None, model=model, gazetteers=tuple(gazetteers),
                       html=False, progress=Progress(enabled=False), batch_size=32, timings=Counter())


def _build_docs(docs, skipped, out, *, model, gazetteers, html, progress, batch_size, timings, fresh=True,
                workers=1, dask=None, store=False, keep_graph=None) -> BuildResult:
    """The stages after ingest: extract -> resolve -> events -> graph -> outputs."""
    page_wanted = out is not None and html
    page = start_before_nlp(page_wanted, workers=workers, dask=dask, model=model, gazetteers=gazetteers)
    try:
        extractions = extract_corpus(docs, out, model=model, gazetteers=gazetteers, progress=progress,
                                     batch_size=batch_size, timings=timings, fresh=fresh, workers=workers,
                                     dask=dask)
        page = start_after_nlp(page, page_wanted, len(extractions))
        # an in-memory rdflib graph, unless the corpus was too large to hold (or the caller says not to)
        keep = out is None or (keep_graph if keep_graph is not None else not extractions.spilled)
        resolution, events = _resolve(extractions, gazetteers, progress=progress, timings=timings)
        graph = _graph(extractions, resolution, events, keep=keep, progress=progress, timings=timings)
        result = BuildResult(graph, extractions, resolution, skipped, timings=timings, events=events,
                             reused=extractions.reused, stats=dict(extractions.stats))
        if out is not None:
            written = write_outputs(out, graph, extractions, resolution, events, html=html, timings=timings,
                                    store=store, keep=keep, page=page, progress=progress)
            result.outputs, result._triples = written.outputs, written.triples
            if graph is None:
                result._open_graph = written.open_graph
        return result
    finally:
        if page is not None:
            page.kill()


def _ingest(iter_documents, paths, skipped, progress, timings, *, max_bytes, fields, fallback_date, model,
            follow_links):
    """The documents under *paths* (read by :func:`kg.ingest.iter_documents`),
    each text once; what cannot be read goes to *skipped*."""
    seen: set[str] = set()
    t = time.perf_counter()
    for item in iter_documents(paths, max_bytes=max_bytes, fields=fields,
                               fallback_date=fallback_date, language=_model_language(model),
                               on_total=lambda n: progress.total(READ, n), follow_links=follow_links):
        timings["ingest"] += time.perf_counter() - t
        if isinstance(item, Skipped):
            skipped.append(item)
            if not item.text_read:
                progress.add(READ)
        else:
            progress.add(READ)
            if item.id not in seen:  # the same text twice is one document
                seen.add(item.id)
                yield item
        t = time.perf_counter()


def _resolve(extractions, gazetteers, *, progress, timings):
    """Mentions -> entities (the resolution), then event candidates -> events."""
    from .events import resolve_events
    from .gazetteer import load_gazetteer
    from .resolve import resolve

    t = time.perf_counter()
    progress.stage("resolution")
    gazetteer = load_gazetteer(gazetteers)
    resolution = resolve(extractions, gazetteer)
    events = resolve_events(extractions, resolution, gazetteer)
    timings["resolution"] += time.perf_counter() - t
    return resolution, events


def _graph(extractions, resolution, events, *, keep, progress, timings):
    """The rdflib graph of the build if it is kept in memory (*keep*); else
    None: the outputs then stream the statements document by document."""
    from .graph import build_graph

    t = time.perf_counter()
    if keep:
        progress.stage("graph")
    else:  # the statements are written document by document, with the outputs
        progress.stage("graph", "documents")
        progress.total("documents", len(extractions))
    graph = build_graph(extractions, resolution, events=events) if keep else None
    timings["graph"] += time.perf_counter() - t
    return graph
