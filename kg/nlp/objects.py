"""What a verb acts on: its objects of the types its rule names, found as the direct object,
an entity inside it, or after one of its prepositions ("met with X", "signed a deal with X"),
with the parser's usual slips repaired (a shared object, an infinitive's subject, a relative
pronoun for its noun)."""

from __future__ import annotations

from .arguments import (PARTNERSHIP_NOUNS, _OBJ, _PASSIVE_SUBJ, _SUBJ, _adjacent_coordination, _compound_entity,
                        _conjuncts, _demonym_agent)
from .context import Context as _Context


#: People who act for their state: their demonym names it ("the French ambassador").
_ENVOYS = frozenset({"ambassador", "envoy", "diplomat", "official", "counterpart", "leader", "minister", "president",
                     "delegation", "negotiator", "representative", "charge", "chargé", "attache", "attaché"})


def _objects(ctx: _Context, verb, spec):
    types = set(spec.get("objects") or [])
    out = []
    dobjs = [c for c in verb.children if c.dep_ in _OBJ]
    if not dobjs:  # "signed and issued a joint statement": the object is shared
        dobjs = [c for v in verb.children if v.dep_ == "conj" and v.pos_ == "VERB" and 0 < v.i - verb.i <= 3
                 for c in v.children if c.dep_ in _OBJ][:1]
    if not dobjs:  # "welcomed the summit to be held in March", "expects Japan to join": the
        # infinitive's subject is the verb's object (the parser hangs it on the infinitive)
        dobjs = [s for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                 for s in c.children if s.dep_ in _SUBJ + _PASSIVE_SUBJ and verb.i < s.i < c.i][:1]
    if not [c for c in verb.children if c.dep_ in _SUBJ] and verb.dep_ != "conj":
        dobjs += [c for c in verb.children if c.dep_ in _PASSIVE_SUBJ]
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "the Global Gateway, which the EU proposed": the relative pronoun stands for the noun
        dobjs = [verb.head if d.lower_ in _RELATIVE_OBJECTS else d for d in dobjs]
    preps = set(spec.get("preps") or [])
    heads = [verb] + dobjs
    nominal = ctx.rules["nouns"]
    # "discussed U.S. efforts", "spoke a few words": with these verbs the
    # object is what was said; who took part comes with "with" or "to"
    for d in ([] if spec.get("needs_prep_object") else dobjs):
        for t in _conjuncts(d):
            # "condemned the attack on Ukraine": the attack is condemned, not Ukraine
            deep = (t.lower_ not in nominal or t.i in ctx.ent_of) and not spec.get("direct_object")
            ent = (ctx.entity_in(t, types, deep=deep) or (None if deep else _typed(_compound_entity(ctx, t), types)
                                                           or _doer(ctx, t, types))) if types else None
            if ent is None and "Country" in types and t.lemma_.lower() in _ENVOYS:
                demonym = _demonym_agent(ctx, t)  # "expelled the French ambassador", "met Israeli officials"
                ent = demonym[0] if demonym is not None else None
            if ent is not None:
                out.extend(_adjacent_coordination(ctx, ent))
                out.append(ent)
    for h in heads:
        for p in h.children:
            if p.dep_ in ("prep", "dative") and p.lower_ in preps:
                for pobj in p.children:
                    if pobj.dep_ != "pobj" or pobj.lower_ in PARTNERSHIP_NOUNS:
                        continue  # ("deployed in coordination with Ethiopia": a partner, not a place)
                    for t in _conjuncts(pobj):
                        ent = ctx.entity_in(t, types) if types else None
                        if ent is not None and _under_topic(t, ent):
                            ent = None  # "consulted with officials on Gaza": Gaza is the topic
                        if ent is None and types and "Country" in types:
                            demonym = _demonym_agent(ctx, t)  # "met with Israeli officials"
                            ent = demonym[0] if demonym is not None else None
                        if ent is not None:
                            out.extend(_adjacent_coordination(ctx, ent))
                            out.append(ent)
    unique = {}
    for e in out:
        unique[(e.start, e.end)] = e
    return [unique[k] for k in sorted(unique)], dobjs


_RELATIVE_OBJECTS = frozenset({"which", "that", "whom"})


def _typed(ent, types):
    """*ent* if it has one of *types* ("ratified Sweden's membership" signed no Sweden)."""
    return ent if ent is not None and ent.label_ in types else None


def _doer(ctx: _Context, noun, types):
    """"condemned the violation of Ukraine's integrity by Russia": who did
    the act a nominal object names (its "by" phrase)."""
    heads = [noun]
    for _ in range(2):  # "the violation of the territorial integrity of Ukraine by Russia"
        heads += [pobj for h in heads[-1:] for p in h.children if p.dep_ == "prep" and p.lower_ == "of"
                  for pobj in p.children if pobj.dep_ == "pobj" and pobj.i not in ctx.ent_of]
    for h in heads:
        for p in h.children:
            if p.dep_ == "prep" and p.lower_ == "by":
                for pobj in p.children:
                    if pobj.dep_ == "pobj":
                        ent = ctx.entity_in(pobj, types, deep=False)
                        if ent is not None:
                            return ent
    return None


#: Prepositions that give what a meeting or a call was about, not who took part.
_TOPIC_PREPS = frozenset({"on", "about", "regarding", "concerning", "over"})


def _under_topic(head, ent) -> bool:
    """Whether *ent* sits below a topic preposition inside *head*'s phrase
    ("officials on Gaza, Lebanon, and other areas"; not "sanctions on Iran",
    where *ent* is the head)."""
    token = ent.root if hasattr(ent, "root") else head.doc[ent.start]
    if token.i == head.i:
        return False
    for a in token.ancestors:
        if a.i == head.i:
            return False
        if a.dep_ == "prep" and a.lower_ in _TOPIC_PREPS:
            return True
    return False
