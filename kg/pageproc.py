"""The page process of a build: ``graph.html`` made by a second interpreter
beside the build's last stages (kg's page code needs no spaCy).

:class:`PageProcess` is the build's side; :func:`main` runs in the child and
takes its jobs as JSON lines on stdin.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["PageProcess", "main"]


class PageProcess:
    """``graph.html`` of a build, written by a child interpreter (kg's page
    code needs no spaCy). The child is started when a core is idle (see
    :func:`kg.builder._build_docs`), imports what the page needs, and waits for a job:

    - :meth:`follow`: load the N-Triples file the build is writing into
      memory as it grows; :meth:`complete` says it is done (or, if it
      turned out too large for memory, that the page is to be read from the
      store, which :meth:`read_store` then hands over);
    - :meth:`start`: load a finished N-Triples file, or read the finished
      store.

    :meth:`wait` gives the page's path, or None if the child failed (the
    caller then makes the page itself)."""

    CODE = "from kg.pageproc import main\nmain()\n"

    @classmethod
    def spawn(cls) -> "PageProcess | None":
        """A waiting page process, or None if none can be started here."""
        try:
            return cls()
        except OSError:
            return None

    def __init__(self) -> None:
        import subprocess

        root = str(Path(__file__).resolve().parent.parent)
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
