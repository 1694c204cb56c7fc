"""The title phrases of ``kg/data/titles.txt`` ("Prime Minister", "Secretary-General"), read once:
used by the gazetteer (a name that starts with a title) and by extraction (titles beside names)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["titles", "titles_by_first", "titles_by_last"]


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
