"""A built graph read once into plain records: entities, events, stated
relations, sentences and documents.

The tables and network files (:mod:`kg.events_table`, :mod:`kg.network`)
read the graph through this index, so both see the same entities, the same
events and the same states behind each actor. Every collection is sorted, so
what is made from it is the same for the same graph, whatever store holds it
(an in-memory rdflib graph or the Oxigraph store of a large build).

The index asks the graph for each entity's, event's, statement's and cited
sentence's triples (``predicate_objects``), never for the whole graph: the
documents' texts, mentions and quotations are not read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from .countrycodes import Country, country_by_qid, country_by_slug, place_country
from .ns import ID, KGO, NIF, SCHEMA
from .records import ENTITY_TYPES

__all__ = ["Node", "Event", "Relation", "Sentence", "Document", "GraphIndex", "POSITION_PREDICATES",
           "actor_pairs", "date_precision", "local_name"]

#: Position relations that make a person an office-holder of the country they
#: point to (kgo:ambassadorTo and kgo:formerlyHeld do not: an ambassador to
#: Japan does not act for Japan).
POSITION_PREDICATES = ("headOfState", "headOfGovernment", "viceHeadOfState", "foreignMinisterOf", "ministerOf",
                       "officialOf", "leaderOf", "holdsPosition")
#: kgo: properties of entities and events that are not relations between two entities.
_NOT_RELATIONS = {"agent", "target", "eventType", "mentionedIn", "said", "speaker", "participation", "participant",
                  "represents", "quantity", "evidence"}
_WIKIDATA = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/")
_GEONAMES = "https://sws.geonames.org/"
_PRECISION = {XSD.date: "day", XSD.gYearMonth: "month", XSD.gYear: "year"}


def local_name(iri: str) -> str:
    """The last segment of an IRI.

    >>> local_name("https://w3id.org/kg/ontology#metWith")
    'metWith'
    >>> local_name("https://w3id.org/kg/ontology#event-type/Visit")
    'Visit'
    """
    return str(iri).replace("#", "/").rstrip("/").rsplit("/", 1)[-1]


def date_precision(start: Literal | None, end: Literal | None) -> str:
    """``day``, ``month`` or ``year`` by the datatype of a start date, ``range``
    when the end differs from the start, ``""`` when there is no date.

    >>> from rdflib import Literal
    >>> date_precision(Literal("2023-03", datatype=XSD.gYearMonth), None)
    'month'
    >>> date_precision(Literal("2023-03-01", datatype=XSD.date), Literal("2023-03-03", datatype=XSD.date))
    'range'
    """
    if start is None:
        return ""
    if end is not None and str(end) != str(start):
        return "range"
    found = _PRECISION.get(getattr(start, "datatype", None))
    if found:
        return found
    return {4: "year", 7: "month"}.get(len(str(start)), "day")


@dataclass(frozen=True)
class Node:
    """An entity (or an extracted event) of the graph.

    iri
        Its IRI, the node id of the network files.
    type
        Its kgo class: ``Person``, ``Country``, ``Organization``, ``Place``,
        ``Initiative`` or ``Event``.
    label
        Its ``rdfs:label`` (the first in sorted order if there are several).
    qid
        Its Wikidata item (``Q148``) when it is ``owl:sameAs`` one, else ``""``.
    geonames
        Its GeoNames id when it has one, else ``""``.
    mention_count
        ``kgo:mentionCount``: how many times the documents name it (0 for an
        extracted event, which is not a name).
    named
        True for an entity named in the text (it has a mention count); False
        for an event node made from a happening the text tells.
    latitude, longitude
        Its ``schema:geo`` coordinates as written in the graph, else ``""``.
    """

    iri: str
    type: str
    label: str
    qid: str = ""
    geonames: str = ""
    mention_count: int = 0
    named: bool = True
    latitude: str = ""
    longitude: str = ""


@dataclass(frozen=True)
class Event:
    """A happening: a node with a ``kgo:eventType``.

    type, type_label, cameo
        The event type's local name (``Visit``), its label and its CAMEO code
        (``""`` for types with none).
    start, end, precision
        ISO dates as the graph writes them (``2023-03-14``, ``2023-03``,
        ``2023``) and ``day``/``month``/``year``/``range``; ``""`` when undated.
    inferred
        ``kgo:dateInferred``; ``None`` when undated.
    agents, targets, participants
        IRIs of the agents, the targets and the other participants (neither
        agent nor target), each sorted.
    place
        IRI of its ``schema:location``, or ``None``.
    represents
        ``(participant, state or body)`` pairs of its qualified participations.
    evidence
        Its evidence sentences, earliest document first (publication date,
        document id, offset).
    """

    iri: str
    label: str
    type: str
    type_label: str
    cameo: str
    start: str
    end: str
    precision: str
    inferred: bool | None
    date_source: str
    planned: bool
    agents: tuple[str, ...]
    targets: tuple[str, ...]
    participants: tuple[str, ...]
    place: str | None
    represents: tuple[tuple[str, str], ...]
    evidence: tuple[str, ...]
    documents: tuple[str, ...]


def actor_pairs(event: Event) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
    """The actor pairs of *event*, ``((actor1, role), (actor2, role))``; a side
    may be ``None``. Each agent with each target or other participant; with
    nobody on the other side, each pair of agents ("A and B met"); else each
    actor alone; ``[(None, None)]`` for an event without actors."""
    side1 = [(a, "agent") for a in event.agents]
    side2 = [(t, "target") for t in event.targets] + [(p, "participant") for p in event.participants]
    if side1 and side2:
        return [(a, b) for a in side1 for b in side2 if a[0] != b[0]]
    if len(side1) > 1:
        return list(combinations(side1, 2))
    if side1:
        return [(side1[0], None)]
    if side2:
        return [(None, b) for b in side2]
    return [(None, None)]


@dataclass(frozen=True)
class Relation:
    """A stated relation ``subject -predicate-> object`` between two entities.

    predicate
        The kgo property's local name (``metWith``, ``headOfState``).
    verbs
        The verbs behind a ``relatedTo`` (from its reified statements).
    statements
        How many reified statements (one per document) support it.
    evidence
        Their distinct evidence sentences (IRIs, sorted).
    """

    subject: str
    predicate: str
    object: str
    verbs: tuple[str, ...] = ()
    statements: int = 0
    evidence: tuple[str, ...] = ()

    @property
    def weight(self) -> int:
        """The number of evidence sentences; 1 for a triple stated without any."""
        return max(1, len(self.evidence))


@dataclass(frozen=True)
class Sentence:
    iri: str
    text: str
    document: str
    begin: int


@dataclass(frozen=True)
class Document:
    iri: str
    id: str
    url: str
    date: str
    title: str


def _first(values) -> str:
    values = sorted(str(v) for v in values)
    return values[0] if values else ""


def _is_true(values) -> bool:
    return any(str(v).strip().lower() in ("true", "1") for v in values)


class GraphIndex:
    """The entities, events, relations, cited sentences and documents of *graph*."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.nodes: dict[str, Node] = {}
        self.events: dict[str, Event] = {}
        self.sentences: dict[str, Sentence] = {}
        self.documents: dict[str, Document] = {}
        self._props: dict[str, dict[URIRef, list]] = {}  # node -> its properties and values
        self._links: dict[str, dict[str, set[str]]] = {}  # node -> kgo property -> node IRIs
        self._read_nodes()
        self.relations: list[Relation] = self._read_relations()
        self._read_events()

    # ------------------------------------------------------------------ reading

    def _properties(self, subject: str) -> dict[URIRef, list]:
        found: dict[URIRef, list] = defaultdict(list)
        for p, o in self.graph.predicate_objects(URIRef(subject)):
            found[p].append(o)
        return found

    def _read_nodes(self) -> None:
        for t in ENTITY_TYPES:
            for s in sorted({str(s) for s in self.graph.subjects(RDF.type, KGO[t]) if isinstance(s, URIRef)}):
                if s in self.nodes:
                    continue  # typed twice: the first type in ENTITY_TYPES order wins
                props = self._props[s] = self._properties(s)
                same = sorted(str(o) for o in props.get(OWL.sameAs, ()))
                qid = next((o.rsplit("/", 1)[-1] for o in same if o.startswith(_WIKIDATA)), "")
                geonames = next((o[len(_GEONAMES):].strip("/") for o in same if o.startswith(_GEONAMES)), "")
                count = _first(props.get(KGO.mentionCount, ()))
                lat = lon = ""
                for geo in sorted(props.get(SCHEMA.geo, ())):
                    geo_props = self._properties(str(geo))
                    lat, lon = _first(geo_props.get(SCHEMA.latitude, ())), _first(geo_props.get(SCHEMA.longitude, ()))
                    if lat and lon:
                        break
                self.nodes[s] = Node(s, t, _first(props.get(RDFS.label, ())) or local_name(s), qid, geonames,
                                     int(count) if count.isdigit() else 0, named=bool(count),
                                     latitude=lat if lon else "", longitude=lon if lat else "")
        for s, props in self._props.items():
            links: dict[str, set[str]] = defaultdict(set)
            for p, objects in props.items():
                if not str(p).startswith(str(KGO)):
                    continue
                name = str(p)[len(str(KGO)):]
                if name in _NOT_RELATIONS:
                    continue
                for o in objects:
                    if isinstance(o, URIRef) and str(o) in self.nodes and str(o) != s:
                        links[name].add(str(o))
            self._links[s] = links

    def _read_relations(self) -> list[Relation]:
        support: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"verbs": set(), "n": 0, "evidence": set()})
        for st in sorted({str(x) for x in self.graph.subjects(RDF.type, RDF.Statement)}):
            props = self._properties(st)
            s, p, o = (_first(props.get(x, ())) for x in (RDF.subject, RDF.predicate, RDF.object))
            if not p.startswith(str(KGO)):
                continue
            entry = support[(s, p[len(str(KGO)):], o)]
            entry["n"] += 1
            entry["verbs"] |= {str(v) for v in props.get(KGO.verb, ())}
            entry["evidence"] |= {str(e) for e in props.get(KGO.evidence, ())}
        relations = []
        for s in sorted(self._links):
            for p in sorted(self._links[s]):
                for o in sorted(self._links[s][p]):
                    entry = support.get((s, p, o), {"verbs": (), "n": 0, "evidence": ()})
                    relations.append(Relation(s, p, o, tuple(sorted(entry["verbs"])), entry["n"],
                                              tuple(sorted(entry["evidence"]))))
        return relations

    def _document(self, iri: str) -> Document:
        found = self.documents.get(iri)
        if found is None:
            props = self._properties(iri)
            found = self.documents[iri] = Document(
                iri, _first(props.get(SCHEMA.identifier, ())) or local_name(iri), _first(props.get(SCHEMA.url, ())),
                _first(props.get(SCHEMA.datePublished, ())), _first(props.get(SCHEMA.headline, ())))
        return found

    def _sentence(self, iri: str) -> Sentence | None:
        found = self.sentences.get(iri)
        if found is None:
            props = self._properties(iri)
            text = _first(props.get(NIF.anchorOf, ()))
            doc = _first(props.get(NIF.referenceContext, ()))
            if not text:
                return None
            begin = _first(props.get(NIF.beginIndex, ()))
            found = self.sentences[iri] = Sentence(iri, text, doc, int(begin) if begin.isdigit() else 0)
            if doc:
                self._document(doc)
        return found

    def _read_events(self) -> None:
        concepts: dict[str, tuple[str, str]] = {}
        for iri in sorted(self.nodes):
            props = self._props[iri]
            etype = _first(props.get(KGO.eventType, ()))
            if not etype:
                continue
            if etype not in concepts:
                cprops = self._properties(etype)
                concepts[etype] = (_first(cprops.get(KGO.cameoCode, ())),
                                   _first(cprops.get(RDFS.label, ())) or local_name(etype))
            cameo, type_label = concepts[etype]
            starts, ends = sorted(props.get(SCHEMA.startDate, ())), sorted(props.get(SCHEMA.endDate, ()))
            start, end = (starts[0] if starts else None), (ends[-1] if ends else None)
            agents = {str(o) for o in props.get(KGO.agent, ())}
            targets = {str(o) for o in props.get(KGO.target, ())} - {iri}
            others = {str(o) for o in props.get(SCHEMA.participant, ())} - agents - targets - {iri}
            represents = set()
            for part in props.get(KGO.participation, ()):
                pprops = self._properties(str(part))
                for who in pprops.get(KGO.participant, ()):
                    for state in pprops.get(KGO.represents, ()):
                        represents.add((str(who), str(state)))
            sentences = [s for s in (self._sentence(str(e)) for e in props.get(KGO.evidence, ())) if s is not None]
            for d in props.get(PROV.wasDerivedFrom, ()):
                self._document(str(d))
            sentences.sort(key=lambda s: self._order(s.document) + (s.begin, s.iri))
            documents = {s.document for s in sentences if s.document} | {str(d) for d in props.get(PROV.wasDerivedFrom, ())}
            places = sorted(str(o) for o in props.get(SCHEMA.location, ()) if str(o) in self.nodes)
            self.events[iri] = Event(
                iri=iri, label=self.nodes[iri].label, type=local_name(etype), type_label=type_label, cameo=cameo,
                start=str(start) if start is not None else "",
                end=str(end if end is not None else start) if start is not None else "",
                precision=date_precision(start, end),
                inferred=_is_true(props.get(KGO.dateInferred, ())) if start is not None else None,
                date_source=_first(props.get(KGO.dateSource, ())),
                planned=_is_true(props.get(KGO.planned, ())),
                agents=tuple(sorted(a for a in agents if a in self.nodes)),
                targets=tuple(sorted(t for t in targets if t in self.nodes)),
                participants=tuple(sorted(p for p in others if p in self.nodes)),
                place=places[0] if places else None,
                represents=tuple(sorted(represents)),
                evidence=tuple(s.iri for s in sentences),
                documents=tuple(sorted(documents, key=self._order)),
            )

    def _order(self, doc: str) -> tuple[str, str]:
        d = self.documents.get(doc)
        return ((d.date or "9999") if d else "9999", d.id if d else doc)

    # ------------------------------------------------------------------ states and places

    def links(self, iri: str, predicate: str) -> tuple[str, ...]:
        """The nodes *iri* points to by the kgo property *predicate*, sorted."""
        return tuple(sorted(self._links.get(iri, {}).get(predicate, ())))

    def country_code(self, iri: str | None) -> Country | None:
        """The gazetteer country (with its ISO code) a Country node is: by its
        Wikidata item, else by its IRI's slug."""
        node = self.nodes.get(iri or "")
        if node is None or node.type != "Country":
            return None
        if node.qid:
            return country_by_qid(node.qid)
        if iri.startswith(f"{ID}country/"):
            return country_by_slug(local_name(iri))
        return None

    @cached_property
    def _offices(self) -> dict[str, tuple[str, ...]]:
        offices = {}
        for iri, node in self.nodes.items():
            if node.type == "Person":
                states = {c for p in POSITION_PREDICATES for c in self.links(iri, p)
                          if self.nodes[c].type == "Country"}
                offices[iri] = tuple(sorted(states))
        return offices

    def state_of(self, iri: str, event: Event | None = None) -> str | None:
        """The Country node an actor is or acts for: itself for a country; for
        a person, the state the event's qualified participation says they
        represent, else the one country their position relations name (head of
        state or government, foreign minister, minister, official); ``None``
        when there is none, or several."""
        node = self.nodes.get(iri)
        if node is None:
            return None
        if node.type == "Country":
            return iri
        if event is not None:
            states = sorted({s for who, s in event.represents if who == iri})
            if states:  # what the text says they act for here, even a body rather than a state
                only = states[0] if len(states) == 1 else None
                return only if only in self.nodes and self.nodes[only].type == "Country" else None
        if node.type == "Person":
            offices = self._offices.get(iri, ())
            return offices[0] if len(offices) == 1 else None
        return None

    def country_of_place(self, iri: str | None) -> tuple[str, Country | None]:
        """``(label, gazetteer country)`` of the country a place lies in: the
        place itself if a Country; else the gazetteer's country of the place
        (by GeoNames id or Wikidata item); else the one Country the graph's
        ``locatedIn``/``capitalOf`` relations reach first, through other
        places. ``("", None)`` when unknown or ambiguous."""
        node = self.nodes.get(iri or "")
        if node is None:
            return "", None
        if node.type == "Country":
            return node.label, self.country_code(iri)
        if node.geonames or node.qid:
            found = place_country(node.geonames, node.qid)
            if found is not None:
                return found.label, found
        seen, frontier = {iri}, [iri]
        while frontier:
            reached = sorted({o for s in frontier for p in ("locatedIn", "capitalOf") for o in self.links(s, p)} - seen)
            countries = [o for o in reached if self.nodes[o].type == "Country"]
            if countries:
                return (self.nodes[countries[0]].label, self.country_code(countries[0])) if len(countries) == 1 \
                    else ("", None)
            seen |= set(reached)
            frontier = [o for o in reached if self.nodes[o].type == "Place"]
        return "", None
