"""kg's rule data and gazetteers: the files that shape what extraction finds.

:func:`rule_files` lists them all (the build cache's fingerprint reads every
one, so a changed or added rule file re-runs the NLP of cached documents).
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

__all__ = ["rule_files"]

#: Suffixes of rule and gazetteer files.
RULE_SUFFIXES = (".json", ".txt", ".csv")


def rule_files() -> list[tuple[str, Traversable]]:
    """Every rule and gazetteer file of the package, as ``(relative name,
    resource)`` pairs sorted by name (the ontology, which shapes no
    extraction, is left out)."""
    out = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            name = prefix + entry.name
            if entry.is_dir():
                if entry.name not in ("__pycache__", "ontology"):
                    walk(entry, name + "/")
            elif entry.name.endswith(RULE_SUFFIXES):
                out.append((name, entry))

    walk(resources.files("kg.data"), "")
    return sorted(out, key=lambda pair: pair[0])
