"""What a long operation is doing, on a terminal: its stages, one line each.

A :class:`Progress` shows the running stage on one line of its stream
(stderr), rewritten in place with its counts and the time it has taken; when
the next stage starts the line is finished with a newline, so the terminal
keeps one line per stage::

    kg: loading the spaCy pipeline (1.1 s)
    kg: reading and NLP: 16/16 documents read, 16 parsed (7.9 s)
    kg: resolution (0.1 s)

It draws only on a terminal: :meth:`Progress.for_stream` turns it off when
the stream is not one, or for ``quiet``; the environment variable
``KG_PROGRESS=1`` turns it on anyway (``0`` turns it off). Counting is cheap:
:meth:`Progress.add` redraws at most every :data:`INTERVAL` seconds, so a
counter can be advanced once per document. Nothing is ever written to stdout.

>>> import io
>>> class Terminal(io.StringIO):
...     def isatty(self):
...         return True
>>> clock = iter(range(100)).__next__
>>> with Progress(Terminal(), clock=clock) as progress:
...     progress.stage("reading", "documents")
...     progress.total("documents", 3)
...     for _ in range(3):
...         progress.add("documents")
>>> print(progress.stream.getvalue().split("\\r")[-1], end="")
kg: reading: 3/3 documents (4.0 s)
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["ENV", "INTERVAL", "Progress"]

T = TypeVar("T")

#: The environment variable that turns the display on (``1``) or off (``0``)
#: whether or not stderr is a terminal.
ENV = "KG_PROGRESS"
#: Seconds between two redraws of a stage's line while it counts.
INTERVAL = 0.25


class Progress:
    """Stages and counts of an operation, drawn on *stream* if *enabled*.

    Counters are named by what they count ("documents read"); each stage
    shows those it names, with their totals when known. :meth:`add` may be
    called from another thread than :meth:`stage` (each counter from one
    thread only).
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True,
                 clock: Callable[[], float] = time.monotonic, interval: float = INTERVAL,
                 width: int | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.clock = clock
        self.interval = interval
        self.width = width
        self.counts: dict[str, list] = {}  # name -> [done, total or None]
        self._name: str | None = None
        self._shown: tuple[str, ...] = ()
        self._started = 0.0
        self._next = 0.0
        self._drawn = 0
        self._lock = threading.Lock()

    @classmethod
    def for_stream(cls, stream: TextIO | None = None, *, quiet: bool = False, **options) -> "Progress":
        """A Progress drawn on *stream* (stderr) when it is a terminal and
        not *quiet*; ``KG_PROGRESS=1`` draws it on any stream, ``0`` never."""
        stream = sys.stderr if stream is None else stream
        forced = os.environ.get(ENV, "").strip()
        if quiet or forced == "0":
            enabled = False
        elif forced == "1":
            enabled = True
        else:
            try:
                enabled = stream.isatty()
            except (AttributeError, ValueError):  # no isatty, or a closed stream
                enabled = False
        return cls(stream, enabled=enabled, **options)

    # ------------------------------------------------------------------ counting

    def stage(self, name: str, *counters: str) -> None:
        """End the current stage (its line keeps its counts and time) and
        start *name*, showing *counters*."""
        if not self.enabled:
            return
        with self._lock:
            self._end()
            self._name, self._shown = name, counters
            for counter in counters:
                self.counts.setdefault(counter, [0, None])
            self._started = self.clock()
            self._next = self._started + self.interval
            self._draw(self._started)

    def total(self, counter: str, total: int | None) -> None:
        """Set how many *counter* will count, once it is known."""
        if self.enabled:
            self.counts.setdefault(counter, [0, None])[1] = total

    def add(self, counter: str, n: int = 1) -> None:
        """Count *n* more; redraw if the last redraw is old enough."""
        if not self.enabled:
            return
        entry = self.counts.get(counter)
        if entry is None:
            entry = self.counts.setdefault(counter, [0, None])
        entry[0] += n
        now = self.clock()
        if now >= self._next and self._lock.acquire(blocking=False):
            try:
                self._next = now + self.interval
                self._draw(now)
            finally:
                self._lock.release()

    def each(self, items: Iterable[T], counter: str) -> Iterator[T]:
        """*items*, counting each under *counter* as it passes."""
        if not self.enabled:
            yield from items
            return
        for item in items:
            self.add(counter)
            yield item

    def close(self) -> None:
        """End the last stage's line."""
        if self.enabled:
            with self._lock:
                self._end()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ drawing

    def _line(self, now: float) -> str:
        parts = []
        for i, counter in enumerate(self._shown):
            done, total = self.counts[counter]
            if total is not None:
                parts.append(f"{done}/{total} {counter}")
            elif done or i == 0:
                parts.append(f"{done} {counter}")
        counts = f": {', '.join(parts)}" if parts else ""
        return f"kg: {self._name}{counts} ({now - self._started:.1f} s)"

    def _draw(self, now: float, end: str = "") -> None:
        text = self._line(now)
        width = self.width or _columns(self.stream)
        if len(text) >= width:
            text = text[:width - 2] + "…"
        pad = " " * max(0, self._drawn - len(text))
        self.stream.write(f"\r{text}{pad}{end}")
        self.stream.flush()
        self._drawn = 0 if end else len(text)

    def _end(self) -> None:
        if self._name is not None:
            self._draw(self.clock(), end="\n")
            self._name = None


def _columns(stream) -> int:
    """The width of the terminal *stream* writes to (80 if unknown)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):  # not a file, not a terminal (io.UnsupportedOperation is both)
        return 80
