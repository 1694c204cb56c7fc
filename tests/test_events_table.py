"""kg.events_table: one row per event and actor pair, as GDELT and PETRARCH users expect."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest

from kg.cameo import goldstein
from kg.events_table import COLUMNS, event_rows, events_csv, write_events_csv
from kg.export import read_graph
from kg.graphindex import Event, actor_pairs

from conftest import ROOT

ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

#: Two small articles with front matter: a state visit with a place, and a call
#: between two office-holders told without a date (dated by publication).
ARTICLES = {
    "kenya.md": """---
title: Ruto meets Guterres
date: 2024-05-06
url: https://example.org/ruto-guterres
---
President William Ruto of Kenya met UN Secretary-General Antonio Guterres in Nairobi on May 3, 2024.

Kenya and Ghana signed a trade agreement in Accra in June 2023.
""",
    "call.md": """---
title: Scholz and Kishida
date: 2023-03-15
url: https://example.org/scholz-kishida
---
German Chancellor Olaf Scholz spoke with Japanese Prime Minister Kishida Fumio by telephone.
""",
}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture(scope="module")
def seeds_rows(seeds_graph):
    return list(event_rows(seeds_graph))


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, nlp):
    from kg.pipeline import build

    src = tmp_path_factory.mktemp("events-in")
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("events-out")
    build([src], out=out, html=False)
    return out


def _find(rows, **want):
    return [r for r in rows if all(r[k] == v for k, v in want.items())]


# ------------------------------------------------------------------ the seeds


def test_header_and_every_row_have_the_documented_columns(seeds_graph):
    data = events_csv(seeds_graph)
    assert data.decode("utf-8").split("\n", 1)[0] == ",".join(COLUMNS)
    rows = _rows(data)
    assert rows and all(list(r) == list(COLUMNS) for r in rows)


def test_dates_are_iso_with_their_precision(seeds_rows):
    dated = [r for r in seeds_rows if r["date_start"]]
    assert len(dated) >= 20
    for r in dated:
        assert ISO_DATE.fullmatch(r["date_start"]) and ISO_DATE.fullmatch(r["date_end"]), r
        assert r["date_inferred"] in ("true", "false")
        if r["date_start"] != r["date_end"]:
            assert r["date_precision"] == "range"
        else:
            assert r["date_precision"] == {4: "year", 7: "month", 10: "day"}[len(r["date_start"])]
    for r in seeds_rows:
        if not r["date_start"]:
            assert r["date_end"] == r["date_precision"] == r["date_inferred"] == ""


def test_cameo_codes_and_goldstein_values_come_from_the_event_types(seeds_rows):
    from kg.nlp.rules import relation_rules

    kinds = relation_rules()["event_types"]
    label_to_code = {spec["label"]: spec.get("cameo") or "" for spec in kinds.values()}
    coded = [r for r in seeds_rows if r["cameo_code"]]
    assert len(coded) >= 20
    for r in seeds_rows:
        assert r["cameo_code"] == label_to_code[r["event_type"]], r["event_type"]
        assert re.fullmatch(r"\d{3,4}|", r["cameo_code"])
        assert r["goldstein"] == (goldstein(r["cameo_code"]) or "")
    assert {r["goldstein"] for r in coded if r["event_type"] == "Visit"} == {"1.9"}


def test_xi_jinpings_visit_to_russia(seeds_rows):
    found = _find(seeds_rows, event_type="Visit", actor1_label="Xi Jinping", actor2_label="Russia")
    assert len(found) == 1
    row = found[0]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2023-03-20", "2023-03-22", "range")
    assert (row["cameo_code"], row["goldstein"]) == ("042", "1.9")
    assert (row["actor1_role"], row["actor1_type"], row["actor1_qid"]) == ("agent", "Person", "Q15031")
    assert (row["actor1_country"], row["actor1_country_iso3"]) == ("China", "CHN")
    assert (row["actor2_role"], row["actor2_country_iso3"], row["actor2_qid"]) == ("target", "RUS", "Q159")
    assert row["doc_id"] == "6d69fed40cc9dc93" and "Russia" in row["evidence"]


def test_rows_are_sorted_and_the_bytes_do_not_depend_on_the_store(seeds_out, seeds_graph, seeds_rows):
    keys = [(r["date_start"] == "", r["date_start"], r["date_end"], r["event_id"]) for r in seeds_rows]
    assert keys == sorted(keys)
    data = events_csv(seeds_graph)
    assert events_csv(seeds_graph) == data
    # the Turtle read back (another rdflib graph) and the build's Oxigraph store give the same bytes
    assert events_csv(read_graph(seeds_out.outputs["turtle"])) == data
    from kg.store import open_store_graph

    assert events_csv(open_store_graph(seeds_out.outputs["turtle"].parent)) == data


def test_every_event_of_the_graph_has_a_row(seeds_graph, seeds_rows):
    from rdflib.namespace import RDF

    from kg.ns import KGO

    typed = {str(e) for e in seeds_graph.subjects(KGO.eventType, None)}
    assert {r["event_id"] for r in seeds_rows} == typed
    assert {r["event_id"] for r in seeds_rows} <= {str(e) for e in seeds_graph.subjects(RDF.type, KGO.Event)}


# ------------------------------------------------------------------ small texts


def test_documents_urls_places_and_states(small_build):
    rows = list(event_rows(read_graph(small_build)))
    meeting = _find(rows, event_type="Meeting", actor1_label="William Ruto")
    assert len(meeting) == 1, rows
    m = meeting[0]
    assert (m["date_start"], m["date_precision"], m["date_inferred"]) == ("2024-05-03", "day", "false")
    assert (m["actor1_country"], m["actor1_country_iso3"]) == ("Kenya", "KEN")  # President ... of Kenya
    assert m["actor2_label"] == "António Guterres" and m["actor2_country_iso3"] == ""  # heads the UN, no state
    assert (m["place_label"], m["place_country_iso3"]) == ("Nairobi", "KEN")
    assert float(m["place_latitude"]) == pytest.approx(-1.28, abs=0.05)
    assert float(m["place_longitude"]) == pytest.approx(36.82, abs=0.05)
    assert (m["doc_url"], m["doc_date"], m["num_documents"]) == ("https://example.org/ruto-guterres", "2024-05-06", "1")
    assert m["evidence"].startswith("President William Ruto of Kenya met")

    # two agents and nobody on the other side: one row for the pair
    deal = _find(rows, event_type="Agreement")
    assert [(r["actor1_label"], r["actor1_role"], r["actor2_label"], r["actor2_role"]) for r in deal] == [
        ("Ghana", "agent", "Kenya", "agent")]
    assert (deal[0]["date_start"], deal[0]["date_precision"]) == ("2023-06", "month")
    assert (deal[0]["cameo_code"], deal[0]["goldstein"]) == ("057", "8.0")
    assert (deal[0]["place_label"], deal[0]["place_country_iso3"]) == ("Accra", "GHA")


def test_an_undated_call_is_dated_by_publication_and_marked_inferred(small_build):
    rows = list(event_rows(read_graph(small_build)))
    call = _find(rows, event_type="Call")
    assert len(call) == 1, rows
    c = call[0]
    assert (c["date_start"], c["date_inferred"], c["date_source"]) == ("2023-03-15", "true", "publication")
    assert (c["actor1_label"], c["actor1_country_iso3"]) == ("Olaf Scholz", "DEU")
    assert (c["actor2_label"], c["actor2_country_iso3"]) == ("Fumio Kishida", "JPN")
    assert (c["cameo_code"], c["goldstein"]) == ("041", "1.0")


def test_write_is_atomic_and_matches_the_bytes(small_build, tmp_path):
    graph = read_graph(small_build)
    path = write_events_csv(graph, tmp_path / "sub" / "events.csv")
    assert path.read_bytes() == events_csv(graph)
    assert [p.name for p in path.parent.iterdir()] == ["events.csv"]  # no temporary file left


# ------------------------------------------------------------------ actor pairs


def _event(agents=(), targets=(), participants=()):
    return Event(iri="e", label="e", type="Meeting", type_label="Meeting", cameo="040", start="", end="",
                 precision="", inferred=None, date_source="", planned=False, agents=tuple(agents),
                 targets=tuple(targets), participants=tuple(participants), place=None, represents=(),
                 evidence=(), documents=())


@pytest.mark.parametrize("event, expected", [
    (_event(["a"], ["t1", "t2"]), [(("a", "agent"), ("t1", "target")), (("a", "agent"), ("t2", "target"))]),
    (_event(["a", "b"]), [(("a", "agent"), ("b", "agent"))]),
    (_event(["a", "b", "c"]), [(("a", "agent"), ("b", "agent")), (("a", "agent"), ("c", "agent")),
                               (("b", "agent"), ("c", "agent"))]),
    (_event(["a"], [], ["p"]), [(("a", "agent"), ("p", "participant"))]),
    (_event(["a"]), [(("a", "agent"), None)]),
    (_event([], ["t"]), [(None, ("t", "target"))]),
    (_event(), [(None, None)]),
    (_event(["a"], ["a", "t"]), [(("a", "agent"), ("t", "target"))]),
])
def test_actor_pairs(event, expected):
    assert actor_pairs(event) == expected


# ------------------------------------------------------------------ the command


def _kg(*args):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_writes_the_table_and_rejects_a_bad_format(small_build, tmp_path):
    out = tmp_path / "events.csv"
    proc = _kg("export", "-f", "events-csv", "-g", str(small_build), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == events_csv(read_graph(small_build))
    assert "wrote events-csv" in proc.stderr
    stdout = subprocess.run([sys.executable, "-m", "kg", "export", "-f", "events-csv", "-g", str(small_build)],
                            capture_output=True, cwd=ROOT)
    assert stdout.returncode == 0 and stdout.stdout == out.read_bytes()

    bad = _kg("export", "-f", "events-tsv", "-g", str(small_build))
    assert bad.returncode == 2
    assert "invalid choice: 'events-tsv'" in bad.stderr and "events-csv" in bad.stderr
    missing = _kg("export", "-f", "events-csv", "-g", str(tmp_path / "nothing"), "-o", str(tmp_path / "x.csv"))
    assert missing.returncode == 1 and "kg: error: no graph at" in missing.stderr
    assert not (tmp_path / "x.csv").exists()


def test_every_column_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in readme or (column.startswith("actor2_") and "`actor2_…`" in readme), column
