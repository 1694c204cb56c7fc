"""kg's benchmark: how close `kg build` gets to bare spaCy, how it scales with
workers and corpus size, and Oxigraph against rdflib on a 1M-triple graph.

    python bench/run.py              # the full run (about 10 minutes on 2 cores)
    python bench/run.py --quick      # a smaller run (about 2 minutes)

Every figure is measured in this run, each configuration in its own process
(so peak RSS is that configuration's own). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# ---------------------------------------------------------------- corpus

def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> tuple[int, int]:
    """Write *n_docs* articles recombined from the seeds' paragraphs."""
    sys.path.insert(0, str(ROOT))
    from kg.ingest import read_document

    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_document(path).text
        paragraphs += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 12]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(n_docs):
        body = [f"Report number {i} from the archive."] + rng.sample(paragraphs, k=min(6, len(paragraphs)))
        text = "\n\n".join(body)
        words += len(text.split())
        (folder / f"doc{i:06d}.txt").write_text(text, encoding="utf-8")
    return n_docs, words


def make_jsonl(path: Path, n_records: int, seed: int = 11) -> int:
    """A JSONL corpus of *n_records* short articles (a few sentences each) from the seeds."""
    sys.path.insert(0, str(ROOT))
    from kg.ingest import read_document

    sentences = []
    for seed_path in sorted(SEEDS.glob("*.txt")):
        for paragraph in read_document(seed_path).text.split("\n\n"):
            sentences += [s.strip() + "." for s in paragraph.split(". ") if 8 <= len(s.split()) <= 40]
    rng = random.Random(seed)
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_records):
            text = f"Dispatch {i}. " + " ".join(rng.sample(sentences, 2))
            words += len(text.split())
            fh.write(json.dumps({"id": f"r{i}", "date": "2023-03-25", "text": text}) + "\n")
    return words


def child_jsonl(path: str, workers: int) -> dict:
    from kg.pipeline import build

    out = tempfile.mkdtemp(prefix="kg-bench-jsonl-")
    t = time.perf_counter()
    result = build([path], out=out, quiet=True, keep_graph=False, html=False, workers=workers)
    seconds = time.perf_counter() - t
    docs = len(result.extractions)
    shutil.rmtree(out, ignore_errors=True)
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "docs": docs, "rss": peak_rss_mib(), "rss_main": main}


def peak_rss_mib() -> float:
    """Peak RSS of this process or of its largest child (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


# ---------------------------------------------------------------- child modes

def child_bare(folder: str, batch: int, n_process: int) -> dict:
    from kg.ingest import iter_documents
    from kg.nlp.pipeline import load_base_model

    nlp = load_base_model()
    texts = [d.text for d in iter_documents([folder])]
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch, n_process=n_process):
        pass
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "words": sum(len(t.split()) for t in texts), "rss": peak_rss_mib()}


_HALVES: list = []


def _bare_half(k: int) -> int:
    nlp, texts = _HALVES
    for _ in nlp.pipe(texts[k::2], batch_size=32):
        pass
    return k


def child_bare_forked(folder: str) -> dict:
    """Bare spaCy in two forked processes, each on every other document:
    the model loaded once and shared, as kg's ``--workers`` does. kg's
    2-worker build cannot beat this by much."""
    import multiprocessing

    from kg.ingest import iter_documents
    from kg.nlp.pipeline import load_base_model

    _HALVES[:] = [load_base_model(), [d.text for d in iter_documents([folder])]]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        assert sorted(pool.map(_bare_half, [0, 1], chunksize=1)) == [0, 1]
        seconds = time.perf_counter() - t
    return {"seconds": seconds, "words": sum(len(t.split()) for t in _HALVES[1])}


def child_build(folder: str, workers: int) -> dict:
    from kg.pipeline import build
    from kg.nlp import load_pipeline

    load_pipeline()  # loading the model is not throughput
    out = tempfile.mkdtemp(prefix="kg-bench-out-")
    t = time.perf_counter()
    result = build([folder], out=out, workers=workers, quiet=True, keep_graph=False)  # as `kg build` does
    seconds = time.perf_counter() - t
    words = sum(len(ex.doc.text.split()) for ex in result.extractions)
    shutil.rmtree(out, ignore_errors=True)
    timings = {k: round(v, 3) for k, v in result.timings.items()}
    return {"seconds": seconds - timings.get("model", 0.0), "words": words, "rss": peak_rss_mib(),
            "timings": timings, "triples": result.triples}


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- triple stores

def synthetic_ntriples(path: Path, target: int) -> int:
    """Copies of the seeds' graph with IRIs renamed per copy, up to *target* triples."""
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import build
    from kg.export import serialize

    base = serialize(build([SEEDS], out=None, quiet=True).graph, "nt").decode("utf-8").splitlines()
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        copy = 0
        while n < target:
            prefix = f"https://w3id.org/kg/id/c{copy}/"
            for line in base:
                fh.write(line.replace("https://w3id.org/kg/id/", prefix) + "\n")
                n += 1
                if n >= target:
                    break
            copy += 1
    return n


def best_of(n: int, run) -> tuple[float, object]:
    """The shortest of *n* timed calls of *run* (short operations are noisy), and its result."""
    best, result = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t)
    return best, result


def child_oxigraph(nt_path: str, mode: str) -> dict:
    """Load, export and query through pyoxigraph alone, or through kg (rdflib API over Oxigraph)."""
    import pyoxigraph

    from kg.queries import __file__ as qfile

    queries = {name: (Path(qfile).parent / f"{name}.rq").read_text("utf-8")
               for name in ("timeline", "visits", "initiatives", "quotations")}
    folder = tempfile.mkdtemp(prefix=f"kg-bench-{mode}-")
    out = {}
    if mode == "pyoxigraph":
        t = time.perf_counter()
        store = pyoxigraph.Store(os.path.join(folder, "store"))
        store.bulk_load(path=nt_path, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        out["load"] = time.perf_counter() - t
        t = time.perf_counter()
        store.dump(os.path.join(folder, "x.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES,
                   from_graph=pyoxigraph.DefaultGraph())
        out["export_nt"] = time.perf_counter() - t
        t = time.perf_counter()
        store.dump(os.path.join(folder, "x.ttl"), format=pyoxigraph.RdfFormat.TURTLE,
                   from_graph=pyoxigraph.DefaultGraph())
        out["export_ttl"] = time.perf_counter() - t
        out["queries"], rows = best_of(3, lambda: sum(len(list(store.query(q))) for q in queries.values()))
    elif mode == "kg":
        from kg.export import read_graph, write_graph
        from kg.store import write_store

        t = time.perf_counter()
        write_store(Path(nt_path), folder)
        out["load"] = time.perf_counter() - t
        graph = read_graph(os.path.join(folder, "store"))
        t = time.perf_counter()
        write_graph(graph, os.path.join(folder, "x.nt"), "nt")
        out["export_nt"] = time.perf_counter() - t
        t = time.perf_counter()
        write_graph(graph, os.path.join(folder, "x.ttl"), "ttl")
        out["export_ttl"] = time.perf_counter() - t
        from kg.query import run_query  # what `kg query` and the library use

        out["queries"], rows = best_of(3, lambda: sum(len(list(run_query(graph, name))) for name in queries))
    else:  # rdflib in memory
        from rdflib import Graph

        t = time.perf_counter()
        graph = Graph()
        graph.parse(nt_path, format="nt")
        out["load"] = time.perf_counter() - t
        t = time.perf_counter()
        graph.serialize(os.path.join(folder, "x.nt"), format="nt")
        out["export_nt"] = time.perf_counter() - t
        out["export_ttl"] = float("nan")
        out["queries"], rows = best_of(1, lambda: sum(len(list(graph.query(q))) for q in queries.values()))
    shutil.rmtree(folder, ignore_errors=True)
    out["rows"] = rows
    out["rss"] = peak_rss_mib()
    return out


# ---------------------------------------------------------------- report

def build_part(args, tmp: Path) -> None:
    print("== kg build against bare spaCy nlp.pipe (same model, batch size 32) ==")
    header = f"{'corpus':>8} {'docs':>5} {'words':>8} | {'bare w/s':>9} {'kg w/s':>8} {'ratio':>6} | " \
             f"{'kg 2w w/s':>9} {'2w/1w':>6} | {'RSS bare':>8} {'RSS kg':>7} {'RSS kg2':>7}"
    print(header)
    rows = {}
    ceilings: dict[int, float] = {}
    for scale in (1, args.scale):
        folder = tmp / f"corpus{scale}"
        n, words = make_corpus(folder, args.docs * scale)
        runs: dict[str, list[dict]] = {"bare": [], "one": [], "two": [], "bare2": []}
        for _ in range(max(1, args.repeat)):  # interleaved, so drift hits both sides alike
            runs["bare"].append(run_child("_bare", str(folder), "32", "1"))
            runs["one"].append(run_child("_build", str(folder), "1"))
            runs["two"].append(run_child("_build", str(folder), "2"))
            if scale != 1:
                runs["bare2"].append(run_child("_bare2", str(folder)))
        bare, one, two = (min(runs[k], key=lambda x: x["seconds"]) for k in ("bare", "one", "two"))
        rows[scale] = (bare, one, two)
        if runs["bare2"]:
            ceiling = min(runs["bare2"], key=lambda x: x["seconds"])
            ceilings[scale] = (ceiling["words"] / ceiling["seconds"]) / (bare["words"] / bare["seconds"])
        wb, w1, w2 = (bare["words"] / bare["seconds"], one["words"] / one["seconds"], two["words"] / two["seconds"])
        print(f"{str(scale) + 'x':>8} {n:>5} {words:>8} | {wb:>9.0f} {w1:>8.0f} {w1 / wb:>6.2f} | "
              f"{w2:>9.0f} {w2 / w1:>6.2f} | {bare['rss']:>7.0f}M {one['rss']:>6.0f}M {two['rss']:>6.0f}M")
    print()
    print("time split of kg build, seconds (ingest runs beside the NLP, in its own thread):")
    for scale, (_, one, two) in rows.items():
        for label, run in (("1 worker ", one), ("2 workers", two)):
            parts = ", ".join(f"{k} {v:.2f}" for k, v in sorted(run["timings"].items()) if k != "model")
            print(f"  {str(scale) + 'x':>4} {label}: {parts}  (triples {run['triples']})")
    for scale, ceiling in ceilings.items():
        _, one, two = rows[scale]
        speedup = (two["words"] / two["seconds"]) / (one["words"] / one["seconds"])
        print(f"reference at {scale}x: bare spaCy forked into two processes (model shared), each on half the "
              f"corpus, is {ceiling:.2f}x one process (kg 2 workers / 1: {speedup:.2f})")
    r1, r10 = rows[1][1]["rss"], rows[args.scale][1]["rss"]
    print(f"peak RSS of kg build at {args.scale}x / 1x: {r10 / r1:.2f}")
    print()


def store_part(args, tmp: Path) -> None:
    print(f"== {args.triples:,} triples: Oxigraph through kg (rdflib API) against pyoxigraph alone ==")
    nt = tmp / "big.nt"
    n = synthetic_ntriples(nt, args.triples)
    ox = run_child("_store", str(nt), "pyoxigraph")
    kgs = run_child("_store", str(nt), "kg")
    print(f"{'operation':<12} {'pyoxigraph s':>12} {'kg s':>8} {'kg/pyox':>8}")
    for op in ("load", "export_nt", "export_ttl", "queries"):
        print(f"{op:<12} {ox[op]:>12.2f} {kgs[op]:>8.2f} {kgs[op] / ox[op]:>8.2f}")
    print(f"peak RSS: pyoxigraph {ox['rss']:.0f}M, kg {kgs['rss']:.0f}M; rows returned {ox['rows']} / {kgs['rows']}")
    print()
    print(f"== rdflib in memory against Oxigraph, {args.rdflib_triples:,} triples (when to switch) ==")
    small = tmp / "small.nt"
    synthetic_ntriples(small, args.rdflib_triples)
    mem = run_child("_store", str(small), "rdflib")
    ox_small = run_child("_store", str(small), "kg")
    print(f"{'operation':<12} {'rdflib s':>9} {'kg+oxigraph s':>14}")
    for op in ("load", "export_nt", "queries"):
        print(f"{op:<12} {mem[op]:>9.2f} {ox_small[op]:>14.2f}")
    print(f"peak RSS: rdflib {mem['rss']:.0f}M, kg+oxigraph {ox_small['rss']:.0f}M")
    print()


def jsonl_part(args, tmp: Path) -> None:
    if args.jsonl:
        print(f"== JSONL corpus files: peak RSS of kg build at {args.jsonl // 10:,} and {args.jsonl:,} records "
              f"({args.jsonl_workers} workers; the largest process) ==")
        figures = []
        for n_records in (args.jsonl // 10, args.jsonl):
            path = tmp / f"corpus{n_records}.jsonl"
            words = make_jsonl(path, n_records)
            r = run_child("_jsonl", str(path), str(args.jsonl_workers))
            figures.append(r)
            print(f"{n_records:>9,} records {words:>10,} words: {r['seconds']:8.1f} s, peak RSS {r['rss']:.0f}M "
                  f"(main process {r['rss_main']:.0f}M)")
        print(f"peak RSS ratio: {figures[1]['rss'] / figures[0]['rss']:.2f} "
              f"(main process {figures[1]['rss_main'] / figures[0]['rss_main']:.2f})")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=40, help="documents at 1x (default 40)")
    parser.add_argument("--scale", type=int, default=10, help="the larger corpus is this many times 1x (default 10)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the store benchmark (default 1M)")
    parser.add_argument("--rdflib-triples", type=int, default=200_000,
                        help="size of the rdflib in-memory comparison (default 200k; 1M takes minutes)")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="run bare spaCy and each kg build N times, interleaved, and keep the best of each "
                             "(the machine's speed drifts; default 2)")
    parser.add_argument("--only", choices=("build", "stores", "jsonl"), help="run only that part")
    parser.add_argument("--quick", action="store_true", help="10 docs, scale 4, 200k triples")
    parser.add_argument("--jsonl", type=int, default=0, metavar="N",
                        help="also build JSONL corpora of N/10 and N short records and compare peak RSS "
                             "(e.g. 100000; takes long: about 1 minute per 5,000 records with 2 workers)")
    parser.add_argument("--jsonl-workers", type=int, default=2, metavar="N",
                        help="worker processes for the JSONL builds (default 2)")
    args = parser.parse_args()
    if args.quick:
        args.docs, args.scale, args.triples, args.rdflib_triples = 10, 4, 200_000, 50_000
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    print(f"kg benchmark  (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    print()
    if args.only in (None, "build"):
        build_part(args, tmp)
    if args.only in (None, "stores"):
        store_part(args, tmp)
    if args.only in (None, "jsonl"):
        jsonl_part(args, tmp)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, cwd=ROOT, check=True)
        times.append(time.perf_counter() - t)
    print(f"kg --help: {min(times) * 1000:.0f} ms (best of 5), median {statistics.median(times) * 1000:.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        sys.path.insert(0, str(ROOT))
        mode, rest = sys.argv[1], sys.argv[2:]
        if mode == "_bare":
            print(json.dumps(child_bare(rest[0], int(rest[1]), int(rest[2]))))
        elif mode == "_build":
            print(json.dumps(child_build(rest[0], int(rest[1]))))
        elif mode == "_bare2":
            print(json.dumps(child_bare_forked(rest[0])))
        elif mode == "_jsonl":
            print(json.dumps(child_jsonl(rest[0], int(rest[1]))))
        elif mode == "_store":
            print(json.dumps(child_oxigraph(rest[0], rest[1])))
    else:
        main()
