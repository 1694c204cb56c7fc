"""Positions that noun phrases state: "Russian President Vladimir Putin", "Ukraine's
President Zelenskyy", "President Lula of Brazil", "Bokova, the former Director-General of
UNESCO", counterparts, roles between a body and a name, offices taken ("was sworn in as
president of Mexico"), and, for a titled gazetteer person whose country the document names,
the gazetteer's country."""

from __future__ import annotations

from ..gazetteer import name_key
from ..records import Relation
from .context import Context
from .rules import titles
from .spans import FORMER, POSSESSIVE, after_the, demonym_country, entity_at, rel, span_of
from .titles import _appositive_title, _title_at, find_title

__all__ = ["is_known", "office_changes", "position_predicate", "position_relations"]


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


def position_relations(ctx: Context) -> list[Relation]:

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
                        other.label_ == "Country" or is_known(other)):
                    others.append(other)  # ("National Security" in "National Security Advisor" is no body)
                elif doc[i].pos_ in ("ADJ", "PROPN") and other is None:
                    span = demonym_country(ctx, doc[i])
                    if span is not None:
                        others.append(span)
            if first >= 1 and ctx.ent_of.get(first - 1) is None:  # "Russian President ..." opening a sentence
                span = demonym_country(ctx, doc[first - 1])
                if span is not None:
                    others.append(span)
            # "Ukraine's President Zelenskyy"
            if first >= 2 and doc[first - 1].text in POSSESSIVE:
                owner = ctx.ent_of.get(first - 2)
                if owner is not None and owner.label_ in ("Country", "Organization"):
                    others.append(owner)
                    rule = "title-possessive"
            # "President Lula of Brazil"
            j = ent.end
            if j + 1 < len(doc) and doc[j].lower_ == "of":
                other = entity_at(ctx, after_the(ctx, j + 1), ("Country", "Organization"))
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
            span = span_of(ctx, other)
            if span in seen:
                continue
            seen.add(span)
            other_type = "Country" if isinstance(other, tuple) else other.label_
            predicate = position_predicate(title, other_type, table)
            if title.lower().startswith("former"):
                predicate = "formerlyHeld"
            out.append(rel(ctx, ent.start, ent, predicate, other, rule, title=title))
    return out


_COUNTERPART_OWNERS = frozenset({"his", "her", "their", "its", "the"})


def _counterpart(ctx: Context, ent):
    """"Wang Yi held talks with his Australian counterpart Penny Wong" /
    "... Sergei Lavrov, his Russian counterpart": the named person holds, for the
    country of the demonym (or "counterpart from/of <Country>"), the office that
    the title of the sentence's earlier titled person names. Returns
    ``(title, [country], "counterpart")`` or ``(None, [], "")``."""

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
            other = entity_at(ctx, after_the(ctx, k + 2), ("Country",))
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
        return demonym_country(ctx, token)
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


def office_changes(ctx: Context) -> list[Relation]:
    """Offices taken: the person (the subject of "was sworn in", "was elected",
    "became"; the object of "elected", "appointed", "named") and the office
    ("as <title>", or the complement: "president of Iran"), with the country
    or body it is of ("of Mexico", "Jordan's", "Kenyan"). The title must be
    one of the titles list's (``kg/data/titles.txt``)."""

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
                    other = entity_at(ctx, after_the(ctx, c.i + 1), ("Country", "Organization"))
                    if other is not None:
                        bodies.append(other)
                elif c.dep_ == "poss" and (other := ctx.ent_of.get(c.i)) is not None and other.label_ in ("Country", "Organization"):
                    bodies.append(other)
                elif c.dep_ == "amod" and c.i not in ctx.ent_of:
                    span = demonym_country(ctx, c)
                    if span is not None:
                        bodies.append(span)
            for body in bodies:
                other_type = "Country" if isinstance(body, tuple) else body.label_
                out.append(rel(ctx, i, person, position_predicate(title, other_type, ctx.rules["positions"]), body,
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

    want = title.lower().replace("former ", "")
    fits = [e for e in ctx.gazetteer.surnames().get(name_key(ent.text), ())
            if any(r.lower() == want or r.lower().startswith(want + " ") or want.endswith(" " + r.lower())
                   for r in e.roles)]
    if ctx.date and len(fits) > 1:
        fits = [e for e in fits if any(p.start <= ctx.date and (p.end is None or p.end >= ctx.date[:len(p.end)])
                                       for p in ctx.gazetteer.positions_of(e.id))]
    return fits[0] if len(fits) == 1 else None


def is_known(ent) -> bool:
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
            and doc[owner.end].text in POSSESSIVE:

        title = _title_at(doc, owner.end + 1)
        if title:
            return title, [owner], "apposition-possessive"
    title = appositive_title(doc, ent.end)
    if not title:
        return _appositive_role(ctx, ent, i)
    while i < len(doc) and doc[i].lower_ in ("the",) + FORMER:
        if doc[i].lower_ == "former":
            title = "former " + title
        i += 1
    i += len(title.replace("former ", "").replace("-", " - ").split())
    others = []
    if i < len(doc) and doc[i].lower_ in ("of", "to"):
        other = entity_at(ctx, after_the(ctx, i + 1), ("Country", "Organization"))
        if other is not None:
            others.append(other)
            others += _coordinated_bodies(ctx, other.end)
    if not others:  # "the former secretary of politics ... of the Brazilian Communist Party"
        role, others, rule = _appositive_role(ctx, ent, after_the(ctx, ent.end + 1))
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
            other = entity_at(ctx, after_the(ctx, m + 1), ("Country", "Organization"))
            return [other] if other is not None and entity_at(ctx, other.end, ("Person",)) is None else []
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
            other = entity_at(ctx, after_the(ctx, k + 1), ("Country", "Organization"))
            if other is not None and entity_at(ctx, other.end, ("Person",)) is not None:
                return None, [], "apposition"  # "Chairman of the party Benny Gantz": a title before a name
            if other is not None:
                role = doc[j:k].text
                return ("former " + role.split(" ", 1)[-1] if former and " " in role else role), \
                    [other, *_coordinated_bodies(ctx, other.end)], "apposition-role"
    return None, [], "apposition"
