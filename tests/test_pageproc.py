"""kg.run.pageproc: graph.html made by a child interpreter, from a finished
N-Triples file, from one followed as it is written, or from the store; the
child takes its jobs as JSON lines on stdin."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from kg.run.pageproc import PageProcess, _Messages


def _write_ntriples(path: Path, n: int = 40) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(f'<urn:x:e{i}> <http://www.w3.org/2000/01/rdf-schema#label> "entity {i}" .\n')
            fh.write(f"<urn:x:e{i}> <urn:x:knows> <urn:x:e{(i * 7) % n}> .\n")
    return path


def _page_here(ntriples: Path, path: Path) -> bytes:
    """The page this process makes of the same graph."""
    from kg.store import memory_store_graph
    from kg.viz import write_html

    return write_html(memory_store_graph(ntriples), path).read_bytes()


def test_messages_are_read_a_line_at_a_time_as_they_come():
    read, write = os.pipe()
    messages = _Messages(read)
    try:
        assert not messages.ready()
        os.write(write, b'{"page": "a.html", "fol')
        assert messages.ready()  # bytes are waiting, though not a whole line
        os.write(write, b'low": "g.nt"}\n{"complete": true}\n')
        assert messages.next() == {"page": "a.html", "follow": "g.nt"}
        assert messages.ready() and messages.next() == {"complete": True}
        os.close(write)
        write = None
        assert messages.next() is None
    finally:
        os.close(read)
        if write is not None:
            os.close(write)


def test_a_page_process_that_is_never_started_goes_away():
    page = PageProcess()
    page.kill()
    assert page.proc.poll() is not None


def test_the_child_is_given_its_builds_process_id():
    page = PageProcess()
    try:
        assert page.proc.args[-1] == str(os.getpid())
        assert page.proc.args[-2] == PageProcess.CODE
    finally:
        page.kill()


def test_a_failing_page_process_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(PageProcess, "CODE", "raise SystemExit(3)")
    page = PageProcess.spawn()
    page.start(tmp_path / "graph.html", ntriples=_write_ntriples(tmp_path / "graph.nt"))
    assert page.wait() is None  # the build then makes the page itself
    assert not (tmp_path / "graph.html").exists()


def test_page_of_a_finished_ntriples_file(tmp_path):
    nt = _write_ntriples(tmp_path / "graph.nt")
    page = PageProcess.spawn()
    page.start(tmp_path / "graph.html", ntriples=nt)
    assert page.wait() == tmp_path / "graph.html"
    assert (tmp_path / "graph.html").read_bytes() == _page_here(nt, tmp_path / "here.html")


def test_page_of_a_file_followed_as_it_is_written(tmp_path):
    whole = _write_ntriples(tmp_path / "whole.nt")
    nt = tmp_path / "graph.nt"
    nt.touch()
    page = PageProcess.spawn()
    page.follow(tmp_path / "graph.html", nt, limit=1 << 20)
    lines = whole.read_bytes().splitlines(keepends=True)
    with nt.open("ab") as fh:  # written in two halves while the child reads
        fh.write(b"".join(lines[: len(lines) // 2]))
        fh.flush()
        threading.Event().wait(0.2)
        fh.write(b"".join(lines[len(lines) // 2:]))
    page.complete(in_memory=True, store_coming=False)
    assert page.wait() == tmp_path / "graph.html"
    assert (tmp_path / "graph.html").read_bytes() == _page_here(whole, tmp_path / "here.html")


def test_page_of_a_followed_file_too_large_for_memory_is_read_from_the_store(tmp_path):
    from kg.store import store_path, write_store

    nt = _write_ntriples(tmp_path / "graph.nt")
    page = PageProcess.spawn()
    page.follow(tmp_path / "graph.html", nt, limit=100)  # the file is larger
    page.complete(in_memory=False, store_coming=True)
    assert page.needs_store
    write_store(nt, tmp_path)
    page.read_store(store_path(tmp_path))
    assert not page.needs_store
    assert page.wait() == tmp_path / "graph.html"
    assert (tmp_path / "graph.html").read_bytes() == _page_here(nt, tmp_path / "here.html")


def test_a_followed_file_too_large_with_no_store_coming_leaves_the_page_to_the_build(tmp_path):
    nt = _write_ntriples(tmp_path / "graph.nt")
    page = PageProcess.spawn()
    page.follow(tmp_path / "graph.html", nt, limit=100)
    page.complete(in_memory=False, store_coming=False)
    assert not page.needs_store
    assert page.wait() is None
    assert not (tmp_path / "graph.html").exists()
