"""The graph as the view reads it: :class:`StoreReader` answers the read
calls of :func:`kg.viz.model.collect` from an Oxigraph store directly."""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["StoreReader"]


class StoreReader:
    """The read calls :func:`collect` makes, answered by the pyoxigraph
    store behind an Oxigraph-backed graph directly. The page asks tens of
    thousands of them; through rdflib's store plugin each one also builds a
    context graph per triple, which makes the page twice as slow.

    A predicate asked for subject after subject (labels, sentence texts,
    the parts of each reified statement) is read once, whole, after
    :attr:`BULK_AFTER` lookups: one scan of the store instead of thousands
    of point lookups. Each subject's objects keep the store's order."""

    #: Point lookups of one predicate before it is read whole.
    BULK_AFTER = 32

    def __init__(self, graph: Graph, store) -> None:
        import pyoxigraph

        self.graph, self.store, self.ox = graph, store, pyoxigraph
        self.default = pyoxigraph.DefaultGraph()
        self._nodes: dict = {}
        self._iris: dict[str, URIRef] = {}
        self._string = str(XSD.string)
        self._asked: Counter = Counter()
        self._bulk: dict = {}  # predicate -> {store subject: [store objects]}

    def _node(self, term):
        if term is None:
            return None
        found = self._nodes.get(term)
        if found is None:
            found = self.ox.NamedNode(str(term)) if isinstance(term, URIRef) else self.ox.BlankNode(str(term))
            if len(self._nodes) < 10_000:
                self._nodes[term] = found
        return found

    def _term(self, t):
        kind = type(t)
        if kind is self.ox.NamedNode:
            value = t.value
            found = self._iris.get(value)
            if found is None:
                found = URIRef(value)
                if len(self._iris) < 50_000:
                    self._iris[value] = found
            return found
        if kind is self.ox.Literal:
            if t.language:
                return Literal(t.value, lang=t.language)
            datatype = t.datatype.value
            return Literal(t.value) if datatype == self._string else Literal(t.value, datatype=URIRef(datatype))
        return BNode(t.value)

    def _quads(self, s, p, o):
        if isinstance(o, Literal):  # not asked by the page: let rdflib match literals
            return None
        return self.store.quads_for_pattern(self._node(s), self._node(p), self._node(o), self.default)

    def objects(self, s, p):
        index = self._bulk.get(p)
        if index is None:
            self._asked[p] += 1
            if self._asked[p] < self.BULK_AFTER:
                return (self._term(q.object) for q in self._quads(s, p, None))
            index = self._bulk[p] = defaultdict(list)
            for q in self.store.quads_for_pattern(None, self._node(p), None, self.default):
                index[q.subject].append(q.object)
        return (self._term(o) for o in index.get(self._node(s), ()))

    def value(self, s, p):
        return next(self.objects(s, p), None)

    def subjects(self, p, o):
        quads = self._quads(None, p, o)
        if quads is None:
            return self.graph.subjects(p, o)
        return (self._term(q.subject) for q in quads)

    def subject_objects(self, p):
        return ((self._term(q.subject), self._term(q.object)) for q in self._quads(None, p, None))

    def predicate_objects(self, s):
        return ((self._term(q.predicate), self._term(q.object)) for q in self._quads(s, None, None))
