"""A build's extractions, held in memory or, for a large corpus, read back
from the build cache one document at a time (the corpus spill).

:data:`KEEP_GRAPH_DOCS` is the knob: up to that many documents stay in
memory (and the build makes an in-memory rdflib graph); past it every pass
over the corpus (resolution, events, graph) reads them back from the cache.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..records import Extraction

__all__ = ["KEEP_GRAPH_DOCS", "Corpus"]

#: Corpora up to this many documents are held in memory and also built as an
#: in-memory rdflib graph (``BuildResult.graph``); larger ones are read back
#: from the build cache one document at a time, their statements stream to
#: the Oxigraph store and ``BuildResult.graph`` is a read-only graph over it.
KEEP_GRAPH_DOCS = 1000


class Corpus(Sequence):
    """The extractions of a build, in document order (a re-iterable sequence).

    Up to :data:`KEEP_GRAPH_DOCS` documents they are held in memory; past
    that, when the build has a cache, only their ids are, and every pass
    (resolution, events, graph) reads them back from the cache one at a
    time, so memory does not grow with the corpus.

    *cache* is the build's :class:`~kg.cache.BuildCache` (or None: then
    everything is held). :meth:`add` each extraction as it comes,
    :meth:`seal` when all have: the sequence is then in document-id order.
    ``spilled`` says whether they were left in the cache, ``reused`` how
    many came from it, ``stats`` the mentions, relations and quotations
    counted over all."""

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

    def seal(self) -> "Corpus":
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
