"""notebooks/explore.ipynb runs top to bottom (so it never rots): on the seeds, on
another corpus and on an existing build folder, offline, leaving nothing behind."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"

# A second corpus, written for this test: two short news items with places the
# gazetteer has coordinates for (Nairobi, Mombasa, Lima) and dated events.
CORPUS = {
    "nairobi-water-talks.md": """\
---
title: Kenya and Tanzania agree to share Lake Victoria data
date: 2024-05-14
---
President William Ruto of Kenya hosted President Samia Suluhu Hassan of Tanzania in Nairobi on
May 14, 2024. The two leaders signed an agreement on sharing water data from Lake Victoria and on
joint patrols against illegal fishing.

"Our lake feeds forty million people, and it will only stay healthy if we look after it together,"
Ruto said after the meeting.

Hassan will visit Mombasa on June 2 to open a new ferry terminal, officials in Dar es Salaam said.
""",
    "lima-relief.md": """\
---
title: Japan sends relief team to Peru after floods
date: 2024-03-08
---
Japan sent a disaster relief team to Lima on March 8, 2024, after floods destroyed homes along the
Rimac River. The Japan International Cooperation Agency said the team of 40 doctors and engineers
would stay for two weeks.

Peruvian President Dina Boluarte met the team in Lima on March 9 and thanked the Government of
Japan for its help. The United Nations also pledged emergency aid to Peru.
""",
}

# Run first in the kernel (not saved in the notebook): every attempt of Python code to
# reach another host (a socket connection, a name look-up, an HTTP request) is
# recorded and refused. The kernel's own messages go through ZeroMQ, not Python sockets.
GUARD = """\
import ipaddress, sys

_kg_network_attempts = []

def _kg_local(host):
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

def _kg_no_network(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
    elif event == "socket.getaddrinfo":
        host = args[0]
    elif event == "http.client.connect":
        host = args[1]
    elif event == "urllib.Request":
        host = args[0]
    else:
        return
    if not _kg_local(host):
        _kg_network_attempts.append(f"{event} {host!r}")
        raise OSError(f"the notebook tried to reach the network: {event} {host!r}")

sys.addaudithook(_kg_no_network)
"""
REPORT = 'print("network attempts:", _kg_network_attempts)'


def run_notebook(tmpdir, **env):
    """Execute the notebook with the KG_NOTEBOOK_* variables *env* (``build``,
    ``out``, ``entity``) and *tmpdir* as its temporary folder; return the
    executed notebook."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    with pytest.MonkeyPatch.context() as mp:  # the kernel inherits this environment
        for name in ("BUILD", "OUT", "ENTITY"):
            if name.lower() in env:
                mp.setenv(f"KG_NOTEBOOK_{name}", str(env[name.lower()]))
            else:
                mp.delenv(f"KG_NOTEBOOK_{name}", raising=False)
        mp.setenv("TMPDIR", str(tmpdir))
        nb = nbformat.read(NOTEBOOK, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
        nb.cells.append(nbformat.v4.new_code_cell(REPORT))
        client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                         resources={"metadata": {"path": str(ROOT / "notebooks")}})
        client.execute()
    return nb


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    """(the notebook executed on the seeds, its temporary folder)."""
    tmpdir = tmp_path_factory.mktemp("notebook-tmp")
    return run_notebook(tmpdir), tmpdir


def outputs(nb) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def text_of(nb) -> str:
    return "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs(nb))


def pngs(nb) -> list[bytes]:
    return [base64.b64decode(o["data"]["image/png"]) for o in outputs(nb) if "image/png" in o.get("data", {})]


# --------------------------------------------------------------------------- what a browser would fetch

_REMOTE = re.compile(r"^\s*(?:https?:|wss?:|ftp:)?//", re.I)
_CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.I)
# attributes whose URL a browser loads as it renders (an <a href> is only followed on a click)
_LOADED = {"src", "srcset", "data", "poster", "background", "formaction", "action", "codebase", "manifest"}


class _Fetches(HTMLParser):
    """The URLs an HTML fragment (and the pages in its iframes' ``srcdoc``)
    would make a browser fetch from another host."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self.pages: list[str] = []  # srcdoc documents, checked in their turn
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcdoc":
                self.pages.append(value)
            elif name in _LOADED or (tag == "link" and name == "href"):
                if _REMOTE.search(value):
                    self.remote.append(f"<{tag} {name}={value[:80]!r}>")
            elif tag == "meta" and name == "content" and re.search(r"url=\s*(?:https?:)?//", value, re.I):
                self.remote.append(f"<meta content={value[:80]!r}>")  # a refresh to another page
            elif name == "style" and _CSS_REMOTE.search(value):
                self.remote.append(f"<{tag} style={value[:80]!r}>")

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and _CSS_REMOTE.search(data):
            self.remote.append(f"<style>{data[:80]!r}")


def remote_fetches(html: str) -> tuple[list[str], list[str]]:
    """(URLs on other hosts that *html* would load, the srcdoc pages inside it)."""
    parser = _Fetches()
    parser.feed(html)
    parser.close()
    remote, pages = list(parser.remote), list(parser.pages)
    for page in parser.pages:
        more, inner = remote_fetches(page)
        remote += more
        pages += inner
    return remote, pages


def test_remote_fetches_finds_what_a_browser_would_load():
    page = '<script src="https://cdn.example/x.js"></script><a href="https://www.wikidata.org/">link</a>'
    html = f'<img src="data:image/png;base64,AA"><iframe srcdoc="{page.replace(chr(34), "&quot;")}"></iframe>'
    remote, pages = remote_fetches(html)
    assert remote == ["<script src='https://cdn.example/x.js'>"] and len(pages) == 1
    assert remote_fetches('<div style="background: url(//tiles.example/1.png)"></div>')[0]
    assert remote_fetches('<style>@import "https://fonts.example/a.css";</style>')[0]
    assert remote_fetches('<link rel="stylesheet" href="http://x.example/a.css">')[0]
    assert remote_fetches('<table><td>https://w3id.org/kg/id/place/lima</td></table>') == ([], [])


def assert_offline(nb):
    """No output makes a browser fetch anything from another host, the view
    forbids its scripts any connection, no image carries a URL, and the kernel
    tried to reach no host."""
    html = [str(o["data"][kind]) for o in outputs(nb) for kind in ("text/html", "image/svg+xml")
            if kind in o.get("data", {})]
    pages = []
    for fragment in html:
        remote, inner = remote_fetches(fragment)
        assert not remote, remote
        pages += inner
    assert pages, "the interactive view is shown in an iframe"
    for page in pages:
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
        assert csp and "default-src 'none'" in csp.group(1) and "connect-src 'none'" in csp.group(1)
    for png in pngs(nb):
        assert png.startswith(b"\x89PNG") and b"http://" not in png and b"https://" not in png
    assert "network attempts: []" in text_of(nb)


def assert_ran(nb):
    errors = [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not errors, [f"{e['ename']}: {e['evalue']}" for e in errors]
    assert len(pngs(nb)) == 2, "a map and a timeline"
    assert_offline(nb)


# --------------------------------------------------------------------------- the runs


def test_the_notebook_has_one_papermill_parameters_cell():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    for name in ("BUILD", "OUT", "ENTITY"):
        assert re.search(rf'^{name} = os\.environ\.get\("KG_NOTEBOOK_{name}"\) or None', tagged[0].source, re.M)
    assert nb.cells.index(tagged[0]) == 1  # right after the introduction, before anything runs


def test_explore_notebook_runs_on_the_seeds_and_removes_its_build(seeds_run):
    nb, tmpdir = seeds_run
    assert_ran(nb)
    text = text_of(nb)
    assert "Xi Jinping" in text and "entities" in text and "looking closely at: Xi Jinping" in text
    assert "Beijing" in text  # the table of places beside the map
    assert "removed" in text and not list(tmpdir.glob("kg-notebook-*"))


def test_the_outputs_in_a_browser_make_no_request(seeds_run, tmp_path):
    from test_browser import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    nb, _ = seeds_run
    parts = []
    for o in outputs(nb):
        data = o.get("data", {})
        if "text/html" in data:
            parts.append(data["text/html"])
        elif "image/png" in data:
            parts.append(f'<img src="data:image/png;base64,{data["image/png"].strip()}">')
    page = tmp_path / "outputs.html"
    page.write_text("<!doctype html><meta charset=utf-8><body>" + "\n".join(parts), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            requests = []
            tab.on("request", lambda r: requests.append(r.url))
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
            tab.goto(page.as_uri(), wait_until="load")
            view = next(f for f in tab.frames if f != tab.main_frame)
            view.wait_for_function("typeof kgNetwork !== 'undefined'")  # the view's script ran
            tab.wait_for_timeout(500)
            widths = tab.evaluate("[...document.images].map(i => i.naturalWidth)")
        finally:
            browser.close()
    assert [r for r in requests if not r.startswith("data:")] == [page.as_uri()]
    assert len(widths) == 2 and all(w > 300 for w in widths)  # the map and the timeline were decoded


def test_explore_notebook_runs_on_another_corpus_and_its_build_folder(tmp_path):
    corpus, out, scratch = tmp_path / "corpus", tmp_path / "out", tmp_path / "tmp"
    corpus.mkdir()
    scratch.mkdir()
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")

    nb = run_notebook(scratch, build=corpus, out=out)
    assert_ran(nb)
    text = text_of(nb)
    assert "Xi Jinping" not in text
    assert "looking closely at: Samia Suluhu" in text
    assert "Nairobi" in text and "Lima" in text
    assert (out / "graph.ttl").is_file(), "a build folder the user names is kept"
    assert not list(scratch.glob("kg-notebook-*"))

    nb = run_notebook(scratch, build=out, entity="Dina Boluarte")
    assert_ran(nb)
    text = text_of(nb)
    assert f"{out}: " in text and "triples" in text  # opened, not built
    assert "looking closely at: Dina Boluarte" in text and "Lima" in text
    assert "removed" not in text and not list(scratch.glob("kg-notebook-*"))


def test_the_guard_refuses_and_records_a_connection():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    attempt = """\
import socket, urllib.request

def connect():
    with socket.socket() as s:
        s.settimeout(1)
        s.connect(("192.0.2.1", 80))

for reach in (lambda: urllib.request.urlopen("https://tiles.example.org/0/0/0.png", timeout=1), connect):
    try:
        reach()
    except OSError as err:
        print("refused:", err)
"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(GUARD), nbformat.v4.new_code_cell(attempt),
                                         nbformat.v4.new_code_cell(REPORT)])
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    text = text_of(nb)
    assert "refused: the notebook tried to reach the network: urllib.Request 'https://tiles.example.org" in text
    assert "refused: the notebook tried to reach the network: socket.connect '192.0.2.1'" in text
    assert "network attempts: []" not in text
