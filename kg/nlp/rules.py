"""Rule data shared by the spaCy components: titles (from :mod:`kg.titlewords`), name heads, relations.

Everything here is read from data files in ``kg/data``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..titlewords import titles, titles_by_first, titles_by_last

__all__ = ["titles", "titles_by_first", "titles_by_last", "name_rules", "relation_rules", "event_noun_words"]


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
