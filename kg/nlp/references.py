"""Phrases that stand for a name told elsewhere, made mentions the verbs' arguments see:
"the Kenyan President" (the office-holder the gazetteer dates), "the Kenyan leader" (the
titled person named before), "the Corridor" (a longer name told before) and a capital that
acts for its state ("Washington imposed sanctions")."""

from __future__ import annotations

from ..records import Relation
from .context import Context, Standin
from .nameparts import head_index
from .positions import position_predicate
from .spans import COPULAS, POSSESSIVE, after_the, entity_at, rel
from .titles import _title_at, find_title

__all__ = ["capital_references", "definite_references", "leader_references", "office_references"]


def office_references(ctx: Context) -> list[Relation]:
    """"The Kenyan President", "Japan's Foreign Minister", "the Prime Minister
    of India", with no name beside them: the one person the gazetteer says held
    that office on the publication date becomes a mention (rule
    ``office-holder``), holding the position. Nothing without a date or when
    the office changed hands around it."""
    if ctx.gazetteer is None or not ctx.date:
        return []

    doc = ctx.doc
    n = len(doc)
    table = ctx.rules["office_categories"]
    out = []
    for i in ctx.positions_of({phrase.split()[0] for phrase in table if not phrase.startswith("_")}):
        title = _title_at(doc, i)
        if not title or title.lower() not in table or i in ctx.ent_of:
            continue
        end = i + len(title.replace("-", " - ").split())
        if end < n and (end in ctx.ent_of or doc[end].text[:1].isupper()):
            continue  # "President Ruto": a name follows
        country, first = None, i
        prev = doc[i - 1] if i > 0 else None
        if prev is not None and prev.text[:1].isupper() and prev.i not in ctx.ent_of:
            entry = ctx.gazetteer.demonym(prev.text)  # "the Kenyan President"
            if entry is not None:
                country, first = entry, i - 1
        elif i >= 2 and doc[i - 1].text in POSSESSIVE:  # "Kenya's President"
            owner = ctx.ent_of.get(i - 2)
            if owner is not None and owner.label_ == "Country" and owner.kb_id_.startswith("countries:"):
                country, first = ctx.gazetteer.entries.get(owner.kb_id_), owner.start
        if country is None and end + 1 < n and doc[end].lower_ == "of":  # "the President of Kenya"
            owner = entity_at(ctx, after_the(ctx, end + 1), ("Country",))
            if owner is not None and owner.kb_id_.startswith("countries:"):
                country, end = ctx.gazetteer.entries.get(owner.kb_id_), owner.end
        if country is None or first > 0 and doc[first - 1].lower_ in ("former", "late", "then", "next", "new", "future"):
            continue
        before = first - 1 if first > 0 and doc[first - 1].lower_ != "the" else first - 2
        if before >= 0 and (doc[before].lower_ in COPULAS or doc[before].text == "," and before > 0
                            and getattr(ctx.ent_of.get(before - 1), "label_", None) == "Person"):
            continue  # "Penny Wong, Australia's Foreign Minister", "who is Japan's foreign minister": a position
        if end + 1 < n and doc[end].text == "," and getattr(ctx.ent_of.get(end + 1), "label_", None) == "Person":
            continue  # "Australia's Foreign Minister, Penny Wong, ..."
        person = ctx.gazetteer.holder(table[title.lower()], country.id.split(":", 1)[1], ctx.date)
        if person is None:
            continue
        start_char, end_char = doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text)
        span = ctx.add_mention(start_char, end_char, doc[first:end].text, "Person", person, "office-holder", first)
        ctx.extra_mentions[span]["title"] = title
        country_span = next((ctx.span(e) for e in ctx.ents if e.kb_id_ == country.id), None)
        standin = Standin(doc, first, end, "Person", person.id)
        for k in range(first, end):  # the verbs' arguments see the person, not the country in the phrase
            ctx.ent_of[k] = standin
        if country_span is not None:
            out.append(rel(ctx, first, span, position_predicate(title, "Country", ctx.rules["positions"]),
                            country_span, "office-holder", title=title))
    return out


def definite_references(ctx: Context) -> None:
    """"The Corridor", "the Fund", "the Initiative": a capitalised head word
    after "the" that heads exactly one longer name told before in the chunk
    refers to it. It becomes a mention of that name (rule
    ``definite-reference``; not one of its names) the verbs' arguments see."""
    doc = ctx.doc
    heads: dict[str, dict[str, object]] = {}
    order = sorted((e for e in ctx.ents if e.label_ in ("Initiative", "Organization", "Event") and len(e) > 1),
                   key=lambda e: e.start)
    for ent in order:
        head = doc[head_index(ent)]
        if head.text[:1].isupper() and head.is_alpha:
            heads.setdefault(head.text, {}).setdefault(ent.text, ent)
    if not heads:
        return
    for i in ctx.positions_of({h.lower() for h in heads}):
        token = doc[i]
        if i in ctx.ent_of or token.text not in heads or i == 0 or doc[i - 1].lower_ != "the":
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].text in ("-", "–")):
            continue  # the start of a longer name
        before = [e for e in heads[token.text].values() if e.end <= i]
        if len({e.text for e in before}) != 1:
            continue
        antecedent = before[0]
        ctx.add_mention(token.idx, token.idx + len(token.text), token.text, antecedent.label_, None,
                        "definite-reference", i, label=antecedent.text)
        ctx.ent_of[i] = Standin(doc, i, i + 1, antecedent.label_, antecedent.kb_id_)


#: "the Kenyan <word>" -> the titles of the person it may stand for.
_LEADER_WORDS = {"leader": ("president", "prime minister", "premier", "chancellor", "king", "queen", "emir", "sultan",
                            "general secretary", "supreme leader", "crown prince"),
                 "president": ("president",), "premier": ("premier", "prime minister"),
                 "chancellor": ("chancellor",), "king": ("king",), "emir": ("emir",)}


#: Capitals that, as the subject of a verb, stand for more than their state
#: ("Brussels" for the European Union's institutions).
_SHARED_CAPITALS = frozenset({"places:brussels"})


def capital_references(ctx: Context) -> None:
    """"Washington imposed sanctions", "Beijing said", "Moscow's support for",
    "accused Moscow of", "sanctions on Tehran": a national capital as the
    subject of a verb kg reads, the object of a verb or noun whose objects are
    states and not places, or the possessor of a noun that states a relation,
    stands for its state. Its mention becomes one of the country (rule
    ``capital-metonymy``, not one of the country's names), which the verbs'
    arguments see; the place keeps its other mentions."""
    if ctx.gazetteer is None:
        return
    verbs, nouns, doc = ctx.rules["verbs"], ctx.rules["nouns"], ctx.doc
    for ent in list(ctx.ents):
        if ent.label_ != "Place" or not ent.kb_id_ or ent.kb_id_ in _SHARED_CAPITALS or ent.text.isupper():
            continue  # (nor a dateline's city: "KYIV, Feb 24 (Reuters) - ")
        entry = ctx.gazetteer.entries.get(ent.kb_id_)
        if entry is None or entry.kind != "capital" or not entry.country:
            continue
        root, head = ent.root, ent.root.head
        spec = verbs.get(head.lemma_.lower()) if head.pos_ == "VERB" else None
        if root.dep_ == "nsubj" and head.pos_ == "VERB":
            if spec is None and head.lemma_.lower() not in ctx.speech:
                continue
        elif root.dep_ in ("dobj", "pobj"):
            # "accused Moscow of", "sanctioned Beijing", "sanctions on Tehran"; not "visited Moscow"
            rule = spec
            if root.dep_ == "pobj":
                word = head.head if head.dep_ == "prep" else None
                rule = None if word is None else nouns.get(word.lower_) if word.pos_ == "NOUN" else verbs.get(
                    word.lemma_.lower()) if word.pos_ == "VERB" else None
                if rule is not None and head.lower_ not in (rule.get("preps") or ()):
                    rule = None
            types = set((rule or {}).get("objects") or ())
            if "Country" not in types or "Place" in types:
                continue
        elif not (root.dep_ == "poss" and head.lower_ in nouns):
            continue
        country = ctx.gazetteer.entries.get("countries:" + entry.country)
        if country is None:
            continue
        ctx.add_mention(ent.start_char, ent.end_char, ent.text, "Country", country, "capital-metonymy", ent.start)
        standin = Standin(doc, ent.start, ent.end, "Country", country.id)
        for k in range(ent.start, ent.end):
            ctx.ent_of[k] = standin


def leader_references(ctx: Context) -> None:
    """"The Kenyan leader", "the French president" with no name beside them:
    the last person of the chunk before it whose title names that office for
    that country ("Kenyan President William Ruto ... the Kenyan leader"). It
    becomes a mention of that person (rule ``definite-reference``) the verbs'
    arguments see. Run after :func:`office_references`, which reads offices
    the gazetteer dates."""
    if ctx.gazetteer is None:
        return

    doc = ctx.doc
    people = [e for e in ctx.ents if e.label_ == "Person"]
    if not people:
        return
    for i in ctx.positions_of(set(_LEADER_WORDS)):
        token = doc[i]
        if i in ctx.ent_of or i < 2 or doc[i - 2].lower_ != "the" or not token.is_lower:
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].lower_ == "of"):
            continue  # "the Kenyan President William Ruto", "the president of Kenya"
        country = ctx.gazetteer.demonym(doc[i - 1].text) if doc[i - 1].text[:1].isupper() else None
        if country is None:
            continue
        antecedent = None
        for person in reversed(people):
            if person.start >= i - 2:
                continue
            found = find_title(doc, person.start)
            if found is None or not any(t in found[1].lower() for t in _LEADER_WORDS[token.lower_]) \
                    or "vice" in found[1].lower() or "former" in found[1].lower():
                continue
            modifiers = doc[max(found[0] - 2, 0):person.start]
            entry = ctx.gazetteer.entries.get(person.kb_id_) if person.kb_id_ else None
            if any(ctx.gazetteer.demonym(t.text) is country or getattr(ctx.ent_of.get(t.i), "kb_id_", None) == country.id
                   for t in modifiers) or (entry is not None and getattr(entry, "country", None) == country.id.split(":", 1)[1]):
                antecedent = person
                break
        if antecedent is None:
            continue
        entry = ctx.gazetteer.entries.get(antecedent.kb_id_) if antecedent.kb_id_ else None
        first = i - 1
        ctx.add_mention(doc[first].idx, token.idx + len(token.text), doc[first:i + 1].text, "Person", entry,
                        "definite-reference", first, label=antecedent.text)
        standin = Standin(doc, first, i + 1, "Person", antecedent.kb_id_)
        for k in (first, i):
            ctx.ent_of[k] = standin
