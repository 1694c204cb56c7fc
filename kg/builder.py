"""The build: paths -> documents -> extractions -> entities -> graph -> files.

:func:`build` is what ``kg build`` runs; it is one call from Python too::

    from kg import build
    result = build(["seeds/"], out="out/")
    result.graph          # the rdflib Graph
    result.summary()      # counts by type
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .pageproc import PageProcess as _PageProcess
from .progress import Progress
from .records import ENTITY_TYPES, Extraction, Skipped

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
    graph (the default up to :data:`KEEP_GRAPH_DOCS` documents), or not:
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

    def documents():
        seen: set[str] = set()
        t = time.perf_counter()
        for item in iter_documents(paths, max_bytes=max_bytes or DEFAULT_MAX_BYTES, fields=fields,
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

    from .threads import prefetch

    def run() -> BuildResult:
        # Documents are read and cleaned in a second thread while spaCy parses.
        with progress:
            return _build_docs(prefetch(documents(), name="kg-ingest"), skipped, out, model=model,
                               gazetteers=tuple(gazetteers), html=html, progress=progress, batch_size=batch_size,
                               timings=timings, fresh=fresh, workers=workers, dask=dask, store=store,
                               keep_graph=keep_graph)

    if out is None:
        return run()
    from .cache import remove_leftovers
    from .diskspace import disk_full_guard
    from .outlock import OutputLock
    from .outputs import prepare

    if on_wait is None and not quiet:
        def on_wait(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

    with disk_full_guard(out), OutputLock(out, wait=wait, on_wait=on_wait):
        prepare(out)
        remove_leftovers(out)
        return run()


#: The counters of :func:`build`'s progress display: documents read (of the
#: files found), parsed by spaCy, and taken from the build cache.
READ, PARSED, CACHED = "documents read", "parsed", "from the build cache"


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
    from .nlp.pipeline import pipeline_loaded

    # The page is made by a second process, started when a core is idle, so
    # that it has imported what it needs by the time the graph is ready: now,
    # if the model is to be loaded (one core) or spaCy runs in this process
    # (it leaves the second core mostly idle); otherwise, as spaCy's worker
    # processes keep every core busy, when the NLP ends, and only for graphs
    # large enough that the start-up is worth it.
    early = out is not None and html and not dask and (workers <= 1 or not pipeline_loaded(model, gazetteers))
    page = _PageProcess.spawn() if early else None
    try:
        extractions, held, keep = _extract_all(docs, out, model=model, gazetteers=gazetteers, progress=progress,
                                               batch_size=batch_size, timings=timings, fresh=fresh,
                                               workers=workers, dask=dask, keep_graph=keep_graph)
        if page is None and out is not None and html and len(extractions) >= PARALLEL_PAGE_DOCS:
            page = _PageProcess.spawn()
        return _finish(extractions, held, skipped, out, gazetteers=gazetteers, html=html, timings=timings,
                       store=store, keep=keep, page=page, progress=progress)
    finally:
        if page is not None:
            page.kill()


def _extract_all(docs, out, *, model, gazetteers, progress, batch_size, timings, fresh, workers, dask, keep_graph):
    """The extractions of *docs* (and of the documents built into *out*
    before), from the build cache or the NLP."""
    from .nlp.extract import extract, extract_parallel
    from .nlp import load_pipeline
    from .threads import BackgroundWorker

    t = time.perf_counter()
    progress.stage("loading the spaCy pipeline")
    nlp = load_pipeline(model, gazetteers)
    timings["model"] += time.perf_counter() - t
    progress.stage("reading and NLP", READ, PARSED, CACHED)
    cache = None
    if out is not None:
        from .cache import BuildCache, fingerprint

        cache = BuildCache(out, fingerprint(nlp, gazetteers))
        if fresh:
            cache.clear()
    held = _Corpus(cache)
    seen: set[str] = set()

    def todo(stream):
        """Documents that need NLP; those the cache knows go straight to *held*."""
        for doc in stream:
            seen.add(doc.id)
            ex = cache.load_extraction(doc.id) if cache is not None else None
            if ex is not None:
                held.add(ex, reused=True)
                progress.add(CACHED)
            else:
                yield doc

    def earlier():
        """Documents built into OUT before and not given now: kept."""
        for doc_id in (cache.doc_ids() if cache is not None else ()):
            if doc_id not in seen:
                seen.add(doc_id)
                yield cache.load_doc(doc_id)

    t = time.perf_counter()
    client = None
    if dask:
        from .distributed import connect, extract_on_cluster

        client = connect(dask)
    for source in (docs, earlier()):
        pending = todo(source)
        if client is not None:
            stream = extract_on_cluster(pending, client, model=model, gazetteers=gazetteers)
        else:
            stream = (extract_parallel(pending, nlp, workers=workers, save=_saver(cache) if cache is not None else None) if workers > 1
                      else extract(pending, nlp, batch_size=batch_size))
        saved_by_workers = client is None and workers > 1
        with BackgroundWorker(_saver(cache), name="kg-cache") as saver:  # cache files are written beside spaCy
            for ex in progress.each(stream, PARSED):
                if cache is not None and not saved_by_workers:
                    saver.submit(ex)
                held.add(ex)
    if client is not None and dask.startswith("local:"):
        cluster = client.cluster
        client.close()
        cluster.close()
    extractions = held.seal()
    keep = out is None or (keep_graph if keep_graph is not None else not held.spilled)
    timings["nlp"] += time.perf_counter() - t
    return extractions, held, keep


def _finish(extractions, held, skipped, out, *, gazetteers, html, timings, store, keep, page, progress) -> BuildResult:
    """Resolution, the graph and the output files of a build's extractions."""
    from .events import resolve_events
    from .export import read_graph
    from .gazetteer import load_gazetteer
    from .graph import build_graph
    from .resolve import resolve
    from .store import open_store_graph

    t = time.perf_counter()
    progress.stage("resolution")
    gazetteer = load_gazetteer(gazetteers)
    resolution = resolve(extractions, gazetteer)
    events = resolve_events(extractions, resolution, gazetteer)
    timings["resolution"] += time.perf_counter() - t
    t = time.perf_counter()
    if keep:
        progress.stage("graph")
    else:  # the statements are written document by document, below
        progress.stage("graph", "documents")
        progress.total("documents", len(extractions))
    graph = build_graph(extractions, resolution, events=events) if keep else None
    timings["graph"] += time.perf_counter() - t
    result = BuildResult(graph, extractions, resolution, skipped, timings=timings, events=events,
                         reused=held.reused, stats=dict(held.stats))
    if out is None:
        return result
    from .outputs import Generation

    out = Path(out)
    generation = Generation(out)
    try:
        _write_outputs(result, generation.path, out, graph, extractions, resolution, events, html=html,
                       timings=timings, store=store, keep=keep, page=page, progress=progress)
        generation.commit()
    except BaseException:
        if page is not None:
            page.kill()  # before its folder goes
        generation.abandon()
        raise
    for name, key in (("graph.ttl", "turtle"), ("merges.tsv", "merge log"), ("store", "store"),
                      ("graph.html", "html")):
        if key in result.outputs:
            result.outputs[key] = out / name
    if result._graph is None:
        turtle = result.outputs["turtle"]
        result._open_graph = (lambda: open_store_graph(out)) if store else (lambda: read_graph(turtle))
    return result


def _write_outputs(result, folder, out, graph, extractions, resolution, events, *, html, timings, store, keep, page,
                   progress) -> None:
    """Write the outputs of a build into *folder* (its generation's; *out*
    is the build folder)."""
    from .export import read_graph

    t = time.perf_counter()
    from concurrent.futures import ThreadPoolExecutor

    from .export import serialize
    from .files import atomic_write, atomic_writer
    from .ns import PREFIXES
    from .store import Writing, open_store_graph, store_path, write_store
    from .turtle import write_turtle_from_ntriples

    ntriples_file = None
    # Oxigraph loads the store without the interpreter lock: in a thread, beside the graph's statements and the Turtle.
    with ThreadPoolExecutor(1, thread_name_prefix="kg-store") as pool:
        loading = None
        if keep:
            ntriples = serialize(graph, "nt")
            if page is not None and len(ntriples) <= PAGE_MEMORY_BYTES:
                ntriples_file = atomic_write(folder / "graph.nt", ntriples, fsync=False)
                page.start(folder / "graph.html", ntriples=ntriples_file)
            if store:
                loading = pool.submit(write_store, ntriples, folder)
        else:
            # Each document's statements stream to N-Triples, one document in memory at a time; the
            # store and the page's process load the file as it grows.
            ntriples = ntriples_file = folder / "graph.nt"
            written = Writing()
            fh = open(ntriples, "wb")
            if store:
                loading = pool.submit(write_store, ntriples, folder, state=written.state)
            if page is not None:
                page.follow(folder / "graph.html", ntriples, limit=PAGE_MEMORY_BYTES)
            try:
                with fh:
                    _write_statements(_NTriplesSink(fh), progress.each(extractions, "documents"), resolution, events)
            except BaseException as err:
                if isinstance(err, OSError) and err.filename is None:
                    err.filename = str(ntriples)  # for the message (a full disk)
                written.abandon()  # the store's loader stops; the old store stays
                ntriples.unlink(missing_ok=True)
                raise
            written.complete()
            if page is not None:
                page.complete(in_memory=ntriples.stat().st_size <= PAGE_MEMORY_BYTES, store_coming=store)
            timings["graph"] += time.perf_counter() - t
            t = time.perf_counter()
        store_done = False
        if loading is not None and page is not None and (page.path is None or page.needs_store):
            progress.stage("store")
            loading.result()  # the page is read from the store
            store_done = True
            if page.path is None:
                page.start(folder / "graph.html", store=store_path(folder))
            else:
                page.read_store(store_path(folder))
        # Sorted on disk in runs and merged: flat memory, and the order depends only on the graph.
        progress.stage("Turtle")
        with atomic_writer(folder / "graph.ttl") as fh:
            result._triples = write_turtle_from_ntriples(ntriples, fh, PREFIXES, tmpdir=folder)
        if loading is not None:
            if not store_done:
                progress.stage("store")
            result.outputs["store"] = loading.result()
    result.outputs["turtle"] = folder / "graph.ttl"
    result.outputs["merge log"] = atomic_write(folder / "merges.tsv", _merge_tsv(resolution.merges))
    timings["serialisation"] += time.perf_counter() - t
    if html:
        from .viz import write_html

        t = time.perf_counter()
        progress.stage("page")
        made = page.wait() if page is not None and page.path is not None else None
        if made is None:
            # the graph of this build, which is not current yet
            page_graph = result._graph
            if page_graph is None:
                page_graph = open_store_graph(folder) if store else read_graph(folder / "graph.ttl")
            made = write_html(page_graph, folder / "graph.html")
        result.outputs["html"] = made
        timings["html"] += time.perf_counter() - t
    if ntriples_file is not None:
        ntriples_file.unlink(missing_ok=True)


def _write_statements(sink, extractions, resolution, events) -> None:
    """Every document's statements, then the corpus's, to *sink*."""
    from .graph import add_corpus_statements, add_document_statements

    by_doc = defaultdict(list)
    for ev in events:
        for doc_id, _, _ in ev.evidence:
            by_doc[doc_id].append(ev)
    for ex in extractions:
        add_document_statements(sink, ex, resolution, by_doc.get(ex.doc.id, ()))
    add_corpus_statements(sink, resolution, events)


#: Graphs whose N-Triples are at most this large are loaded into the page
#: process's memory (about half the time of writing the store, which the
#: page would otherwise wait for); larger ones are read from the store. The
#: page process takes about 3.5 bytes a byte of them, beside the build:
#: at 256 MiB, a build of one 5 MB document peaked at 990 MiB.
PAGE_MEMORY_BYTES = 64 * 1024 * 1024
#: A build whose page process was not started with it (worker processes and
#: the model already loaded) starts one from this many documents; smaller
#: ones make the page in-process (the start-up would cost more).
PARALLEL_PAGE_DOCS = 100


def _saver(cache):
    def save(ex: Extraction) -> None:
        cache.save_doc(ex.doc)
        cache.save_extraction(ex)

    return save


#: Corpora up to this many documents are held in memory and also built as an
#: in-memory rdflib graph (``BuildResult.graph``); larger ones are read back
#: from the build cache one document at a time, their statements stream to
#: the Oxigraph store and ``BuildResult.graph`` is a read-only graph over it.
KEEP_GRAPH_DOCS = 1000


class _Corpus(Sequence):
    """The extractions of a build, in document order (a re-iterable sequence).

    Up to :data:`KEEP_GRAPH_DOCS` documents they are held in memory; past
    that, when the build has a cache, only their ids are, and every pass
    (resolution, events, graph) reads them back from the cache one at a
    time, so memory does not grow with the corpus."""

    def __init__(self, cache) -> None:
        self.cache = cache
        self.held: dict[str, Extraction] = {}
        self.ids: list[str] = []
        self.spilled = False
        self.reused = 0
        self.stats: Counter = Counter()

    def add(self, ex: Extraction, reused: bool = False) -> None:
        self.reused += reused
        self.stats.update(mentions=len(ex.mentions), relations=len(ex.relations), quotations=len(ex.quotations))
        self.ids.append(ex.doc.id)
        if not self.spilled:
            self.held[ex.doc.id] = ex
            if self.cache is not None and len(self.held) > KEEP_GRAPH_DOCS:
                self.spilled, self.held = True, {}

    def seal(self) -> "_Corpus":
        self.ids.sort()
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        doc_id = self.ids[i]
        return self.cache.load_extraction(doc_id) if self.spilled else self.held[doc_id]

    def __iter__(self):
        for i in range(len(self.ids)):
            yield self[i]


class _NTriplesSink:
    """Writes added triples as N-Triples lines (duplicates are dropped by the
    store), as rdflib's N-Triples serializer would; the IRIs of recent
    subjects and every predicate are written from a memo."""

    def __init__(self, fh) -> None:
        from rdflib import Literal
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


def _merge_tsv(merges) -> bytes:
    def cell(value: str | None) -> str:
        return (value or "").replace("\t", " ").replace("\n", " ")

    rows = ["entity\tname\treason\tdocument"]
    rows += [f"{cell(m.entity)}\t{cell(m.name)}\t{cell(m.reason)}\t{cell(m.doc_id)}" for m in merges]
    return ("\n".join(rows) + "\n").encode("utf-8")
