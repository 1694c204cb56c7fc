"""Where the page's nodes start (:func:`layout`), computed once, here, so
that the same graph gives the same page and nothing moves unless the user
asks.

* The first view (the most important nodes) is laid out on the links it
  shows at first (stated relations and event roles, not co-occurrence): its
  largest connected part by a spring layout in the middle; every other part,
  down to single nodes, on rings around it, the most important nearest,
  each ring spread evenly all the way round (no row of loose nodes).
* Every other node is placed beside its strongest placed neighbour
  (golden-angle rings), or, with none, on an outer spiral.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter

__all__ = ["SPRING_MAX", "arrange", "layout", "spring"]

#: networkx's force layout needs scipy from 500 nodes on; kg does not, so the
#: spring layout covers at most this many nodes and the rest are placed
#: around their neighbours.
SPRING_MAX = 450
_SEED = 7
#: Canvas units between the parts placed around the largest one.
_GAP = 60.0
#: Canvas units at least between two nodes of the largest part (a spring
#: layout puts neighbours about 200 apart, and the hubs' far closer).
_SPACING = 150.0

Point = tuple[float, float]


def layout(graph, links, order: list[str], *, first: int) -> dict[str, Point]:
    """Positions of the nodes *order* (most important first).

    *graph* is the weighted networkx graph of every link; *links* holds the
    links the page shows at first (on the same nodes); the *first* nodes of
    *order* are the first view. Deterministic.
    """
    if not order:
        return {}
    core = order[:max(1, min(int(first), SPRING_MAX))]
    rank = {v: i for i, v in enumerate(order)}
    pos = arrange(links.subgraph(core), rank)
    if len(order) == len(core):
        return pos
    radius = max((math.hypot(*p) for p in pos.values()), default=0.0) + 200.0
    golden = math.pi * (3.0 - math.sqrt(5.0))
    satellites: Counter = Counter()
    heap: list[tuple[int, str]] = []

    def push_neighbours(v):
        for u in graph[v]:
            if u not in pos:
                heapq.heappush(heap, (rank[u], u))

    for v in core:
        push_neighbours(v)
    spiral = 0
    for v in order[len(core):]:
        # Place the most important reachable node first, until v is placed;
        # when nothing placed is reachable, v starts a new component.
        while v not in pos:
            u = heapq.heappop(heap)[1] if heap else v
            if u in pos:
                continue
            placed = [w for w in graph[u] if w in pos]
            if placed:
                anchor = max(placed, key=lambda w: (graph[u][w].get("weight", 1.0), -rank[w]))
                k = satellites[anchor]
                satellites[anchor] += 1
                # The first satellite points away from the middle, the next ones round the anchor.
                ax, ay = pos[anchor]
                angle = math.atan2(ay, ax) + k * golden
                r = 70.0 + 14.0 * math.sqrt(k)
                pos[u] = (ax + r * math.cos(angle), ay + r * math.sin(angle))
            else:
                r = radius + 40.0 * math.sqrt(spiral)
                pos[u] = (r * math.cos(spiral * golden), r * math.sin(spiral * golden))
                spiral += 1
            push_neighbours(u)
    return pos


def arrange(g, rank: dict[str, int]) -> dict[str, Point]:
    """Each connected part of *g* laid out on its own: the largest centred
    on the origin, the others on rings around it (larger parts first, then
    the more important by *rank*, lower is more important).

    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a")]); g.add_nodes_from("xyz")
    >>> pos = arrange(g, {v: i for i, v in enumerate("abcxyz")})
    >>> ring = {round(math.hypot(*pos[v])) for v in "xyz"}  # one ring, beyond the triangle
    >>> len(ring), min(ring) > max(math.hypot(*pos[v]) for v in "abc")
    (1, True)
    """
    import networkx as nx

    parts = sorted((sorted(c, key=lambda v: (rank[v], v)) for c in nx.connected_components(g)),
                   key=lambda c: (-len(c), rank[c[0]], c[0]))
    if not parts:
        return {}
    pos = _centred(_separate(_component_layout(g, parts[0]), rank))
    if len(parts) > 1:
        _around(pos, [_centred(_component_layout(g, part)) for part in parts[1:]])
    return pos


def _separate(local: dict[str, Point], rank: dict[str, int], *, spacing: float = _SPACING,
              sweeps: int = 60) -> dict[str, Point]:
    """*local* with every two nodes about *spacing* apart at least, the
    most important (lowest *rank*) up to three times as far: each pair too
    close is pushed apart along the line between them, for a few sweeps. A
    spring layout packs the neighbours of a hub, and hubs that share them,
    into a tight knot, where no name has room; this keeps its shape and
    gives them room."""
    import numpy as np

    n = len(local)
    if n < 3:
        return local
    names = list(local)
    room = spacing * (1.0 + 2.0 / (1.0 + np.array([rank[v] for v in names], dtype=float) / 4.0)) / 2.0
    # A deterministic nudge, so that no two nodes start at the same point.
    x = np.array([local[v][0] for v in names]) + 1e-3 * np.arange(n)
    y = np.array([local[v][1] for v in names])
    upper = np.triu_indices(n, 1)
    reach = 2.0 * (room[upper[0]] + room[upper[1]])
    for sweep in range(sweeps):
        if sweep % 10 == 0:  # the pairs near enough to matter, found anew every ten sweeps
            near = np.hypot(np.subtract.outer(x, x), np.subtract.outer(y, y))[upper] < reach
            a, b = upper[0][near], upper[1][near]
            need = room[a] + room[b]
        dx, dy = x[a] - x[b], y[a] - y[b]
        dist = np.hypot(dx, dy)
        over = np.maximum(need - dist, 0.0)
        if not len(over) or over.max() < 1.0:
            break
        push = over / (2.0 * dist)
        fx, fy = push * dx, push * dy
        x = x + np.bincount(a, fx, n) - np.bincount(b, fx, n)
        y = y + np.bincount(a, fy, n) - np.bincount(b, fy, n)
    return {v: (float(p), float(q)) for v, p, q in zip(names, x, y)}


def _centred(local: dict[str, Point]) -> dict[str, Point]:
    xs, ys = [p[0] for p in local.values()], [p[1] for p in local.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {v: (x - cx, y - cy) for v, (x, y) in local.items()}


def _around(pos: dict[str, Point], parts: list[dict[str, Point]]) -> None:
    """Put *parts* (each centred on the origin) on rings around *pos*: as
    many on a ring as go round it, spread evenly all the way round."""
    inner = max(math.hypot(*p) for p in pos.values()) + _GAP
    rings: list[tuple[float, list[tuple[dict, float, float]]]] = []
    ring: list[tuple[dict, float, float]] = []
    used = thickness = 0.0
    for part in parts:
        rc = max(math.hypot(*p) for p in part.values())
        arc = (2 * rc + _GAP) / (inner + rc)
        if ring and used + arc > 2 * math.pi:
            rings.append((inner, ring))
            inner += thickness + _GAP
            ring, used, thickness = [], 0.0, 0.0
            arc = (2 * rc + _GAP) / (inner + rc)
        ring.append((part, rc, arc))
        used += arc
        thickness = max(thickness, 2 * rc)
    rings.append((inner, ring))
    for inner, ring in rings:
        slack = max(0.0, 2 * math.pi - sum(arc for _, _, arc in ring)) / len(ring)
        angle = -math.pi / 2
        for part, rc, arc in ring:
            mid = angle + (arc + slack) / 2
            cx, cy = (inner + rc) * math.cos(mid), (inner + rc) * math.sin(mid)
            pos.update({v: (cx + x, cy + y) for v, (x, y) in part.items()})
            angle += arc + slack


def _component_layout(g, nodes: list[str]) -> dict[str, Point]:
    """Spring layout of one connected component, about 95 px between neighbours."""
    import networkx as nx

    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-45.0, 0.0), nodes[1]: (45.0, 0.0)}
    # Built in sorted order: the seeded start positions must not depend on insertion history.
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes))
    sub.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in g.subgraph(nodes).edges(data=True)))
    xs, ys = spring(nx.to_numpy_array(sub, weight="weight"), k=2.2 / math.sqrt(len(nodes)), iterations=150,
                    seed=_SEED)
    scale = 90.0 * math.sqrt(len(nodes))
    return {v: (float(x) * scale, float(y) * scale) for v, x, y in zip(sub, xs, ys)}


def spring(adjacency, *, k: float, iterations: int, seed: int, threshold: float = 1e-4):
    """Fruchterman-Reingold on a dense adjacency matrix: networkx's
    ``spring_layout`` (seeded start, linear cooling, the same forces and
    stop rule, rescaled to [-1, 1]), with x and y kept as separate arrays,
    which is several times faster than networkx's 3-d arrays."""
    import numpy as np

    n = len(adjacency)
    start = np.random.RandomState(seed).rand(n, 2)
    x, y = start[:, 0].copy(), start[:, 1].copy()
    t = max(x.max() - x.min(), y.max() - y.min()) * 0.1
    dt = t / (iterations + 1)
    kk = k * k
    for _ in range(iterations):
        dx = np.subtract.outer(x, x)
        dy = np.subtract.outer(y, y)
        dist = np.sqrt(dx * dx + dy * dy)
        np.maximum(dist, 0.01, out=dist)
        force = kk / (dist * dist) - adjacency * dist / k
        fx = np.einsum("ij,ij->i", dx, force)
        fy = np.einsum("ij,ij->i", dy, force)
        step = t / np.maximum(np.hypot(fx, fy), 0.01)
        fx *= step
        fy *= step
        x += fx
        y += fy
        t -= dt
        if math.sqrt(float(fx @ fx + fy @ fy)) / n < threshold:
            break
    x -= x.mean()
    y -= y.mean()
    lim = max(np.abs(x).max(), np.abs(y).max())
    if lim > 0:
        x /= lim
        y /= lim
    return x, y
