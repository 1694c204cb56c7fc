"""Readout-like documents over real names, for views of a few hundred nodes.

A White House readout names a host, a guest from another state, what they
discussed, the bodies, initiatives and places they mentioned, and often a
name on its own in a sentence. :func:`readouts` writes *n* of them from the
gazetteer's heads of state and government, countries, organisations,
initiatives and cities, from a fixed seed: the same texts every time.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "kg" / "data" / "gazetteer"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_TOPICS = ("climate finance", "energy security", "maritime security", "food security", "trade", "critical minerals",
           "global health", "cybersecurity", "migration", "semiconductor supply chains")


def _rows(name: str) -> list[dict]:
    with open(GAZETTEER / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _names():
    countries = {r["id"]: r["label"] for r in _rows("countries.csv")}
    leaders = [(r["label"], r["roles"].split("|")[0], countries[r["country"]]) for r in _rows("people.csv")
               if r["country"] in countries and r["roles"].split("|")[0] in ("President", "Prime Minister", "Chancellor")]
    orgs = [r["label"] for r in _rows("organizations.csv") if r["kind"] in ("igo", "bank")]
    initiatives = [r["label"] for r in _rows("initiatives.csv")]
    cities = [(r["label"], countries[r["country"]]) for r in _rows("places.csv")
              if r["kind"] == "city" and r["needs_evidence"] == "0" and r["country"] in countries
              and int(r["population"] or 0) > 1_500_000]
    return sorted(leaders), sorted(countries.values()), sorted(orgs), sorted(initiatives), sorted(cities)


def readouts(n: int = 41, *, seed: int = 18) -> list[str]:
    """*n* readout texts (plain text, title on the first line)."""
    rng = random.Random(seed)
    leaders, countries, orgs, initiatives, cities = _names()
    texts = []
    for k in range(n):
        role, name, country = (lambda x: (x[1], x[0], x[2]))(rng.choice(leaders))
        month, day = _MONTHS[k % 12], 1 + (k * 7) % 27
        when = f"{month} {day}, 2023"
        city, city_country = rng.choice(cities)
        org, org2 = rng.sample(orgs, 2)
        initiative = rng.choice(initiatives)
        others = rng.sample(countries, 4)
        topic, topic2 = rng.sample(_TOPICS, 2)
        lone_city, _ = rng.choice(cities)
        lone = rng.choice([rng.choice(orgs), rng.choice(initiatives), rng.choice(countries)])
        texts.append("\n\n".join([
            f"Readout of President Joe Biden's Meeting with {role} {name} of {country}",
            f"On {when}, President Joe Biden met with {role} {name} of {country} at the White House.",
            f"President Biden and {role} {name} discussed {topic} and {topic2}, and their support for the {org}.",
            f"The leaders condemned the attacks on {others[0]} and called on {others[1]} to respect the "
            f"sovereignty of its neighbours.",
            f"{name} visited {city} in {city_country} on {month} {day + 1}, 2023, and met with leaders of the {org2}.",
            f"The United States and {country} signed an agreement on {topic} and welcomed the {initiative}.",
            f"The two leaders also discussed the situation in {others[2]} and {others[3]}.",
            f"The {lone} will hold its next meeting in {lone_city} in the autumn.",
            f"{rng.choice(orgs)} released a statement.",
        ]))
    return texts


def write_readouts(folder: Path, n: int = 41, *, seed: int = 18) -> Path:
    """The texts of :func:`readouts` as ``.txt`` files in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, text in enumerate(readouts(n, seed=seed)):
        (folder / f"readout-{k:03d}.txt").write_text(text + "\n", encoding="utf-8")
    return folder
