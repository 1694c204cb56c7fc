"""kg's spaCy components.

``kg_entity_ruler`` (before ``ner``, :mod:`kg.nlp.ruler`; requires
``token.text``, assigns ``doc.ents`` and ``doc.spans``)
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
    the pieces of a name the NER cut up, and finds the people it missed
    (:mod:`kg.nlp.people`; titles: :mod:`kg.nlp.titles`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..gazetteer import Gazetteer, load_gazetteer
from ..records import ENTITY_TYPES
from .people import (_holders_inside_titled_bodies, _joined_people, _people_after_titled_bodies, _people_after_titles,
                     _surnames_of_people)
from .rules import name_rules
from .ruler import NESTED, PENDING, KGEntityRuler, _dateline_words
from .titles import _appositive_title, _title_span, find_title

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


#: NER labels kept as they are: dates and quantities feed events and facts.
_KEEP_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

_EDGE_DROP = {"the", "a", "an", '"', "'", "'s", "s", "(", ")", "[", "]", ",", ".", ";", ":", "-", "—", "–", "of", "and", "for", "on", "in", "at", "to", "by", "with", "his", "her", "its", "their", "our", "this", "that", "these", "those", "“", "”", "’s", "’", "‘"}


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
    "kg_entity_typer",
    default_config={"gazetteers": []},
    requires=["doc.ents", "doc.spans", "token.pos", "token.tag"],
    assigns=["doc.ents"],
)
def make_entity_typer(nlp: Language, name: str, gazetteers: list[str]):
    return KGEntityTyper(name, load_gazetteer(tuple(gazetteers)), nlp)


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
        for ent in _split_at_commas(doc.ents):
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


def _split_at_commas(ents) -> list[Span]:
    """The NER's person and organisation names cut at commas: "at the
    invitation of Xi, Foreign Ministry spokesperson Hua Chunying" gave one
    name "Xi, Foreign Ministry"."""
    out = []
    for ent in ents:
        if ent.label_ not in ("ORG", "PERSON") or not any(t.text == "," for t in ent[1:-1]):
            out.append(ent)
            continue
        start = ent.start
        for t in list(ent[1:-1]) + [None]:
            if t is None or t.text == ",":
                end = t.i if t is not None else ent.end
                if end > start:
                    out.append(Span(ent.doc, start, end, label=ent.label_))
                start = end + 1
    return out


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


#: Nouns of settlements and divisions that name the place after "of" ("the town of").
_PLACE_NOUNS_OF = frozenset({"town", "city", "village", "port", "region", "province", "district", "county", "island",
                             "islands", "oblast", "municipality", "enclave", "outskirts", "suburb", "hamlet"})


def _place_noun_of(span: Span) -> bool:
    """Is *span* the name after "the <place noun> of" ("the town of Avdiivka",
    "the port city of Odesa")?"""
    doc, i = span.doc, span.start
    return i >= 3 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in _PLACE_NOUNS_OF and any(
        t.lower_ == "the" for t in doc[max(0, i - 4):i - 2])


#: words between a name and its product noun ("Patriot air defense systems")
_PRODUCT_MODIFIERS = frozenset({"-", "air", "defense", "defence", "anti", "ballistic", "cruise", "battle", "guided", "main"})
