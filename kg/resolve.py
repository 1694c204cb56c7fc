"""Mentions -> canonical entities: one node per real-world thing.

Resolution works on compact :class:`~kg.records.Mention` records (never on
spaCy Docs) and records every merge with its reason in a merge log:

``gazetteer``       the name or acronym is a gazetteer row (so it has a QID
                    when the row has one)
``exact label``     same name (case, accents, "the", possessive folded)
``type vote``       the same name was typed differently; the majority wins
``short name``      a one-word person name ("Xi", "Guterres") that is the
                    first or last word of exactly one longer person name
                    in the same document (or, failing that, the corpus)
``gazetteer surname`` a one-word person name with a title that fits exactly
                    one gazetteer person of that surname
``acronym``         an all-capitals name equal to the initials of exactly one
                    organisation named in the same document
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .gazetteer import Gazetteer, name_key
from .nlp.rules import titles
from .records import ENTITY_TYPES, Entity, Extraction, Merge, Mention

__all__ = ["Resolution", "resolve", "clean_name", "acronym_fits"]


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve`: entities (sorted by type and key) and
    the merge log."""

    entities: tuple[Entity, ...]
    merges: tuple[Merge, ...]
    #: mention (doc_id, start, end) -> index into ``entities``
    index: dict[tuple[str, int, int], int]
    #: nodes by type a builder without resolution would make (one per
    #: distinct surface form, type and document), for comparison
    before: dict[str, int] = None  # type: ignore[assignment]

    def entity_of(self, mention: Mention) -> Entity:
        return self.entities[self.index[(mention.doc_id, mention.start, mention.end)]]


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


def resolve(extractions: Iterable[Extraction], gazetteer: Gazetteer) -> Resolution:
    """Group the mentions of *extractions* into :class:`Entity` records."""
    mentions: list[Mention] = [m for ex in extractions for m in ex.mentions]
    merges: list[Merge] = []
    key_of: dict[int, str] = {}            # mention index -> entity key
    names: dict[int, str] = {}             # mention index -> cleaned name
    gaz_of_key: dict[str, str] = {}        # key -> gazetteer id

    # 1. gazetteer rows and exact names
    for i, m in enumerate(mentions):
        name = clean_name(m.label) or m.label
        names[i] = name
        entry = gazetteer.entries.get(m.gazetteer_id) if m.gazetteer_id else None
        if entry is None:
            entry = gazetteer.lookup(name, m.type) or (gazetteer.lookup(name) if m.rule == "ner" else None)
        if entry is not None:
            key_of[i] = "gaz:" + entry.id
            gaz_of_key[key_of[i]] = entry.id
        else:
            key_of[i] = "name:" + name_key(name)

    # 2. one type per name: majority vote
    type_votes: dict[str, Counter] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        if key_of[i].startswith("name:"):
            type_votes[key_of[i]][m.type] += 1
    name_type = {
        key: sorted(votes.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0][0]
        for key, votes in type_votes.items()
    }
    for key, votes in sorted(type_votes.items()):
        if len(votes) > 1:
            merges.append(Merge(key[5:], key[5:], f"type vote: {dict(sorted(votes.items()))} -> {name_type[key]}"))

    def type_of(key: str) -> str:
        if key.startswith("gaz:"):
            return gazetteer.entries[gaz_of_key[key]].type
        return name_type[key]

    # 3. short person names -> the longer name they abbreviate
    people_by_doc: dict[str, set[str]] = defaultdict(set)
    all_people: set[str] = set()
    for i, m in enumerate(mentions):
        if type_of(key_of[i]) == "Person" and len(names[i].split()) > 1:
            people_by_doc[m.doc_id].add(key_of[i])
            all_people.add(key_of[i])
    surnames = gazetteer.surnames()

    def tokens_of(key: str) -> list[str]:
        if key.startswith("gaz:"):
            return name_key(gazetteer.entries[gaz_of_key[key]].label).split()
        return key[5:].split()

    redirect: dict[str, tuple[str, str]] = {}
    for i, m in enumerate(mentions):
        key = key_of[i]
        if type_of(key) != "Person" or len(names[i].split()) != 1 or key in redirect:
            continue
        short = name_key(names[i])
        for scope, pool in (("short name in document", people_by_doc[m.doc_id]), ("short name in corpus", all_people)):
            hits = sorted(k for k in pool if k != key and short in (tokens_of(k)[0], tokens_of(k)[-1]))
            if len(hits) == 1:
                redirect[key] = (hits[0], scope)
                break
        else:
            if key.startswith("name:"):
                cands = surnames.get(short, [])
                title = (m.title or "").lower().replace("former ", "")
                fits = [e for e in cands if title and any(_title_fits(title, r.lower()) for r in e.roles)]
                if len(fits) == 1:
                    gkey = "gaz:" + fits[0].id
                    gaz_of_key[gkey] = fits[0].id
                    redirect[key] = (gkey, "gazetteer surname + title")

    # 4. acronyms -> the organisation they abbreviate in the same document
    orgs_by_doc: dict[str, set[str]] = defaultdict(set)
    for i, m in enumerate(mentions):
        if type_of(key_of[i]) == "Organization" and len(names[i].split()) > 1:
            orgs_by_doc[m.doc_id].add(key_of[i])
    for i, m in enumerate(mentions):
        key = key_of[i]
        if not key.startswith("name:") or key in redirect:
            continue
        if not (names[i].isupper() and 2 <= len(names[i]) <= 8 and names[i].isalpha()):
            continue
        hits = sorted(k for k in orgs_by_doc[m.doc_id] if acronym_fits(names[i], _label_of_key(k, gazetteer, gaz_of_key)))
        if len(hits) == 1:
            redirect[key] = (hits[0], "acronym")

    for i in range(len(mentions)):
        seen = set()
        while key_of[i] in redirect and key_of[i] not in seen:
            seen.add(key_of[i])
            target, reason = redirect[key_of[i]]
            merges.append(Merge(target, names[i], reason, mentions[i].doc_id))
            key_of[i] = target

    # 5. build the entities
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        groups[key_of[i]].append(i)
    built: list[tuple[str, str, Entity, list[int]]] = []
    for key, idxs in groups.items():
        etype = type_of(key)
        surfaces = Counter(names[i] for i in idxs)
        if key.startswith("gaz:"):
            entry = gazetteer.entries[gaz_of_key[key]]
            label, qid = entry.label, entry.qid
            for name in sorted(surfaces):
                if name != label:
                    merges.append(Merge(key, name, "gazetteer"))
        else:
            label = sorted(surfaces.items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0][0]
            qid = None
            variants = sorted({mentions[i].text for i in idxs} - {label})
            for name in variants:
                merges.append(Merge(key, name, "exact label"))
        alt = set()
        for i in idxs:
            for form in (mentions[i].text, mentions[i].surface, names[i]):
                form = form.strip()
                if form and form != label:
                    alt.add(form)
        titles_seen = sorted({mentions[i].title for i in idxs if mentions[i].title})
        ordered = sorted(idxs, key=lambda i: (mentions[i].doc_id, mentions[i].start, mentions[i].end))
        entity = Entity(
            key=label,
            type=etype,
            label=label,
            alt_labels=tuple(sorted(alt)),
            qid=qid,
            mentions=tuple(mentions[i] for i in ordered),
            titles=tuple(titles_seen),
        )
        built.append((etype, key, entity, idxs))

    # Distinct entities whose labels slug alike get a disambiguated key.
    from .ns import slugify

    built.sort(key=lambda b: (ENTITY_TYPES.index(b[0]), slugify(b[2].label), b[1]))
    seen_slugs: Counter = Counter()
    entities: list[Entity] = []
    index: dict[tuple[str, int, int], int] = {}
    for etype, key, entity, idxs in built:
        slug = (etype, slugify(entity.label))
        seen_slugs[slug] += 1
        if seen_slugs[slug] > 1:
            entity = Entity(**{**entity.__dict__, "key": f"{entity.label} {seen_slugs[slug]}"})
        for i in idxs:
            index[(mentions[i].doc_id, mentions[i].start, mentions[i].end)] = len(entities)
        entities.append(entity)
    # canonical merge log: by entity then name
    label_of_key = {key: e.label for _, key, e, _ in built}
    log = sorted({Merge(label_of_key.get(m.entity, m.entity), m.name, m.reason, m.doc_id) for m in merges},
                 key=lambda m: (m.entity, m.name, m.reason, m.doc_id or ""))
    naive = Counter(t for _, t, _ in {(m.doc_id, m.type, m.text) for m in mentions})
    before = {t: naive.get(t, 0) for t in ENTITY_TYPES}
    return Resolution(tuple(entities), tuple(log), index, before)


def _title_fits(title: str, role: str) -> bool:
    """"Secretary-General" fits the role "Secretary-General of the United Nations";
    "US President" fits "President"."""
    return title == role or role.startswith(title + " ") or title.endswith(" " + role)


def _label_of_key(key: str, gazetteer: Gazetteer, gaz_of_key: dict[str, str]) -> str:
    if key.startswith("gaz:"):
        return gazetteer.entries[gaz_of_key[key]].label
    return key[5:]
