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
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-out")
    result = build([SEEDS], out=out)
    return result


@pytest.fixture(scope="session")
def seeds_graph(seeds_out):
    return seeds_out.graph


@pytest.fixture(scope="session")
def build_texts(nlp):
    """Build an in-memory graph from short texts (sharing the pipeline)."""
    from kg.pipeline import build_graph_from_texts

    return build_graph_from_texts


#: Fixtures that load the spaCy pipeline: a test that uses one (directly or
#: through another fixture) is slow.
PIPELINE_FIXTURES = frozenset({"nlp", "seeds_out", "seeds_graph", "build_texts"})


def pytest_collection_modifyitems(config, items):
    """Mark slow every test that needs the spaCy pipeline (``make test-fast``
    leaves them out); tests that are slow for other reasons (an external
    program, a large build) carry ``@pytest.mark.slow`` themselves."""
    for item in items:
        if PIPELINE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
