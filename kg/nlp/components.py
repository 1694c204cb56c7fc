"""kg's spaCy components.

``kg_entity_ruler`` (before ``ner``; requires ``token.text``, assigns
``doc.ents`` and ``doc.spans``)
    Finds gazetteer names (countries, organisations and their acronyms,
    people, places, initiatives) and names by how English builds them, from
    the head-word rules of ``name_patterns.json``: a capitalised run ending
    in a head ("Asian Infrastructure Investment Bank"), a head continued by
    "of/for/on/to (the) ..." or a number ("Ministry of Foreign Affairs",
    "Plan to Eliminate ...", "Task Force 59"), a capitalised name before a
    lowercase head ("COVID-19 pandemic", "Nord Stream pipelines"), an
    ordinal before a session or congress ("the 79th session of the UN
    General Assembly"), a war named by its place ("the war in Ukraine"),
    "Operation X". The head decides the type. They become entities with
    kg's types as labels and the gazetteer row (or ``rule:name-pattern``) as
    ``kb_id``; the statistical NER then predicts around them. Gazetteer names
    that need evidence (``GazEntry.needs_evidence``) go to
    ``doc.spans["kg_pending"]`` for the typer; gazetteer names nested in a
    longer pattern name to ``doc.spans["kg_nested"]``. Several-word names of
    armed groups, NGOs and political bodies (``CASED_KINDS``) count only
    with their last word capitalised ("an Islamic state" is no name).
``kg_entity_typer`` (after ``ner``; requires ``doc.ents``, ``doc.spans``,
``token.pos``, ``token.tag``; assigns ``doc.ents``)
    Maps the NER's labels to kg's six types, trims determiners, quotes and
    possessives from the edges, retypes names by their head word, by
    apposition ("Bokova, the former Director-General ...") and by a place
    noun after them ("Kherson regions"), and drops what is not a name:
    capitalised common words ("Ideas", "City"), positions ("National Security
    Advisor"), weapons and products ("Patriot missile systems"), plural
    group nouns ("Member States"), country pairs ("U.S.-Brazil"), kinds ("an
    Armored Brigade Combat Team"), generational suffixes ("Jr"). It keeps a
    pending gazetteer place when the NER or the context says place, joins
    the pieces of a name the NER cut up, and finds the holder named after a
    title's body ("Prime Minister of the Palestinian Authority Muhammad
    Mustafa").
"""

from __future__ import annotations

import bisect
import functools
import re

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..gazetteer import Gazetteer, load_gazetteer
from ..records import ENTITY_TYPES
from .rules import name_rules, titles, titles_by_first, titles_by_last

__all__ = ["KGEntityRuler", "KGEntityTyper", "NESTED", "PENDING", "SPACY_TO_KG", "find_title", "paragraph_sentences"]

#: spaCy NER label -> kg type (labels not listed are not entities for kg).
SPACY_TO_KG = {
    "PERSON": "Person",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "ORG": "Organization",
    "EVENT": "Event",
}

#: ``doc.spans`` key of the gazetteer matches that need evidence (ruler -> typer).
PENDING = "kg_pending"
#: ``doc.spans`` key of gazetteer names nested in a longer pattern name
#: (``doc.ents`` cannot overlap): for extraction to add as mentions too.
NESTED = "kg_nested"

#: Organisation kinds whose several-word names are matched only when their
#: last word is capitalised as in the gazetteer: news writes these names
#: capitalised, and their lower-case forms are ordinary phrases ("an Islamic
#: state", "save the children", "Islamic jihad").
CASED_KINDS = frozenset({"armed-group", "ngo", "political"})

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
    assigns=["doc.ents", "doc.spans"],
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
        self._needs_evidence: set[str] = set()
        # (row, lower-cased words) of the names of CASED_KINDS rows whose last word is capitalised
        self._cased: set[tuple[str, tuple[str, ...]]] = set()
        # The names are tokenized by a copy of the pipeline's tokenizer: fed
        # some 16,000 names before any article, the pipeline's own would
        # then cache too little of the articles' words (measured: tokenizing
        # articles became about 15 times slower).
        make_doc = Tokenizer(nlp.vocab)
        make_doc.from_bytes(nlp.tokenizer.to_bytes(exclude=["vocab"]), exclude=["vocab"])
        for entry in gazetteer.entries.values():
            self._types[entry.id] = entry.type
            if entry.needs_evidence:
                self._needs_evidence.add(entry.id)
            for form in entry.acronyms:
                exact.setdefault(entry.id, []).append(make_doc(form))
            for form in entry.names:
                doc = make_doc(form)
                if len(doc) == 1:
                    exact.setdefault(entry.id, []).append(doc)
                else:
                    folded.setdefault(entry.id, []).append(doc)
                    if entry.kind in CASED_KINDS and doc[-1].text[:1].isupper():
                        self._cased.add((entry.id, tuple(t.lower_ for t in doc)))
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
        self._after_head = frozenset(rules["connectors_after_head"])
        self._in_heads = frozenset(rules["heads_followed_by_in"])
        self._to_the_heads = frozenset(rules["heads_followed_by_to_the"])
        self._inside = frozenset(rules["connectors_inside"])
        self._never_start = frozenset(rules["never_start"])
        self._lower_heads = dict(rules["lower_heads"])
        self._lower_modifiers = frozenset(rules["lower_modifiers"])
        self._ordinal_heads = dict(rules["ordinal_heads"])
        self._ordinals = frozenset(rules["ordinals"])
        self._generic = frozenset(rules["generic_modifiers"])
        self._title_stops = frozenset(rules["title_stops"])
        self._after_stops = self._title_stops | frozenset(rules["never_after_head"])
        self._triggers = frozenset(self._name_types) | frozenset(self._lower_heads) | frozenset(self._ordinal_heads)
        self._prefix_heads = dict(rules["prefix_heads"])
        self._triggers |= frozenset(self._prefix_heads)
        self._conflicts = frozenset(rules["conflict_nouns"])
        self._conflict_links = frozenset(rules["conflict_links"])

    def _dateline_place(self, doc: Doc):
        """The gazetteer place of a dateline in capitals ("KYIV, Ukraine (AP) —"),
        which matching by case misses, as a candidate."""
        n = _dateline_words(doc)
        if not n:
            return None
        entry = self.gazetteer.lookup(doc[:n].text.title())
        if entry is None or entry.type not in ("Place", "Country"):
            return None
        return (0, n, 0, entry.type, entry.id)

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[tuple[int, int, int, str, str]] = []  # (start, end, priority, label, kb_id)
        pending = []
        for match_id, start, end in list(self.exact(doc)) + list(self.folded(doc)):
            key = doc.vocab.strings[match_id]
            if self._types[key] == "Organization" and self._name_types.get(doc[end - 1].text) == "Event":
                candidates.append((start, end, 0, "Event", key))  # "East Asia Summit": the head says event
                continue
            if key in self._needs_evidence:
                pending.append(Span(doc, start, end, label=self._types[key], kb_id=key))
                continue
            if self._cased and not doc[end - 1].text[:1].isupper() \
                    and (key, tuple(t.lower_ for t in doc[start:end])) in self._cased:
                continue  # "an Islamic state", "save the children": not the name
            candidates.append((start, end, 0, self._types[key], key))
        dateline = self._dateline_place(doc)
        if dateline is not None:
            candidates.append(dateline)
        # A place name that goes on with a capitalised word ("Manchester
        # United", "Washington Post", "Leicester City") is part of a longer
        # name the NER may know: it waits for evidence too.
        starts = {c[0] for c in candidates}
        kept = []
        for c in candidates:
            start, end, _, label, key = c
            if label == "Place" and end < len(doc) and doc[end].text[:1].isupper() and doc[end].text not in self._after_stops \
                    and end not in starts and doc[end].text not in self._name_types and not doc[end].is_punct \
                    and not doc[end].is_upper:
                pending.append(Span(doc, start, end, label=label, kb_id=key))
            else:
                kept.append(c)
        candidates = kept
        # Names that are also common words or first names ("George", "Nice"):
        # the typer keeps them when the NER or the context says place.
        doc.spans[PENDING] = pending
        known_names = {(c[0], c[1]) for c in candidates if c[2] == 0}
        for start, end, label in self._name_spans(doc):
            # "the United States and African Union": a gazetteer name and "and"
            # open no longer name; the pattern's name starts after them
            for k in range(start + 1, end - 1):
                if (start, k) in known_names and doc[k].lower_ == "and":
                    start = k + 1
                    break
            candidates.append((start, end, 1, label, "rule:name-pattern"))
        candidates.extend(self._conflicts_in(doc, candidates))
        candidates.extend(_titled_gatherings(doc))
        # A pattern name that is two gazetteer names ("U.S. Partnership for
        # Global Infrastructure and Investment", "United Nations 2030 Agenda
        # for Sustainable Development"), or a gazetteer name and a tail without
        # a head word ("European Union for Common Foreign and Security Policy",
        # a title's complement), is the gazetteer's names.
        known = {(c[0], c[1]) for c in candidates if c[2] == 0}
        gaz = {}
        for c in candidates:
            if c[2] == 0 and c[3] != "Country":
                gaz.setdefault(("end", c[1]), []).append(c)
                gaz.setdefault(("start", c[0]), []).append(c)
        if gaz:
            candidates = [c for c in candidates if c[2] == 0 or not self._gazetteer_inside(doc, c, gaz, known)]
        # A place and an acronym that is not a name of its own: an
        # organisation ("Africa CDC").
        for start, end, prio, label, _ in list(candidates):
            if prio == 0 and label in ("Place", "Country") and end < len(doc) and not (start > 0 and doc[start - 1].text == "-"):
                word = doc[end].text
                if word.isupper() and word.isalpha() and 2 <= len(word) <= 6 and not any(c[0] == end for c in candidates):
                    candidates.append((start, end + 1, 1, "Organization", "rule:name-pattern"))
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
        # Gazetteer names inside a longer name ("the 79th session of the
        # United Nations General Assembly"): both are names.
        outer = [(s.start, s.end) for s in chosen if s.kb_id_ == "rule:name-pattern"]
        doc.spans[NESTED] = filter_spans(
            Span(doc, c[0], c[1], label=c[3], kb_id=c[4]) for c in candidates
            if c[2] == 0 and any(a <= c[0] and c[1] <= b and (a, b) != (c[0], c[1]) for a, b in outer))
        return doc

    def _conflicts_in(self, doc: Doc, candidates: list[tuple]) -> list[tuple]:
        """"the war in Ukraine", "the conflict in Gaza", "Russia's (unprovoked)
        war against Ukraine": a war or conflict named by its place."""
        found = []
        places = [c for c in candidates if c[2] == 0 and c[3] in ("Country", "Place")]
        ends = {c[1]: c[0] for c in places}
        for start, end, *_ in places:
            i = start - 1
            if i < 1 or doc[i].lower_ not in self._conflict_links or doc[i - 1].lower_ not in self._conflicts:
                continue
            first = i - 1
            # "Russia's brutal and illegal war": back over adjectives to a possessive country
            j = first
            while j > 0 and first - j < 4 and (doc[j - 1].is_lower and doc[j - 1].is_alpha or doc[j - 1].text == ","):
                j -= 1
            if j > 1 and doc[j - 1].text in ("'s", "’s") and (j - 1) in ends:
                first = ends[j - 1]
            found.append((first, end, 1, "Event", "rule:name-pattern"))
        return found

    def _gazetteer_inside(self, doc: Doc, cand: tuple, gaz: dict, known: set[tuple[int, int]]) -> bool:
        start, end = cand[0], cand[1]
        for g in gaz.get(("end", end), ()):
            if g[0] > start and (start, g[0]) in known and g[3] == cand[3]:
                return True
        for g in gaz.get(("start", start), ()):
            if g[1] < end and not any(t.text in self._triggers for t in doc[g[1]:end]):
                return True
        return False

    def _name_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Names built around a head word, as ``(start, end, type)``:

        - "Title words ... Head" ("Asian Infrastructure Investment Bank"),
          optionally continued by "of|for|on|to (the) Title words"
          ("Moscow Institute of International Relations", "Plan to
          Eliminate Racial and Ethnic Discrimination") or a number ("Task
          Force 59");
        - "Title words + lowercase head" for events and projects ("COVID-19
          pandemic", "Nord Stream pipelines");
        - "ordinal + head of (the) Title words" ("the 79th session of the
          UN General Assembly", "the 20th National Congress of ...").

        Works on the ORTH array, so no Token object is made for the words
        in between."""
        strings = doc.vocab.strings
        words = [strings[h] for h in doc.to_array("ORTH")]
        triggers = self._triggers
        spans = []
        for i, w in enumerate(words):
            if w not in triggers:
                continue
            if w in self._name_types:
                end = self._continue(words, i + 1, w)
                start = self._extend_left(words, i)
                span = self._trim_name(words, start, end, i)
                if span is not None:
                    label = self._head_type(words, *span)
                    if label == "Place" and "-" in words[span[0]] and self._country_part(words[span[0]]):
                        continue  # "U.S.-Pacific Islands partnership": a modifier, not a place
                    if label is not None:
                        spans.append((*span, label))
            if w in self._lower_heads and i > 0:
                j = i
                while j > 0 and i - j < 3 and (words[j - 1] in self._lower_modifiers
                                               or words[j - 1] in ("'", "’") and j > 1 and words[j - 2] in self._lower_modifiers):
                    j -= 1  # "Pacific Islands Forum leaders' meeting"
                start = j
                while start > 0 and words[start - 1] not in self._title_stops and (
                        _capital(words[start - 1])
                        or words[start - 1] in ("-", "–") and start > 1 and _capital(words[start - 2])):
                    start -= 1  # "COVID-19 pandemic", "Israel–Hamas war"
                while start < j and words[start] in self._never_start:
                    start += 1
                if start < j:
                    spans.append((start, i + 1, self._lower_heads[w]))
                elif self._lower_heads[w] == "Event" and i + 2 < len(words) and words[i + 1] == "of" \
                        and len(words[i + 2]) == 4 and words[i + 2].isdigit():
                    spans.append((i, i + 3, "Event"))  # "the tsunami of 2004", "the war of 1812"
            if w in self._prefix_heads and i + 2 < len(words) and (
                    _capital(words[i + 1]) or words[i + 1] in self._inside and _capital(words[i + 2])):
                # "Operation Atlantic Resolve", "Exercise Cobra Gold", "Palais des Nations"
                end = i + 1
                while end < len(words) and words[end] not in self._after_stops and (
                        _capital(words[end]) or words[end] in self._inside and end + 1 < len(words) and _capital(words[end + 1])):
                    end += 1
                spans.append((i, end, self._prefix_heads[w]))
            if w in self._ordinal_heads and i > 0:
                j = i
                while j > 0 and _capital(words[j - 1]) and not self._ordinal(words[j - 1]):
                    j -= 1
                # a lowercase ordinal word counts where it makes the body a meeting
                # ("the twentieth National Congress of ..."), not before an event name
                numbered = j > 0 and (self._ordinal(words[j - 1]) or words[j - 1] in self._ordinals
                                      and self._name_types.get(w) != "Event")
                if numbered and i + 2 < len(words) and words[i + 1] in ("of", "for"):
                    end = self._continue(words, i + 1, w)
                    if end > i + 2:
                        spans.append((j - 1, end, self._ordinal_heads[w]))
        return spans

    def _country_part(self, word: str) -> bool:
        entry = self.gazetteer.lookup(word.split("-", 1)[0])
        return entry is not None and entry.type == "Country"

    def _ordinal(self, word: str) -> bool:
        """An ordinal that is part of a name: "20th", "Ninth" (a lowercase
        word, "the second Summit for Democracy", is not)."""
        return word[:1].isupper() and word.lower() in self._ordinals or (word[:1].isdigit() and word[-2:] in ("st", "nd", "rd", "th") and word[:-2].isdigit())

    def _extend_left(self, words: list[str], i: int) -> int:
        """The first word of the capitalised run that ends at *i* (through
        connectors, a parenthesised acronym "(ITSI)" and a plural possessive
        "Leaders' Meeting")."""
        j = i
        while j > 0:
            prev = words[j - 1]
            if prev in self._title_stops or ("-" in prev and prev[:1].isdigit()):
                break  # a title, a date ("BRUSSELS 1996-08-22")
            if prev in ("and", "&") and (self._has_head_before(words, j - 1) or self._name_types.get(words[i]) == "Place"):
                break  # "Task Force 59 and Combined Task Force 153", "Papua New Guinea and Solomon Islands": two names
            if prev in self._after_head and not (j >= 3 and _capital(words[j - 2]) and words[j - 2].endswith("s")
                                                 and _capital(words[j - 3])):
                break  # "Staff of the U.S. Embassy", "Station of China Railway Union", but "AU Heads of State Summit"
            if _capital(prev) or prev in self._inside:
                j -= 1
            elif prev == ")" and j >= 3 and words[j - 3] == "(" and words[j - 2].isupper() and not self._has_head_before(words, j - 3):
                j -= 3  # "Innovation (ITSI) Fund", not "Development (USAID) Regional Mission"
            elif prev in ("'", "’") and j >= 2 and words[j - 2].endswith("s") and _capital(words[j - 2]):
                j -= 1
            elif prev in ("”", '"') and j >= 2 and _capital(words[j - 2]) and words[j] not in self._never_start:
                # '“Belt and Road” International Cooperation Summit Forum': a
                # quoted name inside a longer one
                k = j - 2
                while k > 0 and j - k < 8 and (_capital(words[k]) or words[k] in self._inside):
                    k -= 1
                if words[k] not in ("“", '"'):
                    break
                j = k
            else:
                break
        return j

    def _has_head_before(self, words: list[str], k: int) -> bool:
        """Does the capitalised run that ends before *k* hold a head word?"""
        while k > 0 and (_capital(words[k - 1]) or words[k - 1] in self._inside):
            k -= 1
            if words[k] in self._name_types:
                return True
            if words[k] in ("and", "&", "the"):
                break
        return False

    def _continue(self, words: list[str], k: int, head: str) -> int:
        """The end of a name whose head word ends at *k*: a number ("Task
        Force 59", "Conference 2022") or "of|for|on|to (the) Title words",
        with inner connectors and a comma list ("on Democracy, Elections and
        Governance"); stops before a person's title and before "and the"."""
        n = len(words)
        end = k
        if k < n and (words[k].isdigit() and len(words[k]) <= 4 or words[k] in _ROMAN):
            end = k + 1
        elif (k + 1 < n and _capital(words[k]) and words[k] not in self._after_stops and not words[k].endswith(("s", "."))
              and self._name_types.get(head) != "Place"
              and not _capital(words[k + 1]) and words[k + 1] not in ("of", "for", "on")):
            end = k + 1  # "Joint Force Command Norfolk", "Land Force Battlegroup in ...": one more word
        while end < n and (words[end].lower() in self._after_head or (words[end] == "in" and head in self._in_heads)):
            if words[end].lower() != "of" and self._name_types.get(head) == "Place":
                break  # "the Elysee Palace for the Bastille Day parade": a place's name goes on with "of" only
            m = end + 1
            if m < n and words[m] == "the":
                if words[end] == "to" and head not in self._to_the_heads:
                    break  # "the G20 Summit to the APEC Leaders' Meeting": "to the" goes somewhere
                m += 1
            caps = 0
            last = m
            while m < n:
                w = words[m]
                if w in self._after_stops:
                    break  # a title, a month ("... of Ukraine on October 25")
                if w == "and" and _title_then_of(words, m + 1):
                    break  # "... of Europe Alain Berset and Director of the ...": another person's title
                if _capital(w):
                    caps += 1
                    m += 1
                    last = m
                elif w in self._inside or w == "to":
                    if m + 1 < n and (words[m + 1] == "the" and w != "the" and w != "and" or _capital(words[m + 1])):
                        m += 1
                    else:
                        break
                elif w == "," and self._comma_list(words, m):
                    m += 1
                elif w in ("'s", "’s") and m + 1 < n and _capital(words[m + 1]) and caps:
                    m += 1  # "of the People's Republic of China"
                else:
                    break
            needed = 2 if words[end] == "to" else 1
            if caps < needed or last < n and words[last] in ("'s", "’s"):
                break  # "... Space Center on India's east coast": "on" starts another phrase
            # "Executive Committee of the PLO Hussein al-Sheikh": after an
            # acronym the name goes on only up to another head word.
            for a in range(last - 1, end, -1):
                if words[a].isupper() and len(words[a]) > 1 and words[a].isalpha():
                    if not any(words[b] in self._name_types for b in range(a + 1, last)) and not words[last - 1].endswith("s"):
                        last = a + 1  # (but "of the APEC Leaders")
                    break
            # "Kunming Central Station of China Railway Union": a place of a
            # body is two names.
            if self._name_types.get(head) == "Place" and any(
                    self._name_types.get(words[b]) == "Organization" for b in range(end + 1, last)):
                break
            end = last
        return end

    def _comma_list(self, words: list[str], m: int) -> bool:
        """Does the comma at *m* begin the rest of a list of capitalised words
        closed by "and X" ("Democracy, Elections(,) and Governance")?"""
        n = len(words)
        k = m + 1
        seen_word = False
        while k < n:
            w = words[k]
            if w in ("and", "&"):
                return k + 1 < n and _capital(words[k + 1]) and (seen_word or words[k - 1] == ",")
            if _capital(w) and w not in self._title_stops:
                seen_word = True
            elif w != ",":
                return False
            k += 1
        return False

    def _trim_name(self, words: list[str], start: int, end: int, head: int) -> tuple[int, int] | None:
        start = self._trim_start(words, start, end)
        while end > start and not _capital(words[end - 1]) and words[end - 1] != ")":
            end -= 1
        # "X and the Y Organization" coordinates two names: keep the one with
        # the head; "Design and Release the First U.S. Strategy": a noun
        # phrase starts after "the" that follows a word other than a connector.
        for i in range(min(head, end - 2), start, -1):
            if words[i] == "the" and words[i - 1] not in self._after_head and words[i - 1] != "in":
                start = self._trim_start(words, i + 1, end)
                break
        # "(Secretary) General of the Executive Committee": the name starts
        # after a title's "of".
        for q in range(min(head, end - 2) - 1, start - 1, -1):
            if words[q + 1] in ("of", "for") and _title_ends_at(words, q):
                start = self._trim_start(words, q + 2, end)
                break
        if end - start < 2:
            return None
        if end - start == 2 and words[start] in self._generic:
            if start >= 2 and words[start - 1] in ("'s", "’s") and _capital(words[start - 2]):
                return start - 2, end  # "China's Foreign Ministry": whose it is makes it a name
            return None  # "Joint Initiative", "Executive Committee": not yet a name
        return start, end

    def _trim_start(self, words: list[str], start: int, end: int) -> int:
        """Skip words a name does not start with: lowercase words, "The",
        "Under", imperative verbs of headings ("Launch"), "First-Ever"."""
        while start < end:
            if words[start] in self._never_start or not _capital(words[start]):
                start += 1
            elif start + 2 < end and words[start + 1] == "-" and "".join(words[start:start + 3]) in self._never_start:
                start += 3
            elif "-" in words[start] and words[start].rsplit("-", 1)[1].isalpha() and words[start].rsplit("-", 1)[1].islower():
                start += 1  # "U.S.-led", "China-backed": an adjective before the name
            else:
                break
        return start

    def _head_type(self, words: list[str], start: int, end: int) -> str | None:
        """The type the head decides: the first head followed by a connector
        ("Summit of the Shanghai Cooperation Organization" is a summit), else
        the last head ("Task Force 59")."""
        last = None
        for i in range(start, end):
            w = words[i]
            if w in self._name_types:
                if i + 1 < end and (words[i + 1] in self._after_head or words[i + 1] == "in"):
                    last = w
                    break
                last = w
        if last is None:
            return None
        if self._name_types.get(words[end - 1]) == "Event":
            return "Event"  # "Boao Forum for Asia Annual Conference": the forum's conference
        if last in self._ordinal_heads and self._ordinal(words[start]):
            return self._ordinal_heads[last]
        return self._name_types[last]


#: words between a name and its product noun ("Patriot air defense systems")
_PRODUCT_MODIFIERS = frozenset({"-", "air", "defense", "defence", "anti", "ballistic", "cruise", "battle", "guided", "main"})

_ROMAN = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"})


#: Gatherings that take a quoted title ("the high-level meeting of “...”").
_GATHERINGS = frozenset({"meeting", "forum", "conference", "dialogue", "summit", "symposium", "seminar", "session",
                         "workshop", "roundtable", "exhibition", "expo", "festival", "congress", "assembly"})
_TITLE_LINKS = frozenset({"of", "on", "themed", "titled", "entitled", "called", "named"})
_OPENING_QUOTES = {"“": "”", '"': '"'}


def _titled_gatherings(doc: Doc) -> list[tuple]:
    """"The high-level meeting of “Common Consultation and Joint
    Construction ...”", "a forum themed “Asia and the World”": a gathering
    named by the quoted title after it is an event; the name runs from the
    words before the gathering noun to the closing quote (gazetteer names
    inside it stay nested names)."""
    found = []
    for i, tok in enumerate(doc):
        close = _OPENING_QUOTES.get(tok.text)
        if close is None or i < 2 or i + 1 >= len(doc) or not doc[i + 1].text[:1].isupper():
            continue
        if doc[i - 1].lower_ not in _TITLE_LINKS or doc[i - 2].lower_ not in _GATHERINGS:
            continue
        end = next((k for k in range(i + 2, min(len(doc), i + 30)) if doc[k].text == close), None)
        if end is None or end - i < 2:
            continue
        first = i - 2
        while first > 0 and i - first < 8 and (doc[first - 1].is_lower and doc[first - 1].is_alpha
                                                 and doc[first - 1].lower_ not in ("the", "a", "an", "at", "in", "of", "to")
                                                 or doc[first - 1].text == "-"):
            first -= 1
        found.append((first, end + 1, 1, "Event", "rule:name-pattern"))
    return found


def _title_ends_at(words: list[str], q: int) -> bool:
    """Does a title phrase ("Secretary General", "President") end at word *q*?"""
    for phrase in titles_by_last().get(words[q].lower(), ()):
        n = len(phrase)
        if q - n + 1 >= 0 and tuple(w.lower() for w in words[q - n + 1:q + 1]) == phrase:
            return True
    return False


def _capital(w: str) -> bool:
    return w[:1].isupper() or w[:1].isdigit()


@Language.factory(
    "kg_entity_typer",
    default_config={"gazetteers": []},
    requires=["doc.ents", "doc.spans", "token.pos", "token.tag"],
    assigns=["doc.ents"],
)
def make_entity_typer(nlp: Language, name: str, gazetteers: list[str]):
    return KGEntityTyper(name, load_gazetteer(tuple(gazetteers)), nlp)


def _dateline_words(doc: Doc) -> int:
    """How many capitals-only words open *doc* before "," or "(": a dateline's
    city ("KYIV, Ukraine (AP) —", "NEW DELHI, May 4 (Reuters) -")."""
    n = 0
    while n < min(len(doc), 4) and doc[n].is_upper and doc[n].is_alpha:
        n += 1
    return n if 0 < n < len(doc) and doc[n].text in (",", "(") and len(doc[0]) >= 3 else 0


def _dateline_credit(doc: Doc) -> tuple[int, int] | None:
    """The token span of a dateline's agency credit, "(Reuters)" in "NEW
    DELHI, May 4 (Reuters) - ", or ``None``."""
    if not _dateline_words(doc):
        return None
    for i in range(min(len(doc), 12)):
        if doc[i].text == "(":
            for j in range(i + 1, min(len(doc), i + 6)):
                if doc[j].text == ")":
                    return (i + 1, j) if j + 1 < len(doc) and doc[j + 1].text in ("-", "—", "–", "--") else None
            return None
    return None


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
        self._product_nouns = frozenset(rules["product_nouns"])
        self._product_heads = frozenset(rules["product_heads"])
        self._place_before = frozenset(rules["place_context_before"])
        self._place_after = frozenset(rules["place_context_after"])
        self._generic = frozenset(rules["generic_modifiers"])
        self._suffixes = frozenset(rules["generational_suffixes"])
        self._common_words: frozenset[str] | None = None
        self._lower_words: frozenset[str] | None = None  # the words of the document in lower case

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        self._lower_words: frozenset[str] | None = None
        pending = {(s.start, s.end): s for s in doc.spans[PENDING]} if PENDING in doc.spans else {}
        for ent in doc.ents:
            if pending and ent.label_ in ("GPE", "LOC"):
                # The NER agrees that the ambiguous gazetteer name is a place (also
                # when it stops short of the gazetteer's longer form: "Washington, D.C.").
                key = max((k for k in pending if k[0] == ent.start and k[1] >= ent.end), default=None)
                if key is not None:
                    hit = pending.pop(key)
                    out.append(Span(doc, hit.start, hit.end, label=hit.label_, kb_id=hit.kb_id_))
                    continue
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
            if span is None or not self._is_name(span) or span.text in self._suffixes:
                continue  # ", Jr met": a suffix is never a name of its own
            if len(span) == 1 and ent.label_ in ("FAC", "ORG", "EVENT", "GPE", "LOC") and self._common(span[0]) \
                    and not (ent.label_ == "ORG" and self._acting_name(span[0])) \
                    and self.gazetteer.lookup(span.text) is None and span.text not in self.gazetteer.ambiguous \
                    and not _before_country(span) and not (
                        ent.label_ in ("GPE", "LOC") and span.start > 0 and doc[span.start - 1].lower_ in ("in", "at", "from")):
                continue  # "Peace", "Olympic", "City", "Earth": common words the NER took for names
            if self._product(span) or self._plural_group(span):
                continue
            if len(span) == 2 and span[0].text in self._generic and span[1].text in self._name_types:
                continue  # "the Foreign Ministry", "Joint Statement": whose, the text does not say here
            if _kind_not_name(span) or (ent.label_ == "ORG" and self._common_modifier(span)):
                continue
            parts = self._coordinated_names(span)
            if parts is not None:
                out.extend(parts)  # "U.S.-Brazil" (a modifier) gives nothing, "the United States and African Union" two names
                continue
            titled = _title_span(span)
            if titled is not None:
                first, last = titled
                if first is None:
                    continue  # "National Security Advisor", "Forum Chair": a position, not a name
                span = doc[first:last]
                if not any(t.pos_ == "PROPN" for t in span):
                    continue
                out.append(Span(doc, span.start, span.end, label="Person", kb_id="rule:title"))
                continue
            if self.gazetteer.ambiguous.get(span.text, ("",))[0] == "countries":
                # "Congo": a country for sure, but which one the text does not say
                out.append(Span(doc, span.start, span.end, label="Country", kb_id="rule:ambiguous-country"))
                continue
            entry = self.gazetteer.lookup(span.text)
            if entry is not None and (not entry.needs_evidence or ent.label_ in ("GPE", "LOC", "FAC")):
                out.append(Span(doc, span.start, span.end, label=entry.type, kb_id=entry.id))
                continue
            kg_type = self._retype(span, kg_type)
            if kg_type == "Person" and any(c.isdigit() for c in span.text):
                continue  # "Covid-19": no person's name has digits
            out.append(Span(doc, span.start, span.end, label=kg_type, kb_id="rule:ner"))
        out.extend(self._appositive_people(doc, out))
        out = _joined_people(doc, out)
        out = _surnames_of_people(doc, out)
        out = _holders_inside_titled_bodies(doc, out, self._name_types)
        out.extend(_people_after_titles(doc, out, self._name_types))
        out.extend(_people_after_titled_bodies(doc, out))
        if pending:
            out.extend(self._places_in_context(doc, out, pending.values()))
        credit = _dateline_credit(doc)
        if credit is not None:  # "(Reuters)": who reports, not who takes part
            out = [e for e in out if not (credit[0] <= e.start and e.end <= credit[1])]
        doc.set_ents(filter_spans(out), default="missing")
        return doc

    def _places_in_context(self, doc: Doc, ents: list[Span], pending) -> list[Span]:
        """Ambiguous gazetteer places the context makes places: "in George",
        "George, South Africa", "the port of ...", "George city"."""
        taken = {t.i for ent in ents for t in ent}
        found = []
        for span in pending:
            if any(i in taken for i in range(span.start, span.end)):
                continue
            before = doc[span.start - 1] if span.start > 0 else None
            after = doc[span.end] if span.end < len(doc) else None
            after2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
            evidence = (
                (before is not None and before.lower_ in self._place_before
                 and not (after is not None and after.pos_ == "PROPN"))
                or (after is not None and after.lower_ in self._place_after)
                or (after is not None and after.text == "," and after2 is not None and after2.ent_type_ == "Country")
            )
            if evidence:
                taken.update(range(span.start, span.end))
                found.append(span)
        return found

    def _place_noun_after(self, span: Span) -> bool:
        """Is *span* (with the names coordinated after it) followed by a
        place noun ("region", "province")?"""
        doc = span.doc
        i = span.end
        while i < len(doc) and i - span.end < 8 and (doc[i].text in (",", "and") or doc[i].pos_ == "PROPN"):
            i += 1
        return i < len(doc) and doc[i].lower_ in self._place_after and doc[i].lower_ not in ("city", "state", "capital", "port")

    def _product(self, span: Span) -> bool:
        """A weapon, vehicle or product, not a person or body: "Patriot
        missile systems", "Javelin missiles", "Standard Missile"."""
        if span[-1].text in self._product_heads:
            return True
        doc = span.doc
        i = span.end
        # "Patriot and Javelin missiles", "Patriot air defense systems"
        for _ in range(3):
            if i >= len(doc):
                return False
            word = doc[i].lower_
            if word in self._product_nouns:
                return True
            if word in _PRODUCT_MODIFIERS:
                i += 1
                continue
            return False
        return False

    def _plural_group(self, span: Span) -> bool:
        """A plural common noun names a group, not one thing: "Member States",
        "Baltic Allies", "Pacific Islanders", "Summits" (the heads of names,
        "Armed Forces", "United Nations", and place heads "Islands" excepted)."""
        last = span[-1]
        text = last.text
        if not text.endswith("s") or text.endswith("ss") or last.is_upper:
            return False
        if text in self._name_types or text in self._place_heads or len(text) < 4:
            return False
        if self.gazetteer.lookup(span.text) is not None:
            return False
        singular = text[:-3] + "y" if text.endswith("ies") else text[:-1]
        if singular in self._event_heads and len(span) > 1:
            return False  # "the previous U.S.-GCC Summits": a named series of events
        return self._common_word(singular.lower())

    def _coordinated_names(self, span: Span) -> list[Span] | None:
        """A span made of known names joined by a hyphen ("U.S.-Brazil",
        "U.S.-Pacific Islands", a modifier: nothing) or by "and" ("the United
        States and African Union": each name). ``None`` when it is not that."""
        text = span.text
        lookup = self.gazetteer.lookup
        for dash in ("-", "–", "—"):
            if dash in text:
                left, _, right = text.partition(dash)
                if left and right and lookup(left.strip()) is not None and lookup(right.strip()) is not None:
                    return []
        for token in span[1:-1]:
            if token.lower_ == "and":
                a, b = span.doc[span.start:token.i], span.doc[token.i + 1:span.end]
                ea, eb = lookup(a.text), lookup(b.text)
                if ea is not None and eb is not None:
                    return [Span(span.doc, a.start, a.end, label=ea.type, kb_id=ea.id),
                            Span(span.doc, b.start, b.end, label=eb.type, kb_id=eb.id)]
        return None

    def _common_modifier(self, span: Span) -> bool:
        """Ordinary words, capitalised, before a common noun: "Missile
        Technology exports", "Global Food Security efforts" (a kind, not a
        body: no organisation head, no gazetteer name)."""
        doc = span.doc
        if len(span) < 2 or span.end >= len(doc) or not (doc[span.end].is_lower and doc[span.end].pos_ == "NOUN"):
            return False
        if span[-1].text in self._name_types or self.gazetteer.lookup(span.text) is not None:
            return False
        return all(self._common(t) for t in span)

    def _common_word(self, word: str) -> bool:
        if self._common_words is None:
            self._common_words = _common_words(self._nlp) if self._nlp is not None else frozenset()
        return word in self._common_words

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

    def _acting_name(self, token) -> bool:
        """A proper noun that heads a phrase of its own as a clause's subject,
        object or possessor: "Hamas killed", "the Kremlin said", "talks with
        the Taliban", "Hezbollah's leader". WordNet lists such names among its
        nouns; the common words the NER takes for names stand inside longer
        names ("the Spirit of Camp David"), name a kind ("the Government", "the
        Corridor") or are written in lower case elsewhere in the text."""
        acts = token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "poss") or (
            token.dep_ == "compound" and token.head.lower_ in _SPOKESPEOPLE)  # "Kremlin spokesman Dmitry Peskov"
        if token.tag_ != "NNP" or not acts or any(
                c.dep_ in ("compound", "nmod") or (c.dep_ == "prep" and c.lower_ == "of")
                or (c.dep_ == "amod" and self.gazetteer.demonym(c.text) is None)  # ("Lebanese Hezbollah")
                for c in token.children):
            return False
        if token.text in self._name_types or token.text in self._place_heads or token.text in self._event_heads \
                or token.lower_ in _KIND_WORDS:
            return False
        if self._lower_words is None:  # (reset for each document by __call__)
            self._lower_words = frozenset(t.text for t in token.doc if t.is_lower)
        return token.lower_ not in self._lower_words

    def _common(self, token) -> bool:
        """Is *token* (lowercased) an ordinary English word (WordNet index)?"""
        if self._common_words is None:
            self._common_words = _common_words(self._nlp) if self._nlp is not None else frozenset()
        return token.lower_ in self._common_words and not token.is_upper

    def _retype(self, span: Span, kg_type: str) -> str:
        head = span[-1].text
        if kg_type in ("Person", "Organization") and self._place_noun_after(span):
            return "Place"  # "Donetsk, Luhansk and Kherson regions"
        if kg_type in ("Person", "Organization") and _place_noun_of(span):
            return "Place"  # "the town of Avdiivka"
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


#: lowercase parts inside people's names ("Hussein al-Sheikh", "Lula da Silva")
_NAME_PARTICLES = frozenset({"al", "el", "bin", "bint", "ibn", "da", "de", "di", "do", "dos", "van", "von", "der", "-", "le", "la"})


def _surnames_of_people(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Hungarian Prime Minister Viktor Orban ... Orban said": a one-word name
    the NER typed otherwise is the surname of a person named before it."""
    surnames: dict[str, int] = {}  # surname -> where it is first named in full
    out = []
    for span in sorted(ents, key=lambda s: s.start):
        if span.label_ == "Person" and len(span) >= 2 and span[-1].pos_ == "PROPN":
            surnames.setdefault(span[-1].text, span.end)
        elif len(span) == 1 and span.label_ in ("Organization", "Place") and span.kb_id_ == "rule:ner" \
                and span.start > surnames.get(span.text, len(doc)):
            span = Span(doc, span.start, span.end, label="Person", kb_id="rule:surname")
        out.append(span)
    if surnames:
        # ... and one the NER passed over: "Ruto later flew to Seoul"
        hashes = numpy.array([doc.vocab.strings.add(name) for name in surnames], dtype="uint64")
        taken = {t.i for span in out for t in span}
        for i in numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), hashes)).tolist():
            token = doc[i]
            if i not in taken and token.pos_ == "PROPN" and i > surnames[token.text] and not token.ent_type_ \
                    and (i + 1 >= len(doc) or doc[i + 1].pos_ != "PROPN") and (i == 0 or doc[i - 1].pos_ != "PROPN"):
                out.append(Span(doc, i, i + 1, label="Person", kb_id="rule:surname"))
    return out


def _joined_people(doc: Doc, ents: list[Span]) -> list[Span]:
    """"President Andry Nirina Rajoelina": names the NER cut into pieces
    that touch (a person and other pieces it guessed, all proper nouns) are
    one person."""
    ents = sorted(ents, key=lambda s: (s.start, -s.end))
    out: list[Span] = []
    i = 0
    while i < len(ents):
        run = [ents[i]]
        while i + len(run) < len(ents):
            nxt = ents[i + len(run)]
            if nxt.start != run[-1].end or nxt.kb_id_ not in ("rule:ner", "rule:apposition"):
                break
            run.append(nxt)
        guessed = all(e.kb_id_ in ("rule:ner", "rule:apposition") for e in run)
        if len(run) > 1 and guessed and any(e.label_ == "Person" for e in run) \
                and all(t.pos_ == "PROPN" for e in run for t in e) and run[-1].end - run[0].start <= 5:
            out.append(Span(doc, run[0].start, run[-1].end, label="Person", kb_id="rule:ner"))
            i += len(run)
        else:
            out.append(ents[i])
            i += 1
    return out


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Every word of a title phrase, lower-cased."""
    return frozenset(w for phrases in titles_by_last().values() for p in phrases for w in p)


def _people_after_titles(doc: Doc, ents: list[Span], heads) -> list[Span]:
    """"Special Envoy Kellogg", "Ambassador Smith": one to three proper nouns
    right after a capitalised title, which the NER passed over, name a person
    (not a word of a longer title, "Deputy Secretary General", nor a body's
    head word, "Prime Minister Office")."""
    taken = {t.i for e in ents for t in e}
    words = [t.text for t in doc]
    title_words = _title_words()
    found = []

    def name_word(k: int) -> bool:
        t = doc[k]
        return (k not in taken and t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha and not t.is_upper
                and t.lower_ not in title_words and t.text not in heads)

    i = 1
    while i < len(doc):
        if not (name_word(i) and doc[i - 1].text[:1].isupper() and _title_ends_at(words, i - 1)):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and name_word(end):
            end += 1
        if not (end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha):
            found.append(Span(doc, i, end, label="Person", kb_id="rule:title"))
            taken.update(range(i, end))
        i = end
    return found


def _holders_inside_titled_bodies(doc: Doc, ents: list[Span], heads) -> list[Span]:
    """"Director of the General Office of the Central Committee Cai Qi": a
    body's name after a title's "of" that runs on past its last head word
    into proper nouns ends at the head; the proper nouns name the holder."""
    out = []
    for ent in ents:
        i = ent.start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if ent.label_ != "Organization" or i < 1 or doc[i].lower_ != "of" \
                or not _title_ends_at([t.text for t in doc[max(0, i - 4):i]], min(i, 4) - 1):
            out.append(ent)
            continue
        last = max((t.i for t in ent if t.text in heads), default=None)
        tail = doc[last + 1:ent.end] if last is not None else doc[0:0]
        if 2 <= len(tail) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in tail):
            out.append(Span(doc, ent.start, last + 1, label=ent.label_, kb_id=ent.kb_id_))
            out.append(Span(doc, tail.start, tail.end, label="Person", kb_id="rule:title"))
        else:
            out.append(ent)
    return out


def _people_after_titled_bodies(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Secretary General of the Executive Committee of the PLO Hussein
    al-Sheikh", "Prime Minister of the Palestinian Authority Muhammad
    Mustafa": the proper nouns right after a title's "of <body>" name the
    holder."""
    taken = {t.i for e in ents for t in e}
    found = []
    for ent in ents:
        if ent.label_ not in ("Organization", "Country") or ent.end >= len(doc):
            continue
        i = ent.start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i < 1 or doc[i].lower_ != "of" or not _title_ends_at([t.text for t in doc[max(0, i - 4):i]], min(i, 4) - 1):
            continue
        end = ent.end
        while end < len(doc) and end - ent.end < 6 and end not in taken and (
                doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
                or end > ent.end and doc[end].text in _NAME_PARTICLES and end + 1 < len(doc)
                and (doc[end + 1].text[:1].isupper() or doc[end + 1].text == "-")):
            end += 1
        if end - ent.end >= 2 or (end - ent.end == 1 and end < len(doc) and doc[end].text in (",", "and")):
            found.append(Span(doc, ent.end, end, label="Person", kb_id="rule:title"))
            taken.update(range(ent.end, end))
    return found


def _kind_not_name(span: Span) -> bool:
    """Capitalised words that name a kind, not one thing: "an Armored Brigade
    Combat Team" (a name takes no "a"), "illegal, unreported and unregulated
    (IUU) fishing" (the acronym of a common noun phrase)."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    k = span.start - 1
    while k > 0 and doc[k].is_lower and doc[k].pos_ in ("ADJ", "VERB") and span.start - k < 4:
        k -= 1  # "an additional rotational Brigade Combat Team"
    article = doc[k] if k >= 0 and k < span.start else None
    if article is not None and article.lower_ in ("a", "an", "another") and not (
            after is not None and after.pos_ in ("NOUN", "PROPN")):
        return True
    if len(span) == 1 and span[0].is_upper and before is not None and before.text == "(" and after is not None \
            and after.text == ")" and span.start > 1 and doc[span.start - 2].is_lower:
        return True
    return False


def _before_country(span: Span) -> bool:
    """"Rota, Spain": a place named with its country."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].ent_type_ == "Country"


def _title_span(span: Span) -> tuple[int | None, int] | None:
    """A position the NER took for a name. ``(None, end)`` when *span* is a
    title (after an optional demonym or organisation: "National Security
    Advisor", "Japanese National Security Advisors", "Forum Chair");
    ``(first, end)`` of the name after it ("National Security Advisors
    Sullivan" -> "Sullivan"); ``None`` when no title is in it."""
    doc = span.doc
    lowered = [t.lower_ for t in span]
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in lowered]
    # a title at the end ("Forum Chair", "Commission President")
    for phrase in titles_by_last().get(singular[-1], ()) + titles_by_last().get(lowered[-1], ()):
        n = len(phrase)
        if n <= len(span) and (tuple(lowered[-n:]) == phrase or tuple(lowered[-n:-1]) + (singular[-1],) == phrase) \
                and phrase[-1] != "general":
            return None, span.end
    # a title then a name ("National Security Advisors Sullivan")
    for k in range(len(span) - 1):
        for phrase in titles_by_first().get(lowered[k], ()):
            n = len(phrase)
            if k + n < len(span) and (tuple(lowered[k:k + n]) == phrase or tuple(lowered[k:k + n - 1]) + (singular[k + n - 1],) == phrase) \
                    and n > 1 and all(t.pos_ == "PROPN" or t.pos_ == "ADJ" for t in span[:k]):
                return span.start + k + n, span.end
    return None


#: Who speaks for a body, written after its name.
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen"})

#: Nouns a text capitalises for an institution it named before ("the
#: Government", "the State", "the Administration", "the Ministry").
_KIND_WORDS = frozenset({"government", "state", "states", "administration", "ministry", "department", "agency",
                         "parliament", "assembly", "congress", "senate", "court", "commission", "council", "committee",
                         "party", "army", "navy", "embassy", "president", "kingdom", "republic", "union", "federation",
                         "secretariat", "office", "bureau", "authority", "cabinet", "presidency", "crown", "church"})


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
    if start >= 3 and doc[start - 1].text == ")" and doc[start - 3].text == "(" and doc[start - 2].text.isupper():
        start -= 3  # "Principal Deputy National Security Advisor (PDNSA) Jon Finer"
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


def _title_then_of(words: list[str], k: int) -> bool:
    """Whether a capitalised person's title ("Director", "Prime Minister")
    starts at *k* and is followed by "of" (the title of another body)."""
    if k >= len(words) or not _capital(words[k]):
        return False
    for phrase in titles_by_first().get(words[k].lower(), ()):
        end = k + len(phrase)
        if end < len(words) and words[end] == "of" and tuple(w.lower() for w in words[k:end]) == phrase:
            return True
    return False


#: Nouns of settlements and divisions that name the place after "of" ("the town of").
_PLACE_NOUNS_OF = frozenset({"town", "city", "village", "port", "region", "province", "district", "county", "island",
                             "islands", "oblast", "municipality", "enclave", "outskirts", "suburb", "hamlet"})


def _place_noun_of(span: Span) -> bool:
    """Is *span* the name after "the <place noun> of" ("the town of Avdiivka",
    "the port city of Odesa")?"""
    doc, i = span.doc, span.start
    return i >= 3 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in _PLACE_NOUNS_OF and any(
        t.lower_ == "the" for t in doc[max(0, i - 4):i - 2])
