"""kg.nlp.extract's errors: a document on which kg's rules fail raises
ExtractionError naming it, from the rule's error, in this process and
across the worker processes' boundary; the build stops with it."""

from __future__ import annotations

import pickle

import pytest

from kg.errors import ExtractionError, KGError
from kg.records import SourceDoc

from conftest import SEEDS


@pytest.fixture(scope="module")
def unsentenced():
    """A spaCy pipeline that sets no sentence boundaries: kg's rules fail on
    every document it parses (reading the sentences raises ValueError)."""
    spacy = pytest.importorskip("spacy")
    return spacy.blank("en")


def _docs():
    return [SourceDoc(id=f"doc{i}", source=f"corpus/d{i}.txt", text=f"Kyiv said so on day {i}.") for i in range(3)]


def test_a_failing_rule_raises_extraction_error_naming_the_document(unsentenced):
    from kg.nlp.extract import extract

    with pytest.raises(ExtractionError) as caught:
        list(extract(_docs(), unsentenced))
    err = caught.value
    assert isinstance(err, KGError)
    assert err.message.startswith("corpus/d0.txt: extraction failed in characters 0-22: ValueError")
    assert isinstance(err.__cause__, ValueError)  # --verbose shows it
    assert err.hint


def test_extraction_error_survives_pickling(unsentenced):
    from kg.nlp.extract import extract

    with pytest.raises(ExtractionError) as caught:
        list(extract(_docs()[1:], unsentenced))
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is ExtractionError
    assert (back.message, back.hint, str(back)) == (caught.value.message, caught.value.hint, str(caught.value))
    assert "corpus/d1.txt" in str(back)


def test_extraction_error_crosses_from_a_worker_process(unsentenced):
    from kg.run.workers import extract_parallel

    with pytest.raises(ExtractionError, match=r"corpus/d0\.txt: extraction failed") as caught:
        list(extract_parallel(iter(_docs()), unsentenced, workers=2, batch=1))
    # the worker's traceback, with the rule's error, comes along as the cause
    assert "ValueError" in str(caught.value.__cause__)


def test_a_build_stops_with_the_document_that_broke_a_rule(tmp_path, monkeypatch, nlp):
    """As any error in extraction always did: nothing is written, and the
    command line says which document in one line (exit status 1)."""
    import kg.nlp.extract
    from kg.cli import main
    from kg.pipeline import build

    seed = sorted(SEEDS.glob("*.txt"))[0]
    real = kg.nlp.extract._records_of_chunk

    def breaks_on_seed(sdoc, offset, *args):
        if "Xi" in sdoc.text:
            raise IndexError("rule on fire")
        return real(sdoc, offset, *args)

    monkeypatch.setattr(kg.nlp.extract, "_records_of_chunk", breaks_on_seed)
    with pytest.raises(ExtractionError, match=f"{seed.name}: extraction failed .*IndexError: rule on fire"):
        build([seed], out=tmp_path / "out")
    assert not (tmp_path / "out" / "graph.ttl").exists()
    assert main(["build", str(seed), "--out", str(tmp_path / "cli"), "--quiet"]) == 1
