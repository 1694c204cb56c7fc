"""Relations that noun phrases state, without a verb: positions, places,
membership and parts.

* positions: "Russian President Vladimir Putin", "Ukraine's President
  Zelenskyy", "President Lula of Brazil", "Bokova, the former
  Director-General of UNESCO", and, for a titled gazetteer person whose
  country the document names, the gazetteer's country;
* places: "the Port of Lobito in Angola", "Jeddah, Saudi Arabia", "Addis
  Ababa, the capital of Ethiopia", "China's Yunnan province";
* membership and parts: "BRICS members Brazil, Russia and India", "Kenya, a
  member of the African Union", "Africa CDC of the African Union";
* a country named inside a longer name: "the U.S.-India Initiative on ..."
  (each country is party to it), "U.S. Space Command" (a body of the United
  States), "the Brazilian Amazon" (in Brazil).

Each returns relation dicts (the shape :func:`kg.nlp.relations.find_structures`
returns) with a rule id saying which construction gave it.
"""

from __future__ import annotations

import re

from .context import Context

__all__ = ["fact_relations", "position_predicate"]

_POSSESSIVE = ("'s", "’s", "'", "’")
_FORMER = ("former", "then", "late", "current", "incumbent")
_MEMBER_WORDS = frozenset({"member", "members", "allies", "ally", "partners", "member-states", "states", "countries", "nations"})


def position_predicate(title: str, other_type: str, positions: dict) -> str:
    """The position property a *title* gives towards a Country or an
    Organization ("Prime Minister" -> ``headOfGovernment``)."""
    base = title.lower().replace("former ", "").strip()
    side = "org" if other_type == "Organization" else "country"
    spec = positions.get(base)
    if spec and spec.get(side):
        return spec[side]
    words = base.replace("-", " ").split()
    if words and words[0] in ("deputy", "vice", "under", "assistant", "acting", "associate"):
        return "officialOf" if " ".join(words[1:]) not in ("president",) or side == "org" else "viceHeadOfState"
    if words and words[-1] == "minister" and side == "country":
        return "ministerOf"
    if words and words[-1] in ("ambassador", "envoy"):
        return "ambassadorTo"
    return "officialOf"


def _rel(ctx: Context, sentence_token: int, subject, predicate: str, obj, rule: str, title: str | None = None,
         verb: str = "") -> dict:
    return {"sentence": ctx.sent_index(sentence_token), "subject": _span(ctx, subject), "predicate": predicate,
            "object": _span(ctx, obj), "verb": verb, "rule": rule, "title": title}


def _span(ctx: Context, thing) -> tuple[int, int]:
    if isinstance(thing, tuple):
        return thing
    return ctx.span(thing)


def _entity_at(ctx: Context, i: int, types) -> object | None:
    ent = ctx.ent_of.get(i)
    if ent is not None and ent.label_ in types and ent.start == i:
        return ent
    return None


def _after_the(ctx: Context, i: int) -> int:
    doc = ctx.doc
    return i + 1 if i < len(doc) and doc[i].lower_ == "the" else i


def _demonym_country(ctx: Context, token) -> tuple[int, int] | None:
    """A demonym token ("Russian", "Japanese") as a Country mention span."""
    if ctx.gazetteer is None or not token.text[:1].isupper():
        return None
    entry = ctx.gazetteer.demonym(token.text)
    if entry is None:
        return None
    return ctx.add_mention(token.idx, token.idx + len(token.text), token.text, "Country", entry, "demonym", token.i)


def _positions(ctx: Context) -> list[dict]:
    from .components import _appositive_title, find_title

    doc = ctx.doc
    table = ctx.rules["positions"]
    out = []
    countries_here: dict[str, object] = {}
    for ent in ctx.ents:
        if ent.label_ == "Country" and ent.kb_id_ and not ent.kb_id_.startswith("rule:"):
            countries_here.setdefault(ent.kb_id_, ent)
    for ent in ctx.ents:
        if ent.label_ != "Person":
            continue
        title, others, rule = None, [], "title"
        found = find_title(doc, ent.start)
        if found is not None:
            first, title = found
            for i in range(first, ent.start):
                other = ctx.ent_of.get(i)
                if other is not None and other.label_ in ("Country", "Organization"):
                    others.append(other)
                elif doc[i].pos_ in ("ADJ", "PROPN") and other is None:
                    span = _demonym_country(ctx, doc[i])
                    if span is not None:
                        others.append(span)
            if first >= 1 and ctx.ent_of.get(first - 1) is None:  # "Russian President ..." opening a sentence
                span = _demonym_country(ctx, doc[first - 1])
                if span is not None:
                    others.append(span)
            # "Ukraine's President Zelenskyy"
            if first >= 2 and doc[first - 1].text in _POSSESSIVE:
                owner = ctx.ent_of.get(first - 2)
                if owner is not None and owner.label_ in ("Country", "Organization"):
                    others.append(owner)
                    rule = "title-possessive"
            # "President Lula of Brazil"
            j = ent.end
            if j + 1 < len(doc) and doc[j].lower_ == "of":
                other = _entity_at(ctx, _after_the(ctx, j + 1), ("Country", "Organization"))
                if other is not None:
                    others.append(other)
                    rule = "title-of"
        elif ent.end < len(doc) and doc[ent.end].text == ",":
            title, others, rule = _appositive_position(ctx, ent, _appositive_title)
        if not title:
            continue
        if not others and ctx.gazetteer is not None and ent.kb_id_ and not ent.kb_id_.startswith("rule:"):
            # "Foreign Minister Wang Yi" in a document that names China
            entry = ctx.gazetteer.entries.get(ent.kb_id_)
            country = getattr(entry, "country", None)
            if country and f"countries:{country}" in countries_here:
                others.append(countries_here[f"countries:{country}"])
                rule = "title-gazetteer"
        seen = set()
        for other in others:
            span = _span(ctx, other)
            if span in seen:
                continue
            seen.add(span)
            other_type = "Country" if isinstance(other, tuple) else other.label_
            predicate = position_predicate(title, other_type, table)
            if title.lower().startswith("former"):
                predicate = "formerlyHeld"
            out.append(_rel(ctx, ent.start, ent, predicate, other, rule, title=title))
    return out


def _appositive_position(ctx: Context, ent, appositive_title):
    """"Bokova, the former Director-General of UNESCO" / "Kishida, Japan's
    Prime Minister": (title, [organisation or country], rule)."""
    doc = ctx.doc
    i = ent.end + 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    # "X, Japan's Prime Minister"
    owner = ctx.ent_of.get(i)
    if owner is not None and owner.label_ in ("Country", "Organization") and owner.end < len(doc) \
            and doc[owner.end].text in _POSSESSIVE:
        title = appositive_title(doc, owner.end)
        if title:
            return title, [owner], "apposition-possessive"
    title = appositive_title(doc, ent.end)
    if not title:
        return None, [], "apposition"
    while i < len(doc) and doc[i].lower_ in ("the",) + _FORMER:
        if doc[i].lower_ == "former":
            title = "former " + title
        i += 1
    i += len(title.replace("former ", "").replace("-", " - ").split())
    others = []
    if i < len(doc) and doc[i].lower_ in ("of", "to"):
        other = _entity_at(ctx, _after_the(ctx, i + 1), ("Country", "Organization"))
        if other is not None:
            others.append(other)
    return title, others, "apposition"


def _place_relations(ctx: Context) -> list[dict]:
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
        if word in ("in", "at") and kind != "Initiative":
            other = _entity_at(ctx, _after_the(ctx, j + 1), where)
            if other is not None and not (kind == "Organization" and (other.label_ == "Country" and word == "at" or _is_igo(ctx, ent))):
                # ("the G20 in India" is the G20's meeting there, not its seat)
                predicate = {"Event": "heldIn", "Organization": "headquarteredIn"}.get(kind, "locatedIn")
                out.append(_rel(ctx, ent.start, ent, predicate, other, f"{kind.lower()}-in-place"))
                continue
        if word == "," and kind == "Place":
            other = _entity_at(ctx, j + 1, where)
            if other is not None and _ends_phrase(ctx, other.end):
                if other.label_ == "Country" or _is_larger_place(ctx, other):
                    out.append(_rel(ctx, ent.start, ent, "locatedIn", other, "place-comma-place"))
                continue
            # "Addis Ababa, the capital of Ethiopia"
            k = _after_the(ctx, j + 1)
            words = [t.lower_ for t in doc[k:k + 4]]
            step = None
            if words[:2] == ["capital", "of"]:
                predicate, step = "capitalOf", 2
            elif len(words) >= 3 and words[1] in ("city", "port", "province", "region", "town") and words[2] in ("of", "in"):
                predicate, step = "locatedIn", 3
            elif len(words) >= 4 and words[2] in ("city", "port", "town") and words[3] in ("of", "in"):
                predicate, step = "locatedIn", 4  # "the largest city in"
            if step:
                other = _entity_at(ctx, _after_the(ctx, k + step), where)
                if other is not None:
                    out.append(_rel(ctx, ent.start, ent, predicate, other, "place-apposition"))
        # "China's Yunnan province", "in Turkey's Hatay Province"
        if kind == "Place" and ent.start >= 2 and doc[ent.start - 1].text in _POSSESSIVE:
            owner = ctx.ent_of.get(ent.start - 2)
            if owner is not None and owner.label_ in where:
                out.append(_rel(ctx, ent.start, ent, "locatedIn", owner, "place-possessive"))
    return out


def _is_igo(ctx: Context, ent) -> bool:
    """An intergovernmental body or forum (gazetteer kind): "the G20 in India"
    names its meeting there."""
    entry = ctx.gazetteer.entries.get(ent.kb_id_) if ctx.gazetteer is not None and ent.kb_id_ else None
    return getattr(entry, "kind", None) in ("igo", "forum", "grouping")


def _ends_phrase(ctx: Context, i: int) -> bool:
    """Whether a name ending before token *i* closes its phrase (not the
    middle of a list "Paris, London, and Berlin")."""
    doc = ctx.doc
    if i >= len(doc):
        return True
    t = doc[i]
    if t.text == ",":
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        return nxt is None or not (nxt.lower_ == "and" or nxt.i in ctx.ent_of)
    return t.lower_ not in ("and", "or")


def _is_larger_place(ctx: Context, ent) -> bool:
    """A state, province or region (gazetteer kind), where "City, X" means
    the city is in X."""
    if ctx.gazetteer is None or not ent.kb_id_ or ent.kb_id_.startswith("rule:"):
        return False
    entry = ctx.gazetteer.entries.get(ent.kb_id_)
    return getattr(entry, "kind", None) in ("state", "province", "region", "continent")


def _membership(ctx: Context) -> list[dict]:
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
                other = _entity_at(ctx, k, ("Country",))
                if other is None:
                    break
                out.append(_rel(ctx, other.start, other, "memberOf", ent, "members-list"))
                k = other.end
                while k < n and doc[k].text in (",", "and", "as", "well"):
                    k += 1
        # "Africa CDC of the African Union": a body of an organisation or state
        if j + 1 < n and doc[j].lower_ == "of":
            other = _entity_at(ctx, _after_the(ctx, j + 1), ("Organization", "Country"))
            if other is not None:
                out.append(_rel(ctx, ent.start, ent, "partOf", other, "body-of"))
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
                other = _entity_at(ctx, _after_the(ctx, k + 2), ("Organization",))
                if other is not None:
                    out.append(_rel(ctx, ent.start, ent, "memberOf", other, "member-apposition"))
    return out


def _name_parts(ctx: Context) -> list[dict]:
    """Countries named inside a longer name: "U.S.-India Initiative on ..."."""
    if ctx.gazetteer is None:
        return []
    out = []
    for ent in ctx.ents:
        kind = ent.label_
        if kind not in ("Initiative", "Organization", "Event", "Place") or len(ent) < 2:
            continue
        found = []
        for token in ent:
            if not token.text[:1].isupper():
                continue
            offset = 0
            for part in re.split(r"([-\u2013])", token.text):
                start = token.idx + offset
                offset += len(part)
                if len(part) < 2 or not part[:1].isupper():
                    continue
                etype, entry = "Country", ctx.gazetteer.lookup(part, "Country") or ctx.gazetteer.demonym(part)
                if entry is None and kind in ("Initiative", "Event") and part != ent.text:
                    etype, entry = "Organization", ctx.gazetteer.lookup(part, "Organization")
                if entry is None and kind == "Event" and part != ent.text:
                    etype, entry = "Place", ctx.gazetteer.lookup(part, "Place")  # "the 2022 Madrid Summit"
                    if entry is not None and entry.needs_evidence:
                        entry = None
                if entry is None:
                    continue
                found.append((ctx.add_mention(start, start + len(part), part, etype, entry, "name-part", token.i), etype))
        if not found:
            continue
        pair = len(found) > 1
        for span, etype in found:
            if etype == "Place":
                out.append(_rel(ctx, ent.start, ent, "heldIn", span, "name-part"))
            elif etype == "Organization" and kind == "Event":
                out.append(_rel(ctx, ent.start, span, "attended", ent, "name-part"))
            elif etype == "Organization":
                out.append(_rel(ctx, ent.start, span, "partyTo", ent, "name-part"))
            elif kind == "Initiative":
                out.append(_rel(ctx, ent.start, span, "partyTo", ent, "name-part"))
            elif kind == "Event":
                out.append(_rel(ctx, ent.start, span, "attended", ent, "name-part"))
            elif kind == "Place":
                out.append(_rel(ctx, ent.start, ent, "locatedIn", span, "name-part"))
            elif pair:
                out.append(_rel(ctx, ent.start, span, "memberOf", ent, "name-part"))
            else:
                out.append(_rel(ctx, ent.start, ent, "partOf", span, "name-part"))
    return out


def fact_relations(ctx: Context) -> list[dict]:
    """Every noun-phrase relation of the chunk (see the module doc)."""
    return _positions(ctx) + _place_relations(ctx) + _membership(ctx) + _name_parts(ctx)
