"""Finding entities by name.

Every command that takes a name (``kg query profile --param name=...``,
``kg viz --entity ...``) resolves it here, once, to the IRIs of the entities
it names; the queries then run on those IRIs, never on the name.

A name matches an entity's ``rdfs:label`` or any of its ``skos:altLabel``,
ignoring case, accents, dots, apostrophes, hyphens and spacing
(:func:`name_key`): ``xi jinping`` finds "Xi Jinping", ``Lopez Obrador``
finds "López Obrador". An IRI (``<https://...>``, ``https://...`` or a kg
prefixed name such as ``person:xi-jinping``) that the graph has is taken as
it is. When nothing matches, :class:`~kg.errors.EntityNotFound` carries the
closest names of the graph (names that contain the one given as whole words
first, then the most similar by :mod:`difflib`), one name per entity.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...   <urn:amlo> rdfs:label "Andrés Manuel López Obrador" ; skos:altLabel "López Obrador" .''')
>>> find_entities(g, "lopez obrador")
[rdflib.term.URIRef('urn:amlo')]
>>> find_entities(g, "Obrador")
Traceback (most recent call last):
...
kg.errors.EntityNotFound: no entity named 'Obrador' in the graph (did you mean: López Obrador?)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import EntityNotFound

if TYPE_CHECKING:  # rdflib is imported by the functions that need it
    from rdflib import Graph, URIRef

__all__ = ["Name", "name_key", "entity_names", "find_entities", "closest_names"]

#: How many close names a miss suggests.
SUGGESTIONS = 8

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
                          "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})
# Dropped inside words: "U.S." is "US", "People's" is "Peoples".
_DROPPED = re.compile(r"[.'\u2018\u2019\u02bc`\u00b4]")
# Everything else that is not a letter or digit separates words: "al-Assad" is "al Assad".
_SEPARATORS = re.compile(r"[\W_]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(\S+)\Z")


def name_key(text: str) -> str:
    """*text* as names are compared: case-folded, without accents, dots
    and apostrophes, other punctuation as spaces, single spaces.

    >>> name_key("  López  OBRADOR ")
    'lopez obrador'
    >>> name_key("Côte d’Ivoire"), name_key("U.S."), name_key("al-Assad"), name_key("Łukasz Ørsted")
    ('cote divoire', 'us', 'al assad', 'lukasz orsted')
    """
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_SEPARATORS.sub(" ", _DROPPED.sub("", text)).split())


@dataclass(frozen=True, order=True)
class Name:
    """One name of an entity: its ``rdfs:label`` (``preferred``) or one of
    its ``skos:altLabel``. ``label`` is the entity's ``rdfs:label`` (the
    name itself when it is the label)."""

    text: str
    entity: str
    label: str
    preferred: bool


def entity_names(graph: "Graph") -> list[Name]:
    """Every label and alternative label of the subjects of *graph*, sorted."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    labels: dict[str, str] = {}
    for s, o in graph.subject_objects(RDFS.label):
        if isinstance(s, URIRef) and isinstance(o, Literal):
            iri, text = str(s), str(o)
            if iri not in labels or text < labels[iri]:  # one label each, but deterministic if not
                labels[iri] = text
    names = {Name(text, iri, text, True) for iri, text in labels.items()}
    for s, o in graph.subject_objects(SKOS.altLabel):
        if isinstance(s, URIRef) and isinstance(o, Literal) and str(o) != labels.get(str(s)):
            names.add(Name(str(o), str(s), labels.get(str(s), str(o)), False))
    return sorted(names)


def _as_iri(graph: "Graph", text: str) -> "URIRef | None":
    """The IRI *text* writes (``<iri>``, an absolute IRI, or a prefixed name
    with one of kg's prefixes), if the graph has it as a subject."""
    from rdflib import URIRef

    from .ns import PREFIXES

    text = text.strip()
    if len(text) > 2 and text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif (m := _PREFIXED.match(text)) and m.group(1) in PREFIXES:
        iri = PREFIXES[m.group(1)] + m.group(2)
    elif _SCHEME.match(text) and not re.search(r"\s", text):
        iri = text
    else:
        return None
    if re.search(r'[\s<>"{}|\\^`]', iri):
        return None
    ref = URIRef(iri)
    return ref if (ref, None, None) in graph else None


def find_entities(graph: "Graph", name: str) -> "list[URIRef]":
    """The IRIs of the entities of *graph* that *name* names, sorted.

    *name* is an IRI the graph has, or a name compared by :func:`name_key`
    with every ``rdfs:label`` and ``skos:altLabel``. Several entities may
    share a name ("Georgia" the country and the place): all are returned.
    Raises :class:`~kg.errors.EntityNotFound`, with the closest names as
    suggestions, when no entity has it.
    """
    from rdflib import URIRef

    iri = _as_iri(graph, str(name))
    if iri is not None:
        return [iri]
    names = entity_names(graph)
    key = name_key(str(name))
    found = sorted({n.entity for n in names if key and name_key(n.text) == key})
    if not found:
        raise EntityNotFound(str(name), [(n.text, n.label) for n in closest_names(names, str(name))])
    return [URIRef(iri) for iri in found]


def closest_names(names: list[Name], name: str, n: int = SUGGESTIONS) -> list[Name]:
    """At most *n* of *names* closest to *name*, one per entity (its name
    closest to *name*): first those that contain *name* as whole words
    (``jinping``, ``lopez obrador``), then as the start of a word
    (``zelensk``), the shortest first; then those most like it
    (:mod:`difflib`'s ratio of at least 0.6: ``zelenski``, ``Xi Jinpin``).
    """
    key = name_key(name)
    if not key:
        return []
    word = re.compile(rf"(?:^| ){re.escape(key)}(?= |$)")
    start = re.compile(rf"(?:^| ){re.escape(key)}")
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    best: dict[str, tuple] = {}
    for item in names:
        candidate = name_key(item.text)
        if word.search(candidate):
            score = (0, 0.0)
        elif start.search(candidate):
            score = (1, 0.0)
        else:
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6 or matcher.ratio() < 0.6:
                continue
            score = (2, -matcher.ratio())
        ranked = (*score, len(candidate), not item.preferred, item.text)
        if item.entity not in best or ranked < best[item.entity][0]:
            best[item.entity] = (ranked, item)
    return [item for _, item in sorted(best.values())[:n]]
