"""spaCy Docs -> :class:`~kg.records.Extraction` records.

Extraction's entry point (spaCy objects stay inside :mod:`kg.nlp`): documents go in as
:class:`~kg.records.SourceDoc`, plain records come out. Long documents are cut
into chunks at paragraph breaks (and, for a paragraph with no breaks, at
whitespace) so no single spaCy Doc exceeds ``CHUNK_CHARS`` characters; offsets
are mapped back to the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..errors import ExtractionError
from ..records import (ENTITY_TYPES, DateMention, EventCandidate, Extraction, Mention, Quotation, Relation, Sentence,
                       SourceDoc)

__all__ = ["BATCH_CHARS", "CHUNK_CHARS", "chunk_text", "extract", "extract_doc"]

#: Largest piece of text handed to spaCy at once.
CHUNK_CHARS = 20_000
#: Most characters in one batch of spaCy Docs. spaCy's memory grows with the
#: text of a batch, about 3 KB a character with ``en_core_web_sm`` (the
#: hidden features of every token, for the parser and the NER): 32 chunks of
#: a long document took 1.7 GB. Articles of 2,400 characters go 20 to a
#: batch, chunks of a long document two (as fast: spaCy gains nothing from
#: larger batches on one core).
BATCH_CHARS = 50_000


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut *text* into ``(offset, piece)`` chunks of at most *limit* characters,
    at paragraph breaks where possible, else at sentence ends or spaces."""
    chunks: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = text.rfind("\n\n", start + 1, end)
            if cut <= start:
                window = text[start:end]
                m = None
                for m in re.finditer(r"[.!?]\s", window):
                    pass
                cut = start + m.end() if m and m.end() > limit // 4 else text.rfind(" ", start + 1, end)
            if cut > start:
                end = cut
        piece = text[start:end]
        if piece.strip():
            chunks.append((start, piece))
        start = end
    return chunks


def extract(docs: Iterable[SourceDoc], nlp, *, batch_size: int = 32,
            batch_chars: int = BATCH_CHARS) -> Iterator[Extraction]:
    """Run *nlp* over *docs* (streaming) and yield one Extraction per doc, in order.

    spaCy gets *batch_size* pieces at a time, fewer when they would be
    over *batch_chars* characters (see :data:`BATCH_CHARS`); the batches do
    not change what is found.

    A document on which kg's rules fail raises
    :class:`~kg.errors.ExtractionError`, naming it, from the rule's error;
    a build stops with it (unlike a document that cannot be read, which is
    skipped: this is a bug in kg, not in the document)."""
    from .components import find_title  # spaCy-dependent; imported here
    from .relations import find_structures

    gazetteer = nlp.get_pipe("kg_entity_typer").gazetteer if "kg_entity_typer" in nlp.pipe_names else None

    def pieces():
        # Every document goes through spaCy, one piece per chunk; one with no
        # text chunk at all as an empty piece, so that it keeps its place.
        for doc in docs:
            chunks = chunk_text(doc.text)
            for offset, piece in chunks or [(0, "")]:
                yield piece, (doc, len(chunks), offset, piece)

    # nlp.pipe keeps order: a document is complete with its last chunk.
    got: list = []
    for batch in _batches(pieces(), batch_size, batch_chars):
        for spacy_doc, (doc, need, offset, piece) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            if need:
                try:
                    records = _records_of_chunk(spacy_doc, offset, find_title, find_structures, gazetteer, piece,
                                                doc.date)
                except Exception as err:  # a rule's bug: said with the document it broke on, then raised
                    raise ExtractionError(
                        f"{doc.source}: extraction failed in characters {offset}-{offset + len(piece)}: "
                        f"{type(err).__name__}: {err}",
                        hint="a bug in kg's extraction rules; --verbose shows where it was raised",
                    ) from err
                got.append(records)
            if len(got) == need:
                yield _assemble(doc, got)
                got = []


def _batches(items: Iterable[tuple], size: int, chars: int) -> Iterator[list[tuple]]:
    """``(text, context)`` *items* in lists of at most *size*, and of at most
    *chars* characters unless one item alone is longer."""
    batch: list[tuple] = []
    total = 0
    for item in items:
        if batch and (len(batch) >= size or total + len(item[0]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += len(item[0])
    if batch:
        yield batch


def extract_doc(doc: SourceDoc, nlp) -> Extraction:
    """Extract one document (convenience for tests and notebooks)."""
    return next(extract([doc], nlp))


def _sentence_spans(sdoc) -> list[tuple[int, int]]:
    """Token spans of the sentences, merged where an entity crosses a boundary."""
    spans = [[s.start, s.end] for s in sdoc.sents]
    for ent in sdoc.ents:
        if ent.label_ not in ENTITY_TYPES:
            continue
        first = next(i for i, (a, b) in enumerate(spans) if a <= ent.start < b)
        last = next(i for i, (a, b) in enumerate(spans) if a < ent.end <= b)
        if last > first:
            spans[first:last + 1] = [[spans[first][0], spans[last][1]]]
    out = []
    for a, b in spans:
        while a < b and (sdoc[a].is_space or sdoc[a].text == '"' and a + 1 < b and sdoc[a].whitespace_):
            a += 1  # a closing quote of the previous sentence, or line breaks
        while b > a and sdoc[b - 1].is_space:
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _records_of_chunk(sdoc, offset: int, find_title, find_structures, gazetteer, text: str | None = None,
                      date: str | None = None) -> tuple:
    spans = _sentence_spans(sdoc)
    if text is None:  # Doc.text joins every token: pass the text in when it is known
        text = sdoc.text
    sentences = []
    for a, b in spans:
        span = sdoc[a:b]
        start, end = span.start_char, span.end_char
        sentences.append((start + offset, end + offset, text[start:end]))
    sent_starts = [a for a, _ in spans]
    mentions = []
    for ent in sdoc.ents:
        if ent.label_ not in ENTITY_TYPES:
            continue
        title = None
        surface_start = ent.start_char
        if ent.label_ == "Person":
            found = find_title(sdoc, ent.start)
            if found is not None:
                first, title = found
                surface_start = sdoc[first].idx
        mentions.append(Mention(
            doc_id="", start=ent.start_char + offset, end=ent.end_char + offset, text=ent.text,
            surface=text[surface_start:ent.end_char], type=ent.label_, label=ent.text,
            sentence=max(0, _bisect(sent_starts, ent.start)),
            rule=ent.kb_id_[5:] if ent.kb_id_.startswith("rule:") else "gazetteer",
            gazetteer_id=None if ent.kb_id_.startswith("rule:") else ent.kb_id_ or None, title=title,
        ))
    structures = find_structures(sdoc, offset, spans, gazetteer, text, date) if sentences else {}
    extra = structures.pop("extra_mentions", [])
    metonyms = {(m.start, m.end) for m in extra if m.rule == "capital-metonymy"}
    if metonyms:  # "Washington imposed sanctions": this mention is the country's, not the place's
        mentions = [m for m in mentions if (m.start, m.end) not in metonyms]
    mentions.extend(extra)
    # gazetteer names the ruler found inside a longer name ("Ukraine" in "Ukraine
    # crisis"): mentions of their own, unless a rule already made one there
    taken = {(m.start, m.end) for m in mentions}
    for span in sdoc.spans.get("kg_nested", ()) if "kg_nested" in sdoc.spans else ():
        key = (span.start_char + offset, span.end_char + offset)
        if key in taken or span.label_ not in ENTITY_TYPES:
            continue
        taken.add(key)
        mentions.append(Mention(
            doc_id="", start=key[0], end=key[1], text=span.text, surface=span.text, type=span.label_,
            label=span.text, sentence=max(0, _bisect(sent_starts, span.start)), rule="nested",
            gazetteer_id=span.kb_id_ or None, title=None,
        ))
    return sentences, mentions, structures


def _bisect(starts: list[int], value: int) -> int:
    import bisect

    return bisect.bisect_right(starts, value) - 1


def _assemble(doc: SourceDoc, chunks: list) -> Extraction:
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    relations: list[Relation] = []
    events: list[EventCandidate] = []
    quotations: list[Quotation] = []
    dates: list[DateMention] = []
    chunks.reverse()  # taken from the end, in order: a long document's records are not held twice
    while chunks:
        chunk_sentences, chunk_mentions, found = chunks.pop()
        # the chunk's records number their sentences from the chunk's first; in
        # the document they are this document's, numbered from its first
        base = len(sentences)
        sentences.extend(Sentence(doc.id, s, e, t) for s, e, t in chunk_sentences)

        def here(record):
            return replace(record, doc_id=doc.id, sentence=base + record.sentence)

        mentions.extend(here(m) for m in chunk_mentions)
        relations.extend(here(r) for r in found.get("relations", ()))
        dates.extend(here(d) for d in found.get("dates", ()))
        quotations.extend(here(q) for q in found.get("quotations", ()))
        events.extend(replace(here(ev), dates=tuple(here(d) for d in ev.dates)) for ev in found.get("events", ()))
    mentions.sort(key=lambda m: (m.start, m.end))
    paragraphs = []
    para, last = 0, 0
    for sentence in sentences:
        para += doc.text.count("\n\n", last, sentence.start)
        last = sentence.start
        paragraphs.append(para)
    return Extraction(doc=doc, sentences=tuple(sentences), mentions=tuple(mentions), relations=tuple(relations),
                      events=tuple(events), quotations=tuple(quotations), dates=tuple(dates),
                      paragraphs=tuple(paragraphs))

