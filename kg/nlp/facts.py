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

Each returns :class:`~kg.records.Relation` records of the chunk (``doc_id``
empty and sentences numbered in the chunk until :mod:`kg.nlp.extract`
assembles the document) with a rule id saying which construction gave it.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..records import Relation
from .context import Context, Standin

__all__ = ["fact_relations", "leader_references", "office_references", "position_predicate"]

_POSSESSIVE = ("'s", "’s", "'", "’")
_FORMER = ("former", "then", "late", "current", "incumbent")
#: Nouns that say what kind of place a name is, in an apposition ("a port city in").
_PLACE_NOUNS = frozenset({"city", "port", "town", "village", "province", "region", "area", "state", "district",
                          "county", "island", "islands", "capital", "territory", "municipality", "prefecture",
                          "governorate", "oblast", "site", "coast", "border", "zone", "hub", "suburb", "suburbs"})
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
         verb: str = "") -> Relation:
    return Relation("", ctx.sent_index(sentence_token), _span(ctx, subject), predicate, _span(ctx, obj), verb, rule,
                    title)


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


def _positions(ctx: Context) -> list[Relation]:
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
                if other is not None and other.label_ in ("Country", "Organization") and other.start == i and (
                        other.label_ == "Country" or _known(other)):
                    others.append(other)  # ("National Security" in "National Security Advisor" is no body)
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
        if not others and ent.end < len(doc) and doc[ent.end].text == ",":
            # "His Excellency Moussa Faki Mahamat, Chairperson of the African
            # Union Commission": an honorific before, the position after
            position = _appositive_position(ctx, ent, _appositive_title)
            if position[0] and (position[1] or not title):
                title, others, rule = position
        if not title:
            title, others, rule = _title_of_body_before(ctx, ent)
        if not title:
            title, others, rule = _counterpart(ctx, ent)
        if not title:
            title, others, rule = _body_role_before(ctx, ent)
        if not title:
            continue
        if not others and ctx.gazetteer is not None:
            # "Foreign Minister Wang Yi" in a document that names China; "Secretary
            # Rubio": the one person of that surname the gazetteer has in that office then
            entry = ctx.gazetteer.entries.get(ent.kb_id_) if ent.kb_id_ and not ent.kb_id_.startswith("rule:") \
                else _titled_surname(ctx, ent, title)
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


_COUNTERPART_OWNERS = frozenset({"his", "her", "their", "its", "the"})


def _counterpart(ctx: Context, ent):
    """"Wang Yi held talks with his Australian counterpart Penny Wong" /
    "... Sergei Lavrov, his Russian counterpart": the named person holds, for the
    country of the demonym (or "counterpart from/of <Country>"), the office that
    the title of the sentence's earlier titled person names. Returns
    ``(title, [country], "counterpart")`` or ``(None, [], "")``."""
    from .components import find_title

    doc = ctx.doc
    sent = doc[ent.start].sent
    countries: list = []
    # before the name: "his [Australian] counterpart[,] Penny Wong"
    k = ent.start - 1
    if k >= sent.start and doc[k].text == ",":
        k -= 1
    if k >= sent.start and doc[k].lower_ in ("counterpart", "counterparts"):
        first = k
        if k - 1 >= sent.start:
            span = _country_word(ctx, doc[k - 1])
            if span is not None:
                countries.append(span)
                first = k - 1
        if not (first - 1 >= sent.start and doc[first - 1].lower_ in _COUNTERPART_OWNERS):
            return None, [], ""
    # after the name: "Sergei Lavrov, his Russian counterpart"
    elif ent.end + 3 < sent.end and doc[ent.end].text == "," and doc[ent.end + 1].lower_ in _COUNTERPART_OWNERS:
        k = ent.end + 2
        span = _country_word(ctx, doc[k])
        if span is not None:
            countries.append(span)
            k += 1
        if doc[k].lower_ not in ("counterpart", "counterparts"):
            return None, [], ""
        if not countries and k + 2 < sent.end and doc[k + 1].lower_ in ("from", "of"):
            other = _entity_at(ctx, _after_the(ctx, k + 2), ("Country",))
            if other is not None:
                countries.append(other)
    else:
        return None, [], ""
    if not countries:
        return None, [], ""
    # the office: the title of the nearest titled person before, in the sentence
    for other in reversed(ctx.ents):
        if other.label_ != "Person" or other.start >= ent.start or other.start < sent.start:
            continue
        found = find_title(doc, other.start)
        if found is not None and not found[1].lower().startswith("former"):
            return found[1], countries, "counterpart"
    return None, [], ""


def _country_word(ctx: Context, token):
    """A Country named by one token: a Country mention or a demonym."""
    other = ctx.ent_of.get(token.i)
    if other is not None:
        return other if other.label_ == "Country" and other.end == token.i + 1 else None
    if token.pos_ in ("ADJ", "PROPN"):
        return _demonym_country(ctx, token)
    return None


def _title_of_body_before(ctx: Context, ent):
    """"Prime Minister of the Palestinian Authority Muhammad Mustafa",
    "Ambassador to the United Kingdom Jane Doe": a capitalised role of a body
    written before the name: (title, [body], rule), else (None, [], "")."""
    doc = ctx.doc
    body = ctx.ent_of.get(ent.start - 1) if ent.start >= 1 else None
    if body is None or body.label_ not in ("Country", "Organization") or body.end != ent.start:
        return None, [], ""
    i = body.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 1 or doc[i].lower_ not in ("of", "to"):
        return None, [], ""
    # the role words before the preposition: capitalised, a role noun among
    # them ("Secretary General of the Executive Committee of the PLO")
    first, saw_role = i, False
    k = i - 1
    while k >= 0 and i - k <= 8:
        word = doc[k]
        if word.lower_ in _ROLE_NOUNS and word.text[:1].isupper():
            saw_role, first = True, k
        elif word.lower_ in ("of", "the", "and", "for", "-") or (word.text[:1].isupper() and word.i not in ctx.ent_of):
            pass
        else:
            break
        k -= 1
    if not saw_role:
        return None, [], ""
    while first > 0 and doc[first - 1].text[:1].isupper() and doc[first - 1].i not in ctx.ent_of \
            and doc[first - 1].pos_ in ("PROPN", "NOUN", "ADJ") and not doc[first - 1].is_sent_start:
        first -= 1  # "Prime Minister", "Deputy Secretary General"
    end = i
    while end > first and doc[end - 1].lower_ in ("of", "the", "and", "for"):
        end -= 1
    return doc[first:end].text, [body], "title-of-body"


#: Roles news writes in lower case between a body and a name ("Foreign
#: Ministry spokesperson Mao Ning", "Hamas leader Ismail Haniyeh").
_LOWER_ROLES = frozenset({"spokesperson", "spokesman", "spokeswoman", "leader", "chief", "head", "official",
                          "envoy", "ambassador", "negotiator", "commander", "chairman", "chairwoman", "director",
                          "adviser", "advisor", "president", "minister", "secretary", "lawmaker", "member",
                          "representative", "founder", "governor", "mayor", "delegate", "coordinator"})


def _body_role_before(ctx: Context, ent):
    """"Chinese Foreign Ministry spokesperson Mao Ning", "Hamas political
    leader Ismail Haniyeh": a lower-case role between a body and the name
    gives (role, [body], "role-of-body")."""
    doc = ctx.doc
    k = ent.start - 1
    if k < 1 or doc[k].lower_ not in _LOWER_ROLES or not doc[k].is_lower:
        return None, [], ""
    role_start = k
    if doc[k - 1].is_lower and doc[k - 1].pos_ == "ADJ" and k >= 2:
        role_start = k - 1  # "political leader", "chief negotiator"
    body = ctx.ent_of.get(role_start - 1)
    if body is None or body.label_ not in ("Country", "Organization") or body.end != role_start:
        return None, [], ""
    return doc[role_start:ent.start].text, [body], "role-of-body"


#: Verbs that put a person in an office: "was sworn in as president of
#: Mexico", "was elected president of Iran", "became prime minister of Japan",
#: "appointed Ahmed Ali as Jordan's foreign minister".
_TAKING_OFFICE = frozenset({"swear", "elect", "reelect", "re-elect", "appoint", "name", "nominate", "inaugurate",
                            "become", "install", "designate", "choose", "confirm"})


def _position_changes(ctx: Context) -> list[Relation]:
    """Offices taken: the person (the subject of "was sworn in", "was elected",
    "became"; the object of "elected", "appointed", "named") and the office
    ("as <title>", or the complement: "president of Iran"), with the country
    or body it is of ("of Mexico", "Jordan's", "Kenyan"). The title must be
    one of the titles list's (``kg/data/titles.txt``)."""
    from .rules import titles

    doc = ctx.doc
    known = set(titles())
    out = []
    for i in ctx.positions_of(_TAKING_OFFICE_FORMS):
        verb = doc[i]
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in _TAKING_OFFICE:
            continue
        person = None
        for c in verb.children:
            if c.dep_ in ("nsubjpass", "nsubj", "dobj"):
                ent = ctx.ent_of.get(c.i)
                if ent is not None and ent.label_ == "Person" and (c.dep_ != "nsubj" or verb.lemma_.lower() == "become"):
                    person = ent
        if person is None:
            continue
        roles = [pobj for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for pobj in c.children
                 if pobj.dep_ == "pobj"]
        roles += [c for c in verb.children if c.dep_ in ("oprd", "attr") or (c.dep_ == "dobj" and c.i not in ctx.ent_of
                                                                            and c.i > person.end)]
        for role in roles:
            if role.pos_ != "NOUN" or role.i in ctx.ent_of:
                continue
            first = role.i
            while first > 0 and doc[first - 1].dep_ in ("amod", "compound") and doc[first - 1].head.i in range(first, role.i + 1) \
                    and doc[first - 1].i not in ctx.ent_of and doc[first - 1].is_lower:
                first -= 1
            title = doc[first:role.i + 1].text
            if tuple(title.lower().replace("-", " - ").split()) not in known:
                continue
            bodies = []
            for c in role.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    other = _entity_at(ctx, _after_the(ctx, c.i + 1), ("Country", "Organization"))
                    if other is not None:
                        bodies.append(other)
                elif c.dep_ == "poss" and (other := ctx.ent_of.get(c.i)) is not None and other.label_ in ("Country", "Organization"):
                    bodies.append(other)
                elif c.dep_ == "amod" and c.i not in ctx.ent_of:
                    span = _demonym_country(ctx, c)
                    if span is not None:
                        bodies.append(span)
            for body in bodies:
                other_type = "Country" if isinstance(body, tuple) else body.label_
                out.append(_rel(ctx, i, person, position_predicate(title, other_type, ctx.rules["positions"]), body,
                                "office-taken", title=title, verb=verb.lemma_.lower()))
    return out


_TAKING_OFFICE_FORMS = frozenset({"sworn", "swore", "elected", "reelected", "re-elected", "appointed", "named",
                                  "nominated", "inaugurated", "became", "becomes", "become", "installed", "designated",
                                  "chosen", "confirmed", "elect", "appoint", "name"})


def _titled_surname(ctx: Context, ent, title: str):
    """The gazetteer person a titled surname names ("Secretary Rubio",
    "National Security Advisor Waltz"): the one of that surname whose roles
    fit the title and, with a publication date, who held an office then."""
    if len(ent) != 1 or ctx.gazetteer is None:
        return None
    from ..gazetteer import name_key

    want = title.lower().replace("former ", "")
    fits = [e for e in ctx.gazetteer.surnames().get(name_key(ent.text), ())
            if any(r.lower() == want or r.lower().startswith(want + " ") or want.endswith(" " + r.lower())
                   for r in e.roles)]
    if ctx.date and len(fits) > 1:
        fits = [e for e in fits if any(p.start <= ctx.date and (p.end is None or p.end >= ctx.date[:len(p.end)])
                                       for p in ctx.gazetteer.positions_of(e.id))]
    return fits[0] if len(fits) == 1 else None


def _known(ent) -> bool:
    """A gazetteer name or an acronym: a body for sure, not a fragment the NER cut."""
    return bool(ent.kb_id_) and not ent.kb_id_.startswith("rule:") or (ent.text.isupper() and len(ent.text) > 1)


def _appositive_position(ctx: Context, ent, appositive_title):
    """"Bokova, the former Director-General of UNESCO" / "Kishida, Japan's
    Prime Minister": (title, [organisation or country], rule)."""
    doc = ctx.doc
    i = ent.end + 1
    if i + 1 < len(doc) and doc[i].lower_ == "who" and doc[i + 1].lower_ in ("is", "was", "serves", "served"):
        i += 2  # "X, who is Japan's foreign minister"
        if i < len(doc) and doc[i].lower_ == "as":
            i += 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    # "X, Japan's Prime Minister"
    owner = ctx.ent_of.get(i)
    if owner is not None and owner.label_ in ("Country", "Organization") and owner.end < len(doc) \
            and doc[owner.end].text in _POSSESSIVE:
        from .components import _title_at

        title = _title_at(doc, owner.end + 1)
        if title:
            return title, [owner], "apposition-possessive"
    title = appositive_title(doc, ent.end)
    if not title:
        return _appositive_role(ctx, ent, i)
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
            others += _coordinated_bodies(ctx, other.end)
    if not others:  # "the former secretary of politics ... of the Brazilian Communist Party"
        role, others, rule = _appositive_role(ctx, ent, _after_the(ctx, ent.end + 1))
        if others:
            return role, others, rule
    return title, others, "apposition"


#: Head nouns of a role written out in an apposition ("the former secretary of
#: international relations of the Brazilian Communist Party").
_ROLE_NOUNS = frozenset({"secretary", "director", "head", "chief", "chairman", "chairwoman", "chair", "president",
                         "member", "spokesperson", "spokesman", "spokeswoman", "adviser", "advisor", "representative",
                         "envoy", "ambassador", "minister", "governor", "mayor", "commissioner", "officer", "leader",
                         "founder", "executive", "coordinator", "deputy", "counselor", "counsellor", "official",
                         "delegate", "commander", "general", "senator", "lawmaker", "legislator", "administrator"})


def _coordinated_bodies(ctx: Context, k: int) -> list:
    """The bodies of a second role coordinated after the first: "the former
    Secretary-General of NATO and the former High Representative of the
    European Union" (after NATO, at *k*: [European Union])."""
    doc = ctx.doc
    if k >= len(doc) or doc[k].lower_ != "and":
        return []
    saw_role = False
    for m in range(k + 1, min(k + 10, len(doc))):
        t = doc[m]
        if t.lower_ in (",", ";", ".", "who", "which") or t.pos_ in ("VERB", "AUX") or m in ctx.ent_of:
            return []
        if t.lower_ in _ROLE_NOUNS or (t.text[:1].isupper() and t.pos_ == "PROPN"):
            saw_role = True
        if saw_role and t.lower_ in ("of", "to") and m + 1 < len(doc):
            other = _entity_at(ctx, _after_the(ctx, m + 1), ("Country", "Organization"))
            return [other] if other is not None and _entity_at(ctx, other.end, ("Person",)) is None else []
    return []


def _appositive_role(ctx: Context, ent, i: int):
    """"X, (the) (former) <role words> of (the) <Organization|Country>" with
    a role the titles list does not have: (role text, [body], rule)."""
    doc = ctx.doc
    j = i
    if j < len(doc) and doc[j].pos_ == "ADP":
        return None, [], "apposition"  # "Lula, on an official visit to Angola, ..."
    if j < len(doc) and doc[j].lower_ in ("a", "an"):
        j += 1
    former = j < len(doc) and doc[j].lower_ == "former"
    saw_role = False
    for k in range(j, min(j + 10, len(doc))):
        word = doc[k].lower_
        if word in _ROLE_NOUNS and doc[k].pos_ != "ADJ":
            saw_role = True
        if word in (",", ";", ".", "who", "which") or doc[k].pos_ in ("VERB", "AUX") \
                or (k == j and word in ("and", "or", "but")):
            return None, [], "apposition"  # (", and Chairman of X Benny Gantz": the next item's title)
        if saw_role and word in ("of", "at", "to") and k + 1 < len(doc):
            # the last "of" before the body: "secretary of politics and international relations of the party"
            other = _entity_at(ctx, _after_the(ctx, k + 1), ("Country", "Organization"))
            if other is not None and _entity_at(ctx, other.end, ("Person",)) is not None:
                return None, [], "apposition"  # "Chairman of the party Benny Gantz": a title before a name
            if other is not None:
                role = doc[j:k].text
                return ("former " + role.split(" ", 1)[-1] if former and " " in role else role), \
                    [other, *_coordinated_bodies(ctx, other.end)], "apposition-role"
    return None, [], "apposition"


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
        if word == "in" and kind == "Initiative" and _is_infrastructure(ent):
            # "the Lobito Corridor in Angola", "the pipelines in international waters in the Baltic Sea"
            for k in range(j, min(j + 8, n - 1)):
                if doc[k].lower_ in (",", ";", ".", "which", "that") or doc[k].pos_ in ("VERB", "AUX"):
                    break
                other = _entity_at(ctx, _after_the(ctx, k + 1), where) if doc[k].lower_ == "in" else None
                if other is not None:
                    out.append(_rel(ctx, ent.start, ent, "locatedIn", other, "infrastructure-in-place"))
                    break
            continue
        if word in ("in", "at") and kind != "Initiative":
            other = _entity_at(ctx, _after_the(ctx, j + 1), where)
            if other is not None and not (kind == "Organization" and (other.label_ == "Country" and word == "at" or _is_igo(ctx, ent))):
                # ("the G20 in India" is the G20's meeting there, not its seat)
                predicate = {"Event": "heldIn", "Organization": "headquarteredIn"}.get(kind, "locatedIn")
                out.append(_rel(ctx, ent.start, ent, predicate, other, f"{kind.lower()}-in-place"))
                continue
        if word == "of" and kind == "Place" and ent[-1].lower_ in _FACILITIES:
            other = _entity_at(ctx, _after_the(ctx, j + 1), ("Organization",))
            if other is not None:  # "the Central Station of the State Railway Company"
                out.append(_rel(ctx, ent.start, ent, "operatedBy", other, "facility-of-body"))
                continue
        if word in _PLACE_NOUNS and doc[j].text[:1].isupper() and j + 1 < n:
            j += 1  # "Gaziantep Province, ..."
            word = doc[j].lower_
        if word == "," and kind == "Place":
            other = _entity_at(ctx, j + 1, where)
            if other is not None and _ends_phrase(ctx, other.end):
                if other.label_ == "Country" or _is_larger_place(ctx, other):
                    out.append(_rel(ctx, ent.start, ent, "locatedIn", other, "place-comma-place"))
                continue
            # "Addis Ababa, the capital of Ethiopia"
            k = _after_the(ctx, j + 1)
            words = [t.lower_ for t in doc[k:k + 6]]
            if words[:2] == ["capital", "of"]:
                other = _entity_at(ctx, _after_the(ctx, k + 2), where)
                if other is not None:
                    out.append(_rel(ctx, ent.start, ent, "capitalOf", other, "place-apposition"))
            else:
                # "Hatay Province, the hardest hit area in Turkey"; "Lobito, a port city of Angola"
                for step in range(min(len(words), 5)):
                    if words[step] in _PLACE_NOUNS and step + 1 < len(words) and words[step + 1] in ("of", "in"):
                        other = _entity_at(ctx, _after_the(ctx, k + step + 2), where)
                        if other is not None:
                            out.append(_rel(ctx, ent.start, ent, "locatedIn", other, "place-apposition"))
                        break
                    if words[step] in (",", ".", ";", "and", "which", "who"):
                        break
        # "the Satish Dhawan Space Center on India's southeastern coast"
        if kind in ("Place", "Organization") and j + 3 < n and word in ("on", "in", "at", "near", "off"):
            owner = _entity_at(ctx, _after_the(ctx, j + 1), ("Country",))
            if owner is not None and owner.end + 1 < n and doc[owner.end].text in _POSSESSIVE:
                k = owner.end + 1
                while k < n and k - owner.end < 4 and doc[k].is_lower and doc[k].pos_ == "ADJ":
                    k += 1
                if k < n and doc[k].lower_ in _PLACE_NOUNS | {"north", "south", "east", "west", "northwest",
                                                               "northeast", "southwest", "southeast"}:
                    out.append(_rel(ctx, ent.start, ent, "locatedIn", owner, "place-in-possessive"))
        # "U.S. Space Command's annual Global Sentinel exercise": who holds it
        if kind == "Event" and ent.start >= 2:
            k = ent.start - 1
            while k > 0 and doc[k].is_lower and doc[k].pos_ in ("ADJ", "NUM"):
                k -= 1
            if doc[k].text in _POSSESSIVE and k >= 1:
                owner = ctx.ent_of.get(k - 1)
                if owner is not None and owner.label_ in ("Country", "Organization"):
                    out.append(_rel(ctx, ent.start, ent, "organizedBy", owner, "event-possessive"))
        # "China's Yunnan province", "in Turkey's Hatay Province"
        if kind == "Place" and ent.start >= 2 and doc[ent.start - 1].text in _POSSESSIVE:
            owner = ctx.ent_of.get(ent.start - 2)
            if owner is not None and owner.label_ in where:
                from .arguments import _list_after

                # "Ukraine's Donetsk, Luhansk and Kherson regions"
                for place in [ent] + [p for p in _list_after(ctx, ent) if p.label_ == "Place"]:
                    out.append(_rel(ctx, place.start, place, "locatedIn", owner, "place-possessive"))
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
                other = _entity_at(ctx, k, ("Country",))
                if other is None:
                    break
                out.append(_rel(ctx, other.start, other, "memberOf", ent, "members-list"))
                k = other.end
                while k < n and doc[k].text in (",", "and", "as", "well"):
                    k += 1
        # "Africa CDC of the African Union": a body of an organisation or state
        if j + 1 < n and doc[j].lower_ == "of" and (len(ent) > 1 or _known(ent)):
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
        k = _after_the(ctx, k + 2)
        members = []
        while k < n:
            other = _entity_at(ctx, k, ("Country", "Organization"))
            if other is None:
                break
            members.append(other)
            k = other.end
            while k < n and doc[k].text in (",", "and", "the"):
                k += 1
        if len(members) >= 2:  # a list: "a partnership of India" is something else
            out.extend(_rel(ctx, m.start, m, predicate, ent, "group-apposition") for m in members)
    return out


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


def _head_index(ent) -> int:
    """The head word of a name: the last word before "of/for/on/in/to", else the last word."""
    for t in ent[1:]:
        if t.lower_ in ("of", "for", "on", "in", "to", "at") and t.i > ent.start:
            return t.i - 1
    return ent.end - 1


def _is_infrastructure(ent) -> bool:
    return ent.doc[_head_index(ent)].lower_ in _INFRASTRUCTURE


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


def _name_parts(ctx: Context) -> list[Relation]:
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
        head = _head_index(ent)
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
            if kind == "Initiative" and _is_infrastructure(ent) and etype in ("Country", "Place"):
                predicate, inner_first = "locatedIn", False  # "the Zambia-Lobito railway" runs there
            if inner_first:
                out.append(_rel(ctx, ent.start, span, predicate, ent, "name-part"))
            else:
                out.append(_rel(ctx, ent.start, ent, predicate, span, "name-part"))
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
                    out.append(_rel(ctx, ent.start, ent, "supports", span, "name-part"))
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
    from .arguments import _adjacent_coordination, _conjuncts

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
                    out.append(_rel(ctx, token.i, a, predicate, b, f"between:{token.lower_}"))
    out.extend(_agreement_between(ctx))
    return out


def _agreement_between(ctx: Context) -> list[Relation]:
    """"a Memorandum of Cooperation between His Excellency Moussa Faki
    Mahamat, Chairperson of ..., and Secretary Blinken": the people between
    whom an agreement is made signed it (its states and bodies are its
    parties: :func:`_agreement_parties`)."""
    from .arguments import _adjacent_coordination, _conjuncts

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
                out.append(_rel(ctx, parties[key].start, parties[key], "signed", ent, "agreement-between"))
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
    from .arguments import _adjacent_coordination

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
        k = _after_the(ctx, j + 1)
        first = ctx.ent_of.get(k)
        if first is None or first.label_ not in ("Country", "Organization") or first.start != k:
            continue
        for party in [first] + [e for e in _adjacent_coordination(ctx, first) if e.start > first.start]:
            out.append(_rel(ctx, ent.start, party, "partyTo", ent, f"agreement-{doc[j].lower_}"))
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
                    out.append(_rel(ctx, participle_i, owner_span, predicate, target, f"compound:{text.lower()}"))
                break
            if doc[k].pos_ not in ("ADJ", "NOUN", "PROPN", "DET") or doc[k].text in (",", "(", ")"):
                break
    return out


_COPULAS = frozenset({"is", "was", "as", "be", "been", "became", "become", "becomes", "remains", "remained", "named", "appointed", "elected"})


def office_references(ctx: Context) -> list[Relation]:
    """"The Kenyan President", "Japan's Foreign Minister", "the Prime Minister
    of India", with no name beside them: the one person the gazetteer says held
    that office on the publication date becomes a mention (rule
    ``office-holder``), holding the position. Nothing without a date or when
    the office changed hands around it."""
    if ctx.gazetteer is None or not ctx.date:
        return []
    from .components import _title_at

    doc = ctx.doc
    n = len(doc)
    table = ctx.rules["office_categories"]
    out = []
    for i in ctx.positions_of({phrase.split()[0] for phrase in table if not phrase.startswith("_")}):
        title = _title_at(doc, i)
        if not title or title.lower() not in table or i in ctx.ent_of:
            continue
        end = i + len(title.replace("-", " - ").split())
        if end < n and (end in ctx.ent_of or doc[end].text[:1].isupper()):
            continue  # "President Ruto": a name follows
        country, first = None, i
        prev = doc[i - 1] if i > 0 else None
        if prev is not None and prev.text[:1].isupper() and prev.i not in ctx.ent_of:
            entry = ctx.gazetteer.demonym(prev.text)  # "the Kenyan President"
            if entry is not None:
                country, first = entry, i - 1
        elif i >= 2 and doc[i - 1].text in _POSSESSIVE:  # "Kenya's President"
            owner = ctx.ent_of.get(i - 2)
            if owner is not None and owner.label_ == "Country" and owner.kb_id_.startswith("countries:"):
                country, first = ctx.gazetteer.entries.get(owner.kb_id_), owner.start
        if country is None and end + 1 < n and doc[end].lower_ == "of":  # "the President of Kenya"
            owner = _entity_at(ctx, _after_the(ctx, end + 1), ("Country",))
            if owner is not None and owner.kb_id_.startswith("countries:"):
                country, end = ctx.gazetteer.entries.get(owner.kb_id_), owner.end
        if country is None or first > 0 and doc[first - 1].lower_ in ("former", "late", "then", "next", "new", "future"):
            continue
        before = first - 1 if first > 0 and doc[first - 1].lower_ != "the" else first - 2
        if before >= 0 and (doc[before].lower_ in _COPULAS or doc[before].text == "," and before > 0
                            and getattr(ctx.ent_of.get(before - 1), "label_", None) == "Person"):
            continue  # "Penny Wong, Australia's Foreign Minister", "who is Japan's foreign minister": a position
        if end + 1 < n and doc[end].text == "," and getattr(ctx.ent_of.get(end + 1), "label_", None) == "Person":
            continue  # "Australia's Foreign Minister, Penny Wong, ..."
        person = ctx.gazetteer.holder(table[title.lower()], country.id.split(":", 1)[1], ctx.date)
        if person is None:
            continue
        start_char, end_char = doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text)
        span = ctx.add_mention(start_char, end_char, doc[first:end].text, "Person", person, "office-holder", first)
        ctx.extra_mentions[span]["title"] = title
        country_span = next((ctx.span(e) for e in ctx.ents if e.kb_id_ == country.id), None)
        standin = Standin(doc, first, end, "Person", person.id)
        for k in range(first, end):  # the verbs' arguments see the person, not the country in the phrase
            ctx.ent_of[k] = standin
        if country_span is not None:
            out.append(_rel(ctx, first, span, position_predicate(title, "Country", ctx.rules["positions"]),
                            country_span, "office-holder", title=title))
    return out


def definite_references(ctx: Context) -> None:
    """"The Corridor", "the Fund", "the Initiative": a capitalised head word
    after "the" that heads exactly one longer name told before in the chunk
    refers to it. It becomes a mention of that name (rule
    ``definite-reference``; not one of its names) the verbs' arguments see."""
    doc = ctx.doc
    heads: dict[str, dict[str, object]] = {}
    order = sorted((e for e in ctx.ents if e.label_ in ("Initiative", "Organization", "Event") and len(e) > 1),
                   key=lambda e: e.start)
    for ent in order:
        head = doc[_head_index(ent)]
        if head.text[:1].isupper() and head.is_alpha:
            heads.setdefault(head.text, {}).setdefault(ent.text, ent)
    if not heads:
        return
    for i in ctx.positions_of({h.lower() for h in heads}):
        token = doc[i]
        if i in ctx.ent_of or token.text not in heads or i == 0 or doc[i - 1].lower_ != "the":
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].text in ("-", "–")):
            continue  # the start of a longer name
        before = [e for e in heads[token.text].values() if e.end <= i]
        if len({e.text for e in before}) != 1:
            continue
        antecedent = before[0]
        ctx.add_mention(token.idx, token.idx + len(token.text), token.text, antecedent.label_, None,
                        "definite-reference", i, label=antecedent.text)
        ctx.ent_of[i] = Standin(doc, i, i + 1, antecedent.label_, antecedent.kb_id_)


#: "the Kenyan <word>" -> the titles of the person it may stand for.
_LEADER_WORDS = {"leader": ("president", "prime minister", "premier", "chancellor", "king", "queen", "emir", "sultan",
                            "general secretary", "supreme leader", "crown prince"),
                 "president": ("president",), "premier": ("premier", "prime minister"),
                 "chancellor": ("chancellor",), "king": ("king",), "emir": ("emir",)}


#: Capitals that, as the subject of a verb, stand for more than their state
#: ("Brussels" for the European Union's institutions).
_SHARED_CAPITALS = frozenset({"places:brussels"})


def capital_references(ctx: Context) -> None:
    """"Washington imposed sanctions", "Beijing said", "Moscow's support for",
    "accused Moscow of", "sanctions on Tehran": a national capital as the
    subject of a verb kg reads, the object of a verb or noun whose objects are
    states and not places, or the possessor of a noun that states a relation,
    stands for its state. Its mention becomes one of the country (rule
    ``capital-metonymy``, not one of the country's names), which the verbs'
    arguments see; the place keeps its other mentions."""
    if ctx.gazetteer is None:
        return
    verbs, nouns, doc = ctx.rules["verbs"], ctx.rules["nouns"], ctx.doc
    for ent in list(ctx.ents):
        if ent.label_ != "Place" or not ent.kb_id_ or ent.kb_id_ in _SHARED_CAPITALS or ent.text.isupper():
            continue  # (nor a dateline's city: "KYIV, Feb 24 (Reuters) - ")
        entry = ctx.gazetteer.entries.get(ent.kb_id_)
        if entry is None or entry.kind != "capital" or not entry.country:
            continue
        root, head = ent.root, ent.root.head
        spec = verbs.get(head.lemma_.lower()) if head.pos_ == "VERB" else None
        if root.dep_ == "nsubj" and head.pos_ == "VERB":
            if spec is None and head.lemma_.lower() not in ctx.speech:
                continue
        elif root.dep_ in ("dobj", "pobj"):
            # "accused Moscow of", "sanctioned Beijing", "sanctions on Tehran"; not "visited Moscow"
            rule = spec
            if root.dep_ == "pobj":
                word = head.head if head.dep_ == "prep" else None
                rule = None if word is None else nouns.get(word.lower_) if word.pos_ == "NOUN" else verbs.get(
                    word.lemma_.lower()) if word.pos_ == "VERB" else None
                if rule is not None and head.lower_ not in (rule.get("preps") or ()):
                    rule = None
            types = set((rule or {}).get("objects") or ())
            if "Country" not in types or "Place" in types:
                continue
        elif not (root.dep_ == "poss" and head.lower_ in nouns):
            continue
        country = ctx.gazetteer.entries.get("countries:" + entry.country)
        if country is None:
            continue
        ctx.add_mention(ent.start_char, ent.end_char, ent.text, "Country", country, "capital-metonymy", ent.start)
        standin = Standin(doc, ent.start, ent.end, "Country", country.id)
        for k in range(ent.start, ent.end):
            ctx.ent_of[k] = standin


def leader_references(ctx: Context) -> None:
    """"The Kenyan leader", "the French president" with no name beside them:
    the last person of the chunk before it whose title names that office for
    that country ("Kenyan President William Ruto ... the Kenyan leader"). It
    becomes a mention of that person (rule ``definite-reference``) the verbs'
    arguments see. Run after :func:`office_references`, which reads offices
    the gazetteer dates."""
    if ctx.gazetteer is None:
        return
    from .components import find_title

    doc = ctx.doc
    people = [e for e in ctx.ents if e.label_ == "Person"]
    if not people:
        return
    for i in ctx.positions_of(set(_LEADER_WORDS)):
        token = doc[i]
        if i in ctx.ent_of or i < 2 or doc[i - 2].lower_ != "the" or not token.is_lower:
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].lower_ == "of"):
            continue  # "the Kenyan President William Ruto", "the president of Kenya"
        country = ctx.gazetteer.demonym(doc[i - 1].text) if doc[i - 1].text[:1].isupper() else None
        if country is None:
            continue
        antecedent = None
        for person in reversed(people):
            if person.start >= i - 2:
                continue
            found = find_title(doc, person.start)
            if found is None or not any(t in found[1].lower() for t in _LEADER_WORDS[token.lower_]) \
                    or "vice" in found[1].lower() or "former" in found[1].lower():
                continue
            modifiers = doc[max(found[0] - 2, 0):person.start]
            entry = ctx.gazetteer.entries.get(person.kb_id_) if person.kb_id_ else None
            if any(ctx.gazetteer.demonym(t.text) is country or getattr(ctx.ent_of.get(t.i), "kb_id_", None) == country.id
                   for t in modifiers) or (entry is not None and getattr(entry, "country", None) == country.id.split(":", 1)[1]):
                antecedent = person
                break
        if antecedent is None:
            continue
        entry = ctx.gazetteer.entries.get(antecedent.kb_id_) if antecedent.kb_id_ else None
        first = i - 1
        ctx.add_mention(doc[first].idx, token.idx + len(token.text), doc[first:i + 1].text, "Person", entry,
                        "definite-reference", first, label=antecedent.text)
        standin = Standin(doc, first, i + 1, "Person", antecedent.kb_id_)
        for k in (first, i):
            ctx.ent_of[k] = standin


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
                _demonym_country(ctx, c)
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
                    owner = _demonym_country(ctx, c)
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
                for t in _conjuncts_of(pobj):
                    where = ctx.ent_of.get(t.i)
                    pair = (_span(ctx, owner), _span(ctx, where)) if where is not None else None
                    if pair and where.label_ in ("Place", "Country") and pair[0] != pair[1] and pair not in seen:
                        seen.add(pair)
                        out.append(_rel(ctx, i, owner, "deployedTo", where, "deployed-in-place", verb=noun.lower_))
    return out


def _conjuncts_of(token):
    return [token, *token.conjuncts]


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
        if k >= 2 and doc[k - 1].text in _POSSESSIVE:
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
            out.append(_rel(ctx, i, state, "seeksMembershipIn", body, "accession"))
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
        out.append(_rel(ctx, ent.start, leader, "leaderOf", ent, "body-named-by-leader"))
    return out


def _owned_initiatives(ctx: Context) -> list[Relation]:
    """"China's Belt and Road Initiative", "Saudi Arabia's Vision 2030", "the
    EU's Global Gateway": the state or body whose initiative it is leads it."""
    doc = ctx.doc
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Initiative" or ent.start < 2 or doc[ent.start - 1].text not in _POSSESSIVE:
            continue
        owner = ctx.ent_of.get(ent.start - 2)
        if owner is not None and owner.label_ in ("Country", "Organization") and owner.end == ent.start - 1:
            out.append(_rel(ctx, ent.start, owner, "leads", ent, "initiative-possessive"))
    return out


def fact_relations(ctx: Context) -> list[Relation]:
    """Every noun-phrase relation of the chunk (see the module doc)."""
    return (_positions(ctx) + _position_changes(ctx) + _place_relations(ctx) + _membership(ctx) + _name_parts(ctx)
            + _friends_of(ctx) + _between(ctx)
            + _agreement_parties(ctx) + _compound_participles(ctx) + _state_actors(ctx) + _deployments(ctx)
            + _led_bodies(ctx) + _accessions(ctx) + _owned_initiatives(ctx))
