"""The page: the view's data as plain JSON-ready data (:func:`network_data`)
and the self-contained HTML page around it (:func:`render_html`)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph

from ..errors import KGError
from ..files import atomic_write
from ..records import ENTITY_TYPES
from .layout import layout
from .model import collect
from .select import nx_graph, pagerank, select

__all__ = ["TYPE_STYLE", "DEFAULT_TOP", "network_data", "prepare", "render_html", "write_html"]

#: Colour and vis-network shape per entity type (the legend shows both).
TYPE_STYLE = {
    "Person": ("#e6194b", "dot"),
    "Country": ("#3cb44b", "diamond"),
    "Organization": ("#4363d8", "square"),
    "Place": ("#f58231", "triangle"),
    "Initiative": ("#911eb4", "star"),
    "Event": ("#1fa2c4", "hexagon"),
}
_GLYPH = {"dot": "\u25cf", "diamond": "\u25c6", "square": "\u25a0", "triangle": "\u25b2",
          "star": "\u2605", "hexagon": "\u2b22"}

#: Community colours (communities beyond these share the last, grey).
_COMMUNITY_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                      "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ffd92f", "#9e9e9e")

#: How many nodes the page shows before the user asks for more.
DEFAULT_TOP = 300

_SENTENCES_PER_NODE = 40
_SENTENCES_PER_EDGE = 12
_LOUVAIN_SEED = 42

#: Links the page starts with hidden (a toggle shows them): names in the same
#: sentence would bury the stated relations under a hairball.
_HIDDEN_KINDS = frozenset({"cooccurrence"})


def _communities(g) -> dict[str, int]:
    """Louvain communities (fixed seed), numbered by size."""
    import networkx as nx

    if g.number_of_edges() == 0:
        return {v: i for i, v in enumerate(sorted(g))}
    parts = nx.community.louvain_communities(g, weight="weight", seed=_LOUVAIN_SEED)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return {v: i for i, part in enumerate(parts) for v in part}


def network_data(
    graph: Graph,
    *,
    top: int = DEFAULT_TOP,
    max_nodes: int | None = None,
    entity: str | None = None,
    hops: int = 1,
    document: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    construct: str | None = None,
) -> dict:
    """Everything the page shows, as plain JSON-ready data.

    The view is the whole graph, or the nodes every given selector picks:
    *entity* (a label, alternative label or IRI) with its neighbours up to
    *hops* links away; *document* (an id, IRI or source file); the events
    between *date_from* and *date_to* (``YYYY[-MM[-DD]]``) with their
    participants; the entities named in the result of the SPARQL CONSTRUCT
    query *construct* (its triples between two of them become edges too).
    *max_nodes* keeps only that many nodes (the most important); the page
    first shows the *top* most important ones.
    """
    model = collect(graph)
    keep, extra, description = select(graph, model, entity=entity, hops=hops, document=document,
                                       date_from=date_from, date_to=date_to, construct=construct)
    nodes = model.nodes if keep is None else {k: v for k, v in model.nodes.items() if k in keep}
    edges = {k: v for k, v in model.edges.items() if k[1] in nodes and k[2] in nodes}
    for a, rel, b in extra:
        if not any((kind, a, b) in edges and rel in edges[(kind, a, b)]["rels"] for kind in ("relation", "event")):
            e = edges.setdefault(("query", a, b), {"rels": set(), "sentences": set(), "count": 0})
            e["rels"].add(rel)
    g = nx_graph(nodes, edges)
    rank = pagerank(g)
    order = sorted(nodes, key=lambda v: (-round(rank[v], 12), nodes[v].label.casefold(), v))
    if max_nodes is not None and len(order) > max_nodes:
        order = order[:max_nodes]
        nodes = {k: nodes[k] for k in order}
        edges = {k: v for k, v in edges.items() if k[1] in nodes and k[2] in nodes}
        g = g.subgraph(order).copy()
    community = _communities(g)
    # Laid out on the links the page shows at first: co-occurrence starts hidden.
    shown_first = nx_graph(nodes, {k: v for k, v in edges.items() if k[0] not in _HIDDEN_KINDS})
    pos = layout(g, shown_first, order, first=top)
    index = {v: i for i, v in enumerate(sorted(nodes))}
    doc_list = sorted({d for n in nodes.values() for d in n.docs if d in model.docs},
                      key=lambda d: (model.docs[d]["date"], model.docs[d]["title"], d))
    doc_index = {d: i for i, d in enumerate(doc_list)}

    used_sentences: set[str] = set()
    node_sentences: dict[str, list[str]] = {}
    for v, n in nodes.items():
        ss = sorted(n.sentences, key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
        node_sentences[v] = ss[:_SENTENCES_PER_NODE]
        used_sentences.update(node_sentences[v])
    edge_sentences: dict[tuple, list[str]] = {}
    for key, e in edges.items():
        ss = sorted(e["sentences"], key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
        edge_sentences[key] = ss[:_SENTENCES_PER_EDGE]
        used_sentences.update(edge_sentences[key])
    sentence_list = sorted(used_sentences, key=lambda s: (model.sentences[s][1], model.sentences[s][2], s))
    sentence_index = {s: i for i, s in enumerate(sentence_list)}

    top_rank = max(rank.values(), default=1.0) or 1.0
    events_of: dict[str, list[str]] = defaultdict(list)
    for v, n in nodes.items():
        for ent in n.roles:
            if ent in nodes:
                events_of[ent].append(v)

    def event_key(v):
        n = nodes[v]
        return (n.lo or "9999", n.hi or "9999", n.label, v)

    out_nodes = []
    for v in sorted(nodes):
        n = nodes[v]
        colour, shape = TYPE_STYLE[n.type]
        x, y = pos.get(v, (0.0, 0.0))
        short = n.label
        if n.event_type:
            short = f"{n.event_type} {n.start}" if n.start else n.event_type
        item = {
            "id": v, "label": n.label, "short": short if short != n.label else None, "type": n.type,
            "alt": n.alt, "qid": n.qid, "titles": n.titles, "mentions": n.mentions,
            "docs": sorted(doc_index[d] for d in n.docs if d in doc_index),
            "sentences": [sentence_index[s] for s in node_sentences[v]],
            "sentenceCount": len(n.sentences),
            "events": [index[e] for e in sorted(events_of.get(v, []), key=event_key)],
            "quotes": n.quotes,
            "importance": round(rank[v] / top_rank, 6),
            "value": round(1.0 + 9.0 * math.sqrt(rank[v] / top_rank), 3),
            "community": community.get(v, 0),
            "x": round(x), "y": round(y),
        }
        if n.type == "Event" and (n.event_type or n.roles):
            item.update({
                "eventType": n.event_type, "start": n.start, "end": n.end, "lo": n.lo, "hi": n.hi,
                "inferred": n.inferred, "phrase": n.phrase,
                "roles": [[index[e], ", ".join(sorted(r))] for e, r in sorted(n.roles.items()) if e in index],
            })
        out_nodes.append({k: val for k, val in item.items() if val is not None and val is not False and val != []})

    kinds = ("relation", "query", "event", "cooccurrence")
    edge_rows = []
    rel_counts: Counter = Counter()
    kind_of_rel: dict[str, str] = {}
    for (kind, a, b), e in sorted(edges.items(), key=lambda kv: (index[kv[0][1]], index[kv[0][2]], kv[0][0])):
        rels = sorted(e["rels"])
        keys = sorted({r.split(":", 1)[0] for r in rels}) if kind != "cooccurrence" else ["co-occurrence"]
        for k in keys:
            rel_counts[k] += 1
            kind_of_rel.setdefault(k, kind)
        docs = sorted({doc_index[d] for d in (model.sentences[x][1] for x in e["sentences"]) if d in doc_index})
        edge_rows.append((index[a], index[b], kinds.index(kind), keys, ", ".join(rels) if rels else None,
                          [sentence_index[x] for x in edge_sentences[(kind, a, b)]], len(e["sentences"]), docs))
    relations = sorted(rel_counts, key=lambda k: (kinds.index(kind_of_rel[k]), k))
    rel_index = {k: i for i, k in enumerate(relations)}
    # Edges are rows (the bulk of a large page): [from, to, kind, relation keys,
    # label, sentences, number of sentences, documents]; the page's script names the fields.
    out_edges = [[a, b, k, [rel_index[x] for x in keys], label, ss, n, docs]
                 for a, b, k, keys, label, ss, n, docs in edge_rows]

    types = Counter(n.type for n in nodes.values())
    communities = []
    members: dict[int, list[str]] = defaultdict(list)
    for v in order:
        members[community.get(v, 0)].append(nodes[v].label)
    for c in sorted(members):
        communities.append({"color": _COMMUNITY_COLOURS[min(c, len(_COMMUNITY_COLOURS) - 1)],
                            "size": len(members[c]), "label": ", ".join(members[c][:3])})
    return {
        "title": description or "knowledge graph",
        "top": max(1, int(top)),
        "types": [{"type": t, "color": TYPE_STYLE[t][0], "shape": TYPE_STYLE[t][1],
                   "glyph": _GLYPH[TYPE_STYLE[t][1]], "count": types.get(t, 0)} for t in ENTITY_TYPES],
        "kinds": list(kinds),
        "relations": [{"key": k, "kind": kind_of_rel[k], "count": rel_counts[k],
                       "shown": kind_of_rel[k] not in _HIDDEN_KINDS} for k in relations],
        "communities": communities,
        "docs": [{k: model.docs[d][k] for k in ("id", "title", "date", "source")} for d in doc_list],
        "sentences": [[model.sentences[s][0], doc_index.get(model.sentences[s][1], -1)] for s in sentence_list],
        "nodes": out_nodes,
        "edges": out_edges,
        "order": [index[v] for v in order],
        "options": {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": True,
                            "hideEdgesOnZoom": len(out_edges) > 3000, "keyboard": False},
            # Names are drawn by the page's own script, legible at any zoom (not by vis-network).
            "nodes": {"borderWidth": 1, "scaling": {"min": 7, "max": 34, "label": {"enabled": False}}},
            "edges": {"smooth": False, "selectionWidth": 2, "width": 1},
        },
    }


def _script_json(payload: dict) -> str:
    """JSON that cannot end its <script> block or open a comment/markup."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def prepare() -> None:
    """Import and read what making a page needs, ahead of time (a process
    that will make a page calls it while it waits for the graph)."""
    import jinja2  # noqa: F401
    import networkx  # noqa: F401
    import oxrdflib.store  # noqa: F401
    import pyoxigraph  # noqa: F401

    _vis_files()


@functools.lru_cache(maxsize=1)
def _vis_files() -> tuple[str, str]:
    """vis-network's JS and CSS from pyvis's bundled copy (found without
    importing pyvis, which imports IPython: 60 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("pyvis is not installed", hint="pip install 'pyvis>=0.3.2,<0.4'")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib"
    folder = max(lib.glob("vis-*/vis-network.min.js"), default=None)
    if folder is None:
        raise KGError(f"pyvis has no bundled vis-network under {lib}", hint="reinstall pyvis (>=0.3.2,<0.4)")
    js = folder.read_text("utf-8")
    css = (folder.parent / "vis-network.css").read_text("utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise KGError("pyvis's vis-network cannot be inlined (it contains a closing tag)", hint="reinstall pyvis")
    return js, css


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def render_html(
    graph: Graph,
    *,
    top: int = DEFAULT_TOP,
    max_nodes: int | None = None,
    entity: str | None = None,
    hops: int = 1,
    document: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    construct: str | None = None,
) -> str:
    """The HTML page of *graph* as a string; see :func:`network_data` for
    the view's arguments."""
    import jinja2
    from markupsafe import Markup

    payload = network_data(graph, top=top, max_nodes=max_nodes, entity=entity, hops=hops, document=document,
                           date_from=date_from, date_to=date_to, construct=construct)
    js, css = _vis_files()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
                             autoescape=True, keep_trailing_newline=True)
    html = env.get_template("kg_network.html").render(
        title=payload["title"], vis_js=Markup(js), vis_css=Markup(css),
        data=Markup(_script_json(payload)), csp_scripts="__KG_SCRIPT_HASHES__")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _SCRIPT.findall(html))
    return html.replace("__KG_SCRIPT_HASHES__", hashes, 1)


def write_html(graph: Graph, path: str | os.PathLike, **view) -> Path:
    """Write the page of *graph* to *path* atomically (*view* as for
    :func:`render_html`)."""
    return atomic_write(path, render_html(graph, **view).encode("utf-8"))
