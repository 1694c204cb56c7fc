"""kg.ingest.files: which paths are documents, opening and reading one."""

import os

import pytest

from kg.errors import IngestError, UsageError
from kg.ingest import read_document
from kg.ingest.files import (CORPUS_SUFFIXES, SUFFIXES, discover, display, open_regular, read_bytes,
                             require_paths)
from kg.ingest.read import iter_documents

from ingest_texts import ARTICLE, LONG_EN


def test_discover_sorts_and_keeps_only_documents(tmp_path):
    for name in ("b.txt", "a.md", "c.html", "d.jsonl", "e.csv", "f.xml", ".hidden.txt", "g.TXT"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "h.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "i.text").write_text("x", encoding="utf-8")
    files, skipped = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.md", "b.txt", "c.html", "d.jsonl", "e.csv", "g.TXT", "sub/i.text"]
    assert skipped == []


def test_a_path_named_explicitly_is_read_whatever_its_suffix(tmp_path):
    p = tmp_path / "notes.xml"
    p.write_text("x", encoding="utf-8")
    files, skipped = discover([p, tmp_path / "missing.txt"])
    assert files == [p]
    assert [(s.source, s.reason) for s in skipped] == [(str(tmp_path / "missing.txt"), "no such file or folder")]


def test_a_link_out_of_the_folder_is_skipped_unless_followed(tmp_path):
    inside = tmp_path / "in"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (inside / "notes.txt").symlink_to(tmp_path / "secret.txt")
    (inside / "a.txt").write_text("x", encoding="utf-8")
    files, [skip] = discover([inside])
    assert files == [inside / "a.txt"]
    assert skip.source == str(inside / "notes.txt") and "outside the folder" in skip.reason
    assert "--follow-links" in skip.hint
    files, skipped = discover([inside], follow_links=True)
    assert (files, skipped) == ([inside / "a.txt", inside / "notes.txt"], [])


def test_a_broken_link_named_explicitly_is_reported(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    files, [skip] = discover([link])
    assert files == [] and skip.reason.startswith("broken symbolic link")


def test_require_paths_names_the_missing_ones(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    require_paths([tmp_path / "a.txt"])
    with pytest.raises(UsageError, match="no such file or folder: .*b.txt"):
        require_paths([tmp_path / "a.txt", tmp_path / "b.txt"])


def test_display_writes_a_path_on_one_line():
    assert display("a\nb\u202e.txt") == "a\\nb\\u202e.txt"
    assert display(b"caf\xe9.txt") == "caf\ufffd.txt"
    assert display(None) == "?"


def test_open_regular_opens_files_only(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"abc")
    with open_regular(p) as handle:
        assert handle.read() == b"abc"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match=r"not a regular file \(a named pipe\)"):
        open_regular(fifo)
    before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(IngestError, match="is a folder, not a file"):
        open_regular(tmp_path)
    assert len(os.listdir("/proc/self/fd")) == before  # (no descriptor left open)


def test_read_bytes_within_the_limit(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"x" * 10)
    assert read_bytes(p, "a.txt", 10) == b"x" * 10
    with pytest.raises(IngestError, match="10 bytes, over the 9-byte limit"):
        read_bytes(p, "a.txt", 9)


def test_corpus_suffixes_are_documents_too():
    assert {s: SUFFIXES[s] for s in CORPUS_SUFFIXES} == CORPUS_SUFFIXES
    assert (SUFFIXES[".md"], SUFFIXES[".htm"], SUFFIXES[".text"]) == ("markdown", "html", "text")


# ----------------------------------------------------- through read_document

def test_size_limit_names_the_limit_and_the_option(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_document(p, max_bytes=100)
    assert "--max-bytes" in str(err.value)


def test_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, _ = discover([tmp_path])
    assert files == [tmp_path / "sub" / "a.txt"]


def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="named pipe"):
        read_document(fifo)


def test_undecodable_file_name_is_shown_with_a_replacement_character(tmp_path):
    name = os.fsdecode(b"caf\xe9 report.txt")
    (tmp_path / name).write_text(LONG_EN, encoding="utf-8")
    [doc] = list(iter_documents([tmp_path]))
    assert doc.source == str(tmp_path / "caf\ufffd report.txt")
    doc.source.encode("utf-8")  # writable anywhere


def test_output_folder_inside_the_input_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(LONG_EN, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.ttl", "merges.tsv", "graph.html"):
        (out / name).write_text("entity\tname\n", encoding="utf-8")
    files, _ = discover([tmp_path])
    assert files == [tmp_path / "a.txt"]
