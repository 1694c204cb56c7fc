#!/usr/bin/env python3
"""Build ``leaders.csv`` and ``positions.csv`` in ``kg/data/gazetteer/`` from
the world-leaders table (Peppercat / Wikidata, see ``SOURCES.md``).

Inputs:

* the leaders table (default ``../shared/data/leaders/leaders.csv`` next to the
  project; columns ``qid,name,aliases,derived_variants,position,category,
  country,country_code,country_kind,start,end,end_note,source``);
* the generated ``people.csv``, ``countries.csv``, ``organizations.csv`` and
  ``initiatives.csv`` of this folder (written by ``build_gazetteer.py``).

Outputs (sorted, ``\\n`` line ends, Python ``csv`` quoting):

* ``leaders.csv`` (``id,label,aliases,qid,country,roles``): one row per
  office-holder. A row whose ``id`` is ``leaders:<slug>`` or a bare slug is a
  person not in ``people.csv``; a row whose ``id`` is ``people:<slug>`` adds a
  QID (when the curated row has none), name forms and roles to that curated
  person (the loader merges it: one person is one gazetteer entry).
* ``positions.csv`` (``person,qid,category,position,country,start,end``):
  one row per term of office.

Name forms, each by a rule (``SOURCES.md`` lists them): the data's names and
aliases; the ASCII-folded spelling; family-name-first order for Japanese and
Hungarian two-word names; given name + family name without middle names for
labels of three or more words (not for family-first, Spanish-naming,
initialled or particle-bearing names); Cyrillic-script transliteration variants of
word endings. Never a one-word alias. A form two people share is dropped from
both (a derived form gives way to another person's data form).

Usage::

    python scripts/build_leaders.py [LEADERS_CSV]            # write the CSVs
    python scripts/build_leaders.py [LEADERS_CSV] --check    # exit 1 if stale
    python scripts/build_leaders.py [LEADERS_CSV] --verbose  # list dropped forms
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.gazetteer import _starts_with_title, name_key  # noqa: E402

GAZ_DIR = REPO / "kg" / "data" / "gazetteer"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "leaders" / "leaders.csv"

LEADERS_COLUMNS = ["id", "label", "aliases", "qid", "country", "roles"]
POSITION_COLUMNS = ["person", "qid", "category", "position", "country", "start", "end"]
SEP = "|"

#: Generic English title of each category (added to the position's own label).
CATEGORY_TITLE = {
    "foreign_minister": "Foreign Minister",
    "defence_minister": "Defence Minister",
    "finance_minister": "Finance Minister",
    "national_security_adviser": "National Security Advisor",
    "deputy_head_of_government": "Deputy Prime Minister",
    "vice_head_of_state": "Vice President",
}
#: Heads of government whose formal title English news renders "Prime Minister".
PRIME_MINISTER_TITLES = {
    "president of the council of ministers", "chairman of the council of ministers",
    "chair of the council of ministers", "chairman of the cabinet of ministers", "president of the government",
}

#: Countries whose names are written family name first in English too: no
#: "given + family" short form is derived for them.
FAMILY_FIRST = {"CN", "TW", "HK", "MO", "KR", "KP", "VN", "KH", "MM", "SG", "MN", "BN"}
#: Countries whose English-language press writes native names given name
#: first although the native order is family first: both orders are forms.
SWAP_ORDER = {"JP", "HU"}
#: Spanish naming (two family names, the first one used alone): dropping the
#: middle word would keep the wrong family name.
SPANISH_NAMING = {"ES", "AD", "MX", "AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GQ", "GT", "HN", "NI",
                  "PA", "PY", "PE", "UY", "VE"}
#: Countries (ISO code, or catalogue name when it has none) whose names are
#: romanised from Cyrillic, where the same name has several spellings.
CYRILLIC = {"RU", "UA", "BY", "BG", "RS", "MK", "KZ", "KG", "TJ", "MN",
            "Abkhazia", "South Ossetia", "Transnistria", "Donetsk", "Luhansk"}
#: Name particles that make "first + last word" wrong (bin, da, al-...).
PARTICLES = {"bin", "binti", "bint", "ibn", "bn", "al", "el", "ul", "da", "de", "di", "do", "dos", "das", "du",
             "del", "della", "der", "den", "la", "le", "van", "von", "y", "e", "i", "of", "the", "ben", "abu",
             "abd", "abdel", "abdul", "mac", "st", "san", "santa", "ter", "ten", "zu", "af", "al-", "ould", "ag", "wa",
             "ibni", "binte", "bte", "bt"}
GENERATIONAL = {"jr", "jnr", "sr", "snr", "ii", "iii", "iv"}
#: Words after a comma that start a title, not a name ("Des Browne, Baron Browne of Ladyton").
_TITLE_AFTER_COMMA = re.compile(r",\s*(?:\d+(?:st|nd|rd|th)\s+)?(?:Baron|Baroness|Lord|Lady|Prince|Princess|Grand Duke|"
                                r"Grand Duchess|Duke|Duchess|Earl|Countess|Viscount|Marquess|King|Queen|Emir|Sultan)\b.*$")

#: Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
                       "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th",
                       "Þ": "Th", "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "ə": "a", "Ə": "A"})

DATA, DERIVED = 0, 1  # priority of a name form: the data's own, or made by a rule


def ascii_fold(name: str) -> str:
    """The name with accents and special letters folded to ASCII.

    >>> ascii_fold("Recep Tayyip Erdoğan")
    'Recep Tayyip Erdogan'
    """
    text = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def is_latin(name: str) -> bool:
    """Every letter of *name* is a Latin letter (and there is at least one)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]", word))


def data_forms(name: str) -> list[str]:
    """The data's name and its spellings without the punctuation around a
    name: a parenthesis dropped ("Jioji (George) Konrote" -> "Jioji
    Konrote"), the comma before a generational suffix ("Félix Ulloa, Jr." ->
    "Félix Ulloa Jr."), a title after a comma ("Des Browne, Baron Browne of
    Ladyton" -> "Des Browne")."""
    out = [name]
    bare = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    bare = re.sub(r",\s*((?:Jr|Jnr|Sr|Snr)\.?|I{1,3}|IV)$", r" \1", bare)
    bare = _TITLE_AFTER_COMMA.sub("", bare).strip()
    if bare and bare != name:
        out.append(bare)
    return out


def without_middle(name: str) -> str | None:
    """"Emmerson Dambudzo Mnangagwa" -> "Emmerson Mnangagwa" ("Bola Ahmed
    Tinubu Jr." -> "Bola Tinubu Jr."). None when there is nothing to drop,
    when the name has an initial (a middle initial tells relatives apart:
    "George W. Bush" is not "George Bush"; kg's lookup drops initials from
    the text's side instead), or when a particle makes the short form wrong."""
    if "," in name or "(" in name:
        return None
    words = name.split()
    if len(words) > 3 and words[-1].rstrip(".").lower() in GENERATIONAL:
        short = without_middle(" ".join(words[:-1]))
        return f"{short} {words[-1]}" if short else None
    if len(words) < 3 or any(_is_initial(w) or w.lower().rstrip(".") in GENERATIONAL for w in words):
        return None
    if any(w.lower() in PARTICLES or w.lower().startswith(("al-", "el-", "ul-", "bin-")) or not w[:1].isupper()
           for w in words):
        return None
    return f"{words[0]} {words[-1]}"


#: Cyrillic romanisation: interchangeable word endings (longest first).
_ENDING_SETS = (
    ("kyy", "kyi", "kiy", "kii", "ky"),  # Zelenskyy / Zelenskyi / Zelenskiy / Zelenskii / Zelensky
    ("iy", "ii", "y", "i"),              # Dmitriy / Dmitrii / Dmitry / Dmitri
    ("ey", "ei"),                        # Sergey / Sergei
)


def _word_variants(word: str) -> list[str]:
    for endings in _ENDING_SETS:
        for ending in endings:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and not stem[-1:] in "aeiouy":
                return [stem + e for e in endings]
    return [word]


def cyrillic_variants(name: str, limit: int = 16) -> list[str]:
    """Other romanisations of a name from a Cyrillic-script country, by word
    ending ("Volodymyr Zelenskyy" -> "... Zelensky", "... Zelenskiy", ...)."""
    out = [""]
    for word in name.split():
        out = [f"{head} {v}".strip() for head in out for v in _word_variants(word)][:limit]
    return [v for v in out if v != name]


_ARTICLE = re.compile(r"\b([AaEe])l-(?=\w)")
_OTHER_VOWEL = {"a": "e", "e": "a", "A": "E", "E": "A"}


def arabic_variants(name: str) -> list[str]:
    """Forms of an Arabic name by its particles: the name up to the father's
    name ("Tamim bin Hamad Al Thani" -> "Tamim bin Hamad"; "Hamad bin Jassim
    bin Jaber Al Thani" -> "Hamad bin Jassim"), and the article written the
    other way ("Abdel Fattah el-Sisi" -> "Abdel Fattah al-Sisi"; "Al Thani" <->
    "Al-Thani")."""
    out = []
    words = name.split()
    for i, word in enumerate(words[1:-2], start=1):
        if word in ("bin", "ibn"):
            out.append(" ".join(words[: i + 2]))
            break
    out.append(_ARTICLE.sub(lambda m: _OTHER_VOWEL[m.group(1)] + "l-", name))
    out.append(re.sub(r"\bAl (?=[A-Z])", "Al-", name))
    out.append(re.sub(r"\bAl-(?=[A-Z])", "Al ", name))
    return [v for v in dict.fromkeys(out) if v != name]


def swapped(name: str) -> str | None:
    """Family-first order of a two-word name ("Fumio Kishida" -> "Kishida Fumio")."""
    words = name.split()
    return f"{words[1]} {words[0]}" if len(words) == 2 else None


@dataclass
class Holder:
    """One office-holder (one QID) and what the build makes of them."""

    qid: str
    names: list[str] = field(default_factory=list)        # Latin-script data names, best first
    terms: list[dict[str, str]] = field(default_factory=list)
    code: str = ""                                          # ISO code of the most frequent country
    target: str = ""                                        # gazetteer id ("leaders:x" or "people:x")
    forms: dict[str, tuple[int, list[str]]] = field(default_factory=dict)  # key -> (priority, spellings)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split(SEP) if p.strip()]


def clean_position(position: str, country: str, country_label: str) -> list[str]:
    """Titles of a position label: the parenthesis aside, the country dropped
    ("Prime Minister of Montenegro" -> "Prime Minister"; "Beretitenti
    (President)" -> "Beretitenti", "President")."""
    titles = []
    inner = re.findall(r"\(([^)]*)\)", position)
    base = re.sub(r"\s*\([^)]*\)", "", position).strip()
    for name in {country, country_label} - {""}:
        base = re.sub(rf"\s+of\s+(the\s+)?(Republic\s+of\s+(the\s+)?)?{re.escape(name)}$", "", base)
    base = base.replace("_", "-")
    for title in [base, *inner]:
        title = title.strip()
        if title:
            titles.append(title[0].upper() + title[1:])
    return titles


def roles_of(term: dict[str, str], country_label: str) -> list[str]:
    titles = clean_position(term["position"], term["country"], country_label)
    if term["category"] in CATEGORY_TITLE:
        titles.insert(0, CATEGORY_TITLE[term["category"]])
    if term["category"] == "head_of_government" and any(t.lower() in PRIME_MINISTER_TITLES for t in titles):
        titles.append("Prime Minister")
    return titles


class Build:
    """The state of one build; ``run()`` returns the two CSV texts."""

    def __init__(self, rows: list[dict[str, str]], gaz_dir: Path) -> None:
        self.rows = rows
        self.log: list[str] = []
        self.given: set[str] = set()  # first words of several-word names (see given_names)
        self.countries = read_csv(gaz_dir / "countries.csv")
        self.people = read_csv(gaz_dir / "people.csv")
        self.country_of_iso = {c["iso2"]: c["id"] for c in self.countries if c["iso2"]}
        self.country_label = {c["iso2"]: c["label"] for c in self.countries if c["iso2"]}
        self.orgs = read_csv(gaz_dir / "organizations.csv")
        self.org_of_key: dict[str, str] = {}
        for org in self.orgs:
            for name in [org["label"], *_split(org["aliases"])]:
                self.org_of_key.setdefault(name_key(name), org["id"])
        # Names of every other bundled row (fixed: the leaders build cannot change them).
        self.fixed: dict[str, set[str]] = defaultdict(set)
        for table in ("countries", "organizations", "initiatives", "people"):
            for row in read_csv(gaz_dir / f"{table}.csv"):
                for name in [row["label"], *_split(row.get("aliases", ""))]:
                    self.fixed[name_key(name)].add(f"{table}:{row['id']}")

    def note(self, message: str) -> None:
        self.log.append(message)

    # -- people ---------------------------------------------------------------

    def holders(self) -> dict[str, Holder]:
        out: dict[str, Holder] = {}
        for row in self.rows:
            holder = out.setdefault(row["qid"], Holder(row["qid"]))
            holder.terms.append(row)
        for holder in out.values():
            # Latest term's name first: the source's most recent spelling.
            names: list[str] = []
            for term in sorted(holder.terms, key=lambda t: (t["start"], t["name"]), reverse=True):
                for raw in [term["name"], *_split(term["aliases"])]:
                    for name in data_forms(" ".join(raw.split())):
                        if name and is_latin(name) and name not in names:
                            names.append(name)
            holder.names = names
            codes = Counter(t["country_code"] or t["country"] for t in holder.terms)
            holder.code = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return out

    def match_curated(self, holders: dict[str, Holder]) -> None:
        """Point each holder who is a curated person at that row: by QID, or
        by a data name when exactly one holder has it (and the countries agree)."""
        by_qid = {p["qid"]: p for p in self.people if p["qid"]}
        by_key: tuple[dict[str, set[str]], dict[str, set[str]]] = (defaultdict(set), defaultdict(set))
        for holder in holders.values():
            for form, priority in self.candidate_forms(holder):
                by_key[priority][name_key(form)].add(holder.qid)
        claimed: dict[str, list[str]] = defaultdict(list)
        for person in self.people:
            if person["qid"]:
                if person["qid"] in holders:
                    claimed[person["qid"]].append(person["id"])
                continue
            keys = [name_key(n) for n in [person["label"], *_split(person["aliases"])]]
            # The data's names first; a name made by rule only for a person whose country can agree.
            for priority in (DATA, DERIVED) if person["country"] else (DATA,):
                qids = set().union(*(by_key[priority].get(k, set()) for k in keys)) - set(by_qid)
                if qids:
                    break
            if len(qids) != 1:
                if qids:
                    self.note(f"curated {person['id']}: several holders {sorted(qids)}, not matched")
                continue
            qid = qids.pop()
            countries = {self.country_of_iso.get(t["country_code"]) for t in holders[qid].terms}
            if person["country"] and person["country"] not in countries:
                self.note(f"curated {person['id']}: {qid} holds office in {sorted(c or '' for c in countries)}, "
                          f"not {person['country']}; not matched")
                continue
            claimed[qid].append(person["id"])
        for qid, ids in claimed.items():
            if len(ids) == 1:
                holders[qid].target = f"people:{ids[0]}"
            else:
                self.note(f"{qid}: matches curated rows {ids}; not matched")

    def given_names(self, holders: dict[str, Holder]) -> None:
        """First words of every several-word name: the given names in use."""
        names = [n for h in holders.values() for n in h.names]
        names += [n for p in self.people for n in [p["label"], *_split(p["aliases"])]]
        self.given = {name_key(n).split()[0] for n in names if len(name_key(n).split()) > 1}

    def candidate_forms(self, holder: Holder) -> list[tuple[str, int]]:
        # One-word forms only for a person known by one word alone ("Akihito").
        several = [n for n in holder.names if len(n.split()) > 1]
        forms: list[tuple[str, int]] = [(n, DATA) for n in several or holder.names]
        code = holder.code
        derived: list[str] = []
        for name in several:
            if code in SWAP_ORDER and (s := swapped(name)):
                derived.append(s)
            # Where the last word is also a given name ("Mohamed Sheikh Hassan"), the name is
            # patronymic: first + last would be someone else's ordinary name.
            if code not in FAMILY_FIRST and code not in SPANISH_NAMING and (s := without_middle(name)) \
                    and name_key(s).split()[-1] not in self.given:
                derived.append(s)
        if code in CYRILLIC:
            for name in [*several, *derived]:
                derived.extend(cyrillic_variants(name))
        for name in several:
            derived.extend(arabic_variants(name))
        forms += [(d, DERIVED) for d in derived]
        forms += [(ascii_fold(f), p) for f, p in forms]
        return forms

    def assign_forms(self, holders: dict[str, Holder]) -> None:
        """Each name key goes to the one holder with the best claim on it, or to nobody."""
        claims: dict[str, dict[str, int]] = defaultdict(dict)  # key -> owner -> best priority
        for holder in holders.values():
            owner = holder.target or holder.qid
            for form, priority in self.candidate_forms(holder):
                key = name_key(form)
                if not key:
                    continue
                # Spellings of one key stand or fall together; the key's priority is its best.
                best, spellings = holder.forms.get(key, (priority, []))
                if form not in spellings:
                    spellings.append(form)
                holder.forms[key] = (min(best, priority), spellings)
                claims[key][owner] = min(priority, claims[key].get(owner, priority))
        for holder in holders.values():
            owner = holder.target or holder.qid
            for key in list(holder.forms):
                fixed = self.fixed.get(key, set()) - {owner}
                rivals = {o: p for o, p in claims[key].items() if o != owner}
                mine = claims[key][owner]
                if fixed:
                    reason = f"a bundled name of {sorted(fixed)}"
                elif any(p <= mine for p in rivals.values()):
                    reason = f"shared with {sorted(o for o, p in rivals.items() if p <= mine)}"
                else:
                    continue
                self.note(f"{holder.qid} {holder.names[0]!r}: drop {holder.forms[key][1][0]!r} ({reason})")
                del holder.forms[key]

    # -- outputs --------------------------------------------------------------

    def slug_ids(self, holders: dict[str, Holder]) -> None:
        taken: dict[str, str] = {}
        for qid in sorted(holders, key=lambda q: (int(q[1:]))):
            holder = holders[qid]
            if holder.target:
                continue
            label = self.label_of(holder)
            if label is None:
                continue
            slug = re.sub(r"[^a-z0-9]+", "-", name_key(ascii_fold(label))).strip("-")
            if slug in taken:
                slug = f"{slug}-{qid.lower()}"
            taken[slug] = qid
            holder.target = f"leaders:{slug}"

    def label_of(self, holder: Holder) -> str | None:
        """The first data name the holder kept (several words, unless it is their only name)."""
        kept = [n for n in holder.names if holder.forms.get(name_key(n), (DERIVED,))[0] == DATA]
        multi = [n for n in kept if len(n.split()) > 1]
        if multi:
            return multi[0]
        return kept[0] if kept and len(holder.names) == 1 else None

    def country_id(self, holder: Holder) -> str:
        counts = Counter(self.country_of_iso.get(t["country_code"], "") for t in holder.terms)
        counts.pop("", None)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else ""

    def roles(self, holder: Holder) -> list[str]:
        out: list[str] = []
        for term in sorted(holder.terms, key=lambda t: (t["start"], t["position"])):
            for role in roles_of(term, self.country_label.get(term["country_code"], "")):
                if role.lower() not in {r.lower() for r in out}:
                    out.append(role)
        return out

    def leaders_rows(self, holders: dict[str, Holder]) -> list[list[str]]:
        curated = {f"people:{p['id']}": p for p in self.people}
        rows = []
        for holder in holders.values():
            if not holder.target:
                if holder.names:
                    self.note(f"{holder.qid} {holder.names[0]!r}: no name of its own left, not listed")
                continue
            if holder.target.startswith("people:"):
                person = curated[holder.target]
                have_lower = {n.lower() for n in [person["label"], *_split(person["aliases"])]}
                aliases = [f for f in _spellings(holder) if f.lower() not in have_lower
                           and len(f.split()) > 1 and not _starts_with_title(f)]
                roles = [r for r in self.roles(holder) if r.lower() not in {x.lower() for x in _split(person["roles"])}]
                qid = "" if person["qid"] else holder.qid
                if not (aliases or roles or qid):
                    continue
                rows.append([holder.target, person["label"], SEP.join(_dedupe(aliases)), qid, "", SEP.join(roles)])
                continue
            label = self.label_of(holder)
            assert label is not None
            aliases = [f for f in _spellings(holder) if f != label and len(f.split()) > 1
                       and not _starts_with_title(f)]
            rows.append([holder.target.split(":", 1)[1], label, SEP.join(_dedupe([label, *aliases])[1:]),
                         holder.qid, self.country_id(holder), SEP.join(self.roles(holder))])
        rows.sort(key=lambda r: r[0])
        return rows

    def org_of(self, term: dict[str, str]) -> str:
        """The organisation an international post belongs to: the longest
        "... of (the) X" tail of its label that names one, else its catalogue."""
        words = term["position"].split()
        for i, word in enumerate(words):
            if word == "of":
                tail = name_key(" ".join(words[i + 1:]))
                if tail in self.org_of_key:
                    return self.org_of_key[tail]
        return self.org_of_key.get(name_key(term["country"]), "")

    def positions_rows(self, holders: dict[str, Holder]) -> list[list[str]]:
        rows = []
        by_post: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for row in self.rows:
            by_post[(row["category"], row["country"], row["position"])].append(row["start"])
            by_post[(row["category"], row["country"])].append(row["start"])
        for row in self.rows:
            holder = holders[row["qid"]]
            if row["country_kind"] == "intl" or row["category"] == "intl_org_head":
                country = self.org_of(row)
            else:
                country = self.country_of_iso.get(row["country_code"], "")
            end = row["end"]
            note = row["end_note"]
            if not end and note and not note.startswith("no English label"):
                # A stale open term ends when the next term of the same post starts (of the same
                # category when the source names the successor), else on the date in the note.
                posts = [(row["category"], row["country"], row["position"])]
                if note.startswith("a successor"):
                    posts.append((row["category"], row["country"]))
                end = ""
                for post in posts:
                    later = sorted(s for s in by_post[post] if s > row["start"])
                    if later:
                        end = later[0]
                        break
                if not end:
                    stamp = re.search(r"\d{4}(?:-\d{2}-\d{2})?", note)
                    end = stamp.group(0) if stamp else ""
            rows.append([holder.target, row["qid"], row["category"], row["position"], country, row["start"], end])
        rows = sorted({tuple(r) for r in rows}, key=lambda r: (r[0] or "~", r[5], r[2], r[3], r[4], r[1], r[6]))
        return [list(r) for r in rows]

    def run(self) -> tuple[str, str]:
        holders = self.holders()
        for holder in holders.values():
            if not holder.names:
                self.note(f"{holder.qid}: no Latin-script name, not listed")
        self.given_names(holders)
        self.match_curated(holders)
        self.assign_forms(holders)
        self.slug_ids(holders)
        leaders = self.leaders_rows(holders)
        positions = self.positions_rows(holders)
        return _csv(LEADERS_COLUMNS, leaders), _csv(POSITION_COLUMNS, positions)


def _spellings(holder: Holder) -> list[str]:
    """Every spelling the holder kept: data names first, then by rule."""
    out = []
    for priority, spellings in sorted(holder.forms.values(), key=lambda ps: (ps[0], ps[1][0])):
        out.extend(spellings)
    return out


def _dedupe(forms: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for form in forms:
        if form.lower() not in seen:
            seen.add(form.lower())
            out.append(form)
    return out


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def build(source: Path, gaz_dir: Path = GAZ_DIR) -> tuple[dict[str, str], list[str]]:
    """The generated files' texts by name, and the build's notes."""
    b = Build(read_csv(source), gaz_dir)
    leaders, positions = b.run()
    return {"leaders.csv": leaders, "positions.csv": positions}, b.log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="the leaders table")
    parser.add_argument("--check", action="store_true", help="only check that the CSVs are current")
    parser.add_argument("--verbose", action="store_true", help="list the forms and people dropped")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"cannot read {args.source}: give the leaders table as the first argument", file=sys.stderr)
        return 2
    outputs, log = build(args.source, GAZ_DIR)
    if args.verbose:
        for line in log:
            print(line, file=sys.stderr)
    stale = [name for name, text in outputs.items()
             if not (GAZ_DIR / name).is_file() or (GAZ_DIR / name).read_text("utf-8") != text]
    if args.check:
        if stale:
            print(f"stale: {', '.join(stale)} (run scripts/build_leaders.py)", file=sys.stderr)
            return 1
        return 0
    for name, text in outputs.items():
        (GAZ_DIR / name).write_bytes(text.encode("utf-8"))
    counts = {name: text.count("\n") - 1 for name, text in outputs.items()}
    print(", ".join(f"{name}: {n} rows" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
