"""The extract stage's engine: which way each document goes.

A document the build cache knows is read back from it; the others go
through the NLP in this process (:func:`kg.nlp.extract.extract`), in forked
worker processes (:mod:`kg.run.workers`) or on a dask cluster
(:mod:`kg.run.distributed`), the cache files written beside spaCy (in a
thread, or in the workers). The documents built into the output folder
before and not given now are kept. Whatever the way, the extractions are
the same, and come out as a :class:`~kg.run.spill.Corpus` in document order.
"""

from __future__ import annotations

import time

from .spill import Corpus

__all__ = ["CACHED", "PARSED", "READ", "extract_corpus"]

#: The counters of a build's progress display: documents read (of the
#: files found), parsed by spaCy, and taken from the build cache.
READ, PARSED, CACHED = "documents read", "parsed", "from the build cache"


def extract_corpus(docs, out, *, model, gazetteers, progress, batch_size, timings, fresh, workers, dask) -> Corpus:
    """The extractions of *docs* (and of the documents built into *out*
    before), from the build cache or the NLP."""
    from ..nlp.extract import extract
    from ..nlp import load_pipeline
    from .threads import BackgroundWorker
    from .workers import extract_parallel

    t = time.perf_counter()
    progress.stage("loading the spaCy pipeline")
    nlp = load_pipeline(model, gazetteers)
    timings["model"] += time.perf_counter() - t
    progress.stage("reading and NLP", READ, PARSED, CACHED)
    cache = None
    if out is not None:
        from ..cache import BuildCache, fingerprint

        cache = BuildCache(out, fingerprint(nlp, gazetteers))
        if fresh:
            cache.clear()
    held = Corpus(cache)
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
    timings["nlp"] += time.perf_counter() - t
    return extractions


def _saver(cache):
    def save(ex) -> None:
        cache.save_doc(ex.doc)
        cache.save_extraction(ex)

    return save
