"""A faster ``attribute_ruler``: the same rules, found by lookup.

English pipelines map tags to coarse POS and morphology (and fix lemmas of
pronouns and auxiliaries) with spaCy's ``AttributeRuler``: 179 Matcher
patterns in ``en_core_web_sm``, each tried at every token. That costs about
a tenth of the whole pipeline, more than all of kg's rules. Nearly every
pattern is one token whose conditions are equalities (``TAG == "NN"``,
``LOWER in {"is", "'s"}``), which a dictionary answers at once.

:class:`IndexedAttributeRuler` keeps spaCy's class, patterns and
``set_annotations`` and replaces only ``match``: single-token patterns made
of equalities on string or flag attributes are looked up in per-attribute
indexes over ``Doc.to_array``; any other pattern (several tokens, operators,
regular expressions) still goes through a ``Matcher`` holding just those.
The matches, and so the annotations, are the same as spaCy's, in the same
order (tests compare every token's tag, POS, morphology and lemma).
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.attributeruler import AttributeRuler
from spacy.strings import get_string_id

__all__ = ["IndexedAttributeRuler", "index_attribute_ruler"]

#: Token attributes whose values are string hashes in ``Doc.to_array``.
_STRING_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "NORM": "NORM", "TAG": "TAG",
                 "DEP": "DEP", "LEMMA": "LEMMA", "SHAPE": "SHAPE", "PREFIX": "PREFIX", "SUFFIX": "SUFFIX"}
#: Attributes tried first as the index key: the most selective come first.
_KEY_ORDER = ("ORTH", "LOWER", "NORM", "LEMMA", "TAG", "DEP")


class IndexedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose fixed-length patterns are looked up."""

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled = None

    def clear(self) -> None:
        super().clear()
        self._compiled = None

    def match(self, doc):
        compiled = getattr(self, "_compiled", None)
        if compiled is None:
            compiled = self._compiled = _Compiled(self)
        return compiled.match(doc)


class _Compiled:
    """The patterns of one ruler as lookups (and a Matcher for the rest)."""

    def __init__(self, ruler: AttributeRuler):
        self.strings = ruler.vocab.strings
        self.columns: list[str] = []
        self.regex_cache: dict[tuple, bool] = {}
        anchored: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        self.unanchored: list[tuple] = []
        self.rest = Matcher(ruler.vocab, validate=False)
        self.rest_rules: dict[int, int] = {}
        for rule_id in range(len(ruler.attrs)):
            key = str(rule_id)
            match_id = self.strings.add(key)
            patterns = ruler.matcher.get(key)[1]
            compiled = [self._pattern(pattern) for pattern in patterns]
            if any(c is None for c in compiled):
                self.rest.add(key, patterns)
                self.rest_rules[match_id] = rule_id
                continue
            for length, anchor, checks in compiled:
                if anchor is None:
                    self.unanchored.append((rule_id, match_id, length, 0, checks))
                    continue
                offset, attr, allowed = anchor
                for value in allowed:
                    anchored[attr][value].append((rule_id, match_id, length, offset, checks))
        self.indexes = tuple((self._column(attr), dict(table)) for attr, table in sorted(anchored.items()))
        self.ids = [IDS[c] for c in self.columns]

    def _column(self, attr: str) -> int:
        if attr not in self.columns:
            self.columns.append(attr)
        return self.columns.index(attr)

    def _pattern(self, pattern: list[dict]):
        """``(length, anchor, checks)`` for a pattern of plain token
        conditions, or None (operators, extensions, other predicates)."""
        if not pattern:
            return None
        conditions = []
        for offset, spec in enumerate(pattern):
            if not spec:
                return None
            for attr, value in spec.items():
                if not isinstance(attr, str):
                    return None
                name = _STRING_ATTRS.get(attr.upper()) or attr.upper()
                flag = name.startswith(("IS_", "LIKE_"))
                if name not in IDS or not (flag or name in _STRING_ATTRS):
                    return None
                if isinstance(value, dict):
                    if len(value) != 1:
                        return None
                    (op, arg), = value.items()
                    if op == "REGEX":
                        if flag or not isinstance(arg, str):
                            return None
                        conditions.append((offset, name, "regex", re.compile(arg)))
                        continue
                    if op not in ("IN", "NOT_IN") or not isinstance(arg, (list, tuple)):
                        return None
                    if not all(isinstance(v, (str, int)) for v in arg):
                        return None
                    allowed = frozenset(get_string_id(v) for v in arg)
                    conditions.append((offset, name, "in" if op == "IN" else "not_in", allowed))
                elif isinstance(value, (str, int)):
                    if flag != isinstance(value, bool):
                        return None
                    conditions.append((offset, name, "in", frozenset([int(value) if flag else get_string_id(value)])))
                else:
                    return None
        # The anchor: an IN condition on the most selective attribute.
        ranked = sorted((c for c in conditions if c[2] == "in"),
                        key=lambda c: (_KEY_ORDER.index(c[1]) if c[1] in _KEY_ORDER else len(_KEY_ORDER), c[0]))
        anchor = None
        if ranked:
            anchor = (ranked[0][0], ranked[0][1], ranked[0][3])
            conditions.remove(ranked[0])
        checks = tuple((offset, self._column(name), kind, arg) for offset, name, kind, arg in conditions)
        return len(pattern), anchor, checks

    def _holds(self, rows, start: int, checks) -> bool:
        for offset, col, kind, arg in checks:
            value = rows[start + offset][col]
            if kind == "in":
                if value not in arg:
                    return False
            elif kind == "not_in":
                if value in arg:
                    return False
            else:
                key = (col, value, arg.pattern)
                hit = self.regex_cache.get(key)
                if hit is None:
                    hit = self.regex_cache[key] = bool(arg.search(self.strings[value]))
                if not hit:
                    return False
        return True

    def match(self, doc):
        """spaCy's ``AttributeRuler.match``: ``(rule, match id, start, end)``
        sorted, so later rules are applied last."""
        matches: set[tuple[int, int, int, int]] = set()
        n = len(doc)
        if n and self.ids:
            rows = doc.to_array(self.ids).reshape(n, len(self.ids)).tolist()
            holds = self._holds
            for i, row in enumerate(rows):
                for col, index in self.indexes:
                    entries = index.get(row[col])
                    if entries:
                        for rule_id, match_id, length, offset, checks in entries:
                            start = i - offset
                            if start >= 0 and start + length <= n and holds(rows, start, checks):
                                matches.add((rule_id, match_id, start, start + length))
                for rule_id, match_id, length, _, checks in self.unanchored:
                    if i + length <= n and holds(rows, i, checks):
                        matches.add((rule_id, match_id, i, i + length))
        if len(self.rest):
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                matches.add((self.rest_rules[match_id], match_id, start, end))
        return sorted(matches)


@Language.factory("kg_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool):
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language) -> None:
    """Swap every ``AttributeRuler`` in *nlp* for an indexed one with the
    same name, position and patterns."""
    for name, pipe in list(nlp.pipeline):
        if type(pipe) is AttributeRuler:
            patterns = pipe.patterns
            new = nlp.replace_pipe(name, "kg_attribute_ruler", config={"validate": pipe.validate})
            new.add_patterns(patterns)
