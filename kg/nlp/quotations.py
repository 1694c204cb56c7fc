"""Quotations: quoted statements of six words or more with a verb, paired
by how a quote mark sits in its word, and their speaker ("...," Guterres
said / Guterres said: "..."); and reported speech, the clause a speech verb
governs ("Fukuda pointed out that the initiative is ...", rule
``reported``), as news tells most of what was said."""

from __future__ import annotations

import bisect
import re

from ..records import Quotation
from .arguments import _phrasal, _subjects
from .context import Context as _Context, Demonym as _Demonym


def _quotations(ctx: _Context) -> list[Quotation]:
    doc = ctx.doc
    out = []
    for open_, close in _quote_pairs(doc, ctx.text):
        inner = doc[open_.i + 1:close.i]
        words = [t for t in inner if t.is_alpha]
        if len(words) < 6 or not any(t.pos_ in ("VERB", "AUX") for t in inner):
            continue  # scare quotes and quoted titles are not statements
        speaker, rule = _speaker_after(ctx, close), "quote:after"
        if speaker is None:
            speaker, rule = _speaker_before(ctx, open_), "quote:before"
        if speaker is None:
            rule = "quote:unattributed"
        text = inner.text.strip()
        out.append(Quotation("", inner.start_char + ctx.offset, inner.end_char + ctx.offset, text,
                             ctx.sent_index(open_.i + 1), ctx.span(speaker) if speaker is not None else None, rule))
    return out + _reported(ctx, [(q.start, q.end) for q in out])


def _reported(ctx: _Context, quoted: list[tuple[int, int]]) -> list[Quotation]:
    """"X said (that) <clause>": the clause (five words or more, with a
    named speaker) as a quotation of rule ``reported``, unless a quote mark
    already holds it."""
    from spacy.attrs import POS
    from spacy.symbols import VERB

    doc = ctx.doc
    out = []
    speech_words = {w.split()[0] for w in ctx.speech}
    for i in [i for i, pos in enumerate(doc.to_array(POS)) if pos == VERB]:
        verb = doc[i]
        if verb.lemma_.lower() not in speech_words:
            continue
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if clause is None:
            continue
        tokens = [t for t in clause.subtree if not (t.i == clause.left_edge.i and t.dep_ == "mark")]
        if sum(t.is_alpha for t in tokens) < 5:
            continue
        start, end = tokens[0].idx + ctx.offset, tokens[-1].idx + len(tokens[-1]) + ctx.offset
        if any(a < end and start < b for a, b in quoted):
            continue
        speaker = _speech_subject(ctx, verb)
        if speaker is None:
            continue
        text = ctx.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1])]
        out.append(Quotation("", start, end, text, ctx.sent_index(verb.i), ctx.span(speaker), "reported"))
    return out


def _quote_role(text: str, i: int) -> str:
    """Is the straight quote at *i* opening, closing, or either?"""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{-\u2014:") and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}-\u2014\"")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _quote_pairs(doc, text: str | None = None):
    """Pair straight double quotes by their context: an opening quote starts a
    word, a closing one ends it; a quote left without its partner (broken
    quotes in scraped text) pairs with nothing rather than with a stranger."""
    if text is None:
        text = doc.text  # Doc.text joins every token: read it once
    starts = doc.to_array("IDX")
    marks = []
    for match in re.finditer('"', text):
        i = bisect.bisect_right(starts, match.start()) - 1
        # a quote that is a token of its own (not inside a word such as 'a"b')
        if i >= 0 and starts[i] == match.start() and doc[i].text == '"':
            marks.append((doc[i], _quote_role(text, match.start())))
    pairs = []
    opened = None
    for token, role in marks:
        if opened is not None and "\n" in text[opened.idx:token.idx]:
            opened = None  # a quotation does not run across a paragraph break
        if opened is None:
            if role in ("open", "either"):
                opened = token
        elif role in ("close", "either"):
            pairs.append((opened, token))
            opened = None
        else:  # a second opening quote: the first one was never closed
            opened = token
    return pairs


def _speech_subject(ctx: _Context, verb):
    if _phrasal(verb) not in ctx.speech and verb.lemma_.lower() not in ctx.speech:
        return None
    subjects, _ = _subjects(ctx, verb)
    people = [s for s in subjects if s.label_ in ("Person", "Organization", "Country") and not isinstance(s, _Demonym)]
    return people[0] if len(people) == 1 else None


def _speaker_after(ctx: _Context, close):
    """'"..." UN Secretary-General Guterres said.'"""
    doc = ctx.doc
    j = close.i + 1
    sent = ctx.sent_index(min(j, len(doc) - 1))
    a, b = ctx.sent_spans[sent] if sent < len(ctx.sent_spans) else (j, j)
    end = min(len(doc), max(b, j + 1), j + 40)
    for t in doc[j:end]:
        if t.text == '"':
            break
        if t.pos_ == "VERB":
            who = _speech_subject(ctx, t)
            if who is not None and who.start >= j:
                return who
            if t.dep_ == "ROOT":
                break
    return None


def _speaker_before(ctx: _Context, open_):
    """'Guterres said: "..."' or 'Guterres said that "..."'."""
    doc = ctx.doc
    sent = ctx.sent_index(open_.i)
    a, _ = ctx.sent_spans[sent]
    for t in reversed(doc[a:open_.i]):
        if t.pos_ == "VERB":
            return _speech_subject(ctx, t)
    return None
