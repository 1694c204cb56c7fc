"""How fast the HTML view opens: the seeds' page and a 5,000-entity page.

    python bench/viz_5000.py                     # builds seeds/ (spaCy), then a synthetic 5,000-entity graph
    python bench/viz_5000.py --entities 8000 --runs 5
    python bench/viz_5000.py --seeds-html out/graph.html   # reuse a built page instead of building seeds/

The synthetic graph follows kg's graph layout (ontology/kg.ttl): documents,
sentences, mentions, entities of the six types with labels, alternative
labels and Wikidata ids, reified relations with evidence, and dated events
with participants. It is generated from a fixed seed, so every run renders
the same page. Each page is opened in headless Chromium (Debian's
``/usr/bin/chromium`` driven by Playwright) in a fresh context; the figures
are medians over ``--runs`` loads:

* ``load``: from ``page.goto`` until the page's script has built the network
  (``window.kgReady``), wall clock as the user sees it;
* ``ready`` / ``drawn``: the page's own clock (ms since navigation start)
  when the script finished and when the first frame with the graph was drawn;
* ``focus`` / ``expand``: searching a name that is not shown yet, and
  expanding the neighbourhood of the most important node.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

_SHARES = (("Person", 0.30), ("Country", 0.04), ("Organization", 0.28), ("Place", 0.20),
           ("Initiative", 0.06), ("Event", 0.12))
_SYLLABLES = ("ka", "lo", "mi", "ra", "te", "su", "van", "dor", "el", "an", "is", "ur", "bo", "zen", "li", "mar")
_RELATIONS = ("metWith", "visited", "signed", "supports", "joined", "hosted", "proposed", "providedAidTo")
_EVENT_TYPES = ("Visit", "Meeting", "Agreement", "Summit", "Speech", "Aid", "Proposal", "Statement")


def _name(rng: random.Random, kind: str, i: int) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    other = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return {
        "Person": f"{word} {other}",
        "Country": f"Republic of {word}",
        "Organization": f"{word} {rng.choice(('Council', 'Bank', 'Agency', 'Forum', 'Institute'))}",
        "Place": f"{word}{rng.choice(('grad', 'ville', ' Bay', ' Province', 'ton'))}",
        "Initiative": f"{word} {rng.choice(('Initiative', 'Partnership', 'Compact'))}",
        "Event": f"{word} {rng.choice(('Summit', 'Forum', 'Games', 'Expo'))}",
    }[kind] + f" {i}"


def synthetic_graph(n_entities: int = 5000, *, seed: int = 1, sentences_per_doc: int = 24):
    """An rdflib Graph with *n_entities* entities (plus extracted events) in kg's layout."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

    from kg.ns import ITSRDF, KGO, NIF, SCHEMA, WD, bind_prefixes, doc_iri, entity_iri, sentence_iri

    rng = random.Random(seed)
    g = bind_prefixes(Graph())
    add = g.add
    entities: list[tuple[URIRef, str, str]] = []
    for kind, share in _SHARES:
        for i in range(max(1, round(n_entities * share))):
            label = _name(rng, kind, len(entities))
            iri = entity_iri(kind, label)
            entities.append((iri, kind, label))
            add((iri, RDF.type, KGO[kind]))
            add((iri, RDFS.label, Literal(label)))
            if rng.random() < 0.3:
                add((iri, SKOS.altLabel, Literal(f"the {label}")))
            if rng.random() < 0.4:
                add((iri, OWL.sameAs, WD[f"Q{rng.randint(1, 10_000_000)}"]))
    entities = entities[:n_entities]
    # Popularity: a few entities are named everywhere, most rarely (Zipf-like).
    weights = [1.0 / (rank + 8) for rank in range(len(entities))]
    order = list(range(len(entities)))
    rng.shuffle(order)
    mention_count = [0] * len(entities)
    mentioned_in: list[set] = [set() for _ in entities]
    places = [k for k, e in enumerate(entities) if e[1] in ("Place", "Country")]
    for concept in _EVENT_TYPES:
        c = KGO[f"event-type/{concept}"]
        add((c, RDF.type, SKOS.Concept))
        add((c, SKOS.prefLabel, Literal(concept)))
    n_docs = max(1, n_entities // 6)
    event_no = 0
    for d in range(n_docs):
        doc_id = f"{d:016x}"
        doc = doc_iri(doc_id)
        add((doc, RDF.type, SCHEMA.NewsArticle))
        add((doc, RDF.type, NIF.Context))
        add((doc, SCHEMA.identifier, Literal(doc_id)))
        add((doc, SCHEMA.headline, Literal(f"Synthetic article {d}")))
        year, month, day = 2015 + d % 10, 1 + d % 12, 1 + d % 28
        add((doc, SCHEMA.datePublished, Literal(f"{year}-{month:02d}-{day:02d}", datatype=XSD.date)))
        add((doc, KGO.source, Literal(f"synthetic/{d:05d}.txt")))
        offset = 0
        for s in range(sentences_per_doc):
            picks = sorted({order[k] for k in rng.choices(range(len(entities)), weights=weights, k=rng.randint(1, 4))})
            names = [entities[k][2] for k in picks]
            text = f"{', '.join(names)} discussed cooperation in sentence {s} of article {d}."
            sent = sentence_iri(doc_id, offset, offset + len(text))
            add((sent, RDF.type, NIF.Sentence))
            add((sent, NIF.anchorOf, Literal(text)))
            add((sent, NIF.beginIndex, Literal(offset, datatype=XSD.nonNegativeInteger)))
            add((sent, NIF.endIndex, Literal(offset + len(text), datatype=XSD.nonNegativeInteger)))
            add((sent, NIF.referenceContext, doc))
            pos = offset
            for k, name in zip(picks, names):
                m = URIRef(f"{doc}/m{pos}-{pos + len(name)}")
                add((m, RDF.type, KGO.Mention))
                add((m, RDF.type, NIF.Phrase))
                add((m, NIF.referenceContext, doc))
                add((m, NIF.sentence, sent))
                add((m, NIF.anchorOf, Literal(name)))
                add((m, ITSRDF.taIdentRef, entities[k][0]))
                mention_count[k] += 1
                mentioned_in[k].add(doc)
                pos += len(name) + 2
            if len(picks) >= 2 and rng.random() < 0.25:
                a, b = entities[picks[0]][0], entities[picks[1]][0]
                p = KGO[rng.choice(_RELATIONS)]
                add((a, p, b))
                st = URIRef(f"{doc}/st{s}")
                add((st, RDF.type, RDF.Statement))
                for prop, value in ((RDF.subject, a), (RDF.predicate, p), (RDF.object, b)):
                    add((st, prop, value))
                add((st, KGO.evidence, sent))
                add((st, PROV.wasDerivedFrom, doc))
            if rng.random() < 0.12:
                concept = rng.choice(_EVENT_TYPES)
                ev = URIRef(f"{entity_iri('Event', f'{concept}-{event_no}')}")
                event_no += 1
                add((ev, RDF.type, KGO.Event))
                add((ev, RDFS.label, Literal(f"{concept}: {text[:60]}")))
                add((ev, KGO.eventType, KGO[f"event-type/{concept}"]))
                if rng.random() < 0.7:
                    date = Literal(f"{year}-{month:02d}-{day:02d}", datatype=XSD.date)
                    add((ev, SCHEMA.startDate, date))
                    add((ev, SCHEMA.endDate, date))
                add((ev, KGO.agent, entities[picks[0]][0]))
                for k in picks:
                    add((ev, SCHEMA.participant, entities[k][0]))
                if places and rng.random() < 0.5:
                    add((ev, SCHEMA.location, entities[rng.choice(places)][0]))
                add((ev, KGO.evidence, sent))
                add((ev, PROV.wasDerivedFrom, doc))
            offset += len(text) + 1
    for k, (iri, _, _) in enumerate(entities):
        if mention_count[k]:
            add((iri, KGO.mentionCount, Literal(mention_count[k], datatype=XSD.nonNegativeInteger)))
        for doc in mentioned_in[k]:
            add((iri, KGO.mentionedIn, doc))
    return g


def _launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def time_page(path: Path, *, runs: int = 3, search: str | None = None) -> dict[str, float]:
    """Median timings (ms) of opening *path* in headless Chromium."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = {"load": [], "ready": [], "drawn": [], "focus": [], "expand": []}
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                t = time.perf_counter()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("() => window.kgReady === true && window.kgDrawnAt !== undefined", timeout=120_000)
                figures["load"].append((time.perf_counter() - t) * 1000)
                ready, drawn = page.evaluate("[window.kgReadyAt, window.kgDrawnAt]")
                figures["ready"].append(ready)
                figures["drawn"].append(drawn)
                if search:
                    figures["focus"].append(page.evaluate(
                        "name => { const t = performance.now(); kgFocus(name); return performance.now() - t; }", search))
                figures["expand"].append(page.evaluate(
                    "() => { const d = kg.data, t = performance.now(); kg.expand(d.nodes[d.order[0]].id, 100);"
                    " return performance.now() - t; }"))
                if any(u != path.resolve().as_uri() for u in requests):
                    raise SystemExit(f"unexpected network requests: {requests}")
                context.close()
        finally:
            browser.close()
    return {k: statistics.median(v) for k, v in figures.items() if v}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=300)
    parser.add_argument("--seeds-html", type=Path, default=None, help="a built page of seeds/ (default: build it)")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the pages in")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kg.viz import render_html

    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    seeds_html = args.seeds_html
    if seeds_html is None:
        from kg.pipeline import build

        t = time.perf_counter()
        result = build([ROOT / "seeds"], out=folder / "seeds")
        seeds_html = result.outputs["html"]
        print(f"seeds: built in {time.perf_counter() - t:.1f} s ({len(result.graph)} triples)")
    t = time.perf_counter()
    graph = synthetic_graph(args.entities)
    print(f"synthetic: {args.entities} entities, {len(graph)} triples, generated in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    html = render_html(graph, top=args.top)
    render_s = time.perf_counter() - t
    big = folder / f"graph-{args.entities}.html"
    big.write_text(html, encoding="utf-8")
    import json
    import re

    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    print(f"synthetic: rendered in {render_s:.1f} s: {len(data['nodes'])} nodes, {len(data['edges'])} links, "
          f"{len(html) / 1e6:.1f} MB -> {big}")
    hidden = data["nodes"][data["order"][-1]]["label"]
    for name, path, search in (("seeds", Path(seeds_html), "Xi Jinping"), (f"{args.entities} entities", big, hidden)):
        f = time_page(path, runs=args.runs, search=search)
        print(f"{name}: load {f['load']:.0f} ms (script done at {f['ready']:.0f} ms, first frame with the graph at "
              f"{f['drawn']:.0f} ms after navigation); search+focus {f.get('focus', 0):.0f} ms; "
              f"expand 100 neighbours {f['expand']:.0f} ms  [median of {args.runs}, {path.stat().st_size / 1e6:.1f} MB]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
