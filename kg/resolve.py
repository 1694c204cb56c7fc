"""Mentions -> canonical entities: one node per real-world thing.

Resolution works on compact :class:`~kg.records.Mention` records (never on
spaCy Docs) and records every merge with its reason in a merge log:

``gazetteer``       the name or acronym is a gazetteer row (so it has a QID
                    when the row has one)
``exact label``     same name (case, accents, "the", possessive folded)
``type vote``       the same name was typed differently; the majority wins
``short name``      a person name ("Xi", "Lula", "Lacalle Pou") that is a
                    word or a run of adjacent words of exactly one longer
                    person name in the same document (or, failing that, the
                    corpus); generational suffixes ("Jr.") never count
``surname of a person``  a one-word name the NER typed as a place or body
                    that is a word of exactly one person name of the corpus
                    ("Saudi Crown Prince Mohammed bin Salman called Zelenskyy")
``gazetteer surname + title``  a one-word person name with a title that
                    fits exactly one gazetteer person of that surname
``gazetteer surname in office``  a one-word person name, without a title,
                    that is the family name of exactly one gazetteer person,
                    who held an office on the document's date ("Putin said")
``acronym defined in the text``  "Name (ACR)": the acronym is the name's
                    alias in every document
``administration named by its leader``  "the Biden-Harris Administration"
                    is "the Biden Administration" when both are named
``the same conflict``  "the war in Ukraine", "Russia's war against Ukraine",
                    "the Ukraine crisis": a war named by its place
``acronym``         an all-capitals name equal to the initials of exactly one
                    organisation named in the same document
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .gazetteer import Gazetteer, name_key
from .nlp.rules import titles
from .records import ENTITY_TYPES, Entity, Extraction, Merge, Mention

__all__ = ["Resolution", "resolve", "clean_name", "acronym_fits"]


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve`: entities (sorted by type and key) and
    the merge log. :meth:`entity_of` maps any mention of the resolved
    documents to its entity (from its name, not from a per-mention table)."""

    entities: tuple[Entity, ...]
    merges: tuple[Merge, ...]
    #: nodes by type a builder without resolution would make (one per
    #: distinct surface form, type and document), for comparison
    before: dict[str, int]
    #: final entity key -> index into ``entities``
    keys: dict[str, int]
    _base: "_BaseKeys"
    #: entity key of a name -> the key it was merged into
    _final: dict[str, str]

    def entity_of(self, mention: Mention) -> Entity:
        _, key = self._base(mention)
        return self.entities[self.keys[self._final.get(key, key)]]


_POSSESSIVE = re.compile(r"(?:'s|')$")


def clean_name(text: str) -> str:
    """Strip a leading "the", quotes, a possessive and leading titles.

    >>> clean_name("President Xi Jinping's")
    'Xi Jinping'
    """
    text = text.strip().strip('"\'').strip()
    text = _POSSESSIVE.sub("", text).strip()
    text = re.sub(r"^(?:the|The)\s+", "", text)
    words = text.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        lowered = [w.lower() for w in words]
        if lowered[0] in ("former", "late", "then"):
            words = words[1:]
            changed = True
            continue
        for phrase in titles():
            flat = " ".join(phrase).replace(" - ", "-").split()
            if len(flat) < len(words) and lowered[:len(flat)] == flat:
                words = words[len(flat):]
                changed = True
                break
    # "High Representative of the European Union" -> "European Union"
    if len(words) > 1 and words[0].lower() in ("of", "for", "on"):
        words = words[1:]
        if len(words) > 1 and words[0].lower() == "the":
            words = words[1:]
    return " ".join(words)


_SMALL_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "de", "la", "&"})


def acronym_fits(acronym: str, name: str) -> bool:
    """Can *acronym* be spelt from the starts of *name*'s words, in order?
    Every main word gives at least its first letter; small words ("of",
    "and") may give one or none.

    >>> acronym_fits("ECOWAS", "Economic Community of West African States")
    True
    >>> acronym_fits("WHO", "World Health Organization")
    True
    >>> acronym_fits("UN", "United States")
    False
    """
    words = [w for w in re.split(r"[\s-]+", name) if w]
    target = acronym.lower()
    from functools import lru_cache

    @lru_cache(maxsize=None)
    def fits(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(target)
        word = words[j].lower()
        small = word in _SMALL_WORDS
        if small and fits(i, j + 1):
            return True
        limit = 1 if small else min(len(word), 3)
        for k in range(1, limit + 1):
            if target[i:i + k] == word[:k] and fits(i + k, j + 1):
                return True
        return False

    return len(words) > 1 and fits(0, 0)


class _BaseKeys:
    """A mention's cleaned name and the entity key it starts from: its
    gazetteer row (``gaz:<id>``) or its folded name (``name:<key>``).
    Memoised on the fields that decide it, so repeated names cost nothing."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.gaz_of_key: dict[str, str] = {}   # key -> gazetteer id
        self._memo: dict[tuple, tuple[str, str]] = {}

    def __call__(self, m: Mention) -> tuple[str, str]:
        signature = (m.label, m.type, m.gazetteer_id, m.rule == "ner")
        hit = self._memo.get(signature)
        if hit is None:
            hit = self._memo[signature] = self._compute(*signature)
        return hit

    def _compute(self, label: str, etype: str, gazetteer_id: str | None, ner: bool) -> tuple[str, str]:
        gazetteer = self.gazetteer
        name = clean_name(label) or label
        entry = gazetteer.entries.get(gazetteer_id) if gazetteer_id else None
        if entry is None:
            entry = gazetteer.lookup(name, etype) or (gazetteer.lookup(name) if ner else None)
        if entry is None:
            return name, "name:" + name_key(_ORDINAL_WORDS.sub(_ordinal_digits, name))
        key = "gaz:" + entry.id
        self.gaz_of_key[key] = entry.id
        return name, key


def resolve(extractions: Iterable[Extraction], gazetteer: Gazetteer) -> Resolution:
    """Group the mentions of *extractions* into :class:`Entity` records.

    *extractions* is read three times, one document at a time (a list, or a
    re-iterable view of the build cache). Nothing is kept per mention, so
    memory grows with the number of distinct names, not with the corpus."""
    if iter(extractions) is extractions:  # a one-shot iterator: keep it for the passes
        extractions = list(extractions)
    base = _BaseKeys(gazetteer)
    gaz_of_key = base.gaz_of_key
    merges: set[Merge] = set()

    # pass 1: one type per name (majority vote); which names are said in full
    type_votes: dict[str, Counter] = defaultdict(Counter)
    multiword: set[str] = set()
    naive: Counter = Counter()
    for ex in extractions:
        forms = set()
        for m in ex.mentions:
            name, key = base(m)
            if key.startswith("name:"):
                type_votes[key][m.type] += 1
            if len(name.split()) > 1:
                multiword.add(key)
            forms.add((m.type, m.text))
        naive.update(t for t, _ in forms)
    name_type = {
        key: sorted(votes.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0][0]
        for key, votes in type_votes.items()
    }
    for key, votes in type_votes.items():
        if len(votes) > 1:
            merges.add(Merge(key[5:], key[5:], f"type vote: {dict(sorted(votes.items()))} -> {name_type[key]}"))
    del type_votes

    def type_of(key: str) -> str:
        if key.startswith("gaz:"):
            return gazetteer.entries[gaz_of_key[key]].type
        return name_type[key]

    tokens: dict[str, tuple[str, ...]] = {}

    def words_of(key: str) -> tuple[str, ...]:
        """The words of the name behind *key* (a gazetteer row: of its label
        and every alias), without generational suffixes ("Jr", "III")."""
        hit = tokens.get(key)
        if hit is None:
            if key.startswith("gaz:"):
                entry = gazetteer.entries[gaz_of_key[key]]
                names = [name_key(n) for n in (entry.label, *entry.names)]
            else:
                names = [key[5:]]
            hit = tokens[key] = tuple("\t".join(" ".join(w for w in n.split() if w not in _SUFFIXES) for n in names).split(" "))
        return hit

    def abbreviates(short: tuple[str, ...], key: str) -> bool:
        """Is *short* a word or a run of adjacent words of the (longer) name
        behind *key*? ("Lula" of "Luiz Inacio Lula da Silva", "Lacalle Pou"
        of "Luis Lacalle Pou".)"""
        for name in " ".join(words_of(key)).split("\t"):
            words = name.split()
            n = len(short)
            if n < len(words) and any(tuple(words[i:i + n]) == short for i in range(len(words) - n + 1)):
                return True
        return False

    # pass 2: short person names -> the longer name they abbreviate;
    # acronyms -> the organisation they abbreviate in the same document.
    # The first mention (in document order) that settles a name decides.
    all_people = {k for k in multiword if type_of(k) == "Person"}
    surnames = gazetteer.surnames()
    redirect: dict[str, tuple[str, str]] = {}
    acronyms: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    for key, etype in name_type.items():
        # "the U.S.-GCC Summits" is the series of which "the U.S.-GCC Summit"
        # is said: one node, under the singular name the corpus also uses
        if etype == "Event" and key.endswith("s") and " " in key:
            singular = "name:" + _singular_name(key[5:])
            if singular != key and name_type.get(singular) == "Event":
                redirect[key] = (singular, "plural of a named event")
    for ex in extractions:
        named = [(m, *base(m)) for m in ex.mentions]
        people_here = {key for _, name, key in named if key in multiword and len(name.split()) > 1
                       and type_of(key) == "Person"}
        orgs_here = {key for _, name, key in named if key in multiword and len(name.split()) > 1
                     and type_of(key) == "Organization"}
        _defined_acronyms(ex, named, redirect, gazetteer, gaz_of_key)
        _same_conflict(named, redirect, type_of, conflicts)
        for m, name, key in named:
            hit = _TICKET.match(name)
            if hit and key not in redirect:
                target = "name:" + name_key(f"{hit.group(1)} {hit.group(2)}")
                if target in name_type and target != key:
                    redirect[key] = (target, "administration named by its leader")
        for m, name, key in named:
            if key in redirect:
                continue
            if type_of(key) != "Person":
                # a one-word name the NER took for a place or body that is the
                # surname of a person of the corpus ("... called Zelenskyy")
                if not (key.startswith("name:") and m.rule == "ner" and type_of(key) in ("Place", "Organization")
                        and len(name.split()) == 1):
                    continue
                hits = sorted(k for k in all_people if abbreviates((name_key(name),), k))
                if len(hits) == 1:
                    redirect[key] = (hits[0], "surname of a person")
                elif not hits and gazetteer.lookup(name) is None:
                    # "Scholz said", "Zelenskiy said" typed as a place or body: the one
                    # office-holder of that family name, in office then
                    cands = surnames.get(name_key(name), [])
                    if len(cands) == 1 and _in_office(gazetteer, cands[0], ex.doc.date):
                        gkey = "gaz:" + cands[0].id
                        gaz_of_key[gkey] = cands[0].id
                        redirect[key] = (gkey, "gazetteer surname in office")
                continue
            short = tuple(w for w in name_key(name).split() if w not in _SUFFIXES)
            if not short or len(short) > 3:
                continue
            for scope, pool in (("short name in document", people_here), ("short name in corpus", all_people)):
                hits = sorted(k for k in pool if k != key and abbreviates(short, k))
                if len(hits) == 1:
                    target = hits[0]
                    if key.startswith("gaz:") and target.startswith("name:") and target not in redirect:
                        # the longer name the gazetteer does not know is the
                        # short name's gazetteer row ("Marcos" -> a QID)
                        redirect[target] = (key, scope)
                    elif not (key.startswith("gaz:") and target.startswith("gaz:")):
                        redirect[key] = (target, scope)
                    break
            else:
                if key.startswith("name:") and len(short) == 1:
                    cands = surnames.get(short[0], [])
                    title = (m.title or "").lower().replace("former ", "")
                    fits = [e for e in cands if title and any(_title_fits(title, r.lower()) for r in e.roles)]
                    reason = "gazetteer surname + title"
                    if not title and len(cands) == 1 and _in_office(gazetteer, cands[0], ex.doc.date):
                        # "Putin said": the one office-holder of that family name, in office then
                        fits, reason = cands, "gazetteer surname in office"
                    if len(fits) == 1:
                        gkey = "gaz:" + fits[0].id
                        gaz_of_key[gkey] = fits[0].id
                        redirect[key] = (gkey, reason)
        for m, name, key in named:
            if key in acronyms or key in redirect or not key.startswith("name:"):
                continue
            if not (name.isupper() and 2 <= len(name) <= 8 and name.isalpha()):
                continue
            hits = sorted(k for k in orgs_here if acronym_fits(name, _label_of_key(k, gazetteer, gaz_of_key)))
            if len(hits) == 1:
                acronyms[key] = hits[0]
    for key, target in acronyms.items():
        redirect.setdefault(key, (target, "acronym"))

    chains: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    def chain(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The key *key* ends at, and the (target, reason) steps on the way."""
        hit = chains.get(key)
        if hit is None:
            steps, seen, end = [], set(), key
            while end in redirect and end not in seen:
                seen.add(end)
                end, reason = redirect[end]
                steps.append((end, reason))
            hit = chains[key] = (end, tuple(steps))
        return hit

    # pass 3: what each entity is called, and how often
    surfaces: dict[str, Counter] = defaultdict(Counter)
    texts: dict[str, set[str]] = defaultdict(set)
    alt: dict[str, set[str]] = defaultdict(set)
    titles_seen: dict[str, set[str]] = defaultdict(set)
    counts: Counter = Counter()
    doc_counts: Counter = Counter()
    for ex in extractions:
        here = set()
        for m in ex.mentions:
            name, key = base(m)
            key, steps = chain(key)
            for target, reason in steps:
                merges.add(Merge(target, name, reason, m.doc_id))
            if m.rule == "definite-reference" or key.startswith("gaz:") and (
                    m.rule in _NOT_NAMES or m.type == "Country" and gazetteer.demonym(m.text.strip()) is not None):
                # "American", "the Kenyan President": they point to the entity but do not name it
                counts[key] += 1
                here.add(key)
                continue
            surfaces[key][name] += 1
            texts[key].add(m.text)
            alt[key].update((m.text.strip(), m.surface.strip(), name.strip()))
            if m.title and m.title.lower() not in _HONORIFICS:
                titles_seen[key].add(m.title)
            counts[key] += 1
            here.add(key)
        doc_counts.update(here)

    # "COVID-19" names the best-known of "COVID-19 pandemic" and "COVID-19 outbreaks"
    short_of: dict[str, str] = {}
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        if not key.startswith("gaz:") and type_of(key) in ("Event", "Initiative"):
            label = sorted(surfaces[key].items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0][0]
            short = _short_alias(label)
            if short is not None and name_key(short) not in short_of and gazetteer.lookup(short) is None:
                short_of[name_key(short)] = key
    built: list[tuple[str, str, Entity]] = []
    for key in counts:
        etype = type_of(key)
        if key.startswith("gaz:"):
            entry = gazetteer.entries[gaz_of_key[key]]
            label, qid = entry.label, entry.qid
            geonames, coords = entry.geonames, entry.coords
            merges.update(Merge(key, name, "gazetteer") for name in surfaces[key] if name != label)
        else:
            label = sorted(surfaces[key].items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0][0]
            qid, geonames, coords = None, None, None
            merges.update(Merge(key, name, "exact label") for name in texts[key] - {label})
        forms = alt[key]
        if etype in ("Event", "Initiative"):
            short = _short_alias(label)
            if short is not None and short_of.get(name_key(short)) == key:
                forms = forms | {short}
        entity = Entity(
            key=label,
            type=etype,
            label=label,
            alt_labels=tuple(sorted(form for form in forms if form and form != label)),
            qid=qid,
            titles=tuple(sorted(titles_seen[key])),
            mention_count=counts[key],
            doc_count=doc_counts[key],
            geonames=geonames,
            coords=coords,
        )
        built.append((etype, key, entity))

    # Distinct entities whose labels slug alike get a disambiguated key.
    from .ns import slugify

    built.sort(key=lambda b: (ENTITY_TYPES.index(b[0]), slugify(b[2].label), b[1]))
    seen_slugs: Counter = Counter()
    entities: list[Entity] = []
    keys: dict[str, int] = {}
    for etype, key, entity in built:
        slug = (etype, slugify(entity.label))
        seen_slugs[slug] += 1
        if seen_slugs[slug] > 1:
            entity = replace(entity, key=f"{entity.label} {seen_slugs[slug]}")
        keys[key] = len(entities)
        entities.append(entity)
    # canonical merge log: by entity then name
    label_of_key = {key: e.label for _, key, e in built}
    log = sorted({Merge(label_of_key.get(m.entity, m.entity), m.name, m.reason, m.doc_id) for m in merges},
                 key=lambda m: (m.entity, m.name, m.reason, m.doc_id or ""))
    before = {t: naive.get(t, 0) for t in ENTITY_TYPES}
    final = {key: chain(key)[0] for key in redirect}
    return Resolution(tuple(entities), tuple(log), before, keys, base, final)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
             "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
             "twentieth")
_ORDINAL_WORDS = re.compile(r"(?<![-\w])((?i:" + "|".join(_ORDINALS) + r"))\b(?=\s+[A-Z])")


def _ordinal_digits(match: re.Match) -> str:
    """"twentieth National Congress" and "20th National Congress" are one name."""
    n = _ORDINALS.index(match.group(1).lower()) + 1
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


#: generational suffixes: part of a name, never a name of their own
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: honorifics that are not positions ("Dr. Gordon" holds no office "Dr.")
_HONORIFICS = frozenset({"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof.", "professor", "sir", "dame",
                         "his excellency", "her excellency", "h.e.", "madam", "madame"})

_ACRONYM = re.compile(r"[A-Za-z][A-Za-z0-9&+-]{1,11}")


def _defined_acronyms(ex: Extraction, named: list, redirect: dict, gazetteer: Gazetteer,
                      gazetteer_keys: dict[str, str]) -> None:
    """An acronym defined in parentheses right after a name ("Partners in
    the Blue Pacific (PBP)", "the Field Epidemiology Training Program
    (FETP)") is that name's alias, here and wherever it is used."""
    text = ex.doc.text
    by_start = {}
    for m, name, key in named:
        by_start.setdefault(m.start, (m, name, key))
    for m, name, key in named:
        if len(name.split()) < 2:
            continue
        i = m.end
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] != "(":
            continue
        close = text.find(")", i + 1, i + 14)
        if close < 0:
            continue
        acronym = text[i + 1:close].strip()
        if not _ACRONYM.fullmatch(acronym) or sum(c.isupper() for c in acronym) < 2:
            continue
        inner = by_start.get(i + 1)
        entry = gazetteer.lookup(acronym)
        if inner is not None:  # the acronym is a mention: its key
            akey = inner[2]
        elif entry is None:  # or the key its later mentions will have
            akey = "name:" + name_key(acronym)
        elif entry.type == m.type:
            akey = "gaz:" + entry.id
            gazetteer_keys[akey] = entry.id
        else:
            continue
        if akey == key or akey in redirect or key in redirect:
            continue
        if akey.startswith("gaz:"):
            if key.startswith("name:"):  # a known acronym names the name ("... Nations (ASEAN)")
                redirect[key] = (akey, "acronym defined in the text")
            continue
        redirect[akey] = (key, "acronym defined in the text")


#: "the Biden-Harris Administration" is "the Biden Administration"
_TICKET = re.compile(r"^([A-Z][\w'’.]+)[-–][A-Z][\w'’.]+ (Administration|administration|Government|government)$")

_CONFLICT = re.compile(r"\b(?:war|conflict|crisis|invasion|aggression|fighting)\s+(?:in|against|on|over)\s+(?:the\s+)?(.+)$")
_CONFLICT_BEFORE = re.compile(r"^(?:\d{4}\s+)?(.+?)\s+(?:war|conflict|crisis)$")


def _same_conflict(named: list, redirect: dict, type_of, first: dict[str, str]) -> None:
    """"the war in Ukraine", "Russia's war against Ukraine" and "the Ukraine
    crisis" are one event: the war named by its place (*first*: the key of
    each place's war, over the corpus)."""
    for m, name, key in named:
        if key in redirect or type_of(key) != "Event":
            continue
        hit = _CONFLICT.search(name) or _CONFLICT_BEFORE.match(name)
        if hit is None or not hit.group(1)[:1].isupper():
            continue
        place = name_key(hit.group(1))
        target = first.setdefault(place, key)
        if target != key:
            redirect[key] = (target, "the same conflict")


def _singular_name(key: str) -> str:
    """A folded name with its last word made singular, as English forms
    the plurals of event heads: "summits" -> "summit", "conferences" ->
    "conference", "ministerial meetings" -> "ministerial meeting"."""
    head, _, last = key.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("sses", "ches", "shes", "xes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return f"{head} {last}"


def _short_alias(label: str) -> str | None:
    """An event or project named with a lowercase head is also called by its
    name alone: "Global Sentinel exercise" -> "Global Sentinel", "COVID-19
    pandemic" -> "COVID-19"."""
    words = label.split()
    if len(words) >= 2 and words[-1].islower() and words[-1].isalpha() and words[-2][:1].isupper() \
            and words[0][:1].isupper() and not words[0][:1].isdigit():
        return " ".join(words[:-1])
    return None


#: Mention rules whose text refers to the entity without being a name of it.
_NOT_NAMES = frozenset({"demonym", "office-holder", "definite-reference", "capital-metonymy"})


def _in_office(gazetteer: Gazetteer, entry, date: str | None) -> bool:
    """Did the gazetteer person *entry* hold an office on the document's
    *date* (an ISO date, or its year or month)? Unknown without a date."""
    if not date or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        return False
    for pos in gazetteer.positions_of(entry.id):
        if pos.start and pos.start[:len(date)] <= date and (pos.end is None or pos.end[:len(date)] >= date):
            return True
    return False


def _title_fits(title: str, role: str) -> bool:
    """"Secretary-General" fits the role "Secretary-General of the United Nations";
    "US President" fits "President"."""
    return title == role or role.startswith(title + " ") or title.endswith(" " + role)


def _label_of_key(key: str, gazetteer: Gazetteer, gaz_of_key: dict[str, str]) -> str:
    if key.startswith("gaz:"):
        return gazetteer.entries[gaz_of_key[key]].label
    return key[5:]
