"""A faster rule lemmatizer: spaCy's, with every answer remembered.

spaCy's rule ``Lemmatizer`` caches a lemma by (word, POS, morphology), but
not when the word is already a base form (a singular noun, an infinitive, a
positive adjective: most words of news text), so it works those out again at
every token, reading the morphology into a dictionary each time. That costs
about a twentieth of the pipeline. The lemma depends only on the word, its
POS and its morphology (and the fixed tables), so :func:`cache_lemmatizer`
gives the model's lemmatizer a ``__call__`` that looks each such key up once
and remembers the answer, whatever path found it. The lemmas are the same as
spaCy's (tests compare every token of the seeds).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer

__all__ = ["CachedLemmas", "cache_lemmatizer"]


class CachedLemmas:
    """Mixed in before a ``Lemmatizer`` class: remembers every lemma."""

    def __call__(self, doc):
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            if not len(doc):
                return doc
            lemmas = self.__dict__.setdefault("_kg_lemmas", {})
            strings = doc.vocab.strings
            overwrite = self.overwrite
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            out = rows[:, 3:4].copy()
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if overwrite or lemma == 0:
                    key = (orth, pos, morph)
                    found = lemmas.get(key)
                    if found is None:
                        found = lemmas[key] = strings.add(self.lemmatize(doc[i])[0])
                    out[i, 0] = found
            doc.from_array([LEMMA], out)
            return doc
        except Exception as e:  # as spaCy's own __call__ does
            error_handler(self.name, self, [doc], e)


@lru_cache(maxsize=None)
def _cached_class(cls: type) -> type:
    return type(f"Cached{cls.__name__}", (CachedLemmas, cls), {"__module__": __name__})


def cache_lemmatizer(nlp: Language) -> None:
    """Make every rule or lookup ``Lemmatizer`` in *nlp* remember its lemmas
    (same component, tables, name and position)."""
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, Lemmatizer) and not isinstance(pipe, CachedLemmas) and pipe.mode in ("rule", "lookup"):
            pipe.__class__ = _cached_class(type(pipe))
