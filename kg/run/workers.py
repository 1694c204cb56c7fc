"""Extraction in forked worker processes (``kg build --workers N``).

Each worker inherits the loaded spaCy pipeline (fork, copy-on-write), does
the whole extraction of a batch of documents (:func:`kg.nlp.extract.extract`)
and sends back plain records, in the documents' order. A worker dies with
the build (:mod:`kg.lifeline`) and keeps the heap it frees for the next
batch (:func:`keep_freed_heap`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from ..nlp.extract import extract
from ..records import Extraction, SourceDoc

__all__ = ["WORKER_TRIM_BYTES", "extract_parallel", "keep_freed_heap"]

_WORKER_NLP = None
_WORKER_SAVE = None


#: Free heap a worker process keeps for its next batch rather than return to
#: the system (glibc's ``M_TRIM_THRESHOLD``). A batch frees 64-128 MB at the
#: top of a worker's heap; at glibc's default threshold the worker gave it
#: back and faulted it in again for the next batch: about 375,000 page
#: faults per worker on 400 documents, over a second of kernel time between
#: two workers. At most this much stays resident in each worker.
WORKER_TRIM_BYTES = 256 << 20
_M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>


def keep_freed_heap(nbytes: int = WORKER_TRIM_BYTES) -> bool:
    """Have glibc's malloc keep up to *nbytes* of freed memory at the top of
    the heap for reuse (``mallopt(M_TRIM_THRESHOLD)``); False where the C
    library has no ``mallopt`` (not glibc), which is harmless.

    Called in each worker process as it starts. Not in a process that has
    yet to load the model: fixing the threshold also fixes glibc's mmap
    threshold where it is, and before the model's large allocations have
    raised it, every large array would be mapped and unmapped anew.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(_M_TRIM_THRESHOLD, min(nbytes, 2**31 - 1)) == 1


def _extract_batch(batch: list[SourceDoc]) -> list[Extraction]:
    found = list(extract(batch, _WORKER_NLP))
    if _WORKER_SAVE is not None:
        for ex in found:
            _WORKER_SAVE(ex)
    return found


def _start_worker(parent: int) -> None:
    """A worker dies with the build (a killed build leaves no worker writing
    its cache) and keeps the heap it frees (:func:`keep_freed_heap`)."""
    from ..lifeline import die_with_parent

    die_with_parent(parent)
    keep_freed_heap()


def extract_parallel(docs: Iterable[SourceDoc], nlp, *, workers: int, batch: int = 8,
                     save: Callable[[Extraction], object] | None = None) -> Iterator[Extraction]:
    """:func:`extract` in *workers* forked processes, in the order of *docs*.

    Each worker inherits the loaded pipeline (fork, copy-on-write) and does
    the whole extraction, spaCy and kg's rules alike, returning plain records;
    at most ``2 * workers`` batches are in flight (and the last
    ``batch * workers`` documents, sent one by one), so memory stays bounded
    whatever the corpus size. (spaCy's own ``n_process`` sends every parsed
    Doc back to the parent and leaves kg's rules serial.) *save*, if given,
    is called on each extraction in the worker (the build cache is written
    there, not in the parent). Workers keep the heap a batch frees for the
    next one (:func:`keep_freed_heap`).
    """
    import multiprocessing
    from collections import deque

    global _WORKER_NLP, _WORKER_SAVE
    _WORKER_NLP, _WORKER_SAVE = nlp, save
    context = multiprocessing.get_context("fork")
    # The last documents are held back and sent one per task, so that the
    # workers finish together (an 8-document batch is half a second of work).
    held_back = batch * workers
    with context.Pool(workers, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        ahead: deque[SourceDoc] = deque()
        for doc in docs:
            ahead.append(doc)
            if len(ahead) >= held_back + batch:
                pending.append(pool.apply_async(_extract_batch, ([ahead.popleft() for _ in range(batch)],)))
                while len(pending) >= 2 * workers:
                    yield from pending.popleft().get()
        while ahead:
            pending.append(pool.apply_async(_extract_batch, ([ahead.popleft()],)))
        while pending:
            yield from pending.popleft().get()
