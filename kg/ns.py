"""The one place where namespaces are declared and IRIs are minted.

Every IRI in the output goes through a function here (:func:`entity_iri`,
:func:`doc_iri`, :func:`sentence_iri`, :func:`mention_iri`,
:func:`statement_iri`, :func:`quotation_iri`, :func:`event_type_iri` ...) or a
namespace declared here, so any text, however odd, ends up as a valid,
readable and stable IRI.

The ``kgo:`` vocabulary (:data:`KGO`) is closed: its terms are the classes,
properties and concepts ``ontology/kg.ttl`` declares, and any other name
(a misspelt predicate in a rule file, say) raises
:class:`~kg.errors.UnknownTerm` instead of making a new IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import KGError, UnknownTerm

__all__ = [
    "BASE",
    "KGO",
    "SCHEMA",
    "NIF",
    "WD",
    "ID",
    "PREFIXES",
    "slugify",
    "entity_iri",
    "doc_iri",
    "sentence_iri",
    "mention_iri",
    "statement_iri",
    "quotation_iri",
    "quantity_iri",
    "participation_iri",
    "event_type_iri",
    "geonames_iri",
    "geo_iri",
    "wikidata_iri",
    "bind_prefixes",
    "ontology_text",
    "property_domains",
    "declared_terms",
]

class _Namespace(Namespace):
    """A Namespace whose terms are made (and checked) once, not per use;
    ``NS.name`` is then a plain attribute lookup (the graph stage makes a
    hundred thousand of them)."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        found = self.__dict__[name] = self.term(name)
        return found

    def term(self, name: str) -> URIRef:
        key = (str(self), name)
        found = _TERMS.get(key)
        if found is None:
            found = _TERMS[key] = super().term(name)
        return found


class _ClosedNamespace(_Namespace):
    """A :class:`_Namespace` whose only terms are those :func:`declared_terms`
    gives; any other name raises :class:`~kg.errors.UnknownTerm`. The check
    runs once per name (terms are remembered)."""

    def term(self, name: str) -> URIRef:
        if (str(self), name) not in _TERMS and name not in declared_terms():
            raise UnknownTerm(name, f"kgo:{name} is not declared in ontology/kg.ttl",
                              hint="check its spelling in the rule file or code that names it, "
                                   "or declare it in ontology/kg.ttl")
        return super().term(name)


_TERMS: dict[tuple[str, str], URIRef] = {}

#: Root of every IRI kg mints.
BASE = "https://w3id.org/kg/"
#: The ontology (classes and properties), see ``ontology/kg.ttl``.
KGO = _ClosedNamespace(BASE + "ontology#")
#: Resources (entities, documents, mentions).
ID = _Namespace(BASE + "id/")
#: schema.org, in its https form.
SCHEMA = _Namespace("https://schema.org/")
NIF = _Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = _Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = _Namespace("http://www.wikidata.org/entity/")
#: The SHACL shapes (``ontology/shapes.ttl``) and the reference facts
#: :mod:`kg.validate` adds for them.
KGSH = _Namespace(BASE + "shapes#")

_TYPE_SEGMENT = {
    "Person": "person",
    "Country": "country",
    "Organization": "organization",
    "Place": "place",
    "Initiative": "initiative",
    "Event": "event",
}

#: Prefixes bound on every graph kg writes (no ``ns1:`` in the output).
PREFIXES: dict[str, str] = {
    "kgo": str(KGO),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
    "doc": str(ID) + "doc/",
    **{seg: str(ID) + seg + "/" for seg in _TYPE_SEGMENT.values()},
}

_MAX_SLUG = 60


def slugify(text: str) -> str:
    """A lowercase ASCII slug of *text*: stable, readable, IRI-safe.

    Non-Latin text that transliterates to nothing, and over-long text, get a
    short hash so that distinct names keep distinct slugs.

    >>> slugify("Xi Jinping")
    'xi-jinping'
    >>> slugify("Côte d'Ivoire")
    'cote-d-ivoire'
    """
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return "x-" + digest
    if len(slug) > _MAX_SLUG:
        return slug[:_MAX_SLUG].rstrip("-") + "-" + digest
    return slug


#: Slugs of recent keys and document ids (the same ones recur in every statement).
_slug = lru_cache(maxsize=1 << 15)(slugify)


def entity_iri(entity_type: str, key: str) -> URIRef:
    """IRI of an entity of *entity_type* (one of the six classes) with *key*."""
    segment = _TYPE_SEGMENT[entity_type]
    return URIRef(f"{ID}{segment}/{_slug(key)}")


@lru_cache(maxsize=1 << 12)
def doc_iri(doc_id: str) -> URIRef:
    """IRI of a document, from its content-hash id."""
    return URIRef(f"{ID}doc/{_slug(doc_id)}")


def participation_iri(event: URIRef, participant: URIRef) -> URIRef:
    """IRI of one participant's part in an event: the event IRI, ``/participation/``
    and the participant's slug."""
    return URIRef(f"{event}/participation/{participant.rsplit('/', 1)[-1]}")


def sentence_iri(doc_id: str, start: int, end: int) -> URIRef:
    """IRI of a sentence: the document IRI with an RFC 5147 ``char=`` fragment."""
    return URIRef(f"{doc_iri(doc_id)}#char={int(start)},{int(end)}")


def mention_iri(doc_id: str, start: int, end: int) -> URIRef:
    """IRI of a mention (a NIF phrase): ``doc/<id>/m<start>-<end>``."""
    return URIRef(f"{doc_iri(doc_id)}/m{int(start)}-{int(end)}")


def statement_iri(doc_id: str, subject: URIRef, predicate: URIRef, obj: URIRef, verb: str = "") -> URIRef:
    """IRI of the reified statement of one relation read from one document:
    ``id/statement/`` and a slug and hash of the document, the triple and
    *verb* (given for ``kgo:relatedTo``, which verbs tell apart)."""
    key = f"{doc_id} {subject} {predicate} {obj} {verb}"
    return URIRef(f"{ID}statement/{slugify(key)[:40]}-{hashlib.sha256(key.encode()).hexdigest()[:10]}")


def quotation_iri(doc_id: str, start: int, end: int) -> URIRef:
    """IRI of a quotation: ``doc/<id>/q<start>-<end>``."""
    return URIRef(f"{doc_iri(doc_id)}/q{start}-{end}")


def quantity_iri(event: URIRef, number: int) -> URIRef:
    """IRI of an event's *number*-th quantity (from 1): the event IRI and ``/quantity-N``."""
    return URIRef(f"{event}/quantity-{number}")


def event_type_iri(name: str) -> URIRef:
    """IRI of an event type's concept (``kgo:EventTypes``): ``kgo:event-type/<name>``."""
    return KGO["event-type/" + name]


def geonames_iri(geonames_id: str) -> URIRef:
    """IRI of a GeoNames feature (its Semantic Web IRI); the id must be digits."""
    if not re.fullmatch(r"[1-9][0-9]*", str(geonames_id)):
        raise ValueError(f"not a GeoNames id: {geonames_id!r}")
    return URIRef(f"https://sws.geonames.org/{geonames_id}/")


def geo_iri(entity: URIRef) -> URIRef:
    """IRI of an entity's coordinates node: the entity IRI and ``/geo``."""
    return URIRef(f"{entity}/geo")


def wikidata_iri(qid: str) -> URIRef:
    """IRI of a Wikidata item; *qid* must look like ``Q123``."""
    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise ValueError(f"not a Wikidata QID: {qid!r}")
    return WD[qid]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind kg's prefixes on *graph* (replacing rdflib's defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


def ontology_text(name: str) -> str:
    """The text of ``kg.ttl`` or ``shapes.ttl``: from the installed package
    (``kg/data/ontology/``) if it ships it, else from the source checkout."""
    try:
        resource = resources.files("kg.data").joinpath("ontology", name)
        if resource.is_file():
            return resource.read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    checkout = Path(__file__).resolve().parent.parent / "ontology" / name
    try:
        return checkout.read_text("utf-8")
    except OSError as err:
        raise KGError(f"cannot find the ontology file {name}",
                      hint="reinstall kg (it ships kg/data/ontology/) or run from a source checkout") from err


#: What makes a subject of ``ontology/kg.ttl`` a term of the vocabulary.
_DECLARING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                    RDFS.Class, SKOS.ConceptScheme, SKOS.Concept)


#: The entity types a domain class of ``ontology/kg.ttl`` admits.
_DOMAIN_TYPES = {"Agent": frozenset({"Person", "Country", "Organization"}), "Person": frozenset({"Person"}),
                 "Organization": frozenset({"Organization"}), "Place": frozenset({"Place"}),
                 "Event": frozenset({"Event"}), "Country": frozenset({"Country"}), "Initiative": frozenset({"Initiative"})}


@lru_cache(maxsize=1)
def property_domains() -> dict[str, frozenset[str]]:
    """``kgo:`` property local name -> the entity types (Person, Country, ...)
    its ``rdfs:domain`` in ``ontology/kg.ttl`` admits; properties whose domain
    is ``owl:Thing`` or not an entity class are left out (anything goes)."""
    ontology = Graph()
    ontology.parse(data=ontology_text("kg.ttl"), format="turtle")
    base = str(KGO)
    out = {}
    for prop, domain in ontology.subject_objects(RDFS.domain):
        name, cls = str(prop)[len(base):], str(domain)[len(base):]
        if str(prop).startswith(base) and str(domain).startswith(base) and cls in _DOMAIN_TYPES:
            out[name] = _DOMAIN_TYPES[cls]
    return out


@lru_cache(maxsize=1)
def declared_terms() -> frozenset[str]:
    """The local names of the ``kgo:`` terms ``ontology/kg.ttl`` declares
    (classes, properties, the event-type scheme and its concepts
    ``event-type/NAME``): the closed vocabulary of :data:`KGO`."""
    ontology = Graph()
    ontology.parse(data=ontology_text("kg.ttl"), format="turtle")
    base = str(KGO)
    return frozenset(str(s)[len(base):] for kind in _DECLARING_TYPES for s in ontology.subjects(RDF.type, kind)
                     if isinstance(s, URIRef) and str(s).startswith(base) and len(str(s)) > len(base))
