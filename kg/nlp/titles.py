"""Titles before and beside names: "Former Japanese Prime Minister Yasuo Fukuda",
"Bokova, the former Director-General of UNESCO" (the title phrases are kg/data/titles.txt)."""

from __future__ import annotations

import functools

from spacy.tokens import Doc, Span

from .rules import titles_by_first, titles_by_last

__all__ = ["find_title"]


def _title_ends_at(words: list[str], q: int) -> bool:
    """Does a title phrase ("Secretary General", "President") end at word *q*?"""
    for phrase in titles_by_last().get(words[q].lower(), ()):
        n = len(phrase)
        if q - n + 1 >= 0 and tuple(w.lower() for w in words[q - n + 1:q + 1]) == phrase:
            return True
    return False


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Every word of a title phrase, lower-cased."""
    return frozenset(w for phrases in titles_by_last().values() for p in phrases for w in p)


def _title_span(span: Span) -> tuple[int | None, int] | None:
    """A position the NER took for a name. ``(None, end)`` when *span* is a
    title (after an optional demonym or organisation: "National Security
    Advisor", "Japanese National Security Advisors", "Forum Chair");
    ``(first, end)`` of the name after it ("National Security Advisors
    Sullivan" -> "Sullivan"); ``None`` when no title is in it."""
    doc = span.doc
    lowered = [t.lower_ for t in span]
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in lowered]
    # a title at the end ("Forum Chair", "Commission President")
    for phrase in titles_by_last().get(singular[-1], ()) + titles_by_last().get(lowered[-1], ()):
        n = len(phrase)
        if n <= len(span) and (tuple(lowered[-n:]) == phrase or tuple(lowered[-n:-1]) + (singular[-1],) == phrase) \
                and phrase[-1] != "general":
            return None, span.end
    # a title then a name ("National Security Advisors Sullivan")
    for k in range(len(span) - 1):
        for phrase in titles_by_first().get(lowered[k], ()):
            n = len(phrase)
            if k + n < len(span) and (tuple(lowered[k:k + n]) == phrase or tuple(lowered[k:k + n - 1]) + (singular[k + n - 1],) == phrase) \
                    and n > 1 and all(t.pos_ == "PROPN" or t.pos_ == "ADJ" for t in span[:k]):
                return span.start + k + n, span.end
    return None


def _appositive_title(doc: Doc, comma: int) -> str | None:
    """If *comma* starts ", (the) (former) <title>", return the title."""
    if comma >= len(doc) or doc[comma].text != ",":
        return None
    i = comma + 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    if i < len(doc) and doc[i].lower_ in ("former", "then", "current", "late", "incumbent"):
        i += 1
    return _title_at(doc, i)


def _title_at(doc: Doc, i: int) -> str | None:
    if i >= len(doc):
        return None
    candidates = titles_by_first().get(doc[i].lower_)
    if not candidates:
        return None
    lowered = [t.lower_ for t in doc[i:i + 6]]
    for phrase in candidates:
        if tuple(lowered[:len(phrase)]) == phrase and (len(phrase) > 1 or doc[i].text[:1].isupper() or phrase[0] in ("secretary", "director")):
            return doc[i:i + len(phrase)].text
    return None


def find_title(doc: Doc, start: int) -> tuple[int, str] | None:
    """A title right before token *start* ("President Xi", "UN Secretary-General
    Guterres", "Former Japanese Prime Minister Yasuo Fukuda").

    Returns ``(first_token, title_text)``; the title text keeps "former" and
    drops country or organisation modifiers.
    """
    best = None
    if start >= 3 and doc[start - 1].text == ")" and doc[start - 3].text == "(" and doc[start - 2].text.isupper():
        start -= 3  # "Principal Deputy National Security Advisor (PDNSA) Jon Finer"
    if start == 0:
        return None
    for phrase in titles_by_last().get(doc[start - 1].lower_, ()):
        n = len(phrase)
        if start - n < 0:
            continue
        window = tuple(t.lower_ for t in doc[start - n:start])
        if window == phrase and doc[start - n].text[:1].isupper():
            best = (start - n, doc[start - n:start].text)
            break
    if best is None:
        return None
    first, text = best
    # Modifiers before the title: an organisation/country acronym or name, a
    # demonym, "former".
    i = first
    while i > 0:
        prev = doc[i - 1]
        if prev.lower_ in ("former", "then", "late"):
            text = "former " + text if prev.lower_ == "former" else text
            i -= 1
            continue
        if prev.ent_type_ in ("Country", "Organization") or (
            prev.pos_ in ("PROPN", "ADJ") and prev.text[:1].isupper() and prev.ent_type_ != "Person"
            and not prev.is_sent_start
        ):
            i -= 1
            continue
        break
    return i, text


def _title_then_of(words: list[str], k: int) -> bool:
    """Whether a capitalised person's title ("Director", "Prime Minister")
    starts at *k* and is followed by "of" (the title of another body)."""
    if k >= len(words) or not _capital(words[k]):
        return False
    for phrase in titles_by_first().get(words[k].lower(), ()):
        end = k + len(phrase)
        if end < len(words) and words[end] == "of" and tuple(w.lower() for w in words[k:end]) == phrase:
            return True
    return False


def _capital(w: str) -> bool:
    return w[:1].isupper() or w[:1].isdigit()
