#!/usr/bin/env python3
"""Regenerate the gazetteer CSVs in ``kg/data/gazetteer/`` from their sources.

Inputs (all under ``kg/data/gazetteer/sources/``, see ``SOURCES.md``):

* ``un_member_states.csv``        - the 193 UN member states (ISO alpha-3).
* ``non_un_states.csv``           - Holy See, State of Palestine, Taiwan, Kosovo.
* ``world_countries_extract.csv`` - names, alt spellings, capitals and demonyms,
  extracted from the ``world-countries`` npm package (mledoze/countries).
  Regenerate it with ``--refresh-world-countries path/to/countries.json``.
* ``owid_country_wikidata.csv``   - ISO alpha-3 -> Wikidata QID (Our World in Data).
* ``conzept_country_wikidata.csv``- independent ISO alpha-3 -> QID list used only
  as a cross-check: the build fails if the two disagree (unless an override
  sets the QID explicitly).
* ``country_overrides.csv``       - hand-curated labels, aliases, demonyms,
  capitals and QIDs that differ from / add to the datasets above.
* ``organizations_curated.csv``, ``people_curated.csv``,
  ``initiatives_curated.csv``     - hand-curated rows (with a ``qid_source``
  column that documents where each QID was checked; it is not copied out).

pycountry supplies the ISO 3166-1 codes and its ``name`` / ``official_name`` /
``common_name`` fields.

Outputs: ``countries.csv``, ``organizations.csv``, ``people.csv`` and
``initiatives.csv``.  The build is deterministic (same bytes on every run for
the same inputs and pycountry version).

Usage::

    python scripts/build_gazetteer.py            # write the CSVs
    python scripts/build_gazetteer.py --check    # exit 1 if the CSVs are stale
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parent.parent
GAZ_DIR = REPO / "kg" / "data" / "gazetteer"
SRC_DIR = GAZ_DIR / "sources"

SEP = "|"
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

COUNTRY_COLUMNS = ["id", "label", "aliases", "demonyms", "qid", "iso2", "iso3", "capital"]
ORG_COLUMNS = ["id", "label", "aliases", "acronyms", "qid", "kind"]
PEOPLE_COLUMNS = ["id", "label", "aliases", "qid", "country", "roles"]
INITIATIVE_COLUMNS = ["id", "label", "aliases", "qid", "kind"]

ORG_KINDS = {"igo", "grouping", "bank", "forum", "party", "agency", "political", "armed-group", "ngo"}
INITIATIVE_KINDS = {"initiative", "agreement", "concept", "programme"}

# world-countries uses the ccTLD-like "UNK" for Kosovo; we use the widely used
# user-assigned codes XK / XKX (EU, World Bank, SWIFT).
WORLD_COUNTRIES_ISO3_FIX = {"UNK": "XKX"}


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- io


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def render_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue()


def split_multi(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.split(SEP) if v.strip()]


def join_multi(values: list[str]) -> str:
    for v in values:
        if SEP in v:
            raise BuildError(f"value contains the separator {SEP!r}: {v!r}")
    return SEP.join(values)


def dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not SLUG_RE.match(slug):
        raise BuildError(f"cannot slugify {text!r}")
    return slug


def is_latin(text: str) -> bool:
    for ch in text:
        if unicodedata.category(ch).startswith("L") and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def check_qid(qid: str, where: str) -> str:
    qid = qid.strip()
    if qid and not QID_RE.match(qid):
        raise BuildError(f"{where}: malformed QID {qid!r}")
    return qid


# ------------------------------------------------------------------ countries


def refresh_world_countries(json_path: Path) -> None:
    """Rewrite sources/world_countries_extract.csv from a world-countries countries.json."""
    wanted = {r["iso3"] for r in read_csv(SRC_DIR / "un_member_states.csv")}
    wanted |= {r["iso3"] for r in read_csv(SRC_DIR / "non_un_states.csv")}
    data = json.loads(json_path.read_text(encoding="utf-8"))
    rows = []
    for entry in data:
        iso3 = WORLD_COUNTRIES_ISO3_FIX.get(entry["cca3"], entry["cca3"])
        if iso3 not in wanted:
            continue
        eng = entry.get("demonyms", {}).get("eng", {})
        demonyms = dedupe([d for d in (eng.get("m", ""), eng.get("f", "")) if d])
        rows.append(
            {
                "iso3": iso3,
                "iso2": entry["cca2"],
                "name_common": entry["name"]["common"],
                "name_official": entry["name"]["official"],
                "capital": join_multi(entry.get("capital", [])),
                "demonyms": join_multi(demonyms),
                "alt_spellings": join_multi(entry.get("altSpellings", [])),
            }
        )
    rows.sort(key=lambda r: r["iso3"])
    missing = wanted - {r["iso3"] for r in rows}
    if missing:
        raise BuildError(f"world-countries lacks {sorted(missing)}")
    cols = ["iso3", "iso2", "name_common", "name_official", "capital", "demonyms", "alt_spellings"]
    (SRC_DIR / "world_countries_extract.csv").write_text(render_csv(cols, rows), encoding="utf-8")


def _clean_name(name: str) -> str:
    name = name.strip()
    if name.lower().startswith("the ") and not name.startswith("The former"):
        name = name[4:]
    return name


def _usable_country_alias(alias: str) -> bool:
    """Automatic filter for aliases taken from the datasets (not for curated ones)."""
    if len(alias) < 3:  # ISO alpha-2 codes and the like
        return False
    if "," in alias or "(" in alias:  # inverted ISO forms: "Korea, Republic of"
        return False
    if not alias[0].isupper():  # "weSwatini", "al-Jumhuriyyah ..."
        return False
    if not is_latin(alias):
        return False
    return True


def _split_demonyms(raw: str) -> list[str]:
    out = []
    for part in split_multi(raw):
        for piece in re.split(r",\s*|\s+or\s+", part):
            piece = piece.strip()
            if piece:
                out.append(piece)
    return out


def build_countries() -> tuple[list[dict[str, str]], dict[int, dict[str, set[str]]]]:
    """Return the country rows and, per row index, the set of explicitly curated forms."""
    un = read_csv(SRC_DIR / "un_member_states.csv")
    extra = read_csv(SRC_DIR / "non_un_states.csv")
    wc = {r["iso3"]: r for r in read_csv(SRC_DIR / "world_countries_extract.csv")}
    owid = {r["iso3"]: r for r in read_csv(SRC_DIR / "owid_country_wikidata.csv")}
    conzept: dict[str, set[str]] = {}
    for r in read_csv(SRC_DIR / "conzept_country_wikidata.csv"):
        conzept.setdefault(r["iso3"], set()).add(r["qid"])
    overrides = {r["iso3"]: r for r in read_csv(SRC_DIR / "country_overrides.csv")}

    if len(un) != 193 or len({r["iso3"] for r in un}) != 193:
        raise BuildError("un_member_states.csv must list 193 distinct states")
    unknown = set(overrides) - {r["iso3"] for r in un} - {r["iso3"] for r in extra}
    if unknown:
        raise BuildError(f"country_overrides.csv: unknown iso3 {sorted(unknown)}")

    rows = []
    explicit: dict[int, dict[str, set[str]]] = {}
    for src in un + extra:
        iso3 = src["iso3"]
        ov = overrides.get(iso3, {})
        pc = pycountry.countries.get(alpha_3=iso3)
        w = wc.get(iso3)
        if w is None:
            raise BuildError(f"{iso3}: missing from world_countries_extract.csv")
        if pc is not None:
            iso2 = pc.alpha_2
        else:
            iso2 = src.get("iso2", "")
            if not iso2:
                raise BuildError(f"{iso3}: not in pycountry and no iso2 given")

        label = ov.get("label") or w["name_common"]

        # --- aliases
        add_aliases = split_multi(ov.get("add_aliases"))
        drop_aliases = set(split_multi(ov.get("drop_aliases")))
        auto: list[str] = []
        if pc is not None:
            for attr in ("official_name", "name", "common_name"):
                val = getattr(pc, attr, None)
                if val:
                    auto.append(_clean_name(val))
        auto.append(_clean_name(w["name_official"]))
        auto.append(_clean_name(w["name_common"]))
        auto.extend(_clean_name(a) for a in split_multi(w["alt_spellings"]))
        auto = [a for a in auto if _usable_country_alias(a)]

        # --- demonyms
        add_demonyms = split_multi(ov.get("add_demonyms"))
        drop_demonyms = set(split_multi(ov.get("drop_demonyms")))
        demonyms = dedupe(
            add_demonyms + [d for d in _split_demonyms(w["demonyms"]) if d not in drop_demonyms]
        )
        demonyms = [d for d in demonyms if d != label]

        aliases = dedupe(add_aliases + [a for a in auto if a not in drop_aliases])
        aliases = [a for a in aliases if a != label and a not in demonyms]

        # --- QID
        qid = check_qid(ov.get("qid", ""), f"override {iso3}")
        if not qid:
            o = owid.get(iso3)
            qid = check_qid(o["qid"], f"owid {iso3}") if o else ""
            if qid and iso3 in conzept and qid not in conzept[iso3]:
                raise BuildError(
                    f"{iso3}: OWID QID {qid} disagrees with cross-check {sorted(conzept[iso3])}"
                )
            if o and o["iso2"] != iso2:
                raise BuildError(f"{iso3}: OWID iso2 {o['iso2']} != {iso2}")

        capital = ov.get("capital") or (split_multi(w["capital"]) or [""])[0]

        row = {
            "id": slugify(label),
            "label": label,
            "aliases": join_multi(aliases),
            "demonyms": join_multi(demonyms),
            "qid": qid,
            "iso2": iso2,
            "iso3": iso3,
            "capital": capital,
        }
        explicit[len(rows)] = {
            "aliases": set(add_aliases) | {label},
            "demonyms": set(add_demonyms),
        }
        rows.append(row)
    return rows, explicit


# ---------------------------------------------------------------- curated files


def _curated(path: Path, columns: list[str], multi: list[str], kinds: set[str] | None):
    rows = []
    for n, src in enumerate(read_csv(path), start=2):
        where = f"{path.name}:{n}"
        row = {}
        for col in columns:
            val = (src.get(col) or "").strip()
            if col in multi:
                val = join_multi(dedupe(split_multi(val)))
            row[col] = val
        if not SLUG_RE.match(row["id"]):
            raise BuildError(f"{where}: id {row['id']!r} is not slug-shaped")
        if not row["label"]:
            raise BuildError(f"{where}: empty label")
        row["qid"] = check_qid(row["qid"], where)
        if kinds is not None and row["kind"] not in kinds:
            raise BuildError(f"{where}: kind {row['kind']!r} not in {sorted(kinds)}")
        for col in multi:
            vals = [v for v in split_multi(row[col]) if v != row["label"]]
            row[col] = join_multi(vals)
        rows.append(row)
    return rows


def build_organizations() -> list[dict[str, str]]:
    return _curated(
        SRC_DIR / "organizations_curated.csv", ORG_COLUMNS, ["aliases", "acronyms"], ORG_KINDS
    )


def build_people(country_ids: set[str]) -> list[dict[str, str]]:
    rows = _curated(SRC_DIR / "people_curated.csv", PEOPLE_COLUMNS, ["aliases", "roles"], None)
    for row in rows:
        if row["country"] and row["country"] not in country_ids:
            raise BuildError(f"people: {row['id']}: unknown country id {row['country']!r}")
        if not row["roles"]:
            raise BuildError(f"people: {row['id']}: no roles")
    return rows


def build_initiatives() -> list[dict[str, str]]:
    return _curated(
        SRC_DIR / "initiatives_curated.csv", INITIATIVE_COLUMNS, ["aliases"], INITIATIVE_KINDS
    )


# ------------------------------------------------------------------ ambiguity


def surface_forms(row: dict[str, str], cols: list[str]) -> list[tuple[str, str]]:
    out = [("label", row["label"])]
    for col in cols:
        out.extend((col, v) for v in split_multi(row.get(col, "")))
    return out


def resolve_collisions(
    countries: list[dict[str, str]],
    explicit: dict[int, dict[str, set[str]]],
    orgs: list[dict[str, str]],
    initiatives: list[dict[str, str]],
) -> list[str]:
    """Make every surface form unique across countries, organisations and initiatives.

    A form that the datasets gave to two rows is ambiguous and is dropped from
    every row that got it automatically; curated forms (labels, override or
    curated-file aliases) win over automatic ones.  Two curated rows claiming
    the same form is an error to be fixed in the sources.
    """
    tables = [
        ("country", countries, ["aliases", "demonyms"]),
        ("organization", orgs, ["aliases", "acronyms"]),
        ("initiative", initiatives, ["aliases"]),
    ]
    owners: dict[str, list[tuple[str, int, str, bool]]] = {}
    for tname, rows, cols in tables:
        for i, row in enumerate(rows):
            for col, form in surface_forms(row, cols):
                if tname == "country":
                    is_explicit = col == "label" or form in explicit[i].get(col, set())
                else:
                    is_explicit = True
                owners.setdefault(form, []).append((tname, i, col, is_explicit))

    dropped = []
    table_rows = {t: rows for t, rows, _ in tables}
    for form, claims in sorted(owners.items()):
        rows_claiming = {(t, i) for t, i, _, _ in claims}
        if len(rows_claiming) < 2:
            continue
        explicit_rows = {(t, i) for t, i, _, e in claims if e}
        if len(explicit_rows) > 1:
            desc = ", ".join(f"{t}:{table_rows[t][i]['id']}" for t, i in sorted(explicit_rows))
            raise BuildError(f"surface form {form!r} is curated for several rows: {desc}")
        for t, i, col, e in claims:
            if e:
                continue
            row = table_rows[t][i]
            row[col] = join_multi([v for v in split_multi(row[col]) if v != form])
            dropped.append(f"{form!r} dropped from {t}:{row['id']} ({col})")
    return dropped


# ---------------------------------------------------------------------- main


def build_all() -> tuple[dict[str, str], list[str]]:
    countries, explicit = build_countries()
    orgs = build_organizations()
    people = build_people({c["id"] for c in countries})
    initiatives = build_initiatives()
    notes = resolve_collisions(countries, explicit, orgs, initiatives)

    for name, rows in (
        ("countries", countries),
        ("organizations", orgs),
        ("people", people),
        ("initiatives", initiatives),
    ):
        ids = [r["id"] for r in rows]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise BuildError(f"{name}: duplicate ids {dupes}")
        rows.sort(key=lambda r: r["id"])

    outputs = {
        "countries.csv": render_csv(COUNTRY_COLUMNS, countries),
        "organizations.csv": render_csv(ORG_COLUMNS, orgs),
        "people.csv": render_csv(PEOPLE_COLUMNS, people),
        "initiatives.csv": render_csv(INITIATIVE_COLUMNS, initiatives),
    }
    return outputs, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the CSVs are current")
    parser.add_argument("--verbose", action="store_true", help="list the ambiguous forms dropped")
    parser.add_argument(
        "--refresh-world-countries",
        type=Path,
        metavar="COUNTRIES_JSON",
        help="regenerate sources/world_countries_extract.csv from world-countries' countries.json",
    )
    args = parser.parse_args(argv)

    try:
        if args.refresh_world_countries:
            refresh_world_countries(args.refresh_world_countries)
        outputs, notes = build_all()
    except BuildError as exc:
        print(f"build_gazetteer: error: {exc}", file=sys.stderr)
        return 2

    if args.verbose:
        for note in notes:
            print(note, file=sys.stderr)

    stale = []
    for name, text in outputs.items():
        path = GAZ_DIR / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            print(f"build_gazetteer: stale: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("build_gazetteer: all gazetteer CSVs are up to date")
        return 0
    for name, text in outputs.items():
        print(f"{name}: {text.count(chr(10)) - 1} rows{' (rewritten)' if name in stale else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
