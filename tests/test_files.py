"""kg.files: atomic writes, on real files."""

from __future__ import annotations

import os
import stat

import pytest

from kg.errors import ExportError
from kg.files import atomic_write, atomic_writer, fsync_dir


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_write_makes_the_file_and_its_folders(tmp_path):
    path = atomic_write(tmp_path / "a" / "b" / "x.json", b'{"x": 1}')
    assert path == tmp_path / "a" / "b" / "x.json"
    assert path.read_bytes() == b'{"x": 1}'
    assert _leftovers(path.parent) == []


def test_a_write_replaces_the_old_file_whole(tmp_path):
    path = tmp_path / "x.txt"
    atomic_write(path, b"old")
    atomic_write(path, b"new, and longer", fsync=False)
    assert path.read_bytes() == b"new, and longer"


def test_the_file_gets_the_usual_mode_not_the_temporary_files(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "x.txt", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failing_writer_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "x.txt"
    atomic_write(path, b"old")
    with pytest.raises(RuntimeError):
        with atomic_writer(path) as fh:
            fh.write(b"half of the new")
            raise RuntimeError("the writer failed")
    assert path.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_the_old_file_is_there_until_the_new_one_is_complete(tmp_path):
    path = tmp_path / "x.txt"
    atomic_write(path, b"old")
    with atomic_writer(path) as fh:
        fh.write(b"new")
        assert path.read_bytes() == b"old"
        assert len(_leftovers(tmp_path)) == 1  # the temporary file, beside it
    assert path.read_bytes() == b"new"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_is_an_export_error_naming_the_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match=r"cannot write .*ro/x\.txt"):
            atomic_write(folder / "x.txt", b"x")
    finally:
        folder.chmod(0o700)


def test_a_path_under_a_file_is_an_export_error(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(ExportError, match="cannot write"):
        atomic_write(tmp_path / "file" / "x.txt", b"x")


def test_fsync_dir_flushes_a_folder_and_ignores_a_missing_one(tmp_path):
    atomic_write(tmp_path / "x.txt", b"x")
    fsync_dir(tmp_path)
    fsync_dir(tmp_path / "missing")  # nothing to flush: no error
