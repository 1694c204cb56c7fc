"""Relations, event candidates, quotations and date mentions from a parsed Doc.

Rules come from ``kg/data/relations.json`` (verb lemmas and phrasal verbs ->
relation, object types, event type). The dependency parse gives subjects,
objects and prepositional attachments; two surface rules repair what the
small model's parser gets wrong: coordinated names written side by side
("China, Saudi Arabia, and Iran signed ...") are all subjects, and "he"/"she"
as a subject is the last person named within two sentences.

Everything returned is plain data with character offsets (the caller adds the
chunk offset and sentence numbering); no spaCy object leaves this module.
"""

from __future__ import annotations

import bisect
import re

from .context import AGENT_TYPES as _AGENT_TYPES, Context as _Context, Demonym as _Demonym
from .rules import relation_rules

__all__ = ["relation_rules", "find_structures"]

_SUBJ = ("nsubj", "csubj")
_PASSIVE_SUBJ = ("nsubjpass", "csubjpass")
_OBJ = ("dobj", "attr", "obj", "oprd")




def _phrasal(verb) -> str:
    for child in verb.children:
        if child.dep_ in ("prt", "advmod") and child.lower_ in ("forward", "up", "out", "off", "down"):
            return f"{verb.lemma_.lower()} {child.lower_}"
    return verb.lemma_.lower()


def _conjuncts(token):
    out = [token]
    for c in token.conjuncts:
        if c.i != token.i:
            out.append(c)
    return sorted(out, key=lambda t: t.i)


def _adjacent_coordination(ctx: _Context, ent) -> list:
    """The other names of a list *ent* is written in, of the same type:
    "A, B, and C", also when each name carries a title and a country
    ("President Tshisekedi of the DRC, President Bongo of Gabon, and ...",
    "Trump and Ukraine's President Zelenskyy"), which the parser rarely
    reads as one coordination. *ent* itself is not returned."""
    return _list_before(ctx, ent) + _list_after(ctx, ent)


def _name_start(ctx: _Context, ent) -> int:
    """The first token of *ent* with its title and possessive owner
    ("Ukraine's President Zelenskyy")."""
    from .components import find_title

    start = ent.start
    if ent.label_ == "Person":
        found = find_title(ctx.doc, ent.start)
        if found is not None:
            start = found[0]
    doc = ctx.doc
    if start >= 2 and doc[start - 1].text in ("'s", "’s", "'", "’"):
        owner = ctx.ent_of.get(start - 2)
        if owner is not None and owner.label_ in ("Country", "Organization"):
            start = owner.start
    return start


def _name_end(ctx: _Context, ent) -> int:
    """The token after *ent* with an "of (the) Country" and an "(ACRONYM)"."""
    doc = ctx.doc
    n = len(doc)
    end = ent.end
    if ent.label_ == "Person" and end + 1 < n and doc[end].lower_ == "of":
        k = end + 1 + (doc[end + 1].lower_ == "the")
        other = ctx.ent_of.get(k)
        if other is not None and other.label_ in ("Country", "Organization") and other.start == k:
            end = other.end
    if end + 2 < n and doc[end].text == "(" and doc[end + 2].text == ")":
        end += 3
    return end


def _list_before(ctx: _Context, ent) -> list:
    doc = ctx.doc
    found = []
    i = _name_start(ctx, ent) - 1
    while i > 0:
        sep = doc[i]
        if sep.text not in (",", "and"):
            break
        j = i - 1
        if sep.text == "and" and j >= 0 and doc[j].text == ",":
            j -= 1
        prev = _ent_ending_at(ctx, j, ent.label_)
        if prev is None:
            break
        found.append(prev)
        i = _name_start(ctx, prev) - 1
    return list(reversed(found))


def _ent_ending_at(ctx: _Context, j: int, label: str):
    """The entity of type *label* whose name (with "of Country" and
    "(ACRONYM)") ends at token *j*."""
    doc = ctx.doc
    if j >= 0 and doc[j].text == ")" and j >= 2 and doc[j - 2].text == "(":
        j -= 3
    prev = ctx.ent_of.get(j)
    if prev is not None and prev.label_ == label:
        return prev
    if prev is not None and prev.label_ in ("Country", "Organization") and label == "Person":
        k = prev.start - 1
        if k >= 1 and doc[k].lower_ == "the":
            k -= 1
        if k >= 1 and doc[k].lower_ == "of":
            person = ctx.ent_of.get(k - 1)
            if person is not None and person.label_ == "Person":
                return person
    return None


def _list_after(ctx: _Context, ent) -> list:
    from .components import find_title

    doc = ctx.doc
    n = len(doc)
    found = []
    i = _name_end(ctx, ent)
    while i < n:
        if doc[i].text == "," and i + 1 < n and doc[i + 1].lower_ in ("and", "or"):
            k = i + 2
        elif doc[i].text == "," or doc[i].lower_ == "and":
            k = i + 1
        else:
            break
        # the next name, maybe behind a title ("President Bongo")
        nxt = None
        for m in range(k, min(k + 6, n)):
            cand = ctx.ent_of.get(m)
            if cand is not None:
                if cand.label_ == ent.label_ and cand.start == m and (
                        _name_start(ctx, cand) <= k or all(doc[x].lower_ == "the" for x in range(k, m))):
                    nxt = cand
                break
            if not doc[m].text[:1].isupper() and doc[m].lower_ not in ("the", "'s", "’s"):
                break
        if nxt is None:
            break
        found.append(nxt)
        i = _name_end(ctx, nxt)
    return found


def _title_reference(ctx: _Context, token):
    """"The Vice President", "the President" with no name: the one person
    named before in the chunk with that title (None if several had it)."""
    if token.i in ctx.ent_of or not token.text[:1].isupper() or token.pos_ not in ("PROPN", "NOUN"):
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) and not (
            token.i > 0 and token.doc[token.i - 1].lower_ == "the"):
        return None
    words = [t.lower_ for t in token.doc[token.left_edge.i:token.i + 1] if t.dep_ != "det" and t.lower_ not in ("'s", "’s")]
    title = " ".join(words)
    if not title or title not in ctx.person_titles():
        return None
    people = ctx.person_titles()[title]
    before = [p for p in people if p.start < token.i]
    keys = {p.kb_id_ or p.text.split()[-1] for p in before}
    if len(keys) != 1:
        return None
    return before[-1]


def _recent_person(ctx: _Context, token):
    """The last Person entity before *token*, within two sentences."""
    limit_sent = ctx.sent_index(token.i) - 2
    for ent in reversed([e for e in ctx.ents if e.end <= token.i]):
        if ctx.sent_index(ent.start) < limit_sent:
            return None
        if ent.label_ == "Person":
            return ent
    return None


#: Verbs whose object is the subject of the infinitive after them.
_OBJECT_CONTROL = frozenset({"urge", "ask", "invite", "encourage", "call", "press", "persuade", "help", "allow", "enable", "request"})


def _subjects(ctx: _Context, verb, passive_ok=True):
    """(entities, role phrases) of the subject of *verb*."""
    head = verb
    subs = []
    for _ in range(4):
        subs = [c for c in head.children if c.dep_ in _SUBJ]
        if subs or head.head is head:
            break
        if head.dep_ == "conj" or head.dep_ == "xcomp" or (
                head.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)):
            if head.dep_ == "xcomp" and head.head.lemma_.lower() in _OBJECT_CONTROL:
                # "X urged Y to join": Y is who joins
                subs = [c for c in head.head.children if c.dep_ in ("dobj",)]
                break
            head = head.head
            continue
        if head.dep_ == "relcl" and head.head.i in ctx.ent_of:
            subs = [head.head]  # "the United States, which supports ..."
        break
    ents, roles = [], []
    agent = [c for c in verb.children if c.dep_ == "agent"]
    if agent:
        subs = [p for a in agent for p in a.children if p.dep_ == "pobj"]
    for s in subs:
        for t in _conjuncts(s):
            if t.lower_ in ("he", "she") :
                person = _recent_person(ctx, t)
                if person is not None:
                    ents.append(person)
                continue
            if t.lower_ == "we":
                ents.extend(_we(ctx))
                continue
            ent = (ctx.entity_in(t, _AGENT_TYPES, deep=False) or _compound_entity(ctx, t) or _title_reference(ctx, t)
                   or _group_of(ctx, t))
            if ent is not None:
                ents.extend(_adjacent_coordination(ctx, ent))
                ents.append(ent)
                continue
            demonym = _demonym_agent(ctx, t)
            if demonym is not None:
                ents.append(demonym[0])
                roles.append((demonym[0], demonym[1]))
    unique = {}
    for e in ents:
        unique[(e.start, e.end)] = e
    return [unique[k] for k in sorted(unique)], roles


#: Nouns for the people or bodies acting for a country or organisation: "the leaders of the GCC".
_ACTING_NOUNS = frozenset({"government", "governments", "leader", "leaders", "people", "president", "minister",
                           "ministers", "officials", "representatives", "delegation", "delegations", "team", "teams",
                           "forces", "military", "troops", "members", "authorities", "ministry", "heads", "envoys",
                           "diplomats", "negotiators", "citizens", "administration", "partners", "states", "countries"})


def _group_of(ctx: _Context, token):
    """"The leaders of the GCC met": the body the acting noun belongs to."""
    if token.lower_ not in _ACTING_NOUNS or token.i in ctx.ent_of:
        return None
    for p in token.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for pobj in p.children:
                ent = ctx.entity_in(pobj, _AGENT_TYPES, deep=False) or _compound_entity(ctx, pobj) if pobj.dep_ == "pobj" else None
                if ent is not None:
                    return ent
    return None


def _compound_entity(ctx, token):
    for c in token.children:
        if c.dep_ in ("compound", "poss", "nmod") and c.i in ctx.ent_of and ctx.ent_of[c.i].label_ in _AGENT_TYPES:
            return ctx.ent_of[c.i]
    return None


def _demonym_agent(ctx: _Context, token):
    """"the Chinese rescue team" -> (China, "rescue team")."""
    if ctx.gazetteer is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    for c in token.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.text[:1].isupper():
            entry = ctx.gazetteer.demonym(c.text)
            if entry is not None:
                ctx.add_mention(c.idx, c.idx + len(c.text), c.text, "Country", entry, "demonym", c.i)
                role = " ".join(t.text for t in token.subtree if t.i > c.i and t.i <= token.i and t.dep_ != "det")
                return _Demonym(c, entry), role or token.text
    return None


def _objects(ctx: _Context, verb, spec):
    types = set(spec.get("objects") or [])
    out = []
    dobjs = [c for c in verb.children if c.dep_ in _OBJ]
    if not dobjs:  # "signed and issued a joint statement": the object is shared
        dobjs = [c for v in verb.children if v.dep_ == "conj" and v.pos_ == "VERB" and 0 < v.i - verb.i <= 3
                 for c in v.children if c.dep_ in _OBJ][:1]
    if not [c for c in verb.children if c.dep_ in _SUBJ] and verb.dep_ != "conj":
        dobjs += [c for c in verb.children if c.dep_ in _PASSIVE_SUBJ]
    preps = set(spec.get("preps") or [])
    heads = [verb] + dobjs
    nominal = ctx.rules["nouns"]
    for d in dobjs:
        for t in _conjuncts(d):
            # "condemned the attack on Ukraine": the attack is condemned, not Ukraine
            deep = t.lower_ not in nominal or t.i in ctx.ent_of
            ent = (ctx.entity_in(t, types, deep=deep) or (None if deep else _compound_entity(ctx, t))) if types else None
            if ent is not None:
                out.extend(_adjacent_coordination(ctx, ent))
                out.append(ent)
    for h in heads:
        for p in h.children:
            if p.dep_ in ("prep", "dative") and p.lower_ in preps:
                for pobj in p.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for t in _conjuncts(pobj):
                        ent = ctx.entity_in(t, types) if types else None
                        if ent is not None:
                            out.extend(_adjacent_coordination(ctx, ent))
                            out.append(ent)
    unique = {}
    for e in out:
        unique[(e.start, e.end)] = e
    return [unique[k] for k in sorted(unique)], dobjs


def _places(ctx: _Context, verb, exclude):
    """Where the happening of *verb* took place: "in X", "at X", "to X" on the
    verb or its object, also down a chain of nouns ("on the margins of the
    APEC meeting in San Francisco"), never inside another clause."""
    out = []
    frontier = [verb] + [c for c in verb.children if c.dep_ in _OBJ]
    for depth in range(3):
        next_frontier = []
        for h in frontier:
            for p in h.children:
                if p.dep_ != "prep":
                    continue
                for pobj in p.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if p.lower_ in ("in", "at", "to") and not (depth and p.lower_ == "to"):
                        ent = ctx.entity_in(pobj, ("Place", "Country"), deep=False) or (
                            ctx.entity_in(pobj, ("Place", "Country")) if pobj.i not in ctx.ent_of else None)
                        if ent is not None and (ent.start, ent.end) not in exclude:
                            out.append(ent)
                            for a in pobj.subtree:  # "in Bali, Indonesia"
                                e2 = ctx.ent_of.get(a.i)
                                if a.dep_ == "appos" and e2 is not None and e2.label_ in ("Place", "Country"):
                                    out.append(e2)
                            continue
                    if pobj.pos_ in ("NOUN", "PROPN"):
                        next_frontier.append(pobj)
        frontier = next_frontier
        if out:
            break
    unique = {(e.start, e.end): e for e in out}
    return [unique[k] for k in sorted(unique)]


_MARGINS = frozenset({"margins", "margin", "sidelines", "sideline", "side"})


def _occasion(ctx: _Context, verb, venues: bool = False):
    """"met ... on the margins of the G20 summit", "a speech at the general
    debate of the 70th session of the UN General Assembly": the named event a
    meeting or speech took place at; with *venues*, also a body's seat ("at
    the UNESCO Headquarters", "at the Korber Foundation")."""
    for p in verb.children:
        if p.dep_ == "prep" and p.lower_ in ("on", "at", "during"):
            for pobj in p.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.lower_ in _MARGINS:
                    for of in pobj.children:
                        if of.dep_ == "prep" and of.lower_ == "of":
                            for x in of.children:
                                ent = ctx.entity_in(x, ("Event",)) if x.dep_ == "pobj" else None
                                if ent is not None:
                                    return ent
                elif p.lower_ in ("at", "during"):
                    ent = ctx.entity_in(pobj, ("Event",), deep=False)
                    if ent is None:  # "at the general debate of the 70th session of ..."
                        ent = ctx.entity_in(pobj, ("Event",))
                    if ent is None and venues and p.lower_ == "at":
                        ent = ctx.entity_in(pobj, ("Organization",), deep=False)
                    if ent is not None:
                        return ent
    return None


def _phrase(verb, dobjs) -> str:
    """The verb (with its particle) and the start of its object: "signed a joint statement"."""
    doc = verb.doc
    words = [verb.text]
    for c in verb.children:
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "forward"):
            words.append(c.text)
    if dobjs:
        d = dobjs[0]
        stop = d.i + 1
        for t in d.rights:
            if t.dep_ in ("prep",) and t.i - d.i < 6:
                stop = max(stop, min(t.right_edge.i + 1, t.i + 5))
            break
        words.extend(t.text for t in doc[d.left_edge.i:min(stop, d.left_edge.i + 10)] if not t.is_space)
    text = " ".join(w for w in words if w != '"')
    return text.replace(" - ", "-").replace(" 's", "'s").replace(" ,", ",").strip(" ,;:")


_NUMERIC = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")


def _quantities(ctx: _Context, verb) -> list[dict]:
    """Numbers in the verb's own clause: "sent 38 medical expert teams to 34 countries"."""
    from ..quantities import QUALIFIERS, parse_quantity

    clause = {t.i for t in verb.subtree}
    for t in verb.subtree:  # leave out nested clauses with their own verb
        if t is not verb and t.dep_ in ("relcl", "ccomp", "advcl", "conj") and t.pos_ in ("VERB", "AUX"):
            clause -= {x.i for x in t.subtree}
    out = []
    for ent in ctx.all_ents:
        if ent.label_ not in _NUMERIC or ent.root.i not in clause:
            continue
        parsed = parse_quantity(ent.text)
        if parsed is None:
            continue
        qualifier, value, currency = parsed
        head = ent.root.head if ent.root.dep_ in ("nummod", "quantmod", "amod") else ent.root
        if head.i in range(ent.start, ent.end) or head.i < ent.end:
            # the unit is inside the expression: "about 8,000 kilometers"
            item = " ".join(t.text for t in ent if t.is_alpha and not t.like_num
                            and not any(t.lower_ in q.split() for q in QUALIFIERS))
        else:
            # the counted noun with its modifiers, and an "of" phrase: "doses of vaccines"
            words = [t.text for t in ctx.doc[ent.end:head.i + 1] if not t.is_punct]
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None:
                words += ["of"] + [t.text for t in ctx.doc[pobj.left_edge.i:pobj.i + 1] if t.dep_ != "det"]
            item = " ".join(words[:8])
        out.append({"value": value, "item": item, "text": ent.text, "qualifier": qualifier, "currency": currency})
    return out


def _dates_of_sentence(ctx: _Context, sent_index: int, anchor_token) -> list:
    """The DATE expressions of the sentence that can date *anchor_token*: the
    ones that modify it first ("met on Tuesday"), then those attached to no
    other clause, by distance. A date inside another clause or another
    happening's noun phrase ("since his inauguration in January", "building
    on her April 29 meeting") is not this happening's date."""
    a, b = ctx.sent_spans[sent_index]
    ranked = []
    for e in ctx.all_ents:
        if e.label_ == "DATE" and a <= e.start < b:
            rank = _date_rank(ctx, e.root, anchor_token)
            if rank < 2:
                ranked.append((rank, abs(e.start - anchor_token.i), e))
    return [e for _, _, e in sorted(ranked, key=lambda x: (x[0], x[1], x[2].start))]


def _date_rank(ctx: _Context, token, anchor) -> int:
    """0 when *token* hangs from *anchor*, 1 when it hangs from no other
    verb or happening, 2 when it belongs to another one."""
    nouns = ctx.event_noun_words()
    start = token
    for _ in range(12):
        if token.i == anchor.i:
            return 0
        if token is not start:
            if token.pos_ in ("VERB", "AUX"):
                # "After the congress was held, from November 14 to 19, Xi
                # embarked ...": a date set off by a comma after a subordinate
                # clause modifies the main one, whatever the parser attached
                if token.dep_ == "advcl" and token.head.i == anchor.i and token.i < start.i and any(
                        t.text == "," for t in token.doc[token.i:start.i]):
                    return 1
                return 2
            if token.lower_ in nouns and token.head.i != anchor.i and token.i != anchor.i:
                return 2
        if token.head.i == token.i:
            return 1
        token = token.head
    return 1


#: Verbs whose infinitive is wished for, not done: "wants to join".
_WANTING = frozenset({"want", "seek", "hope", "apply", "aspire", "plan", "wish", "intend", "ask", "bid", "try", "strive"})

#: Heads of a group that stands for the two sides of a call or meeting told just before.
_GROUP_WORDS = frozenset({"they", "leaders", "presidents", "sides", "parties", "ministers", "counterparts"})
_PLANNING_VERBS = frozenset({"plan", "expect", "intend", "agree", "decide", "hope", "look", "aim", "seek", "prepare",
                             "schedule", "invite", "ask", "urge", "propose", "want", "wish", "promise", "pledge", "vow"})


def _tense(verb) -> str:
    """``future`` for "will meet", "is to visit", "plans to travel", "is
    scheduled to"; ``past`` or ``present`` for a finite verb; else ``other``."""
    head = verb
    for _ in range(3):
        aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "shall", "'ll", "wo"}:
            return "future"
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in _PLANNING_VERBS and head.head.lemma_.lower() != "agree":
            return "future"
        if head.dep_ in ("xcomp", "conj") and head.head.pos_ in ("VERB", "AUX"):
            head = head.head
            continue
        break
    tag = head.tag_
    if tag in ("VBD",) or tag == "VBN" and any(c.lemma_ == "have" for c in head.children if c.dep_ == "aux"):
        return "past"
    if tag in ("VBZ", "VBP"):
        return "present"
    if tag == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in head.children):
        return "past"
    return "other"


def _group_subject(ctx: _Context, verb):
    """"They", "the two leaders", "both sides" as the subject of *verb*: the
    parties of the last call or meeting of the chunk (within two sentences)."""
    if ctx.last_parties is None:
        return None
    subs = [c for c in verb.children if c.dep_ in _SUBJ]
    head = verb
    while not subs and head.dep_ in ("conj", "xcomp") and head.head is not head:
        head = head.head
        subs = [c for c in head.children if c.dep_ in _SUBJ]
    if len(subs) != 1 or subs[0].lower_ not in _GROUP_WORDS:
        return None
    sent, parties = ctx.last_parties
    if ctx.sent_index(verb.i) - sent > 2:
        return None
    return parties


def find_structures(sdoc, offset: int, sent_spans, gazetteer=None, text: str | None = None) -> dict:
    """Relations, events, quotations and dates of one parsed chunk.

    Sentence numbers in the result are indices into *sent_spans* (token
    spans of the chunk's sentences); offsets are document offsets.
    """
    ctx = _Context(sdoc, offset, sent_spans, gazetteer)
    ctx.text = text if text is not None else sdoc.text
    rules = ctx.rules
    verbs = rules["verbs"]
    relations, events = [], []

    def date_records(sent_index, anchor):
        return [{"start": e.start_char + offset, "end": e.end_char + offset, "text": e.text, "sentence": sent_index}
                for e in _dates_of_sentence(ctx, sent_index, anchor)]

    def relate(sent_index, subjects, objects, predicate, key):
        for s in subjects:
            if s.label_ not in _AGENT_TYPES:
                continue
            for o in objects:
                if (s.start, s.end) == (o.start, o.end):
                    continue
                relations.append({"sentence": sent_index, "subject": ctx.span(s), "predicate": predicate,
                                  "object": ctx.span(o), "verb": key, "rule": f"verb:{key}"})

    # Only verbs are looked at: find them in the POS array instead of making a
    # Python Token for every word.
    from spacy.attrs import LOWER, POS
    from spacy.symbols import AUX, VERB

    attrs = sdoc.to_array([POS, LOWER])
    verb_positions = [i for i, pos in enumerate(attrs[:, 0]) if pos in (VERB, AUX)]
    evented: set[int] = set()  # object nouns a verb event already covers ("held a meeting")
    for i in verb_positions:
        token = sdoc[i]
        if token.lemma_.lower() in ("be",):
            continue
        key = _phrasal(token)
        spec = verbs.get(key) or verbs.get(token.lemma_.lower())
        sent_index = ctx.sent_index(token.i)
        subjects, roles = _subjects(ctx, token)
        group = None
        if not subjects:
            group = _group_subject(ctx, token)
            if group:
                subjects = list(group)
        if spec is None:
            # Generic relation: both ends entities, direct attachment only.
            if key in ctx.speech or not subjects or group:
                continue
            for obj in _path_objects(ctx, token):
                for s in subjects:
                    if (s.start, s.end) != (obj.start, obj.end) and not isinstance(s, _Demonym):
                        relations.append({"sentence": sent_index, "subject": ctx.span(s), "predicate": "relatedTo",
                                          "object": ctx.span(obj), "verb": token.lemma_.lower(), "rule": f"verb:{token.lemma_.lower()}"})
            continue
        objects, dobjs = _objects(ctx, token, spec)
        for otype, preps in (spec.get("event_needs_preps_for_types") or {}).items():
            # "welcomed President Ruto to the White House" hosts him; "welcomed
            # President Ruto's decision" does not
            if not any(c.dep_ in ("prep", "dative") and c.lower_ in preps for c in token.children):
                objects = [o for o in objects if o.label_ != otype]
        object_words = {t.lower_ for d in dobjs for t in d.subtree}
        object_types = {o.label_ for o in objects}
        needs = spec.get("needs_object_words")
        relation_ok = not needs or object_words & set(needs)
        if spec.get("needs_prep_object") and not objects:
            relation_ok = False  # "work" alone, "speak" without "with"
        predicate = spec["relation"]
        if predicate == "joined" and token.dep_ == "xcomp" and token.head.lemma_.lower() in _WANTING:
            predicate = "seeksMembershipIn"  # "Indonesia wants to join BRICS"
        for otype, other in (spec.get("relation_if_object_types") or {}).items():
            if otype in object_types:
                predicate = other
        if relation_ok and predicate != "relatedTo":
            if group:  # "the two leaders agreed with ..." relates each side
                relate(sent_index, subjects, [o for o in objects if all((o.start, o.end) != (g.start, g.end) for g in group)], predicate, key)
            else:
                relate(sent_index, subjects, objects, predicate, key)
        event_type = None
        for word, etype in (spec.get("event_if_object_words") or {}).items():
            if word in object_words:
                event_type = etype
        for otype, etype in (spec.get("event_if_object_types") or {}).items():
            if otype in object_types and event_type is None:
                event_type = etype
        for word, etype in (spec.get("event_if_subject_words") or {}).items():
            if any(word == c.lower_ for c in token.children if c.dep_ in _SUBJ + _PASSIVE_SUBJ):
                event_type = etype
        if event_type is None and spec.get("event") and relation_ok:
            event_type = spec["event"]
        if event_type is None:
            continue
        agents = [ctx.span(s) for s in subjects if s.label_ in _AGENT_TYPES]
        targets = [ctx.span(o) for o in objects]
        if event_type == "Visit" and spec.get("visit_host"):
            # "Biden hosted Kishida": Kishida made the visit, Biden received it
            agents, targets = [ctx.span(o) for o in objects if o.label_ in _AGENT_TYPES], agents
            if not agents:
                continue  # received, but no guest named
        places = [ctx.span(p) for p in _places(ctx, token, set(targets))]
        if event_type in ("Meeting", "Call", "Speech", "Statement", "Endorsement", "Pledge", "Launch", "Proposal"):
            occasion = _occasion(ctx, token, venues=event_type != "Meeting")
            if occasion is not None:  # they met, spoke or announced at it: each attended it
                relate(sent_index, [s for s in subjects if not isinstance(s, _Demonym)] + [o for o in objects if o.label_ in _AGENT_TYPES],
                       [occasion], "spokeAt" if event_type == "Speech" else "attended", key)
                if occasion.label_ != "Event":
                    targets.append(ctx.span(occasion))  # a venue: "a speech at the Korber Foundation"
        if event_type == "Visit":
            places = sorted(set(places) | {t for t, o in zip(targets, objects) if o.label_ in ("Place", "Country")})
        if not (agents or targets):
            continue
        evented.update(d.i for d in dobjs)
        if event_type in ("Meeting", "Call", "Visit") and len({*agents, *targets}) >= 2:
            people = [e for e in list(subjects) + list(objects) if e.label_ in _AGENT_TYPES]
            ctx.last_parties = (sent_index, people)
        events.append({
            "sentence": sent_index, "type": event_type, "trigger": key, "trigger_start": token.idx + offset,
            "phrase": _phrase(token, dobjs), "rule": f"verb:{key}", "agents": agents, "targets": targets,
            "places": places, "roles": [(ctx.span(e), r) for e, r in roles], "dates": date_records(sent_index, token),
            "quantities": _quantities(ctx, token), "tense": _tense(token),
        })

    relations_, events_ = _noun_triggers(ctx, attrs, evented, date_records)
    relations.extend(relations_)
    events.extend(events_)
    from .facts import fact_relations

    relations.extend(fact_relations(ctx))  # before the named events, which read the countries in names
    events.extend(_named_events(ctx, date_records))

    # Noun-headed happenings: "the completion ceremony ... was held", "the meeting ... was held".
    noun_hashes = {sdoc.vocab.strings.add(word) for word in rules["event_nouns"]}
    for i in [i for i, h in enumerate(attrs[:, 1]) if h in noun_hashes]:
        token = sdoc[i]
        etype = rules["event_nouns"].get(token.lower_)
        if etype is None or token.dep_ not in _PASSIVE_SUBJ or token.i in ctx.ent_of:
            continue  # (a named event is dated by _named_events)
        verb = token.head
        if verb.lemma_.lower() not in ("hold", "open", "convene", "launch", "complete"):
            continue
        sent_index = ctx.sent_index(token.i)
        phrase = " ".join(t.text for t in token.subtree if t.dep_ != "det")[:200]
        participants = [ctx.span(e) for t in token.subtree if (e := ctx.ent_of.get(t.i)) is not None and e.label_ in _AGENT_TYPES]
        places = [ctx.span(p) for p in _places(ctx, verb, set())]
        events.append({
            "sentence": sent_index, "type": etype, "trigger": token.lower_, "trigger_start": token.idx + offset,
            "phrase": phrase, "rule": f"noun:{token.lower_}", "agents": sorted(set(participants)), "targets": [],
            "places": places, "roles": [], "dates": date_records(sent_index, verb), "quantities": [],
            "tense": _tense(verb),
        })

    quotations = _quotations(ctx)
    dates = [{"start": e.start_char + offset, "end": e.end_char + offset, "text": e.text, "sentence": ctx.sent_index(e.start)}
             for e in ctx.all_ents if e.label_ == "DATE"]
    return {"relations": relations, "events": events, "quotations": quotations, "dates": dates,
            "extra_mentions": list(ctx.extra_mentions.values())}


def _quotations(ctx: _Context) -> list[dict]:
    doc = ctx.doc
    out = []
    for open_, close in _quote_pairs(doc, ctx.text):
        inner = doc[open_.i + 1:close.i]
        words = [t for t in inner if t.is_alpha]
        if len(words) < 6 or not any(t.pos_ in ("VERB", "AUX") for t in inner):
            continue  # scare quotes and quoted titles are not statements
        speaker, rule = _speaker_after(ctx, close), "quote:after"
        if speaker is None:
            speaker, rule = _speaker_before(ctx, open_), "quote:before"
        if speaker is None:
            rule = "quote:unattributed"
        text = inner.text.strip()
        out.append({
            "start": inner.start_char + ctx.offset, "end": inner.end_char + ctx.offset, "text": text,
            "sentence": ctx.sent_index(open_.i + 1),
            "speaker": ctx.span(speaker) if speaker is not None else None, "rule": rule,
        })
    return out


def _quote_role(text: str, i: int) -> str:
    """Is the straight quote at *i* opening, closing, or either?"""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{-\u2014:") and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}-\u2014\"")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _quote_pairs(doc, text: str | None = None):
    """Pair straight double quotes by their context: an opening quote starts a
    word, a closing one ends it; a quote left without its partner (broken
    quotes in scraped text) pairs with nothing rather than with a stranger."""
    if text is None:
        text = doc.text  # Doc.text joins every token: read it once
    starts = doc.to_array("IDX")
    marks = []
    for match in re.finditer('"', text):
        i = bisect.bisect_right(starts, match.start()) - 1
        # a quote that is a token of its own (not inside a word such as 'a"b')
        if i >= 0 and starts[i] == match.start() and doc[i].text == '"':
            marks.append((doc[i], _quote_role(text, match.start())))
    pairs = []
    opened = None
    for token, role in marks:
        if opened is not None and "\n" in text[opened.idx:token.idx]:
            opened = None  # a quotation does not run across a paragraph break
        if opened is None:
            if role in ("open", "either"):
                opened = token
        elif role in ("close", "either"):
            pairs.append((opened, token))
            opened = None
        else:  # a second opening quote: the first one was never closed
            opened = token
    return pairs


def _speech_subject(ctx: _Context, verb):
    if _phrasal(verb) not in ctx.speech and verb.lemma_.lower() not in ctx.speech:
        return None
    subjects, _ = _subjects(ctx, verb)
    people = [s for s in subjects if s.label_ in ("Person", "Organization", "Country") and not isinstance(s, _Demonym)]
    return people[0] if len(people) == 1 else None


def _speaker_after(ctx: _Context, close):
    """'"..." UN Secretary-General Guterres said.'"""
    doc = ctx.doc
    j = close.i + 1
    sent = ctx.sent_index(min(j, len(doc) - 1))
    a, b = ctx.sent_spans[sent] if sent < len(ctx.sent_spans) else (j, j)
    end = min(len(doc), max(b, j + 1), j + 40)
    for t in doc[j:end]:
        if t.text == '"':
            break
        if t.pos_ == "VERB":
            who = _speech_subject(ctx, t)
            if who is not None and who.start >= j:
                return who
            if t.dep_ == "ROOT":
                break
    return None


def _speaker_before(ctx: _Context, open_):
    """'Guterres said: "..."' or 'Guterres said that "..."'."""
    doc = ctx.doc
    sent = ctx.sent_index(open_.i)
    a, _ = ctx.sent_spans[sent]
    for t in reversed(doc[a:open_.i]):
        if t.pos_ == "VERB":
            return _speech_subject(ctx, t)
    return None


def _path_objects(ctx: _Context, verb) -> list:
    """Entities the verb reaches through its object and prepositions, with
    coordination, down noun phrases but not into another clause: "covered
    Laos, Thailand and Myanmar", "signed an agreement with Peru on trade"."""
    out = {}
    frontier = [c for c in verb.children if c.dep_ in ("dobj", "dative") or c.dep_ == "prep"]
    for _ in range(3):
        nxt = []
        for t in frontier:
            if t.dep_ == "prep" or t.dep_ == "dative" and t.pos_ == "ADP":
                nxt.extend(c for c in t.children if c.dep_ == "pobj")
                continue
            for c in _conjuncts(t):
                ent = ctx.ent_of.get(c.i)
                if ent is not None:
                    for e in _adjacent_coordination(ctx, ent) + [ent]:
                        out[(e.start, e.end)] = e
                else:
                    nxt.extend(x for x in c.children if x.dep_ == "prep" and x.lower_ in ("of", "with", "to", "for", "in", "on", "between"))
        frontier = nxt
    return [out[k] for k in sorted(out)]


#: Verbs that hand their subject to the noun they govern: "voiced support",
#: "paid a visit", "held talks", "imposed sanctions", "launched an attack".
_LIGHT_VERBS = frozenset({"voice", "express", "reaffirm", "reiterate", "give", "provide", "offer", "pledge", "extend",
                          "make", "pay", "hold", "have", "conduct", "undertake", "launch", "carry", "mount", "impose",
                          "announce", "renew", "affirm", "underscore", "emphasize", "emphasise", "stress", "confirm",
                          "deepen", "strengthen", "continue", "begin", "start", "complete", "seek", "show", "lend",
                          "demonstrate", "expand", "increase", "deliver", "send", "commit", "step", "intensify",
                          "host", "attend", "join", "end", "conclude", "lead", "take", "accept", "assume"})


def _verb_above(token):
    """The nearest verb *token* hangs from (the clause a noun phrase is in)."""
    for _ in range(8):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _we(ctx: _Context) -> list:
    """Who "we" are in a joint statement: "We, the Leaders of Australia, India,
    Japan and the United States, ..." (the first such apposition of the chunk)."""
    if ctx.we is None:
        ctx.we = []
        doc = ctx.doc
        for token in doc:
            if token.lower_ != "we" or token.i + 4 >= len(doc) or doc[token.i + 1].text != ",":
                continue
            k = token.i + 2 + (doc[token.i + 2].lower_ == "the")
            for m in range(k, min(k + 8, len(doc))):
                if doc[m].lower_ == "of":
                    first = ctx.ent_of.get(m + 1) or ctx.ent_of.get(m + 2) if m + 2 < len(doc) else None
                    if first is not None and first.label_ in _AGENT_TYPES:
                        ctx.we = [first] + [e for e in _list_after(ctx, first) if e.label_ == first.label_]
                    break
                if doc[m].text in (",", "."):
                    break
            if ctx.we:
                break
    return ctx.we


def _possessive_pronoun(ctx: _Context, token):
    """"his", "her" before a noun: the person the main clause is about when
    the phrase comes first ("On the eve of his visit, President Xi
    replied"), else the last person named (within two sentences)."""
    if token.lower_ == "our":
        return (_we(ctx) or [None])[0] if len(_we(ctx)) == 1 else None
    if token.lower_ not in ("his", "her"):
        return None
    verb = _verb_above(token)
    if verb is not None:
        for c in _subjects_of(verb):
            ent = ctx.ent_of.get(c.i)
            if ent is not None and ent.label_ == "Person" and ent.start != token.head.i:
                return ent
    return _recent_person(ctx, token)


def _subjects_of(verb) -> list:
    """The subject tokens of *verb*, or of the verb it is coordinated with."""
    for _ in range(3):
        subs = [c for c in verb.children if c.dep_ in _SUBJ]
        if subs or verb.dep_ != "conj":
            return subs
        verb = verb.head
    return []


def _noun_triggers(ctx: _Context, attrs, evented: set[int], date_records) -> tuple[list[dict], list[dict]]:
    """Relations and events a noun states: "their support for the Initiative",
    "Biden's visit to Japan", "a call with President Ruto", "sanctions on
    Russia". The agent is the possessor or a name or demonym before the noun,
    else the subject of the verb the noun is the object of ("voiced support
    for", "reaffirmed their commitment to")."""
    nouns = ctx.rules["nouns"]
    doc = ctx.doc
    hashes = {doc.vocab.strings.add(word): word for word in nouns}
    relations, events = [], []
    for i in [i for i, h in enumerate(attrs[:, 1]) if h in hashes]:
        token = doc[i]
        if token.pos_ not in ("NOUN", "PROPN") or token.i in ctx.ent_of:
            continue
        told = token.i in evented  # the verb's event tells it already ("held a meeting with"): relations only
        spec = nouns[hashes[attrs[i, 1]]]
        if spec.get("needs_words") and not {t.lower_ for t in token.subtree} & set(spec["needs_words"]):
            continue
        types = set(spec["objects"])
        objects = []
        for p in token.children:
            if p.dep_ == "prep" and p.lower_ in spec["preps"]:
                for pobj in p.children:
                    if pobj.dep_ == "pobj":
                        for t in _conjuncts(pobj):
                            ent = ctx.entity_in(t, types)
                            if ent is not None:
                                objects.extend(_adjacent_coordination(ctx, ent))
                                objects.append(ent)
        agents = []
        for c in token.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                ent = ctx.ent_of.get(c.i) or (_title_reference(ctx, c) or _possessive_pronoun(ctx, c) if c.dep_ == "poss" else None)
                if ent is not None and ent.label_ in _AGENT_TYPES:
                    agents.extend(_adjacent_coordination(ctx, ent))
                    agents.append(ent)
                elif c.dep_ == "amod" or c.dep_ == "compound":
                    demonym = ctx.gazetteer.demonym(c.text) if ctx.gazetteer is not None and c.text[:1].isupper() else None
                    if demonym is not None:
                        ctx.add_mention(c.idx, c.idx + len(c.text), c.text, "Country", demonym, "demonym", c.i)
                        agents.append(_Demonym(c, demonym))
            elif c.dep_ == "prep" and c.lower_ == "by":
                # "the annexation by Russia of ...", "the commitment by Angola and Zambia to ..."
                for pobj in c.children:
                    ent = ctx.entity_in(pobj, _AGENT_TYPES, deep=False) if pobj.dep_ == "pobj" else None
                    if ent is not None:
                        agents.extend(_adjacent_coordination(ctx, ent))
                        agents.append(ent)
            elif c.dep_ in ("acl", "relcl") and spec.get("to_clause") and any(a.lower_ == "to" for a in c.children):
                # "their commitment to develop the Lobito Corridor"
                objects.extend(_objects(ctx, c, {"objects": spec["objects"], "preps": ["to", "for", "in", "with"]})[0])
        verb = token.head if token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") else None
        if verb is not None and token.dep_ == "pobj":
            verb = verb.head if verb.dep_ == "prep" else None
        if not agents and verb is not None and verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in _LIGHT_VERBS:
            # "voiced support for", "held talks with", "launched an attack on": the
            # verb's subject does what the noun says ("condemned the attack on" does not)
            agents = _subjects(ctx, verb)[0] if token.dep_ != "nsubj" else []
        unique = {(e.start, e.end): e for e in agents}
        agents = [unique[k] for k in sorted(unique)]
        unique = {(e.start, e.end): e for e in objects}
        objects = [unique[k] for k in sorted(unique) if k not in {(a.start, a.end) for a in agents}]
        sent_index = ctx.sent_index(token.i)
        for s in agents:
            for o in objects:
                relations.append({"sentence": sent_index, "subject": ctx.span(s), "predicate": spec["relation"],
                                  "object": ctx.span(o), "verb": token.lower_, "rule": f"noun:{token.lower_}"})
        own_date = any(e.label_ == "DATE" and _date_rank(ctx, e.root, token) == 0 for e in ctx.all_ents
                       if token.left_edge.i <= e.start <= token.right_edge.i)
        if spec.get("event") and agents and (objects or own_date) and not told:
            anchor = token if own_date else _verb_above(token) or token
            places = [ctx.span(o) for o in objects if o.label_ in ("Place", "Country")] if spec["event"] == "Visit" else []
            events.append({
                "sentence": sent_index, "type": spec["event"], "trigger": token.lower_, "trigger_start": token.idx + ctx.offset,
                "phrase": " ".join(t.text for t in doc[token.left_edge.i:token.right_edge.i + 1] if not t.is_space)[:200],
                "rule": f"noun:{token.lower_}", "agents": [ctx.span(a) for a in agents],
                "targets": [ctx.span(o) for o in objects], "places": places, "roles": [],
                "dates": date_records(sent_index, anchor), "quantities": [],
                "tense": _tense(anchor) if anchor is not token else ("past" if own_date else "other"),
            })
    return relations, events


_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
#: Verbs a named event is the subject of that date it ("the summit was held on May 14").
_HAPPEN_VERBS = frozenset({"hold", "take", "convene", "open", "begin", "start", "end", "conclude", "occur", "close", "kick"})


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _date_in_name(doc, ent) -> tuple[int, int] | None:
    """The tokens of a year, or a month and year, written in or right before
    an event's name ("the 2022 Madrid Summit", "the February 2022 AU
    Summit", "Madrid Summit 2022"): (first, last) token, or None."""
    for i in range(max(ent.start - 1, 0), ent.end):
        if _YEAR.match(doc[i].text):
            first = i - 1 if i > 0 and doc[i - 1].lower_ in _MONTHS else i
            return first, i
    return None


def _named_events(ctx: _Context, date_records) -> list[dict]:
    """A named event the text dates is an event node of its own: "the 2022
    Madrid Summit", "the summit ... was held on May 14, 2015 in Camp David",
    "the COVID-19 pandemic in 2020". Its type comes from its head word, its
    participants from the countries and bodies its name holds, its place
    from "in X" after it or a place in its name."""
    doc = ctx.doc
    heads = ctx.rules["event_nouns"]
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Event":
            continue
        head = next((t.lower_ for t in reversed(ent) if t.lower_ in heads or t.lower_.rstrip("s") in heads), None)
        etype = heads.get(head) or heads.get((head or "").rstrip("s")) or "Other"
        sent_index = ctx.sent_index(ent.start)
        year = _date_in_name(doc, ent)
        anchor = ent.root
        if anchor.dep_ in _SUBJ + _PASSIVE_SUBJ and anchor.head.lemma_.lower() in _HAPPEN_VERBS:
            anchor = anchor.head
        dates = []
        for d in date_records(sent_index, anchor):
            span = doc.char_span(d["start"] - ctx.offset, d["end"] - ctx.offset, alignment_mode="expand")
            if _date_rank(ctx, span.root, anchor) != 0:
                continue
            if anchor.dep_ == "advcl" and span.start > anchor.i and any(t.text == "," for t in doc[anchor.i:span.start]):
                continue  # "after the congress was held, from May 1 to 9, Xi toured ...": the tour's dates
            dates.append(d)
        if year is not None and not dates:
            first, last = year
            dates = [{"start": doc[first].idx + ctx.offset, "end": doc[last].idx + len(doc[last]) + ctx.offset,
                      "text": doc[first:last + 1].text, "sentence": sent_index}]
        if not dates and anchor is ent.root:
            continue  # named, not told as happening here: the entity alone (a "was held" without a date
            # is dated by its paragraph, when the paragraph opens with one)
        inside = [(span, m) for span, m in ctx.extra_mentions.items()
                  if ent.start_char + ctx.offset <= span[0] < ent.end_char + ctx.offset]
        parts = [span for span, m in inside if m["type"] in _AGENT_TYPES]
        places = [ctx.span(p) for p in _places(ctx, anchor, set())] if anchor is not ent.root else []
        j = ent.end
        if j + 1 < len(doc) and doc[j].lower_ in ("in", "at"):
            other = ctx.ent_of.get(j + 1) or (ctx.ent_of.get(j + 2) if doc[j + 1].lower_ == "the" else None)
            if other is not None and other.label_ in ("Place", "Country"):
                places.append(ctx.span(other))
        places += [span for span, m in inside if m["type"] == "Place"]
        out.append({
            "sentence": sent_index, "type": etype, "trigger": ent.text, "trigger_start": ent.start_char + ctx.offset,
            "phrase": ent.text, "rule": "name:event", "agents": sorted(set(parts)), "targets": [ctx.span(ent)],
            "places": sorted(set(places)), "roles": [], "dates": dates, "quantities": [], "tense": "other",
        })
    return out
