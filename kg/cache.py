"""The build folder's memory of what it has read: incremental builds.

``OUT/.kg/docs/<id>.json`` keeps every document built into OUT (its
normalised text and metadata); ``OUT/.kg/extractions/<fingerprint>/<id>.json``
keeps its extraction for one configuration (kg version, spaCy pipeline,
gazetteers and rule files). A later ``kg build`` into the same OUT adds its
documents to those already there, re-runs NLP only on what is new (or on
everything when the configuration changed) and re-resolves the whole set, so
building A then B gives the same graph as building A and B at once. Files are
written atomically one document at a time: an interrupted build loses nothing
that was finished, and the next run picks up the rest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from importlib import resources
from pathlib import Path

from .data import rule_files
from .files import atomic_write
from .records import (DateMention, EventCandidate, Extraction, Mention, Quantity, Quotation, Relation, Sentence,
                      SourceDoc)

__all__ = ["BuildCache", "fingerprint", "remove_leftovers", "extraction_to_json", "extraction_from_json",
           "source_doc_from_json"]

_FORMAT = 2


def fingerprint(nlp, gazetteers: tuple[str, ...] = ()) -> str:
    """A short hash of everything that shapes an extraction."""
    from ._version import __version__

    h = hashlib.sha256()
    h.update(f"kg {__version__} cache {_FORMAT}\n".encode())
    meta = getattr(nlp, "meta", {}) or {}
    h.update(f"{meta.get('lang')} {meta.get('name')} {meta.get('version')} {nlp.pipe_names}\n".encode())
    for name, entry in rule_files():
        h.update(f"{name}\n".encode())
        h.update(entry.read_bytes())
    # the extraction code itself: a changed rule in code re-runs NLP as a changed rule file does
    code = resources.files("kg")
    for name in sorted(f"nlp/{e.name}" for e in code.joinpath("nlp").iterdir() if e.name.endswith(".py")):
        h.update(f"{name}\n".encode())
        h.update(code.joinpath(name).read_bytes())
    for path in gazetteers:
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def extraction_to_json(ex: Extraction) -> bytes:
    # The records are flat dataclasses: their __dict__ is what asdict() would
    # give, without its deep copy (five times faster).
    return json.dumps(ex, default=vars, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _span(value):
    return tuple(value) if value is not None else None


def source_doc_from_json(d: dict) -> SourceDoc:
    """A :class:`SourceDoc` from its JSON object (lists back to tuples)."""
    return SourceDoc(**{**d, "credits": tuple(tuple(c) for c in d.get("credits", ())),
                        "keywords": tuple(d.get("keywords", ()))})


def extraction_from_json(data: bytes) -> Extraction:
    d = json.loads(data)
    doc = d["doc"]
    doc = source_doc_from_json(doc)
    return Extraction(
        doc=doc,
        sentences=tuple(Sentence(**s) for s in d["sentences"]),
        mentions=tuple(Mention(**m) for m in d["mentions"]),
        relations=tuple(Relation(**{**r, "subject": _span(r["subject"]), "object": _span(r["object"])})
                        for r in d.get("relations", ())),
        events=tuple(EventCandidate(**{
            **e,
            "agents": tuple(_span(x) for x in e["agents"]),
            "targets": tuple(_span(x) for x in e["targets"]),
            "places": tuple(_span(x) for x in e["places"]),
            "roles": tuple((_span(span), role) for span, role in e["roles"]),
            "dates": tuple(DateMention(**x) for x in e["dates"]),
            "quantities": tuple(Quantity(**q) for q in e.get("quantities", ())),
        }) for e in d.get("events", ())),
        quotations=tuple(Quotation(**{**q, "speaker": _span(q["speaker"])}) for q in d.get("quotations", ())),
        dates=tuple(DateMention(**x) for x in d.get("dates", ())),
        paragraphs=tuple(d.get("paragraphs", ())),
    )


def remove_leftovers(out: str | Path) -> None:
    """Remove the temporary files of cache entries that a killed build was
    writing (``.kg/docs/.ID.json.*.tmp``); call it holding the build lock."""
    root = Path(out) / ".kg"
    for folder in (root / "docs", *(root / "extractions").glob("*")):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)


class BuildCache:
    """The ``.kg`` folder of one output folder."""

    def __init__(self, out: str | Path, fingerprint: str) -> None:
        self.root = Path(out) / ".kg"
        self.docs = self.root / "docs"
        self.extractions = self.root / "extractions" / fingerprint

    def clear(self) -> None:
        """Forget every document and extraction (``--fresh``); the rest of
        ``.kg`` (the build lock, the outputs' folders) is not the cache's."""
        for folder in (self.docs, self.root / "extractions"):
            shutil.rmtree(folder, ignore_errors=True)

    def doc_ids(self) -> list[str]:
        if not self.docs.is_dir():
            return []
        return sorted(p.stem for p in self.docs.glob("*.json"))

    def load_doc(self, doc_id: str) -> SourceDoc:
        d = json.loads((self.docs / f"{doc_id}.json").read_bytes())
        return source_doc_from_json(d)

    def save_doc(self, doc: SourceDoc) -> None:
        path = self.docs / f"{doc.id}.json"
        if not path.exists():
            atomic_write(path, json.dumps(asdict(doc), ensure_ascii=False, sort_keys=True).encode("utf-8"), fsync=False)

    def load_extraction(self, doc_id: str) -> Extraction | None:
        path = self.extractions / f"{doc_id}.json"
        if not path.is_file():
            return None
        try:
            return extraction_from_json(path.read_bytes())
        except (ValueError, TypeError, KeyError):
            return None  # a damaged cache entry is simply extracted again

    def save_extraction(self, ex: Extraction) -> None:
        atomic_write(self.extractions / f"{ex.doc.id}.json", extraction_to_json(ex), fsync=False)
