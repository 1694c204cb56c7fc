"""spaCy pipeline loading and kg's spaCy components."""

from .pipeline import DEFAULT_MODEL, load_pipeline

__all__ = ["DEFAULT_MODEL", "load_pipeline"]
