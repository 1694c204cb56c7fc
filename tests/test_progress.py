"""kg.progress and the stages `kg build` shows on a terminal."""

from __future__ import annotations

import io

import pytest

from conftest import SEEDS
from kg.progress import ENV, Progress

STAGES = ["loading the spaCy pipeline", "reading and NLP", "resolution", "graph", "Turtle", "store", "page"]


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def final_lines(text: str) -> list[str]:
    """What a terminal shows: each line as its last redraw left it."""
    return [line.split("\r")[-1].rstrip() for line in text.split("\n") if line.split("\r")[-1].strip()]


def test_one_line_per_stage_with_counts_totals_and_time():
    clock = Clock()
    with Progress(Terminal(), clock=clock, width=200) as progress:
        progress.stage("reading", "documents read", "parsed", "from the build cache")
        progress.total("documents read", 3)
        for _ in range(3):
            progress.add("documents read")
            progress.add("parsed")
            clock.now += 1
        progress.stage("resolution")
        clock.now += 0.25
    assert final_lines(progress.stream.getvalue()) == [
        "kg: reading: 3/3 documents read, 3 parsed (3.0 s)",  # a counter at 0 without a total is left out
        "kg: resolution (0.2 s)",
    ]
    assert progress.stream.getvalue().endswith("\n")


def test_counting_redraws_at_most_every_interval():
    clock = Clock()
    progress = Progress(Terminal(), clock=clock, interval=0.25, width=200)
    progress.stage("NLP", "parsed")
    for _ in range(10_000):  # a burst of documents within one interval: no redraw
        progress.add("parsed")
    assert progress.stream.getvalue().count("\r") == 1  # the stage's first draw
    clock.now += 0.25
    progress.add("parsed")
    clock.now += 0.1
    progress.add("parsed")
    assert progress.stream.getvalue().count("\r") == 2
    assert progress.stream.getvalue().endswith("kg: NLP: 10001 parsed (0.2 s)")
    assert "\n" not in progress.stream.getvalue()  # the line is rewritten in place until the stage ends


def test_a_shorter_redraw_blanks_the_rest_of_the_line_and_long_lines_are_cut():
    clock = Clock()
    progress = Progress(Terminal(), clock=clock, width=200)
    progress.stage("NLP", "parsed")
    clock.now += 100
    progress.add("parsed")
    clock.now -= 99.5  # the line gets shorter: "(100.0 s)" -> "(0.5 s)"
    progress.stage("page")
    progress.close()
    first, second = progress.stream.getvalue().split("\n")[:2]
    assert first.startswith("\rkg: NLP") and second == "\rkg: page (0.0 s)\rkg: page (0.0 s)"
    cut = Progress(Terminal(), clock=clock, width=20)
    cut.stage("a stage with a very long name", "documents")
    assert max(len(part) for part in cut.stream.getvalue().split("\r")) < 20


def test_off_for_quiet_and_when_the_stream_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    for progress in (Progress.for_stream(io.StringIO()), Progress.for_stream(Terminal(), quiet=True)):
        assert not progress.enabled
        progress.stage("NLP", "parsed")
        progress.add("parsed")
        assert list(progress.each([1, 2], "parsed")) == [1, 2]
        progress.close()
        assert progress.stream.getvalue() == ""
    assert Progress.for_stream(Terminal()).enabled


def test_the_environment_variable_forces_it_on_or_off(monkeypatch):
    monkeypatch.setenv(ENV, "1")
    assert Progress.for_stream(io.StringIO()).enabled
    assert not Progress.for_stream(io.StringIO(), quiet=True).enabled
    monkeypatch.setenv(ENV, "0")
    assert not Progress.for_stream(Terminal()).enabled


# --------------------------------------------------------------------------- a real build of the seeds

def test_a_build_on_a_terminal_shows_its_stages_and_writes_the_same_files(seeds_out, tmp_path, monkeypatch):
    from kg.pipeline import build

    monkeypatch.delenv(ENV, raising=False)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    result = build([SEEDS], out=tmp_path / "out", quiet=False)
    lines = final_lines(terminal.getvalue())
    assert [line[len("kg: "):].split(":")[0].split(" (")[0] for line in lines] == STAGES, lines
    assert lines[1].startswith("kg: reading and NLP: 2/2 documents read, 2 parsed ("), lines
    assert result.outputs["html"].exists()
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == seeds_out.outputs["turtle"].read_bytes()
    assert (tmp_path / "out" / "graph.html").read_bytes() == seeds_out.outputs["html"].read_bytes()
    # again into the same folder: the documents come from the build cache
    terminal.seek(0)
    terminal.truncate()
    build([SEEDS], out=tmp_path / "out", quiet=False)
    assert final_lines(terminal.getvalue())[1].startswith("kg: reading and NLP: 2/2 documents read, 2 from the build cache (")


def test_a_quiet_build_writes_nothing_on_a_terminal(tmp_path, monkeypatch, nlp):
    from kg.pipeline import build

    monkeypatch.setenv(ENV, "1")
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    build([SEEDS / "000_d337aa177af2950f.txt"], out=tmp_path / "out", quiet=True, html=False)
    assert terminal.getvalue() == ""
