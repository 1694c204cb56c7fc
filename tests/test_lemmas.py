"""The remembering lemmatizer gives exactly spaCy's lemmas."""

from pathlib import Path

import pytest
from spacy.attrs import LEMMA

from kg.nlp.lemmas import CachedLemmas, cache_lemmatizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

TRICKY = ("The ministers were meeting; she'd met them. Better days, the best of times, geese and mice. "
          "He is being asked, they've been asking, and we ask. Data were analysed and children ran.")


def _without_lemmas(nlp, texts):
    return list(nlp.pipe(texts, disable=["lemmatizer"]))


def test_kg_pipeline_remembers_lemmas(nlp):
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmas)


def test_same_lemmas_as_spacy(nlp):
    from kg.nlp.pipeline import load_base_model

    stock = load_base_model().get_pipe("lemmatizer")
    assert not isinstance(stock, CachedLemmas)
    ours = nlp.get_pipe("lemmatizer")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [TRICKY]
    for doc in _without_lemmas(nlp, texts):
        for _ in range(2):  # the second pass answers from memory
            a, b = doc.copy(), doc.copy()
            stock(a)
            ours(b)
            assert (a.to_array([LEMMA]) == b.to_array([LEMMA])).all()
            assert [t.lemma_ for t in a] == [t.lemma_ for t in b]


def test_each_word_form_is_worked_out_once(nlp, monkeypatch):
    ours = nlp.get_pipe("lemmatizer")
    doc = _without_lemmas(nlp, ["Ministers met ministers, and the ministers met again."])[0]
    calls = []
    real = ours.lemmatize  # set per instance by spaCy, from the mode
    monkeypatch.setattr(ours, "lemmatize", lambda token: calls.append(token.text) or real(token))
    monkeypatch.setitem(ours.__dict__, "_kg_lemmas", {})
    first = ours(doc.copy())
    assert calls.count("met") == 1 and calls.count("ministers") == 1
    second = ours(doc.copy())
    assert calls.count("met") == 1  # remembered
    assert [t.lemma_ for t in first] == [t.lemma_ for t in second]
    assert [t.lemma_ for t in first][:3] == ["minister", "meet", "minister"]


def test_cache_lemmatizer_is_idempotent():
    from kg.nlp.pipeline import load_base_model

    nlp = load_base_model()
    cache_lemmatizer(nlp)
    cls = type(nlp.get_pipe("lemmatizer"))
    cache_lemmatizer(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is cls and issubclass(cls, CachedLemmas)
    assert nlp.pipe_names.index("lemmatizer") == len(nlp.pipe_names) - 2  # same place, before the NER


def test_empty_doc(nlp):
    assert len(nlp("")) == 0
