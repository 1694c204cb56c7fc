"""A corpus file of 100,000 records builds, streamed: no extraction stays in
memory, every record becomes a document of the graph.

The peak memory of such a build is measured by the benchmark
(``python bench/run.py --jsonl 100000``), not here. To keep the test to a
few minutes the records go through a blank English spaCy pipeline (the
tokenizer, a sentencizer and kg's own gazetteer rules) instead of the
statistical model: what is tested is kg's streaming, not the parser.
"""

import json

import pytest

from kg.pipeline import build

N_RECORDS = 100_000

LEADERS = ["Emmanuel Macron", "Olaf Scholz", "Narendra Modi", "Luiz Inácio Lula da Silva", "Cyril Ramaphosa",
           "William Ruto", "Fumio Kishida", "Joe Biden", "Xi Jinping", "Recep Tayyip Erdoğan"]
COUNTRIES = ["Kenya", "Brazil", "India", "Japan", "Germany", "France", "South Africa", "Indonesia", "Egypt", "Chile"]


@pytest.fixture(scope="module")
def blank_pipeline(tmp_path_factory):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    path = tmp_path_factory.mktemp("blank") / "pipeline"
    nlp.to_disk(path)
    return str(path)


@pytest.mark.slow
def test_a_100000_record_jsonl_file_builds(tmp_path, blank_pipeline):
    corpus = tmp_path / "archive.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for i in range(N_RECORDS):
            leader, country = LEADERS[i % len(LEADERS)], COUNTRIES[(i // len(LEADERS)) % len(COUNTRIES)]
            text = (f"Dispatch {i}. {leader} visited {country} on Tuesday for talks on trade and energy. "
                    f"The two sides signed {i % 7 + 2} agreements, and the visit ended with a joint statement "
                    f"on the United Nations and the climate.")
            fh.write(json.dumps({"id": f"r{i}", "date": f"2023-{i % 12 + 1:02d}-15", "source": "Archive Wire",
                                 "text": text}) + "\n")
    out = tmp_path / "out"
    result = build([corpus], out=out, model=blank_pipeline, html=False)
    assert result.skipped == []
    assert len(result.extractions) == N_RECORDS
    # streamed: nothing of the documents was held, every pass read them back from the build cache
    assert result.extractions.spilled and not result.extractions.held
    [(articles,)] = result.graph.query(
        "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://schema.org/NewsArticle> }")
    assert int(articles) == N_RECORDS
    counts = result.counts()
    assert counts["Country"] >= len(COUNTRIES) and counts["Organization"] >= 1
    kenya = result.graph.query("""
        PREFIX kgo: <https://w3id.org/kg/ontology#>
        SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?k rdfs:label "Kenya" ; kgo:mentionedIn ?d }""")
    assert int(next(iter(kenya))[0]) == N_RECORDS // len(COUNTRIES)
    assert (out / "graph.ttl").stat().st_size > 10_000_000
