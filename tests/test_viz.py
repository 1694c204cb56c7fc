"""The HTML view's data and page, without a browser (tests/test_browser.py
opens the pages in Chromium)."""

import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT
from kg.errors import KGError, QueryError
from kg.ns import KGO
from kg.viz import network_data, pagerank, parse_date_bounds, render_html, write_html

TYPES = ("Person", "Country", "Organization", "Place", "Initiative", "Event")
XI = "https://w3id.org/kg/id/person/xi-jinping"


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def graph_nodes(graph) -> set[str]:
    return {str(s) for t in TYPES for s in graph.subjects(RDF.type, KGO[t])}


def edges_of(data, kind=None):
    """Edge rows as dicts (the page's own field names)."""
    out = []
    for a, b, k, rels, label, sents, count, docs in data["edges"]:
        e = {"from": data["nodes"][a]["id"], "to": data["nodes"][b]["id"], "kind": data["kinds"][k],
             "rels": [data["relations"][r]["key"] for r in rels], "label": label,
             "sentences": [data["sentences"][s][0] for s in sents], "count": count, "docs": docs}
        if kind is None or e["kind"] == kind:
            out.append(e)
    return out


@pytest.fixture(scope="module")
def seeds_data(seeds_out):
    return page_data(seeds_out.outputs["html"].read_text("utf-8"))


def test_page_is_self_contained(seeds_out):
    html = seeds_out.outputs["html"].read_text("utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html)
    assert "vis.Network" in html
    for host in ("cdnjs", "jsdelivr", "unpkg", "googleapis", "bootstrap"):
        assert host not in html
    assert html.count("</script>") == 3  # the data block, vis-network, kg's script


def test_only_the_pages_own_scripts_may_run(seeds_out):
    html = seeds_out.outputs["html"].read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    allowed = set(directives["script-src"].split())
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    assert allowed == {"'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert "'unsafe-inline'" not in allowed


def test_node_count_matches_the_graph(seeds_out, seeds_data):
    expected = graph_nodes(seeds_out.graph)
    assert {n["id"] for n in seeds_data["nodes"]} == expected
    assert sorted(seeds_data["order"]) == list(range(len(expected)))
    assert any(n["label"] == "Xi Jinping" for n in seeds_data["nodes"])
    counts = {t["type"]: t["count"] for t in seeds_data["types"]}
    assert sum(counts.values()) == len(expected)


def test_type_style_and_importance(seeds_data):
    nodes = seeds_data["nodes"]
    styles = {(n["type"], t["color"], t["shape"]) for n in nodes for t in seeds_data["types"] if t["type"] == n["type"]}
    assert len({s[1] for s in styles}) == 6 and len({s[2] for s in styles}) == 6
    by_importance = [nodes[i] for i in seeds_data["order"]]
    values = [n["value"] for n in by_importance]
    assert values == sorted(values, reverse=True)  # size follows PageRank
    top5 = {n["label"] for n in by_importance[:5]}
    assert {"China", "Xi Jinping"} <= top5
    assert all(0 <= n["community"] < len(seeds_data["communities"]) for n in nodes)
    assert len(seeds_data["communities"]) >= 3


def test_edges_are_labelled_with_the_relation_and_keep_their_evidence(seeds_data):
    relations = edges_of(seeds_data, "relation")
    proposed = [e for e in relations if e["from"] == XI and "proposed" in e["rels"]]
    assert {e["to"].rsplit("/", 1)[-1] for e in proposed} >= {"global-development-initiative", "global-security-initiative"}
    gdi = next(e for e in proposed if e["to"].endswith("global-development-initiative"))
    assert gdi["label"] == "proposed"
    assert gdi["sentences"] and any("global development initiative" in s.lower() for s in gdi["sentences"])
    events = edges_of(seeds_data, "event")
    visit = [e for e in events if e["from"].endswith("visit-2023-03-20-xi-jinping-russia")]
    roles = {e["to"].rsplit("/", 1)[-1]: e["rels"] for e in visit}
    assert roles["xi-jinping"] == ["agent"] and "target" in roles["russia"]
    cooc = edges_of(seeds_data, "cooccurrence")
    assert cooc and all(e["label"] is None and e["count"] >= 1 and e["sentences"] for e in cooc)
    kinds = {r["key"]: r["kind"] for r in seeds_data["relations"]}
    assert kinds["proposed"] == "relation" and kinds["agent"] == "event" and kinds["co-occurrence"] == "cooccurrence"


def test_co_occurrence_starts_hidden_and_the_layout_follows_the_links_shown(seeds_data):
    shown = {r["key"]: r["shown"] for r in seeds_data["relations"]}
    assert shown.pop("co-occurrence") is False
    assert shown and all(shown.values())  # stated relations and event roles
    # the largest part of the first view (on the links it shows) in the middle, every other node round it
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(seeds_data["nodes"])))
    g.add_edges_from((a, b) for a, b, k, *_ in seeds_data["edges"] if seeds_data["kinds"][k] != "cooccurrence")
    main = max(nx.connected_components(g), key=len)
    loose = set(g) - main
    assert main and loose
    radius = lambda i: math.hypot(seeds_data["nodes"][i]["x"], seeds_data["nodes"][i]["y"])  # noqa: E731
    assert min(radius(i) for i in loose) > max(radius(i) for i in main)


def test_node_card_data(seeds_data):
    nodes = seeds_data["nodes"]
    xi = next(n for n in nodes if n["id"] == XI)
    assert xi["qid"] == "Q15031"
    assert "President Xi Jinping" in xi["alt"]
    assert xi["sentences"] and all("Xi" in seeds_data["sentences"][s][0] for s in xi["sentences"])
    events = [nodes[i] for i in xi["events"]]
    assert len(events) >= 10 and all(e["type"] == "Event" for e in events)
    dated = [e["lo"] for e in events if "lo" in e]
    assert dated == sorted(dated) and "lo" in events[0]  # date order, undated last
    assert [("lo" in e) for e in events] == sorted((("lo" in e) for e in events), reverse=True)
    visit = next(n for n in nodes if n["id"].endswith("visit-2023-03-20-xi-jinping-russia"))
    assert visit["start"] == "2023-03-20" and visit["eventType"] == "Visit"
    assert {nodes[i]["label"]: role for i, role in visit["roles"]}["Russia"] in ("target", "place, target")


def test_wikidata_ids_are_validated(build_texts):
    result = build_texts(["President Emmanuel Macron visited Kenya on May 3, 2023."])
    g = result.graph
    macron = next(s for s in g.subjects(RDFS.label, Literal("Emmanuel Macron")))
    for o in list(g.objects(macron, OWL.sameAs)):
        g.remove((macron, OWL.sameAs, o))
    g.add((macron, OWL.sameAs, URIRef("http://www.wikidata.org/entity/javascript:alert(1)")))
    data = network_data(g)
    assert "qid" not in next(n for n in data["nodes"] if n["id"] == str(macron))


def test_the_same_graph_gives_byte_identical_html(seeds_out, tmp_path):
    """Rendered again from the Turtle, in another process with another hash seed."""
    code = ("import sys; from kg.export import read_graph; from kg.viz import render_html; "
            "sys.stdout.buffer.write(render_html(read_graph(sys.argv[1])).encode('utf-8'))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run([sys.executable, "-c", code, str(seeds_out.outputs["turtle"])],
                          capture_output=True, cwd=ROOT, env=env, check=True)
    assert proc.stdout == seeds_out.outputs["html"].read_bytes()


def test_hostile_text_cannot_break_out_of_the_data_block(build_texts):
    evil = 'Dr. Mallory Evans met "</script><script>alert(1)</script>" and <img src=x onerror=alert(2)> in Paris.'
    result = build_texts([evil, "Mallory Evans visited Kenya. </script><b>bold</b> <!-- javascript:alert(3)"])
    html = render_html(result.graph)
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert any("onerror=alert(2)" in s for s, _ in json.loads(block)["sentences"])
    assert "alert(1)" not in html.split('id="kg-data"')[0]


def test_write_html_keeps_its_two_argument_form(seeds_out, tmp_path):
    path = write_html(seeds_out.graph, tmp_path / "page.html")
    assert path.read_bytes() == seeds_out.outputs["html"].read_bytes()


# --------------------------------------------------------------------------- views of a part of the graph

def test_ego_network(seeds_out):
    data = network_data(seeds_out.graph, entity="Xi Jinping")
    ids = {n["id"] for n in data["nodes"]}
    assert XI in ids and len(ids) < len(graph_nodes(seeds_out.graph))
    full = network_data(seeds_out.graph)
    neighbours = {e["to"] if e["from"] == XI else e["from"] for e in edges_of(full) if XI in (e["from"], e["to"])}
    assert ids == neighbours | {XI}
    # an alternative label finds the same entity; two hops see more
    assert {n["id"] for n in network_data(seeds_out.graph, entity="president xi jinping")["nodes"]} == ids
    assert len(network_data(seeds_out.graph, entity="Xi Jinping", hops=2)["nodes"]) > len(ids)


@pytest.mark.parametrize("name", ["XI JINPING", "person:xi-jinping", "general secretary xi jinping"])
def test_ego_network_of_a_name_in_any_case_or_an_iri(seeds_out, name):
    ids = {n["id"] for n in network_data(seeds_out.graph, entity="Xi Jinping")["nodes"]}
    assert {n["id"] for n in network_data(seeds_out.graph, entity=name)["nodes"]} == ids


def test_ego_network_of_a_name_without_its_accents(seeds_out):
    data = network_data(seeds_out.graph, entity="antonio guterres")
    assert "https://w3id.org/kg/id/person/antonio-guterres" in {n["id"] for n in data["nodes"]}


def test_document_and_time_window_views(seeds_out):
    g = seeds_out.graph
    docs = network_data(g)["docs"]
    assert len(docs) == 2
    one = network_data(g, document=docs[0]["id"])
    assert 0 < len(one["nodes"]) < len(graph_nodes(g))
    here = [d["id"] for d in one["docs"]].index(docs[0]["id"])
    assert all(here in n["docs"] for n in one["nodes"])
    march = network_data(g, date_from="2023-03", date_to="2023-03")
    events = [n for n in march["nodes"] if n["type"] == "Event"]
    assert events and all(n["lo"] <= "2023-03-31" and n["hi"] >= "2023-03-01" for n in events)
    labels = {n["label"] for n in march["nodes"]}
    assert {"Xi Jinping", "Russia"} <= labels and "Joe Biden" not in labels
    assert len(march["nodes"]) < len(one["nodes"])


def test_construct_view(seeds_out):
    query = """PREFIX kgo: <https://w3id.org/kg/ontology#>
    CONSTRUCT { ?a kgo:proposed ?b } WHERE { ?a kgo:proposed ?b }"""
    data = network_data(seeds_out.graph, construct=query)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Xi Jinping", "Global Development Initiative"} <= labels
    named = {str(x) for s, _, o in seeds_out.graph.query(query) for x in (s, o)}
    assert {n["id"] for n in data["nodes"]} == named
    # triples the graph does not have become edges of their own
    made = network_data(seeds_out.graph, construct="""PREFIX schema: <https://schema.org/>
        PREFIX ex: <https://example.org/>
        CONSTRUCT { ?a ex:sharedAnEventWith ?b } WHERE { ?e schema:participant ?a, ?b . FILTER(STR(?a) < STR(?b)) }""")
    shared = edges_of(made, "query")
    assert shared and all(e["label"] == "shared an event with" for e in shared)
    assert {"China", "Iran", "Saudi Arabia"} <= {n["label"] for n in made["nodes"]}


def test_view_errors_say_what_to_do(seeds_out):
    g = seeds_out.graph
    with pytest.raises(KGError, match="did you mean: Xi Jinping"):
        network_data(g, entity="Xi Jinpin")
    with pytest.raises(KGError, match="no document"):
        network_data(g, document="nope")
    with pytest.raises(KGError, match="not a date"):
        network_data(g, date_from="2023-13")
    with pytest.raises(KGError, match="nothing to show"):
        network_data(g, date_from="2031")
    with pytest.raises(QueryError, match="CONSTRUCT"):
        network_data(g, construct="SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="cannot be run"):
        network_data(g, construct="CONSTRUCT {")


def test_kg_viz_command(seeds_out, tmp_path):
    folder = seeds_out.outputs["turtle"].parent
    out = tmp_path / "xi.html"
    run = lambda *a: subprocess.run([sys.executable, "-m", "kg", "viz", "--graph", str(folder), *a],  # noqa: E731
                                    capture_output=True, text=True, cwd=ROOT)
    proc = run("--entity", "Xi Jinping", "--out", str(out), "--top", "20")
    assert proc.returncode == 0, proc.stderr
    assert str(out) in proc.stdout
    data = page_data(out.read_text("utf-8"))
    assert data["top"] == 20 and any(n["id"] == XI for n in data["nodes"])
    assert data["title"].startswith("Xi Jinping")
    proc = run("--entity", "Nobody Atall", "--out", str(tmp_path / "none.html"))
    assert proc.returncode == 4 and "kg viz: error: no entity named" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.html").exists()
    proc = run("--entity", "xi jinpin", "--out", str(tmp_path / "none.html"))
    assert proc.returncode == 4 and proc.stderr.splitlines()[1:3] == ["closest names:", "  Xi Jinping"], proc.stderr
    assert not (tmp_path / "none.html").exists()
    proc = run("--hops", "2", "--out", str(tmp_path / "h.html"))
    assert proc.returncode == 1 and "--hops needs --entity" in proc.stderr


# --------------------------------------------------------------------------- helpers

def test_pagerank_matches_the_reference_algorithm():
    nx = pytest.importorskip("networkx")
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 3.0), ("b", "c", 1.0), ("c", "a", 1.0), ("c", "d", 2.0), ("e", "f", 1.0)])
    g.add_node("lonely")
    ours = pagerank(g)
    reference = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(g, weight="weight", tol=1e-12, max_iter=500)
    assert ours.keys() == reference.keys()
    for v in ours:
        assert ours[v] == pytest.approx(reference[v], abs=1e-6)


def test_date_bounds():
    assert parse_date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert parse_date_bounds("2023-03-20") == ("2023-03-20", "2023-03-20")
    assert parse_date_bounds("2023") == ("2023-01-01", "2023-12-31")
    for bad in ("2023-13", "2023-02-30", "March 2023", "", "20233"):
        assert parse_date_bounds(bad) is None


def test_spring_layout_is_networkx_fruchterman_reingold():
    """kg's faster spring layout follows networkx's algorithm step for step."""
    import math

    import networkx as nx

    from kg.viz.layout import spring as _spring

    g = nx.gnm_random_graph(40, 70, seed=3)
    for a, b in g.edges:
        g[a][b]["weight"] = 1.0 + (a * b) % 3
    k = 2.2 / math.sqrt(len(g))
    ref = nx.spring_layout(g, seed=7, k=k, iterations=150, method="force")
    xs, ys = _spring(nx.to_numpy_array(g, weight="weight"), k=k, iterations=150, seed=7)
    assert max(max(abs(ref[v][0] - x), abs(ref[v][1] - y)) for v, x, y in zip(g, xs, ys)) < 1e-3
    again = _spring(nx.to_numpy_array(g, weight="weight"), k=k, iterations=150, seed=7)
    assert (again[0] == xs).all() and (again[1] == ys).all()
    assert max(abs(xs).max(), abs(ys).max()) == pytest.approx(1.0)
