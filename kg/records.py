"""Typed, frozen records handed from one stage to the next.

The flow is ``SourceDoc -> (spaCy Doc) -> Extraction -> Entity -> Graph``.
spaCy objects never leave :mod:`kg.nlp`; rdflib objects never enter it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "ENTITY_TYPES",
    "SourceDoc",
    "Sentence",
    "Mention",
    "Extraction",
    "Entity",
    "Merge",
    "Skipped",
    "MetadataSkipped",
    "MarkupSkipped",
    "Span",
    "Relation",
    "EventCandidate",
    "Quotation",
    "DateMention",
    "Quantity",
]

#: The entity classes of the ontology, in a fixed order (used to break ties).
ENTITY_TYPES: tuple[str, ...] = (
    "Person",
    "Country",
    "Organization",
    "Place",
    "Initiative",
    "Event",
)


@dataclass(frozen=True)
class SourceDoc:
    """One input document after ingest and normalisation.

    id
        Stable identifier: the first 16 hex digits of the SHA-256 of ``text``.
    text
        The normalised article text; every character offset refers to it.
    source
        Where the document came from (a file path, or ``path#record`` for a
        record of a corpus file).
    title, date, url, publisher, author, language
        Document metadata where the input gives it (``date`` as ISO
        ``YYYY-MM-DD``), else ``None``.
    keywords
        The document's tags or keywords (front matter ``tags``), in their order.
    credits
        Editorial credits found in the page furniture, as ``(role, name)``
        pairs, e.g. ``("editor", "He Chuanning")``.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    credits: tuple[tuple[str, str], ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: its character span and text."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a document.

    start, end
        Character offsets of the name in the document text (``text``).
    surface
        The surface form including an attached title, e.g.
        ``"President Xi Jinping"`` (equal to ``text`` when there is none).
    type
        One of :data:`ENTITY_TYPES`.
    label
        The cleaned name used for matching and as the default label.
    gazetteer_id
        ``table:id`` of the gazetteer row the mention matched, if any.
    title
        A title or position attached to a person mention ("President").
    sentence
        Index of the sentence in :attr:`Extraction.sentences`.
    rule
        The component or rule that produced the mention (``gazetteer``,
        ``ner``, ``name-pattern``, ``apposition``, ``compound``).
    """

    doc_id: str
    start: int
    end: int
    text: str
    surface: str
    type: str
    label: str
    sentence: int
    rule: str
    gazetteer_id: str | None = None
    title: str | None = None


#: A character span ``(start, end)`` in a document: how relations, events and
#: quotations point at mentions (resolution maps them to entities).
Span = tuple[int, int]


@dataclass(frozen=True)
class Relation:
    """A relation between two mentions found in one sentence.

    predicate
        A property local name of the ontology (``proposed``, ``visited``,
        ``holdsPosition``...), or ``relatedTo`` with ``verb`` saying which verb.
    rule
        Rule id: ``verb:<lemma>``, ``title``, ``apposition``.
    """

    doc_id: str
    sentence: int
    subject: Span
    predicate: str
    object: Span
    verb: str
    rule: str
    title: str | None = None


@dataclass(frozen=True)
class DateMention:
    """A date expression (NER DATE span) and where it is."""

    doc_id: str
    start: int
    end: int
    text: str
    sentence: int


@dataclass(frozen=True)
class EventCandidate:
    """A happening found in one sentence, before dates are normalised.

    agents / targets / places
        Mention spans of who acted, who or what was acted on, and where.
    roles
        ``(span, role)`` for agents described by a noun phrase
        ("Chinese rescue team" -> China, role "rescue team").
    dates
        The date expressions of the sentence, nearest to the trigger first.
    phrase
        The trigger phrase as written ("signed and issued a joint statement").
    tense
        ``past`` or ``present`` (a finite verb: it happened, or the readout
        reports it), ``future`` ("will meet", "plans to visit": planned), or
        ``other``; an undated past or present event takes the publication date.
    """

    doc_id: str
    sentence: int
    type: str
    trigger: str
    trigger_start: int
    phrase: str
    rule: str
    agents: tuple[Span, ...] = ()
    targets: tuple[Span, ...] = ()
    places: tuple[Span, ...] = ()
    roles: tuple[tuple[Span, str], ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple["Quantity", ...] = ()
    tense: str = "other"


@dataclass(frozen=True)
class Quantity:
    """A number the text states about a happening: "more than 2.2 billion
    doses of vaccines" -> value ``2200000000``, qualifier ``more than``,
    item ``doses of vaccines``."""

    value: str
    item: str
    text: str
    qualifier: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Quotation:
    """A quoted statement, its span and (when the text says) its speaker."""

    doc_id: str
    start: int
    end: int
    text: str
    sentence: int
    speaker: Span | None
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document, as plain records.

    ``paragraphs[i]`` is the paragraph number of ``sentences[i]``.
    """

    doc: SourceDoc
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = ()
    events: tuple[EventCandidate, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    dates: tuple[DateMention, ...] = ()
    paragraphs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Merge:
    """Why a mention's name was folded into an entity (the merge log)."""

    entity: str
    name: str
    reason: str
    doc_id: str | None = None


@dataclass(frozen=True)
class Entity:
    """A resolved, canonical entity: one graph node.

    key
        The stable slug the IRI is minted from (unique per type).
    label
        The canonical name (``rdfs:label``).
    alt_labels
        Every other surface form seen (``skos:altLabel``), sorted.
    qid
        Wikidata QID (``Q148``) when the gazetteer links it unambiguously.
    titles
        Titles or positions seen attached to the entity (people).
    mention_count, doc_count
        How many mentions name it, in how many documents.
    geonames, coords
        GeoNames id and ``(latitude, longitude)`` of a gazetteer place.
    """

    key: str
    type: str
    label: str
    alt_labels: tuple[str, ...] = ()
    qid: str | None = None
    titles: tuple[str, ...] = ()
    mention_count: int = 0
    doc_count: int = 0
    geonames: str | None = None
    coords: tuple[float, float] | None = None


@dataclass(frozen=True)
class Skipped:
    """A document that was reported and skipped, with the reason."""

    source: str
    reason: str
    hint: str | None = None
    #: Whether the document's text was read all the same (see :class:`MetadataSkipped`).
    text_read: ClassVar[bool] = False


@dataclass(frozen=True)
class MetadataSkipped(Skipped):
    """The metadata of a document that was reported and ignored (front matter
    that cannot be read, a date that is no date); the document's text was
    read all the same."""

    text_read: ClassVar[bool] = True


@dataclass(frozen=True)
class MarkupSkipped(Skipped):
    """The markup of a document that was reported and read as well as it
    could be (Markdown nested deeper than its parser follows, read as plain
    text; HTML nested deeper than libxml2 reads, read down to that depth; a
    CSV quote never closed, closed at the end of its line); the document's
    text was read all the same."""

    text_read: ClassVar[bool] = True
