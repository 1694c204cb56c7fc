"""kg: an offline knowledge-graph builder for news and diplomatic text.

``import kg`` is light: spaCy, rdflib and pyvis are imported by the functions
that need them.

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__", "build", "build_graph_from_texts", "to_networkx", "KGError"]

from .errors import KGError


def __getattr__(name: str):
    # Lazy: ``kg.build`` imports the pipeline, ``kg.to_networkx`` networkx, only when used.
    if name in ("build", "build_graph_from_texts"):
        from . import pipeline as _build_module

        return getattr(_build_module, name)
    if name == "to_networkx":
        from .network import to_networkx

        return to_networkx
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
