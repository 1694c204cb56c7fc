"""Rule data shared by the spaCy components: titles, name heads, common words.

Everything here is read from data files in ``kg/data``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["titles", "name_rules"]


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
def name_rules() -> dict:
    """The head-word rules of ``name_patterns.json``."""
    return json.loads(resources.files("kg.data").joinpath("name_patterns.json").read_text("utf-8"))
