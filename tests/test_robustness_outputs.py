"""The output folder under stress (issue 19, items 1-3): two builds of one
folder, a build killed while it writes, a full disk. Real processes, real
files: after any of them the folder holds one build's outputs, whole."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.ingest import read_document

from conftest import ROOT, SEEDS

KG = [sys.executable, "-m", "kg"]
OUTPUTS = ("graph.ttl", "graph.html", "merges.tsv")


def _corpus(folder: Path, n: int, seed: int) -> Path:
    """*n* short articles of seed paragraphs, named after *folder*."""
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [p for p in read_document(path).text.split("\n\n") if len(p.split()) > 12]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        text = f"Dispatch {folder.name} {i}.\n\n" + "\n\n".join(rng.sample(paragraphs, 3))
        (folder / f"{folder.name}{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _build(*args, check=True, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(KG + ["build", "--quiet", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, **kwargs)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _sources(out: Path) -> set[str]:
    """The articles' file names in OUT/graph.ttl."""
    import re

    return set(re.findall(r'kgo:source "[^"]*?([A-Za-z]+\d\d)\.txt"', (out / "graph.ttl").read_text("utf-8")))


def _store_size(out: Path) -> int:
    from kg.store import open_store_graph

    return len(open_store_graph(out))


def _leftovers(out: Path) -> list[str]:
    """Temporary files and unfinished output folders in OUT."""
    found = [str(p.relative_to(out)) for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == "graph.nt"]
    outputs = out / ".kg" / "outputs"
    if outputs.is_dir():
        current = os.readlink(outputs / "current")
        found += [f".kg/outputs/{p.name}" for p in outputs.iterdir() if p.name not in ("current", current)]
    return sorted(found)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    return _corpus(root / "alpha", 2, 1), _corpus(root / "beta", 2, 2)


# --------------------------------------------------------------------------- 1. one build at a time


@pytest.mark.slow
def test_a_build_waits_for_the_folder_or_with_no_wait_exits_at_once(tmp_path, corpora):
    """While OUT is locked (here by this test, as another build would), a
    build says so and waits; --no-wait exits 5 with one line; nothing is
    written meanwhile."""
    alpha, beta = corpora
    out = tmp_path / "out"
    _build(alpha, "--out", out)
    before = _outputs(out)
    fd = os.open(out / ".kg" / "lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.pwrite(fd, b"4242\n", 0)
        refused = _build(beta, "--out", out, "--no-wait", check=False)
        assert refused.returncode == 5, refused.stderr
        assert refused.stderr.splitlines() == [
            f"kg: error: another build (process 4242) is writing {out} (run this build when it has finished, "
            "or without --no-wait to wait for it)"]
        waiting = subprocess.Popen(KG + ["build", "--quiet", str(beta), "--out", str(out)], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = waiting.stderr.readline()
        assert line == (f"kg: another build (process 4242) is writing {out}; waiting for it to finish "
                        "(--no-wait: fail instead)\n")
        time.sleep(1.0)
        assert waiting.poll() is None, "the build did not wait"
        assert _outputs(out) == before
    finally:
        os.close(fd)  # as the other build ends
    assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    assert _sources(out) == {"alpha00", "alpha01", "beta00", "beta01"}  # the second build added its documents


@pytest.mark.slow
def test_two_fresh_builds_of_one_folder_end_as_one_of_them(tmp_path, corpora):
    """Started together, they run one after the other: the folder ends with
    the documents of one of them (it was a mix of both, both exiting 0)."""
    alpha, beta = corpora
    out = tmp_path / "out"
    procs = [subprocess.Popen(KG + ["build", "--quiet", "--fresh", str(src), "--out", str(out)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for src in (alpha, beta)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert _sources(out) in ({"alpha00", "alpha01"}, {"beta00", "beta01"})
    assert _leftovers(out) == []


@pytest.mark.slow
def test_readers_see_the_last_complete_outputs_while_a_build_writes(tmp_path, corpora, monkeypatch):
    """`kg query` and `kg export` run while a build has written its new
    graph.ttl and store but not its merge log or page: they read the last
    complete build, and after it the new one."""
    import kg.run.writer
    from kg.pipeline import build

    alpha, beta = corpora
    out = tmp_path / "out"
    _build(alpha, "--out", out)
    count = ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", str(out), "--format", "csv"]
    old_count = subprocess.run(KG + count, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    seen = {}
    merge_tsv = kg.run.writer.merge_tsv

    def read_meanwhile(merges):
        seen["query"] = subprocess.run(KG + count, cwd=ROOT, capture_output=True, text=True).stdout
        exported = tmp_path / "meanwhile.nt"
        subprocess.run(KG + ["export", "--graph", str(out), "--format", "nt", "--out", str(exported)], cwd=ROOT,
                       check=True, capture_output=True)
        seen["export"] = sum(1 for _ in exported.open("rb"))
        return merge_tsv(merges)

    monkeypatch.setattr(kg.run.writer, "merge_tsv", read_meanwhile)
    build([beta], out=out, fresh=True, keep_graph=False)
    assert seen["query"] == old_count
    assert f"{seen['export']}\n" == old_count.splitlines(keepends=True)[1]
    new_count = subprocess.run(KG + count, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert new_count != old_count and _sources(out) == {"beta00", "beta01"}


# --------------------------------------------------------------------------- 2. outputs change together

_PAUSED_BUILD = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    import kg.run.writer

    def pause(merges):  # the graph and the store are written; the merge log and the page are not
        Path(sys.argv[1]).write_text("paused")
        time.sleep(300)

    kg.run.writer.merge_tsv = pause
    from kg.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        kids += [int(k) for k in task.read_text().split()]
    return kids


def _gone(pids, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_a_build_killed_while_writing_leaves_one_builds_outputs_and_the_next_run_cleans_up(tmp_path, corpora):
    alpha, beta = corpora
    out = tmp_path / "out"
    _build(alpha, "--out", out)
    before, triples = _outputs(out), _store_size(out)
    # what builds of earlier kg versions left when killed: never removed, not even by --fresh
    (out / ".graph.ttl.x1y2z3.tmp").write_bytes(b"half a graph")
    (out / "store.tmp").mkdir()

    marker = tmp_path / "paused"
    proc = subprocess.Popen([sys.executable, "-c", _PAUSED_BUILD, str(marker), "build", "--quiet", "--fresh",
                             str(beta), "--out", str(out)], cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), proc.stderr.read().decode()
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _gone(children, 5), "a child process outlived the killed build"
    time.sleep(0.5)  # what a surviving page process would install, it has by now

    assert _outputs(out) == before  # not a new graph.ttl beside an old page
    assert _store_size(out) == triples
    assert _sources(out) == {"alpha00", "alpha01"}

    _build(beta, "--out", out, "--fresh")
    assert _sources(out) == {"beta00", "beta01"}
    assert _leftovers(out) == []
    assert not (out / ".graph.ttl.x1y2z3.tmp").exists() and not (out / "store.tmp").exists()


def test_a_folder_written_by_an_earlier_kg_is_taken_into_the_layout_whole(tmp_path):
    """Plain graph.ttl, graph.html, merges.tsv and store/ (and the temporary
    files a killed earlier kg left) become the current set, unchanged."""
    import pyoxigraph

    from kg.outputs import OUTPUTS_DIR, current_dir, prepare

    out = tmp_path / "out"
    out.mkdir()
    files = {"graph.ttl": b"<urn:a> <urn:b> <urn:c> .\n", "graph.html": b"<html></html>\n", "merges.tsv": b"entity\n"}
    for name, data in files.items():
        (out / name).write_bytes(data)
    store = pyoxigraph.Store(str(out / "store"))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:b"), pyoxigraph.Literal("c")))
    store.flush()
    del store
    for leftover in (".graph.ttl.abc123.tmp", ".graph.html.def456.tmp", "store.old"):
        (out / leftover).write_bytes(b"")
    (out / ".kg").mkdir()
    (out / ".kg" / "graph.nt").write_bytes(b"")

    prepare(out)
    assert sorted(p.name for p in out.iterdir()) == [".kg", "graph.html", "graph.ttl", "merges.tsv", "store"]
    for name, data in files.items():
        assert (out / name).is_symlink() and (out / name).read_bytes() == data
    assert (out / "store").is_symlink() and len(pyoxigraph.Store.read_only(str(out / "store"))) == 1
    assert current_dir(out) == out / OUTPUTS_DIR / "1" and _leftovers(out) == []
    prepare(out)  # again: nothing changes
    assert current_dir(out) == out / OUTPUTS_DIR / "1" and (out / "graph.ttl").read_bytes() == files["graph.ttl"]


def test_a_page_process_dies_with_its_build(tmp_path):
    """The page process of a build killed after handing it its job stops
    with it; it used to go on and install graph.html after the build died."""
    nt = tmp_path / "graph.nt"
    with nt.open("w", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write(f'<urn:x:e{i}> <http://www.w3.org/2000/01/rdf-schema#label> "entity {i}" .\n')
            fh.write(f"<urn:x:e{i}> <urn:x:knows> <urn:x:e{(i * 7) % 3000}> .\n")
    page = tmp_path / "graph.html"
    parent = textwrap.dedent(f"""\
        import os, signal
        from pathlib import Path
        from kg.run.pageproc import PageProcess

        proc = PageProcess()
        print(proc.proc.pid, flush=True)
        proc.start(Path({str(page)!r}), ntriples=Path({str(nt)!r}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    build = subprocess.run([sys.executable, "-c", parent], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert build.returncode == -signal.SIGKILL, build.stderr
    child = int(build.stdout.split()[0])
    assert _gone([child], 2), "the page process outlived its build"
    assert _gone([child], 30)  # (without the fix: long enough for it to write the page)
    assert not page.exists()


def test_a_child_that_asks_dies_with_its_parent(tmp_path):
    """kg.lifeline, as the build's worker processes use it."""
    parent = textwrap.dedent("""\
        import os, signal, subprocess, sys
        code = "import os, sys, time; from kg.lifeline import die_with_parent; " \\
               "die_with_parent(int(sys.argv[1])); print('armed', flush=True); time.sleep(60)"
        child = subprocess.Popen([sys.executable, "-c", code, str(os.getpid())], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline() == "armed\\n"
        print(child.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", parent], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert _gone([int(run.stdout.split()[0])], 5)


# --------------------------------------------------------------------------- 3. a full disk


def test_a_disk_full_error_names_the_disk_and_crosses_processes(tmp_path):
    import errno
    import pickle

    from kg.diskspace import is_disk_full, mount_point
    from kg.outputs import disk_full_error
    from kg.errors import DiskFullError

    err = DiskFullError("/x/graph.ttl", "cannot write /x/graph.ttl", "make room")
    back = pickle.loads(pickle.dumps(err))  # raised in a worker process, re-raised in the build
    assert (type(back), back.path, str(back)) == (DiskFullError, "/x/graph.ttl", str(err))
    assert is_disk_full(back)
    cause = OSError(errno.ENOSPC, "No space left on device")
    cause.filename = str(tmp_path / ".kg" / "outputs" / "3" / "store" / "000010.sst")
    message = str(disk_full_error(tmp_path, cause))
    assert message.startswith(f"the disk of {tmp_path} is full (")
    assert f"free on {mount_point(tmp_path)}): cannot write store; the previous outputs are unchanged" in message


def _mount_tmpfs(where: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.mark.slow
def test_a_full_disk_at_any_level_gives_one_line_and_keeps_the_outputs(tmp_path, corpora):
    """On a 5 MiB tmpfs filled to several levels, a build either succeeds or
    fails with one `kg: error` line naming the disk, exit 1, and the previous
    outputs intact (it used to print OSError tracebacks, and to exit 1 after
    replacing graph.ttl)."""
    alpha, beta = corpora
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "5m")
    try:
        out = disk / "out"
        _build(alpha, "--out", out)
        before, triples = _outputs(out), _store_size(out)
        used = sum(p.lstat().st_blocks * 512 for p in (out / ".kg" / "outputs").rglob("*"))
        failed = 0
        for fraction in (1.0, 0.7, 0.4, 0.1, 0.0):  # room left, as a part of what one build's outputs take
            filler = disk / "filler"
            filler.unlink(missing_ok=True)
            st = os.statvfs(disk)
            with filler.open("wb") as fh:
                try:
                    fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - int(used * fraction)))
                except OSError:
                    pass
            done = _build(beta, "--out", out, check=False)
            assert "Traceback" not in done.stderr, done.stderr
            if done.returncode == 0:  # it fitted: the new set, whole
                assert _sources(out) == {"alpha00", "alpha01", "beta00", "beta01"}
                filler.unlink()
                subprocess.run(["rm", "-rf", str(out)], check=True)
                _build(alpha, "--out", out)
                continue
            failed += 1
            assert done.returncode == 1, done.stderr
            lines = done.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"kg: error: the disk of {out} is full ("), lines
            assert f"free on {disk}): cannot write " in lines[0] and "the previous outputs are unchanged" in lines[0]
            assert _outputs(out) == before and _store_size(out) == triples
            assert _leftovers(out) == []
        assert failed >= 3  # the levels below one build's size cannot fit
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
