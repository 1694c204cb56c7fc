"""A country, body or place named inside a longer name: "the U.S.-India Initiative on ..."
(each country is party to it), "U.S. Space Command" (a body of the United States), "the
Brazilian Amazon" (in Brazil), "the 2023 G20 Summit" (the G20's)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..records import Relation
from .context import Context
from .spans import rel

__all__ = ["head_index", "is_infrastructure", "name_part_relations"]


#: (outer name's type, inner name's type) -> (predicate, inner is the subject)
#: for a name inside a longer name. "pair" rows apply when the outer name
#: holds two or more names of that type ("U.S.-India ...").
_NAME_PART_RELATIONS = {
    ("Initiative", "Country"): ("partyTo", True),
    ("Initiative", "Organization"): ("partyTo", True),
    ("Event", "Country"): ("attended", True),
    ("Event", "Organization"): ("attended", True),
    ("Event", "Organization", "of"): ("organizedBy", False),  # "the 70th session of the UN General Assembly"
    ("Event", "Place"): ("heldIn", False),
    ("Place", "Country"): ("locatedIn", False),
    ("Place", "Place"): ("locatedIn", False),
    ("Place", "Organization"): ("headquarteredIn", True),  # "the UNESCO Headquarters"
    ("Organization", "Country"): ("partOf", False),
    ("Organization", "Country", "pair"): ("memberOf", True),
    ("Organization", "Organization"): ("partOf", False),  # "United Nations General Assembly"
    ("Organization", "Place"): ("headquarteredIn", False),  # "Moscow Institute of International Relations"
}


#: Head words of the bodies of a state ("U.S. Space Command", "Russian Armed Forces").
_STATE_BODIES = frozenset({"ministry", "department", "command", "embassy", "consulate", "mission", "agency", "forces",
                           "army", "navy", "military", "guard", "police", "office", "service", "services", "council",
                           "parliament", "congress", "senate", "assembly", "court", "government", "cabinet", "administration",
                           "bank", "commission", "authority", "directorate", "bureau", "fleet", "corps", "ministries"})


def _state_body(ent) -> bool:
    return any(t.lower_ in _STATE_BODIES for t in ent)


def _sub_names(ctx: Context, ent, kind: str):
    """Gazetteer names inside *ent*: whole tokens or runs of tokens, and the
    parts of hyphenated tokens ("U.S.-India"); longest first, no overlaps.
    Yields (start char, end char, text, type, entry, first token)."""
    doc = ctx.doc
    taken: set[int] = set()
    n = len(ent)
    tokens = list(ent)
    texts = [t.text for t in tokens]
    upper = [x[:1].isupper() for x in texts]
    base = ent.start
    for size in range(min(n - 1, 5), 0, -1):
        for j in range(n - size + 1):
            if not upper[j] or not upper[j + size - 1] or any(k in taken for k in range(j, j + size)):
                continue
            span = doc[base + j:base + j + size]
            hit = _gazetteer_name(ctx, span.text, kind, whole=size > 1)
            if hit is not None:
                taken.update(range(j, j + size))
                yield span.start_char, span.end_char, span.text, hit[0], hit[1], base + j
    for j, token in enumerate(tokens):
        if j in taken or ("-" not in texts[j] and "\u2013" not in texts[j]):
            continue
        offset = 0
        for part in re.split(r"([-\u2013])", token.text):
            start = token.idx + offset
            offset += len(part)
            if len(part) < 2 or not part[:1].isupper():
                continue
            hit = _gazetteer_name(ctx, part, kind, whole=False)
            if hit is not None:
                yield start, start + len(part), part, hit[0], hit[1], -1 - token.i  # negative: a hyphen part


def _gazetteer_name(ctx: Context, text: str, kind: str, whole: bool):
    return _gazetteer_name_of(ctx.gazetteer, text, kind, whole)


@lru_cache(maxsize=1 << 16)
def _gazetteer_name_of(gazetteer, text: str, kind: str, whole: bool):
    """(type, entry) of a name inside a name, memoised: names repeat across documents."""
    entry = gazetteer.lookup(text, "Country") or (gazetteer.demonym(text) if not whole else None)
    if entry is not None:
        return "Country", entry
    entry = gazetteer.lookup(text, "Organization")
    if entry is not None:
        return "Organization", entry
    if kind in ("Event", "Organization", "Place"):
        entry = gazetteer.lookup(text, "Place")
        if entry is not None and not entry.needs_evidence:
            return "Place", entry
    return None


#: Words that make a place name a region or a body of water, which holds the
#: countries its name mentions rather than lying in them ("South China Sea",
#: "Sub-Saharan Africa", "Latin America and the Caribbean").
_REGION_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                           "upper", "lower", "greater", "sub", "saharan", "sub-saharan", "indo", "sea", "seas", "ocean",
                           "strait", "straits", "gulf", "bay", "channel", "river", "lake", "basin", "peninsula",
                           "and", "region", "subcontinent", "horn", "islands", "mainland", "middle", "far", "near"})


_INFRASTRUCTURE = frozenset({"railway", "railroad", "rail", "line", "corridor", "pipeline", "pipelines", "road",
                             "highway", "bridge", "port", "canal", "dam", "tunnel", "airport", "grid", "cable"})


_WAR_WORDS = frozenset({"war", "invasion", "conflict", "aggression", "occupation", "crisis", "attack", "attacks"})


def head_index(ent) -> int:
    """The head word of a name: the last word before "of/for/on/in/to", else the last word."""
    for t in ent[1:]:
        if t.lower_ in ("of", "for", "on", "in", "to", "at") and t.i > ent.start:
            return t.i - 1
    return ent.end - 1


def is_infrastructure(ent) -> bool:
    return ent.doc[head_index(ent)].lower_ in _INFRASTRUCTURE


def _name_part_applies(ent, kind: str, etype: str, entry, first: int, head: int, hyphen: bool) -> bool:
    """Whether a name inside *ent* says how the two relate (see _NAME_PART_RELATIONS)."""
    if entry.id == ent.kb_id_:
        return False
    words = {t.lower_ for t in ent} | {w.lower() for t in ent for w in re.split(r"[-\u2013]", t.text)}
    if kind == "Place" and words & _REGION_WORDS:
        return False
    if etype == "Organization" and kind == "Initiative" and not hyphen:
        return False  # "United Nations Framework Convention": the UN is not a party
    if kind == "Event":
        if words & _WAR_WORDS:
            return False
        if etype == "Place" and getattr(entry, "kind", None) in ("region", "continent", "subregion"):
            return False  # "East Asia Summit" is not held in a region
        if etype in ("Country", "Place") and first > head:
            return False  # "Conference on the Recovery of Ukraine", "Summit of the Americas"
    if kind == "Organization" and etype == "Place" and getattr(entry, "kind", None) not in ("capital", "city"):
        return False  # "East Asia Summit", "Asian Development Bank": a region, not a seat
    return True


def name_part_relations(ctx: Context) -> list[Relation]:
    """Names inside a longer name: "U.S.-India Initiative on ..." (each
    country is party to it), "Moscow Institute of International Relations"
    (based in Moscow), "United Nations General Assembly" (part of the United
    Nations), "the 2022 Madrid Summit" (held in Madrid)."""
    if ctx.gazetteer is None:
        return []
    doc = ctx.doc
    out = []
    for ent in ctx.ents:
        kind = ent.label_
        if kind not in ("Initiative", "Organization", "Event", "Place") or len(ent) < 2 and not re.search(r"[-\u2013]", ent.text):
            continue
        found = []
        head = head_index(ent)
        for start, end, text, etype, entry, first in _sub_names(ctx, ent, kind):
            hyphen = first < 0
            first = -1 - first if hyphen else first
            if not _name_part_applies(ent, kind, etype, entry, first, head, hyphen):
                continue
            after_of = first > ent.start and doc[first - 1].lower_ in ("of", "the") and (
                doc[first - 1].lower_ == "of" or first - 1 > ent.start and doc[first - 2].lower_ == "of")
            if after_of and etype == "Country" and ctx.gazetteer.demonym(text) is not None:
                continue  # "Organization of American States": the members' kind, not a seat
            found.append((ctx.add_mention(start, end, text, etype, entry, "name-part", first), etype, after_of))
        pair = sum(1 for _, etype, _ in found if etype == "Country") > 1
        for span, etype, after_of in found:
            rule = (_NAME_PART_RELATIONS.get((kind, etype, "of")) if after_of else None) or (
                _NAME_PART_RELATIONS.get((kind, etype, "pair")) if pair else None) or _NAME_PART_RELATIONS.get((kind, etype))
            if rule is None:
                continue
            predicate, inner_first = rule
            if (kind, etype) == ("Organization", "Country") and predicate == "partOf" and not _state_body(ent):
                predicate = "headquarteredIn"  # "Brazilian Communist Party": based there, not an organ of the state
            if kind == "Initiative" and is_infrastructure(ent) and etype in ("Country", "Place"):
                predicate, inner_first = "locatedIn", False  # "the Zambia-Lobito railway" runs there
            if inner_first:
                out.append(rel(ctx, ent.start, span, predicate, ent, "name-part"))
            else:
                out.append(rel(ctx, ent.start, ent, predicate, span, "name-part"))
    return out
