"""Relations and events that nouns state, with their possessor or the subject of their
verb: "their support for X", "Biden's visit to X", "held talks with X", "during a phone
call with X, Y said" (the nouns are kg/data/relations.json's "nouns")."""

from __future__ import annotations

from ..records import EventCandidate, Relation
from .arguments import (_adjacent_coordination, _conjuncts, _group_subject, modifiers_of, _possessive_pronoun,
                        _subjects, _title_reference, _verb_above)
from .context import AGENT_TYPES as _AGENT_TYPES, candidate, Context as _Context, Demonym as _Demonym, phrase
from .objects import _objects
from .textdates import _date_rank, _tense, negated


#: Verbs that hand their subject to the noun they govern: "voiced support",
#: "paid a visit", "held talks", "imposed sanctions", "launched an attack".
_LIGHT_VERBS = frozenset({"voice", "express", "reaffirm", "reiterate", "give", "provide", "offer", "pledge", "extend",
                          "make", "pay", "hold", "have", "conduct", "undertake", "launch", "carry", "mount", "impose",
                          "announce", "renew", "affirm", "underscore", "emphasize", "emphasise", "stress", "confirm",
                          "deepen", "strengthen", "continue", "begin", "start", "complete", "seek", "show", "lend",
                          "demonstrate", "expand", "increase", "deliver", "send", "commit", "step", "intensify",
                          "host", "attend", "join", "end", "conclude", "lead", "take", "accept", "assume",
                          "approve", "authorize", "authorise", "order", "head"})  # ("approved the deployment of ...")


#: Modifiers that make talks or a meeting a call.
_CALL_WORDS = frozenset({"phone", "telephone", "video", "virtual"})


def _noun_triggers(ctx: _Context, attrs, evented: set[int], date_records) -> tuple[list[Relation], list[EventCandidate]]:
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
        heads = [token]
        # "the annexation by Russia of ...": the parser hangs the "of" on the agent
        heads += [pobj for p in token.children if p.dep_ == "prep" and p.lower_ == "by" for pobj in p.children
                  if pobj.dep_ == "pobj"]
        if token.dep_ == "dobj" and token.head.lemma_.lower() in _LIGHT_VERBS and not any(
                p.dep_ == "prep" and p.lower_ in spec["preps"] for p in token.children):
            heads.append(token.head)  # "approved the deployment of 1,000 officers to Haiti": the parser hangs "to" on the verb
        for p in (p for h in heads for p in h.children):
            if p.dep_ == "prep" and p.lower_ in spec["preps"]:
                for pobj in p.children:
                    if pobj.dep_ == "pobj":
                        for t in _conjuncts(pobj):
                            ent = ctx.entity_in(t, types)
                            if ent is not None:
                                objects.extend(_adjacent_coordination(ctx, ent))
                                objects.append(ent)
        agents = []
        for c in ([] if spec.get("verb_agent_only") else modifiers_of(ctx, token)):
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
        if (verb is not None and verb.pos_ in ("VERB", "AUX") and negated(verb)) or any(
                c.dep_ == "det" and c.lower_ == "no" for c in token.children):
            continue  # "did not hold talks with", "held no talks with": nothing happened
        on_visit = spec.get("event") == "Visit" and token.dep_ == "pobj" and token.head.lower_ == "on"
        if not agents and verb is not None and verb.pos_ in ("VERB", "AUX") and (
                verb.lemma_.lower() in _LIGHT_VERBS or on_visit):
            # "voiced support for", "held talks with", "launched an attack on", "who is on a
            # visit to", "met Xi on a visit to China": the verb's subject does what the noun
            # says ("condemned the attack on" does not)
            agents = (_subjects(ctx, verb)[0] or _group_subject(ctx, verb) or []) if token.dep_ != "nsubj" else []
        during = spec.get("event") in ("Call", "Meeting") and token.dep_ == "pobj" and token.head.lower_ in ("in", "during")
        if not agents and verb is not None and verb.pos_ in ("VERB", "AUX") and during:
            # "during a phone call with Putin, Erdogan said", "discussed the grain deal in
            # a phone call": whoever speaks or acts in it took part
            agents = _subjects(ctx, verb)[0] or _group_subject(ctx, verb) or []
            if not objects and agents and verb.lemma_.lower() in ("tell", "assure", "inform", "brief", "urge", "ask"):
                # "told Putin in a phone call": the one told
                objects = [e for d in verb.children if d.dep_ in ("dobj", "dative")
                           for e in [ctx.entity_in(d, ("Person", "Country", "Organization"), deep=False)] if e is not None]
        if not agents and on_visit and token.head.dep_ == "prep":
            # "Ruto, on a state visit to China, met Xi"
            holder = ctx.ent_of.get(token.head.head.i)
            if holder is not None and holder.label_ in _AGENT_TYPES:
                agents = [holder]
        unique = {(e.start, e.end): e for e in agents}
        agents = [unique[k] for k in sorted(unique)]
        unique = {(e.start, e.end): e for e in objects}
        objects = [unique[k] for k in sorted(unique) if k not in {(a.start, a.end) for a in agents}]
        sent_index = ctx.sent_index(token.i)
        predicate = spec["relation"]
        if predicate == "metWith" and any(c.dep_ in ("compound", "amod") and c.lower_ in _CALL_WORDS for c in token.children):
            predicate = "spokeWith"  # "phone talks", "a video meeting"
        for s in agents:
            for o in objects:
                relations.append(Relation("", sent_index, ctx.span(s), predicate, ctx.span(o), token.lower_,
                                          f"noun:{token.lower_}"))
        own_date = bool(spec.get("event")) and any(
            e.label_ == "DATE" and token.left_edge.i <= e.start <= token.right_edge.i and _date_rank(ctx, e.root, token) == 0
            for e in ctx.all_ents)
        if spec.get("event") and agents and (objects or own_date or during and len(agents) >= 2) and not told:
            anchor = token if own_date else _verb_above(token) or token
            places = [ctx.span(o) for o in objects if o.label_ in ("Place", "Country")] if spec["event"] in ("Visit", "Attack") else []
            events.append(candidate(
                sentence=sent_index, type=spec["event"], trigger=token.lower_, trigger_start=token.idx + ctx.offset,
                phrase=phrase(doc[token.left_edge.i:token.right_edge.i + 1], keep_det=True),
                rule=f"noun:{token.lower_}", agents=[ctx.span(a) for a in agents],
                targets=[ctx.span(o) for o in objects], places=places, dates=date_records(sent_index, anchor),
                tense=_tense(anchor) if anchor is not token else ("past" if own_date else "other"),
            ))
    return relations, events
