"""Relations that noun phrases state, without a verb: places, membership,
groups and parts, partners and deployments.

* places: "the Port of Lobito in Angola", "Jeddah, Saudi Arabia", "Addis
  Ababa, the capital of Ethiopia", "China's Yunnan province";
* membership and parts: "BRICS members Brazil, Russia and India", "Kenya, a
  member of the African Union", "Africa CDC of the African Union";
* partners: "cooperation between A and B", "Saudi-backed", "U.S.-led",
  "the Friends of X"; forces based or deployed somewhere, accessions.

Positions are :mod:`kg.nlp.positions`, names inside longer names
:mod:`kg.nlp.nameparts`, phrases standing for a name told elsewhere
:mod:`kg.nlp.references`. Each returns :class:`~kg.records.Relation` records
of the chunk (``doc_id`` empty and sentences numbered in the chunk until
:mod:`kg.nlp.extract` assembles the document) with a rule id saying which
construction gave it.
"""

from __future__ import annotations

import bisect
import re

from ..records import Relation
from .arguments import _adjacent_coordination, _conjuncts, _list_after
from .context import Context
from .nameparts import is_infrastructure, name_part_relations
from .positions import is_known, office_changes, position_relations
from .spans import (POSSESSIVE, after_the, conjuncts_of, demonym_country, ends_phrase, entity_at, is_larger_place, rel,
                    span_of)

__all__ = ["fact_relations"]

#: Nouns that say what kind of place a name is, in an apposition ("a port city in").
_PLACE_NOUNS = frozenset({"city", "port", "town", "village", "province", "region", "area", "state", "district",
                          "county", "island", "islands", "capital", "territory", "municipality", "prefecture",
                          "governorate", "oblast", "site", "coast", "border", "zone", "hub", "suburb", "suburbs"})
_MEMBER_WORDS = frozenset({"member", "members", "allies", "ally", "partners", "member-states", "states", "countries", "nations"})


#: Head words of facilities a body runs.
_FACILITIES = frozenset({"station", "port", "airport", "base", "plant", "terminal", "depot", "shipyard", "refinery",
                         "mine", "dam", "hospital", "laboratory", "centre", "center"})


def _place_relations(ctx: Context) -> list[Relation]:
    doc = ctx.doc
    out = []
    n = len(doc)
    where = ("Place", "Country")
    for ent in ctx.ents:
        kind = ent.label_
        if kind not in ("Place", "Organization", "Event", "Initiative"):
            continue
        j = ent.end
        if j >= n:
            continue
        word = doc[j].lower_
        if word == "in" and kind == "Initiative" and is_infrastructure(ent):
            # "the Lobito Corridor in Angola", "the pipelines in international waters in the Baltic Sea"
            for k in range(j, min(j + 8, n - 1)):
                if doc[k].lower_ in (",", ";", ".", "which", "that") or doc[k].pos_ in ("VERB", "AUX"):
                    break
                other = entity_at(ctx, after_the(ctx, k + 1), where) if doc[k].lower_ == "in" else None
                if other is not None:
                    out.append(rel(ctx, ent.start, ent, "locatedIn", other, "infrastructure-in-place"))
                    break
            continue
        if word in ("in", "at") and kind != "Initiative":
            other = entity_at(ctx, after_the(ctx, j + 1), where)
            if other is not None and not (kind == "Organization" and (other.label_ == "Country" and word == "at" or _is_igo(ctx, ent))):
                # ("the G20 in India" is the G20's meeting there, not its seat)
                predicate = {"Event": "heldIn", "Organization": "headquarteredIn"}.get(kind, "locatedIn")
                out.append(rel(ctx, ent.start, ent, predicate, other, f"{kind.lower()}-in-place"))
                continue
        if word == "of" and kind == "Place" and ent[-1].lower_ in _FACILITIES:
            other = entity_at(ctx, after_the(ctx, j + 1), ("Organization",))
            if other is not None:  # "the Central Station of the State Railway Company"
                out.append(rel(ctx, ent.start, ent, "operatedBy", other, "facility-of-body"))
                continue
        if word in _PLACE_NOUNS and doc[j].text[:1].isupper() and j + 1 < n:
            j += 1  # "Gaziantep Province, ..."
            word = doc[j].lower_
        if word == "," and kind == "Place":
            other = entity_at(ctx, j + 1, where)
            if other is not None and ends_phrase(ctx, other.end):
                if other.label_ == "Country" or is_larger_place(ctx, other):
                    out.append(rel(ctx, ent.start, ent, "locatedIn", other, "place-comma-place"))
                continue
            # "Addis Ababa, the capital of Ethiopia"
            k = after_the(ctx, j + 1)
            words = [t.lower_ for t in doc[k:k + 6]]
            if words[:2] == ["capital", "of"]:
                other = entity_at(ctx, after_the(ctx, k + 2), where)
                if other is not None:
                    out.append(rel(ctx, ent.start, ent, "capitalOf", other, "place-apposition"))
            else:
                # "Hatay Province, the hardest hit area in Turkey"; "Lobito, a port city of Angola"
                for step in range(min(len(words), 5)):
                    if words[step] in _PLACE_NOUNS and step + 1 < len(words) and words[step + 1] in ("of", "in"):
                        other = entity_at(ctx, after_the(ctx, k + step + 2), where)
                        if other is not None:
                            out.append(rel(ctx, ent.start, ent, "locatedIn", other, "place-apposition"))
                        break
                    if words[step] in (",", ".", ";", "and", "which", "who"):
                        break
        # "the Satish Dhawan Space Center on India's southeastern coast"
        if kind in ("Place", "Organization") and j + 3 < n and word in ("on", "in", "at", "near", "off"):
            owner = entity_at(ctx, after_the(ctx, j + 1), ("Country",))
            if owner is not None and owner.end + 1 < n and doc[owner.end].text in POSSESSIVE:
                k = owner.end + 1
                while k < n and k - owner.end < 4 and doc[k].is_lower and doc[k].pos_ == "ADJ":
                    k += 1
                if k < n and doc[k].lower_ in _PLACE_NOUNS | {"north", "south", "east", "west", "northwest",
                                                               "northeast", "southwest", "southeast"}:
                    out.append(rel(ctx, ent.start, ent, "locatedIn", owner, "place-in-possessive"))
        # "U.S. Space Command's annual Global Sentinel exercise": who holds it
        if kind == "Event" and ent.start >= 2:
            k = ent.start - 1
            while k > 0 and doc[k].is_lower and doc[k].pos_ in ("ADJ", "NUM"):
                k -= 1
            if doc[k].text in POSSESSIVE and k >= 1:
                owner = ctx.ent_of.get(k - 1)
                if owner is not None and owner.label_ in ("Country", "Organization"):
                    out.append(rel(ctx, ent.start, ent, "organizedBy", owner, "event-possessive"))
        # "China's Yunnan province", "in Turkey's Hatay Province"
        if kind == "Place" and ent.start >= 2 and doc[ent.start - 1].text in POSSESSIVE:
            owner = ctx.ent_of.get(ent.start - 2)
            if owner is not None and owner.label_ in where:

                # "Ukraine's Donetsk, Luhansk and Kherson regions"
                for place in [ent] + [p for p in _list_after(ctx, ent) if p.label_ == "Place"]:
                    out.append(rel(ctx, place.start, place, "locatedIn", owner, "place-possessive"))
    return out


def _is_igo(ctx: Context, ent) -> bool:
    """An intergovernmental body or forum (gazetteer kind): "the G20 in India"
    names its meeting there."""
    entry = ctx.gazetteer.entries.get(ent.kb_id_) if ctx.gazetteer is not None and ent.kb_id_ else None
    return getattr(entry, "kind", None) in ("igo", "forum", "grouping")


def _membership(ctx: Context) -> list[Relation]:
    """"NATO Allies Poland and Romania", "BRICS members Brazil, Russia, India",
    "Kenya, a member of the African Union", "Africa CDC of the African Union"."""
    doc = ctx.doc
    n = len(doc)
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Organization":
            continue
        j = ent.end
        # "NATO members Poland and Romania"; "ASEAN member states Indonesia, ..."
        k = j
        while k < n and doc[k].lower_ in _MEMBER_WORDS and k - j < 2:
            k += 1
        if k > j and doc[j].lower_ in ("member", "members", "allies", "ally"):
            if k < n and doc[k].text in (",", ":"):
                k += 1
            while k < n:
                other = entity_at(ctx, k, ("Country",))
                if other is None:
                    break
                out.append(rel(ctx, other.start, other, "memberOf", ent, "members-list"))
                k = other.end
                while k < n and doc[k].text in (",", "and", "as", "well"):
                    k += 1
        # "Africa CDC of the African Union": a body of an organisation or state
        if j + 1 < n and doc[j].lower_ == "of" and (len(ent) > 1 or is_known(ent)):
            other = entity_at(ctx, after_the(ctx, j + 1), ("Organization", "Country"))
            if other is not None:
                out.append(rel(ctx, ent.start, ent, "partOf", other, "body-of"))
    for ent in ctx.ents:
        if ent.label_ not in ("Country", "Organization"):
            continue
        j = ent.end
        if j + 3 < n and doc[j].text == ",":
            k = j + 1
            if doc[k].lower_ in ("a", "an", "the"):
                k += 1
            while k < n and doc[k].lower_ in ("founding", "full", "fellow", "new", "permanent"):
                k += 1
            if k + 2 < n and doc[k].lower_ in ("member", "ally") and doc[k + 1].lower_ in ("of", "in"):
                other = entity_at(ctx, after_the(ctx, k + 2), ("Organization",))
                if other is not None:
                    out.append(rel(ctx, ent.start, ent, "memberOf", other, "member-apposition"))
    out.extend(_group_apposition(ctx))
    return out


#: Nouns that name a grouping of states or bodies ("a partnership of ...").
_GROUP_NOUNS = frozenset({"partnership", "alliance", "coalition", "group", "grouping", "bloc", "initiative", "mechanism",
                          "forum", "framework", "organization", "organisation", "union", "consortium", "dialogue",
                          "platform", "arrangement", "network", "association", "pact", "treaty", "agreement",
                          "compact", "club", "caucus", "format", "quartet", "grouping"})


def _group_apposition(ctx: Context) -> list[Relation]:
    """"the Quad, a partnership of Australia, India, Japan and the United
    States"; "X, a new coordination initiative among A, B and C": each state
    or body listed is a member of the organisation (a party to the initiative)."""
    doc = ctx.doc
    n = len(doc)
    out = []
    for ent in ctx.ents:
        if ent.label_ not in ("Organization", "Initiative") or ent.end + 4 >= n or doc[ent.end].text != ",":
            continue
        k = ent.end + 1
        if doc[k].lower_ in ("a", "an", "the"):
            k += 1
        start = k
        while k < n and k - start < 4 and doc[k].lower_ not in _GROUP_NOUNS and doc[k].is_lower and doc[k].is_alpha:
            k += 1  # "a new coordination initiative", "a regional security grouping"
        if k + 1 >= n or doc[k].lower_ not in _GROUP_NOUNS or doc[k + 1].lower_ not in ("of", "among", "between"):
            continue
        predicate = "memberOf" if ent.label_ == "Organization" else "partyTo"
        k = after_the(ctx, k + 2)
        members = []
        while k < n:
            other = entity_at(ctx, k, ("Country", "Organization"))
            if other is None:
                break
            members.append(other)
            k = other.end
            while k < n and doc[k].text in (",", "and", "the"):
                k += 1
        if len(members) >= 2:  # a list: "a partnership of India" is something else
            out.extend(rel(ctx, m.start, m, predicate, ent, "group-apposition") for m in members)
    return out


def _friends_of(ctx: Context) -> list[Relation]:
    """A group named "Friends of <a name the gazetteer has>" supports what it
    names ("the Group of Friends of the Global Development Initiative")."""
    if ctx.gazetteer is None:
        return []
    doc = ctx.doc
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Organization" or len(ent) < 3:
            continue
        words = [t.text for t in ent]
        for j in range(len(words) - 2):
            if words[j] == "Friends" and words[j + 1] == "of":
                k = ent.start + j + 2
                k += 1 if doc[k].lower_ == "the" else 0
                inner = doc[k:ent.end]
                entry = None
                for kind in ("Initiative", "Organization", "Country"):
                    entry = entry or ctx.gazetteer.lookup(inner.text, kind)
                if entry is not None and entry.id != ent.kb_id_:
                    span = ctx.add_mention(inner.start_char, inner.end_char, inner.text, entry.type, entry, "name-part", k)
                    out.append(rel(ctx, ent.start, ent, "supports", span, "name-part"))
                break
    return out


#: Nouns whose "between A and B" / "among A, B and C" relates each pair.
_BETWEEN_NOUNS = {"cooperation": "cooperatesWith", "partnership": "cooperatesWith", "relations": "cooperatesWith",
                  "ties": "cooperatesWith", "trade": "cooperatesWith", "alliance": "cooperatesWith",
                  "collaboration": "cooperatesWith", "coordination": "cooperatesWith", "friendship": "cooperatesWith",
                  "talks": "metWith", "dialogue": "metWith", "meeting": "metWith", "summit": "metWith",
                  "consultations": "metWith", "negotiations": "metWith", "conflict": "attacked", "war": "attacked",
                  "fighting": "attacked", "tensions": "opposes", "dispute": "opposes", "agreement": "agreedWith",
                  "deal": "agreedWith", "ceasefire": "agreedWith", "truce": "agreedWith"}


def _between(ctx: Context) -> list[Relation]:
    """"cooperation between China and ASEAN", "talks among Russia, Turkey and
    Iran": the parties, pair by pair (in the order written)."""

    doc = ctx.doc
    out = []
    for i in ctx.positions_of(_BETWEEN_NOUNS):
        token = doc[i]
        predicate = _BETWEEN_NOUNS[token.lower_]
        if token.pos_ != "NOUN":
            continue
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("between", "among", "amongst"):
                continue
            parties = {}
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for t in _conjuncts(pobj):
                    ent = ctx.entity_in(t, ("Country", "Organization", "Person"))
                    if ent is not None:
                        for e in _adjacent_coordination(ctx, ent) + [ent]:
                            parties[(e.start, e.end)] = e
            ordered = [parties[k] for k in sorted(parties)]
            for a_i, a in enumerate(ordered):
                for b in ordered[a_i + 1:]:
                    out.append(rel(ctx, token.i, a, predicate, b, f"between:{token.lower_}"))
    out.extend(_agreement_between(ctx))
    return out


def _agreement_between(ctx: Context) -> list[Relation]:
    """"a Memorandum of Cooperation between His Excellency Moussa Faki
    Mahamat, Chairperson of ..., and Secretary Blinken": the people between
    whom an agreement is made signed it (its states and bodies are its
    parties: :func:`_agreement_parties`)."""

    out = []
    seen = set()
    for ent in ctx.ents:
        if ent.label_ != "Initiative" or (ent.start, ent.end) in seen:
            continue
        seen.add((ent.start, ent.end))
        for prep in ent.root.children:
            if prep.dep_ != "prep" or prep.lower_ != "between" or prep.i < ent.end:
                continue
            parties = {}
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for t in _conjuncts(pobj):
                    other = ctx.entity_in(t, ("Person",))
                    if other is not None:
                        for e in _adjacent_coordination(ctx, other) + [other]:
                            parties[(e.start, e.end)] = e
            for key in sorted(parties):
                out.append(rel(ctx, parties[key].start, parties[key], "signed", ent, "agreement-between"))
    return out


#: "China-aided", "U.S.-led", "Iranian-backed": the participle's relation from the country to what it qualifies.
_COMPOUND_PARTICIPLES = {"aided": "funds", "funded": "funds", "financed": "funds", "sponsored": "supports",
                         "backed": "supports", "supported": "supports", "led": "leads", "chaired": "leads",
                         "headed": "leads", "brokered": "brokered", "mediated": "brokered", "proposed": "proposed",
                         "initiated": "proposed", "hosted": "hosted", "built": "funds", "occupied": "invaded",
                         "annexed": "invaded", "controlled": "leads"}


_CLOSING_QUOTES = frozenset({'"', "”", "’", "'", "»"})


def _agreement_parties(ctx: Context) -> list[Relation]:
    """"a new Economic Assistance Agreement with the Forum Fisheries Agency",
    "a Memorandum of Cooperation (MOC) between X and Y": the parties."""

    doc = ctx.doc
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Initiative":
            continue
        j = ent.end
        if j < len(doc) and doc[j].text in _CLOSING_QUOTES:
            j += 1  # the “Belt and Road” between China and Laos
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
            j += 3  # "(MOC)"
        if j + 1 >= len(doc) or doc[j].lower_ not in ("with", "between", "among"):
            continue
        k = after_the(ctx, j + 1)
        first = ctx.ent_of.get(k)
        if first is None or first.label_ not in ("Country", "Organization") or first.start != k:
            continue
        for party in [first] + [e for e in _adjacent_coordination(ctx, first) if e.start > first.start]:
            out.append(rel(ctx, ent.start, party, "partyTo", ent, f"agreement-{doc[j].lower_}"))
    return out


_PARTICIPLE_RE = re.compile(r"[-\u2013]\s?(?:" + "|".join(sorted(_COMPOUND_PARTICIPLES)) + r")\b", re.IGNORECASE)


def _compound_participles(ctx: Context) -> list[Relation]:
    if ctx.gazetteer is None:
        return []
    doc = ctx.doc
    out = []
    text_of_chunk = getattr(ctx, "text", None) or doc.text
    starts = None
    found = []
    for match in _PARTICIPLE_RE.finditer(text_of_chunk):
        if starts is None:
            starts = doc.to_array("IDX")
        i = bisect.bisect_right(starts, match.end() - 1) - 1  # the token holding the participle
        if i >= 0 and (not found or found[-1] != i):
            found.append(i)
    for i in found:
        token = doc[i]
        text = token.text
        owner_span, participle_i = None, None
        m = re.fullmatch(r"(.+)[-\u2013](\w+)", text)
        if m and m.group(2).lower() in _COMPOUND_PARTICIPLES:
            entry = ctx.gazetteer.lookup(m.group(1), "Country") or ctx.gazetteer.demonym(m.group(1))
            if entry is None:
                continue
            owner_span = ctx.add_mention(token.idx, token.idx + len(m.group(1)), m.group(1), "Country", entry,
                                         "name-part", token.i)
            predicate, participle_i = _COMPOUND_PARTICIPLES[m.group(2).lower()], token.i
        elif text.lower() in _COMPOUND_PARTICIPLES and token.i >= 2 and doc[token.i - 1].text in ("-", "\u2013"):
            owner = ctx.ent_of.get(token.i - 2)
            if owner is not None and owner.label_ in ("Country", "Organization"):
                owner_span = ctx.span(owner)
            else:  # "Saudi-backed"
                word = doc[token.i - 2]
                entry = ctx.gazetteer.demonym(word.text) or ctx.gazetteer.lookup(word.text, "Country")
                if entry is None:
                    continue
                owner_span = ctx.add_mention(word.idx, word.idx + len(word.text), word.text, "Country", entry,
                                             "name-part", word.i)
            predicate, participle_i = _COMPOUND_PARTICIPLES[text.lower()], token.i
        else:
            continue
        # what it qualifies: the next name in the same noun phrase
        for k in range(participle_i + 1, min(participle_i + 5, len(doc))):
            target = ctx.ent_of.get(k)
            if target is not None:
                if target.label_ in ("Initiative", "Organization", "Event", "Place") and ctx.span(target) != owner_span:
                    out.append(rel(ctx, participle_i, owner_span, predicate, target, f"compound:{text.lower()}"))
                break
            if doc[k].pos_ not in ("ADJ", "NOUN", "PROPN", "DET") or doc[k].text in (",", "(", ")"):
                break
    return out


#: Nouns for the state acting: "the Belarusian authorities", "the Iranian regime".
_STATE_ACTORS = frozenset({"authorities", "regime", "government", "military", "forces", "troops", "army", "navy",
                           "officials", "leadership", "administration", "delegation", "side", "embassy", "ministry"})


def _state_actors(ctx: Context) -> list[Relation]:
    """A demonym before a noun for the state acting ("the Belarusian
    authorities", "the Iranian regime's") names the country, as CAMEO codes
    such actors: a mention of it (no relation)."""
    doc = ctx.doc
    for i in ctx.positions_of(_STATE_ACTORS):
        for c in doc[i].children:
            if c.dep_ in ("amod", "compound") and c.i == i - 1 and c.i not in ctx.ent_of:
                demonym_country(ctx, c)
    return []


#: Nouns for a state's or a body's people or work stationed somewhere:
#: "NATO missions in the Balkans", "Russian forces in Ukraine", "U.S.
#: troops in Syria", "UN peacekeepers in Lebanon".
_DEPLOYED = frozenset({"mission", "missions", "operation", "operations", "forces", "troops", "soldiers",
                       "peacekeepers", "presence", "deployment", "deployments", "battlegroup", "battlegroups",
                       "personnel", "bases", "contingent", "contingents", "destroyers", "warships", "frigates",
                       "submarines", "jets", "bombers", "brigade", "brigades", "battalion", "battalions", "units"})
#: Participles that put the forces somewhere.
_STATIONED = frozenset({"station", "deploy", "base", "position", "send", "dispatch", "rotate"})


def _deployments(ctx: Context) -> list[Relation]:
    """"<Country|Organization|demonym> <deployed noun> in <Place|Country>"
    (coordinated on either side: "NATO missions and operations in the
    Balkans and Iraq"): the owner is deployed to each place."""
    doc = ctx.doc
    out, seen = [], set()
    for i in ctx.positions_of(_DEPLOYED):
        noun = doc[i]
        if noun.pos_ not in ("NOUN", "PROPN") or i in ctx.ent_of:
            continue
        first = noun.head if noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN") else noun
        owner = None
        for c in first.children:
            if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < first.i:
                ent = ctx.ent_of.get(c.i)
                if ent is not None and ent.label_ in ("Country", "Organization"):
                    owner = ent
                elif ent is None and c.dep_ == "amod":
                    owner = demonym_country(ctx, c)
        if owner is None:
            continue
        holders = {first, noun}
        # "U.S. destroyers stationed in Rota", "Russian troops deployed to Belarus"
        holders |= {c for h in (first, noun) for c in h.children
                    if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in _STATIONED}
        preps = [p for holder in sorted(holders, key=lambda t: t.i) for p in holder.children]
        if noun.dep_ in ("dobj", "pobj") and noun.right_edge.i + 1 < len(doc):
            # "discussed Israeli operations in Gaza": the parser may hang the place on the verb
            after = doc[noun.right_edge.i + 1]
            if after.head.i == noun.head.i and after.dep_ == "prep":
                preps.append(after)
        for p in preps:
            if p.dep_ != "prep" or p.lower_ not in ("in", "to"):
                continue
            for pobj in p.children:
                if pobj.dep_ != "pobj":
                    continue
                for t in conjuncts_of(pobj):
                    where = ctx.ent_of.get(t.i)
                    pair = (span_of(ctx, owner), span_of(ctx, where)) if where is not None else None
                    if pair and where.label_ in ("Place", "Country") and pair[0] != pair[1] and pair not in seen:
                        seen.add(pair)
                        out.append(rel(ctx, i, owner, "deployedTo", where, "deployed-in-place", verb=noun.lower_))
    return out


def _accessions(ctx: Context) -> list[Relation]:
    """A state's accession to a body: "Timor-Leste's ASEAN accession
    process", "Ukraine's accession to the EU", "the accession of Sweden to
    NATO" (seeking membership: the accession is under way or told as such)."""
    doc = ctx.doc
    out = []
    for i in ctx.positions_of(_ACCESSION):
        state = body = None
        k = i
        before = ctx.ent_of.get(i - 1)
        if before is not None and before.label_ == "Organization" and before.end == i:
            body, k = before, before.start  # "ASEAN accession"
        if k >= 2 and doc[k - 1].text in POSSESSIVE:
            owner = ctx.ent_of.get(k - 2)
            if owner is not None and owner.label_ == "Country":
                state = owner
        for p in doc[i].children:
            if p.dep_ != "prep":
                continue
            for pobj in (c for c in p.children if c.dep_ == "pobj"):
                ent = ctx.ent_of.get(pobj.i)
                if ent is None:
                    continue
                if p.lower_ == "of" and ent.label_ == "Country" and state is None:
                    state = ent
                elif p.lower_ in ("to", "into") and ent.label_ == "Organization" and body is None:
                    body = ent
        if state is not None and body is not None and not (state.end < i and body.start > i):
            # ("Ukraine's accession to the EU" is the accession noun's own rule, kg/data/relations.json)
            out.append(rel(ctx, i, state, "seeksMembershipIn", body, "accession"))
    return out


_ACCESSION = frozenset({"accession"})


#: "the Biden-Harris Administration", "the Kishida Government": named by its leader.
_LED_BODY = re.compile(r"^(?:the\s+)?([A-Z][\w'’.]+)(?:[-–][A-Z][\w'’.]+)?\s+(?:Administration|administration|Government|government)$")


def _led_bodies(ctx: Context) -> list[Relation]:
    """An administration or government named after a person the text names
    ("President Joe Biden ... the Biden-Harris Administration"): that person
    leads it (the nearest mention with that surname, before it if any)."""
    out = []
    people = [e for e in ctx.ents if e.label_ == "Person"]
    for ent in ctx.ents:
        if ent.label_ != "Organization":
            continue
        hit = _LED_BODY.match(ent.text)
        if hit is None:
            continue
        named = [p for p in people if p[-1].text == hit.group(1) or (len(p) > 1 and p[-2].text == hit.group(1)
                                                                      and p[-1].text.rstrip(".") in ("Jr", "Sr", "II", "III"))]
        if not named:
            continue
        leader = min(named, key=lambda p: (p.start > ent.start, abs(p.start - ent.start)))
        out.append(rel(ctx, ent.start, leader, "leaderOf", ent, "body-named-by-leader"))
    return out


def _owned_initiatives(ctx: Context) -> list[Relation]:
    """"China's Belt and Road Initiative", "Saudi Arabia's Vision 2030", "the
    EU's Global Gateway": the state or body whose initiative it is leads it."""
    doc = ctx.doc
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Initiative" or ent.start < 2 or doc[ent.start - 1].text not in POSSESSIVE:
            continue
        owner = ctx.ent_of.get(ent.start - 2)
        if owner is not None and owner.label_ in ("Country", "Organization") and owner.end == ent.start - 1:
            out.append(rel(ctx, ent.start, owner, "leads", ent, "initiative-possessive"))
    return out


def fact_relations(ctx: Context) -> list[Relation]:
    """Every noun-phrase relation of the chunk (see the module doc)."""
    return (position_relations(ctx) + office_changes(ctx) + _place_relations(ctx) + _membership(ctx) + name_part_relations(ctx)
            + _friends_of(ctx) + _between(ctx)
            + _agreement_parties(ctx) + _compound_participles(ctx) + _state_actors(ctx) + _deployments(ctx)
            + _led_bodies(ctx) + _accessions(ctx) + _owned_initiatives(ctx))
