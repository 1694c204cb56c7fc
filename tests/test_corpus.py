"""Corpus files (.jsonl, .csv, .tsv): streamed, one document per record."""

import codecs
import csv
import gc
import json
import os
import tracemalloc

import pytest

from kg.errors import KGError
from kg.ingest import iter_documents
from kg.ingest.corpus import Record, field_map, iter_records
from kg.records import Skipped, SourceDoc

TEXT = ("President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda, "
        "and the two presidents signed agreements on trade, energy and tourism in the capital.")
GERMAN = ("Bundeskanzler Olaf Scholz besuchte am Montag Peking und traf Präsident Xi Jinping. Die beiden sprachen "
          "über Handel und den Krieg in der Ukraine. Scholz sagte, Deutschland wolle die Beziehungen ausbauen.")


def _jsonl(path, *objects):
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects), encoding="utf-8")
    return path


def _split(items):
    docs = [i for i in items if isinstance(i, SourceDoc)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    return docs, skipped


def test_jsonl_records_become_documents_with_metadata(tmp_path):
    p = _jsonl(tmp_path / "dump.jsonl",
               {"id": "a1", "title": "Lula in Angola", "date": "2023-08-25T10:00:00Z", "url": "https://example.org/a1",
                "source": "Example Wire", "author": ["Ana Souza", "Bo Li"], "text": TEXT},
               {"text": TEXT.replace("Angola", "Namibia"), "publisher": {"name": "Other Wire"}, "date": 1668412800})
    docs, skipped = _split(list(iter_documents([p])))
    assert skipped == []
    first, second = docs
    assert (first.source, first.title, first.date, first.url, first.publisher, first.author, first.language) == (
        f"{p}#a1", "Lula in Angola", "2023-08-25", "https://example.org/a1", "Example Wire", "Ana Souza, Bo Li", "en")
    assert (second.source, second.date, second.publisher) == (f"{p}#2", "2022-11-14", "Other Wire")


def test_bad_records_are_skipped_with_their_line_and_the_rest_is_read(tmp_path):
    p = _jsonl(tmp_path / "dump.jsonl",
               {"text": TEXT},
               '{"text": "unterminated',
               {"title": "no text"},
               {"text": "   "},
               {"text": 42},
               "[1, 2, 3]",
               "",
               {"id": "de", "text": GERMAN},
               {"text": TEXT + " Once more."})
    docs, skipped = _split(list(iter_documents([p])))
    assert [d.source for d in docs] == [f"{p}#1", f"{p}#9"]
    reasons = {s.source: (s.reason, s.hint) for s in skipped}
    assert reasons[f"{p}#2"][0].startswith("line 2: invalid JSON")
    assert "fix or remove line 2" in reasons[f"{p}#2"][1]
    assert reasons[f"{p}#3"] == ("line 3: no 'text' key (the text)", "name the text field with --field text=NAME")
    assert reasons[f"{p}#4"][0] == "line 4: the text field 'text' is empty"
    assert reasons[f"{p}#5"][0] == "line 5: the text field 'text' is a number, not a string"
    assert reasons[f"{p}#6"][0] == "line 6: a JSON list, not an object"
    assert reasons[f"{p}#de"][0] == "line 8: language 'de' detected; kg reads 'en'"
    assert len(skipped) == 6


def test_fields_map_other_names_and_nested_keys(tmp_path):
    p = _jsonl(tmp_path / "dump.jsonl", {"Body": TEXT, "meta": {"published_at": "14 November 2022"}, "outlet": "Wire"})
    [doc] = list(iter_documents([p], fields={"text": "body", "date": "meta.published_at", "source": "outlet"}))
    assert (doc.text, doc.date, doc.publisher) == (TEXT, "2022-11-14", "Wire")


def test_unknown_field_is_an_error():
    with pytest.raises(KGError, match="no field 'body'"):
        field_map({"body": "text"})
    assert field_map({"publisher": "outlet"})["source"] == "outlet"


def test_csv_rows_with_quoted_newlines_semicolons_and_a_bom(tmp_path):
    p = tmp_path / "dump.csv"
    with open(p, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ID", "Title", "Body", "published_at"])
        w.writerow(["a7", 'The "deal"; signed', TEXT.replace(". ", ".\n\n"), "2023-08-25"])
        w.writerow(["8", "empty", "", "2023-08-26"])
        w.writerow([])
        w.writerow(["", "no id", TEXT + " Again.", ""])
    items = list(iter_documents([p], fields={"text": "body", "date": "published_at"}, fallback_date="2020-01-01"))
    docs, skipped = _split(items)
    assert [(d.source, d.title, d.date) for d in docs] == [
        (f"{p}#a7", 'The "deal"; signed', "2023-08-25"), (f"{p}#7", "no id", "2020-01-01")]
    assert docs[0].text == TEXT.replace(". ", ".\n\n")
    [empty] = skipped
    assert (empty.source, empty.reason) == (f"{p}#8", "line 5: the text field 'body' is empty")


def test_csv_without_the_text_column_is_one_skip(tmp_path):
    p = tmp_path / "numbers.csv"
    p.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    [skip] = list(iter_documents([p]))
    assert skip.source == str(p)
    assert skip.reason == "no 'text' column (the text); the columns are 'a', 'b'"
    assert "--field text=COLUMN" in skip.hint


def test_tsv_and_utf16_csv(tmp_path):
    p = tmp_path / "dump.tsv"
    p.write_text(f"id\ttext\nx1\t{TEXT}\n", encoding="utf-8")
    q = tmp_path / "excel.csv"
    q.write_bytes(codecs.BOM_UTF16_LE + f"id,text\nx2,\"{TEXT} Société\"\r\n".encode("utf-16-le"))
    docs, skipped = _split(list(iter_documents([p, q])))
    assert skipped == []
    assert [d.source for d in docs] == [f"{p}#x1", f"{q}#x2"]
    assert docs[1].text.endswith("Société")


def test_cp1252_line_in_a_utf8_corpus(tmp_path):
    p = tmp_path / "dump.jsonl"
    p.write_bytes(json.dumps({"text": TEXT}).encode() + b"\n" +
                  b'{"text": "' + f"{TEXT} Le pr\u00e9sident a dit \u201coui\u201d.".encode("cp1252") + b'"}\n')
    docs, skipped = _split(list(iter_documents([p], language=None)))
    assert skipped == [] and docs[1].text.endswith('Le président a dit "oui".')


def test_huge_csv_field_is_read(tmp_path):
    # csv's default field limit is 128 KiB: an article can be longer.
    long_text = " ".join([TEXT] * 1500)  # ~300 KB
    p = tmp_path / "long.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["text"], [long_text], [TEXT]])
    docs, skipped = _split(list(iter_documents([p])))
    assert skipped == [] and len(docs) == 2 and len(docs[0].text) == len(long_text)


def test_record_over_the_limit_is_skipped_and_the_next_is_read(tmp_path):
    p = _jsonl(tmp_path / "dump.jsonl", {"text": "x " * 5000}, {"text": TEXT})
    items = list(iter_records(p, max_bytes=2000))
    assert isinstance(items[0], Skipped) and items[0].reason == "line 1: record is over the 2,000-byte limit"
    assert "--max-bytes" in items[0].hint
    assert isinstance(items[1], Record) and items[1].line == 2


def test_malformed_csv_stops_with_the_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text(f'text\n"{TEXT}"\n"{TEXT} "x" y"\n', encoding="utf-8")
    items = list(iter_records(p, max_bytes=50))
    assert isinstance(items[0], Skipped) and items[0].reason.startswith("line 2: record is over the 50-byte limit")
    assert "the rest of the file was not read" in items[0].reason


@pytest.mark.parametrize("name, data, reason", [
    ("empty.jsonl", b"", "empty file"),
    ("image.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (a PNG image)"),
    ("nul.csv", b"text\n" + b"\x00" * 500, "binary file (contains NUL bytes)"),
])
def test_unreadable_corpus_files(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    [skip] = list(iter_documents([p]))
    assert isinstance(skip, Skipped) and skip.reason == reason and skip.source == str(p)


def _peak_bytes(path, limit: int) -> tuple[int, int]:
    """Peak traced memory while streaming *path*, and the record count."""
    gc.collect()
    tracemalloc.start()
    try:
        count = 0
        for item in iter_documents([path]):
            count += isinstance(item, SourceDoc)
            if count >= limit:
                break
        return tracemalloc.get_traced_memory()[1], count
    finally:
        tracemalloc.stop()


def test_corpus_streams_in_bounded_memory(tmp_path):
    n = 2000
    p = tmp_path / "big.jsonl"
    with open(p, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"r{i}", "date": "2022-11-14",
                                "text": f"Record {i}. " + TEXT.replace("August 25", f"August {i % 28 + 1}")}) + "\n")
    list(iter_documents([_jsonl(tmp_path / "warm.jsonl", {"text": TEXT})]))  # load the language model first
    small, k_small = _peak_bytes(p, 200)
    large, k_large = _peak_bytes(p, n)
    assert (k_small, k_large) == (200, n)
    # Ten times the records, about the same peak: nothing accumulates per record.
    assert large < small * 1.5 + 256 * 1024, (small, large)


def test_named_pipe_called_jsonl_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    [skip] = list(iter_documents([tmp_path]))
    assert skip.reason == "not a regular file (a named pipe)"


@pytest.mark.parametrize("name, content", [("blank.jsonl", "\n  \n\n"), ("header.csv", "id,text\n")])
def test_corpus_without_records(tmp_path, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    [skip] = list(iter_documents([tmp_path]))
    assert skip.reason == "no records in the file"
