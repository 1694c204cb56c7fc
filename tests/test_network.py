"""kg.network: the graph as GraphML, GEXF and node/edge tables, and kg.to_networkx."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import networkx as nx
import pytest

import kg
from kg.errors import ExportError
from kg.export import read_graph
from kg.network import EDGE_COLUMNS, NODE_COLUMNS, network_bytes, to_networkx, write_network

from conftest import ROOT

XI = "https://w3id.org/kg/id/person/xi-jinping"
CHINA = "https://w3id.org/kg/id/country/china"
RUSSIA = "https://w3id.org/kg/id/country/russia"
BIDEN = "https://w3id.org/kg/id/person/joe-biden"


@pytest.fixture(scope="module")
def seeds_net(seeds_graph):
    return to_networkx(seeds_graph)


def test_graphml_reads_back_with_the_same_nodes_and_edges(seeds_graph, seeds_net):
    back = nx.read_graphml(io.BytesIO(network_bytes(seeds_graph, "graphml")), force_multigraph=True)
    assert back.number_of_nodes() == seeds_net.number_of_nodes() > 100
    assert back.number_of_edges() == seeds_net.number_of_edges() > 100
    assert set(back.nodes) == set(seeds_net.nodes)
    assert back.nodes[XI]["label"] == "Xi Jinping" and back.nodes[XI]["mention_count"] == seeds_net.nodes[XI][
        "mention_count"]
    assert back[XI][CHINA]["headOfState"]["weight"] == seeds_net[XI][CHINA]["headOfState"]["weight"]


def test_gexf_reads_back_and_is_dated_by_the_data(seeds_graph, seeds_net, build_texts):
    data = network_bytes(seeds_graph, "gexf")
    back = nx.read_gexf(io.BytesIO(data))
    assert back.number_of_nodes() == seeds_net.number_of_nodes()
    assert back.number_of_edges() == seeds_net.number_of_edges()
    # networkx writes the day it runs; kg writes the documents' latest date, none for the undated seeds
    assert b"lastmodifieddate" not in data and b"<creator>NetworkX" in data
    from kg.graph import add_document
    from kg.records import SourceDoc

    graph = build_texts(["Kenya and Ghana signed a trade agreement in Accra on June 3, 2023."]).graph
    for day in ("2023-06-05", "2023-06-04"):
        add_document(graph, SourceDoc(id=f"d{day}", text="x", source="x", date=day))
    dated = network_bytes(graph, "gexf")
    assert re.findall(rb'lastmodifieddate="([0-9-]+)"', dated) == [b"2023-06-05"]


def test_known_relations_of_the_seeds_are_edges(seeds_net):
    head = seeds_net[XI][CHINA]["headOfState"]
    assert (head["kind"], head["predicate"], head["label"]) == ("relation", "headOfState", "head of state")
    assert head["weight"] > 5  # told in many sentences
    assert seeds_net[XI][BIDEN]["metWith"]["weight"] >= 1
    assert "visited" in seeds_net[XI][RUSSIA]


def test_nodes_have_the_documented_attributes_and_no_none(seeds_net):
    strings = set(NODE_COLUMNS) - {"id", "mention_count", "latitude", "longitude"}
    for iri, data in seeds_net.nodes(data=True):
        assert strings <= set(data), iri
        assert all(isinstance(v, (str, int, float)) for v in data.values()), (iri, data)
        assert ("latitude" in data) == ("longitude" in data)
    assert seeds_net.nodes[CHINA]["country_iso3"] == "CHN" and seeds_net.nodes[CHINA]["qid"] == "Q148"
    assert seeds_net.nodes[XI]["country_iso3"] == "CHN"  # head of state of China
    assert any(d["type"] == "Place" and "latitude" in d for _, d in seeds_net.nodes(data=True))
    for _, _, data in seeds_net.edges(data=True):
        assert set(data) == {"kind", "predicate", "label", "weight"}
        assert isinstance(data["weight"], int) and data["weight"] >= 1


def test_events_are_nodes_linked_by_their_roles(seeds_graph, seeds_net):
    from kg.events_table import event_rows

    visit = next(r for r in event_rows(seeds_graph)
                 if r["event_type"] == "Visit" and r["actor1_label"] == "Xi Jinping" and r["actor2_label"] == "Russia")
    ev = visit["event_id"]
    node = seeds_net.nodes[ev]
    assert (node["kind"], node["type"], node["event_type"], node["cameo_code"]) == ("event", "Event", "Visit", "042")
    assert node["start_date"] == "2023-03-20" and node["mention_count"] == 0
    assert seeds_net[XI][ev]["agent"]["kind"] == "role"
    assert "target" in seeds_net[ev][RUSSIA]
    assert not any(d["kind"] == "cooccurrence" for _, _, d in seeds_net.edges(data=True))


def test_pairs_mode_links_actors_directly(seeds_graph, seeds_net):
    pairs = to_networkx(seeds_graph, events="pairs")
    assert all(d["kind"] == "entity" for _, d in pairs.nodes(data=True))
    assert pairs.number_of_nodes() < seeds_net.number_of_nodes()
    visit = pairs[XI][RUSSIA]["event:Visit"]
    assert (visit["kind"], visit["predicate"], visit["label"]) == ("event", "Visit", "Visit (CAMEO 042)")
    assert not any(d["kind"] == "role" for _, _, d in pairs.edges(data=True))


def test_cooccurrence_only_when_asked(seeds_graph):
    net = to_networkx(seeds_graph, cooccurrence=True)
    co = [(u, v, d) for u, v, d in net.edges(data=True) if d["kind"] == "cooccurrence"]
    assert co and all(u < v for u, v, _ in co)
    assert net[CHINA][XI]["cooccurrence"]["weight"] >= 2  # country/... sorts before person/...


def test_tables_match_the_network(seeds_graph, seeds_net):
    nodes = list(csv.DictReader(io.StringIO(network_bytes(seeds_graph, "nodes-csv").decode())))
    edges = list(csv.DictReader(io.StringIO(network_bytes(seeds_graph, "edges-csv").decode())))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert [n["id"] for n in nodes] == sorted(seeds_net.nodes)
    assert len(edges) == seeds_net.number_of_edges()
    assert {"source": XI, "target": CHINA, "kind": "relation", "predicate": "headOfState"}.items() <= next(
        e for e in edges if e["source"] == XI and e["target"] == CHINA and e["predicate"] == "headOfState").items()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "nodes-csv", "edges-csv"])
def test_bytes_are_the_same_whatever_the_store(seeds_out, seeds_graph, fmt):
    data = network_bytes(seeds_graph, fmt)
    assert network_bytes(seeds_graph, fmt) == data
    assert network_bytes(read_graph(seeds_out.outputs["turtle"]), fmt) == data
    from kg.store import open_store_graph

    assert network_bytes(open_store_graph(seeds_out.outputs["turtle"].parent), fmt) == data


def test_kg_to_networkx_takes_a_graph_or_a_build_folder(seeds_out, seeds_net):
    folder = seeds_out.outputs["turtle"].parent
    from_path = kg.to_networkx(folder)
    assert isinstance(from_path, nx.MultiDiGraph)
    assert sorted(from_path.edges(keys=True)) == sorted(seeds_net.edges(keys=True))
    assert dict(from_path.nodes(data=True)) == dict(seeds_net.nodes(data=True))
    assert "to_networkx" in kg.__all__
    with pytest.raises(ExportError, match="no graph at"):
        kg.to_networkx(folder / "nothing-here")
    with pytest.raises(ExportError, match="not a graph"):
        kg.to_networkx(42)
    with pytest.raises(ExportError, match="unknown events mode"):
        kg.to_networkx(folder, events="edges")


def test_write_network_by_suffix_and_a_bad_format(seeds_graph, tmp_path):
    path = write_network(seeds_graph, tmp_path / "g.gexf")
    assert path.read_bytes() == network_bytes(seeds_graph, "gexf")
    with pytest.raises(ExportError, match="unknown network format 'dot'"):
        write_network(seeds_graph, tmp_path / "g.dot")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gexf"]


def test_import_kg_does_not_import_networkx():
    code = "import sys, kg; print('networkx' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "False", proc.stderr


def _kg(*args):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_writes_each_network_format(seeds_out, seeds_graph, tmp_path):
    folder = str(seeds_out.outputs["turtle"].parent)
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("nodes-csv", "n.csv"), ("edges-csv", "e.csv")):
        proc = _kg("export", "--format", fmt, "-g", folder, "-o", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / name).read_bytes() == network_bytes(seeds_graph, fmt), fmt
    pairs = _kg("export", "-f", "edges-csv", "-g", folder, "--events", "pairs", "--cooccurrence")
    assert pairs.returncode == 0 and ",event,Visit,Visit (CAMEO 042)," in pairs.stdout
    assert ",cooccurrence,cooccurrence,same sentence," in pairs.stdout
    bad = _kg("export", "-f", "graphml", "-g", folder, "--events", "edges")
    assert bad.returncode == 2 and "invalid choice: 'edges'" in bad.stderr


def test_every_column_and_kind_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in NODE_COLUMNS + EDGE_COLUMNS + ("relation", "role", "event", "cooccurrence", "kg.to_networkx"):
        assert f"`{name}`" in readme, name
