"""The entity ruler, before spaCy's NER: gazetteer names (exactly or case-folded), names
with a head word ("... Initiative", "Institute of ..."; kg/data/name_patterns.json), wars
named by their place, gatherings named by a quoted title, a dateline's city."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..gazetteer import Gazetteer, load_gazetteer
from .rules import name_rules
from .titles import _capital, _title_ends_at, _title_then_of

__all__ = ["CASED_KINDS", "KGEntityRuler", "NESTED", "PENDING"]


#: Organisation kinds whose several-word names are matched only when their
#: last word is capitalised as in the gazetteer: news writes these names
#: capitalised, and their lower-case forms are ordinary phrases ("an Islamic
#: state", "save the children", "Islamic jihad").
CASED_KINDS = frozenset({"armed-group", "ngo", "political"})


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


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


def _dateline_words(doc: Doc) -> int:
    """How many capitals-only words open *doc* before "," or "(": a dateline's
    city ("KYIV, Ukraine (AP) —", "NEW DELHI, May 4 (Reuters) -")."""
    n = 0
    while n < min(len(doc), 4) and doc[n].is_upper and doc[n].is_alpha:
        n += 1
    return n if 0 < n < len(doc) and doc[n].text in (",", "(") and len(doc[0]) >= 3 else 0


#: ``doc.spans`` key of the gazetteer matches that need evidence (ruler -> typer).
PENDING = "kg_pending"


#: ``doc.spans`` key of gazetteer names nested in a longer pattern name
#: (``doc.ents`` cannot overlap): for extraction to add as mentions too.
NESTED = "kg_nested"
