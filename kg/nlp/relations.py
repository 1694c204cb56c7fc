"""Relations and event candidates from a parsed chunk, and the one call that
gathers every structure of it (:func:`find_structures`).

Rules come from ``kg/data/relations.json``: verbs and nouns -> relation,
object types, event type. The arguments (who, to whom, where) come from
:mod:`kg.nlp.arguments`, the dates from :mod:`kg.nlp.textdates`, the
noun-phrase facts from :mod:`kg.nlp.facts`, named events from
:mod:`kg.nlp.named_events`, quotations from :mod:`kg.nlp.quotations`, all reading
one :class:`kg.nlp.context.Context`.

Everything returned is plain data with character offsets (the caller adds the
chunk offset and sentence numbering); no spaCy object leaves ``kg.nlp``.
"""

from __future__ import annotations

from ..quantities import QUALIFIERS, parse_quantity
from ..records import DateMention, EventCandidate, Mention, Quantity, Relation
from .arguments import (PARTNERSHIP_NOUNS, _OBJ, _PASSIVE_SUBJ, _SUBJ, _adjacent_coordination, _conjuncts,
                        _demonym_agent, _group_subject, _phrasal, _subjects)
from .context import AGENT_TYPES as _AGENT_TYPES, candidate, Context as _Context, Demonym as _Demonym, phrase
from .facts import fact_relations
from .named_events import _named_events
from .nouns import _noun_triggers
from .objects import _objects
from .places import _occasion, _places
from .quotations import _quotations
from .references import capital_references, definite_references, leader_references, office_references
from .rules import relation_rules
from .textdates import _date_rank, _dates_of_sentence, _tense, negated

__all__ = ["relation_rules", "find_structures"]


#: Verbs that make a body or an initiative, and their particles.
_MAKING = frozenset({"launch", "establish", "create", "found", "set", "form", "build"})


def _made_for(ctx: _Context, verb):
    """The body or initiative made for the purpose *verb* is part of: "set up
    a South-South Cooperation Assistance Fund to support developing countries
    in implementing the 2030 Agenda" (the Fund, for "support" and
    "implement"). None unless the purpose clause ("to ...") hangs on a verb
    of making whose object is an Initiative or Organization."""
    token = verb
    for _ in range(4):
        if token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            head = token.head
            if head.lemma_.lower() not in _MAKING:
                return None
            for d in head.children:
                if d.dep_ == "dobj":
                    ent = ctx.ent_of.get(d.i)
                    if ent is not None and ent.label_ in ("Initiative", "Organization"):
                        return ent
            return None
        if token.dep_ not in ("pcomp", "xcomp", "conj") and not (token.dep_ == "pobj" or token.dep_ == "prep"):
            return None
        token = token.head
    return None


def _dated_noun_event(ctx: _Context, token, etype: str, evented: set[int], date_records, offset: int):
    """A happening a noun names with its body and its own date, no verb
    needed: "the annual session of the WHO in May 2022", "the two sessions of
    the National People's Congress in 2023"."""
    if token.i in evented:
        return None
    own = [e for e in ctx.all_ents if e.label_ == "DATE" and token.i < e.start <= token.right_edge.i
           and _date_rank(ctx, e.root, token) == 0]
    if not own:
        return None
    bodies = []
    for p in token.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for pobj in p.children:
                ent = ctx.entity_in(pobj, _AGENT_TYPES, deep=False) if pobj.dep_ == "pobj" else None
                if ent is not None:
                    bodies.append(ent)
    if not bodies:
        return None
    sent_index = ctx.sent_index(token.i)
    return candidate(
        sentence=sent_index, type=etype, trigger=token.lower_, trigger_start=token.idx + offset,
        phrase=phrase(ctx.doc[token.left_edge.i:token.right_edge.i + 1]),
        rule=f"noun:{token.lower_}", targets=[ctx.span(b) for b in bodies], dates=date_records(sent_index, token),
    )


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


def _quantities(ctx: _Context, verb) -> list[Quantity]:
    """Numbers in the verb's own clause: "sent 38 medical expert teams to 34 countries"."""

    numeric = ctx.numeric_ents
    if numeric is None:
        numeric = ctx.numeric_ents = [e for e in ctx.all_ents if e.label_ in _NUMERIC]
    lo, hi = verb.left_edge.i, verb.right_edge.i
    near = [e for e in numeric if lo <= e.root.i <= hi]
    if not near:
        return []
    clause = {t.i for t in verb.subtree}
    for t in verb.subtree:  # leave out nested clauses with their own verb
        if t is not verb and t.dep_ in ("relcl", "ccomp", "advcl", "conj") and t.pos_ in ("VERB", "AUX"):
            clause -= {x.i for x in t.subtree}
    out = []
    for ent in near:
        if ent.root.i not in clause:
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
        out.append(Quantity(value=value, item=item, text=ent.text, qualifier=qualifier, currency=currency))
    return out


#: Verbs whose infinitive is wished for, not done: "wants to join".
_WANTING = frozenset({"want", "seek", "hope", "apply", "aspire", "plan", "wish", "intend", "ask", "bid", "try", "strive"})


def find_structures(sdoc, offset: int, sent_spans, gazetteer=None, text: str | None = None,
                    date: str | None = None) -> dict:
    """Relations, events, quotations and dates of one parsed chunk, as
    records of :mod:`kg.records` under the keys ``relations``, ``events``,
    ``quotations``, ``dates`` and ``extra_mentions`` (the mentions the rules
    found that the NER did not give).

    The records' ``doc_id`` is empty and their sentence numbers are indices
    into *sent_spans* (token spans of the chunk's sentences) until
    :func:`kg.nlp.extract._assemble` makes them the document's; offsets are
    document offsets. *date* is
    the document's publication date ("the Kenyan President" is who held the
    office then).
    """
    ctx = _Context(sdoc, offset, sent_spans, gazetteer)
    ctx.text = text if text is not None else sdoc.text
    ctx.date = date

    relations: list[Relation] = office_references(ctx)  # first: the verbs' arguments see these people
    leader_references(ctx)  # "the Kenyan leader" for William Ruto, named before
    definite_references(ctx)  # and "the Corridor" for the Lobito Corridor
    capital_references(ctx)  # "Washington imposed sanctions": the United States
    rules = ctx.rules
    verbs = rules["verbs"]
    events: list[EventCandidate] = []

    def date_records(sent_index, anchor) -> list[DateMention]:
        return [DateMention("", e.start_char + offset, e.end_char + offset, e.text, sent_index)
                for e in _dates_of_sentence(ctx, sent_index, anchor)]

    def relate(sent_index, subjects, objects, predicate, key):
        for s in subjects:
            if s.label_ not in _AGENT_TYPES:
                continue
            for o in objects:
                if (s.start, s.end) == (o.start, o.end):
                    continue
                relations.append(Relation("", sent_index, ctx.span(s), predicate, ctx.span(o), key, f"verb:{key}"))

    # Only verbs are looked at: find them in the POS array instead of making a
    # Python Token for every word.
    from spacy.attrs import LOWER, POS
    from spacy.symbols import AUX, VERB

    attrs = sdoc.to_array([POS, LOWER])
    verb_positions = [i for i, pos in enumerate(attrs[:, 0]) if pos in (VERB, AUX)]
    evented: set[int] = set()  # object nouns a verb event already covers ("held a meeting")
    reciprocal_words = bool(ctx.positions_of(_RECIPROCAL_WORDS))  # "each other", "one another"
    for i in verb_positions:
        token = sdoc[i]
        if token.lemma_.lower() in ("be",) or negated(token):
            continue  # ("did not meet", "refused to sign": nothing happened)
        key = _phrasal(token)
        spec = verbs.get(key) or verbs.get(token.lemma_.lower())
        sent_index = ctx.sent_index(token.i)
        subjects, roles = _subjects(ctx, token)
        if spec is not None:
            made = _made_for(ctx, token)  # "set up a Fund to support ... in implementing the 2030 Agenda"
            if made is not None and all((made.start, made.end) != (s.start, s.end) for s in subjects):
                subjects = list(subjects) + [made]
        group = None
        if not subjects:
            group = _group_subject(ctx, token)
            if group:
                subjects = list(group)
        mutual = _reciprocal_sides(ctx, token, subjects) if reciprocal_words and not group and _reciprocal(token) else []
        if len(mutual) >= 2:
            # "China and Kenya helped each other": each side relates to the other
            subjects = mutual
            predicate = "cooperatesWith" if token.lemma_.lower() in _MUTUAL_AID else (
                spec["relation"] if spec is not None and spec.get("relation") else "relatedTo")
            for a_i, a in enumerate(subjects):
                for b in subjects[a_i + 1:]:
                    if a.label_ in _AGENT_TYPES and b.label_ in (*_AGENT_TYPES, "Place"):  # ("China and Africa")
                        relations.append(Relation("", sent_index, ctx.span(a), predicate, ctx.span(b),
                                                  token.lemma_.lower(), "verb:reciprocal"))
            if spec is None:
                continue  # (a verb with rules goes on to its event: "met with each other")
        if spec is None:
            # Generic relation: both ends entities, direct attachment only.
            if not subjects and not group and token.dep_ == "ROOT":
                subjects = _thing_subject(ctx, token)  # "the expansion of NATO has alarmed Russia"
            if key in ctx.speech or not subjects or group:
                continue
            for obj in _path_objects(ctx, token):
                for s in subjects:
                    if (s.start, s.end) != (obj.start, obj.end) and not isinstance(s, _Demonym):
                        relations.append(Relation("", sent_index, ctx.span(s), "relatedTo", ctx.span(obj),
                                                  token.lemma_.lower(), f"verb:{token.lemma_.lower()}"))
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
        relation_ok = words_ok = not needs or bool(object_words & set(needs))
        doer_word = False
        date_anchor = token
        if spec.get("needs_subject_words"):
            # "airstrikes killed", "a missile hit", "Israel killed": a weapon, a force or
            # a state ("the pandemic killed" is a disaster's, "the decision hit" nothing)
            heads = {c.i for c in token.children if c.dep_ in _SUBJ}
            words = {c.lower_ for c in token.children if c.dep_ in _SUBJ}
            if not words and token.dep_ == "acl" and token.tag_ in ("VBN", "VBD") \
                    and token.head.lower_ in spec["needs_subject_words"] and any(c.dep_ in _OBJ for c in token.children):
                # "Israeli airstrikes killed 30 people": the parser reads a headline's
                # participle ("airstrikes [that were] killed") where the verb has an object
                words = {token.head.lower_}
                date_anchor = token.head  # ("On May 4, Sudanese airstrikes killed": the date is on the noun)
                found = _demonym_agent(ctx, token.head)
                if found is not None:
                    subjects, roles = [found[0]], [(found[0], found[1])]
            doer_word = bool(words & set(spec["needs_subject_words"]))
            if not doer_word and not any(s.label_ in ("Country", "Organization") and not isinstance(s, _Demonym)
                                         and s.root.i in heads for s in subjects):  # (not "the Russia-Ukraine conflict")
                relation_ok = False
                if not words & set(spec.get("event_if_subject_words") or {}):
                    continue
        if (spec.get("needs_prep_object") or spec.get("needs_object")) and not objects:
            relation_ok = False  # "work" alone, "speak" without "with"
        predicate = spec["relation"]
        if predicate == "joined" and token.dep_ == "xcomp" and token.head.lemma_.lower() in _WANTING:
            predicate = "seeksMembershipIn"  # "Indonesia wants to join BRICS"
        for otype, other in (spec.get("relation_if_object_types") or {}).items():
            if otype in object_types:
                predicate = other
        for word, other in (spec.get("relation_if_object_words") or {}).items():
            if word in object_words:  # "held phone talks with": spoke with
                predicate = other
        heads = spec.get("relation_if_object_heads") or {}
        for d in dobjs:  # "joined leaders of ASEAN for the summit": met them, did not join ASEAN
            if d.lower_ in heads:
                predicate = heads[d.lower_]
        if relation_ok and predicate != "relatedTo":
            if group:  # "the two leaders agreed with ..." relates each side
                relate(sent_index, subjects, [o for o in objects if all((o.start, o.end) != (g.start, g.end) for g in group)], predicate, key)
            else:
                relate(sent_index, subjects, objects, predicate, key)
        parties = spec.get("parties")
        if parties and (not parties.get("needs_object_words") or object_words & set(parties["needs_object_words"])):  # "signed a security agreement with Britain", "mediating between Israel and Hamas"
            found = [p for p in _objects(ctx, token, {**parties, "needs_prep_object": True})[0]
                     if all((p.start, p.end) != (s.start, s.end) for s in subjects)]
            relate(sent_index, [s for s in subjects if not isinstance(s, _Demonym)], found, parties["relation"], key)
            objects = objects + [p for p in found if all((p.start, p.end) != (o.start, o.end) for o in objects)]
        sides = []
        if spec.get("mutual_event") and not objects and words_ok:
            # "Saudi Arabia and Iran agreed to restore ties": the sides agreed with each other
            sides = [s for s in subjects if s.label_ in _AGENT_TYPES and not isinstance(s, _Demonym)]
            if len(sides) >= 2:
                for a_i, a in enumerate(sides):
                    relate(sent_index, [a], sides[a_i + 1:], predicate, key)
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
        if event_type is None and spec.get("event") and (relation_ok or len(sides) >= 2):
            event_type = spec["event"]
        if event_type is None:
            continue
        if event_type == "Attack" and spec.get("as_attack"):
            # "launched 40 missiles and 50 drones at Ukraine": who was attacked
            objects = [o for o in _objects(ctx, token, spec["as_attack"])[0] if o.label_ in spec["as_attack"]["objects"]]
            relate(sent_index, subjects, objects, spec["as_attack"]["relation"], key)
        agents = [ctx.span(s) for s in subjects if s.label_ in _AGENT_TYPES]
        targets = [ctx.span(o) for o in objects]
        if event_type == "Visit" and spec.get("visit_host"):
            # "Biden hosted Kishida": Kishida made the visit, Biden received it
            agents, targets = [ctx.span(o) for o in objects if o.label_ in _AGENT_TYPES], agents
            if not agents:
                continue  # received, but no guest named
        if event_type in ("Speech", "Statement"):  # "delivered a speech, explaining the community of ..."
            targets.extend(t for t in (ctx.span(e) for e in _speech_topics(ctx, token)) if t not in targets)
        for principal in _on_behalf_of(ctx, token):  # "made a report on behalf of the Central Committee"
            if ctx.span(principal) not in agents:
                agents.append(ctx.span(principal))
        places = [ctx.span(p) for p in _places(ctx, token, set(targets), to=event_type not in _TO_RECIPIENT)]
        if event_type in ("Meeting", "Call", "Speech", "Statement", "Endorsement", "Pledge", "Launch", "Proposal"):
            occasion = _occasion(ctx, token, venues=event_type != "Meeting")
            if occasion is not None:  # they met, spoke or announced at it: each attended it
                relate(sent_index, [s for s in subjects if not isinstance(s, _Demonym)] + [o for o in objects if o.label_ in _AGENT_TYPES],
                       [occasion], "spokeAt" if event_type == "Speech" else "attended", key)
                if occasion.label_ != "Event":
                    targets.append(ctx.span(occasion))  # a venue: "a speech at the Korber Foundation"
                else:  # the body whose forum it is: "proposed ... at the 76th session of the UN General Assembly"
                    targets.extend(b for b in _bodies_named_in(ctx, occasion) if b not in targets)
        if event_type in ("Visit", "Attack"):  # where one went, where it struck
            places = sorted(set(places) | {t for t, o in zip(targets, objects) if o.label_ in ("Place", "Country")})
            if not targets and not places and len(sides) < 2:
                continue  # "French jets flew": a visit goes somewhere (but "A and B exchanged fire")
        if not (agents or targets) and not (places and (event_type == "Disaster" or (event_type in ("Attack", "Protest") and doer_word) or (
                event_type == "Meeting" and _dates_of_sentence(ctx, sent_index, token)))):
            continue  # (but "the earthquake occurred in Turkey", "a suicide bomber killed 12 people in Kabul",
            # "their leaders met at Camp David in August 2023")
        if doer_word and any(c.dep_ in _SUBJ and (n := rules["nouns"].get(c.lower_)) and n.get("event") == event_type
                             and any(p.dep_ == "prep" and p.lower_ in n["preps"] for p in c.children)
                             for c in token.children):
            continue  # "Russian missile strikes on Kharkiv killed 20": the noun's event, with its target
        evented.update(d.i for d in dobjs)
        if date_anchor is not token:
            evented.add(date_anchor.i)  # (the noun is this event's doer, not an event of its own)
        if event_type in ("Meeting", "Call", "Visit") and len({*agents, *targets}) >= 2:
            people = [e for e in list(subjects) + list(objects) if e.label_ in _AGENT_TYPES]
            ctx.parties_told.append((sent_index, people))
        events.append(candidate(
            sentence=sent_index, type=event_type, trigger=key, trigger_start=token.idx + offset,
            phrase=_phrase(token, dobjs), rule=f"verb:{key}", agents=agents, targets=targets,
            places=places, roles=[(ctx.span(e), r) for e, r in roles],
            dates=date_records(sent_index, token) or (date_records(sent_index, date_anchor) if date_anchor is not token else []),
            quantities=_quantities(ctx, token), tense=_tense(token),
        ))

    relations.extend(_in_partnership(ctx))
    relations_, events_ = _noun_triggers(ctx, attrs, evented, date_records)
    relations.extend(relations_)
    events.extend(events_)
    relations.extend(fact_relations(ctx))  # before the named events, which read the countries in names
    events.extend(_named_events(ctx, date_records))

    # Noun-headed happenings: "the completion ceremony ... was held", "the meeting ... was held".
    noun_hashes = {sdoc.vocab.strings.add(word) for word in rules["event_nouns"]}
    for i in [i for i, h in enumerate(attrs[:, 1]) if h in noun_hashes]:
        token = sdoc[i]
        etype = rules["event_nouns"].get(token.lower_)
        if etype is None or token.i in ctx.ent_of:
            continue  # (a named event is dated by _named_events)
        subject = token
        if token.dep_ in ("nmod", "compound") and token.head.dep_ in _PASSIVE_SUBJ:
            subject = token.head  # "the completion ceremony of ... project was held": the parser's head is "project"
        if subject.dep_ not in _PASSIVE_SUBJ:
            dated = _dated_noun_event(ctx, token, etype, evented, date_records, offset)
            if dated is not None:  # "the two sessions of the National People's Congress in 2023"
                events.append(dated)
            continue
        verb = subject.head
        if verb.lemma_.lower() not in ("hold", "open", "convene", "launch", "complete"):
            continue
        sent_index = ctx.sent_index(token.i)
        label = phrase(token.subtree)
        participants = [ctx.span(e) for t in token.subtree if (e := ctx.ent_of.get(t.i)) is not None and e.label_ in _AGENT_TYPES]
        places = [ctx.span(p) for p in _places(ctx, verb, set())]
        events.append(candidate(
            sentence=sent_index, type=etype, trigger=token.lower_, trigger_start=token.idx + offset,
            phrase=label, rule=f"noun:{token.lower_}", agents=sorted(set(participants)),
            places=places, dates=date_records(sent_index, verb), tense=_tense(verb),
        ))

    quotations = _quotations(ctx)
    dates = [DateMention("", e.start_char + offset, e.end_char + offset, e.text, ctx.sent_index(e.start))
             for e in ctx.all_ents if e.label_ == "DATE"]
    return {"relations": relations, "events": events, "quotations": quotations, "dates": dates,
            "extra_mentions": [Mention(doc_id="", **m) for m in ctx.extra_mentions.values()]}


#: Event types whose "to X" names a recipient, not where it happened.
_TO_RECIPIENT = frozenset({"Sanction", "Aid", "Pledge", "Call", "Speech", "Statement", "Condemnation", "Endorsement",
                           "Proposal", "Agreement"})

_PARTNER_TYPES = (*_AGENT_TYPES, "Initiative")
_PARTNERSHIP_NOUNS = PARTNERSHIP_NOUNS


def _in_partnership(ctx: _Context) -> list[Relation]:
    """"Africa CDC, in partnership with the African Union and COVAX, has
    helped ...", "Kenya, in coordination with Ethiopia, deployed ...": the
    clause's subject cooperates with each partner."""
    doc = ctx.doc
    out = []
    for i in ctx.positions_of(_PARTNERSHIP_NOUNS):
        noun = doc[i]
        if noun.dep_ != "pobj" or noun.head.lower_ != "in":
            continue
        partners = []
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ == "with":
                for pobj in (c for c in p.children if c.dep_ == "pobj"):
                    for t in _conjuncts(pobj):
                        ent = ctx.entity_in(t, _PARTNER_TYPES)
                        if ent is not None:
                            partners += _adjacent_coordination(ctx, ent) + [ent]
        if not partners:
            continue
        h = noun.head.head
        if h.i in ctx.ent_of and ctx.ent_of[h.i].label_ in _AGENT_TYPES:
            doers = [ctx.ent_of[h.i]]
        else:
            while h.pos_ not in ("VERB", "AUX") and h.head is not h:
                h = h.head
            doers = _subjects(ctx, h)[0] if h.pos_ in ("VERB", "AUX") else []
            # the parser may take the end of a long list of partners for more
            # subjects ("X, in partnership with A, B and C, has helped"): those are partners
            late = [d for d in doers if d.start > noun.i and d.start < h.i]
            for d in late:
                partners += [e for t in _conjuncts(d.root) if (e := ctx.entity_in(t, _PARTNER_TYPES, deep=False)) is not None]
            doers = [d for d in doers if d.end <= noun.head.i]
        seen = set()
        for d in doers:
            for p in partners:
                key = (ctx.span(d), ctx.span(p))
                if key[0] != key[1] and key not in seen and not isinstance(d, _Demonym):
                    seen.add(key)
                    out.append(Relation("", ctx.sent_index(i), key[0], "cooperatesWith", key[1], noun.lower_,
                                        "in-partnership-with"))
    return out


#: Verbs of a participial clause that says what a speech was about.
_EXPOUNDING = frozenset({"explain", "outline", "elaborate", "expound", "present", "describe", "introduce", "detail",
                         "set", "lay", "highlight", "advocate", "champion", "promote"})


def _speech_topics(ctx: _Context, verb) -> list:
    """The initiatives a speech was about: "delivered a speech, explaining the
    connotations of a community with a shared future" (a participial clause
    on the verb), "a speech on the Global Development Initiative"."""
    out = []
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG" and c.lemma_.lower() in _EXPOUNDING:
            for d in c.children:
                if d.dep_ in ("dobj", "prep"):
                    ent = ctx.entity_in(d, ("Initiative",))
                    if ent is not None:
                        out.append(ent)
        elif c.dep_ == "dobj":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("on", "about"):
                    ent = next((ctx.entity_in(x, ("Initiative",)) for x in p.children if x.dep_ == "pobj"), None)
                    if ent is not None:
                        out.append(ent)
    return out


def _on_behalf_of(ctx: _Context, verb) -> list:
    """The countries or bodies the verb's subject acts for: "spoke on behalf
    of the G77", "signed in the name of the government of Peru" (on the
    verb or its object, not inside another clause)."""
    out = []
    for h in [verb] + [c for c in verb.children if c.dep_ in _OBJ]:
        for p in h.children:
            if p.dep_ != "prep" or p.lower_ not in ("on", "in"):
                continue
            for noun in p.children:
                if noun.dep_ == "pobj" and noun.lower_ in ("behalf", "name"):
                    for of in noun.children:
                        if of.dep_ == "prep" and of.lower_ == "of":
                            for pobj in of.children:
                                if pobj.dep_ == "pobj":
                                    ent = ctx.entity_in(pobj, ("Country", "Organization"))
                                    if ent is not None:
                                        out.append(ent)
    return out


_RECIPROCAL_WORDS = frozenset({"other", "another"})

#: Verbs that, done to each other, are cooperation.
_MUTUAL_AID = frozenset({"help", "assist", "support", "aid", "back"})


def _thing_subject(ctx: _Context, verb) -> list:
    """A generic verb's subject that is a thing, not an agent: the entity of
    "the <noun> of <entity>" ("the expansion of NATO has alarmed Russia")."""
    out = []
    for sub in (c for c in verb.children if c.dep_ in _SUBJ):
        if sub.i in ctx.ent_of or sub.pos_ != "NOUN":
            continue
        for p in sub.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for pobj in p.children:
                    ent = ctx.ent_of.get(pobj.i) if pobj.dep_ == "pobj" else None
                    if ent is not None and ent.label_ in (*_AGENT_TYPES, "Initiative"):
                        out.append(ent)
    return out


def _reciprocal_sides(ctx: _Context, verb, subjects) -> list:
    """The sides of a reciprocal verb: its subjects, with a continent or
    region coordinated among them ("China and Africa helped each other")."""
    head = verb
    while head.dep_ == "conj" and not any(c.dep_ in _SUBJ for c in head.children):
        head = head.head
    out = {(s.start, s.end): s for s in subjects}
    for sub in (c for c in head.children if c.dep_ in _SUBJ):
        for t in _conjuncts(sub):
            ent = ctx.ent_of.get(t.i)
            if ent is not None and ent.label_ == "Place":
                out[(ent.start, ent.end)] = ent
    return [out[k] for k in sorted(out)]


def _reciprocal(verb) -> bool:
    """Is the verb's object "each other" or "one another" (also after a
    preposition: "worked with each other")?"""
    nouns = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    nouns += [x for p in verb.children if p.dep_ == "prep" for x in p.children if x.dep_ == "pobj"]
    return any(n.lower_ in ("other", "another", "one") and any(d.lower_ in ("each", "one", "another") for d in n.children)
               for n in nouns)


def _bodies_named_in(ctx: _Context, ent) -> list[tuple[int, int]]:
    """Spans of the organisations named inside the name of the event *ent*
    ("the 76th session of the United Nations General Assembly", "the Boao
    Forum for Asia Annual Conference"): the forum's body."""
    lo, hi = ctx.span(ent)
    out = [span for span, m in ctx.extra_mentions.items()
           if m["type"] == "Organization" and lo <= span[0] and span[1] <= hi and span != (lo, hi)]
    nested = ctx.doc.spans["kg_nested"] if "kg_nested" in ctx.doc.spans else ()
    out += [ctx.span(sp) for sp in nested
            if sp.label_ == "Organization" and ent.start <= sp.start and sp.end <= ent.end and (sp.start, sp.end) != (ent.start, ent.end)]
    return sorted(set(out))


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


