"""Same input, same output: whatever the file order or the number of worker
processes, local or on a dask.distributed cluster."""

import pytest

from kg.pipeline import build

from conftest import SEEDS

SEED_A = SEEDS / "000_d337aa177af2950f.txt"
SEED_B = SEEDS / "002_e922982b9c136365.txt"


@pytest.fixture(scope="module")
def reference(tmp_path_factory, nlp):
    out = tmp_path_factory.mktemp("ref")
    build([SEED_A, SEED_B], out=out, html=False)
    return (out / "graph.ttl").read_bytes()


def test_file_order_does_not_matter(tmp_path, reference):
    build([SEED_B, SEED_A], out=tmp_path, html=False)
    assert (tmp_path / "graph.ttl").read_bytes() == reference


def test_two_worker_processes_give_the_same_bytes(tmp_path, reference):
    build([SEED_A, SEED_B], out=tmp_path, html=False, workers=2)
    assert (tmp_path / "graph.ttl").read_bytes() == reference


def test_dask_local_cluster_gives_the_same_bytes(tmp_path, reference):
    pytest.importorskip("dask.distributed")
    result = build([SEED_A, SEED_B], out=tmp_path, html=False, dask="local:2")
    assert len(result.extractions) == 2
    assert (tmp_path / "graph.ttl").read_bytes() == reference


def test_two_worker_processes_make_the_same_page(tmp_path, seeds_out):
    """With workers the page process starts when the NLP ends (not before the fork)."""
    build([SEED_A, SEED_B], out=tmp_path, workers=2)
    assert (tmp_path / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    assert not (tmp_path / ".kg" / "graph.nt").exists()
    assert not (seeds_out.outputs["html"].parent / ".kg" / "graph.nt").exists()

