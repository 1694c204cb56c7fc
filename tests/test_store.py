"""The Oxigraph store written by kg build, used through rdflib."""

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.export import read_graph
from kg.store import open_store_graph


def _plain(term):
    """Oxigraph returns plain literals typed xsd:string and canonical decimals."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term), lang=term.language)
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        return ("decimal", term.toPython())
    return term


def test_the_build_writes_a_store_with_the_same_triples(seeds_out):
    out = seeds_out.outputs["turtle"].parent
    assert (out / "store").is_dir()
    store = open_store_graph(out)
    assert len(store) == len(seeds_out.graph)
    same = {tuple(_plain(t) for t in triple) for triple in store}
    assert same == {tuple(_plain(t) for t in triple) for triple in seeds_out.graph}


def test_named_queries_give_the_same_answers_from_the_store(seeds_out):
    from importlib import resources

    out = seeds_out.outputs["turtle"].parent
    store = read_graph(out / "store")
    for name in ("visits", "initiatives", "timeline"):
        query = resources.files("kg.queries").joinpath(f"{name}.rq").read_text("utf-8")
        # an empty GROUP_CONCAT is "" in rdflib and unbound in Oxigraph
        mem = sorted(tuple("" if v is None else str(v) for v in row) for row in seeds_out.graph.query(query))
        oxi = sorted(tuple("" if v is None else str(v) for v in row) for row in store.query(query))
        if name == "timeline":  # GROUP_CONCAT order is not defined by SPARQL
            mem = sorted(tuple(sorted(r[-1].split(", "))) + r[:-1] for r in mem)
            oxi = sorted(tuple(sorted(r[-1].split(", "))) + r[:-1] for r in oxi)
        assert mem == oxi, name
