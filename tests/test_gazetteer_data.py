"""Integrity tests for the gazetteer CSVs in kg/data/gazetteer/ (no spaCy needed)."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GAZ = REPO / "kg" / "data" / "gazetteer"
SRC = GAZ / "sources"
BUILD_SCRIPT = REPO / "scripts" / "build_gazetteer.py"

QID_RE = re.compile(r"^Q[1-9][0-9]*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

FILES = {
    "countries.csv": ["id", "label", "aliases", "demonyms", "qid", "iso2", "iso3", "capital"],
    "organizations.csv": ["id", "label", "aliases", "acronyms", "qid", "kind"],
    "people.csv": ["id", "label", "aliases", "qid", "country", "roles"],
    "initiatives.csv": ["id", "label", "aliases", "qid", "kind"],
}
MULTI = {
    "countries.csv": ["aliases", "demonyms"],
    "organizations.csv": ["aliases", "acronyms"],
    "people.csv": ["aliases", "roles"],
    "initiatives.csv": ["aliases"],
}


def read(name: str) -> list[dict[str, str]]:
    with (GAZ / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split(value: str) -> list[str]:
    return [v for v in value.split("|") if v] if value else []


@pytest.fixture(scope="module")
def tables() -> dict[str, list[dict[str, str]]]:
    return {name: read(name) for name in FILES}


def _load_build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ structure


@pytest.mark.parametrize("name", sorted(FILES))
def test_header_and_utf8(name):
    raw = (GAZ / name).read_bytes()
    raw.decode("utf-8")  # raises if not UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    header = raw.split(b"\n", 1)[0].decode("utf-8")
    assert header.split(",") == FILES[name]


@pytest.mark.parametrize("name", sorted(FILES))
def test_ids_unique_slug_shaped_and_sorted(tables, name):
    ids = [r["id"] for r in tables[name]]
    assert all(SLUG_RE.match(i) for i in ids), [i for i in ids if not SLUG_RE.match(i)]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


@pytest.mark.parametrize("name", sorted(FILES))
def test_qids_well_formed_and_unique(tables, name):
    qids = [r["qid"] for r in tables[name] if r["qid"]]
    bad = [q for q in qids if not QID_RE.match(q)]
    assert not bad
    assert len(qids) == len(set(qids)), "a QID is used by two rows"


def test_qids_unique_across_files(tables):
    seen: dict[str, str] = {}
    for name, rows in tables.items():
        for r in rows:
            if r["qid"]:
                assert r["qid"] not in seen, f"{r['qid']} in {seen.get(r['qid'])} and {name}"
                seen[r["qid"]] = name


@pytest.mark.parametrize("name", sorted(FILES))
def test_cells_clean(tables, name):
    for r in tables[name]:
        assert r["label"].strip() == r["label"] and r["label"]
        for col in MULTI[name]:
            vals = split(r[col])
            assert all(v == v.strip() and v for v in vals), (r["id"], col)
            assert len(vals) == len(set(vals)), (r["id"], col, "duplicate value")
            assert r["label"] not in vals or col == "roles", (r["id"], col, "label repeated")


def test_kinds(tables):
    assert {r["kind"] for r in tables["organizations.csv"]} <= {
        "igo", "grouping", "bank", "forum", "party", "agency", "political", "armed-group", "ngo"
    }
    assert {r["kind"] for r in tables["initiatives.csv"]} <= {
        "initiative", "agreement", "concept", "programme"
    }


# ----------------------------------------------------------------- countries


def test_country_ids_are_slugs_of_labels(tables):
    build = _load_build_module()
    for r in tables["countries.csv"]:
        assert r["id"] == build.slugify(r["label"])


def test_country_codes(tables):
    rows = tables["countries.csv"]
    for r in rows:
        assert re.match(r"^[A-Z]{2}$", r["iso2"]), r
        assert re.match(r"^[A-Z]{3}$", r["iso3"]), r
    assert len({r["iso2"] for r in rows}) == len(rows)
    assert len({r["iso3"] for r in rows}) == len(rows)


def test_every_un_member_present(tables):
    pycountry = pytest.importorskip("pycountry")
    with (SRC / "un_member_states.csv").open(encoding="utf-8") as fh:
        un = [r["iso3"] for r in csv.DictReader(fh)]
    assert len(un) == len(set(un)) == 193
    for iso3 in un:
        assert pycountry.countries.get(alpha_3=iso3) is not None, iso3
    have = {r["iso3"] for r in tables["countries.csv"]}
    assert set(un) <= have
    # plus the Holy See, Palestine, Taiwan and Kosovo, and nothing else
    assert have - set(un) == {"VAT", "PSE", "TWN", "XKX"}
    assert len(tables["countries.csv"]) == 197


def test_every_country_has_qid_and_capital(tables):
    for r in tables["countries.csv"]:
        assert r["qid"], r["id"]
        assert r["capital"], r["id"]


def test_country_qids_agree_with_cross_check(tables):
    """OWID and an independent list (conzept) must agree wherever both give a QID."""
    with (SRC / "conzept_country_wikidata.csv").open(encoding="utf-8") as fh:
        cross: dict[str, set[str]] = defaultdict(set)
        for r in csv.DictReader(fh):
            cross[r["iso3"]].add(r["qid"])
    overridden = {"VAT", "XKX"}  # documented in sources/country_overrides.csv
    checked = 0
    for r in tables["countries.csv"]:
        if r["iso3"] in cross and r["iso3"] not in overridden:
            assert r["qid"] in cross[r["iso3"]], r
            checked += 1
    assert checked >= 190


COUNTRY_ANCHORS = {
    "china": "Q148",
    "russia": "Q159",
    "united-states": "Q30",
    "ethiopia": "Q115",
    "turkey": "Q43",
    "saudi-arabia": "Q851",
    "iran": "Q794",
    "japan": "Q17",
    "germany": "Q183",
    "indonesia": "Q252",
    "thailand": "Q869",
    "united-kingdom": "Q145",
    "france": "Q142",
    "india": "Q668",
    "brazil": "Q155",
}


@pytest.mark.parametrize("cid,qid", sorted(COUNTRY_ANCHORS.items()))
def test_country_anchor_qids(tables, cid, qid):
    rows = {r["id"]: r for r in tables["countries.csv"]}
    assert rows[cid]["qid"] == qid


def test_country_news_labels_and_aliases(tables):
    rows = {r["id"]: r for r in tables["countries.csv"]}
    for cid in [
        "china", "russia", "united-states", "united-kingdom", "south-korea", "north-korea",
        "iran", "syria", "turkey", "laos", "vietnam", "czech-republic", "ivory-coast",
    ]:
        assert cid in rows, cid
    assert {"People's Republic of China", "PRC"} <= set(split(rows["china"]["aliases"]))
    assert "Russian Federation" in split(rows["russia"]["aliases"])
    assert {"United States of America", "USA", "US", "U.S.", "U.S.A.", "America"} <= set(
        split(rows["united-states"]["aliases"])
    )
    assert {"UK", "U.K.", "Britain", "Great Britain"} <= set(split(rows["united-kingdom"]["aliases"]))
    assert {"Türkiye", "Turkiye", "Republic of Turkey"} <= set(split(rows["turkey"]["aliases"]))
    assert {"Republic of Korea", "ROK"} <= set(split(rows["south-korea"]["aliases"]))
    assert {"DPRK", "Democratic People's Republic of Korea"} <= set(
        split(rows["north-korea"]["aliases"])
    )
    assert "Islamic Republic of Iran" in split(rows["iran"]["aliases"])
    assert {"Saudi", "Saudi Arabian"} <= set(split(rows["saudi-arabia"]["demonyms"]))
    assert "Emirati" in split(rows["united-arab-emirates"]["demonyms"])
    assert "American" in split(rows["united-states"]["demonyms"])


# -------------------------------------------------------------- organisations


def test_organization_anchors(tables):
    rows = {r["id"]: r for r in tables["organizations.csv"]}
    assert rows["united-nations"]["qid"] == "Q1065"
    assert "UN" in split(rows["united-nations"]["acronyms"])
    expected_acronyms = {
        "world-health-organization": "WHO",
        "asian-infrastructure-investment-bank": "AIIB",
        "shanghai-cooperation-organization": "SCO",
        "apec": "APEC",
        "g20": "G20",
        "european-union": "EU",
        "african-union": "AU",
        "nato": "NATO",
        "asean": "ASEAN",
    }
    for oid, acronym in expected_acronyms.items():
        assert acronym in split(rows[oid]["acronyms"]) or rows[oid]["label"] == acronym, oid
    assert rows["brics"]["label"] == "BRICS"
    assert rows["communist-party-of-china"]["kind"] == "party"


# -------------------------------------------------------------------- people

# One-word aliases that are unambiguous nicknames, not bare surnames.
SINGLE_WORD_NICKNAMES = {"Jokowi"}


def test_people(tables):
    rows = {r["id"]: r for r in tables["people.csv"]}
    country_ids = {r["id"] for r in tables["countries.csv"]}
    assert rows["xi-jinping"]["qid"] == "Q15031"
    assert rows["xi-jinping"]["country"] == "china"
    assert "Antonio Guterres" in split(rows["antonio-guterres"]["aliases"])
    assert rows["antonio-guterres"]["country"] == ""
    for r in rows.values():
        assert r["roles"], r["id"]
        assert r["country"] == "" or r["country"] in country_ids, r
        for alias in split(r["aliases"]):
            ok = " " in alias or "-" in alias or alias.isupper() or alias in SINGLE_WORD_NICKNAMES
            assert ok, (r["id"], alias, "bare name")


# ----------------------------------------------------------------- ambiguity


def test_no_surface_form_shared_between_rows(tables):
    """A label/alias/demonym/acronym string may point to one row only (countries,
    organisations and initiatives together), or linking would be ambiguous."""
    owners: dict[str, set[str]] = defaultdict(set)
    for name, cols in (
        ("countries.csv", ["aliases", "demonyms"]),
        ("organizations.csv", ["aliases", "acronyms"]),
        ("initiatives.csv", ["aliases"]),
    ):
        for r in tables[name]:
            key = f"{name}:{r['id']}"
            owners[r["label"]].add(key)
            for col in cols:
                for v in split(r[col]):
                    owners[v].add(key)
    shared = {form: sorted(keys) for form, keys in owners.items() if len(keys) > 1}
    assert not shared


def test_no_person_alias_shared(tables):
    owners: dict[str, set[str]] = defaultdict(set)
    for r in tables["people.csv"]:
        for v in [r["label"], *split(r["aliases"])]:
            owners[v].add(r["id"])
    assert not {k: v for k, v in owners.items() if len(v) > 1}


def test_no_lowercase_single_word_aliases(tables):
    """Single lowercase tokens are ordinary English words, not names."""
    for name, cols in (
        ("countries.csv", ["aliases", "demonyms"]),
        ("organizations.csv", ["aliases", "acronyms"]),
    ):
        for r in tables[name]:
            for col in cols:
                for v in split(r[col]):
                    assert not (" " not in v and v[:1].islower()), (name, r["id"], v)


# --------------------------------------------------------------- provenance


def test_vendored_sources_small():
    total = sum(p.stat().st_size for p in SRC.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_csvs_are_exactly_what_the_build_produces():
    pytest.importorskip("pycountry")
    build = _load_build_module()
    outputs, _notes = build.build_all()
    for name, text in outputs.items():
        assert (GAZ / name).read_text(encoding="utf-8") == text, f"{name} is stale: run scripts/build_gazetteer.py"


# ------------------------------------------------- leaders.csv, positions.csv

LEADERS_SOURCE = REPO.parent / "shared" / "data" / "leaders" / "leaders.csv"
LEADERS_SCRIPT = REPO / "scripts" / "build_leaders.py"
CATEGORIES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister", "finance_minister",
              "national_security_adviser", "deputy_head_of_government", "vice_head_of_state", "intl_org_head"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def leaders() -> list[dict[str, str]]:
    return read("leaders.csv")


@pytest.fixture(scope="module")
def positions() -> list[dict[str, str]]:
    return read("positions.csv")


def test_leaders_headers():
    for name, header in (("leaders.csv", "id,label,aliases,qid,country,roles"),
                         ("positions.csv", "person,qid,category,position,country,start,end")):
        raw = (GAZ / name).read_bytes()
        assert raw.split(b"\n", 1)[0].decode("utf-8") == header
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")


def test_leaders_ids(tables, leaders):
    ids = [r["id"] for r in leaders]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    people = {r["id"] for r in tables["people.csv"]}
    for i in ids:
        table, _, slug = i.rpartition(":")
        assert SLUG_RE.match(slug), i
        assert table in ("", "people"), i
        if table:
            assert slug in people, f"{i} adds to a people.csv row that does not exist"


def test_one_qid_one_person(tables, leaders):
    """A QID is one gazetteer entry: leaders rows never repeat a people.csv QID."""
    curated = {r["qid"]: r["id"] for r in tables["people.csv"] if r["qid"]}
    qids = [r["qid"] for r in leaders if r["qid"]]
    assert all(QID_RE.match(q) for q in qids)
    assert len(qids) == len(set(qids))
    assert not set(qids) & set(curated)
    new = [r for r in leaders if ":" not in r["id"]]
    assert all(r["qid"] for r in new), "every new person has a QID"


def test_leaders_no_one_word_aliases(leaders):
    bad = [(r["id"], a) for r in leaders for a in split(r["aliases"]) if len(a.split()) < 2]
    assert not bad


def test_leaders_countries_exist(tables, leaders, positions):
    countries = {r["id"] for r in tables["countries.csv"]}
    orgs = {r["id"] for r in tables["organizations.csv"]}
    assert {r["country"] for r in leaders if r["country"]} <= countries
    assert {r["country"] for r in positions if r["country"]} <= countries | orgs


def test_positions_rows(leaders, positions, tables):
    persons = {f"leaders:{r['id']}" if ":" not in r["id"] else r["id"] for r in leaders}
    persons |= {f"people:{r['id']}" for r in tables["people.csv"] if r["qid"]}
    for r in positions:
        assert r["category"] in CATEGORIES, r
        assert QID_RE.match(r["qid"]) and r["position"], r
        assert DATE_RE.match(r["start"]) and (not r["end"] or DATE_RE.match(r["end"])), r
        assert not r["person"] or r["person"] in persons, r["person"]
    # Every listed person has their terms.
    assert {r["person"] for r in positions if r["person"]} >= {p for p in persons if p.startswith("leaders:")}


def test_loaded_people_share_no_name():
    """After merging, no two Person entries have a name in common (the ruler
    would link one of them at random, the linker neither)."""
    from kg.gazetteer import load_gazetteer, name_key

    owners: dict[str, set[str]] = defaultdict(set)
    for entry in load_gazetteer().entries.values():
        if entry.type == "Person":
            for name in entry.names:
                owners[name_key(name)].add(entry.id)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared
    qids = [e.qid for e in load_gazetteer().entries.values() if e.type == "Person" and e.qid]
    assert len(qids) == len(set(qids)), "one QID, one entry"


def test_leaders_csvs_are_what_the_build_produces():
    if not LEADERS_SOURCE.is_file():
        pytest.skip("the leaders data (../shared/data/leaders/leaders.csv) is not on this machine")
    spec = importlib.util.spec_from_file_location("build_leaders", LEADERS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["build_leaders"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    outputs, _notes = module.build(LEADERS_SOURCE)
    for name, text in outputs.items():
        assert (GAZ / name).read_text(encoding="utf-8") == text, f"{name} is stale: run scripts/build_leaders.py"
