"""Regenerate kg/data/gazetteer/ambiguous.csv: country names that also name
something else, so the linker can keep them apart.

* kind ``subdivision``: a country's name that is also the name of a
  subdivision of ANOTHER country in ISO 3166-2 (pycountry): "Georgia" (US-GA).
* kinds from ``sources/ambiguous_curated.csv``: short names shared by several
  countries ("Congo", "Korea").

Deterministic: rows sorted; run ``python scripts/build_ambiguous.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent.parent / "kg" / "data" / "gazetteer"


def main() -> None:
    names: dict[str, str] = {}
    with open(HERE / "countries.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in [row["label"], *[a for a in row["aliases"].split("|") if a]]:
                names[name] = row["iso2"]
    rows = set()
    for sub in pycountry.subdivisions:
        if sub.name in names and sub.country_code != names[sub.name]:
            country = pycountry.countries.get(alpha_2=sub.country_code)
            rows.add((sub.name, "subdivision", f"{sub.type} {sub.code} of {country.name}"))
    with open(HERE / "sources" / "ambiguous_curated.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.add((row["name"], row["kind"], row["note"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "kind", "note"])
    writer.writerows(sorted(rows))
    (HERE / "ambiguous.csv").write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
