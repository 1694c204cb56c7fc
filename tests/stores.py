"""Real triple stores for the tests: start a server on 127.0.0.1, load a
Turtle file, ask it SPARQL over HTTP, stop it.

Every wait is bounded; a server that dies or does not answer in time raises
:class:`StoreError` with the tail of its log. A missing program is
:class:`StoreMissing`; :func:`require` turns it into a skip on a developer's
machine and into a failure in CI (``CI=true``), so CI proves the stores work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

HOST = "127.0.0.1"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


class StoreError(RuntimeError):
    """A store did not start, load or answer as expected."""


class StoreMissing(StoreError):
    """The store's program is not installed."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(program: str, install: str) -> str:
    """The path of *program*; if it is missing, skip the test, or fail it in CI."""
    import pytest

    path = find_program(program)
    if path is None:
        message = f"{program} is not installed ({install})"
        if in_ci():
            pytest.fail(f"{message}; CI must run the triple-store tests", pytrace=False)
        pytest.skip(message)
    return path


def find_program(name: str) -> str | None:
    """*name* on PATH, or beside the running Python (a venv's bin/, where
    ``pip install oxigraph`` puts its program)."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Server:
    """A store running as a child process."""

    name: str
    proc: subprocess.Popen
    log: Path
    query_url: str
    #: The graph IRI the data is loaded into (None: the default graph).
    graph_iri: str | None = None
    started_in: float = 0.0
    extra: dict = field(default_factory=dict)

    def wait_until(self, check, timeout: float, what: str) -> float:
        """Poll *check* until it is true; the seconds it took."""
        start = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                raise StoreError(f"{self.name} exited with status {self.proc.returncode} while waiting for {what}:\n"
                                 f"{_tail(self.log)}")
            if check():
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise StoreError(f"{self.name}: no {what} after {timeout:.0f} s:\n{_tail(self.log)}")
            time.sleep(0.2)

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)

    def select(self, query: str) -> tuple[list[str], list[dict]]:
        """Run a SELECT query; (variables, bindings as SPARQL JSON dicts)."""
        params = {"query": query}
        if self.graph_iri:
            params["default-graph-uri"] = self.graph_iri
        data = json.loads(http("POST", self.query_url, urllib.parse.urlencode(params).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/sparql-results+json"}))
        return data["head"]["vars"], data["results"]["bindings"]

    def construct_all(self):
        """Every triple the store holds (in its default graph, or the graph it
        was loaded into), as an rdflib Graph."""
        from rdflib import Graph

        params = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}
        if self.graph_iri:
            params["default-graph-uri"] = self.graph_iri
        data = http("POST", self.query_url, urllib.parse.urlencode(params).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/n-triples"})
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def count_triples(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"]["value"])


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 60) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace")[:2000]
        raise StoreError(f"{method} {url}: HTTP {err.code}: {detail}") from None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _spawn(argv: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    fh = open(log, "wb")
    try:
        return subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
    finally:
        fh.close()


# --------------------------------------------------------------------------- Oxigraph


def start_oxigraph(program: str, workdir: Path, timeout: float = 30) -> Server:
    """``oxigraph serve`` on a free port with its data in *workdir*."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    t0 = time.monotonic()
    proc = _spawn([program, "serve", "--location", str(workdir / "db"), "--bind", f"{HOST}:{port}"],
                  workdir / "oxigraph.log", workdir)
    server = Server("oxigraph", proc, workdir / "oxigraph.log", base + "/query", extra={"base": base})
    try:
        server.wait_until(lambda: _answers(base + "/query?query=" + urllib.parse.quote("ASK {}")), timeout,
                          "answer on " + base)
    except BaseException:
        server.stop()
        raise
    server.started_in = time.monotonic() - t0
    return server


def oxigraph_load(server: Server, turtle: Path) -> None:
    """POST the Turtle file into the default graph (Graph Store Protocol)."""
    http("POST", server.extra["base"] + "/store?default", turtle.read_bytes(),
         {"Content-Type": "text/turtle"})


# --------------------------------------------------------------------------- Virtuoso


def virtuoso_ini(template: str, workdir: Path, sql_port: int, http_port: int) -> str:
    """The Debian virtuoso.ini with its two ServerPorts changed, the database
    files in *workdir*, and *workdir* allowed for file_to_string_output."""
    out, section = [], None
    for line in template.replace("/var/lib/virtuoso-opensource-7/db", str(workdir)).splitlines():
        heading = re.match(r"\s*\[(.+?)\]", line)
        if heading:
            section = heading.group(1)
        if re.match(r"\s*ServerPort\s*=", line) and section in ("Parameters", "HTTPServer"):
            line = f"ServerPort = {sql_port if section == 'Parameters' else http_port}"
        elif re.match(r"\s*DirsAllowed\s*=", line):
            line = line.rstrip() + f", {workdir}"
        elif re.match(r"\s*DefaultHost\s*=", line):
            line = f"DefaultHost = {HOST}:{http_port}"
        elif re.match(r"\s*ResultSetMaxRows\s*=", line):
            line = "ResultSetMaxRows = 1000000"  # a CONSTRUCT of the whole graph must not be cut
        out.append(line)
    text = "\n".join(out) + "\n"
    if text.count("ServerPort = ") < 2 or str(workdir) not in text:
        raise StoreError("virtuoso.ini: could not set the ports and folders (has its layout changed?)")
    return text


def start_virtuoso(program: str, workdir: Path, timeout: float = 90) -> Server:
    """``virtuoso-t +foreground`` with a private database in *workdir*."""
    if not VIRTUOSO_INI.is_file():
        raise StoreMissing(f"{VIRTUOSO_INI} is missing (apt-get install virtuoso-opensource)")
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text("utf-8"), workdir, sql_port, http_port), "utf-8")
    base = f"http://{HOST}:{http_port}"
    t0 = time.monotonic()
    proc = _spawn([program, "+configfile", str(ini), "+foreground"], workdir / "virtuoso.out", workdir)
    server = Server("virtuoso", proc, workdir / "virtuoso.out", base + "/sparql",
                    extra={"sql_port": sql_port, "base": base})
    try:
        server.wait_until(lambda: _answers(base + "/sparql?query=" + urllib.parse.quote("ASK {}")), timeout,
                          "SPARQL endpoint on " + base)
    except BaseException:
        server.stop()
        raise
    server.started_in = time.monotonic() - t0
    return server


def isql(server: Server, program: str, statement: str, timeout: float = 120) -> str:
    """Run one SQL statement with isql-vt as dba; its output, or StoreError."""
    proc = subprocess.run([program, str(server.extra["sql_port"]), "dba", "dba", f"exec={statement}"],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 or "*** Error" in output:
        raise StoreError(f"isql-vt {statement!r} failed (status {proc.returncode}):\n{output[-2000:]}")
    return output


def virtuoso_load(server: Server, isql_program: str, turtle: Path, graph_iri: str) -> None:
    """Load *turtle* into the named graph *graph_iri* with DB.DBA.TTLP_MT. The
    file must be inside DirsAllowed (the server's workdir)."""
    if "'" in str(turtle) or "'" in graph_iri:
        raise StoreError("quote in a path or graph IRI")
    isql(server, isql_program,
         f"DB.DBA.TTLP_MT(file_to_string_output('{turtle}'), '', '{graph_iri}');")
    server.graph_iri = graph_iri


# --------------------------------------------------------------------------- rapper


def rapper_triples(program: str, path: Path, syntax: str = "turtle"):
    """The triples ``rapper`` reads from *path*, as an rdflib Graph (through N-Triples)."""
    from rdflib import Graph

    proc = subprocess.run([program, "-q", "-i", syntax, "-o", "ntriples", str(path)], capture_output=True,
                          timeout=120)
    if proc.returncode != 0:
        raise StoreError(f"rapper could not parse {path} (status {proc.returncode}):\n"
                         f"{proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    return Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")


def rapper_count(program: str, path: Path, syntax: str = "turtle") -> int:
    """The triple count ``rapper`` reports for *path* (it fails on a parse error)."""
    proc = subprocess.run([program, "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise StoreError(f"rapper could not parse {path} (status {proc.returncode}):\n{proc.stderr[-2000:]}")
    match = re.search(r"Parsing returned (\d+) triples", proc.stderr)
    if not match:
        raise StoreError(f"rapper printed no count:\n{proc.stderr[-2000:]}")
    return int(match.group(1))


# --------------------------------------------------------------------------- comparing answers


def concat_columns(query: str) -> dict[str, str]:
    """Result columns made by GROUP_CONCAT, with their separators (their
    order of parts is not defined by SPARQL, so parts compare as a set)."""
    out = {}
    for match in re.finditer(r"\bAS\s+\?(\w+)\s*\)", query, flags=re.I):
        # Walk back to the "(" that opens this "(expression AS ?var)".
        depth, i = 0, match.start()
        while i > 0:
            i -= 1
            if query[i] == ")":
                depth += 1
            elif query[i] == "(":
                if depth == 0:
                    break
                depth -= 1
        expression = query[i:match.start()]
        if re.search(r"\bGROUP_CONCAT\s*\(", expression, flags=re.I):
            sep = re.search(r"separator\s*=\s*(\"[^\"]*\"|'[^']*')", expression, flags=re.I)
            out[match.group(1)] = sep.group(1)[1:-1] if sep else " "
    return out


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


def lexical(value: str, datatype: str | None = None) -> str:
    """A literal's lexical form; numbers in one canonical form, because stores
    may rewrite them (Oxigraph writes the decimal 120.0 as 120)."""
    if datatype in _NUMERIC:
        try:
            return format(Decimal(value.strip()).normalize(), "f")
        except InvalidOperation:
            return value
    return value


def _cell(value: str | None, datatype: str | None, sep: str | None):
    if value is None:
        return None
    if sep is not None:
        return tuple(sorted(part for part in value.split(sep) if part))
    return lexical(value, datatype)


def rows_from_json(variables: list[str], bindings: list[dict], query: str) -> Counter:
    """A multiset of rows from SPARQL JSON results, each value as its lexical
    form (None: unbound; a GROUP_CONCAT column: the sorted tuple of its parts)."""
    concat = concat_columns(query)
    return Counter(tuple(_cell(b[v]["value"], b[v].get("datatype"), concat.get(v)) if v in b else None
                         for v in variables) for b in bindings)


def rows_from_rdflib(result, query: str) -> tuple[list[str], Counter]:
    """(variables, rows) of an rdflib SELECT result, as :func:`rows_from_json` makes them."""
    concat = concat_columns(query)
    variables = [str(v) for v in result.vars]
    rows = Counter(tuple(None if row[i] is None else
                         _cell(str(row[i]), str(getattr(row[i], "datatype", None) or ""), concat.get(v))
                         for i, v in enumerate(variables)) for row in result)
    return variables, rows


def triple_key(triple) -> tuple:
    """A triple with its literal in canonical form, for comparing graphs that
    went through a store (no blank nodes in kg's graphs)."""
    from rdflib import Literal

    def term(t):
        if isinstance(t, Literal):
            dt = str(t.datatype) if t.datatype else None
            if dt in _NUMERIC:  # Virtuoso stores the decimal 21.0 as the integer 21
                return ("number", lexical(str(t), dt))
            return ("literal", str(t), dt, t.language)
        return (type(t).__name__, str(t))

    return tuple(term(t) for t in triple)


def difference(expected: Counter, got: Counter, limit: int = 8) -> str:
    """What one multiset of rows has that the other lacks, for a message."""
    missing, extra = expected - got, got - expected
    lines = [f"{sum(missing.values())} rows missing, {sum(extra.values())} unexpected"]
    lines += [f"  missing: {row}" for row in list(missing)[:limit]]
    lines += [f"  unexpected: {row}" for row in list(extra)[:limit]]
    return "\n".join(lines)
