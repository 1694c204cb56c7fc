"""Issue 19, items 5-7: hostile inputs, each reproduced with real files, the
real parsers and the real server (127.0.0.1, a free port).

* links in an input folder that lead out of it (item 5);
* articles that were dropped, or read wrongly, with the wrong reason (item 6);
* queries that gave a traceback or a 500 (item 7).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
from urllib.parse import urlencode

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from conftest import ROOT
from kg.errors import QueryError
from kg.query import QueryRefused, format_result, load_graph, parse_query, run_query
from kg.ns import KGO, SCHEMA
from kg.records import MarkupSkipped, MetadataSkipped, Skipped, SourceDoc
from kg.server import make_server


def kg(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


# =========================================================================== item 5: links

GOOD = ("President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda, "
        "and the two presidents signed agreements on trade, energy and tourism in the capital.")
KENYA = ("President Cyril Ramaphosa visited Kenya on May 2, 2023. He met President William Ruto in Nairobi, "
         "and the two presidents signed agreements on trade and energy in the capital.")
SECRET = "root:x:0:0:root:/root:/bin/bash\nkgsecret:x:1000:1000:Secret Keeper:/home/kgsecret:/bin/bash\n"


@pytest.fixture()
def linked(tmp_path):
    """in/ = good.txt, notes.txt -> a file outside in/ (an /etc/passwd), more/ -> a
    folder outside, inner.txt -> a file inside, again/ -> a folder inside, loop/ -> in/."""
    folder, outside = tmp_path / "in", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    (outside / "articles").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "kept.txt").write_text(GOOD.replace("Angola", "Namibia"), encoding="utf-8")
    (outside / "passwd").write_text(SECRET, encoding="utf-8")
    (outside / "articles" / "kenya.txt").write_text(KENYA, encoding="utf-8")
    (folder / "notes.txt").symlink_to(outside / "passwd")
    (folder / "more").symlink_to(outside / "articles", target_is_directory=True)
    (folder / "inner.txt").symlink_to(folder / "sub" / "kept.txt")
    (folder / "again").symlink_to(folder / "sub", target_is_directory=True)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def _read(paths, **options):
    from kg.ingest import iter_documents

    docs, skipped = {}, {}
    for item in iter_documents([str(p) for p in paths], **options):
        if isinstance(item, Skipped):
            skipped[item.source] = item
        else:
            docs[item.source] = item.text
    return docs, skipped


def test_links_out_of_a_folder_are_reported_and_not_read(linked):
    docs, skipped = _read([linked])
    assert sorted(docs) == [str(linked / "good.txt"), str(linked / "inner.txt"), str(linked / "sub" / "kept.txt")]
    assert not any("kgsecret" in text for text in docs.values())
    assert sorted(skipped) == [str(linked / "more"), str(linked / "notes.txt")]
    notes = skipped[str(linked / "notes.txt")]
    assert notes.reason == (f"symbolic link to a file outside the folder {linked} "
                            f"({linked.parent / 'outside' / 'passwd'})")
    assert "--follow-links" in notes.hint
    more = skipped[str(linked / "more")]
    assert more.reason.startswith(f"symbolic link to a folder outside the folder {linked} ") and "--follow-links" in more.hint


def test_follow_links_reads_them_and_each_folder_once(linked):
    docs, skipped = _read([linked], follow_links=True)
    assert skipped == {}
    assert "kgsecret" in docs[str(linked / "notes.txt")]
    assert docs[str(linked / "more" / "kenya.txt")] == KENYA
    # the link loop (sub/loop -> in/) and the second way into sub/ (again/) are walked once
    assert len([s for s in docs if s.endswith("kept.txt")]) == 1


def test_a_link_named_on_the_command_line_is_read_wherever_it_leads(linked):
    docs, skipped = _read([linked / "notes.txt", linked / "more"])
    assert skipped == {}
    assert "kgsecret" in docs[str(linked / "notes.txt")] and docs[str(linked / "more" / "kenya.txt")] == KENYA


@pytest.mark.slow
def test_kg_build_reports_a_link_out_of_the_folder_and_follows_it_when_asked(linked, tmp_path):
    proc = kg("build", str(linked), "--out", str(tmp_path / "out"), "--no-html", "--no-store", "--quiet")
    assert proc.returncode == 3, proc.stderr
    assert (f"kg: skipped {linked / 'notes.txt'}: symbolic link to a file outside the folder {linked} "
            f"({linked.parent / 'outside' / 'passwd'}) (links that lead out of a folder are not followed: "
            "pass --follow-links") in proc.stderr
    assert f"kg: skipped {linked / 'more'}: symbolic link to a folder outside" in proc.stderr
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "Angola" in turtle and "kgsecret" not in turtle and "Kenya" not in turtle
    proc = kg("build", str(linked), "--out", str(tmp_path / "followed"), "--no-html", "--no-store", "--quiet",
              "--follow-links")
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    turtle = (tmp_path / "followed" / "graph.ttl").read_text(encoding="utf-8")
    assert "kgsecret" in turtle and "William Ruto" in turtle


# =========================================================================== item 6: articles

def _items(*paths, **options):
    from kg.ingest import iter_documents

    return list(iter_documents([str(p) for p in paths], **options))


def _docs(items):
    return [i for i in items if not isinstance(i, Skipped)]


def _deep_html(depth: int, before: str = "") -> str:
    return ("<html><head><title>Deep</title></head><body>" + before + "<div>" * depth + f"<p>{GOOD}</p>"
            + "</div>" * depth + "</body></html>")


@pytest.mark.parametrize("depth", [260, 1000])
def test_html_nested_deeper_than_256_elements_is_read(tmp_path, depth):
    (tmp_path / "deep.html").write_text(_deep_html(depth), encoding="utf-8")
    [doc] = _items(tmp_path / "deep.html")
    assert isinstance(doc, SourceDoc) and doc.text == GOOD and doc.title == "Deep"


def test_html_nested_deeper_than_libxml2_reads_says_so(tmp_path):
    intro = "<p>" + KENYA + "</p>"
    (tmp_path / "intro.html").write_text(_deep_html(3000, before=intro), encoding="utf-8")
    (tmp_path / "only.html").write_text(_deep_html(3000), encoding="utf-8")
    warning, doc, skipped = _items(tmp_path / "intro.html", tmp_path / "only.html")
    assert isinstance(warning, MarkupSkipped) and warning.source == str(tmp_path / "intro.html")
    assert warning.reason == ("HTML nested more than 2,048 elements deep, more than the HTML parser (libxml2) reads: "
                              "the text deeper than that was not read")
    assert doc.text == KENYA  # what lies above that depth is read
    assert skipped.source == str(tmp_path / "only.html") and not skipped.text_read
    assert skipped.reason.startswith("HTML nested more than 2,048 elements deep") and "no article text" in skipped.reason
    assert ".txt" in skipped.hint


@pytest.mark.parametrize("depth", [20, 25, 150])
def test_markdown_block_quotes_nested_20_deep_and_more_are_read(tmp_path, depth):
    (tmp_path / "quotes.md").write_text("> " * depth + GOOD + "\n\n" + KENYA + "\n", encoding="utf-8")
    [doc] = _items(tmp_path / "quotes.md")
    assert doc.text == GOOD + "\n\n" + KENYA


def test_markdown_list_nested_50_deep_keeps_the_text_after_it(tmp_path):
    (tmp_path / "list.md").write_text("- " * 50 + "item\n\n" + GOOD + "\n", encoding="utf-8")
    [doc] = _items(tmp_path / "list.md")
    assert doc.text == "item\n\n" + GOOD


def test_text_after_a_3000_deep_markdown_list_is_read_with_a_warning(tmp_path):
    (tmp_path / "list.md").write_text("# The title\n\n" + "- " * 3000 + "item\n\n" + GOOD + "\n", encoding="utf-8")
    warning, doc = _items(tmp_path / "list.md")
    assert isinstance(warning, MarkupSkipped) and warning.text_read
    assert warning.reason.startswith("Markdown nested too deeply to parse") and "read as plain text" in warning.reason
    assert doc.text.endswith(GOOD)


@pytest.mark.parametrize("separator", [" ", "\n", ", "])
def test_a_list_of_20000_country_names_is_not_taken_for_another_language(tmp_path, separator):
    import pycountry

    names = [country.name for country in pycountry.countries]
    (tmp_path / "countries.txt").write_text(separator.join(names[i % len(names)] for i in range(20_000)),
                                            encoding="utf-8")
    [doc] = _items(tmp_path / "countries.txt")
    assert isinstance(doc, SourceDoc) and doc.language is None  # not "bcl" (Central Bikol)
    from kg.ingest.language import detect

    german = ("Bundeskanzler Olaf Scholz besuchte am Montag Peking und traf Präsident Xi Jinping. Die beiden sprachen "
              "über Handel und den Krieg in der Ukraine. Scholz sagte, Deutschland wolle die Beziehungen ausbauen.")
    assert detect(german).language == "de"  # prose with capitalised nouns is still judged


def _jsonl(path, *objects):
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def test_a_null_text_is_reported_as_null_not_as_a_missing_key(tmp_path):
    items = _items(_jsonl(tmp_path / "dump.jsonl", {"id": "a", "text": None}, {"id": "b"}, {"id": "c", "text": GOOD}))
    null, missing, doc = items
    assert (null.source, null.reason) == (f"{tmp_path / 'dump.jsonl'}#a", "line 1: the text field 'text' is null")
    assert "leave it out" in null.hint
    assert missing.reason == "line 2: no 'text' key (the text)"
    assert doc.text == GOOD


def test_an_unclosed_csv_quote_does_not_swallow_the_next_rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("id,date,text\n"
                    f'1,2023-01-01,"{GOOD}\n'                                 # the quote is never closed
                    f"2,2023-01-02,{KENYA.replace(',', '')}\n"
                    f'3,2023-01-03,"{GOOD.replace("Angola", "Ghana")}"\n'
                    f'4,2023-01-04,"Two paragraphs.\nThe second, quoted as it should be."\n', encoding="utf-8")
    warning, *docs = _items(path)
    assert isinstance(warning, MarkupSkipped) and warning.source == f"{path}#1"
    assert warning.reason == ("line 2: a quoted field opened in this row is never closed; it was read as closed at "
                              "the end of line 2, before the row on line 3")
    assert 'close the quote in line 2' in warning.hint
    assert [(d.source, d.date, d.text) for d in docs] == [
        (f"{path}#1", "2023-01-01", GOOD),
        (f"{path}#2", "2023-01-02", KENYA.replace(",", "")),
        (f"{path}#3", "2023-01-03", GOOD.replace("Angola", "Ghana")),
        (f"{path}#4", "2023-01-04", "Two paragraphs.\nThe second, quoted as it should be."),
    ]


def test_an_unclosed_quote_in_a_middle_column_and_at_the_end_of_the_file(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("id,text,date\n"
                    f'1,"{GOOD},2023-01-01\n'
                    f"2,{KENYA.replace(',', '')},2023-01-02\n"
                    f'3,"{GOOD.replace("Angola", "Ghana")}\nA second paragraph.\n', encoding="utf-8")
    warning, first, second, last = _items(path)
    assert isinstance(warning, MarkupSkipped) and warning.source == f"{path}#1"
    assert first.text.startswith(GOOD) and second.text == KENYA.replace(",", "") and second.date == "2023-01-02"
    # the last row's quote runs to the end of the file, and takes in no row: its text is read
    assert last.text == GOOD.replace("Angola", "Ghana") + "\nA second paragraph."


def test_a_numeric_date_yyyymmdd_is_that_date(tmp_path):
    dump = _jsonl(tmp_path / "dump.jsonl", {"id": "a", "text": GOOD, "date": 20230101},
                  {"id": "b", "text": KENYA, "date": 1668412800}, {"id": "c", "text": GOOD + " Again.", "date": "20230102"})
    (tmp_path / "front.md").write_text(f"---\ntitle: Lula in Angola\ndate: 20230103\n---\n{GOOD} Once more.\n",
                                       encoding="utf-8")
    docs = _items(dump, tmp_path / "front.md")
    assert [d.date for d in docs] == ["2023-01-01", "2022-11-14", "2023-01-02", "2023-01-03"]
    assert not any(isinstance(d, Skipped) for d in docs)


def test_a_date_that_is_no_date_is_reported_and_left_out(tmp_path):
    dump = _jsonl(tmp_path / "dump.jsonl", {"id": "a", "text": GOOD, "date": "2023-02-30"},
                  {"id": "b", "text": KENYA, "date": True})
    (tmp_path / "front.md").write_text(f"---\ntitle: Lula\ndate: next Tuesday\n---\n{GOOD} Once more.\n",
                                       encoding="utf-8")
    (tmp_path / "rows.csv").write_text(f'text,date\n"{GOOD} Twice more.",2023-13-01\n', encoding="utf-8")
    items = _items(dump, tmp_path / "front.md", tmp_path / "rows.csv", fallback_date="2020-05-05")
    warnings = [(i.source, i.reason) for i in items if isinstance(i, Skipped)]
    assert warnings == [
        (f"{dump}#a", "line 1: date '2023-02-30' is not a date and was left out; the text was read"),
        (f"{dump}#b", "line 2: date 'true' is not a date and was left out; the text was read"),
        (str(tmp_path / "front.md"), "date 'next Tuesday' is not a date and was left out; the text was read"),
        (f"{tmp_path / 'rows.csv'}#2", "line 2: date '2023-13-01' is not a date and was left out; the text was read"),
    ]
    assert all(isinstance(i, MetadataSkipped) and "YYYY-MM-DD" in i.hint for i in items if isinstance(i, Skipped))
    assert [d.date for d in _docs(items)] == ["2020-05-05"] * 4  # the date given with --date


@pytest.mark.slow
def test_kg_build_reads_each_hostile_article_and_says_what_it_did(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.html").write_text(_deep_html(300).replace("Angola", "Namibia"), encoding="utf-8")
    (folder / "quotes.md").write_text("> " * 20 + GOOD.replace("Angola", "Zambia") + "\n", encoding="utf-8")
    (folder / "list.md").write_text("- " * 3000 + "item\n\n" + GOOD.replace("Angola", "Botswana") + "\n",
                                    encoding="utf-8")
    _jsonl(folder / "records.jsonl", {"id": "null-text", "text": None},
           {"id": "number-date", "text": KENYA, "date": 20230101},
           {"id": "bad-date", "text": GOOD.replace("Angola", "Ghana"), "date": "2023-02-30"})
    (folder / "rows.csv").write_text(f'id,date,text\n1,2023-01-01,"{GOOD.replace("Angola", "Mali")}\n'
                                     f'2,2023-01-02,{GOOD.replace("Angola", "Chad").replace(",", "")}\n',
                                     encoding="utf-8")
    proc = kg("build", str(folder), "--out", str(tmp_path / "out"), "--no-html", "--no-store", "--quiet")
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines == [
        f"kg: warning: {folder / 'list.md'}: Markdown nested too deeply to parse (lists or block quotes hundreds "
        "of levels deep); its text was read as plain text, Markdown syntax and all (flatten the nesting to have "
        "the Markdown read)",
        f"kg: skipped {folder / 'records.jsonl'}#null-text: line 1: the text field 'text' is null (give the record "
        "its text, or leave it out; the other records were read)",
        f"kg: warning: {folder / 'records.jsonl'}#bad-date: line 3: date '2023-02-30' is not a date and was left "
        "out; the text was read (write the date as YYYY-MM-DD (documents without one take the date given with "
        "--date))",
        f"kg: warning: {folder / 'rows.csv'}#1: line 2: a quoted field opened in this row is never closed; it was "
        "read as closed at the end of line 2, before the row on line 3 (close the quote in line 2 (a quote inside "
        'a quoted field is written twice: ""))',
    ]
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert {"Namibia", "Zambia", "Botswana", "Kenya", "Ghana", "Mali", "Chad"} <= labels
    dates = {str(graph.value(doc, SCHEMA.datePublished)) for doc in graph.subjects(KGO.source, None)
             if str(graph.value(doc, KGO.source)).endswith("#number-date")}
    assert dates == {"2023-01-01"}


# =========================================================================== item 7: queries

SMALL_TTL = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/kg/id/person/xi-jinping> rdfs:label "Xi Jinping" .
"""
SMALL_TRIG = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:g1> { <urn:a> rdfs:label "A" . }
<urn:g2> { <urn:b> rdfs:label "B" . }
"""
#: 3,000 nested groups: pyparsing and rdflib's algebra recurse once (or more) per level.
DEEP = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000


@pytest.fixture()
def small(tmp_path):
    (tmp_path / "small.ttl").write_text(SMALL_TTL, encoding="utf-8")
    (tmp_path / "small.trig").write_text(SMALL_TRIG, encoding="utf-8")
    (tmp_path / "deep.rq").write_text(DEEP, encoding="utf-8")
    return tmp_path


def test_a_deeply_nested_query_is_a_query_error():
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query(DEEP)
    # a moderately nested one still parses
    assert parse_query("SELECT * WHERE " + "{ " * 10 + "?s ?p ?o " + "} " * 10).algebra.name == "SelectQuery"


def test_kg_query_reports_a_deeply_nested_query_in_one_line(small):
    proc = kg("query", str(small / "deep.rq"), "--graph", str(small / "small.ttl"))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "RecursionError:" not in proc.stderr
    assert proc.stderr.startswith("kg: error: the query is nested too deeply") and proc.stderr.count("\n") == 1


def test_from_named_reads_the_named_graph_of_a_trig_file(small):
    dataset = load_graph(small / "small.trig")
    result = run_query(dataset, "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sorted((str(r.g), str(r.s)) for r in result) == [("urn:g1", "urn:a"), ("urn:g2", "urn:b")]
    result = run_query(dataset, "SELECT ?g ?s FROM NAMED <urn:g1> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [(str(r.g), str(r.s)) for r in result] == [("urn:g1", "urn:a")]
    with pytest.raises(QueryRefused) as refused:
        run_query(dataset, "SELECT * FROM NAMED <http://127.0.0.1:9/other.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert "FROM NAMED <http://127.0.0.1:9/other.ttl> names no graph" in str(refused.value)
    with pytest.raises(QueryRefused, match=r"^FROM <urn:g9> names no graph"):
        run_query(dataset, "SELECT * FROM <urn:g9> WHERE { ?s ?p ?o }")


def test_graph_patterns_on_a_plain_graph_match_no_named_graph(small):
    graph = load_graph(small / "small.ttl")
    contexts = len(list(graph.store.contexts()))
    assert len(run_query(graph, "SELECT * WHERE { GRAPH <urn:g1> { ?s ?p ?o } }")) == 0
    assert len(run_query(graph, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")) == 0
    # the default graph is still the graph, beside a GRAPH pattern that matches nothing
    result = run_query(graph, "SELECT ?s ?g WHERE { ?s rdfs:label ?o OPTIONAL { GRAPH ?g { ?s ?p ?x } } }")
    assert [(str(r.s), r.g) for r in result] == [("https://w3id.org/kg/id/person/xi-jinping", None)]
    assert "(0 rows)" in format_result(run_query(graph, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert len(list(graph.store.contexts())) == contexts  # the query added no graph to the store


def test_kg_query_graph_on_a_plain_graph_is_no_traceback(small):
    proc = kg("query", "SELECT ?s WHERE { GRAPH <urn:g1> { ?s ?p ?o } }", "--graph", str(small / "small.ttl"))
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout.splitlines()[-1] == "(0 rows)"


# --------------------------------------------------------------------------- kg serve


def _start(graph):
    server = make_server(graph, "127.0.0.1", 0, quiet=True, timeout=60)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def _request(server, path, headers=(("Host", "localhost"),)):
    """(status, body) of a GET to 127.0.0.1 with exactly the *headers* given."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def _query(query: str) -> str:
    return "/sparql?" + urlencode({"query": query})


@pytest.fixture()
def served(small):
    server, thread = _start(str(small / "small.ttl"))
    yield server
    server.shutdown()
    server.server_close()
    thread.join(10)


def test_kg_serve_answers_a_deeply_nested_query_with_400(served):
    status, body = _request(served, _query(DEEP))
    assert status == 400 and "nested too deeply" in body


def test_kg_serve_answers_graph_on_a_plain_graph_with_no_rows(served):
    status, body = _request(served, _query("SELECT ?s WHERE { GRAPH <urn:g1> { ?s ?p ?o } }"))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


@pytest.mark.parametrize("hosts", [("localhost", "attacker.example"), ("attacker.example", "localhost"),
                                   ("localhost", "localhost")])
def test_kg_serve_refuses_two_host_headers(served, hosts):
    status, body = _request(served, _query("ASK {}"), [("Host", h) for h in hosts])
    assert status == 400 and "2 Host headers" in body
    assert _request(served, _query("ASK {}"))[0] == 200  # one Host header: answered
