"""One exception hierarchy for kg.

Every error a user can cause (a missing file, an unreadable document, a bad
query) is a :class:`KGError`; the CLI turns it into a one-line message and a
non-zero exit status instead of a traceback.
"""

from __future__ import annotations

__all__ = [
    "KGError",
    "UsageError",
    "IngestError",
    "ModelError",
    "ExtractionError",
    "UnknownTerm",
    "ExportError",
    "DiskFullError",
    "OutputBusy",
    "QueryError",
    "QueryRefused",
    "EntityNotFound",
    "PlotError",
]


class KGError(Exception):
    """Base class of every error kg raises on purpose.

    ``hint`` says what the user can do about it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UsageError(KGError):
    """The command (or the call) names something that is not there, such as
    an input path that does not exist; the CLI exits with status 2."""


class IngestError(KGError):
    """A document could not be read or decoded. ``path`` names it."""

    def __init__(self, path: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {message}", hint=hint)
        self.path = path
        self.reason = message


class ModelError(KGError):
    """The spaCy pipeline could not be loaded."""


class ExtractionError(KGError):
    """NLP or rule-based extraction failed on a document."""


class UnknownTerm(KGError):
    """A name that ``ontology/kg.ttl`` does not declare was asked of the
    closed ``kgo:`` vocabulary (:data:`kg.ns.KGO`): a misspelt predicate,
    class or event type in a rule file or in code. ``name`` is the name."""

    def __init__(self, name: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.name = name

    def __reduce__(self):  # raised in worker processes too: pickled with its fields
        return (type(self), (self.name, self.message), {"hint": self.hint})


class ExportError(KGError):
    """An output could not be written."""


class DiskFullError(ExportError):
    """The disk (or quota) of an output ran out of space while kg wrote
    ``path``. The build stops, its partial outputs are removed and the
    previous ones stay (see :mod:`kg.outputs`); the CLI exits with status 1."""

    def __init__(self, path: str, message: str | None = None, hint: str | None = None) -> None:
        super().__init__(message or f"no space left on the disk to write {path}", hint=hint)
        self.path = str(path)

    def __reduce__(self):  # raised in worker processes too: pickled with its fields
        return (type(self), (self.path, self.message, self.hint))


class OutputBusy(KGError):
    """Another build holds the output folder's lock (see :mod:`kg.outlock`)
    and the caller asked not to wait; ``pid`` is that build's process id if
    known. The CLI exits with status 5."""

    def __init__(self, folder: str, pid: int | None, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.folder, self.pid = folder, pid


class QueryError(KGError):
    """A SPARQL query is malformed or failed."""


class QueryRefused(QueryError):
    """The query is valid SPARQL but kg will not run it: it would change the
    graph (SPARQL Update) or reach out to the network (``SERVICE``, ``FROM``).
    ``feature`` names what was refused."""

    def __init__(self, feature: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.feature = feature


class EntityNotFound(KGError):
    """No entity of the graph has this name (as its ``rdfs:label`` or a
    ``skos:altLabel``, ignoring case and accents; see :mod:`kg.lookup`).

    ``name`` is the name looked up; ``suggestions`` the closest names of the
    graph, as ``(name, label of its entity)`` pairs. The CLI lists them on
    stderr and exits with status 4."""

    def __init__(self, name: str, suggestions=()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            hint = f"did you mean: {', '.join(text for text, _ in self.suggestions)}?"
        else:
            hint = "no name in the graph is close; `kg query entities` lists them all"
        super().__init__(f"no entity named {name!r} in the graph", hint=hint)


class PlotError(KGError):
    """A plot cannot be drawn: an optional package it needs is missing or
    its data is not what kg expects."""
