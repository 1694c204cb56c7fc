"""Where a happening took place ("met in Paris", "the ceremony was held here", "flew to
Seoul, where he held talks") and the named event or venue it took place at ("on the margins
of the G20 summit", "a speech at the Korber Foundation")."""

from __future__ import annotations

from .arguments import _OBJ, PARTNERSHIP_NOUNS
from .context import Context as _Context


_NOT_WHERE = frozenset({"including", "like", "about", "regarding", "concerning", "excluding", "despite", "such"})


def _places(ctx: _Context, verb, exclude, to: bool = True):
    """Where the happening of *verb* took place: "in X", "at X", "to X" on the
    verb or its object, also down a chain of nouns ("on the margins of the
    APEC meeting in San Francisco"), never inside another clause. With
    ``to=False`` "to X" is no place: it names a recipient ("sanctions over
    drone deliveries to Russia", "aid to Syria")."""
    out = []
    frontier = [verb] + [c for c in verb.children if c.dep_ in _OBJ]
    for depth in range(3):
        next_frontier = []
        for h in frontier:
            for p in h.children:
                if p.dep_ != "prep":
                    continue
                for pobj in p.children:
                    if pobj.dep_ != "pobj" or pobj.lower_ in PARTNERSHIP_NOUNS:
                        continue
                    if p.lower_ in ("in", "at", "to") and not ((depth or not to) and p.lower_ == "to"):
                        ent = ctx.entity_in(pobj, ("Place", "Country"), deep=False) or (
                            ctx.entity_in(pobj, ("Place", "Country")) if pobj.i not in ctx.ent_of else None)
                        if ent is not None and ctx.span(ent) not in exclude:
                            out.append(ent)
                            for c in pobj.conjuncts:  # "occurred in Turkey and Syria"
                                e2 = ctx.entity_in(c, ("Place", "Country"), deep=False)
                                if e2 is not None and ctx.span(e2) not in exclude:
                                    out.append(e2)
                            # (not "Indonesia" of "in Jakarta, Indonesia": the place's
                            # country is a fact of the place, kg.nlp.facts)
                            continue
                    if pobj.pos_ in ("NOUN", "PROPN") and p.lower_ not in _NOT_WHERE:
                        next_frontier.append(pobj)
        frontier = next_frontier
        if out:
            break
    if not out and verb.dep_ == "relcl" and any(c.dep_ == "advmod" and c.lower_ == "where" for c in verb.children):
        place = ctx.ent_of.get(verb.head.i)  # "flew to Seoul, where he held talks"
        if place is not None and place.label_ in ("Place", "Country") and ctx.span(place) not in exclude:
            out.append(place)
    if not out and any(c.dep_ == "advmod" and c.lower_ in ("here", "there") for c in verb.children):
        place = _place_before(ctx, verb)  # "... in Addis Ababa. The ceremony was held here."
        if place is not None and ctx.span(place) not in exclude:
            out.append(place)
    unique = {(e.start, e.end): e for e in out}
    return [unique[k] for k in sorted(unique)]


def _place_before(ctx: _Context, token):
    """The place "here" or "there" stands for: the first place named in a
    locative phrase of the sentence before (or of this one, before the
    word), a Place before a Country ("in the suburbs of Addis Ababa, the
    capital of Ethiopia" -> Addis Ababa)."""
    s = ctx.sent_index(token.i)
    for k in (s, s - 1):
        if k < 0:
            continue
        a, b = ctx.sent_spans[k]
        b = min(b, token.i)
        found = [e for e in ctx.ents if a <= e.start < b and e.label_ in ("Place", "Country")
                 and any(t.dep_ == "prep" and t.lower_ in ("in", "at", "to") for t in ctx.doc[e.start].ancestors)]
        if found:
            return next((e for e in found if e.label_ == "Place"), found[0])
    return None


_MARGINS = frozenset({"margins", "margin", "sidelines", "sideline", "side"})


def _occasion(ctx: _Context, verb, venues: bool = False):
    """"met ... on the margins of the G20 summit", "a speech at the general
    debate of the 70th session of the UN General Assembly": the named event a
    meeting or speech took place at; with *venues*, also a body's seat ("at
    the UNESCO Headquarters", "at the Korber Foundation")."""
    heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "pobj")]
    heads += [x for c in verb.children if c.dep_ == "prep" for x in c.children if x.dep_ == "pobj"]
    # "met with leaders of A and B at the Summit": the parser hangs the
    # occasion on the last of the coordinated objects
    heads += [c for h in heads[1:] for c in h.conjuncts if c.i > h.i]
    for p in (p for h in heads for p in h.children):
        if p.dep_ == "prep" and p.lower_ in ("on", "at", "during", "for"):
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
                elif p.lower_ == "for":  # "joined leaders ... for the annual U.S.-ASEAN Summit"
                    ent = ctx.entity_in(pobj, ("Event",), deep=False)
                    if ent is not None:
                        return ent
                elif p.lower_ in ("at", "during"):
                    ent = ctx.entity_in(pobj, ("Event",), deep=False)
                    if ent is None:  # "at the general debate of the 70th session of ..."
                        ent = ctx.entity_in(pobj, ("Event",))
                    if ent is None and venues and p.lower_ == "at":
                        ent = ctx.entity_in(pobj, ("Organization",), deep=False)
                        if ent is None and pobj.lower_ in ctx.rules["event_nouns"]:
                            # "a speech at a meeting of the UN Security Council": the body's forum
                            ent = ctx.entity_in(pobj, ("Organization",))
                    if ent is not None:
                        return ent
    if verb.dep_ == "conj" and verb.head.lemma_.lower() == "attend":
        # "attended the BRICS summit and delivered a keynote speech": there
        for d in verb.head.children:
            if d.dep_ in ("dobj", "pobj"):
                ent = ctx.entity_in(d, ("Event",), deep=False)
                if ent is not None:
                    return ent
    return None
