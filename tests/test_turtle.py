"""The Turtle of a build: N-Triples sorted on disk (flat memory), any input order."""

import io
import random

from rdflib import Graph

import kg.turtle as turtle
from kg.ns import PREFIXES
from kg.turtle import sorted_unique_lines, write_turtle_from_ntriples


def _lines(n, seed=5):
    rng = random.Random(seed)
    lines = [f'<https://w3id.org/kg/id/person/p{rng.randrange(n // 3)}> <https://w3id.org/kg/ontology#n> '
             f'"{rng.randrange(50)}" .\n'.encode() for _ in range(n)]
    return lines


def test_external_sort_is_sorted_set_in_rounds(tmp_path, monkeypatch):
    lines = _lines(5000)
    path = tmp_path / "in.nt"
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(turtle, "MERGE_FAN_IN", 4)  # 50 runs of 100 lines: two merge rounds
    got = list(sorted_unique_lines(path, run_lines=100, tmpdir=tmp_path))
    assert got == sorted(set(lines))
    assert list(sorted_unique_lines(b"".join(lines))) == got  # the in-memory path agrees
    assert [p.name for p in tmp_path.iterdir()] == ["in.nt"]  # the runs are gone


def test_one_run_and_a_last_line_without_newline(tmp_path):
    path = tmp_path / "in.nt"
    path.write_bytes(b"<a:x> <a:p> <a:z> .\n\n<a:x> <a:p> <a:y> .")
    assert list(sorted_unique_lines(path)) == [b"<a:x> <a:p> <a:y> .\n", b"<a:x> <a:p> <a:z> .\n"]


def test_turtle_does_not_depend_on_the_order_of_the_triples(seeds_out, tmp_path):
    nt = seeds_out.graph.serialize(format="nt", encoding="utf-8")
    lines = nt.splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    shuffled = tmp_path / "shuffled.nt"
    shuffled.write_bytes(b"".join(lines + lines[:50]))  # duplicates too
    a, b = io.BytesIO(), io.BytesIO()
    write_turtle_from_ntriples(nt, a, PREFIXES)
    write_turtle_from_ntriples(shuffled, b, PREFIXES, tmpdir=tmp_path)
    assert a.getvalue() == b.getvalue() == seeds_out.outputs["turtle"].read_bytes()
    back = Graph().parse(data=a.getvalue().decode("utf-8"), format="turtle")
    assert len(back) == len(seeds_out.graph)
