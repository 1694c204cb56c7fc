"""Small helpers shared by the noun-phrase rules (:mod:`kg.nlp.facts`, :mod:`kg.nlp.positions`,
:mod:`kg.nlp.references`, :mod:`kg.nlp.nameparts`): the entity at a word, spans, relation records."""

from __future__ import annotations

from ..records import Relation
from .context import Context

__all__ = ["COPULAS", "FORMER", "POSSESSIVE", "after_the", "conjuncts_of", "demonym_country", "ends_phrase", "entity_at",
           "is_larger_place", "rel", "span_of"]


POSSESSIVE = ("'s", "’s", "'", "’")


FORMER = ("former", "then", "late", "current", "incumbent")


def rel(ctx: Context, sentence_token: int, subject, predicate: str, obj, rule: str, title: str | None = None,
         verb: str = "") -> Relation:
    return Relation("", ctx.sent_index(sentence_token), span_of(ctx, subject), predicate, span_of(ctx, obj), verb, rule,
                    title)


def span_of(ctx: Context, thing) -> tuple[int, int]:
    if isinstance(thing, tuple):
        return thing
    return ctx.span(thing)


def entity_at(ctx: Context, i: int, types) -> object | None:
    ent = ctx.ent_of.get(i)
    if ent is not None and ent.label_ in types and ent.start == i:
        return ent
    return None


def after_the(ctx: Context, i: int) -> int:
    doc = ctx.doc
    return i + 1 if i < len(doc) and doc[i].lower_ == "the" else i


def demonym_country(ctx: Context, token) -> tuple[int, int] | None:
    """A demonym token ("Russian", "Japanese") as a Country mention span."""
    if ctx.gazetteer is None or not token.text[:1].isupper():
        return None
    entry = ctx.gazetteer.demonym(token.text)
    if entry is None:
        return None
    return ctx.add_mention(token.idx, token.idx + len(token.text), token.text, "Country", entry, "demonym", token.i)


COPULAS = frozenset({"is", "was", "as", "be", "been", "became", "become", "becomes", "remains", "remained", "named", "appointed", "elected"})


def conjuncts_of(token):
    return [token, *token.conjuncts]


def ends_phrase(ctx: Context, i: int) -> bool:
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


def is_larger_place(ctx: Context, ent) -> bool:
    """A state, province or region (gazetteer kind), where "City, X" means
    the city is in X."""
    if ctx.gazetteer is None or not ent.kb_id_ or ent.kb_id_.startswith("rule:"):
        return False
    entry = ctx.gazetteer.entries.get(ent.kb_id_)
    return getattr(entry, "kind", None) in ("state", "province", "region", "continent")
