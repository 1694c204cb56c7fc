"""Background threads that overlap kg's own work with spaCy's.

spaCy's pipeline spends much of its time in matrix code that releases the
GIL, so a second thread can read and clean the next documents, or write the
build cache, while the parser works, at no cost to it. Both helpers keep the
order of items, bound their queues (memory stays flat) and hand errors back
to the calling thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["prefetch", "BackgroundWorker"]

T = TypeVar("T")

_END = object()
_POLL = 0.1


def _put(q: queue.Queue, item, stop: threading.Event) -> bool:
    """Put *item* unless *stop* is set first; True when it was put."""
    while not stop.is_set():
        try:
            q.put(item, timeout=_POLL)
            return True
        except queue.Full:
            continue
    return False


def prefetch(items: Iterable[T], depth: int = 32, name: str = "kg-prefetch") -> Iterator[T]:
    """Iterate *items* in a background thread, at most *depth* ahead.

    The items come out in order; an exception raised by *items* is raised
    here, where the consumer reaches it. Closing this generator (or an
    exception in the consumer) stops the thread at its next item.
    """
    q: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                if not _put(q, (True, item), stop):
                    return
            _put(q, (True, _END), stop)
        except BaseException as err:  # handed to the consumer
            _put(q, (False, err), stop)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        while True:
            ok, item = q.get()
            if not ok:
                raise item
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


class BackgroundWorker:
    """Calls *func* on each submitted item in one background thread.

    ``close()`` waits for the pending items and raises the first error
    *func* raised; after an error, further items are dropped (the error is
    what matters). Use as a context manager.
    """

    def __init__(self, func: Callable[[T], object], depth: int = 64, name: str = "kg-worker") -> None:
        self.func = func
        self.queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is _END:
                return
            if self.error is None:
                try:
                    self.func(item)
                except BaseException as err:
                    self.error = err

    def submit(self, item: T) -> None:
        if self.error is not None:
            self._raise()
        self.queue.put(item)

    def close(self) -> None:
        """Wait for every submitted item; raise the first error, if any."""
        if self.thread.is_alive():
            self.queue.put(_END)
            self.thread.join()
        if self.error is not None:
            self._raise()

    def _raise(self) -> None:
        err, self.error = self.error, None
        raise err

    def __enter__(self) -> "BackgroundWorker":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
        else:  # the caller's error wins; still finish what was submitted
            try:
                self.close()
            except Exception as err:  # whatever func raised: kept as a note on the caller's error, not lost
                value.add_note(f"meanwhile {self.thread.name} failed: {type(err).__name__}: {err}")
