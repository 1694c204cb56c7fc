"""kg.run, the engine room: the worker pool, the heap setting of its
workers, the rule for when the page process starts, the corpus spill and
the streamed N-Triples. Most of these run without spaCy: the stages are
replaced by fakes, the machinery around them is real."""

from __future__ import annotations

import io
import os
import platform
import subprocess
import sys
from types import SimpleNamespace

import pytest

import kg.run.pageproc as pageproc
import kg.run.spill as spill
import kg.run.workers as workers
from kg.records import SourceDoc

from conftest import SEEDS


def _doc(i: int) -> SourceDoc:
    return SourceDoc(id=f"doc{i:03d}", source=f"d{i}.txt", text=f"Text {i}.")


def _fake_extract(docs, nlp):
    """What a worker's extraction returns, made without spaCy: the
    document's id and the process that extracted it."""
    for doc in docs:
        yield doc.id, os.getpid()


# --------------------------------------------------------------------------- worker processes


def test_worker_pool_keeps_document_order(monkeypatch):
    """Batches, then the held-back last documents one by one: the results
    come back in the documents' order, from worker processes."""
    monkeypatch.setattr(workers, "extract", _fake_extract)
    docs = [_doc(i) for i in range(23)]
    got = list(workers.extract_parallel(iter(docs), nlp=None, workers=2, batch=3))
    assert [doc_id for doc_id, _ in got] == [doc.id for doc in docs]
    pids = {pid for _, pid in got}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_worker_pool_of_no_documents_gives_nothing(monkeypatch):
    monkeypatch.setattr(workers, "extract", _fake_extract)
    assert list(workers.extract_parallel(iter([]), nlp=None, workers=2)) == []


def test_workers_save_each_extraction_themselves(monkeypatch, tmp_path):
    """*save* runs in the worker that made the extraction (the build cache is
    written there, not in the parent)."""
    monkeypatch.setattr(workers, "extract", _fake_extract)

    def save(found):
        doc_id, pid = found
        (tmp_path / doc_id).write_text(f"{pid} {os.getpid()}")

    got = list(workers.extract_parallel(iter([_doc(i) for i in range(7)]), nlp=None, workers=2, batch=2, save=save))
    saved = {p.name: p.read_text().split() for p in tmp_path.iterdir()}
    assert sorted(saved) == [doc_id for doc_id, _ in got]
    assert all(made == saving == str(pid) for (doc_id, pid), (made, saving) in zip(got, (saved[d] for d, _ in got)))


def test_each_worker_sets_its_heap_as_it_starts(monkeypatch, tmp_path):
    """The pool's initializer calls keep_freed_heap once in every worker
    process before its first batch (and not in the parent, which has the
    model to load). A worker that got no batch may be ended before its
    initializer has run: only those that extracted are counted on."""
    monkeypatch.setattr(workers, "extract", _fake_extract)

    def heap_set(nbytes=workers.WORKER_TRIM_BYTES):
        (tmp_path / f"{os.getpid()}-{nbytes}").touch()
        return True

    monkeypatch.setattr(workers, "keep_freed_heap", heap_set)
    got = list(workers.extract_parallel(iter([_doc(i) for i in range(12)]), nlp=None, workers=2, batch=2))
    calls = [name.split("-") for name in sorted(p.name for p in tmp_path.iterdir())]
    assert 1 <= len(calls) <= 2 and all(nbytes == str(workers.WORKER_TRIM_BYTES) for _, nbytes in calls)
    assert len({pid for pid, _ in calls}) == len(calls)  # once a worker
    assert {str(pid) for _, pid in got} <= {pid for pid, _ in calls}
    assert str(os.getpid()) not in {pid for pid, _ in calls}


def test_a_worker_error_reaches_the_build(monkeypatch):
    def broken(docs, nlp):
        raise ValueError("rule on fire")

    monkeypatch.setattr(workers, "extract", broken)
    with pytest.raises(ValueError, match="rule on fire"):
        list(workers.extract_parallel(iter([_doc(i) for i in range(3)]), nlp=None, workers=2, batch=1))


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


def test_parallel_extraction_is_one_process_extraction(nlp):
    """With the real pipeline: the workers' extractions equal one process's,
    in the documents' order."""
    from kg.ingest import make_doc, read_document
    from kg.nlp.extract import extract

    paragraphs = [p for path in sorted(SEEDS.glob("*.txt")) for p in read_document(path).text.split("\n\n")
                  if len(p.split()) >= 12]
    docs = [make_doc(f"Dispatch {i}.\n\n" + paragraphs[i % len(paragraphs)], source=f"d{i}.txt") for i in range(23)]
    serial = list(extract(docs, nlp))
    parallel = list(workers.extract_parallel(iter(docs), nlp, workers=2, batch=3))
    assert [ex.doc.id for ex in parallel] == [doc.id for doc in docs]
    assert parallel == serial


# --------------------------------------------------------------------------- when the page process starts


class _FakePage:
    """Stands for PageProcess: counts the processes spawned."""

    spawned: list = []

    @classmethod
    def spawn(cls):
        page = cls()
        cls.spawned.append(page)
        return page


@pytest.fixture
def spawned(monkeypatch):
    monkeypatch.setattr(_FakePage, "spawned", [])
    monkeypatch.setattr(pageproc, "PageProcess", _FakePage)
    return _FakePage.spawned


@pytest.fixture
def model_loaded(monkeypatch):
    """Sets whether the spaCy pipeline counts as loaded in this process."""
    import kg.nlp.pipeline

    def set_loaded(loaded: bool) -> None:
        monkeypatch.setattr(kg.nlp.pipeline, "pipeline_loaded", lambda name=None, gazetteers=(): loaded)

    return set_loaded


@pytest.mark.parametrize("wanted, workers_, dask, loaded, starts", [
    (True, 1, None, False, True),  # the model is to be loaded: a core is idle meanwhile
    (True, 1, None, True, True),  # spaCy in this process leaves the second core mostly idle
    (True, 2, None, False, True),  # the model is loaded before the workers are forked
    (True, 2, None, True, False),  # the workers keep every core busy from the start
    (True, 1, "local:2", False, False),  # the cluster's processes do
    (False, 1, None, False, False),  # no page to make (no output folder, or no html)
])
def test_page_process_starts_before_the_nlp_when_a_core_is_idle(spawned, model_loaded, wanted, workers_, dask,
                                                                 loaded, starts):
    model_loaded(loaded)
    page = pageproc.start_before_nlp(wanted, workers=workers_, dask=dask, model=None, gazetteers=())
    assert (page is not None) == starts
    assert spawned == ([page] if starts else [])


def test_page_process_starts_after_the_nlp_for_a_large_corpus(spawned, monkeypatch):
    monkeypatch.setattr(pageproc, "PARALLEL_PAGE_DOCS", 3)
    assert pageproc.start_after_nlp(None, True, 2) is None  # small: the page is made in-process
    assert pageproc.start_after_nlp(None, False, 300) is None  # no page wanted
    assert spawned == []
    page = pageproc.start_after_nlp(None, True, 3)
    assert spawned == [page] and page is not None
    # one started before the NLP is kept; no second one
    assert pageproc.start_after_nlp(page, True, 300) is page
    assert len(spawned) == 1


# --------------------------------------------------------------------------- the corpus spill


class _Cache:
    """A build cache that counts the extractions read back."""

    def __init__(self) -> None:
        self.stored: dict = {}
        self.loads = 0

    def load_extraction(self, doc_id):
        self.loads += 1
        return self.stored[doc_id]


def _extraction(doc_id: str, mentions: int = 1):
    return SimpleNamespace(doc=SimpleNamespace(id=doc_id), mentions=[None] * mentions, relations=[None],
                           quotations=())


def test_corpus_is_held_in_memory_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(spill, "KEEP_GRAPH_DOCS", 3)
    cache = _Cache()
    corpus = spill.Corpus(cache)
    for doc_id in ("c", "a", "b"):
        corpus.add(_extraction(doc_id))
    corpus.seal()
    assert not corpus.spilled and sorted(corpus.held) == ["a", "b", "c"]
    assert [ex.doc.id for ex in corpus] == ["a", "b", "c"] and cache.loads == 0


def test_corpus_past_the_limit_is_read_back_from_the_cache(monkeypatch):
    monkeypatch.setattr(spill, "KEEP_GRAPH_DOCS", 2)
    cache = _Cache()
    corpus = spill.Corpus(cache)
    found = [_extraction(doc_id, mentions=2) for doc_id in ("d", "b", "a", "c")]
    for ex in found:
        cache.stored[ex.doc.id] = ex
        corpus.add(ex, reused=ex.doc.id == "a")
    assert corpus.seal() is corpus
    assert corpus.spilled and corpus.held == {}  # nothing kept in memory
    assert len(corpus) == 4 and [ex.doc.id for ex in corpus] == ["a", "b", "c", "d"]
    assert cache.loads == 4
    assert [ex.doc.id for ex in corpus] == ["a", "b", "c", "d"]  # every pass reads them again
    assert cache.loads == 8
    assert [ex.doc.id for ex in corpus[1:3]] == ["b", "c"] and corpus[-1].doc.id == "d"
    assert corpus.reused == 1 and corpus.stats == {"mentions": 8, "relations": 4, "quotations": 0}


def test_corpus_without_a_cache_is_always_held(monkeypatch):
    monkeypatch.setattr(spill, "KEEP_GRAPH_DOCS", 1)
    corpus = spill.Corpus(None)
    for doc_id in ("b", "a", "c"):
        corpus.add(_extraction(doc_id))
    assert not corpus.seal().spilled
    assert [ex.doc.id for ex in corpus] == ["a", "b", "c"]


# --------------------------------------------------------------------------- the streamed outputs


def test_streamed_ntriples_are_rdflibs_bytes():
    """The sink writes each triple as rdflib's N-Triples serializer does,
    line for line: literals with line breaks, quotes, languages, datatypes
    and non-ASCII text, long and short, and IRIs written again from its memo."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS, XSD

    from kg.export import NTriplesSink

    ex = "http://example.org/"
    graph = Graph()
    objects = [Literal("a\nb"), Literal('say "no"'), Literal("back\\slash\r"), Literal("Kyiv", lang="uk"),
               Literal(3), Literal("2024-02-24", datatype=XSD.date), Literal("Zürich " * 20), Literal("ß"),
               URIRef(ex + "o")]
    for i, o in enumerate(objects):
        for s in (URIRef(ex + "s"), URIRef(ex + f"s{i}")):
            graph.add((s, RDFS.label if isinstance(o, Literal) else URIRef(ex + "p"), o))
    fh = io.BytesIO()
    sink = NTriplesSink(fh)
    for triple in graph:
        sink.add(triple)
    ours = fh.getvalue().decode("utf-8").splitlines()
    theirs = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    assert sorted(ours) == sorted(line for line in theirs if line)
    assert len(ours) == len(graph)


def test_merge_log_keeps_one_row_a_merge():
    from kg.run.writer import merge_tsv

    merges = [SimpleNamespace(entity="e1", name="Kyiv\tcity", reason="alias\nof", doc_id=None)]
    assert merge_tsv(merges) == b"entity\tname\treason\tdocument\ne1\tKyiv city\talias of\t\n"
    assert merge_tsv([]) == b"entity\tname\treason\tdocument\n"


# --------------------------------------------------------------------------- the layering


_STAGES = ["ingest.py", "ingest/*.py", "corpus.py", "nlp/*.py", "resolve.py", "events.py", "graph.py", "export.py",
           "viz/*.py"]


def _imported(path, root):
    """The absolute names of the modules *path* (a module of the package
    at *root*) imports, at its top or inside functions."""
    import ast

    package = ["kg", *path.relative_to(root).parent.parts]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_stage_modules_never_import_the_engine_room():
    from pathlib import Path

    import kg

    root = Path(kg.__file__).parent
    stages = sorted({p for pattern in _STAGES for p in root.glob(pattern)})
    assert len(stages) > 10
    wrong = {f"{p.relative_to(root)}: {name}" for p in stages for name in _imported(p, root)
             if name == "kg.run" or name.startswith("kg.run.")}
    assert wrong == set()
    # the check itself sees an engine-room import, however it is written
    assert "kg.run.writer" in set(_imported(root / "pipeline.py", root))
    assert "kg.errors" in set(_imported(root / "nlp" / "extract.py", root))
    assert "kg.run.threads" in set(_imported(root / "run" / "extraction.py", root))
