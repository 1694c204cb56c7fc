"""People the NER missed or cut: a surname after the full name, names joined by the
parser, proper nouns after a title ("Special Envoy Kellogg") or after a titled body
("Prime Minister of the Palestinian Authority Muhammad Mustafa")."""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from .titles import _title_ends_at, _title_words


#: lowercase parts inside people's names ("Hussein al-Sheikh", "Lula da Silva")
_NAME_PARTICLES = frozenset({"al", "el", "bin", "bint", "ibn", "da", "de", "di", "do", "dos", "van", "von", "der", "-", "le", "la"})


def _surnames_of_people(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Hungarian Prime Minister Viktor Orban ... Orban said": a one-word name
    the NER typed otherwise is part of the name of a person named before it
    (the surname; also the family name written first: "Xi Jinping ... Xi")."""
    surnames: dict[str, int] = {}  # surname -> where it is first named in full
    parts: dict[str, int] = {}  # any part of a full name ("Xi" of "Xi Jinping": the family name first)
    out = []
    for span in sorted(ents, key=lambda s: s.start):
        if span.label_ == "Person" and len(span) >= 2 and span[-1].pos_ == "PROPN":
            surnames.setdefault(span[-1].text, span.end)
            for t in span:
                if t.pos_ == "PROPN" and t.text[:1].isupper() and t.text not in _NAME_PARTICLES:
                    parts.setdefault(t.text, span.end)
        elif len(span) == 1 and span.label_ in ("Organization", "Place") and span.kb_id_ == "rule:ner" \
                and span.start > parts.get(span.text, len(doc)):
            span = Span(doc, span.start, span.end, label="Person", kb_id="rule:surname")
        out.append(span)
    if surnames:
        # ... and one the NER passed over: "Ruto later flew to Seoul"
        hashes = numpy.array([doc.vocab.strings.add(name) for name in surnames], dtype="uint64")
        taken = {t.i for span in out for t in span}
        for i in numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), hashes)).tolist():
            token = doc[i]
            if i not in taken and token.pos_ == "PROPN" and i > surnames[token.text] and not token.ent_type_ \
                    and (i + 1 >= len(doc) or doc[i + 1].pos_ != "PROPN") and (i == 0 or doc[i - 1].pos_ != "PROPN"):
                out.append(Span(doc, i, i + 1, label="Person", kb_id="rule:surname"))
    return out


def _joined_people(doc: Doc, ents: list[Span]) -> list[Span]:
    """"President Andry Nirina Rajoelina": names the NER cut into pieces
    that touch (a person and other pieces it guessed, all proper nouns) are
    one person."""
    ents = sorted(ents, key=lambda s: (s.start, -s.end))
    out: list[Span] = []
    i = 0
    while i < len(ents):
        run = [ents[i]]
        while i + len(run) < len(ents):
            nxt = ents[i + len(run)]
            if nxt.start != run[-1].end or nxt.kb_id_ not in ("rule:ner", "rule:apposition"):
                break
            run.append(nxt)
        guessed = all(e.kb_id_ in ("rule:ner", "rule:apposition") for e in run)
        if len(run) > 1 and guessed and any(e.label_ == "Person" for e in run) \
                and all(t.pos_ == "PROPN" for e in run for t in e) and run[-1].end - run[0].start <= 5:
            out.append(Span(doc, run[0].start, run[-1].end, label="Person", kb_id="rule:ner"))
            i += len(run)
        else:
            out.append(ents[i])
            i += 1
    return out


def _people_after_titles(doc: Doc, ents: list[Span], heads) -> list[Span]:
    """"Special Envoy Kellogg", "Ambassador Smith": one to three proper nouns
    right after a capitalised title, which the NER passed over, name a person
    (not a word of a longer title, "Deputy Secretary General", nor a body's
    head word, "Prime Minister Office")."""
    taken = {t.i for e in ents for t in e}
    words = [t.text for t in doc]
    title_words = _title_words()
    found = []

    def name_word(k: int) -> bool:
        t = doc[k]
        return (k not in taken and t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha and not t.is_upper
                and t.lower_ not in title_words and t.text not in heads)

    i = 1
    while i < len(doc):
        if not (name_word(i) and doc[i - 1].text[:1].isupper() and _title_ends_at(words, i - 1)):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and name_word(end):
            end += 1
        if not (end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha):
            found.append(Span(doc, i, end, label="Person", kb_id="rule:title"))
            taken.update(range(i, end))
        i = end
    return found


def _holders_inside_titled_bodies(doc: Doc, ents: list[Span], heads) -> list[Span]:
    """"Director of the General Office of the Central Committee Cai Qi": a
    body's name after a title's "of" that runs on past its last head word
    into proper nouns ends at the head; the proper nouns name the holder."""
    out = []
    for ent in ents:
        i = ent.start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if ent.label_ != "Organization" or i < 1 or doc[i].lower_ != "of" \
                or not _title_ends_at([t.text for t in doc[max(0, i - 4):i]], min(i, 4) - 1):
            out.append(ent)
            continue
        last = max((t.i for t in ent if t.text in heads), default=None)
        tail = doc[last + 1:ent.end] if last is not None else doc[0:0]
        if 2 <= len(tail) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in tail):
            out.append(Span(doc, ent.start, last + 1, label=ent.label_, kb_id=ent.kb_id_))
            out.append(Span(doc, tail.start, tail.end, label="Person", kb_id="rule:title"))
        else:
            out.append(ent)
    return out


def _people_after_titled_bodies(doc: Doc, ents: list[Span]) -> list[Span]:
    """"Secretary General of the Executive Committee of the PLO Hussein
    al-Sheikh", "Prime Minister of the Palestinian Authority Muhammad
    Mustafa": the proper nouns right after a title's "of <body>" name the
    holder."""
    taken = {t.i for e in ents for t in e}
    found = []
    for ent in ents:
        if ent.label_ not in ("Organization", "Country") or ent.end >= len(doc):
            continue
        i = ent.start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i < 1 or doc[i].lower_ != "of" or not _title_ends_at([t.text for t in doc[max(0, i - 4):i]], min(i, 4) - 1):
            continue
        end = ent.end
        while end < len(doc) and end - ent.end < 6 and end not in taken and (
                doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
                or end > ent.end and doc[end].text in _NAME_PARTICLES and end + 1 < len(doc)
                and (doc[end + 1].text[:1].isupper() or doc[end + 1].text == "-")):
            end += 1
        if end - ent.end >= 2 or (end - ent.end == 1 and end < len(doc) and doc[end].text in (",", "and")):
            found.append(Span(doc, ent.end, end, label="Person", kb_id="rule:title"))
            taken.update(range(ent.end, end))
    return found
