"""Incremental builds and the extraction cache (kg/cache.py)."""

import shutil

import pytest

from kg.pipeline import build
from kg.cache import extraction_from_json, extraction_to_json

from conftest import SEEDS

pytestmark = pytest.mark.slow  # every test builds with the spaCy pipeline

SEED_A = SEEDS / "000_d337aa177af2950f.txt"
SEED_B = SEEDS / "002_e922982b9c136365.txt"


def test_extraction_json_round_trips(seeds_out):
    for ex in seeds_out.extractions:
        assert extraction_from_json(extraction_to_json(ex)) == ex


def test_building_a_then_b_equals_building_both(tmp_path, seeds_out):
    inc = tmp_path / "inc"
    first = build([SEED_A], out=inc, html=False)
    assert len(first.extractions) == 1
    second = build([SEED_B], out=inc, html=False)
    assert len(second.extractions) == 2 and second.reused == 1
    both = build([SEED_A, SEED_B], out=tmp_path / "both", html=False)
    assert (inc / "graph.ttl").read_bytes() == (tmp_path / "both" / "graph.ttl").read_bytes()


def test_adding_the_same_document_again_changes_nothing(tmp_path):
    out = tmp_path / "out"
    build([SEED_B], out=out, html=False)
    before = (out / "graph.ttl").read_bytes()
    again = build([SEED_B], out=out, html=False)
    assert again.reused == 1
    assert (out / "graph.ttl").read_bytes() == before


def test_fresh_starts_over(tmp_path):
    out = tmp_path / "out"
    build([SEED_A], out=out, html=False)
    result = build([SEED_B], out=out, html=False, fresh=True)
    assert len(result.extractions) == 1 and result.reused == 0


def test_a_damaged_cache_entry_is_extracted_again(tmp_path):
    out = tmp_path / "out"
    build([SEED_B], out=out, html=False)
    before = (out / "graph.ttl").read_bytes()
    for path in (out / ".kg" / "extractions").rglob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    result = build([SEED_B], out=out, html=False)
    assert result.reused == 0
    assert (out / "graph.ttl").read_bytes() == before
