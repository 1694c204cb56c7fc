"""Graph -> one self-contained pyvis HTML page.

The page inlines vis-network (from pyvis's bundled copy) and uses kg's own
template: no CDN, no network request, and a Content-Security-Policy that
forbids any. Positions are computed in Python (networkx, fixed seed) and
physics is off, so the page opens at once and looks the same every time.
Every string from a document reaches the page as JSON data and is shown with
``textContent``: it is never parsed as HTML.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .ns import ITSRDF, KGO, NIF
from .records import ENTITY_TYPES

__all__ = ["TYPE_STYLE", "network_data", "render_html", "write_html"]

#: Colour and shape per entity type (the legend).
TYPE_STYLE = {
    "Person": ("#e6194b", "dot"),
    "Country": ("#3cb44b", "diamond"),
    "Organization": ("#4363d8", "square"),
    "Place": ("#f58231", "triangle"),
    "Initiative": ("#911eb4", "star"),
    "Event": ("#42d4f4", "hexagon"),
}

_MAX_SENTENCES = 5


def network_data(graph: Graph, *, max_nodes: int = 2000) -> dict:
    """Nodes (entities) and edges (same-sentence co-occurrence) of *graph*,
    with layout positions and the evidence each card shows."""
    import networkx as nx

    types = {str(t).rsplit("#", 1)[-1] for t in ENTITY_TYPES}
    entities: dict[str, dict] = {}
    for s, _, o in graph.triples((None, RDF.type, None)):
        if str(o).startswith(str(KGO)) and str(o)[len(str(KGO)):] in types:
            iri = str(s)
            entities[iri] = {
                "id": iri,
                "label": str(graph.value(s, RDFS.label) or iri.rsplit("/", 1)[-1]),
                "group": str(o)[len(str(KGO)):],
                "alt": sorted(str(a) for a in graph.objects(s, SKOS.altLabel)),
                "qid": next((str(x).rsplit("/", 1)[-1] for x in graph.objects(s, OWL.sameAs) if "wikidata" in str(x)), None),
                "docs": len(set(graph.objects(s, KGO.mentionedIn))),
            }
    sentences_of: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    by_sentence: dict[str, set[str]] = defaultdict(set)
    sentence_text: dict[str, str] = {}
    for m, _, ent in graph.triples((None, ITSRDF.taIdentRef, None)):
        ent = str(ent)
        if ent not in entities:
            continue
        sent = graph.value(m, NIF.sentence)
        if sent is None:
            continue
        by_sentence[str(sent)].add(ent)
        if str(sent) not in sentence_text:
            sentence_text[str(sent)] = str(graph.value(sent, NIF.anchorOf) or "")
        sentences_of[ent].append((str(sent), 0, sentence_text[str(sent)]))
    pair_evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sent in sorted(by_sentence):
        members = sorted(by_sentence[sent])
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair_evidence[(a, b)].append(sent)
    # Stated relations and event participation: labelled edges.
    from .ns import SCHEMA

    stated: dict[tuple[str, str], set[str]] = defaultdict(set)
    link_props = {SCHEMA.participant: "participant", SCHEMA.location: "location", KGO.target: "target"}
    for s, p, o in graph:
        a, b = str(s), str(o)
        if a in entities and b in entities and a != b:
            if p in link_props:
                name = link_props[p]
            elif str(p).startswith(str(KGO)) and p not in (KGO.agent, KGO.eventType):
                name = str(p)[len(str(KGO)):]
            else:
                continue
            stated[(a, b)].add(name)
    g = nx.Graph()
    g.add_nodes_from(sorted(entities))
    for (a, b), sents in sorted(pair_evidence.items()):
        g.add_edge(a, b, weight=len(sents))
    for (a, b) in sorted(stated):
        if not g.has_edge(a, b):
            g.add_edge(a, b, weight=1)
    degree = dict(g.degree(weight="weight"))
    keep = sorted(entities, key=lambda n: (-degree.get(n, 0), n))[:max_nodes]
    keep_set = set(keep)
    sub = g.subgraph(keep)
    pos = nx.spring_layout(sub, seed=7, k=1.5 / max(1, len(keep)) ** 0.5, iterations=100) if keep else {}
    scale = 140 * max(1, len(keep)) ** 0.5
    nodes = []
    for iri in keep:
        e = entities[iri]
        color, shape = TYPE_STYLE[e["group"]]
        sents = sorted({s for s in sentences_of[iri]}, key=lambda x: x[0])
        mentions = len(sentences_of[iri])
        x, y = pos.get(iri, (0.0, 0.0))
        nodes.append({
            "id": iri, "label": e["label"], "group": e["group"], "alt": e["alt"], "qid": e["qid"],
            "names": [e["label"], *e["alt"]], "docs": e["docs"], "mentions": mentions,
            "sentences": [t for _, _, t in sents[:_MAX_SENTENCES]],
            "title": f"{e['label']} ({e['group']})",
            "color": color, "shape": shape, "value": 1 + degree.get(iri, 0),
            "x": round(float(x) * scale, 2), "y": round(float(y) * scale, 2),
        })
    edges = []
    for (a, b), sents in sorted(pair_evidence.items()):
        if a in keep_set and b in keep_set:
            edges.append({
                "id": f"{a}|{b}", "from": a, "to": b, "relation": "co-occurs in a sentence with",
                "from_label": entities[a]["label"], "to_label": entities[b]["label"],
                "value": len(sents), "sentences": [sentence_text[s] for s in sents[:_MAX_SENTENCES]],
                "title": f"{len(sents)} sentence(s)",
            })
    for (a, b), names in sorted(stated.items()):
        if a in keep_set and b in keep_set:
            sents = [sentence_text[x] for x in pair_evidence.get((min(a, b), max(a, b)), [])[:_MAX_SENTENCES]]
            if not sents:
                sents = sorted({str(graph.value(ev, NIF.anchorOf) or "") for ev in graph.objects(URIRef(a), KGO.evidence)})[:_MAX_SENTENCES]
            edges.append({
                "id": f"{a}|{b}|stated", "from": a, "to": b, "relation": ", ".join(sorted(names)),
                "label": ", ".join(sorted(names)), "arrows": "to",
                "from_label": entities[a]["label"], "to_label": entities[b]["label"],
                "value": 2, "sentences": sents, "title": ", ".join(sorted(names)),
                "color": {"color": "#666666"}, "font": {"size": 10},
            })
    counts = Counter(e["group"] for e in entities.values())
    legend = [{"type": t, "color": TYPE_STYLE[t][0], "count": counts.get(t, 0)} for t in ENTITY_TYPES]
    options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
        "nodes": {"scaling": {"min": 8, "max": 40}, "font": {"size": 14}},
        "edges": {"color": {"color": "#bbbbbb", "highlight": "#333333"}, "smooth": False,
                  "scaling": {"min": 1, "max": 6}},
    }
    return {"nodes": nodes, "edges": edges, "legend": legend, "options": options}


def render_html(graph: Graph, *, max_nodes: int = 2000) -> str:
    """The HTML page of *graph* as a string (pyvis template machinery)."""
    import jinja2
    from pyvis.network import Network

    net = Network(height="100%", width="100%", cdn_resources="in_line")
    pyvis_templates = Path(net.template_dir)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
            jinja2.FileSystemLoader(str(pyvis_templates)),
        ]),
        autoescape=True,
    )
    payload = network_data(graph, max_nodes=max_nodes)
    for node in payload["nodes"]:
        net.nodes.append(node)
    net.edges.extend(payload["edges"])
    return env.get_template("kg_network.html").render(payload=payload, bgcolor="#ffffff")


def write_html(graph: Graph, path: str | os.PathLike, *, max_nodes: int = 2000) -> Path:
    """Write the page of *graph* to *path* atomically."""
    from .export import atomic_write

    return atomic_write(path, render_html(graph, max_nodes=max_nodes).encode("utf-8"))
