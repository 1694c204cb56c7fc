import json
import re

from kg.viz import render_html


def test_page_is_self_contained(seeds_out):
    html = seeds_out.outputs["html"].read_text("utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=\s*['\"]?(https?:)?//", html)
    assert "vis.Network" in html
    for host in ("cdnjs", "jsdelivr", "unpkg", "googleapis", "bootstrap"):
        assert host not in html


def test_node_count_matches_the_graph(seeds_out):
    html = seeds_out.outputs["html"].read_text("utf-8")
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    from rdflib.namespace import RDF
    from kg.ns import KGO

    kinds = [KGO[t] for t in ("Person", "Country", "Organization", "Place", "Initiative", "Event")]
    expected = {s for k in kinds for s in seeds_out.graph.subjects(RDF.type, k)}
    assert len(data["nodes"]) == len(expected)
    assert any(n["label"] == "Xi Jinping" for n in data["nodes"])


def test_hostile_text_cannot_break_out_of_the_data_block(build_texts):
    evil = 'Dr. Mallory Evans met "</script><script>alert(1)</script>" and <img src=x onerror=alert(2)> in Paris.'
    result = build_texts([evil, "Mallory Evans visited Kenya. </script><b>bold</b>"])
    html = render_html(result.graph)
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert "alert(1)" not in html.split('id="kg-data"')[0]
