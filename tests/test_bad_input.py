"""Bad input never costs the good documents (issue 8, item 1).

Each test builds a folder holding one bad file and a good article, and
checks that the good article is in the graph and that the bad file was
either processed or reported as skipped with the reason and what to do.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from kg.ingest import DEFAULT_MAX_BYTES, iter_documents
from kg.ns import KGO
from kg.records import Skipped

pytestmark = pytest.mark.slow  # every test builds its files with the spaCy pipeline

GOOD = ("President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda, "
        "and the two presidents signed agreements on trade, energy and tourism in the capital.")
GERMAN = ("Bundeskanzler Olaf Scholz besuchte am Montag Peking und traf Präsident Xi Jinping. Die beiden sprachen "
          "über Handel und den Krieg in der Ukraine. Scholz sagte, Deutschland wolle die Beziehungen zu China "
          "weiter ausbauen, aber Abhängigkeiten verringern.")
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def build_with_good(tmp_path: Path, make_bad, **options):
    """Build ``in/`` = a good article + whatever *make_bad(folder)* puts there."""
    from kg.pipeline import build

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    make_bad(folder)
    result = build([folder], out=tmp_path / "out", html=False, **options)
    # The good article made it into the graph, and the written Turtle parses.
    good = str(folder / "good.txt")
    assert good in {ex.doc.source for ex in result.extractions}
    written = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    angola = next(written.subjects(RDFS.label, Literal("Angola")))
    sources = {str(written.value(doc, KGO.source)) for doc in written.objects(angola, KGO.mentionedIn)}
    assert good in sources
    return folder, result


def skipped_as(result, path) -> Skipped:
    [item] = [s for s in result.skipped if s.source == str(path)]
    assert item.reason and item.hint, item
    return item


def processed(result, path):
    [ex] = [ex for ex in result.extractions if ex.doc.source == str(path)]
    return ex.doc


# Bad file -> (how to make it, the reason it is skipped with; None: processed)
SKIPPED = {
    "empty": (lambda d: (d / "empty.txt").write_bytes(b""), "empty.txt", "empty file"),
    "whitespace only": (lambda d: (d / "blank.txt").write_bytes(b" \n\t\r\n   \n"), "blank.txt", "empty file"),
    "PNG named .txt": (lambda d: (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(256)), "scan.txt",
                       "binary file (a PNG image)"),
    "NUL bytes": (lambda d: (d / "nul.txt").write_bytes(b"text\x00\x00\x00more\x00" * 100), "nul.txt",
                  "binary file (contains NUL bytes)"),
    "HTML with only scripts and styles": (
        lambda d: (d / "scripts.html").write_text(
            "<html><head><style>body{color:red}</style><script>var a = '<p>not text</p>';</script></head>"
            "<body><script src='x.js'></script><style>p{}</style><noscript></noscript></body></html>", encoding="utf-8"),
        "scripts.html", "no article text found in the HTML page"),
    "front matter and nothing else": (
        lambda d: (d / "meta.md").write_text("---\ntitle: Only metadata\ndate: 2022-01-01\n---\n", encoding="utf-8"),
        "meta.md", "no article text"),
    "non-English": (lambda d: (d / "german.txt").write_text(GERMAN, encoding="utf-8"), "german.txt",
                    "language 'de' detected; kg reads 'en'"),
    "named pipe": (lambda d: os.mkfifo(d / "pipe.txt"), "pipe.txt", "not a regular file (a named pipe)"),
    "dangling symlink": (lambda d: (d / "gone.txt").symlink_to(d / "no-such-file.txt"), "gone.txt",
                         "broken symbolic link"),
    "symlink loop": (lambda d: ((d / "loop-a.txt").symlink_to(d / "loop-b.txt"), (d / "loop-b.txt").symlink_to(d / "loop-a.txt")),
                     "loop-a.txt", "symbolic link loop"),
}


@pytest.mark.parametrize("case", list(SKIPPED))
def test_bad_file_is_skipped_and_the_good_one_built(tmp_path, case):
    make, name, reason = SKIPPED[case]
    folder, result = build_with_good(tmp_path, make)
    item = skipped_as(result, folder / name)
    assert reason in item.reason


def test_symlinked_folder_loop_does_not_hang(tmp_path):
    def make(d):
        (d / "sub").mkdir()
        (d / "sub" / "up").symlink_to(d, target_is_directory=True)
        (d / "sub" / "self").symlink_to(d / "sub", target_is_directory=True)

    _, result = build_with_good(tmp_path, make)
    assert [ex.doc.source for ex in result.extractions] == [str(tmp_path / "in" / "good.txt")]


def test_unreadable_file_and_folder(tmp_path):
    """chmod 000 stops everyone but root: as root the files are read (the
    named-pipe, dangling-symlink and loop cases above are the unreadable
    files that stop root too)."""
    def make(d):
        (d / "locked.txt").write_text(GOOD.replace("Angola", "Namibia"), encoding="utf-8")
        (d / "locked.txt").chmod(0)
        (d / "closed").mkdir()
        (d / "closed" / "inside.txt").write_text(GOOD.replace("Angola", "Kenya"), encoding="utf-8")
        (d / "closed").chmod(0)

    try:
        folder, result = build_with_good(tmp_path, make)
        if ROOT:
            processed(result, folder / "locked.txt")
            processed(result, folder / "closed" / "inside.txt")
        else:
            assert skipped_as(result, folder / "locked.txt").reason == "permission denied"
            assert skipped_as(result, folder / "closed").reason.startswith("cannot list folder")
    finally:
        (tmp_path / "in" / "closed").chmod(0o755)


def test_invalid_utf8_is_decoded_and_processed(tmp_path):
    def make(d):
        (d / "broken.txt").write_bytes("Dilma Rousseff visited S\u00e3o Tom\u00e9 and Pr\u00edncipe.".encode("utf-8")
                                       + b" The minister said \x93yes\x94 \xff\xfe to the deal.")

    folder, result = build_with_good(tmp_path, make)
    text = processed(result, folder / "broken.txt").text
    assert "S\u00e3o Tom\u00e9 and Pr\u00edncipe" in text and 'said "yes"' in text


def test_latin1_and_windows_1252_are_decoded(tmp_path):
    latin = "Le pr\u00e9sident de la C\u00f4te d'Ivoire a visit\u00e9 Paris \u00e0 No\u00ebl. Gr\u00fc\u00dfe, \u00a3 \u00bd."
    cp = "The minister said \u201cpeace\u201d \u2013 and \u2018now\u2019 \u2014 for \u20ac5\u2026 Fran\u00e7ois agreed."

    def make(d):
        (d / "latin1.txt").write_bytes(latin.encode("latin-1"))
        (d / "cp1252.txt").write_bytes(cp.encode("cp1252"))

    folder, result = build_with_good(tmp_path, make, )
    # language=None would not matter here: both are short enough not to be judged.
    assert processed(result, folder / "latin1.txt").text == latin
    assert processed(result, folder / "cp1252.txt").text == \
        "The minister said \"peace\" \u2013 and 'now' \u2014 for \u20ac5\u2026 Fran\u00e7ois agreed."


def test_utf16_with_bom(tmp_path):
    text = GOOD.replace("Angola", "Mo\u00e7ambique")

    def make(d):
        (d / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
        (d / "utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + text.replace("Lula", "Dilma").encode("utf-16-be"))

    folder, result = build_with_good(tmp_path, make)
    assert processed(result, folder / "utf16.txt").text == text
    assert "Mo\u00e7ambique" in processed(result, folder / "utf16be.txt").text


def _write_big(path: Path, size: int) -> None:
    block = (GOOD + "\n\n").encode() * (1024 * 1024 // len(GOOD))
    with open(path, "wb") as f:
        while f.tell() < size:
            f.write(block[: size - f.tell()])


def test_50_mb_file_is_refused_without_being_read(tmp_path):
    big = tmp_path / "in" / "big.txt"
    try:
        folder, result = build_with_good(tmp_path, lambda d: _write_big(d / "big.txt", 50 * 1024 * 1024))
        item = skipped_as(result, big)
        assert item.reason == f"file is {50 * 1024 * 1024:,} bytes, over the {DEFAULT_MAX_BYTES:,}-byte limit"
        assert "--max-bytes" in item.hint
        # Refused from its size: reading the folder again takes next to no memory.
        tracemalloc.start()
        try:
            items = list(iter_documents([big]))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert [i.reason for i in items] == [item.reason]
        assert peak < 1024 * 1024, peak
    finally:
        big.unlink(missing_ok=True)


def test_1_mb_single_line_is_processed_in_chunks(tmp_path):
    # No sentence break and no newline in a million characters: the text is
    # cut at spaces into chunks spaCy can take.
    line = "President Cyril Ramaphosa visited Kenya and met President William Ruto in Nairobi "
    token = "thetwoleadersdiscussedtradeinvestmentandregionalsecurityandagreedtostrengthencooperationbetweentheircountries"
    line += " ".join([token] * (1_000_000 // len(token)))
    line = line[:1_000_000]

    def make(d):
        (d / "one-line.txt").write_text(line, encoding="utf-8")

    started = time.perf_counter()
    folder, result = build_with_good(tmp_path, make)
    elapsed = time.perf_counter() - started
    doc = processed(result, folder / "one-line.txt")
    assert len(doc.text) == 1_000_000 and "\n" not in doc.text
    labels = {e.label for e in result.resolution.entities}
    assert {"Kenya", "Nairobi"} <= labels
    assert elapsed < 90, elapsed


def test_truncated_html_is_processed(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Ramaphosa in Nairobi</title>"
            "<meta property='article:published_time' content='2023-11-20'></head><body><article>"
            "<h1>Ramaphosa in Nairobi</h1><p>President Cyril Ramaphosa visited Kenya and met President William Ruto "
            "in Nairobi on Monday. The two leaders discussed trade and security in the region.</p>"
            "<p>They also agreed to open new air routes between Johannesburg and Mom")

    folder, result = build_with_good(tmp_path, lambda d: (d / "cut.html").write_text(page, encoding="utf-8"))
    doc = processed(result, folder / "cut.html")
    assert doc.text.startswith("President Cyril Ramaphosa visited Kenya") and doc.date == "2023-11-20"


def test_file_names_with_spaces_quotes_and_non_ascii(tmp_path):
    name = "it's a \"quoted\" caf\u00e9 \u2013 na\u00efve \u5317\u4eac report.txt"
    raw_name = os.fsdecode(b"caf\xe9 latin-1 name.txt")  # not UTF-8: kept by Python as a lone surrogate

    def make(d):
        (d / name).write_text(GOOD.replace("Angola", "Namibia"), encoding="utf-8")
        (d / raw_name).write_text(GOOD.replace("Angola", "Kenya"), encoding="utf-8")

    folder, result = build_with_good(tmp_path, make)
    assert processed(result, folder / name).source.endswith(name)
    shown = str(folder / "caf\ufffd latin-1 name.txt")
    processed(result, shown)
    written = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "caf\u00e9 \u2013 na\u00efve \u5317\u4eac report.txt" in written and "caf\ufffd latin-1" in written


def test_corpus_file_with_bad_records(tmp_path):
    def make(d):
        (d / "dump.jsonl").write_text("\n".join([
            json.dumps({"id": "ok", "text": GOOD.replace("Angola", "Namibia")}),
            '{"id": "cut", "text": "President',
            json.dumps({"id": "de", "text": GERMAN}),
        ]), encoding="utf-8")

    folder, result = build_with_good(tmp_path, make)
    processed(result, f"{folder / 'dump.jsonl'}#ok")
    assert skipped_as(result, f"{folder / 'dump.jsonl'}#2").reason.startswith("line 2: invalid JSON")
    assert skipped_as(result, f"{folder / 'dump.jsonl'}#de").reason == "line 3: language 'de' detected; kg reads 'en'"


def test_cli_exit_status_3_lists_every_skipped_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "german.txt").write_text(GERMAN, encoding="utf-8")
    _write_big(folder / "big.txt", DEFAULT_MAX_BYTES + 1)
    try:
        run = subprocess.run([sys.executable, "-m", "kg", "build", str(folder), "--out", str(tmp_path / "out"),
                              "--no-html", "--quiet"], capture_output=True, text=True, timeout=300,
                             cwd=tmp_path, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    finally:
        (folder / "big.txt").unlink()
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    lines = sorted(line for line in run.stderr.splitlines() if line.startswith("kg: skipped "))
    assert lines == sorted([
        f"kg: skipped {folder / 'big.txt'}: file is {DEFAULT_MAX_BYTES + 1:,} bytes, over the "
        f"{DEFAULT_MAX_BYTES:,}-byte limit (split it, or raise the limit with --max-bytes)",
        f"kg: skipped {folder / 'empty.txt'}: empty file (nothing to read)",
        f"kg: skipped {folder / 'german.txt'}: language 'de' detected; kg reads 'en' "
        "(pass --model with a pipeline for that language)",
        f"kg: skipped {folder / 'scan.html'}: binary file (a PNG image) (give kg text, Markdown or HTML)",
    ])
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert (None, RDFS.label, Literal("Angola")) in graph
