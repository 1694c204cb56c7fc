"""Same input, same output: whatever the file order or the number of worker
processes, local or on a dask.distributed cluster."""

import platform
import subprocess
import sys

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


_HEAP_PROBE = """
import ctypes, sys
from kg.run.workers import keep_freed_heap

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, (ctypes.c_size_t,)
libc.free.argtypes = (ctypes.c_void_p,)
if sys.argv[1] == "keep":
    assert keep_freed_heap(256 << 20)
rss()  # the reads' own buffers are allocated now, not on top of the blocks (which would pin the heap's top)
blocks = [libc.malloc(64 << 10) for _ in range(1600)]  # 100 MB of heap, below the mmap threshold
for b in blocks:
    ctypes.memset(b, 1, 64 << 10)
high = rss()
for b in reversed(blocks):
    libc.free(b)
print(high - rss())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_workers_keep_freed_heap_for_the_next_batch():
    """What the worker processes' initializer does: freed heap is kept for
    reuse, not returned to the system (and faulted back in) after each batch."""
    def given_back(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", _HEAP_PROBE, mode], capture_output=True, text=True, check=True)
        return int(run.stdout)

    assert given_back("default") > 80 << 20  # glibc's default: the 100 MB go back
    assert given_back("keep") < 8 << 20


def test_parallel_extraction_keeps_document_order(nlp):
    """Batches, then the held-back last documents one by one: the
    extractions come back in the documents' order, equal to one process's."""
    from kg.nlp.extract import extract
    from kg.run.workers import extract_parallel
    from kg.ingest import make_doc, read_document

    paragraphs = [p for path in sorted(SEEDS.glob("*.txt")) for p in read_document(path).text.split("\n\n")
                  if len(p.split()) >= 12]
    docs = [make_doc(f"Dispatch {i}.\n\n" + paragraphs[i % len(paragraphs)], source=f"d{i}.txt") for i in range(23)]
    serial = list(extract(docs, nlp))
    parallel = list(extract_parallel(iter(docs), nlp, workers=2, batch=3))
    assert [ex.doc.id for ex in parallel] == [doc.id for doc in docs]
    assert parallel == serial
