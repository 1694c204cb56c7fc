"""kg's spaCy components.

``kg_entity_ruler`` (before ``ner``)
    Finds gazetteer names (countries, organisations and their acronyms,
    people, initiatives) and capitalised names with a head word ("... Bank",
    "... Initiative", "Institute of ...") and sets them as entities with kg's
    types as labels and the gazetteer row as ``kb_id``. The statistical NER
    then predicts around them.
``kg_entity_typer`` (after ``ner``)
    Maps the NER's labels to kg's six types, trims determiners, quotes and
    possessives from the edges, retypes names by their head word and by
    apposition ("Bokova, the former Director-General ..." is a Person), and
    drops what is not a name ("Ideas", "Insist", "Arriving").
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..gazetteer import Gazetteer, load_gazetteer
from ..records import ENTITY_TYPES
from .rules import name_rules, titles, titles_by_first, titles_by_last

__all__ = ["KGEntityRuler", "KGEntityTyper", "SPACY_TO_KG", "find_title", "paragraph_sentences"]

#: spaCy NER label -> kg type (labels not listed are not entities for kg).
SPACY_TO_KG = {
    "PERSON": "Person",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "ORG": "Organization",
    "EVENT": "Event",
}

#: NER labels kept as they are: dates and quantities feed events and facts.
_KEEP_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

_EDGE_DROP = {"the", "a", "an", '"', "'", "'s", "s", "(", ")", "[", "]", ",", ".", ";", ":", "-", "—", "–", "of", "and", "for", "on", "in", "at", "to", "by", "with", "his", "her", "its", "their", "our", "this", "that", "these", "those", "“", "”", "’s", "’", "‘"}


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@Language.component("kg_paragraphs", requires=["token.text"], assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break starts a sentence: no sentence spans two paragraphs or a
    heading and its text. Runs before the parser, which respects it."""
    # Line breaks are whitespace tokens (a token's own trailing whitespace is
    # at most one space), so only those few tokens need looking at.
    n = len(doc)
    for i in doc.to_array("IS_SPACE").nonzero()[0]:
        i = int(i)
        if i + 1 < n and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


@Language.factory(
    "kg_entity_ruler",
    default_config={"gazetteers": []},
    requires=["token.text"],
    assigns=["doc.ents"],
)
def make_entity_ruler(nlp: Language, name: str, gazetteers: list[str]):
    return KGEntityRuler(nlp, name, load_gazetteer(tuple(gazetteers)))


class KGEntityRuler:
    """Gazetteer names and head-word name patterns, as typed entities."""

    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._types: dict[str, str] = {}
        exact: dict[str, list[Doc]] = {}
        folded: dict[str, list[Doc]] = {}
        for entry in gazetteer.entries.values():
            self._types[entry.id] = entry.type
            for form in entry.acronyms:
                exact.setdefault(entry.id, []).append(nlp.make_doc(form))
            for form in entry.names:
                doc = nlp.make_doc(form)
                if len(doc) == 1:
                    exact.setdefault(entry.id, []).append(doc)
                else:
                    folded.setdefault(entry.id, []).append(doc)
                    if entry.type == "Initiative" and doc[-1].is_alpha:
                        # "global development initiatives"
                        words = [t.text for t in doc[:-1]] + [_plural(doc[-1].text)]
                        folded[entry.id].append(Doc(nlp.vocab, words=words))
        for key, docs in sorted(exact.items()):
            self.exact.add(key, docs)
        for key, docs in sorted(folded.items()):
            self.folded.add(key, docs)
        rules = name_rules()
        self._name_types = dict(rules["heads"])
        self._heads_before_of = frozenset(rules["heads_before_of"])
        self._after_head = frozenset(rules["connectors_after_head"])
        self._inside = frozenset(rules["connectors_inside"])
        self._never_start = set(rules["never_start"])

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[tuple[int, int, int, str, str]] = []  # (start, end, priority, label, kb_id)
        for match_id, start, end in list(self.exact(doc)) + list(self.folded(doc)):
            key = doc.vocab.strings[match_id]
            candidates.append((start, end, 0, self._types[key], key))
        for start, end in self._name_spans(doc):
            span = self._trim_name(doc[start:end])
            if span is None:
                continue
            head = self._head(span)
            if head is None:
                continue
            candidates.append((span.start, span.end, 1, self._name_types[head], "rule:name-pattern"))
        # Longest span wins; on equal spans the gazetteer (priority 0) wins.
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        taken: set[int] = {t.i for ent in doc.ents for t in ent}
        chosen = []
        for start, end, _, label, kb_id in candidates:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            chosen.append(Span(doc, start, end, label=label, kb_id=kb_id))
        doc.set_ents(sorted(chosen, key=lambda s: s.start), default="unmodified")
        return doc

    def _name_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Maximal spans of capitalised words around a head word:
        "Title words ... Head" ("Asian Infrastructure Investment Bank") and
        "Title words Head of|for|on (the) Title words" ("Moscow Institute of
        International Relations"). Works on the ORTH array, so no Token
        object is made for the words in between."""
        strings = doc.vocab.strings
        words = [strings[h] for h in doc.to_array("ORTH")]
        n = len(words)

        def capital(w: str) -> bool:
            return w[:1].isupper() or w[:1].isdigit()

        spans = []
        for i, w in enumerate(words):
            if w not in self._name_types:
                continue
            j = i
            while j > 0 and (capital(words[j - 1]) or words[j - 1] in self._inside):
                j -= 1
            if i > j:
                spans.append((j, i + 1))
            if w in self._heads_before_of and i + 2 < n and words[i + 1].lower() in self._after_head:
                k = i + 2
                if words[k].lower() == "the":
                    k += 1
                end = k
                while end < n and (words[end][:1].isupper() or words[end] == "-"):
                    end += 1
                if end > k:
                    left = i
                    while left > 0 and capital(words[left - 1]):
                        left -= 1
                    spans.append((left, end))
        return spans

    def _trim_name(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].text in self._never_start or not doc[start].text[:1].isupper()):
            start += 1
        while end > start and not (doc[end - 1].text[:1].isupper() or doc[end - 1].text[:1].isdigit()):
            end -= 1
        # "X and the Y Organization" coordinates two names: keep the one with the head.
        for i in range(end - 2, start, -1):
            if doc[i].lower_ == "and" and doc[i + 1].lower_ == "the":
                start = i + 2
                break
        if end - start < 2:
            return None
        return doc[start:end]

    def _head(self, span: Span) -> str | None:
        # "Summit of the Shanghai Cooperation Organization" is a summit: a head
        # followed by of/for/on decides before the last word does.
        for token in span[:-1]:
            if token.text in self._name_types and span.doc[token.i + 1].lower_ in ("of", "for", "on"):
                return token.text
        if span[-1].text in self._name_types:
            return span[-1].text
        return None


@Language.factory(
    "kg_entity_typer",
    default_config={"gazetteers": []},
    requires=["doc.ents", "token.pos"],
    assigns=["doc.ents"],
)
def make_entity_typer(nlp: Language, name: str, gazetteers: list[str]):
    return KGEntityTyper(name, load_gazetteer(tuple(gazetteers)), nlp)


class KGEntityTyper:
    """Map NER labels to kg types, clean spans and drop non-names."""

    def __init__(self, name: str, gazetteer: Gazetteer, nlp: Language | None = None) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self._nlp = nlp
        rules = name_rules()
        self._place_heads = set(rules["place_heads"])
        self._event_heads = set(rules["event_heads"])
        self._name_types = dict(rules["heads"])
        self._common_words: frozenset[str] | None = None

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        for ent in doc.ents:
            if ent.label_ == "Country" and self._subdivision_here(ent):
                out.append(Span(doc, ent.start, ent.end, label="Place", kb_id="rule:subdivision"))
                continue
            if ent.label_ in ENTITY_TYPES or ent.label_ in _KEEP_LABELS:
                out.append(ent)
                continue
            kg_type = SPACY_TO_KG.get(ent.label_)
            if kg_type is None:
                continue
            span = _trim(ent)
            if span is None or not self._is_name(span):
                continue
            if len(span) == 1 and ent.label_ in ("FAC", "ORG", "EVENT") and self._common(span[0]):
                continue  # "Peace", "Olympic": common words the NER took for names
            if self.gazetteer.ambiguous.get(span.text, ("",))[0] == "countries":
                # "Congo": a country for sure, but which one the text does not say
                out.append(Span(doc, span.start, span.end, label="Country", kb_id="rule:ambiguous-country"))
                continue
            entry = self.gazetteer.lookup(span.text)
            if entry is not None:
                out.append(Span(doc, span.start, span.end, label=entry.type, kb_id=entry.id))
                continue
            kg_type = self._retype(span, kg_type)
            out.append(Span(doc, span.start, span.end, label=kg_type, kb_id="rule:ner"))
        out.extend(self._appositive_people(doc, out))
        doc.set_ents(filter_spans(out), default="missing")
        return doc

    def _subdivision_here(self, ent: Span) -> bool:
        """"Atlanta, Georgia" or "the state of Georgia": the name of a country
        used for a subdivision of another country (ambiguous.csv)."""
        if self.gazetteer.ambiguous.get(ent.text, ("",))[0] != "subdivision":
            return False
        doc = ent.doc
        i = ent.start
        if i >= 2 and doc[i - 1].text == "," and (doc[i - 2].ent_type_ in ("Place", "GPE") or doc[i - 2].pos_ == "PROPN") \
                and doc[i - 2].ent_type_ != "Country":
            return True
        before = " ".join(t.lower_ for t in doc[max(0, i - 3):i])
        return before.endswith(("state of", "province of", "prefecture of", "u.s. state", "us state"))

    def _common(self, token) -> bool:
        """Is *token* (lowercased) an ordinary English word (WordNet index)?"""
        if self._common_words is None:
            self._common_words = _common_words(self._nlp) if self._nlp is not None else frozenset()
        return token.lower_ in self._common_words and not token.is_upper

    def _retype(self, span: Span, kg_type: str) -> str:
        head = span[-1].text
        if _appositive_title(span.doc, span.end) is not None:
            return "Person"
        if kg_type != "Person":
            if head in self._event_heads:
                return "Event"
            if head in self._place_heads:
                return "Place"
            if kg_type in ("Place", "Organization") and head in self._name_types and len(span) > 1:
                return self._name_types[head]
        elif head in self._place_heads:
            return "Place"
        return kg_type

    @staticmethod
    def _is_name(span: Span) -> bool:
        text = span.text
        if len(text) < 2 or not any(c.isalpha() for c in text):
            return False
        if len(span) == 1 and text.endswith("."):
            return False  # "St."
        proper = [t for t in span if t.pos_ == "PROPN" or t.tag_ in ("NNP", "NNPS") or (t.is_upper and len(t) > 1)]
        if not proper:
            return False  # "Ideas", "Insist", "Arriving": capitalised common words
        if not span[0].text[:1].isupper() and not span[0].text[:1].isdigit():
            return False
        return True

    def _appositive_people(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names followed by ", (the) (former) <title> of": people the NER missed."""
        taken = {t.i for ent in ents for t in ent}
        found = []
        comma = doc.vocab.strings[","]
        for i in [i for i, orth in enumerate(doc.to_array("ORTH")) if orth == comma]:
            token = doc[i]
            if token.i == 0:
                continue
            if _appositive_title(doc, token.i) is None:
                continue
            end = token.i
            start = end
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper() and start - 1 not in taken:
                start -= 1
            if start < end and end - start <= 4:
                found.append(Span(doc, start, end, label="Person", kb_id="rule:apposition"))
        return found


def _common_words(nlp: Language) -> frozenset[str]:
    """Base forms of the lemmatizer's word index (WordNet nouns, verbs,
    adjectives, adverbs), or nothing when the pipeline has no lemmatizer."""
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            for values in lookups.get_table("lemma_index").values():
                words.update(values)
    return frozenset(words)


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _EDGE_DROP:
        start += 1
    while end > start and (doc[end - 1].lower_ in _EDGE_DROP or doc[end - 1].text in ("'s", "’s")):
        end -= 1
    # An opening bracket without its closing one: "... Prevention (Phase"
    for i in range(start, end):
        if doc[i].text == "(" and not any(doc[j].text == ")" for j in range(i, end)):
            end = i
            break
    while end > start and doc[end - 1].lower_ in _EDGE_DROP:
        end -= 1
    if end <= start:
        return None
    return doc[start:end]


def _appositive_title(doc: Doc, comma: int) -> str | None:
    """If *comma* starts ", (the) (former) <title>", return the title."""
    if comma >= len(doc) or doc[comma].text != ",":
        return None
    i = comma + 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    if i < len(doc) and doc[i].lower_ in ("former", "then", "current", "late", "incumbent"):
        i += 1
    return _title_at(doc, i)


def _title_at(doc: Doc, i: int) -> str | None:
    if i >= len(doc):
        return None
    candidates = titles_by_first().get(doc[i].lower_)
    if not candidates:
        return None
    lowered = [t.lower_ for t in doc[i:i + 6]]
    for phrase in candidates:
        if tuple(lowered[:len(phrase)]) == phrase and (len(phrase) > 1 or doc[i].text[:1].isupper() or phrase[0] in ("secretary", "director")):
            return doc[i:i + len(phrase)].text
    return None


def find_title(doc: Doc, start: int) -> tuple[int, str] | None:
    """A title right before token *start* ("President Xi", "UN Secretary-General
    Guterres", "Former Japanese Prime Minister Yasuo Fukuda").

    Returns ``(first_token, title_text)``; the title text keeps "former" and
    drops country or organisation modifiers.
    """
    best = None
    if start == 0:
        return None
    for phrase in titles_by_last().get(doc[start - 1].lower_, ()):
        n = len(phrase)
        if start - n < 0:
            continue
        window = tuple(t.lower_ for t in doc[start - n:start])
        if window == phrase and doc[start - n].text[:1].isupper():
            best = (start - n, doc[start - n:start].text)
            break
    if best is None:
        return None
    first, text = best
    # Modifiers before the title: an organisation/country acronym or name, a
    # demonym, "former".
    i = first
    while i > 0:
        prev = doc[i - 1]
        if prev.lower_ in ("former", "then", "late"):
            text = "former " + text if prev.lower_ == "former" else text
            i -= 1
            continue
        if prev.ent_type_ in ("Country", "Organization") or (
            prev.pos_ in ("PROPN", "ADJ") and prev.text[:1].isupper() and prev.ent_type_ != "Person"
            and not prev.is_sent_start
        ):
            i -= 1
            continue
        break
    return i, text
