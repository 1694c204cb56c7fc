"""Dates found in text, for a happening: the date expressions that modify
the trigger itself, never one inside another clause or another happening's
noun phrase; the tense that says whether it happened or is to come; a year
or month written in an event's name."""

from __future__ import annotations

import re

from .context import Context as _Context


def _dates_of_sentence(ctx: _Context, sent_index: int, anchor_token) -> list:
    """The DATE expressions of the sentence that can date *anchor_token*: the
    ones that modify it first ("met on Tuesday"), then those attached to no
    other clause, by distance. A date inside another clause or another
    happening's noun phrase ("since his inauguration in January", "building
    on her April 29 meeting") is not this happening's date."""
    a, b = ctx.sent_spans[sent_index]
    ranked = []
    for e in ctx.all_ents:
        if e.label_ == "DATE" and a <= e.start < b:
            rank = _date_rank(ctx, e.root, anchor_token)
            if rank < 2:
                ranked.append((rank, abs(e.start - anchor_token.i), e))
    return [e for _, _, e in sorted(ranked, key=lambda x: (x[0], x[1], x[2].start))]


def _date_rank(ctx: _Context, token, anchor) -> int:
    """0 when *token* hangs from *anchor*, 1 when it hangs from no other
    verb or happening, 2 when it belongs to another one."""
    nouns = ctx.event_noun_words()
    start = token
    # "visited Israel June 23-25 to deliver remarks", "met on Monday and
    # signed": the verb a purpose clause or a coordinated verb hangs from
    # gives its date when the clause has none of its own
    governors = set()
    up = anchor
    for _ in range(3):
        if up.dep_ in ("xcomp", "conj") or (up.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in up.children)):
            up = up.head
            governors.add(up.i)
        else:
            break
    for _ in range(12):
        if token.i == anchor.i:
            return 0
        if token is not start:
            if token.pos_ in ("VERB", "AUX"):
                if token.i in governors:
                    return 1
                # "After the congress was held, from November 14 to 19, Xi
                # embarked ...": a date set off by a comma after a subordinate
                # clause modifies the main one, whatever the parser attached
                if token.dep_ == "advcl" and token.head.i == anchor.i and token.i < start.i and any(
                        t.text == "," for t in token.doc[token.i:start.i]):
                    return 1
                return 2
            if token.lower_ in nouns and token.head.i != anchor.i and token.i != anchor.i:
                return 2
        if token.head.i == token.i:
            return 1
        token = token.head
    return 1


_PLANNING_VERBS = frozenset({"plan", "expect", "intend", "agree", "decide", "hope", "look", "aim", "seek", "prepare",
                             "schedule", "invite", "ask", "urge", "propose", "want", "wish", "promise", "pledge", "vow",
                             "due", "set", "poise", "slate", "going", "threaten"})  # ("is due to travel", "threatened to impose")


def _tense(verb) -> str:
    """``future`` for "will meet", "is to visit", "plans to travel", "is
    scheduled to"; ``past`` or ``present`` for a finite verb; else ``other``."""
    head = verb
    for _ in range(3):
        aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "shall", "'ll", "wo"}:
            return "future"
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in _PLANNING_VERBS and head.head.lemma_.lower() != "agree":
            return "future"
        if head.dep_ in ("xcomp", "conj") and head.head.pos_ in ("VERB", "AUX"):
            head = head.head
            continue
        break
    tag = head.tag_
    if tag in ("VBD",) or tag == "VBN" and any(c.lemma_ == "have" for c in head.children if c.dep_ == "aux"):
        return "past"
    if tag in ("VBZ", "VBP"):
        return "present"
    if tag == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in head.children):
        return "past"
    return "other"


_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _date_in_name(doc, ent) -> tuple[int, int] | None:
    """The tokens of a year, or a month and year, written in or right before
    an event's name ("the 2022 Madrid Summit", "the February 2022 AU
    Summit", "Madrid Summit 2022"): (first, last) token, or None."""
    for i in range(max(ent.start - 1, 0), ent.end):
        if _YEAR.match(doc[i].text):
            first = i - 1 if i > 0 and doc[i - 1].lower_ in _MONTHS else i
            return first, i
    return None


#: Verbs that deny what the verb under them says: "refused to sign", "denied attacking".
_DENYING = frozenset({"refuse", "deny", "decline", "reject", "fail", "avoid", "cancel", "postpone", "rule"})


def negated(verb) -> bool:
    """Is *verb* denied: negated ("did not meet", "will not attend", "has
    never recognized"), or under a verb that denies it or is itself negated
    ("refused to sign", "denied attacking", "did not agree to join"), or
    with "no" object ("held no talks")? ("not only ... but" is no negation.)"""
    if any(c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children) for c in verb.children):
        return True  # "held no talks", "signed no agreement"
    head, inherits = verb, True
    for _ in range(4):
        if inherits:  # ("did not meet X but signed Y": the negation stays with "meet"; "will never
            # forget that China hosted ...": a clause under a negated verb is not denied by it)
            for c in head.children:
                if c.dep_ == "neg" and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "only"):
                    return True
        if head is not verb and head.lemma_.lower() in _DENYING:
            return True
        if head.dep_ in ("xcomp", "ccomp", "pcomp", "conj") and head.head is not head:
            inherits = head.dep_ == "xcomp"
            if head.dep_ == "pcomp" and head.head.dep_ == "prep":
                head = head.head
            head = head.head
            continue
        break
    return False
