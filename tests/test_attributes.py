"""The indexed attribute ruler gives exactly spaCy's matches and annotations."""

from pathlib import Path

import pytest
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline.attributeruler import AttributeRuler

from kg.nlp.attributes import IndexedAttributeRuler, index_attribute_ruler

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: Exercises the model's multi-token, regex and NOT_IN rules as well.
TRICKY = (
    "Y'all gon na see it, she said. I ai n't sure, and we got ta go. Let 's wait. "
    "There is nothin' here, but there are talks. C'm on! That was the one that he "
    "had been being asked about. Those who would 've come did n't.\n\n  Which is it?"
)


@pytest.fixture(scope="module")
def rulers(nlp):
    stock = AttributeRuler(nlp.vocab, "stock")
    stock.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    indexed = IndexedAttributeRuler(nlp.vocab, "indexed")
    indexed.add_patterns(stock.patterns)
    return stock, indexed


def _parsed(nlp, texts):
    keep = [name for name in ("tok2vec", "tagger", "kg_paragraphs", "parser") if name in nlp.pipe_names]
    return list(nlp.pipe(texts, disable=[n for n in nlp.pipe_names if n not in keep]))


def test_kg_pipeline_uses_the_indexed_ruler(nlp):
    assert type(nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert nlp.pipe_names.index("attribute_ruler") > nlp.pipe_names.index("parser")


def test_most_patterns_are_indexed(rulers):
    stock, indexed = rulers
    indexed.match(_doc_of(indexed, "A test."))
    compiled = indexed._compiled
    assert len(stock.patterns) > 100
    assert len(compiled.rest) == 0  # every pattern of en_core_web_sm is a fixed-length one
    assert compiled.unanchored  # the regex-only rule ("nothin'")


def _doc_of(ruler, text):
    from spacy.tokens import Doc

    return Doc(ruler.vocab, words=text.split())


def test_same_matches_and_annotations_as_spacy(nlp, rulers):
    stock, indexed = rulers
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [TRICKY]
    attrs = [TAG, POS, MORPH, LEMMA, DEP]
    matched = set()
    for doc in _parsed(nlp, texts):
        expected = stock.match(doc)
        assert indexed.match(doc) == expected
        matched.update(rule for rule, *_ in expected)
        a, b = doc.copy(), doc.copy()
        stock(a)
        indexed(b)
        assert (a.to_array(attrs) == b.to_array(attrs)).all()
    # The multi-token and regex rules were really exercised.
    multi = {i for i, p in enumerate(stock.patterns) if any(len(q) > 1 for q in p["patterns"])}
    regex = {i for i, p in enumerate(stock.patterns) if "REGEX" in str(p["patterns"])}
    assert matched & multi and matched & regex


def test_unparsed_doc_and_other_patterns(nlp):
    # Patterns outside the indexed form (operators) still go through a Matcher.
    ruler = IndexedAttributeRuler(nlp.vocab, "custom")
    stock = AttributeRuler(nlp.vocab, "custom-stock")
    patterns = [
        {"patterns": [[{"LOWER": "new"}, {"IS_TITLE": True, "OP": "+"}]], "attrs": {"LEMMA": "NEW"}},
        {"patterns": [[{"ORTH": "York"}]], "attrs": {"LEMMA": "york"}},
        {"patterns": [[{"TEXT": {"IN": ["Delhi", "Jersey"]}}], [{"LOWER": "new"}]], "attrs": {"LEMMA": "X"}, "index": 0},
        {"patterns": [[{"IS_DIGIT": True}, {"LOWER": {"NOT_IN": ["years"]}}]], "attrs": {"LEMMA": "num"}, "index": -1},
    ]
    ruler.add_patterns(patterns)
    stock.add_patterns(patterns)
    for text in ["New York and New Delhi", "in 2 years and 3 days", "new Jersey 5"]:
        doc = _doc_of(ruler, text)
        assert ruler.match(doc) == stock.match(doc)
        a, b = doc.copy(), doc.copy()
        stock(a)
        ruler(b)
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    assert len(ruler._compiled.rest) == 1  # only the "+" pattern


def test_index_attribute_ruler_keeps_name_position_and_patterns():
    from kg.nlp.pipeline import load_base_model

    base = load_base_model()
    names, patterns = base.pipe_names, base.get_pipe("attribute_ruler").patterns
    index_attribute_ruler(base)
    assert base.pipe_names == names
    assert type(base.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert base.get_pipe("attribute_ruler").patterns == patterns
