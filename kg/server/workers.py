"""The worker processes of the endpoint: forked processes that each answer
one query at a time, sent down a pipe as a pickle (:class:`_Worker`), a pool
of them that replaces a worker killed at its deadline (:class:`_Pool`), and
the thread fallback without ``fork`` (:func:`_run_in_thread`)."""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from typing import Any, Callable

from ..errors import KGError, QueryRefused
from .negotiate import _HTTPError

__all__: list[str] = []

# Held while forking and while a thread of this process parses a query
# (pyparsing has a lock of its own), so that a forked child never inherits a
# lock held by a thread it does not have.
_FORK_LOCK = threading.Lock()


def _outcome(fn: Callable[[], Any]) -> tuple:
    """("ok", value) | ("error", status, message) | ("crash", message)."""
    try:
        return ("ok", fn())
    except _HTTPError as err:
        return ("error", err.status, err.message)
    except QueryRefused as err:
        return ("error", 403, str(err))
    except KGError as err:
        return ("error", 400, str(err))
    except BaseException as err:  # reported to the client as a 500, never lost
        return ("crash", f"{type(err).__name__}: {err}")


# Messages between the server and a worker: 8 bytes of length, then a pickle.
_HEADER = struct.Struct("!Q")


def _send_message(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    """*size* bytes from *fd*; None at end of file or past *deadline*
    (``time.monotonic()``; None waits for ever)."""
    chunks, needed = [], size
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while needed:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                return None
        chunk = os.read(fd, min(needed, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        needed -= len(chunk)
    return b"".join(chunks)


def _receive_message(fd: int, deadline: float | None = None) -> tuple[str, Any]:
    """("ok", object) | ("eof",) | ("timeout",)."""
    header = _read_exactly(fd, _HEADER.size, deadline)
    body = None if header is None else _read_exactly(fd, _HEADER.unpack(header)[0], deadline)
    if body is None:
        return ("timeout",) if deadline is not None and time.monotonic() >= deadline else ("eof",)
    return ("ok", pickle.loads(body))


class _Worker:
    """A forked process that answers one query at a time, sent down a pipe."""

    def __init__(self, answer: Callable[..., Any], inherited: list[int]) -> None:
        from ..lifeline import die_with_parent

        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        server = os.getpid()
        with _FORK_LOCK:
            pid = os.fork()
        if pid == 0:  # the worker: answer until the server closes the pipe, and leave without cleanup
            try:
                _close_in_worker(inherited + [request_write, reply_read])
                die_with_parent(server)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
                while True:
                    message = _receive_message(request_read)
                    if message[0] != "ok":
                        break
                    _send_message(reply_write, _outcome(lambda: answer(*message[1])))
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(reply_write)
        self.pid, self.requests, self.replies = pid, request_write, reply_read
        self._lock = threading.Lock()
        self._status: str | None = None

    def fds(self) -> list[int]:
        return [self.requests, self.replies]

    def ask(self, request: tuple, timeout: float) -> tuple:
        """The outcome of *request*, ("timeout",) after *timeout* seconds (the
        worker is then killed), or ("died", message) if the worker died."""
        try:
            _send_message(self.requests, request)
        except OSError:  # it died since its last answer
            return ("died", f"the query worker died ({self.stop()})")
        reply = _receive_message(self.replies, time.monotonic() + timeout)
        if reply[0] == "ok":
            return reply[1]
        status = self.stop()
        return ("timeout",) if reply[0] == "timeout" else ("died", f"the query worker died ({status})")

    def kill(self) -> None:
        """Kill the process (:meth:`stop` reaps it)."""
        with self._lock:
            if self._status is None:
                os.kill(self.pid, signal.SIGKILL)

    def stop(self) -> str:
        """Kill the process, reap it and close its pipes, once; how it ended."""
        with self._lock:
            if self._status is None:
                os.kill(self.pid, signal.SIGKILL)
                _, status = os.waitpid(self.pid, 0)
                self._status = f"wait status {status}"
                for fd in self.fds():
                    os.close(fd)
            return self._status


def _close_in_worker(fds: list[int]) -> None:
    """Close, in a new worker, *fds* (the other workers' pipes) and the
    server's sockets: a worker must not hold the listening socket or a
    client's connection open."""
    import stat

    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in names:
        try:
            fd = int(name)
            if fd > 2 and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except (OSError, ValueError):
            pass


class _Pool:
    """*size* persistent worker processes (:class:`_Worker`), forked once.
    A query waits for an idle one; a worker that runs past the deadline is
    killed, and a new one forked in its place.

    Every worker is forked by one thread of the pool's own, which lives as
    long as the pool: Linux kills a worker when the *thread* that forked it
    ends (``PR_SET_PDEATHSIG``), so a request's thread must not fork."""

    def __init__(self, size: int, answer: Callable[..., Any]) -> None:
        import queue

        self._answer = answer
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._available = threading.Semaphore(0)
        self._workers: set[_Worker] = set()
        self._closed = False
        self._orders: queue.SimpleQueue = queue.SimpleQueue()
        self._forker = threading.Thread(target=self._fork_on_order, name="kg-sparql-forker", daemon=True)
        self._forker.start()
        for _ in range(size):
            self._orders.put(True)
        for _ in range(size):  # all forked before the server answers
            self._available.acquire()
        for _ in range(size):
            self._available.release()
        with self._lock:
            started = len(self._workers)
        if started < size:
            self.close()
            raise KGError(f"could start only {started} of {size} query workers", hint="see the error above")

    def _fork_on_order(self) -> None:
        while self._orders.get():
            with self._lock:
                inherited = [fd for worker in self._workers for fd in worker.fds()]
            try:
                worker = _Worker(self._answer, inherited)
            except OSError as err:  # no more processes or pipes: the pool runs short
                print(f"kg: cannot start a query worker: {err}", file=sys.stderr)
                self._available.release()  # a waiting request then finds no worker and answers busy
                continue
            with self._lock:
                closed = self._closed
                if not closed:
                    self._workers.add(worker)
                    self._idle.append(worker)
            if closed:
                worker.stop()
            else:
                self._available.release()

    def _fork(self) -> None:
        """A new worker, idle once forked."""
        self._orders.put(True)

    def pids(self) -> set[int]:
        """The workers' process ids."""
        with self._lock:
            return {worker.pid for worker in self._workers}

    def run(self, request: tuple, timeout: float, wait: float) -> tuple:
        """The outcome of *request* in an idle worker (see
        :meth:`_Worker.ask`), or ("busy",) if none became idle within *wait*
        seconds."""
        if not self._available.acquire(timeout=wait):
            return ("busy",)
        with self._lock:
            if self._closed or not self._idle:
                return ("busy",)
            worker = self._idle.pop()
        outcome = worker.ask(request, timeout)
        if outcome[0] in ("timeout", "died"):
            with self._lock:
                self._workers.discard(worker)
            self._fork()
            return outcome
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                self._available.release()
                return outcome
        worker.stop()
        return outcome

    def close(self) -> None:
        """Stop the workers; one answering a query is killed, and reaped by
        the thread that waits for it."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, self._workers - set(self._idle)
            self._idle, self._workers = [], set()
        self._orders.put(False)
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
        for _ in busy:  # wake any request still waiting for a worker
            self._available.release()


def _run_in_thread(fn: Callable[[bool], Any], timeout: float, release: Callable[[], None]) -> tuple:
    """Run ``fn(False)`` in a daemon thread; stop waiting after *timeout*
    seconds (the thread runs on, and calls *release* when it ends)."""
    box: list = []

    def target() -> None:
        try:
            box.append(_outcome(lambda: fn(False)))
        finally:
            release()

    thread = threading.Thread(target=target, name="kg-sparql-query", daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else ("timeout",)
