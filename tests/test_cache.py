"""The build folder's memory (kg/cache.py): records to JSON and back, the
cache's files, and what its fingerprint depends on."""

from __future__ import annotations

import json
from types import SimpleNamespace

from kg.cache import BuildCache, extraction_from_json, extraction_to_json, fingerprint, remove_leftovers
from kg.records import (DateMention, EventCandidate, Extraction, Mention, Quantity, Quotation, Relation, Sentence,
                        SourceDoc)

TEXT = "Ruto met Guterres in Nairobi on May 3, and pledged $5 million."
DOC = SourceDoc(id="d1", text=TEXT, source="a.txt", title="Talks", date="2024-05-03", language="en",
                credits=(("editor", "Jane Roe"),), keywords=("trade", "aid"))
MAY_3 = DateMention("d1", 32, 37, "May 3", 0)
EXTRACTION = Extraction(
    doc=DOC,
    sentences=(Sentence("d1", 0, len(TEXT), TEXT),),
    mentions=(Mention("d1", 0, 4, "Ruto", "Ruto", "Person", "Ruto", 0, "ner"),
              Mention("d1", 9, 17, "Guterres", "Guterres", "Person", "Guterres", 0, "ner", title="Secretary-General"),
              Mention("d1", 21, 28, "Nairobi", "Nairobi", "Place", "Nairobi", 0, "gazetteer", "places:184745")),
    relations=(Relation("d1", 0, (0, 4), "metWith", (9, 17), "met", "meet-verb"),),
    events=(EventCandidate("d1", 0, "Meeting", "met", 5, "Ruto met Guterres", "meet-verb", agents=((0, 4),),
                           targets=((9, 17),), places=((21, 28),), roles=(((9, 17), "guest"),), dates=(MAY_3,),
                           quantities=(Quantity("5000000", "dollars", "$5 million", currency="USD"),), tense="past"),),
    quotations=(Quotation("d1", 0, 4, "Ruto", 0, None, "q"),),
    dates=(MAY_3,),
    paragraphs=(0,),
)


def test_an_extraction_comes_back_from_json_as_it_went_in():
    data = extraction_to_json(EXTRACTION)
    assert extraction_from_json(data) == EXTRACTION
    assert extraction_to_json(extraction_from_json(data)) == data  # canonical: sorted keys, no spaces
    assert json.loads(data)["doc"]["credits"] == [["editor", "Jane Roe"]]


def test_the_cache_keeps_documents_and_extractions_per_configuration(tmp_path):
    cache = BuildCache(tmp_path, "f1")
    assert cache.doc_ids() == [] and cache.load_extraction("d1") is None
    cache.save_doc(DOC)
    cache.save_extraction(EXTRACTION)
    assert cache.doc_ids() == ["d1"]
    assert cache.load_doc("d1") == DOC
    assert cache.load_extraction("d1") == EXTRACTION
    assert (tmp_path / ".kg" / "extractions" / "f1" / "d1.json").is_file()
    assert BuildCache(tmp_path, "f2").load_extraction("d1") is None  # another configuration extracts anew


def test_a_saved_document_is_not_rewritten(tmp_path):
    cache = BuildCache(tmp_path, "f1")
    cache.save_doc(DOC)
    path = tmp_path / ".kg" / "docs" / "d1.json"
    path.write_text(path.read_text("utf-8").replace("Talks", "Changed"), "utf-8")
    cache.save_doc(DOC)
    assert cache.load_doc("d1").title == "Changed"


def test_a_damaged_extraction_is_extracted_again(tmp_path):
    cache = BuildCache(tmp_path, "f1")
    cache.save_extraction(EXTRACTION)
    path = tmp_path / ".kg" / "extractions" / "f1" / "d1.json"
    good = json.loads(path.read_bytes())
    for damaged in (b"{not json", b'{"doc": {}}', json.dumps({**good, "sentences": [{}]}).encode()):
        path.write_bytes(damaged)
        assert cache.load_extraction("d1") is None


def test_clear_forgets_the_cache_only_and_leftovers_go(tmp_path):
    cache = BuildCache(tmp_path, "f1")
    cache.save_doc(DOC)
    cache.save_extraction(EXTRACTION)
    lock = tmp_path / ".kg" / "lock"
    lock.write_text("123\n")
    leftovers = [tmp_path / ".kg" / "docs" / ".d2.json.x1.tmp",
                 tmp_path / ".kg" / "extractions" / "f1" / ".d2.json.x2.tmp"]
    for path in leftovers:
        path.write_bytes(b"{")
    remove_leftovers(tmp_path)
    assert not any(path.exists() for path in leftovers)
    assert cache.doc_ids() == ["d1"] and cache.load_extraction("d1") == EXTRACTION
    cache.clear()
    assert cache.doc_ids() == [] and cache.load_extraction("d1") is None
    assert lock.read_text() == "123\n"


def _pipeline(version="3.8.0", pipes=("tok2vec", "ner")):
    return SimpleNamespace(meta={"lang": "en", "name": "core_web_sm", "version": version}, pipe_names=list(pipes))


def test_the_fingerprint_follows_the_pipeline_and_the_gazetteers(tmp_path):
    gazetteer = tmp_path / "extra.csv"
    gazetteer.write_text("name,type\nFoo,Person\n", "utf-8")
    base = fingerprint(_pipeline(), (str(gazetteer),))
    assert len(base) == 16 and base == fingerprint(_pipeline(), (str(gazetteer),))
    assert fingerprint(_pipeline("3.8.1"), (str(gazetteer),)) != base
    assert fingerprint(_pipeline(pipes=("ner",)), (str(gazetteer),)) != base
    assert fingerprint(_pipeline()) != base
    gazetteer.write_text("name,type\nBar,Person\n", "utf-8")
    assert fingerprint(_pipeline(), (str(gazetteer),)) != base
