"""Named events as happenings: "the 2022 Madrid Summit", "the summit ...
was held on May 14, 2015 in Camp David" (the verb and noun triggers are in
:mod:`kg.nlp.relations`)."""

from __future__ import annotations

from ..records import DateMention, EventCandidate
from .arguments import _PASSIVE_SUBJ, _SUBJ
from .context import AGENT_TYPES as _AGENT_TYPES, candidate, Context as _Context
from .places import _places
from .textdates import _date_in_name, _date_rank


#: Verbs a named event is the subject of that date it ("the summit was held on May 14").
_HAPPEN_VERBS = frozenset({"hold", "take", "convene", "open", "begin", "start", "end", "conclude", "occur", "close", "kick"})


def _named_events(ctx: _Context, date_records) -> list[EventCandidate]:
    """A named event the text dates is an event node of its own: "the 2022
    Madrid Summit", "the summit ... was held on May 14, 2015 in Camp David",
    "the COVID-19 pandemic in 2020". Its type comes from its head word, its
    participants from the countries and bodies its name holds, its place
    from "in X" after it or a place in its name."""
    doc = ctx.doc
    heads = ctx.rules["event_nouns"]
    out = []
    for ent in ctx.ents:
        if ent.label_ != "Event":
            continue
        head = next((t.lower_ for t in reversed(ent) if t.lower_ in heads or t.lower_.rstrip("s") in heads), None)
        etype = heads.get(head) or heads.get((head or "").rstrip("s")) or "Other"
        sent_index = ctx.sent_index(ent.start)
        year = _date_in_name(doc, ent)
        anchor = ent.root
        if anchor.dep_ in _SUBJ + _PASSIVE_SUBJ and anchor.head.lemma_.lower() in _HAPPEN_VERBS:
            anchor = anchor.head
        else:  # "the G20 summit held in Bali last year", "the Summits held on May 14, 2015 in Camp David"
            anchor = next((c for c in ent.root.children if c.dep_ == "acl" and c.lemma_.lower() in _HAPPEN_VERBS
                           and c.tag_ == "VBN"), anchor)
        dates = []
        for d in date_records(sent_index, anchor):
            span = doc.char_span(d.start - ctx.offset, d.end - ctx.offset, alignment_mode="expand")
            if _date_rank(ctx, span.root, anchor) != 0:
                continue
            if anchor.dep_ == "advcl" and span.start > anchor.i and any(t.text == "," for t in doc[anchor.i:span.start]):
                continue  # "after the congress was held, from May 1 to 9, Xi toured ...": the tour's dates
            dates.append(d)
        if year is not None and not dates:
            first, last = year
            dates = [DateMention("", doc[first].idx + ctx.offset, doc[last].idx + len(doc[last]) + ctx.offset,
                                 doc[first:last + 1].text, sent_index)]
        if not dates and anchor is ent.root:
            continue  # named, not told as happening here: the entity alone (a "was held" without a date
            # is dated by its paragraph, when the paragraph opens with one)
        inside = [(span, m) for span, m in ctx.extra_mentions.items()
                  if ent.start_char + ctx.offset <= span[0] < ent.end_char + ctx.offset]
        parts = [span for span, m in inside if m["type"] in _AGENT_TYPES]
        places = [ctx.span(p) for p in _places(ctx, anchor, set())] if anchor is not ent.root else []
        j = ent.end
        if j + 1 < len(doc) and doc[j].lower_ in ("in", "at"):
            other = ctx.ent_of.get(j + 1) or (ctx.ent_of.get(j + 2) if doc[j + 1].lower_ == "the" else None)
            if other is not None and other.label_ in ("Place", "Country"):
                places.append(ctx.span(other))
        places += [span for span, m in inside if m["type"] == "Place"]
        out.append(candidate(
            sentence=sent_index, type=etype, trigger=ent.text, trigger_start=ent.start_char + ctx.offset,
            phrase=ent.text, rule="name:event", agents=sorted(set(parts)), targets=[ctx.span(ent)],
            places=sorted(set(places)), dates=dates,
        ))
    return out
