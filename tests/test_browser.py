"""The HTML view in a real browser: headless Chromium (Debian's
``/usr/bin/chromium``) driven by Playwright.

Every test records every request the page makes (only the file:// page
itself is allowed; anything else is aborted and fails the test), console
errors, uncaught exceptions and dialogs (``alert``). Without Chromium or
Playwright the tests are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
XI = "https://w3id.org/kg/id/person/xi-jinping"

pytestmark = pytest.mark.slow


def browser_missing(chromium: Path = CHROMIUM) -> str | None:
    """Why the browser tests cannot run here, or ``None``."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install playwright)"
    if not chromium.exists():
        return f"{chromium} is missing (apt-get install chromium)"
    return None


def require_browser(chromium: Path = CHROMIUM) -> None:
    reason = browser_missing(chromium)
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


def test_ci_fails_rather_than_skips_without_chromium(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        require_browser(tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require_browser(tmp_path / "no-chromium")


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Opened:
    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self):
        assert self.requests == [self.url], f"requests other than the page: {self.requests}"
        assert self.blocked == []
        assert self.errors == [], self.errors
        assert self.dialogs == [], f"a script ran: {self.dialogs}"

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(path: Path, *, width=1400, height=900) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())

        def route(r):
            if r.request.url == opened.url:
                r.continue_()
            else:
                opened.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(f"uncaught: {e}"))

        def on_dialog(d):
            opened.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(opened.url)
        page.wait_for_function("() => window.kgReady === true", timeout=60_000)
        return opened

    yield _open
    for c in contexts:
        c.close()


def page_data(path: Path) -> dict:
    html = path.read_text("utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def graph_node_count(graph) -> int:
    from rdflib.namespace import RDF

    from kg.ns import KGO

    types = ("Person", "Country", "Organization", "Place", "Initiative", "Event")
    return len({s for t in types for s in graph.subjects(RDF.type, KGO[t])})


def seeds_sentences(graph) -> set[str]:
    from kg.ns import NIF

    return {str(o) for o in graph.objects(None, NIF.anchorOf)}


# --------------------------------------------------------------------------- the seeds' page

def test_seeds_page_loads_offline_and_shows_the_whole_graph(seeds_out, open_page):
    path = seeds_out.outputs["html"]
    data = page_data(path)
    p = open_page(path)
    expected = graph_node_count(seeds_out.graph)
    assert expected <= data["top"]  # small enough to show everything at once
    assert p.js("kgNodes.length") == expected == len(data["nodes"])
    # every link but co-occurrence, which starts hidden
    stated = [e for e in data["edges"] if data["kinds"][e[2]] != "cooccurrence"]
    assert 0 < p.js("kgEdges.length") == len(stated) < len(data["edges"])
    assert p.js("kg.network.getPositions()[%r].x" % XI) == next(n["x"] for n in data["nodes"] if n["id"] == XI)
    status = p.page.inner_text("#status")
    assert f"Showing {expected} of {expected} nodes" in status
    legend = p.page.inner_text("#types")
    for t in data["types"]:
        assert f"{t['type']} ({t['count']})" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "graph-overview.png"))
    p.assert_clean()


def test_searching_a_name_focuses_its_node_and_shows_its_card(seeds_out, open_page):
    p = open_page(seeds_out.outputs["html"])
    page = p.page
    page.fill("#search", "Xi Jinping")
    page.press("#search", "Enter")
    assert p.js("kgNetwork.getSelectedNodes()") == [XI]
    assert p.js("window.kgFocused") == XI
    # the view is centred on the node
    centre = p.js("kgNetwork.getViewPosition()")
    node = p.js("kgNetwork.getPositions([%r])[%r]" % (XI, XI))
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    assert page.inner_text("#card h2") == "Xi Jinping"
    card = page.inner_text("#card")
    assert "President Xi Jinping" in card and "Person" in card
    link = page.locator("#card a")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://www.wikidata.org/wiki/Q15031"
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    dates = page.locator("#card li time").all_inner_texts()
    assert len(dates) >= 5 and [d[:10] for d in dates] == sorted(d[:10] for d in dates)
    quotes = page.locator("#card blockquote").all_inner_texts()
    assert any("Xi Jinping" in q for q in quotes)
    # any label finds it, and the page saved as the test artefact shows it
    page.fill("#search", "")
    page.click("#reset")
    assert p.js("kgNetwork.getSelectedNodes()") == []
    page.fill("#search", "general secretary xi jinping")
    page.press("#search", "Enter")
    assert p.js("kgNetwork.getSelectedNodes()") == [XI]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))
    # the Wikidata link opens a new tab; the page itself still made no request
    with page.context.expect_page() as popup:
        link.click()
    assert popup.value is not page  # a new tab, whose navigation the test aborted
    assert p.blocked == ["https://www.wikidata.org/wiki/Q15031"]
    p.blocked.clear()
    p.assert_clean()


_EDGE_AT_MIDPOINT = """kind => {
  const net = kg.network, rect = document.getElementById('mynetwork').getBoundingClientRect();
  const rows = kg.data.edges;
  for (const id of kg.edges.getIds()) {
    const e = kg.edges.get(id), k = Number(id.slice(1));
    if (kg.data.kinds[rows[k][2]] !== kind) continue;
    const p = net.getPositions([e.from, e.to]);
    const dom = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
    if (dom.x < 30 || dom.y < 30 || dom.x > rect.width - 30 || dom.y > rect.height - 30) continue;
    if (net.getNodeAt(dom) !== undefined || net.getEdgeAt(dom) !== id) continue;
    return {id: id, x: rect.left + dom.x, y: rect.top + dom.y};
  }
  return null;
}"""


def test_clicking_an_edge_shows_a_sentence_from_the_seeds(seeds_out, open_page):
    p = open_page(seeds_out.outputs["html"])
    # zoom on Xi Jinping, where the labelled relations are
    p.page.fill("#search", "Xi Jinping")
    p.page.press("#search", "Enter")
    target = p.js(_EDGE_AT_MIDPOINT, "relation") or p.js(_EDGE_AT_MIDPOINT, "event")
    assert target is not None, "no edge with a free midpoint on screen"
    p.page.mouse.click(target["x"], target["y"])
    p.page.wait_for_function("id => document.getElementById('card').dataset.edge === id.slice(1)", arg=target["id"])
    quotes = [q.split("\n")[0] for q in p.page.locator("#card blockquote").all_inner_texts()]
    assert quotes, p.page.inner_text("#card")
    assert set(quotes) <= seeds_sentences(seeds_out.graph)
    edge = p.js("id => kg.edges.get(id)", target["id"])
    heading = p.page.inner_text("#card h2")
    labels = p.js("([a, b]) => [kg.data.nodes.find(n => n.id === a).label, kg.data.nodes.find(n => n.id === b).label]",
                  [edge["from"], edge["to"]])
    assert labels[0] in heading and labels[1] in heading
    p.assert_clean()


def test_choosing_an_event_highlights_its_participants_and_place(seeds_out, open_page):
    p = open_page(seeds_out.outputs["html"])
    item = p.page.locator("#timeline li", has_text="Xi Jinping to Russia").first
    assert "2023-03-20" in item.inner_text()
    item.locator("button").click()
    highlighted = set(p.js("window.kgHighlighted"))
    event = next(n for n in p.js("kg.data.nodes") if n["id"].endswith("visit-2023-03-20-xi-jinping-russia"))
    # the visitor, the country visited, and the state the visitor acts for
    assert highlighted == {event["id"], XI, "https://w3id.org/kg/id/country/russia", "https://w3id.org/kg/id/country/china"}
    assert set(p.js("kgNetwork.getSelectedNodes()")) == highlighted
    # the others are dimmed, the participants keep their colours
    assert p.js("kgNodes.get('https://w3id.org/kg/id/country/saudi-arabia').color.background") == "#f1f1f1"
    assert p.js("kgNodes.get(%r).color.background" % XI) != "#f1f1f1"
    assert "Participants and place" in p.page.text_content("#card")
    # clicking the empty canvas clears the highlight
    p.js("kg.network.moveTo({position: {x: 1e6, y: 1e6}, animation: false})")
    box = p.page.locator("#mynetwork").bounding_box()
    p.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert p.js("window.kgHighlighted") == []
    assert p.js("kgNodes.get('https://w3id.org/kg/id/country/saudi-arabia').color.background") != "#f1f1f1"
    p.assert_clean()


def test_filters_narrow_the_view(seeds_out, open_page):
    p = open_page(seeds_out.outputs["html"])
    page = p.page
    total = p.js("kgNodes.length")
    page.locator("#types input[data-type=Event]").uncheck()
    types = p.js("kgNodes.get().map(n => kg.data.nodes.find(m => m.id === n.id).type)")
    assert "Event" not in types and len(types) < total
    assert "Events are filtered out" in page.inner_text("#timeline-note")
    page.locator("#types input[data-type=Event]").check()
    assert p.js("kgNodes.length") == total
    # links: co-occurrence off leaves only stated relations and event roles
    page.locator("#relations input[data-rel=co-occurrence]").uncheck()
    kinds = p.js("kgEdges.getIds().map(id => kg.data.kinds[kg.data.edges[Number(id.slice(1))][2]])")
    assert kinds and "cooccurrence" not in kinds
    # one document
    page.select_option("#doc", "1")
    docs = p.js("kgNodes.getIds().map(id => kg.data.nodes.find(n => n.id === id).docs || [])")
    assert docs and all(1 in d for d in docs) and len(docs) < total
    page.select_option("#doc", "-1")
    # a date range: the events in it and who took part
    page.fill("#from", "2023-03-01")
    page.fill("#to", "2023-03-31")
    page.locator("#to").dispatch_event("change")
    shown = p.js("kgNodes.getIds().map(id => kg.data.nodes.find(n => n.id === id))")
    events = [n for n in shown if n["type"] == "Event"]
    assert events and all(n["lo"] <= "2023-03-31" and n["hi"] >= "2023-03-01" for n in events)
    assert XI in {n["id"] for n in shown} and len(shown) < 40
    # events dated in March, and those dated only by a year that holds it
    times = page.locator("#timeline time").all_inner_texts()
    assert any(t.startswith("2023-03") for t in times)
    assert all(t.startswith("2023-03") or t == "2023" for t in times), times
    page.click("#reset")
    assert p.js("kgNodes.length") == total
    # colour by community
    page.select_option("#colour", "community")
    colours = set(p.js("kgNodes.get().map(n => n.color.background)"))
    assert colours <= {c["color"] for c in p.js("kg.data.communities")}
    assert page.locator("#communities").is_visible()
    p.assert_clean()


# --------------------------------------------------------------------------- a hostile document

HOSTILE_GAZETTEER = """label,type,aliases,qid
<script>alert(1)</script> Corporation,Organization,,
Mallory <img src=x onerror=alert(1)> Evans,Person,Mallory,
javascript:alert(1) Foundation,Organization,,
"""
HOSTILE_TEXTS = [
    'President Emmanuel Macron met "<script>alert(1)</script>" Mallory in Paris on March 3, 2023. '
    'He said: "javascript:alert(1) is only text."',
    "Mallory <img src=x onerror=alert(1)> Evans visited Kenya on May 2, 2023. "
    "<script>alert(1)</script> Corporation signed an agreement with Kenya.",
    "The javascript:alert(1) Foundation and the United Nations met in Geneva. <!-- </script><svg onload=alert(1)>",
]


@pytest.fixture(scope="module")
def hostile_page(build_texts, tmp_path_factory):
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDFS

    from kg.viz import write_html

    folder = tmp_path_factory.mktemp("hostile")
    gazetteer = folder / "hostile.csv"
    gazetteer.write_text(HOSTILE_GAZETTEER, encoding="utf-8")
    result = build_texts(HOSTILE_TEXTS, gazetteers=(str(gazetteer),))
    g = result.graph
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert {"<script>alert(1)</script> Corporation", "Mallory <img src=x onerror=alert(1)> Evans"} <= labels
    foundation = next(s for s, o in g.subject_objects(RDFS.label) if str(o) == "javascript:alert(1) Foundation")
    g.add((foundation, OWL.sameAs, URIRef("http://www.wikidata.org/entity/javascript:alert(1)")))
    return write_html(g, folder / "hostile.html")


def test_a_hostile_document_runs_nothing_and_shows_its_text(hostile_page, open_page):
    p = open_page(hostile_page)
    page = p.page
    # every node card and every edge card is drawn at least once
    p.js("() => { kg.data.nodes.forEach(n => kg.focus(n.label)); }")
    p.js("() => { kg.edges.getIds().forEach(id => kg.showEdge(id)); }")
    for name in ("<script>alert(1)</script> Corporation", "Mallory <img src=x onerror=alert(1)> Evans"):
        page.fill("#search", name)
        page.press("#search", "Enter")
        assert page.inner_text("#card h2") == name  # literally, as text
        assert page.locator("#card").evaluate("c => c.textContent").count("alert(1)") >= 1
    page.fill("#search", "Mallory")
    page.press("#search", "Enter")
    card = page.inner_text("#card")
    assert "<img src=x onerror=alert(1)>" in card
    page.fill("#search", "javascript:alert(1) Foundation")
    page.press("#search", "Enter")
    assert page.inner_text("#card h2") == "javascript:alert(1) Foundation"
    assert page.locator("#card a").count() == 0  # an invalid Wikidata id gives no link
    # nothing was injected into the document
    assert p.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert p.js("document.scripts.length") == 3
    hrefs = p.js("Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))")
    assert all(h.startswith("https://www.wikidata.org/wiki/Q") for h in hrefs)
    texts = p.js("Array.from(document.querySelectorAll('#card blockquote'), q => q.textContent).join(' ')") + \
        p.js("kg.data.sentences.map(s => s[0]).join(' ')")
    assert "javascript:alert(1)" in texts
    p.page.wait_for_timeout(200)  # let any deferred handler fire
    p.assert_clean()


def test_a_view_titled_by_a_hostile_name_shows_it_as_text(build_texts, hostile_page, open_page):
    from kg.viz import write_html

    result = build_texts(HOSTILE_TEXTS, gazetteers=(str(hostile_page.parent / "hostile.csv"),))
    name = "Mallory <img src=x onerror=alert(1)> Evans"
    path = write_html(result.graph, hostile_page.parent / "ego.html", entity=name)
    p = open_page(path)
    assert p.page.inner_text("#title").startswith(name)
    assert p.page.title().startswith("kg — " + name)
    assert p.js("document.querySelectorAll('img').length") == 0
    p.assert_clean()


# --------------------------------------------------------------------------- a graph larger than the first view

def _synthetic_graph(n):
    spec = importlib.util.spec_from_file_location("viz_bench", ROOT / "bench" / "viz_5000.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(n)


@pytest.fixture(scope="module")
def large_page(tmp_path_factory):
    from kg.viz import write_html

    folder = tmp_path_factory.mktemp("large")
    return write_html(_synthetic_graph(700), folder / "large.html", top=120)


def test_a_large_graph_shows_the_top_nodes_first_and_expands_on_demand(large_page, open_page):
    data = page_data(large_page)
    assert len(data["nodes"]) > 700 and data["top"] == 120
    p = open_page(large_page)
    page = p.page
    first = {data["nodes"][i]["id"] for i in data["order"][:120]}
    assert set(p.js("kgNodes.getIds()")) == first
    assert "Showing 120 of" in page.inner_text("#status")
    # every name is searchable, even of a node not shown yet
    hidden = data["nodes"][data["order"][-1]]
    page.fill("#search", hidden["label"])
    page.press("#search", "Enter")
    assert p.js("kgNetwork.getSelectedNodes()") == [hidden["id"]]
    assert p.js("kgNodes.length") == 121
    # expanding the most important node's neighbourhood adds its neighbours
    top = data["nodes"][data["order"][0]]
    added = p.js("id => kg.expand(id, 30)", top["id"])
    assert added == 30 and p.js("kgNodes.length") == 151
    neighbours = set()
    for a, b, *_ in data["edges"]:
        if data["nodes"][a]["id"] == top["id"]:
            neighbours.add(data["nodes"][b]["id"])
        elif data["nodes"][b]["id"] == top["id"]:
            neighbours.add(data["nodes"][a]["id"])
    new = set(p.js("kgNodes.getIds()")) - first - {hidden["id"]}
    assert len(new) == 30 and new <= neighbours
    # and "show more" shows the next most important ones
    page.locator("#more button").click()
    assert {data["nodes"][i]["id"] for i in data["order"][:240]} <= set(p.js("kgNodes.getIds()"))
    p.assert_clean()


def test_tidying_the_layout_settles_and_then_stops(seeds_out, open_page):
    p = open_page(seeds_out.outputs["html"])
    before = p.js("JSON.stringify(kgNetwork.getPositions())")
    p.page.click("#tidy")
    p.page.wait_for_function("() => window.kgSettled === true", timeout=30_000)
    after = p.js("JSON.stringify(kgNetwork.getPositions())")
    assert after != before
    assert p.js("kgNetwork.physics.options.enabled") is False
    p.page.wait_for_timeout(500)
    assert p.js("JSON.stringify(kgNetwork.getPositions())") == after  # no jiggling afterwards
    p.assert_clean()


# --------------------------------------------------------------------------- a view that reads at a glance

SIZES = {"wide": (1600, 1000), "phone": (390, 844)}
#: Names the first view shows at least, per screen.
LEAST_LABELS = {"wide": 60, "phone": 20}
#: The most important nodes that the first view names, all of them.
TOP_NAMED = {"wide": 10, "phone": 5}


@pytest.fixture(scope="module")
def readouts_page(build_texts, tmp_path_factory):
    """A page of about 330 nodes from 18 readout-like documents (the real pipeline)."""
    from readouts import readouts

    from kg.viz import write_html

    result = build_texts(readouts(18))
    path = write_html(result.graph, tmp_path_factory.mktemp("readouts") / "readouts.html")
    assert 300 <= len(page_data(path)["nodes"]) <= 600
    return path


@pytest.fixture(scope="module")
def page_5000(tmp_path_factory):
    """A page of about 5,000 nodes (bench/viz_5000.py's synthetic graph)."""
    from kg.viz import write_html

    path = write_html(_synthetic_graph(3350), tmp_path_factory.mktemp("five-thousand") / "five-thousand.html")
    assert 4500 <= len(page_data(path)["nodes"]) <= 5500
    return path


_FIRST_VIEW = """() => {
  const net = kg.network, box = document.getElementById('mynetwork').getBoundingClientRect();
  const rank = new Map(kg.data.order.map((i, r) => [kg.data.nodes[i].id, r]));
  const linked = new Set();
  for (const id of kg.edges.getIds()) { const e = kg.edges.get(id); linked.add(e.from); linked.add(e.to); }
  const ids = kg.nodes.getIds(), at = net.getPositions(ids);
  const nodes = ids.map(id => { const p = net.canvasToDOM(at[id]); return {id, x: p.x, y: p.y, rank: rank.get(id), linked: linked.has(id)}; });
  return {box: {left: box.left, top: box.top, width: box.width, height: box.height}, nodes, labels: kg.labels(),
          kinds: kg.edges.getIds().map(id => kg.data.kinds[kg.data.edges[Number(id.slice(1))][2]]),
          links: kg.edges.get().map(e => [e.from, e.to])};
}"""

# Dark pixels (the labels' ink, #1a1a1a; no node or link is that dark) in a box of the graph's canvas.
_INK = """b => {
  const canvas = document.querySelector('#mynetwork canvas'), r = canvas.width / canvas.clientWidth;
  const img = canvas.getContext('2d').getImageData(Math.round(b.x * r), Math.round(b.y * r),
                                                  Math.max(1, Math.round(b.w * r)), Math.max(1, Math.round(b.h * r)));
  let dark = 0;
  for (let i = 0; i < img.data.length; i += 4) { if (img.data[i] < 60 && img.data[i + 1] < 60 && img.data[i + 2] < 60 && img.data[i + 3] > 200) dark++; }
  return dark;
}"""


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def _inside(node, box, margin=0.0) -> bool:
    return -margin <= node["x"] <= box["width"] + margin and -margin <= node["y"] <= box["height"] + margin


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("which", ["readouts", "5000"])
def test_the_first_view_reads_at_a_glance(which, size, request, open_page):
    path = request.getfixturevalue("readouts_page" if which == "readouts" else "page_5000")
    width, height = SIZES[size]
    p = open_page(path, width=width, height=height)
    p.page.wait_for_function("() => kg.labels().length > 0")
    view = p.js(_FIRST_VIEW)
    box, nodes, labels = view["box"], view["nodes"], view["labels"]
    assert len(nodes) == min(300, len(page_data(path)["nodes"]))
    # every node shown is on screen
    assert all(_inside(n, box) for n in nodes)
    # the stated relations and event roles, not co-occurrence
    assert "relation" in view["kinds"] and "cooccurrence" not in view["kinds"]
    assert not p.page.locator("#relations input[data-rel=co-occurrence]").is_checked()
    # names: legible, on screen, none over another, really drawn, the most important first
    names = [b for b in labels if "node" in b]
    assert len(names) >= LEAST_LABELS[size], len(names)
    assert all(b["px"] >= 12 for b in labels)
    assert all(0 <= b["x"] and b["x"] + b["w"] <= box["width"] and 0 <= b["y"] and b["y"] + b["h"] <= box["height"]
               for b in labels)
    assert not [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
    for b in names[:5]:
        assert p.js(_INK, b) > 0, b
    top = [n["id"] for n in sorted(nodes, key=lambda n: n["rank"])[:TOP_NAMED[size]]]
    named = {p.js("i => kg.data.nodes[i].id", b["node"]) for b in names}
    assert set(top) <= named
    ranks = sorted(n["rank"] for n in nodes if n["id"] in named)
    others = sorted(n["rank"] for n in nodes if n["id"] not in named)
    assert not others or ranks[len(ranks) // 2] < others[len(others) // 2]
    if size == "wide":  # room for what the links say too
        assert [b for b in labels if "edge" in b]
    # nodes linked to nothing shown: not in a row
    loose = [n for n in nodes if not n["linked"]]
    assert loose
    rows = {}
    for n in loose:
        rows.setdefault(round(n["y"] / 4), []).append(n["id"])
    assert max(len(r) for r in rows.values()) <= 4, rows
    # they and the other small parts go all the way round the largest part
    import networkx as nx

    g = nx.Graph(view["links"])
    g.add_nodes_from(n["id"] for n in nodes)
    main = max(nx.connected_components(g), key=len)
    cx = sum(n["x"] for n in nodes if n["id"] in main) / len(main)
    cy = sum(n["y"] for n in nodes if n["id"] in main) / len(main)
    assert {(n["x"] > cx, n["y"] > cy) for n in nodes if n["id"] not in main} == {(a, b) for a in (False, True) for b in (False, True)}
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / f"view-{which}-{width}x{height}.png"))
    p.assert_clean()


# A stated relation drawn over a co-occurrence link between the same two
# nodes, zoomed in on, with its midpoint free of nodes and of other links.
_STATED_OVER_COOCCURRENCE = """() => {
  const net = kg.network, rows = kg.data.edges, kind = id => kg.data.kinds[rows[Number(id.slice(1))][2]];
  const rect = document.getElementById('mynetwork').getBoundingClientRect();
  const pairs = new Map();
  for (const id of kg.edges.getIds()) {
    const e = kg.edges.get(id), key = [e.from, e.to].sort().join(' ');
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(id);
  }
  for (const ids of pairs.values()) {
    const stated = ids.find(id => kind(id) === 'relation'), cooc = ids.find(id => kind(id) === 'cooccurrence');
    if (!stated || !cooc) continue;
    const e = kg.edges.get(stated), p = net.getPositions([e.from, e.to]);
    const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
    net.moveTo({position: mid, scale: 1.0, animation: false});
    const dom = net.canvasToDOM(mid);
    if (net.getNodeAt(dom) !== undefined || !ids.includes(net.getEdgeAt(dom))) continue;
    return {stated, cooc, ids, order: net.body.edgeIndices.filter(id => ids.includes(id)), x: rect.left + dom.x, y: rect.top + dom.y};
  }
  return null;
}"""


def test_a_click_on_a_link_picks_the_stated_relation_over_the_co_occurrence_beneath(readouts_page, open_page):
    p = open_page(readouts_page, width=1600, height=1000)
    page = p.page
    page.locator("#relations input[data-rel=co-occurrence]").check()
    assert "cooccurrence" in p.js(_FIRST_VIEW)["kinds"]
    target = p.js(_STATED_OVER_COOCCURRENCE)
    assert target is not None, "no stated relation over a co-occurrence link with a free midpoint"
    # the stated relation is drawn on top (after) of the co-occurrence
    assert target["order"][-1] == target["stated"] != target["cooc"]
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function("k => document.getElementById('card').dataset.edge === k", arg=target["stated"][1:])
    assert p.js("kg.network.getSelectedEdges()") == [target["stated"]]
    stated_label = p.js("k => kg.data.edges[k][4]", int(target["stated"][1:]))
    assert page.inner_text("#card .meta") == stated_label
    # the co-occurrence stays one click away
    also = page.locator("#card li button", has_text="named in the same sentence")
    assert also.count() == 1
    also.click()
    assert p.js("document.getElementById('card').dataset.edge") == target["cooc"][1:]
    assert page.inner_text("#card .meta").startswith("named in the same sentence")
    assert p.js("kg.network.getSelectedEdges()") == [target["cooc"]]
    # and in the page's own terms: of the links on one line, the stated one
    assert p.js("id => kg.pickEdge(id)", target["cooc"]) == target["stated"]
    p.assert_clean()


_ALL_IN_VIEW = """() => {
  const net = kg.network, box = document.getElementById('mynetwork').getBoundingClientRect();
  const ids = kg.nodes.getIds(), at = net.getPositions(ids);
  const xs = [], ys = [];
  for (const id of ids) { const p = net.canvasToDOM(at[id]); xs.push(p.x); ys.push(p.y); }
  return {n: ids.length, width: box.width, height: box.height,
          x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)};
}"""


def _fitted(view) -> bool:
    """Every node shown in the graph's box, and the nodes centred in it."""
    inside = view["x0"] >= 0 and view["y0"] >= 0 and view["x1"] <= view["width"] and view["y1"] <= view["height"]
    centred = (abs((view["x0"] + view["x1"]) / 2 - view["width"] / 2) < view["width"] * 0.05
               and abs((view["y0"] + view["y1"]) / 2 - view["height"] / 2) < view["height"] * 0.05)
    return inside and centred


def test_every_filter_fits_the_view_to_what_it_leaves(readouts_page, open_page):
    p = open_page(readouts_page, width=1600, height=1000)
    page = p.page
    data = page_data(readouts_page)
    total = p.js("kgNodes.length")

    def wander():  # the user has zoomed in far from the middle
        p.js("kg.network.moveTo({position: {x: 4000, y: -3000}, scale: 2.5, animation: false})")
        assert not _fitted(p.js(_ALL_IN_VIEW))

    # a date range: the month with the most dated events
    months = Counter(n["lo"][:7] for n in data["nodes"] if n.get("lo", "")[:7] == n.get("hi", "")[:7] and "lo" in n)
    month = months.most_common(1)[0][0]
    wander()
    page.fill("#from", month + "-01")
    page.fill("#to", month + "-28")
    page.locator("#to").dispatch_event("change")
    view = p.js(_ALL_IN_VIEW)
    assert 0 < view["n"] < total and _fitted(view), view
    page.click("#reset")
    assert _fitted(p.js(_ALL_IN_VIEW))
    # an entity type off
    wander()
    page.locator("#types input[data-type=Event]").uncheck()
    view = p.js(_ALL_IN_VIEW)
    assert view["n"] < total and _fitted(view), view
    page.locator("#types input[data-type=Event]").check()
    # one document
    wander()
    page.select_option("#doc", "3")
    view = p.js(_ALL_IN_VIEW)
    assert 0 < view["n"] < total and _fitted(view), view
    p.assert_clean()


def test_on_a_phone_the_panel_is_a_drawer_and_the_card_a_sheet(readouts_page, open_page):
    p = open_page(readouts_page, width=390, height=844)
    page = p.page
    box = page.locator("#mynetwork").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 390, "height": 844}  # the graph has the whole screen
    assert not page.locator("#panel").is_visible() and not page.locator("#card").is_visible()
    assert p.js("document.documentElement.scrollWidth") <= 390
    toggle = page.locator("#panel-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    tb = toggle.bounding_box()
    assert tb["width"] * tb["height"] < 0.02 * 390 * 844  # a small button over the graph, not a panel
    # the drawer opens over the graph, within the screen, and closes again
    toggle.click()
    panel = page.locator("#panel")
    assert panel.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    pb = panel.bounding_box()
    assert pb["x"] == 0 and pb["width"] <= 390 * 0.9
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "view-readouts-390x844-panel.png"))
    toggle.click()
    assert not panel.is_visible()
    # a name found in the drawer closes it, and its card opens as a sheet below the node
    toggle.click()
    name = p.js("kg.data.nodes[kg.data.order[0]].label")
    page.fill("#search", name)
    page.press("#search", "Enter")
    assert not panel.is_visible()
    card = page.locator("#card")
    assert card.is_visible() and page.inner_text("#card h2") == name
    cb = card.bounding_box()
    assert cb["x"] == 0 and cb["width"] == 390 and cb["y"] >= 844 * 0.5 and cb["y"] + cb["height"] <= 844 + 1
    node = p.js("id => kg.network.canvasToDOM(kg.network.getPositions([id])[id])", p.js("window.kgFocused"))
    assert 0 < node["x"] < 390 and 0 < node["y"] < cb["y"]  # the node is not under the sheet
    page.screenshot(path=str(ARTIFACTS / "view-readouts-390x844-card.png"))
    page.click("#card-close")
    assert not card.is_visible()
    p.assert_clean()


def test_on_a_small_laptop_the_card_floats_over_the_graph_when_needed(readouts_page, open_page):
    p = open_page(readouts_page, width=1000, height=700)
    page = p.page
    panel, graph = page.locator("#panel").bounding_box(), page.locator("#mynetwork").bounding_box()
    assert graph["x"] == panel["x"] + panel["width"] and graph["x"] + graph["width"] == 1000
    assert not page.locator("#card").is_visible() and not page.locator("#panel-toggle").is_visible()
    p.js("kg.focus(kg.data.nodes[kg.data.order[0]].label)")
    card = page.locator("#card")
    assert card.is_visible()
    cb = card.bounding_box()
    assert cb["x"] > graph["x"] and cb["x"] + cb["width"] <= 1000
    page.click("#card-close")
    assert not card.is_visible()
    p.assert_clean()
