"""The graph's events as one table, the way GDELT and PETRARCH users read
event data: one row per event and actor pair.

Pairs: each agent with each target, or other participant (``actor1`` acts,
``actor2`` is acted on: the country visited, the party called, the recipient
of aid). An event with two or more agents and nobody on the other side (a
meeting or a call "between A and B") gives one row per pair of agents. An
event with actors on one side only gives one row per actor, the other side
empty; an event with no actor at all, one row with both sides empty. Each
row carries the event's date, type, CAMEO code and Goldstein value, both
actors (label, type, Wikidata item, and the state they are or act for, with
its ISO 3166-1 alpha-3 code), the place, and its first evidence: the earliest
document (by publication date, then id) and the sentence there.

Rows are sorted by date (undated events last), then event IRI, then the
actors' labels and IRIs. The CSV is written with the :mod:`csv` module
(UTF-8, a header row, ``\\n`` line ends) and atomically.

>>> COLUMNS[:4]
('event_id', 'event_label', 'date_start', 'date_end')
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph

from .cameo import goldstein
from .graphindex import Event, GraphIndex, actor_pairs

__all__ = ["COLUMNS", "event_rows", "events_csv", "write_events_csv"]

_ACTOR = ("id", "role", "label", "type", "qid", "country", "country_iso3")

#: The columns of the events table, in order (documented in README, "Exports").
COLUMNS: tuple[str, ...] = (
    "event_id", "event_label", "date_start", "date_end", "date_precision", "date_inferred", "date_source",
    "planned", "event_type", "cameo_code", "goldstein",
    *(f"actor1_{c}" for c in _ACTOR),
    *(f"actor2_{c}" for c in _ACTOR),
    "place_id", "place_label", "place_country", "place_country_iso3", "place_latitude", "place_longitude",
    "doc_id", "doc_url", "doc_date", "num_documents", "evidence",
)


def _actor(index: GraphIndex, event: Event, actor: tuple[str, str] | None) -> list[str]:
    if actor is None:
        return [""] * len(_ACTOR)
    iri, role = actor
    node = index.nodes[iri]
    state = index.state_of(iri, event)
    code = index.country_code(state)
    return [iri, role, node.label, node.type, node.qid, index.nodes[state].label if state else "",
            code.iso3 if code else ""]


def event_rows(graph: Graph | GraphIndex) -> Iterator[dict[str, str]]:
    """The rows of the events table of *graph* (an rdflib graph or its
    :class:`~kg.graphindex.GraphIndex`), each a dict over :data:`COLUMNS`
    with string values (``""`` where unknown), in the table's order."""
    index = graph if isinstance(graph, GraphIndex) else GraphIndex(graph)
    rows = []
    for event in index.events.values():
        place = index.nodes.get(event.place or "")
        place_country, place_code = index.country_of_place(event.place)
        first = index.sentences.get(event.evidence[0]) if event.evidence else None
        doc = index.documents.get(first.document if first else (event.documents[0] if event.documents else ""))
        shared = {
            "event_id": event.iri, "event_label": event.label,
            "date_start": event.start, "date_end": event.end, "date_precision": event.precision,
            "date_inferred": "" if event.inferred is None else str(event.inferred).lower(),
            "date_source": event.date_source, "planned": str(event.planned).lower(),
            "event_type": event.type_label, "cameo_code": event.cameo, "goldstein": goldstein(event.cameo) or "",
            "place_id": place.iri if place else "", "place_label": place.label if place else "",
            "place_country": place_country, "place_country_iso3": place_code.iso3 if place_code else "",
            "place_latitude": place.latitude if place else "", "place_longitude": place.longitude if place else "",
            "doc_id": doc.id if doc else "", "doc_url": doc.url if doc else "", "doc_date": doc.date if doc else "",
            "num_documents": str(len(event.documents)), "evidence": first.text if first else "",
        }
        for a, b in actor_pairs(event):
            row = dict(shared)
            row.update(zip((f"actor1_{c}" for c in _ACTOR), _actor(index, event, a)))
            row.update(zip((f"actor2_{c}" for c in _ACTOR), _actor(index, event, b)))
            rows.append(row)
    rows.sort(key=lambda r: (r["date_start"] == "", r["date_start"], r["date_end"], r["event_id"],
                             r["actor1_label"], r["actor1_id"], r["actor2_label"], r["actor2_id"]))
    for row in rows:
        yield {c: row[c] for c in COLUMNS}


def events_csv(graph: Graph | GraphIndex) -> bytes:
    """The events table of *graph* as CSV bytes (UTF-8, header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(event_rows(graph))
    return buffer.getvalue().encode("utf-8")


def write_events_csv(graph: Graph | GraphIndex, path: str | os.PathLike) -> Path:
    """Write the events table of *graph* to *path* atomically; returns the path."""
    from .files import atomic_write

    return atomic_write(path, events_csv(graph))
