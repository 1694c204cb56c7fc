"""Event candidates -> resolved events with normalised dates and places.

Per document, dates are normalised against an anchor: the publication date,
or else the latest explicit date written in the text (and then every date
that needed the anchor is marked inferred). A paragraph that opens with a
date ("On March 23, 2013, ...", "March 23, 2013, Moscow Institute of
International Relations.") dates, and places, the events in it that have no
date of their own. Candidates with the same type and participants whose dates
overlap are one event, across documents too, keeping every report.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .dates import DateValue
from .records import Entity, Extraction
from .resolve import Resolution

__all__ = ["ResolvedEvent", "resolve_events", "document_anchor"]

#: Position properties that make a person act for a state in an event.
_OFFICE_PREDICATES = frozenset({"headOfState", "headOfGovernment", "foreignMinisterOf", "ministerOf", "leaderOf",
                                "holdsPosition", "viceHeadOfState", "officialOf", "headOf"})
#: Positions in a body (not a state) that make their holder act for it.
_BODY_PREDICATES = frozenset({"headOf", "officialOf", "leaderOf"})


@dataclass(frozen=True)
class ResolvedEvent:
    """One event node.

    key
        Stable key the IRI is minted from; for a named event entity that the
        text dates or hosts, that entity's key (``entity`` is then set).
    start, end, datatype
        ISO lexical forms and the XSD datatype local name of ``start``.
    date_source
        ``sentence`` (its own sentence), ``paragraph`` (carried from the date
        that opens the paragraph) or ``None`` (undated).
    evidence
        ``(doc_id, sentence start, sentence end)`` of every report.
    states
        ``(participant, country)`` pairs: the country each person taking part
        acts for, by the document's position relations and the gazetteer (the
        actors' states, as CAMEO codes them).
    planned
        Every report tells it as to come ("will meet", "plans to visit").
    """

    key: str
    type: str
    label: str
    start: str | None
    end: str | None
    datatype: str | None
    inferred: bool
    date_text: str | None
    date_source: str | None
    place: Entity | None
    agents: tuple[Entity, ...]
    targets: tuple[Entity, ...]
    roles: tuple[tuple[Entity, str], ...]
    evidence: tuple[tuple[str, int], ...]
    rules: tuple[str, ...]
    phrase: str
    entity: Entity | None = None
    quantities: tuple = ()
    states: tuple[tuple[Entity, Entity], ...] = ()
    planned: bool = False
    places: tuple[Entity, ...] = ()


def document_anchor(ex: Extraction) -> tuple[_dt.date | None, bool]:
    """The date relative expressions resolve against, and whether it is
    itself a guess (the latest date in the text rather than the document's)."""
    from .dates import latest_explicit_date

    if ex.doc.date:
        return _dt.date.fromisoformat(ex.doc.date), False
    latest = latest_explicit_date(d.text for d in ex.dates)
    return latest, True


def _parse(text: str, anchor):
    from .dates import parse_date_expression

    # (parse_date_expression never raises for a string: a TypeError here is a bug to see)
    value = parse_date_expression(text, anchor)
    if value is None and "," in text:
        # the NER's DATE span ran on past a comma: "Wednesday, months"
        head = text.split(",")[0].strip()
        value = parse_date_expression(head, anchor) if head else None
    return value


#: What lies between a paragraph's opening date and the place of the scene
#: it sets: ", at the ", " in ".
_SCENE = re.compile(r"\s*,?\s*(?:at|in)\s+(?:the\s+)?", re.IGNORECASE)
#: An agency's dateline before its date: "NAIROBI, ", "KYIV, Ukraine, ".
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'\u2019\- ]+(?:,\s*[A-Z][\w.'\u2019\- ]+)?,\s*")
#: A whole dateline without a date: "KYIV, Ukraine (AP) — ", "WASHINGTON (Reuters) - ".
_UNDATED_DATELINE = re.compile(r"[A-Z][A-Z.'\u2019\- ]+(?:,\s*[A-Z][\w.'\u2019\- ]+)?\s*\([A-Z][\w .&-]{1,30}\)\s*(?:--?|\u2014|\u2013)\s")
#: ... and of the place of a dateline: "March 23, 2013, Moscow Institute of ...".
_DATELINE_PLACE = re.compile(r"\s*,?\s*(?:(?:at|in)\s+)?(?:the\s+)?", re.IGNORECASE)


def _paragraph_context(ex: Extraction, anchor, resolution: Resolution):
    """paragraph -> (DateValue, place Entity | None, dateline?) from a date
    that opens it (or an agency's dateline: "NAIROBI, May 4 (Reuters) -")."""
    context = {}
    first_sentence: dict[int, int] = {}
    for i, para in enumerate(ex.paragraphs):
        first_sentence.setdefault(para, i)
    # each sentence's dates, and its mentions in text order, looked up rather
    # than sought among the document's: a long document has thousands of paragraphs
    dates_in: dict[int, list] = defaultdict(list)
    for d in ex.dates:
        dates_in[d.sentence].append(d)
    mentions_in: dict[int, list] | None = None
    for para, i in first_sentence.items():
        sentence = ex.sentences[i]
        if i == 0 and _UNDATED_DATELINE.match(sentence.text):
            # "KYIV, Ukraine (AP) — ...", "WASHINGTON (Reuters) - ...": a dateline without a date
            place = next((resolution.entity_of(m) for m in ex.mentions if m.sentence == i
                          and m.start == sentence.start and m.type in ("Place", "Country")), None)
            if place is not None:
                context[para] = (None, place, True)
        opening = [d for d in dates_in.get(i, ()) if d.start - sentence.start <= 30]
        for d in sorted(opening, key=lambda d: d.start):
            head = sentence.text[:d.start - sentence.start]
            dateline = _DATELINE.fullmatch(head)
            if not dateline and not re.fullmatch(r"\s*(?:On|on|In|in|At|at|the|The|afternoon|morning|evening|night|of|\s)*", head):
                continue
            value = _parse(d.text, anchor)
            if value is None and not dateline:
                continue
            place = None
            if mentions_in is None:
                mentions_in = defaultdict(list)
                for m in sorted(ex.mentions, key=lambda m: (m.start, -m.end)):
                    mentions_in[m.sentence].append(m)
            if dateline:
                # an agency's dateline: "NAIROBI, May 4 (Reuters) - ...": the city it was filed from
                place = next((resolution.entity_of(m) for m in mentions_in.get(i, ())
                              if m.start == sentence.start and m.type in ("Place", "Country")), None)
                context[para] = (value, place, True)
                break
            # a dateline sentence: "March 23, 2013, Moscow Institute of International Relations."
            words = len(sentence.text.split())
            if words <= 14:
                # the first name of the line, whole ("Moscow Institute of ...", not its "Moscow"),
                # right after the date ("On May 8, the decision hit Morocco" is no dateline)
                for m in mentions_in.get(i, ()):
                    if m.start > d.end:
                        if m.type in ("Place", "Country", "Organization") and _DATELINE_PLACE.fullmatch(
                                ex.doc.text[d.end:m.start]):
                            place = resolution.entity_of(m)
                        break
            else:
                # the scene set after the date: "On October 16, at the Great Hall of
                # the People in Beijing, the congress opened. ... Xi made a report."
                for m in mentions_in.get(i, ()):
                    if m.start > d.end and m.type in ("Place", "Country") \
                            and _SCENE.fullmatch(ex.doc.text[d.end:m.start]):
                        place = resolution.entity_of(m)
                        break
            context[para] = (value, place, False)
            break
    return context


def _home_states(resolution: Resolution, gazetteer) -> dict[str, Entity]:
    """Person entity key -> the Country entity of the corpus the gazetteer
    says the person holds office in (by QID), for people whose title the
    text gives without a country ("President Biden")."""
    if gazetteer is None:
        return {}
    countries = {e.qid: e for e in resolution.entities if e.type == "Country" and e.qid}
    by_qid = {}
    for entry in gazetteer.entries.values():
        if entry.type == "Person" and entry.qid and entry.country:
            by_qid.setdefault(entry.qid, set()).add(entry.country)
    out = {}
    for e in resolution.entities:
        if e.type != "Person" or not e.qid or len(by_qid.get(e.qid, ())) != 1:
            continue
        country = gazetteer.entries.get("countries:" + next(iter(by_qid[e.qid])))
        if country is not None and country.qid in countries:
            out[e.key] = countries[country.qid]
    return out


def _host_states(resolution: Resolution, gazetteer) -> dict[str, Entity]:
    """Place entity key -> the Country entity of the corpus the gazetteer
    puts the place in ("Manila" -> the Philippines), for gazetteer places."""
    if gazetteer is None:
        return {}
    countries = {e.qid: e for e in resolution.entities if e.type == "Country" and e.qid}
    places = {e.qid: e for e in resolution.entities if e.type == "Place" and e.qid}
    if not places or not countries:
        return {}
    out = {}
    for entry in gazetteer.entries.values():
        if entry.type == "Place" and entry.qid in places and entry.country:
            country = gazetteer.entries.get("countries:" + entry.country)
            if country is not None and country.qid in countries:
                out[places[entry.qid].key] = countries[country.qid]
    return out


def resolve_events(extractions: Iterable[Extraction], resolution: Resolution, gazetteer=None) -> list[ResolvedEvent]:
    """Resolve the event candidates of *extractions* (see module doc). With
    the *gazetteer*, an office-holder's country takes part with them."""
    from .ns import slugify

    home = _home_states(resolution, gazetteer)
    hosts = _host_states(resolution, gazetteer)
    raw = []
    for ex in extractions:
        anchor, anchor_guessed = document_anchor(ex)
        context = _paragraph_context(ex, anchor, resolution)
        by_span = {(m.start, m.end): m for m in ex.mentions}

        def ent(span):
            m = by_span.get(tuple(span))
            return resolution.entity_of(m) if m is not None else None

        office: dict[str, set] = defaultdict(set)
        for key, state in home.items():
            office[key].add(state)
        for r in ex.relations:
            if r.predicate in _OFFICE_PREDICATES:
                person, state = ent(r.subject), ent(r.object)
                if person is not None and state is not None and state.type == "Country":
                    office[person.key].add(state)
                elif person is not None and state is not None and state.type == "Organization" \
                        and r.predicate in _BODY_PREDICATES and person.type == "Person":
                    office[person.key].add(state)  # "Prime Minister of the Palestinian Authority Muhammad Mustafa"

        # the last dated past happening of each paragraph, and who did it
        told: dict[int, list] = {}
        went: dict[int, tuple] = {}  # and the last place someone went to
        for ev in sorted(ex.events, key=lambda e: (e.sentence, e.trigger_start)):
            value, source = None, None
            for d in ev.dates:
                value = _parse(d.text, anchor)
                if value is not None:
                    source = "sentence"
                    break
            para = ex.paragraphs[ev.sentence] if ev.sentence < len(ex.paragraphs) else 0
            places = tuple(e for e in (ent(p) for p in ev.places) if e is not None)
            place = places[0] if places else None
            doers = {e.key for e in (ent(a) for a in ev.agents) if e is not None}
            # the happening told before: in this paragraph, or in the one before
            # when this one has none and no date of its own ("On December 17, X
            # traveled to Houston ... \n\n As part of their visit, X met with ...")
            earlier = told.get(para, [])[::-1] + (told.get(para - 1, [])[::-1] if para not in context else [])
            before = next((t for t in earlier if t[0] < ev.sentence and doers & t[2]), None)
            if value is not None and ev.tense == "past" and doers:
                told.setdefault(para, []).append((ev.sentence, value, doers))
            elif value is None and ev.tense == "past" and before is not None:
                # a narrative goes on in its time: "Gordon visited Israel June
                # 23-25. Dr. Gordon met with President Herzog ..." (a later
                # sentence of the paragraph, the same doer, told in the past)
                value, source = replace(before[1], inferred=True), "narrative"
            if ev.tense == "past" and doers:
                if ev.type == "Visit" and place is not None and place.type == "Place":
                    went[para] = (ev.sentence, place, doers)
                elif ev.type == "Meeting" and place is None and para in went and went[para][0] < ev.sentence and doers & went[para][2]:
                    place = went[para][1]  # "Gordon traveled to Ramallah. Dr. Gordon met with ..." there
            if para in context and context[para][2] and place is None:
                place = context[para][1]  # the dateline's city, for what its paragraph tells
            if value is None and para in context and context[para][0] is not None:
                value, ctx_place, _ = context[para]
                source = "paragraph"
                place = place or ctx_place
            if value is None and ev.tense in ("past", "present") and ex.doc.date:
                # news reports what happened lately: an undated past event is
                # dated by the publication (as GDELT and PETRARCH do), marked inferred
                value, source = DateValue(ex.doc.date, None, "day", True, ex.doc.date), "publication"
            inferred = bool(value is not None and value.inferred)
            agents = tuple(e for e in (ent(a) for a in ev.agents) if e is not None)
            targets = tuple(e for e in (ent(t) for t in ev.targets) if e is not None)
            if ev.type == "Visit":
                # a visit to a city is a visit to its country, as event coders
                # code the host ("Harris visited Manila": the Philippines)
                own = {c.key for a in agents for c in office.get(a.key, ())} | {a.key for a in agents}
                for p in places:
                    host = hosts.get(p.key)
                    if host is not None and host.key not in own and all(t.key != host.key for t in targets):
                        targets += (host,)
            # the states that office-holders act for ("President Lula of Brazil")
            states = tuple((p, c) for p in agents + targets for c in office.get(p.key, ()))
            roles = tuple((e, r) for e, r in ((ent(s), r) for s, r in ev.roles) if e is not None)
            sentence = ex.sentences[ev.sentence]
            raw.append((ev, ex.doc.id, value, source, inferred, place, agents, targets, roles,
                        (sentence.start, sentence.end), states, places))

    # group: same type and participants, overlapping dates
    groups: dict[tuple, list] = defaultdict(list)
    for item in raw:
        ev, _, value, _, _, _, agents, targets, _, _, _, _ = item
        who = tuple(sorted({(e.type, e.key) for e in agents + targets}))
        groups[(ev.type, who)].append(item)
    events: list[ResolvedEvent] = []
    for (etype, who), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        clusters: list[list] = []
        for item in sorted(items, key=lambda it: (it[2].start if it[2] else "~", it[1], it[0].trigger_start)):
            value = item[2]
            for cluster in clusters:
                cv = cluster[0][2]
                # two triggers in one sentence are two happenings ("sent teams ... provided vaccines")
                same_sentence = any(it[1] == item[1] and it[0].sentence == item[0].sentence for it in cluster)
                if value is not None and cv is not None and not same_sentence and _overlaps(value, cv):
                    cluster.append(item)
                    break
            else:
                clusters.append([item])
        for cluster in clusters:
            events.append(_merge(etype, cluster, slugify))
    # A named event is one node: its reports merge, the best-dated one
    # giving the date and type.
    named: dict[str, list[ResolvedEvent]] = defaultdict(list)
    for ev in events:
        if ev.entity is not None:
            named[ev.key].append(ev)
    events = [ev for ev in events if ev.entity is None] + [_merge_named(group) for _, group in sorted(named.items())]
    # Distinct happenings that would get the same key (same type, date and
    # participants, told in one sentence) keep distinct nodes.
    seen: dict[str, int] = defaultdict(int)
    unique = []
    for ev in sorted(events, key=lambda e: (e.key, e.evidence, e.phrase)):
        seen[ev.key] += 1
        if seen[ev.key] > 1 and ev.entity is None:
            ev = ResolvedEvent(**{**ev.__dict__, "key": f"{ev.key} {seen[ev.key]}"})
        unique.append(ev)
    unique.sort(key=lambda e: e.key)
    return unique


def _merge_named(group: list[ResolvedEvent]) -> ResolvedEvent:
    """The reports of one named event as one event (see resolve_events)."""
    if len(group) == 1:
        return group[0]
    def rank(ev):
        return (ev.start is not None, ev.date_source == "sentence", len(ev.start or ""), ev.type != "Other",
                [-ord(c) for c in (ev.start or "")])
    best = max(group, key=lambda ev: (rank(ev), tuple(e[1] for e in ev.evidence)))
    place = best.place or next((ev.place for ev in group if ev.place is not None), None)
    return ResolvedEvent(**{
        **best.__dict__,
        "place": place,
        "agents": _union(ev.agents for ev in group),
        "targets": _union(ev.targets for ev in group),
        "states": _pairs(ev.states for ev in group),
        "roles": tuple(sorted({(e.key, e.type, r): (e, r) for ev in group for e, r in ev.roles}.values(),
                              key=lambda x: (x[0].key, x[1]))),
        "evidence": tuple(sorted({x for ev in group for x in ev.evidence})),
        "rules": tuple(sorted({x for ev in group for x in ev.rules})),
        "quantities": tuple(sorted({q for ev in group for q in ev.quantities}, key=lambda q: (q.item, q.value, q.text))),
        "planned": all(ev.planned for ev in group),
        "places": _places_of(place, (ev.places for ev in group)),
    })


def _bounds(value) -> tuple[str, str]:
    start = value.start
    end = value.end or value.start
    return start, end


def _overlaps(a, b) -> bool:
    a0, a1 = _bounds(a)
    b0, b1 = _bounds(b)
    # compare as prefixes: "2013" overlaps "2013-03-23"
    lo_a, hi_a = a0, a1 + "~"
    lo_b, hi_b = b0, b1 + "~"
    return lo_a <= hi_b and lo_b <= hi_a


def _merge(etype, cluster, slugify) -> ResolvedEvent:
    # the most precise date wins
    dated = [it for it in cluster if it[2] is not None]
    best = max(dated, key=lambda it: (len(it[2].start), it[3] == "sentence", -len(it[1]))) if dated else cluster[0]
    ev, doc_id, value, source, inferred, place, agents, targets, roles, _, _, _ = best
    states = _pairs(it[10] for it in cluster)
    agents = _union(it[6] for it in cluster)
    targets = _union(it[7] for it in cluster)
    roles = tuple(sorted({(e.key, e.type, r): (e, r) for it in cluster for e, r in it[8]}.values(), key=lambda x: (x[0].key, x[1])))
    place = place or next((it[5] for it in cluster if it[5] is not None), None)
    places = _places_of(place, (it[11] for it in cluster))
    evidence = tuple(sorted({(it[1], *it[9]) for it in cluster}))
    rules = tuple(sorted({it[0].rule for it in cluster}))
    label = _label(etype, agents, targets, roles, place, ev.phrase)
    named = next((t for t in targets if t.type == "Event"), None)
    date_part = value.start if value is not None else "undated"
    key_who = "-".join(e.label for e in (agents + targets)[:3]) or ev.phrase
    own = named is not None and (etype in ("Summit", "Meeting") or any(it[0].rule == "name:event" for it in cluster))
    key = named.key if own else f"{etype} {date_part} {key_who}"
    if value is None and not own:
        key = f"{key} {evidence[0][0][:6]} {ev.trigger_start}"
    return ResolvedEvent(
        key=key, type=etype, label=label[:200], start=value.start if value else None,
        end=value.end if value else None, datatype=value.datatype if value else None,
        inferred=bool(inferred) if value else False, date_text=value.text if value else None,
        date_source=source if value else None, place=place, agents=agents, targets=targets, roles=roles,
        evidence=evidence, rules=rules, phrase=ev.phrase, entity=named if key == (named.key if named else None) else None,
        quantities=tuple(sorted({q for it in cluster for q in it[0].quantities},
                                key=lambda q: (q.item, q.value, q.text))),
        states=tuple((p, c) for p, c in states if c not in agents and c not in targets),
        planned=all(it[0].tense == "future" for it in cluster),
        places=places,
    )


def _names(entities) -> str:
    names = [e.label for e in entities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _label(etype: str, agents, targets, roles, place, phrase: str) -> str:
    """"Meeting: Joe Biden and Kishida Fumio", "Visit: Bashar al-Assad to
    China", else the type, the agents and the trigger phrase."""
    parties = [e for e in targets if e.type in ("Person", "Country", "Organization")]
    if etype in ("Meeting", "Call") and agents and (parties or len(agents) > 1):
        return f"{etype}: {_names(list(agents) + [p for p in parties if p not in agents])}"
    if etype == "Visit" and agents and (place is not None or targets):
        hosts = [t for t in targets if t.type in ("Person", "Organization")]
        where = place or next((t for t in targets if t.type in ("Country", "Place")), None)
        if where is not None:
            return f"Visit: {_names(agents)} to {where.label}" + (f", hosted by {_names(hosts)}" if hosts else "")
        return f"Visit: {_names(agents)}, hosted by {_names(hosts)}"
    who = _names(agents) or ", ".join(r for _, r in roles)
    if not who and not targets and place is not None:
        return f"{etype}: {phrase} in {place.label}"  # "Meeting: met in Camp David"
    return f"{etype}: {who + ' ' if who else ''}{phrase}".strip()


def _pairs(groups) -> tuple:
    """The (participant, state) pairs of *groups*, once each, in key order."""
    out = {}
    for group in groups:
        for p, c in group:
            out[(p.type, p.key, c.key)] = (p, c)
    return tuple(out[k] for k in sorted(out))


def _places_of(place, groups) -> tuple:
    """Every place of an event's reports, its main *place* first (the others
    are where else it happened, or the larger places the text puts it in:
    "Hatay Province, ... in Turkey")."""
    if place is None:
        return ()
    return (place, *(e for e in _union(groups) if (e.type, e.key) != (place.type, place.key)))


def _union(groups) -> tuple:
    out = {}
    for group in groups:
        for e in group:
            out[(e.type, e.key)] = e
    return tuple(out[k] for k in sorted(out))
