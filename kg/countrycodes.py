"""ISO 3166-1 alpha-3 codes of countries, and the country of a gazetteer place.

Read from the gazetteer's own tables (``kg/data/gazetteer/countries.csv``,
whose ``iso3`` column comes from pycountry, and ``places.csv``); no spaCy,
no rdflib.

>>> country_by_qid("Q148").iso3
'CHN'
>>> country_by_slug("palestine").label
'Palestine'
>>> place_country(geonames="4699066").iso3   # Houston
'USA'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Country", "country_by_qid", "country_by_slug", "place_country"]


@dataclass(frozen=True)
class Country:
    """A row of ``countries.csv``.

    slug
        The gazetteer id (``united-states``), also the last segment of the
        entity IRI kg mints for it.
    label
        Its usual English name.
    qid
        Its Wikidata item.
    iso3
        ISO 3166-1 alpha-3 code (``XKX`` for Kosovo, user-assigned).
    """

    slug: str
    label: str
    qid: str
    iso3: str


def _table(name: str) -> list[dict[str, str]]:
    text = resources.files("kg.data").joinpath("gazetteer", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, Country], dict[str, Country]]:
    by_slug, by_qid = {}, {}
    for row in _table("countries.csv"):
        country = Country(row["id"], row["label"], row["qid"], row["iso3"])
        by_slug[country.slug] = country
        if country.qid:
            by_qid[country.qid] = country
    return by_slug, by_qid


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """GeoNames id -> country slug, and QID -> country slug, of every place
    whose country the gazetteer gives."""
    by_geonames, by_qid = {}, {}
    for row in _table("places.csv"):
        if not row["country"]:
            continue
        if row["geonames_id"]:
            by_geonames[row["geonames_id"]] = row["country"]
        if row["qid"]:
            by_qid[row["qid"]] = row["country"]
    return by_geonames, by_qid


def country_by_qid(qid: str | None) -> Country | None:
    """The country whose Wikidata item is *qid*, if it is one."""
    return _countries()[1].get(qid or "")


def country_by_slug(slug: str | None) -> Country | None:
    """The country with gazetteer id *slug* (``china``), if there is one."""
    return _countries()[0].get(slug or "")


def place_country(geonames: str | None = None, qid: str | None = None) -> Country | None:
    """The country the gazetteer puts a place in, found by its GeoNames id
    (first) or Wikidata item; ``None`` if the gazetteer does not know it."""
    by_geonames, by_qid = _places()
    slug = by_geonames.get(geonames or "") or by_qid.get(qid or "")
    return country_by_slug(slug)
