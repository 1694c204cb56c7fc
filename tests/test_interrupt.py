"""A build killed mid-way leaves the previous outputs intact and readable,
and the next run finishes the job (reusing what was done)."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from rdflib import Graph

from kg.ingest import read_document

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow  # every test runs builds (the spaCy pipeline, child processes)


def _corpus(folder, n):
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [p for p in read_document(path).text.split("\n\n") if len(p.split()) > 12]
    rng = random.Random(3)
    folder.mkdir()
    for i in range(n):
        text = f"Dispatch {i}.\n\n" + "\n\n".join(rng.sample(paragraphs, 4))
        (folder / f"d{i:03d}.txt").write_text(text, encoding="utf-8")


def test_sigkill_mid_build_keeps_old_outputs_and_next_run_finishes(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _corpus(first, 2)
    _corpus(second, 40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg", "build", "--out", str(out), "--quiet", "--no-html"]
    subprocess.run(cmd + [str(first)], check=True, cwd=ROOT, capture_output=True)
    before = (out / "graph.ttl").read_bytes()

    proc = subprocess.Popen(cmd + [str(second)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    extractions = out / ".kg" / "extractions"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = sum(1 for _ in extractions.rglob("*.json")) if extractions.exists() else 0
        if done >= 6 or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    # the previous outputs are untouched and readable; no temporary file is left as an output
    assert (out / "graph.ttl").read_bytes() == before
    Graph().parse(out / "graph.ttl", format="turtle")
    from kg.store import open_store_graph

    assert len(open_store_graph(out)) > 0

    # the next run finishes the job, reusing the documents already extracted
    done = subprocess.run(cmd + [str(second)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    full = tmp_path / "full"
    subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(full), "--quiet", "--no-html",
                    str(first), str(second)], check=True, cwd=ROOT, capture_output=True)
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
