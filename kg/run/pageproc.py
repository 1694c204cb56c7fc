"""The page process of a build: ``graph.html`` made by a second interpreter
beside the build's last stages (kg's page code needs no spaCy).

:class:`PageProcess` is the build's side; :func:`main` runs in the child and
takes its jobs as JSON lines on stdin. :func:`start_before_nlp` and
:func:`start_after_nlp` are the rule for when a build starts one; the
knobs are :data:`PAGE_MEMORY_BYTES` and :data:`PARALLEL_PAGE_DOCS`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["PAGE_MEMORY_BYTES", "PARALLEL_PAGE_DOCS", "PageProcess", "main", "start_after_nlp", "start_before_nlp"]


class PageProcess:
    """``graph.html`` of a build, written by a child interpreter (kg's page
    code needs no spaCy). The child is started when a core is idle (see
    :func:`start_before_nlp`), imports what the page needs, and waits for a
    job:

    - :meth:`follow`: load the N-Triples file the build is writing into
      memory as it grows; :meth:`complete` says it is done (or, if it
      turned out too large for memory, that the page is to be read from the
      store, which :meth:`read_store` then hands over);
    - :meth:`start`: load a finished N-Triples file, or read the finished
      store.

    :meth:`wait` gives the page's path, or None if the child failed (the
    caller then makes the page itself)."""

    CODE = "from kg.run.pageproc import main\nmain()\n"

    @classmethod
    def spawn(cls) -> "PageProcess | None":
        """A waiting page process, or None if none can be started here."""
        try:
            return cls()
        except OSError:
            return None

    def __init__(self) -> None:
        import subprocess

        root = str(Path(__file__).resolve().parents[2])  # the folder that holds kg/
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
               "PYTHONWARNINGS": "ignore"}
        self.path: Path | None = None
        self.needs_store = False
        self.errors = tempfile.TemporaryFile()
        # The child is given this process's id: it dies with it (kg.lifeline).
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE, str(os.getpid())], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=self.errors, env=env)

    def _send(self, message: dict, last: bool) -> None:
        try:
            self.proc.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            if last:
                self.proc.stdin.close()
        except OSError:  # the child is gone: wait() says so
            pass

    def start(self, html_path: Path, *, ntriples: Path | None = None, store: Path | None = None) -> None:
        """Make the page at *html_path* from the finished N-Triples file
        *ntriples* (loaded into memory) or from the finished *store*."""
        self.path = html_path
        self._send({"page": str(html_path), **({"ntriples": str(ntriples)} if ntriples is not None
                                                else {"store": str(store)})}, last=True)

    def follow(self, html_path: Path, ntriples: Path, *, limit: int) -> None:
        """Make the page at *html_path* from the N-Triples file *ntriples*,
        loaded into memory as this process writes it (unless it grows past
        *limit* bytes: then from the store)."""
        self.path = html_path
        self._send({"page": str(html_path), "follow": str(ntriples), "limit": limit}, last=False)

    def complete(self, *, in_memory: bool, store_coming: bool) -> None:
        """The followed file is written. If it is too large for memory
        (not *in_memory*), the page is read from the store if one is
        *store_coming* (:meth:`read_store`), else this process makes it."""
        if in_memory:
            self._send({"complete": True}, last=True)
        else:
            self.needs_store = store_coming
            self._send({"complete": False}, last=not store_coming)

    def read_store(self, store: Path) -> None:
        self.needs_store = False
        self._send({"store": str(store)}, last=True)

    def wait(self) -> Path | None:
        code = self.proc.wait()
        self.errors.close()
        return self.path if code == 0 and self.path is not None and self.path.exists() else None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.errors.close()


#: Graphs whose N-Triples are at most this large are loaded into the page
#: process's memory (about half the time of writing the store, which the
#: page would otherwise wait for); larger ones are read from the store. The
#: page process takes about 3.5 bytes a byte of them, beside the build:
#: at 256 MiB, a build of one 5 MB document peaked at 990 MiB.
PAGE_MEMORY_BYTES = 64 * 1024 * 1024
#: A build whose page process was not started with it (worker processes and
#: the model already loaded) starts one from this many documents; smaller
#: ones make the page in-process (the start-up would cost more).
PARALLEL_PAGE_DOCS = 100


def start_before_nlp(wanted: bool, *, workers: int, dask: str | None, model: str | None,
                     gazetteers: tuple[str, ...]) -> "PageProcess | None":
    """The page process of a build that makes a page (*wanted*), if it is to
    start before the NLP.

    The page is made by a second process, started when a core is idle, so
    that it has imported what it needs by the time the graph is ready: now,
    if the model is to be loaded (one core) or spaCy runs in this process
    (it leaves the second core mostly idle); otherwise, as spaCy's worker
    processes keep every core busy, when the NLP ends
    (:func:`start_after_nlp`)."""
    from ..nlp.pipeline import pipeline_loaded

    early = wanted and not dask and (workers <= 1 or not pipeline_loaded(model, gazetteers))
    return PageProcess.spawn() if early else None


def start_after_nlp(page: "PageProcess | None", wanted: bool, documents: int) -> "PageProcess | None":
    """The page process once the NLP has ended: *page* if one was started
    before it, else a new one for a graph of at least
    :data:`PARALLEL_PAGE_DOCS` *documents* (for smaller ones the start-up
    is not worth it: the page is made in this process)."""
    if page is None and wanted and documents >= PARALLEL_PAGE_DOCS:
        page = PageProcess.spawn()
    return page


class _Messages:
    """JSON lines from the build process on stdin, read unbuffered so that
    :meth:`ready` can poll for one while a file is followed."""

    def __init__(self, fd: int = 0) -> None:
        self.fd, self.buffer = fd, b""

    def ready(self) -> bool:
        import select

        return b"\n" in self.buffer or bool(select.select([self.fd], [], [], 0)[0])

    def next(self) -> dict | None:
        """The next message, or None at the end of the input."""
        while b"\n" not in self.buffer:
            block = os.read(self.fd, 65536)
            if not block:
                return None
            self.buffer += block
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)


def main() -> None:
    """The page process (see :class:`PageProcess`)."""
    from kg.lifeline import die_with_parent

    # Killed with the build: a page made after its build died would join another build's outputs.
    die_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else None)

    from kg.errors import ExportError
    from kg.store import memory_store_graph, open_store_graph
    from kg.viz import prepare, write_html

    prepare()
    messages = _Messages()
    job = messages.next()
    if job is None:
        return
    graph = None
    if "follow" in job:
        ended: list[bool] = []

        def state() -> bool | None:
            if not ended and messages.ready():
                message = messages.next()
                ended.append(bool(message and message.get("complete")))
            return ended[0] if ended else None

        try:
            graph = memory_store_graph(job["follow"], state=state, limit=job["limit"])
        except ExportError:  # too large for memory: the store, if one comes
            message = messages.next()
            while message is not None and "store" not in message:
                message = messages.next()
            if message is None:
                sys.exit(1)
            graph = open_store_graph(message["store"])
    elif "ntriples" in job:
        graph = memory_store_graph(job["ntriples"])
    else:
        graph = open_store_graph(job["store"])
    write_html(graph, job["page"])  # written and renamed into place: nothing is left to flush
    sys.stderr.flush()
    os._exit(0)  # the build waits for this exit: skip tearing down the stores and modules (0.15 s)
