"""Extraction on a dask.distributed cluster (``kg build --dask ADDRESS``).

Documents are sent to the workers in batches; each worker loads the spaCy
pipeline once (kept in a module-level cache of the worker process) and sends
back plain :class:`~kg.records.Extraction` records. Resolution and graph
building then run in the client, on those compact records, exactly as in a
single-process build — so the output is byte-identical.

``local:N`` starts a ``LocalCluster`` with N worker processes on this
machine; any other value is a scheduler address (``tcp://host:8786``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import KGError
from ..records import Extraction, SourceDoc

__all__ = ["extract_on_cluster", "connect"]

_PIPELINES: dict = {}


def _extract_batch(docs: list[SourceDoc], model: str | None, gazetteers: tuple[str, ...]) -> list[Extraction]:
    from ..nlp.extract import extract
    from ..nlp import load_pipeline

    key = (model, gazetteers)
    if key not in _PIPELINES:  # once per worker process
        _PIPELINES[key] = load_pipeline(model, gazetteers)
    return list(extract(docs, _PIPELINES[key]))


def connect(address: str):
    """A dask Client for *address* (``local:N`` or a scheduler address)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise KGError("--dask needs dask.distributed", hint="pip install 'dask[distributed]'") from err
    if address.startswith("local:"):
        try:
            n = int(address.split(":", 1)[1])
        except ValueError:
            # from None: the message says all the caught error could
            raise KGError(f"--dask {address!r}: expected local:N", hint="e.g. --dask local:2") from None
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    try:
        return Client(address, timeout=30)
    except OSError as err:
        raise KGError(f"cannot reach the dask scheduler at {address}: {err}", hint="check the address") from err


def extract_on_cluster(docs: Iterable[SourceDoc], client, *, model: str | None = None,
                       gazetteers: tuple[str, ...] = (), batch: int = 16,
                       in_flight: int | None = None) -> Iterator[Extraction]:
    """Extract *docs* on the cluster of *client*, streaming: batches are
    submitted as documents arrive, at most *in_flight* at a time (twice the
    workers by default); yields in the order of *docs*."""
    from collections import deque

    if in_flight is None:
        in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    futures: deque = deque()
    chunk: list[SourceDoc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == batch:
            futures.append(client.submit(_extract_batch, chunk, model, gazetteers, pure=False))
            chunk = []
            while len(futures) >= in_flight:
                yield from futures.popleft().result()
    if chunk:
        futures.append(client.submit(_extract_batch, chunk, model, gazetteers, pure=False))
    while futures:
        yield from futures.popleft().result()
