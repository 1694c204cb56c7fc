"""Shared fixtures: the spaCy pipeline is loaded once, the seeds' graph is
built once, per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory, nlp):
    """The build of seeds/ (written to a temporary folder)."""
    from kg.builder import build

    out = tmp_path_factory.mktemp("seeds-out")
    result = build([SEEDS], out=out)
    return result


@pytest.fixture(scope="session")
def seeds_graph(seeds_out):
    return seeds_out.graph


@pytest.fixture(scope="session")
def build_texts(nlp):
    """Build an in-memory graph from short texts (sharing the pipeline)."""
    from kg.builder import build_graph_from_texts

    return build_graph_from_texts
