"""Rule data shared by the spaCy components: titles, name heads, common words.

Everything here is read from data files in ``kg/data``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["titles", "titles_by_first", "titles_by_last", "name_rules", "relation_rules", "event_noun_words"]


@lru_cache(maxsize=1)
def titles() -> tuple[tuple[str, ...], ...]:
    """Title phrases as lowercase token tuples, longest first."""
    text = resources.files("kg.data").joinpath("titles.txt").read_text("utf-8")
    phrases = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            phrases.add(tuple(line.lower().replace("-", " - ").split()))
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@lru_cache(maxsize=1)
def titles_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Title phrases by their first word (longest first within each)."""
    out: dict[str, list] = {}
    for phrase in titles():
        out.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def titles_by_last() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Title phrases by their last word (longest first within each)."""
    out: dict[str, list] = {}
    for phrase in titles():
        out.setdefault(phrase[-1], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def name_rules() -> dict:
    """The head-word rules of ``name_patterns.json``."""
    return json.loads(resources.files("kg.data").joinpath("name_patterns.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def relation_rules() -> dict:
    """Verbs -> relations, and the event types with their CAMEO codes
    (``relations.json``); read by extraction and by the graph stage."""
    return json.loads(resources.files("kg.data").joinpath("relations.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def event_noun_words() -> frozenset[str]:
    """Nouns that name a happening of their own ("meeting", "visit",
    "inauguration"): a date under one of them dates that happening."""
    rules = relation_rules()
    return (frozenset(rules["event_nouns"]) | frozenset(k for k, v in rules["nouns"].items() if v.get("event"))
            | frozenset(rules.get("dated_nouns", ())))
