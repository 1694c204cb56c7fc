"""The gazetteer: known names, their types and Wikidata QIDs.

The bundled tables live in ``kg/data/gazetteer/*.csv`` (see ``SOURCES.md``
there for where each fact comes from). A user adds rows with a CSV file of
their own (``kg build --gazetteer my.csv``) whose columns are
``label,type,aliases,qid`` (``aliases`` separated by ``|``; ``type`` one of
the six entity classes).

The gazetteer feeds two stages: the entity ruler (names -> typed mentions)
and the linker (mention -> QID). Linking is for precision: a name that maps
to more than one row links to none of them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import KGError
from .records import ENTITY_TYPES

__all__ = ["GazEntry", "Gazetteer", "load_gazetteer", "name_key"]

# Bundled table -> (entity type, column holding case-sensitive names).
_TABLES = {
    "countries": "Country",
    "organizations": "Organization",
    "people": "Person",
    "initiatives": "Initiative",
    "places": "Place",
}


@dataclass(frozen=True)
class GazEntry:
    """One gazetteer row.

    id
        ``table:slug``, e.g. ``countries:china``.
    names
        The label and every alias, matched case-insensitively when they have
        several words, exactly when they are one word.
    acronyms
        Forms always matched case-sensitively (``UN``, ``WHO``).
    geonames
        GeoNames id of a place (column ``geonames_id``), or ``None``.
    coords
        ``(latitude, longitude)`` in decimal degrees (columns ``lat`` and
        ``lon``, both needed), or ``None``.
    needs_evidence
        The name is also a common word or an unremarkable name (column
        ``needs_evidence`` = ``1``/``true``): a match in text is kept only
        with other evidence (the NER agrees, a title or place context).
    """

    id: str
    type: str
    label: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...] = ()
    qid: str | None = None
    demonyms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None
    geonames: str | None = None
    coords: tuple[float, float] | None = None
    needs_evidence: bool = False


def name_key(name: str) -> str:
    """Matching key of a name: case-folded, accents and punctuation folded,
    a leading "the" dropped.

    >>> name_key("the People's Republic of China")
    'peoples republic of china'
    >>> name_key("António  Guterres")
    'antonio guterres'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("'s ", "s ").replace("'", "")
    text = re.sub(r"[^\w]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    return text


def _split(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(part.strip() for part in cell.split("|") if part.strip())


class Gazetteer:
    """An index of :class:`GazEntry` rows by name key."""

    def __init__(self, entries: Iterable[GazEntry], ambiguous: dict[str, tuple[str, str]] | None = None) -> None:
        #: name -> (kind, note) for names that denote more than one thing
        #: ("Georgia": a country and a US state; "Congo": two countries).
        self.ambiguous: dict[str, tuple[str, str]] = dict(ambiguous or {})
        self.entries: dict[str, GazEntry] = {}
        for entry in entries:
            self.entries[entry.id] = entry
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._by_acronym: dict[str, set[str]] = defaultdict(set)
        self._by_demonym: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            for name in entry.names:
                self._by_key[name_key(name)].add(entry.id)
            for acronym in entry.acronyms:
                self._by_acronym[acronym].add(entry.id)
            for demonym in entry.demonyms:
                self._by_demonym[demonym].add(entry.id)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str, entity_type: str | None = None) -> GazEntry | None:
        """The single entry *name* denotes (of *entity_type* if given), or
        ``None`` when there is none or more than one (ambiguous)."""
        ids = set(self._by_acronym.get(name.strip(), ())) | self._by_key.get(name_key(name), set())
        hits = [self.entries[i] for i in sorted(ids)]
        if entity_type is not None:
            hits = [e for e in hits if e.type == entity_type]
        return hits[0] if len(hits) == 1 else None

    def demonym(self, word: str) -> GazEntry | None:
        """The country whose demonym *word* is ("Japanese" -> Japan)."""
        ids = sorted(self._by_demonym.get(word, ()))
        return self.entries[ids[0]] if len(ids) == 1 else None

    def surnames(self) -> dict[str, list[GazEntry]]:
        """People by last name (for "Guterres" -> "António Guterres")."""
        out: dict[str, list[GazEntry]] = defaultdict(list)
        for entry in self.entries.values():
            if entry.type == "Person":
                out[name_key(entry.label).split()[-1]].append(entry)
        return out


def _rows(text: str, source: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    return [{k.strip().lower(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def _starts_with_title(name: str) -> bool:
    from .nlp.rules import titles

    words = tuple(name.lower().replace("-", " - ").split())
    return any(len(words) > len(t) and words[:len(t)] == t and t[0][0].isalpha() and len(t[0]) > 2 for t in titles())


_TRUE = frozenset({"1", "true", "yes"})


def _coords(row: dict[str, str], source: str, line: int) -> tuple[float, float] | None:
    lat, lon = row.get("lat", ""), row.get("lon", "")
    if not lat and not lon:
        return None
    try:
        point = (float(lat), float(lon))
    except ValueError:
        raise KGError(f"{source}, row {line}: lat/lon {lat!r}, {lon!r} are not numbers",
                      hint="give both in decimal degrees, or leave both empty") from None
    if not (-90.0 <= point[0] <= 90.0 and -180.0 <= point[1] <= 180.0):
        raise KGError(f"{source}, row {line}: lat/lon {lat}, {lon} are out of range",
                      hint="latitude -90..90, longitude -180..180")
    return point


def _entry(table: str, entity_type: str, row: dict[str, str], source: str, line: int) -> GazEntry:
    label = row.get("label", "")
    if not label:
        raise KGError(f"{source}, row {line}: the label is empty", hint="every row needs a label")
    slug = row.get("id") or name_key(label).replace(" ", "-")
    qid = row.get("qid") or None
    if qid and not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise KGError(f"{source}, row {line}: {qid!r} is not a Wikidata QID", hint="write it as Q123 or leave it empty")
    # An alias that starts with a title ("President Xi") would make the ruler
    # swallow the title and cut the name; titles are handled by resolution.
    names = (label,) + tuple(a for a in _split(row.get("aliases")) if a != label and not _starts_with_title(a))
    return GazEntry(
        id=f"{table}:{slug}",
        type=entity_type,
        label=label,
        names=names,
        acronyms=_split(row.get("acronyms")),
        qid=qid,
        demonyms=_split(row.get("demonyms")),
        roles=_split(row.get("roles")),
        country=row.get("country") or None,
        kind=row.get("kind") or None,
        geonames=row.get("geonames_id") or None,
        coords=_coords(row, source, line),
        needs_evidence=row.get("needs_evidence", "").lower() in _TRUE,
    )


@lru_cache(maxsize=8)
def load_gazetteer(extra: tuple[str, ...] = ()) -> Gazetteer:
    """Load the bundled tables plus the user's CSV files in *extra*."""
    entries: list[GazEntry] = []
    folder = resources.files("kg.data").joinpath("gazetteer")
    for table, entity_type in _TABLES.items():
        resource = folder.joinpath(f"{table}.csv")
        if not resource.is_file():
            continue
        for i, row in enumerate(_rows(resource.read_text("utf-8"), table), start=2):
            entries.append(_entry(table, entity_type, row, f"{table}.csv", i))
    for path in extra:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KGError(f"cannot read gazetteer {path}: {err}", hint="give a UTF-8 CSV file") from None
        for i, row in enumerate(_rows(text, path), start=2):
            entity_type = row.get("type", "")
            if entity_type not in ENTITY_TYPES:
                raise KGError(f"{path}, row {i}: type {entity_type!r} is not one of {', '.join(ENTITY_TYPES)}",
                              hint="columns are label,type,aliases,qid")
            entries.append(_entry("user", entity_type, row, path, i))
    ambiguous = {}
    resource = folder.joinpath("ambiguous.csv")
    if resource.is_file():
        for row in _rows(resource.read_text("utf-8"), "ambiguous.csv"):
            ambiguous[row["name"]] = (row["kind"], row.get("note", ""))
    return Gazetteer(entries, ambiguous)
