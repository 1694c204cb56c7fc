"""SHACL validation of a kg graph against ``ontology/shapes.ttl``.

:func:`validate_graph` runs pySHACL with the shapes, the ontology
(``ontology/kg.ttl``, for RDFS inference) and the gazetteer of countries (for
the Wikidata-link check), and returns a :class:`Report` of plain records::

    from kg.store import open_graph
    from kg.validate import validate_graph

    report = validate_graph(open_graph("out/graph.ttl"))
    if not report.conforms:
        print(report.text())

The ontology and shapes are read from the installed package
(``kg/data/ontology/``) when it ships them, else from the source checkout's
``ontology/`` folder.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .errors import KGError
from .ns import KGSH, ontology_text

__all__ = [
    "Violation",
    "Report",
    "validate_graph",
    "ontology_text",
    "load_shapes",
    "load_ontology",
    "gazetteer_graph",
]

#: Namespace of the shapes (and of the gazetteer facts kg.validate adds).
SHAPES_NS = str(KGSH)

_SH = "http://www.w3.org/ns/shacl#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# What names a node in a message, best first: entities, concepts, mentions and
# sentences, quotations.
_NAME_PROPERTIES = (
    _RDFS_LABEL,
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf",
    "https://schema.org/text",
)
_MAX_NAME = 70
# An IRI that pySHACL wrote into a message (for {$this}, {?value}): shortened there too.
_IRI_IN_TEXT = re.compile(r"https?://[^\s()<>\"']+[^\s()<>\"'.,;:]")


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: a node that breaks a rule.

    message
        What is wrong, in words (the shape's ``sh:message``).
    focus
        The node that breaks it, prefixed where a prefix fits (``country:china``).
    label
        A name of that node from the graph (its ``rdfs:label``, or the text of
        a mention, sentence or quotation), shortened; ``None`` if it has none.
    path
        The property concerned (``rdfs:label``), or ``None`` for a rule on the
        node as a whole.
    value
        The offending value, or ``None`` (e.g. for a missing property).
    severity
        ``Violation``, ``Warning`` or ``Info``.
    shape
        The shape that holds the rule, e.g. ``kgsh:EntityShape`` (``None`` for
        a rule written inline).
    component
        The SHACL constraint that failed, e.g. ``MaxCountConstraintComponent``.
    """

    message: str
    focus: str
    label: str | None
    path: str | None
    value: str | None
    severity: str
    shape: str | None
    component: str


@dataclass
class Report:
    """The outcome of :func:`validate_graph`.

    conforms
        ``True`` when the graph breaks no rule.
    violations
        Every result, sorted by message, then node.
    graph
        The SHACL validation report itself (an rdflib ``Graph``), for
        :meth:`turtle` and for tools that read SHACL reports.
    """

    conforms: bool
    violations: list[Violation]
    graph: object = field(repr=False, default=None)

    def groups(self) -> dict[tuple[str, str | None], list[Violation]]:
        """Violations grouped by (message, path), in a stable order."""
        out: dict[tuple[str, str | None], list[Violation]] = defaultdict(list)
        for v in self.violations:
            out[(v.message, v.path)].append(v)
        return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or "")))

    def text(self, limit: int = 10) -> str:
        """A readable report: one block per rule broken, with the count and
        up to *limit* of the nodes (all of them when *limit* is 0)."""
        if self.conforms:
            return "The graph conforms to the shapes: no violations.\n"
        groups = self.groups()
        n = len(self.violations)
        lines = [f"The graph does not conform: {n} violation{'s' * (n != 1)} "
                 f"of {len(groups)} rule{'s' * (len(groups) != 1)}.", ""]
        for (message, path), items in groups.items():
            lines.append(f"[{len(items)}] {message}")
            lines.append(f"    path: {path}" if path else "    path: (the node itself)")
            shown = items if limit <= 0 else items[:limit]
            for v in shown:
                entry = f"    - {v.focus}"
                if v.label:
                    entry += f' "{v.label}"'
                if v.value is not None and v.value != v.focus:
                    entry += f"  value: {v.value}"
                lines.append(entry)
            if len(items) > len(shown):
                lines.append(f"    ... and {len(items) - len(shown)} more (--limit 0 lists all)")
            lines.append("")
        return "\n".join(lines)

    def turtle(self) -> str:
        """The SHACL validation report as Turtle."""
        from .ns import bind_prefixes

        if self.graph is None:
            raise KGError("this report has no SHACL report graph", hint="use validate_graph() to make one")
        graph = bind_prefixes(self.graph)
        graph.bind("sh", _SH)
        graph.bind("kgsh", SHAPES_NS)
        return graph.serialize(format="turtle")


@lru_cache(maxsize=2)
def _parsed(name: str):
    # Shared by every validation: pySHACL reads the shapes and ontology graphs
    # and never changes them (tests/test_validate.py checks it).
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ontology_text(name), format="turtle", publicID=f"file:///kg/ontology/{name}")
    return graph


def _copy(graph):
    from rdflib import Graph

    out = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    out += graph
    return out


def load_shapes():
    """The SHACL shapes graph (``ontology/shapes.ttl``), a fresh copy."""
    return _copy(_parsed("shapes.ttl"))


def load_ontology():
    """The ontology graph (``ontology/kg.ttl``), a fresh copy."""
    return _copy(_parsed("kg.ttl"))


@lru_cache(maxsize=1)
def _country_names() -> tuple[tuple[str, str], ...]:
    """(QID, name) for the label and every alias of each bundled country."""
    text = resources.files("kg.data").joinpath("gazetteer", "countries.csv").read_text("utf-8")
    pairs = set()
    for row in csv.DictReader(io.StringIO(text)):
        qid = (row.get("qid") or "").strip()
        if qid:
            for name in [row.get("label") or ""] + (row.get("aliases") or "").split("|"):
                if name.strip():
                    pairs.add((qid, name.strip()))
    return tuple(sorted(pairs))


def gazetteer_graph(names: set[str] | None = None):
    """The bundled gazetteer of countries as ``wd:Q… kgsh:countryName "name"``
    triples (label and aliases), which the shape of Countries compares with;
    only the *names* given, if any. :func:`validate_graph` adds them to (a copy
    of) the graph it checks."""
    from rdflib import Graph, Literal

    from .ns import WD

    predicate = KGSH.countryName
    graph = Graph()
    for qid, name in _country_names():
        if names is None or name in names:
            graph.add((WD[qid], predicate, Literal(name)))
    return graph


def _event_types(ontology):
    """The event-type concepts of the ontology (kgo:EventTypes), whole."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from .ns import KGO

    graph = Graph()
    for concept in ontology.subjects(SKOS.inScheme, KGO.EventTypes):
        graph += ontology.triples((concept, None, None))
    return graph


def _short(node, graph) -> str:
    from rdflib import Literal, URIRef

    if isinstance(node, URIRef):
        try:
            prefix, _, local = graph.namespace_manager.compute_qname(str(node), generate=False)
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                return f"{prefix}:{local}"
        except (KeyError, ValueError):
            pass
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return f"_:{node}"


def _name(node, graph) -> str | None:
    from rdflib import URIRef

    for prop in _NAME_PROPERTIES:
        values = sorted(str(v) for v in graph.objects(node, URIRef(prop)))
        if values:
            text = " | ".join(values)
            return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1].rstrip() + "…"
    return None


def _path(node, graph) -> str | None:
    from rdflib import BNode

    if node is None:
        return None
    if isinstance(node, BNode):  # kg's shapes use plain properties only
        return "(a complex SHACL path)"
    return _short(node, graph)


def _records(results, data, shapes) -> list[Violation]:
    from rdflib import Namespace, URIRef

    sh = Namespace(_SH)
    out = []
    # Top-level results only: nested ones (sh:detail) repeat what they explain.
    for result in results.objects(None, sh.result):
        focus = results.value(result, sh.focusNode)
        value = results.value(result, sh.value)
        shape = results.value(result, sh.sourceShape)
        component = results.value(result, sh.sourceConstraintComponent)
        severity = results.value(result, sh.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, sh.resultMessage))
        message = messages[0] if messages else f"breaks {_short(component, shapes)}"
        out.append(Violation(
            message=_IRI_IN_TEXT.sub(lambda m: _short(URIRef(m.group(0)), data), message),
            focus=_short(focus, data),
            label=_name(focus, data),
            path=_path(results.value(result, sh.resultPath), data),
            value=None if value is None else _short(value, data),
            severity=str(severity).rpartition("#")[2] if severity is not None else "Violation",
            shape=_short(shape, shapes) if shape is not None and not _is_bnode(shape) else None,
            component=str(component).rpartition("#")[2],
        ))
    return sorted(out)


def _is_bnode(node) -> bool:
    from rdflib import BNode

    return isinstance(node, BNode)


def validate_graph(graph, *, inference: str = "rdfs") -> Report:
    """Validate *graph* (an rdflib ``Graph`` as ``kg build`` writes it; a
    dataset's union) against kg's SHACL shapes.

    *inference* is pySHACL's: ``"rdfs"`` (the default) applies the ontology's
    subclasses, domains and ranges before checking; ``"none"`` checks the
    triples as they are. The graph itself is not changed.
    """
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError
    from rdflib.namespace import RDFS

    from .store import triples_graph

    shapes, ontology = _parsed("shapes.ttl"), _parsed("kg.ttl")
    graph = triples_graph(graph)  # quads: their union, as kg writes it
    data = _copy(graph)
    data.bind("kgsh", SHAPES_NS)
    # Reference facts the shapes compare with. pySHACL copies only the class and
    # property axioms of ont_graph into the data, so these go in directly.
    # Only the gazetteer's names the graph uses: the rest would only slow inference.
    data += gazetteer_graph({str(label) for label in graph.objects(None, RDFS.label)})
    data += _event_types(ontology)
    try:
        conforms, results, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference=inference,
            advanced=True, abort_on_first=False, allow_warnings=False,
        )
    except ReportableRuntimeError as err:
        raise KGError(f"SHACL validation failed to run: {err}", hint="is the graph well-formed RDF?") from err
    return Report(conforms=bool(conforms), violations=_records(results, data, shapes), graph=results)
