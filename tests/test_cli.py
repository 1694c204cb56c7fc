import subprocess
import sys

from conftest import ROOT, SEEDS

ARTICLE = "President William Ruto of Kenya met UN Secretary-General Antonio Guterres in Nairobi on May 3, 2024."


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd)


def test_help_lists_build_and_the_exit_statuses():
    proc = run("build", "--help")
    assert proc.returncode == 0
    assert "exit status" in proc.stdout and "skipped" in proc.stdout


def test_help_does_not_import_spacy_or_pyvis():
    code = "import sys, kg.cli; kg.cli._parser(); print(sorted(m for m in ('spacy','pyvis','rdflib') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]"


def test_build_reports_skipped_files_and_keeps_the_others(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    proc = run("build", str(src), "--out", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "skipped" in proc.stderr and "empty.txt" in proc.stderr
    ttl = (out / "graph.ttl").read_text("utf-8")
    assert "William Ruto" in ttl and "Nairobi" in ttl
    assert (out / "graph.html").exists()
    assert "entities:" in proc.stdout and "Person" in proc.stdout


def test_a_path_that_does_not_exist_is_a_usage_error_and_nothing_is_written(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for paths in (["nosuchdir"], ["a.txt", "nosuchdir/b.txt"]):
        proc = run("build", *paths, "--out", "out", cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"kg build: error: no such file or folder: {paths[-1]} (check the path; nothing was written)\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_front_matter_that_cannot_be_read_is_a_warning_and_the_document_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "broken.md").write_text(f"---\ntitle: A\n  date: 2024-05-03\n---\n{ARTICLE}\n", encoding="utf-8")
    (src / "good.txt").write_text("Kenya and Ghana signed a trade agreement in Accra on May 4, 2024.", encoding="utf-8")
    proc = run("build", str(src), "--out", str(tmp_path / "out"), "--no-html")
    assert proc.returncode == 3, proc.stderr
    assert (f"kg: warning: {src / 'broken.md'}: front matter ignored: YAML syntax error at line 3, column 7: "
            "mapping values are not allowed here; the text after it was read") in proc.stderr
    assert "skipped" not in proc.stderr
    assert "documents: 2 in the graph (0 from earlier builds), 0 skipped" in proc.stdout
    assert "William Ruto" in (tmp_path / "out" / "graph.ttl").read_text("utf-8")


def test_a_missing_model_is_a_clean_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = run("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--model", "no_such_model_xyz")
    assert proc.returncode == 1
    assert "kg: error:" in proc.stderr and "Traceback" not in proc.stderr


def test_every_command_is_documented_in_the_readme():
    from kg.commands import COMMANDS

    readme = (ROOT / "README.md").read_text("utf-8")
    for name in COMMANDS:
        assert f"kg {name}" in readme, name


def test_a_progress_bar_shows_for_more_than_a_few_documents(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"a{i}.txt").write_text(f"Report {i}. " + ARTICLE, encoding="utf-8")
    proc = run("build", str(src), "--out", str(tmp_path / "out"), "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert "doc" in proc.stderr  # tqdm's bar on stderr
    quiet = run("build", str(src), "--out", str(tmp_path / "out2"), "--no-html", "--quiet")
    assert quiet.stderr == "" and quiet.stdout == ""


def test_build_with_two_workers_gives_the_same_files(tmp_path, seeds_out):
    """In a fresh process the model is not loaded yet: the page process starts
    with the build, before the worker processes are forked, and still makes
    the same page; nothing is left running or lying about."""
    out = tmp_path / "out"
    proc = run("build", str(SEEDS), "--out", str(out), "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert (out / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (out / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    assert not (out / ".kg" / "graph.nt").exists()
    from pathlib import Path

    left = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"kg.viz import prepare" in cmdline.read_bytes():
                left.append(cmdline.parent.name)
        except OSError:  # the process has ended meanwhile
            pass
    assert left == [], "a page process outlived its build"
