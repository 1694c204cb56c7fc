"""`kg serve` under load: N clients sending the shipped queries for T seconds.

    python bench/serve_load.py load OUT                   # 50 clients, 20 s, against `kg serve --graph OUT`
    python bench/serve_load.py load OUT --clients 10 --seconds 5 --serve-arg=--max-workers=2
    python bench/serve_load.py make-store BIG --from OUT  # a ~1M-triple store in BIG/store
    python bench/serve_load.py load BIG/store             # the same load on it

``load`` starts ``kg serve --graph OUT --port 0 --quiet`` (this checkout's
kg, with any ``--serve-arg``), waits for its URL, then runs ``--clients``
threads for ``--seconds``: each sends the shipped queries (``kg/queries``;
``profile``'s ``?entity`` bound with ``VALUES`` to ``--entity``) one after
another, starting at a different one (after 8 clients sent each query once,
so the figures are not those of a worker's first parse), as GET ``/sparql?query=...`` with
``Accept: application/sparql-results+json`` on a kept-alive connection, and
sends the next as soon as an answer is read (no pause: the harshest load).
It prints the load average before it starts, answers and errors by kind
(503 busy, 503 timeout, other statuses, connection errors), latency
percentiles overall and per query, answers per second and the CPU seconds
the server, its living worker processes and the clients used, then stops
the server. The exit status is 1 if any request failed.

``make-store`` writes copies of OUT's graph.ttl, IRIs under
``https://w3id.org/kg/id/`` renamed per copy (``.../id/c1/``, ``.../id/c2/``
...; copy 0 keeps them, so ``--entity`` finds its entity), until
``--triples`` (default 1,000,000), bulk-loaded into BIG/store by
:func:`kg.store.write_store` as a build does. Synthetic, but with the
graph's shape: every shipped query has a hundred times the seeds' work.

The clients run in this process (threads: a few per cent of a core at the
rates measured); the machine's load average is printed so a figure can be
judged. Not part of the test suite (``tests/test_serve.py`` runs a short
load).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "kg" / "queries"
ENTITY = "https://w3id.org/kg/id/person/xi-jinping"
ID_NS = "https://w3id.org/kg/id/"


# ---------------------------------------------------------------- the queries


def shipped_queries(entity: str = ENTITY) -> dict[str, str]:
    """The shipped queries' text by name; a query with an entity parameter
    gets ``VALUES ?VAR { <entity> }`` at the start of its WHERE."""
    sys.path.insert(0, str(ROOT))
    from kg.query import list_queries

    texts = {}
    for query in list_queries():
        text = query.text
        for var in query.entity_params.values():
            text = re.sub(r"\bWHERE\s*\{", f"WHERE {{\n  VALUES ?{var} {{ <{entity}> }}", text, count=1)
        texts[query.name] = text
    return texts


# ---------------------------------------------------------------- the server


def start_server(graph: str, serve_args: list[str]) -> tuple[subprocess.Popen, str, int]:
    """``kg serve`` on a free port: (process, host, port)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", graph, "--port", "0", "--quiet",
                             *serve_args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.search(r"http://([^:/]+):(\d+)/", line)
    if not match:
        proc.kill()
        raise SystemExit(f"kg serve did not start: {line}{proc.stderr.read()}")
    return proc, match.group(1), int(match.group(2))


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()
    proc.stderr.close()


# ---------------------------------------------------------------- the clients


class Tally:
    """What the clients saw: per query name, latencies of answers and the kinds of errors."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)

    def answer(self, name: str, seconds: float) -> None:
        with self.lock:
            self.latency[name].append(seconds)

    def error(self, name: str, kind: str) -> None:
        with self.lock:
            self.errors[name][kind] += 1


def _error_kind(status: int, body: bytes) -> str:
    if status == 503 and b"too many" in body:
        return "503 busy"
    if status == 503 and b"longer than" in body:
        return "503 timeout"
    return f"{status} {body[:60].decode('utf-8', 'replace').strip()}"


def client(host: str, port: int, queries: list[tuple[str, str]], start: int, stop_at: float, tally: Tally,
           request_timeout: float, once: bool = False) -> None:
    """Send *queries* in turn from the *start*-th until *stop_at* (or each once)."""
    conn = None
    i = start
    while time.monotonic() < stop_at and not (once and i == start + len(queries)):
        name, path = queries[i % len(queries)]
        i += 1
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=request_timeout)
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.monotonic() - t0
            if response.status == 200:
                tally.answer(name, elapsed)
            else:
                tally.error(name, _error_kind(response.status, body))
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as err:
            tally.error(name, f"connection: {type(err).__name__}")
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of process *pid*, and of its living
    children (Linux /proc; zeros elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def of(p: str) -> tuple[float, int]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick, int(fields[1])

    try:
        own, children = of(str(pid))[0], 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                seconds, parent = of(stat.parent.name)
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                children += seconds
        return own, children
    except OSError:
        return 0.0, 0.0


def percentile(values: list[float], q: float) -> float:
    """The *q*-quantile (0-1) of *values*, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def run_load(host: str, port: int, queries: dict[str, str], clients: int, seconds: float,
             request_timeout: float, once: bool = False) -> Tally:
    paths = [(name, "/sparql?" + urlencode({"query": text})) for name, text in sorted(queries.items())]
    tally = Tally()
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(host, port, paths, k, stop_at, tally, request_timeout, once),
                                daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + request_timeout + 30)
    return tally


def report(tally: Tally, seconds: float, clients: int) -> int:
    """Print the figures; the number of failed requests."""
    latencies = [s for values in tally.latency.values() for s in values]
    errors = Counter()
    for counts in tally.errors.values():
        errors.update(counts)
    total = len(latencies) + sum(errors.values())
    print(f"clients {clients}, {seconds:g} s: {total} requests, {len(latencies)} answered "
          f"({100 * len(latencies) / max(total, 1):.1f}%), {sum(errors.values())} errors, "
          f"{len(latencies) / seconds:.1f} answers/s")
    for kind, n in errors.most_common():
        print(f"  error {kind}: {n}")
    if latencies:
        print(f"latency: p50 {percentile(latencies, 0.5):.3f} s, p95 {percentile(latencies, 0.95):.3f} s, "
              f"p99 {percentile(latencies, 0.99):.3f} s, max {max(latencies):.3f} s, "
              f"mean {statistics.fmean(latencies):.3f} s")
    print(f"  {'query':<13} {'answers':>7} {'errors':>6} {'p50':>7} {'p99':>7}")
    for name in sorted(set(tally.latency) | set(tally.errors)):
        values = tally.latency.get(name, [])
        p50 = f"{percentile(values, 0.5):.3f}" if values else "-"
        p99 = f"{percentile(values, 0.99):.3f}" if values else "-"
        print(f"  {name:<13} {len(values):>7} {sum(tally.errors[name].values()):>6} {p50:>7} {p99:>7}")
    return sum(errors.values())


def load(args: argparse.Namespace) -> int:
    queries = shipped_queries(args.entity)
    if args.queries:
        wanted = args.queries.split(",")
        unknown = set(wanted) - set(queries)
        if unknown:
            raise SystemExit(f"no shipped queries {', '.join(sorted(unknown))}; they are {', '.join(queries)}")
        queries = {name: queries[name] for name in wanted}
    proc, host, port = start_server(args.graph, args.serve_arg)
    try:
        if args.warm:  # each query from 8 clients at once: every worker has parsed them
            run_load(host, port, queries, 8, args.request_timeout, args.request_timeout, once=True)
        load1, load5, _ = os.getloadavg()
        print(f"kg serve --graph {args.graph} {' '.join(args.serve_arg)}".rstrip())
        print(f"load average before: {load1:.2f} (1 min), {load5:.2f} (5 min); {os.cpu_count()} cores")
        server_cpu, workers_cpu = cpu_seconds(proc.pid)
        clients_cpu = time.process_time()
        tally = run_load(host, port, queries, args.clients, args.seconds, args.request_timeout)
        server_cpu, workers_cpu = (a - b for a, b in zip(cpu_seconds(proc.pid), (server_cpu, workers_cpu)))
        clients_cpu = time.process_time() - clients_cpu
        print(f"CPU seconds in the run: server process {server_cpu:.1f}, its worker processes {workers_cpu:.1f} "
              f"(living ones), clients {clients_cpu:.1f}")
        if proc.poll() is not None:
            print(f"kg serve exited with status {proc.returncode}: {proc.stderr.read()}")
            return 1
    finally:
        stop_server(proc)
    return 1 if report(tally, args.seconds, args.clients) else 0


# ---------------------------------------------------------------- a large store


def make_store(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from kg.export import read_graph, serialize
    from kg.store import write_store

    base = serialize(read_graph(args.source), "nt").decode("utf-8").splitlines()
    base = [line for line in base if line.strip()]
    target = Path(args.folder)
    target.mkdir(parents=True, exist_ok=True)
    nt = target / "copies.nt"
    n, copy = 0, 0
    t0 = time.monotonic()
    with open(nt, "w", encoding="utf-8") as fh:
        while n < args.triples:
            prefix = ID_NS if copy == 0 else f"{ID_NS}c{copy}/"
            for line in base[: args.triples - n]:
                fh.write(line.replace(ID_NS, prefix) + "\n")
            n += min(len(base), args.triples - n)
            copy += 1
    write_store(nt, target)
    nt.unlink()
    print(f"{n:,} triples ({copy} copies of {len(base):,}) in {target / 'store'} "
          f"({time.monotonic() - t0:.1f} s); serve it with --graph {target / 'store'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="run N clients against kg serve")
    p.add_argument("graph", help="what kg serve --graph serves: a build folder, a store folder or an RDF file")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--queries", default="", help="comma-separated shipped query names (default: all)")
    p.add_argument("--entity", default=ENTITY, help=f"the IRI profile's ?entity is bound to (default {ENTITY})")
    p.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                   help="an argument for kg serve, e.g. --serve-arg=--max-workers=2 (repeatable)")
    p.add_argument("--request-timeout", type=float, default=120.0, help="a client gives up after this long")
    p.add_argument("--no-warm", dest="warm", action="store_false",
                   help="do not send each query from 8 clients first (so that every worker has parsed it)")
    p.set_defaults(func=load)
    p = sub.add_parser("make-store", help="write a large store of copies of a graph")
    p.add_argument("folder", help="the store is written to FOLDER/store")
    p.add_argument("--from", dest="source", default=str(ROOT / "out"), help="a build folder or RDF file (default out/)")
    p.add_argument("--triples", type=int, default=1_000_000)
    p.set_defaults(func=make_store)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
