"""Where the page's nodes start (kg/viz/layout.py)."""

import itertools
import math
import random

import networkx as nx
import pytest

from kg.viz.layout import SPRING_MAX, arrange, layout


def _ranked(g):
    return {v: i for i, v in enumerate(sorted(g, key=lambda v: (-g.degree(v), v)))}


def _hub_and_loners(leaves=60, loners=24):
    """A hub with many leaves and a few cross links, and nodes linked to nothing."""
    g = nx.Graph()
    g.add_edges_from(("hub", f"leaf{i:02d}") for i in range(leaves))
    g.add_edges_from((f"leaf{i:02d}", f"leaf{i + 1:02d}") for i in range(0, leaves - 1, 5))
    g.add_nodes_from(f"loner{i:02d}" for i in range(loners))
    return g


def test_loose_nodes_go_round_the_main_part_not_in_a_row():
    g = _hub_and_loners()
    pos = arrange(g, _ranked(g))
    assert set(pos) == set(g)
    main = [v for v in g if not v.startswith("loner")]
    loners = [v for v in g if v.startswith("loner")]
    reach = max(math.hypot(*pos[v]) for v in main)
    assert all(math.hypot(*pos[v]) > reach for v in loners)  # outside the main part
    # all the way round it: every quarter of the circle has some
    quarters = {int((math.atan2(pos[v][1], pos[v][0]) + math.pi) // (math.pi / 2)) % 4 for v in loners}
    assert quarters == {0, 1, 2, 3}
    # no row: no three of them share a line across the page
    for axis in (0, 1):
        rows = {}
        for v in loners:
            rows.setdefault(round(pos[v][axis] / 10), []).append(v)
        assert max(len(r) for r in rows.values()) <= 2, rows
    # and not on top of one another
    assert min(math.dist(pos[a], pos[b]) for a, b in itertools.combinations(loners, 2)) >= 40


def test_hubs_and_their_neighbours_get_room():
    """Readouts name the same two hubs (a president, his country) in every
    event: a spring layout puts the hubs a few pixels apart, and no name fits."""
    rng = random.Random(1)
    g = nx.Graph()
    g.add_edge("hub0", "hub1", weight=3.0)
    for i in range(100):
        for other in ("hub0", "hub1", f"entity{rng.randrange(60):02d}"):
            g.add_edge(f"event{i:03d}", other, weight=2.0)
    pos = arrange(g, _ranked(g))
    assert min(math.dist(pos[a], pos[b]) for a, b in itertools.combinations(g, 2)) >= 90
    # the most important the farthest apart: their names are drawn the largest
    assert math.dist(pos["hub0"], pos["hub1"]) >= 300


def test_smaller_parts_ring_the_largest_larger_first():
    g = _hub_and_loners(leaves=30, loners=10)
    g.add_edges_from([("p", "q"), ("q", "r"), ("s", "t")])
    pos = arrange(g, _ranked(g))
    centre = lambda vs: (sum(pos[v][0] for v in vs) / len(vs), sum(pos[v][1] for v in vs) / len(vs))  # noqa: E731
    reach = max(math.hypot(*pos[v]) for v in ["hub"] + [f"leaf{i:02d}" for i in range(30)])
    for part in (["p", "q", "r"], ["s", "t"]):
        assert math.hypot(*centre(part)) > reach
        assert max(math.dist(pos[a], pos[b]) for a, b in itertools.combinations(part, 2)) < 400  # kept together


def test_same_graph_same_positions_whatever_the_insertion_order():
    g = _hub_and_loners()
    h = nx.Graph()
    h.add_nodes_from(sorted(g, reverse=True))
    h.add_edges_from(sorted(g.edges, reverse=True))
    assert arrange(g, _ranked(g)) == arrange(h, _ranked(g))


def test_layout_lays_out_the_first_view_on_the_links_it_shows():
    """Nodes linked only by links the page starts with hidden sit round the
    main part, not inside it; the nodes after the first view go beside their
    neighbours."""
    shown = _hub_and_loners(leaves=20, loners=6)
    every = shown.copy()
    every.add_edges_from(("hub", f"loner{i:02d}", {"weight": 5.0}) for i in range(6))  # e.g. co-occurrence
    every.add_edges_from((f"leaf{i:02d}", f"later{i:02d}") for i in range(3))
    shown.add_nodes_from(f"later{i:02d}" for i in range(3))
    order = sorted(every, key=lambda v: (v.startswith("later"), -every.degree(v), v))
    pos = layout(every, shown, order, first=len(order) - 3)
    assert set(pos) == set(every)
    reach = max(math.hypot(*pos[v]) for v in ["hub"] + [f"leaf{i:02d}" for i in range(20)])
    assert all(math.hypot(*pos[f"loner{i:02d}"]) > reach for i in range(6))
    for i in range(3):
        assert math.dist(pos[f"later{i:02d}"], pos[f"leaf{i:02d}"]) < 100


@pytest.mark.parametrize("first", [1, 5, SPRING_MAX + 10])
def test_layout_places_every_node(first):
    g = nx.barabasi_albert_graph(40, 1, seed=2)
    g = nx.relabel_nodes(g, {v: f"n{v:02d}" for v in g})
    g.add_node("alone")
    order = sorted(g, key=lambda v: (-g.degree(v), v))
    pos = layout(g, g, order, first=first)
    assert set(pos) == set(g)
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(g)
