"""Who did it, to whom, and where: the arguments of a verb or a noun in
the dependency parse, with the repairs the small model's parser needs.

Coordinated names written side by side ("China, Saudi Arabia, and Iran
signed ...", "President Tshisekedi of the DRC, President Bongo of Gabon, and
...") are one list; "he", "she", "his" and "her" are the person the clause
or the text before names; "they" or "the two leaders" are the two sides of
the call or meeting just told; "we" in a joint statement is who "We, the
Leaders of ..." says; "the Vice President" is the one person named with that
title; "the leaders of the GCC" act for the GCC.
"""

from __future__ import annotations

from .context import AGENT_TYPES as _AGENT_TYPES, Context as _Context, Demonym as _Demonym, phrase
from .spans import ends_phrase, is_larger_place
from .titles import find_title


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


#: Small words inside a title written before a name ("Secretary of State", "Ambassador to the United States").
_TITLE_GLUE = frozenset({"the", "of", "to", "for", "'s", "’s", "(", ")", "-"})


def _list_after(ctx: _Context, ent) -> list:
    doc = ctx.doc
    n = len(doc)
    found = []
    i = _name_end(ctx, ent)
    if ent.label_ == "Place" and i + 1 < n and doc[i].text == ",":

        other = ctx.ent_of.get(i + 1)
        if other is not None and other.start == i + 1 and is_larger_place(ctx, other) and ends_phrase(ctx, other.end):
            return []  # "Houston, Texas": a city and where it is, not a list
    while i < n:
        if doc[i].text == "," and i + 1 < n and doc[i + 1].lower_ in ("and", "or"):
            k = i + 2
        elif doc[i].text == "," or doc[i].lower_ == "and":
            k = i + 1
        else:
            break
        # the next name, maybe behind a title ("President Bongo", "Deputy Secretary of
        # State Campbell", "Indian Ambassador to the United States Kwatra")
        nxt = None
        for m in range(k, min(k + 9, n)):
            cand = ctx.ent_of.get(m)
            if cand is not None and cand.label_ == ent.label_ and cand.start == m:
                nxt = cand
                break
            word = doc[m]
            if not (word.text[:1].isupper() or word.lower_ in _TITLE_GLUE) or word.pos_ in ("VERB", "AUX"):
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
    keys = {_person_key(p) for p in before}
    if len(keys) != 1:
        return None
    return before[-1]


def _included(ctx: _Context, token) -> list:
    """"More than 100 countries, including China and Brazil, support ...":
    the names a group noun's "including" or "such as" gives."""
    if token.i in ctx.ent_of or token.pos_ != "NOUN":
        return []
    out = []
    for p in token.children:
        if p.dep_ == "prep" and (p.lower_ in ("including", "like") or (
                p.lower_ == "as" and any(c.lower_ == "such" for c in p.children))):
            for pobj in p.children:
                if pobj.dep_ != "pobj":
                    continue
                for t in _conjuncts(pobj):
                    ent = ctx.entity_in(t, _AGENT_TYPES, deep=False)
                    if ent is not None:
                        out.extend(_adjacent_coordination(ctx, ent))
                        out.append(ent)
    return out


def _fronted_subject(subject, verb):
    """"At the invitation of King Salman, King of Saudi Arabia, the leaders
    of the GCC met": after a fronted prepositional phrase the parser often
    heads the subject with the name inside it, the real subject its last
    apposition, the phrase right before the verb."""
    sent_start = subject.sent.start
    if subject.doc[sent_start].pos_ != "ADP" or subject.i > verb.i:
        return subject
    appos = [c for c in subject.children if c.dep_ == "appos" and c.i > subject.i]
    if not appos:
        return subject
    last = max(appos, key=lambda c: c.i)
    between = subject.doc[last.right_edge.i + 1:verb.i]
    if all(t.pos_ in ("ADV", "AUX", "PART", "PUNCT") for t in between):
        return last
    return subject


def _stranded_subject(ctx: _Context, verb) -> list:
    """"To accelerate this work in partnership with the three African
    countries, the European Union and the United States are teaming up":
    after a fronted phrase the parser may take the subject names for more
    items of a list inside it. The names coordinated right before the verb,
    begun after a comma and hung from no name, are its subject."""
    doc = ctx.doc
    i = verb.i - 1
    while i > verb.sent.start and doc[i].dep_ in ("aux", "auxpass", "neg", "advmod") and doc[i].head.i == verb.i:
        i -= 1
    ent = ctx.ent_of.get(i)
    if ent is None or ent.label_ not in _AGENT_TYPES or ent.end != i + 1 or ent.root.dep_ != "conj":
        return []
    first = ent.root
    while first.dep_ == "conj" and first.head.i in ctx.ent_of and ctx.ent_of[first.head.i].label_ in _AGENT_TYPES:
        first = first.head
    start = ctx.ent_of[first.i].start
    if first.dep_ != "conj" or start < 2:
        return []
    before = start - 1 if doc[start - 1].lower_ != "the" else start - 2
    return [first] if doc[before].text == "," else []


#: Tokens that open a list item: bullets, dashes.
_BULLETS = frozenset({"-", "–", "—", "•", "*", "·", "▪", "●", "○", "◦"})


def _opens_item(doc, a: int, verb_i: int) -> bool:
    """Do only bullets, dashes and spaces come before *verb_i* in the
    sentence that starts at *a*?"""
    return all(doc[k].is_space or doc[k].text in _BULLETS for k in range(a, verb_i))


def _in_bulleted_line(ctx: _Context, token) -> bool:
    """Is *token* on a line that opens with a bullet ("- ", "• ")?"""
    text = ctx.text
    i = token.idx
    line_start = text.rfind("\n", 0, i) + 1
    line = text[line_start:i].lstrip()
    return bool(line) and line[0] in _BULLETS


def _list_lead_subject(ctx: _Context, verb) -> list:
    """The subject of a list item told without one, as fact sheets write
    them: "U.S. actions to strengthen NATO include: - Establishing a command
    post in Poland. - Continuing to lead the battlegroup in Poland." Each
    item opening with a verb ("Establishing", "Launch", "Announced") takes
    the subject of the sentence its list hangs from by a colon; the items
    between must open with a verb or a bullet too."""
    if verb.tag_ not in ("VBG", "VB", "VBD") or any(c.dep_ in _SUBJ + _PASSIVE_SUBJ for c in verb.children):
        return []
    doc = ctx.doc
    s = ctx.sent_index(verb.i)
    a, _ = ctx.sent_spans[s]
    if not _opens_item(doc, a, verb.i):
        return []
    for k in range(s - 1, max(-1, s - 40), -1):
        a, b = ctx.sent_spans[k]
        colons = [t for t in doc[a:b] if t.text == ":" and t.dep_ == "punct" and not _in_bulleted_line(ctx, t)]
        if colons:  # (an item's own "Heading: text" is not the list's lead)
            lead = colons[-1].head
            for h in (lead, lead.head):
                subs = [c for c in h.children if c.dep_ in _SUBJ and c.i < colons[-1].i and c.pos_ in ("NOUN", "PROPN", "PRON")]
                if subs:
                    return subs
            return []
        first = next((t for t in doc[a:b] if not (t.is_space or t.text in _BULLETS)), None)
        if first is None or _in_bulleted_line(ctx, first):
            continue  # a bullet the sentence splitter set apart, or an item's sentence
        if not (first.pos_ == "VERB" and first.tag_ in ("VBG", "VB", "VBD")):
            return []  # not an item of the same list
    return []


def _person_key(ent) -> str:
    """Who a Person mention is, to tell two people apart: the gazetteer id,
    else the surname."""
    if ent.kb_id_ and not ent.kb_id_.startswith("rule:"):
        return ent.kb_id_
    return ent.text.split()[-1]


def _plural_title_reference(ctx: _Context, token) -> list:
    """"The National Security Advisors condemned ...", "the two Presidents":
    the people named before in the chunk with that title, when two or more."""
    if token.i in ctx.ent_of or not token.lower_.endswith("s") or not token.text[:1].isupper() \
            or token.tag_ not in ("NNS", "NNPS", "NNP"):
        return []  # (the tagger often reads "Advisors" as a singular proper noun)
    words = [t.lower_ for t in token.doc[token.left_edge.i:token.i + 1]
             if t.dep_ not in ("det", "nummod") and t.lower_ not in ("'s", "’s", "both", "all")]
    if not words:
        return []
    last = words[-1]
    words[-1] = last[:-3] + "y" if last.endswith("ies") else last[:-1] if last.endswith("s") else last
    people = [p for p in ctx.person_titles().get(" ".join(words), ()) if p.start < token.i]
    keys = {_person_key(p) for p in people}
    if len(keys) < 2:
        return []
    unique = {}
    for p in people:
        unique.setdefault(_person_key(p), p)
    return list(unique.values())


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
#: "X is expected to meet", "X is set to visit", "X is due to travel": the
#: passive subject (or the subject of "be") is the infinitive's.
_RAISING = frozenset({"expect", "set", "schedule", "due", "likely", "poise", "slate", "scheduled", "expected",
                      "poised", "slated", "sure", "certain", "bound", "unlikely", "going", "about"})
_OBJECT_CONTROL = frozenset({"urge", "ask", "invite", "encourage", "call", "press", "persuade", "help", "allow", "enable", "request"})


def _subjects(ctx: _Context, verb, passive_ok=True):
    """(entities, role phrases) of the subject of *verb*."""
    head = verb
    subs = []
    for _ in range(4):
        subs = [c for c in head.children if c.dep_ in _SUBJ]
        if not subs and head is not verb and head.lemma_.lower() in _RAISING:
            # "Li Qiang is expected to meet", "Blinken is due to travel"
            subs = [c for c in head.children if c.dep_ in _PASSIVE_SUBJ]
            if not subs and head.dep_ == "acomp":
                subs = [c for c in head.head.children if c.dep_ in _SUBJ]
        if not subs:  # "Norway and Oman have been mediating": the parser hangs the subject on "been"
            subs = [c for a in head.children if a.dep_ == "aux" and a.i < head.i for c in a.children
                    if c.dep_ in _SUBJ and c.i < a.i]
        if subs or head.head is head:
            break
        if head.dep_ in ("conj", "xcomp", "pcomp") or (
                head.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)):
            if head.dep_ == "xcomp" and head.head.lemma_.lower() in _OBJECT_CONTROL:
                # "X urged Y to join": Y is who joins
                subs = [c for c in head.head.children if c.dep_ in ("dobj",)]
                break
            # "renewed the partnership by signing ...": past the preposition to the verb
            head = head.head.head if head.dep_ == "pcomp" and head.head.dep_ == "prep" else head.head
            continue
        if head.dep_ == "relcl" and head.head.i in ctx.ent_of:
            subs = [head.head]  # "the United States, which supports ..."
        elif head.dep_ == "acl" and head.tag_ == "VBG" and head.head.pos_ in ("NOUN", "PROPN"):
            subs = [head.head]  # "the Vice President hosting President Marcos", "leaders attending the summit"
        break
    if not subs and head.dep_ == "ROOT":
        subs = _stranded_subject(ctx, head) or _list_lead_subject(ctx, head)
    if head.dep_ == "relcl":  # "the Network, which provides ...": "which" is the noun it follows
        subs = [head.head if s.lower_ in ("which", "who", "that") else s for s in subs]
    subs = [_fronted_subject(s, verb) for s in subs]
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
            if t.lower_ == "it":
                ents.extend(_speaking_body(ctx, t))  # "China said it would retaliate"
                continue
            people = _plural_title_reference(ctx, t) or _included(ctx, t) or _group_members(ctx, t)
            if people:
                ents.extend(people)
                continue
            ent = (ctx.entity_in(t, _AGENT_TYPES, deep=False) or _apposed_name(ctx, t) or _compound_entity(ctx, t)
                   or _title_reference(ctx, t) or _group_of(ctx, t))
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


def _group_members(ctx: _Context, token) -> list:
    """"The leaders of the GCC member states and the United States met":
    every body the acting noun's "of" names, when it names more than one."""
    ent = _group_of(ctx, token)
    if ent is None:
        return []
    out = [ent]
    for p in token.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for x in p.subtree:
                if x.dep_ == "conj":
                    other = ctx.entity_in(x, _AGENT_TYPES, deep=False)
                    if other is not None and other is not ent and all(other is not o for o in out):
                        out.append(other)
    return out if len(out) > 1 else []


def _speaking_body(ctx: _Context, pronoun) -> list:
    """"it" as the subject of what a state or body says it did: "China said it
    would retaliate", "Israel's military said it struck ...": the speaker (a
    Country or Organization, or the one a state's noun belongs to)."""
    clause = pronoun.head
    if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in ctx.speech:
        return []
    speakers = [c for c in clause.head.children if c.dep_ in _SUBJ]
    if len(speakers) != 1 or speakers[0].i > pronoun.i:
        return []
    s = speakers[0]
    ent = ctx.entity_in(s, ("Country", "Organization"), deep=False) or _compound_entity(ctx, s)
    if ent is not None and ent.label_ in ("Country", "Organization"):
        return [ent]
    demonym = _demonym_agent(ctx, s)  # "the Chinese foreign ministry said it ..."
    return [demonym[0]] if demonym is not None else []


def _apposed_name(ctx: _Context, token):
    """"U.S. National Security Advisor (NSA) Jon Finer traveled": the parser
    makes the title the subject and the name its apposition."""
    if token.i in ctx.ent_of and ctx.ent_of[token.i].label_ != "Place":
        return None
    for c in token.children:
        # ("NAIROBI, May 4 (Reuters) - Kenyan President William Ruto met ...": the
        # parser makes the dateline's city the subject and the person its apposition)
        if c.dep_ == "appos":
            ent = ctx.ent_of.get(c.i)
            if ent is not None and ent.label_ == "Person":
                return ent
    if token.i in ctx.ent_of:
        return None
    # "National Security Advisor to the Vice President Dr. Phil Gordon visited":
    # a long title the parser heads the subject with, the name closing it
    if not token.text[:1].isupper():
        return None
    last = ctx.ent_of.get(token.right_edge.i)
    if last is None or last.label_ != "Person" or last.end - 1 != token.right_edge.i:
        return None
    between = token.doc[token.i + 1:last.start]
    if all(t.pos_ in ("PROPN", "DET", "ADP", "PUNCT") and t.text not in (",", ";", "(") for t in between):
        return last
    return None


def _compound_entity(ctx, token):
    for c in token.children:
        if c.dep_ in ("compound", "poss", "nmod") and c.i in ctx.ent_of and ctx.ent_of[c.i].label_ in _AGENT_TYPES:
            return ctx.ent_of[c.i]
    return None


def modifiers_of(ctx: _Context, token) -> list:
    """*token*'s children and the modifiers of its compound ("Russian missile
    strikes": the demonym modifies "missile", not "strikes")."""
    return list(token.children) + [g for c in token.children if c.dep_ == "compound" and c.i not in ctx.ent_of
                                   for g in c.children if g.dep_ in ("amod", "compound") and g.i < c.i]


def _demonym_agent(ctx: _Context, token):
    """"the Chinese rescue team" -> (China, "rescue team")."""
    if ctx.gazetteer is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    for c in modifiers_of(ctx, token):
        if c.dep_ in ("amod", "compound", "nmod") and c.text[:1].isupper():
            entry = ctx.gazetteer.demonym(c.text)
            if entry is not None:
                ctx.add_mention(c.idx, c.idx + len(c.text), c.text, "Country", entry, "demonym", c.i)
                role = phrase(t for t in token.subtree if c.i < t.i <= token.i)
                return _Demonym(c, entry), role or token.text
    return None


#: Heads of a group that stands for the two sides of a call or meeting told just before.
_GROUP_WORDS = frozenset({"they", "leaders", "presidents", "sides", "parties", "ministers", "counterparts"})


def _group_subject(ctx: _Context, verb):
    """"They", "the two leaders", "both sides" as the subject of *verb*: the
    parties of the last call or meeting of the chunk (within two sentences).
    "Their leaders" are someone else."""
    if not ctx.parties_told:
        return None
    subs = [c for c in verb.children if c.dep_ in _SUBJ]
    head = verb
    while not subs and head.dep_ in ("conj", "xcomp") and head.head is not head:
        head = head.head
        subs = [c for c in head.children if c.dep_ in _SUBJ]
    if len(subs) != 1 or subs[0].lower_ not in _GROUP_WORDS or any(c.dep_ == "poss" for c in subs[0].children):
        return None
    here = ctx.sent_index(verb.i)
    # the last sides told up to this sentence (noun triggers are read after
    # every verb of the chunk: later meetings must not answer for them)
    told = [(sent, k) for k, (sent, _) in enumerate(ctx.parties_told) if sent <= here]
    if not told:
        return None
    sent, k = max(told)
    parties = ctx.parties_told[k][1]
    if here - sent > 2:
        return None
    # a chain of "They ... The two leaders ... They" keeps pointing to the same sides
    if here > sent:
        ctx.parties_told.append((here, parties))
    return parties


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
        for i in ctx.positions_of(("we",)):
            token = doc[i]
            if token.i + 4 >= len(doc) or doc[token.i + 1].text != ",":
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


#: Prepositions that lead to examples or topics, not to where a happening was
#: ("the war - including its effects in Southeast Asia").
#: "in partnership with X": X is a partner, not a place.
PARTNERSHIP_NOUNS = frozenset({"partnership", "cooperation", "coordination", "collaboration", "conjunction",
                               "consultation"})


