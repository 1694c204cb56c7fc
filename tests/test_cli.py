import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_missing_model_is_a_clean_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = run("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--model", "no_such_model_xyz")
    assert proc.returncode == 1
    assert "kg: error:" in proc.stderr and "Traceback" not in proc.stderr


def test_verbose_shows_what_an_error_was_raised_from(tmp_path):
    """One line without --verbose; with it (before the command or, for build
    and viz, after it) the error it was raised from follows."""
    missing = tmp_path / "no-such-query.rq"
    first = f"kg: error: cannot read the query {missing}: [Errno 2] No such file or directory: '{missing}' " \
            "(give a UTF-8 .rq file)\n"
    plain = run("viz", "--construct", str(missing))
    assert plain.returncode == 1 and plain.stderr == first
    for args in (["--verbose", "viz"], ["-v", "viz"], ["viz", "--verbose"]):
        proc = run(*args, "--construct", str(missing))
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        assert proc.stderr.startswith(first) and len(lines) == 2, (args, proc.stderr)
        cause = f"kg: caused by: FileNotFoundError: [Errno 2] No such file or directory: '{missing}' ("
        assert lines[1].startswith(cause), lines
        assert "Traceback" not in proc.stderr


def test_the_cause_chain_is_followed_to_its_end():
    from kg.cli import _causes
    from kg.errors import KGError

    def chain():
        try:
            try:
                {}["key"]
            except KeyError as err:
                raise ValueError("inner") from err
        except ValueError:
            raise KGError("outer")  # raised while handling: the context is the cause

    try:
        chain()
    except KGError as err:
        lines = [line.split(" (")[0] for line in _causes(err)]
    assert lines == ["kg: caused by: ValueError: inner", "kg: caused by: KeyError: 'key'"]
    assert _causes(KGError("alone")) == []


def test_every_command_is_documented_in_the_readme():
    from kg.commands import COMMANDS

    readme = (ROOT / "README.md").read_text("utf-8")
    for name in COMMANDS:
        assert f"kg {name}" in readme, name


@pytest.mark.slow
def test_build_stages_show_on_stderr_on_a_terminal_only(tmp_path):
    """stderr is a pipe here: no progress, unless KG_PROGRESS=1 forces it
    (as on a terminal); --quiet silences it either way. The output is the same."""
    import os

    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"a{i}.txt").write_text(f"Report {i}. " + ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KG_PROGRESS"}
    plain = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(tmp_path / "out")],
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert plain.returncode == 0 and plain.stderr == "", plain.stderr
    shown = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(tmp_path / "shown")],
                           capture_output=True, cwd=ROOT, env={**env, "KG_PROGRESS": "1"})  # bytes: keep the \r
    assert shown.returncode == 0, shown.stderr
    stderr = shown.stderr.decode("utf-8")
    lines = [line.split("\r")[-1] for line in stderr.split("\n") if line]  # as a terminal shows them
    assert [line.split(":")[1].split(" (")[0].strip() for line in lines] == [
        "loading the spaCy pipeline", "reading and NLP", "resolution", "graph", "Turtle", "store", "page"], lines
    assert lines[1].startswith("kg: reading and NLP: 5/5 documents read, 5 parsed ("), lines
    assert lines[3].startswith("kg: graph: 5/5 documents ("), lines
    assert shown.stdout.decode("utf-8") == plain.stdout.replace(str(tmp_path / "out"), str(tmp_path / "shown"))
    for name in ("graph.ttl", "graph.html", "merges.tsv"):
        assert (tmp_path / "shown" / name).read_bytes() == (tmp_path / "out" / name).read_bytes(), name
    quiet = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(tmp_path / "out2"),
                            "--no-html", "--quiet"], capture_output=True, text=True, cwd=ROOT,
                           env={**env, "KG_PROGRESS": "1"})
    assert quiet.stderr == "" and quiet.stdout == ""


def _children(pid: int) -> dict[int, list[bytes]]:
    """The live child processes of process *pid*, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):  # the process has ended meanwhile
            continue
    return found


def _running(pid: int, cmdline: list[bytes]) -> bool:
    """Whether process *pid* still runs *cmdline* (neither ended nor a zombie)."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z" and (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0") == cmdline
    except (OSError, IndexError):
        return False


def test_build_with_two_workers_gives_the_same_files(tmp_path, seeds_out):
    """In a fresh process the model is not loaded yet: the page process starts
    with the build, before the worker processes are forked, and still makes
    the same page; nothing is left running or lying about. The build's child
    processes are watched while it runs: the page process (and the workers)
    must be seen, and none of them may run on once the build has ended."""
    import time

    from kg.run.pageproc import PageProcess

    out = tmp_path / "out"
    with open(tmp_path / "stdout", "wb") as stdout, open(tmp_path / "stderr", "wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SEEDS), "--out", str(out), "--workers", "2"],
                                stdout=stdout, stderr=stderr, cwd=ROOT)
        seen: dict[int, list[bytes]] = {}
        while proc.poll() is None:
            seen.update(_children(proc.pid))
            time.sleep(0.02)
    assert proc.returncode == 0, (tmp_path / "stderr").read_text("utf-8")
    assert (out / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (out / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    assert not (out / ".kg" / "graph.nt").exists()
    page = PageProcess.CODE.encode("utf-8")
    pages = [pid for pid, cmdline in seen.items() if page in cmdline]
    workers = [pid for pid, cmdline in seen.items() if page not in cmdline]
    assert len(pages) == 1, seen
    assert seen[pages[0]][-2] == str(proc.pid).encode(), "the page process is given its build's process id"
    assert len(workers) >= 2, seen
    left = [pid for pid, cmdline in seen.items() if _running(pid, cmdline)]
    assert left == [], "a child process outlived its build"


def test_verbose_shows_the_parser_error_behind_a_bad_query(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    proc = run("--verbose", "query", "--graph", str(graph), "SELEC ?s WHERE { ?s ?p ?o }")
    assert proc.returncode != 0 and "SPARQL syntax error" in proc.stderr, proc.stderr
    assert "kg: caused by: pyparsing.exceptions.ParseException" in proc.stderr, proc.stderr
