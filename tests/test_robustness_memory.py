"""Issue 19, item 4: memory bounded for any one document, whatever its text.

A file of ``key: value`` lines, long front matter, a megabyte of prose in one
file: spaCy's memory grows with the characters of a batch, and 32 chunks of
a long document at once took a build 2-4 GB. ``bench/memory.py`` measures
the full-size cases against the 1.0 GB target; these are smaller and quick.
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from kg.ingest import iter_documents, read_document
from kg.records import MetadataSkipped, SourceDoc

from conftest import ROOT

MAX_LINES = 200  # kg.ingest.frontmatter.MAX_LINES, the longest front matter read
ARTICLE = ("President William Ruto of Kenya met President Joe Biden in Nairobi on March 25, 2023. "
           "They discussed trade and energy.\n")


def _key_value_lines(size: int) -> str:
    rng = random.Random(1)
    words = ["alpha", "status", "timeout", "region", "Washington", "Paris", "owner", "level"]
    lines = []
    while sum(map(len, lines)) + len(lines) < size:
        lines.append(f"{rng.choice(words)}_{len(lines)}: {rng.choice(words)} {rng.randrange(10_000)}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------- spaCy's batches

#: Runs the command in its arguments and prints the peak RSS (KiB) of its
#: largest process. Not measured from the test's process: a child's
#: ``ru_maxrss`` starts at the RSS of the process that spawned it (here
#: pytest's, with the model loaded), so a small interpreter spawns the build.
_PEAK_OF_CHILD = ("import resource, subprocess, sys\n"
                  "status = subprocess.run(sys.argv[1:]).returncode\n"
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                  "sys.exit(status)\n")


@pytest.mark.slow
def test_a_key_value_file_builds_in_bounded_memory(tmp_path):
    # 15 chunks of 20,000 characters: spaCy had them all in one batch and
    # the build peaked at 1,240 MiB; two at a time, at 480.
    src = tmp_path / "keys.txt"
    src.write_text(_key_value_lines(300_000), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _PEAK_OF_CHILD, sys.executable, "-m", "kg", "build", str(src),
                           "--out", str(tmp_path / "out"), "--no-html", "--no-store", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0
    peak_mib = int(proc.stdout.split()[-1]) / 1024
    assert peak_mib < 800, f"kg build of 300 KB of key: value lines peaked at {peak_mib:.0f} MiB"


@pytest.mark.slow
def test_spacy_gets_a_long_document_in_batches_bounded_in_characters(nlp, monkeypatch):
    from kg.nlp import extract as extraction

    paragraph = " ".join(ARTICLE.strip() for _ in range(60))  # about 7,500 characters
    from kg.ingest import make_doc

    long_doc = make_doc("\n\n".join([paragraph] * 6), source="long.txt")  # 3 chunks of 15,000 characters
    whole = extraction.extract_doc(long_doc, nlp)
    batches = []
    pipe = nlp.pipe

    def recording(items, **options):
        if options.get("as_tuples"):  # (spaCy's own call back, with the texts alone, is not a batch)
            items = list(items)
            batches.append(sum(len(text) for text, _ in items))
        return pipe(items, **options)

    monkeypatch.setattr(nlp, "pipe", recording)
    [batched] = extraction.extract([long_doc], nlp, batch_chars=20_000)
    assert len(batches) == 3 and all(n <= 20_000 for n in batches), batches
    assert batched == whole  # the batches do not change what is found


# ------------------------------------------------------------- long front matter

def _front_matter(lines: int) -> str:
    head = ['title: "Presidents meet in Nairobi"', "date: 2023-03-25", "tags:", "- Kenya", "- trade",
            "description: |", "  A long description", "  over two lines."]
    head += [f"field_{i}: value {i}" for i in range(lines - len(head))]
    return "---\n" + "\n".join(head) + "\n---\n\n" + ARTICLE


def test_front_matter_over_the_limit_is_left_out_with_a_warning_not_read_as_the_article(tmp_path):
    long = tmp_path / "long.md"
    long.write_text(_front_matter(MAX_LINES + 50), encoding="utf-8")
    (tmp_path / "short.md").write_text(_front_matter(MAX_LINES), encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    docs = {d.source: d for d in items if isinstance(d, SourceDoc)}
    [warning] = [i for i in items if not isinstance(i, SourceDoc)]
    assert isinstance(warning, MetadataSkipped) and warning.source == str(long)
    assert warning.reason == ("front matter ignored: 250 lines long, over the 200 lines kg reads; "
                              "the text after it was read")
    assert "at most 200 lines" in warning.hint
    assert docs[str(long)].text == ARTICLE.strip()
    assert docs[str(long)].title is None
    short = docs[str(tmp_path / "short.md")]  # up to the limit, front matter is read
    assert (short.text, short.title, short.date) == (ARTICLE.strip(), "Presidents meet in Nairobi", "2023-03-25")


def test_a_megabyte_of_front_matter_is_left_out_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(_front_matter(50_000), encoding="utf-8")
    assert read_document(path).text == ARTICLE.strip()


@pytest.mark.parametrize("text, kept", [
    # prose between two rules, long: a line of text at the margin is no front matter
    ("---\n" + "Notes: a line like a key.\n" * 10 + "The summit opened on Monday.\n" * 300 + "---\nMore.",
     "The summit opened on Monday."),
    # key lines, long, never closed: a key: value file, read as text
    ("---\n" + "key: value\n" * 300 + "and then prose.", "key: value"),
    ("+++\n" + "key = 1\n" * 300 + "Text at the margin.\n+++\nMore.", "Text at the margin."),
])
def test_a_long_block_that_is_not_front_matter_stays_text(tmp_path, text, kept):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert kept in read_document(path).text
