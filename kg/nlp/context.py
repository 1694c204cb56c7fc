"""The shared sentence context of one parsed chunk: its entities by token,
sentence numbering, the gazetteer, and the extra mentions the extraction
rules add (a demonym read as its country, a country named inside a longer
name). Relations, events, facts and quotations all read the same context."""

from __future__ import annotations

import bisect

import numpy

from ..records import EventCandidate
from .rules import event_noun_words, relation_rules, titles_by_last
from .titles import find_title

#: Word sets -> the sorted hashes of their words (see Context.positions_of).
_HASHES: dict[frozenset, object] = {}

__all__ = ["AGENT_TYPES", "KG_TYPES", "Context", "Demonym", "Standin", "phrase"]

AGENT_TYPES = ("Person", "Country", "Organization")
KG_TYPES = frozenset({"Person", "Country", "Organization", "Place", "Initiative", "Event"})


class Context:
    def __init__(self, sdoc, offset, sent_spans, gazetteer):
        self.doc = sdoc
        self.offset = offset
        self.sent_spans = sent_spans
        self.sent_starts = [a for a, _ in sent_spans]
        self.gazetteer = gazetteer
        self.ent_of = {}
        # doc.ents builds new Span objects on every access: read it once
        self.all_ents = list(sdoc.ents)
        self.ents = [e for e in self.all_ents if e.label_ in KG_TYPES]
        for ent in self.ents:
            for t in ent:
                self.ent_of[t.i] = ent
        self.extra_mentions: dict[tuple[int, int], dict] = {}
        #: (sentence, entities) of the last call, meeting or visit with two sides, for "the two leaders"
        # (sentence, parties) of every call or meeting told, in the order the rules met them
        self.parties_told: list[tuple[int, list]] = []
        self._person_titles: dict[str, list] | None = None
        self._lower = None
        #: the document's publication date (ISO), when known
        self.date: str | None = None
        self.numeric_ents: list | None = None  # the numeric entities (kg.nlp.relations._quantities)
        #: who "we" are, when a joint statement says so ("We, the Leaders of ...")
        self.we: list | None = None
        self.rules = relation_rules()
        self.speech = set(self.rules["speech_verbs"])

    def person_titles(self) -> dict[str, list]:
        """Lowercased title -> the Person entities written with it ("vice
        president" -> [Kamala Harris]), in text order."""
        if self._person_titles is None:

            self._person_titles = {}
            for ent in self.ents:
                if ent.label_ == "Person":
                    found = find_title(self.doc, ent.start)
                    if found is not None:
                        title = found[1].lower().replace("former ", "")
                        self._person_titles.setdefault(title, []).append(ent)
                        # "Vice President Kamala Harris" is also "the Vice President"
        return self._person_titles

    def positions_of(self, words) -> list[int]:
        """Indices of the tokens whose lowercase form is one of *words* (read
        from the LOWER array once, so no Token object is made for the rest)."""
        if self._lower is None:
            from spacy.attrs import LOWER

            self._lower = self.doc.to_array(LOWER)
        key = words if isinstance(words, frozenset) else frozenset(words)
        hashes = _HASHES.get(key)
        if hashes is None:
            from spacy.strings import hash_string

            hashes = _HASHES[key] = numpy.array(sorted(hash_string(w) for w in key), dtype=numpy.uint64)
        return numpy.flatnonzero(numpy.isin(self._lower, hashes)).tolist()

    def event_noun_words(self) -> frozenset[str]:
        """Nouns that name a happening of their own ("meeting", "visit", "inauguration")."""
        return event_noun_words()

    def sent_index(self, token_i: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, token_i) - 1)

    def span(self, ent) -> tuple[int, int]:
        return (ent.start_char + self.offset, ent.end_char + self.offset)

    def entity_in(self, token, types=None, deep=True):
        """The entity at *token*, or the first one in its subtree."""
        ent = self.ent_of.get(token.i)
        if ent is not None and (types is None or ent.label_ in types):
            return ent
        if not deep:
            return None
        # "Secretary General of the Executive Committee of the PLO Hussein
        # al-Sheikh": a title whose holder's name closes the phrase is that person
        titled = ent is None and (types is None or "Person" in types) and token.lower_ in titles_by_last()
        first = None
        for t in token.subtree:
            if t.dep_ in ("relcl", "acl", "advcl", "ccomp") and t is not token:
                continue
            ent = self.ent_of.get(t.i)
            if ent is not None and (types is None or ent.label_ in types):
                # only when the entity is not inside a clause nested below *token*
                # (the clause *token* itself sits in does not matter)
                if not any(a.dep_ in ("relcl", "ccomp", "advcl") for a in t.ancestors
                           if a.i != token.i and token.is_ancestor(a)):
                    if not titled or ent.label_ == "Person":
                        return ent
                    first = first or ent
        return first

    def add_mention(self, start: int, end: int, text: str, etype: str, entry, rule: str, token_i: int,
                    label: str | None = None) -> tuple[int, int]:
        """Record a mention the NER did not give (document offsets); returns its
        span. Its *label* is the gazetteer entry's, else *label*, else *text*."""
        key = (start + self.offset, end + self.offset)
        if key not in self.extra_mentions:
            self.extra_mentions[key] = {
                "start": key[0], "end": key[1], "text": text, "surface": text, "type": etype,
                "label": entry.label if entry is not None else label or text, "sentence": self.sent_index(token_i),
                "rule": rule, "gazetteer_id": entry.id if entry is not None else None, "title": None,
            }
        return key


class Standin:
    """A stand-in for a spaCy entity over tokens [start, end): a name the
    rules found ("the Kenyan President" read as the office-holder)."""

    def __init__(self, doc, start: int, end: int, label: str, kb_id: str):
        self.start, self.end = start, end
        self.start_char, self.end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        self.label_ = label
        self.kb_id_ = kb_id
        self.text = doc[start:end].text
        self.root = doc[start:end].root

    def __iter__(self):
        return iter(self.root.doc[self.start:self.end])

    def __len__(self) -> int:
        return self.end - self.start


class Demonym:
    """A stand-in for a spaCy entity: a demonym read as its country."""

    def __init__(self, token, entry):
        self.start, self.end = token.i, token.i + 1
        self.start_char, self.end_char = token.idx, token.idx + len(token.text)
        self.label_ = "Country"
        self.text = token.text
        self.entry = entry


def phrase(tokens, limit: int = 200, keep_det: bool = False) -> str:
    """The words of ``tokens`` as the text spaces them ("People's",
    "high-level"), articles and determiners left out unless ``keep_det``,
    at most ``limit`` characters."""
    text = "".join(t.text_with_ws for t in tokens if (keep_det or t.dep_ != "det") and not t.is_space)
    return " ".join(text.split())[:limit]


def candidate(*, sentence: int, type: str, trigger: str, trigger_start: int, phrase: str, rule: str,
              agents=(), targets=(), places=(), roles=(), dates=(), quantities=(), tense: str = "other"):
    """An :class:`~kg.records.EventCandidate` of this chunk (``doc_id`` and
    the sentence number are the document's once the chunks are assembled)."""

    return EventCandidate(
        doc_id="", sentence=sentence, type=type, trigger=trigger, trigger_start=trigger_start, phrase=phrase,
        rule=rule, agents=tuple(tuple(a) for a in agents), targets=tuple(tuple(t) for t in targets),
        places=tuple(tuple(p) for p in places), roles=tuple((tuple(s), r) for s, r in roles), dates=tuple(dates),
        quantities=tuple(quantities), tense=tense)
