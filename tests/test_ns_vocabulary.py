"""The closed ``kgo:`` vocabulary (kg/ns.py): every predicate, class and event
type that the rule files and the extraction code can produce is declared in
ontology/kg.ttl, and a name it does not declare is an error, not a new IRI."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.errors import KGError, UnknownTerm
from kg.ns import _TYPE_SEGMENT, KGO, declared_terms, event_type_iri

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kg" / "data"
NLP = ROOT / "kg" / "nlp"


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")


def _declared(kind) -> set[str]:
    base = str(KGO)
    return {str(s)[len(base):] for s in _ontology().subjects(RDF.type, kind) if str(s).startswith(base)}


PROPERTIES = _declared(OWL.ObjectProperty) | _declared(OWL.DatatypeProperty)
CLASSES = _declared(OWL.Class)
EVENT_TYPES = {name[len("event-type/"):] for name in _declared(SKOS.Concept) if name.startswith("event-type/")}


# --------------------------------------------------------------------------- what the data can produce


def _rule_files() -> dict[str, object]:
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(DATA.glob("*.json"))}


def _walk(node, found: dict[str, set[str]], where: str) -> None:
    """Predicates (``relation`` and ``relation_if_*``) and event types
    (``event`` and ``event_if_*``) named anywhere in a rule file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("relation", "event") and isinstance(value, str):
                found[key].add(value)
            elif key.startswith(("relation_if_", "event_if_")) and isinstance(value, dict):
                found[key.split("_if_")[0]].update(v for v in value.values() if isinstance(v, str))
            _walk(value, found, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            _walk(value, found, where)


def data_names() -> dict[str, set[str]]:
    """{"relation": predicates, "event": event types} the rule files name."""
    found: dict[str, set[str]] = {"relation": set(), "event": set()}
    for name, data in _rule_files().items():
        _walk(data, found, name)
        if isinstance(data, dict):
            for spec in data.get("positions", {}).values():  # title -> {country: P, org: P}
                if isinstance(spec, dict):
                    found["relation"].update(v for k, v in spec.items() if k in ("country", "org"))
            found["event"].update(v for k, v in data.get("event_nouns", {}).items() if not k.startswith("_"))
            found["event"].update(k for k in data.get("event_types", {}) if not k.startswith("_"))
    return found


def _produced(node) -> set[str]:
    """The strings an expression can evaluate to, as far as its constants
    say: a constant, either branch of ``a if c else b``, the values of a
    dict, the default of ``table.get(key, default)``, the items of a tuple."""
    if isinstance(node, ast.Constant):
        return {node.value} if isinstance(node.value, str) else set()
    if isinstance(node, ast.IfExp):
        return _produced(node.body) | _produced(node.orelse)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_produced(v) for v in node.values))
    if isinstance(node, ast.Dict):
        return set().union(*(_produced(v) for v in node.values))
    if isinstance(node, ast.Tuple):
        return set().union(*(_produced(v) for v in node.elts))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return _produced(node.func.value) | (_produced(node.args[1]) if len(node.args) > 1 else set())
    return set()


def code_predicates() -> set[str]:
    """The predicates the extraction code names itself: what is assigned to
    ``predicate`` or returned by ``position_predicate``, the fourth argument
    of ``Relation(...)``/``_rel(...)``, and the values of its module-level
    tables of predicates."""
    tables = {"_BETWEEN_NOUNS", "_COMPOUND_PARTICIPLES", "_NAME_PART_RELATIONS"}
    found: set[str] = set()
    for path in sorted(NLP.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                names |= {e.id for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts[:1]
                          if isinstance(e, ast.Name)}
                if "predicate" in names or names & tables:
                    found |= _produced(node.value)
            elif isinstance(node, ast.FunctionDef) and node.name == "position_predicate":
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and ret.value is not None:
                        found |= _produced(ret.value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("Relation", "_rel") and len(node.args) > 3:
                found |= _produced(node.args[3])
    return {name for name in found if name.isidentifier()}


def test_the_data_and_code_name_predicates_at_all():
    # the collectors find what they look for (a changed file layout would make the tests below vacuous)
    names = data_names()
    assert {"visited", "metWith", "headOfState", "deployedTo", "attacked"} <= names["relation"]
    assert {"Visit", "Meeting", "Disaster", "Call"} <= names["event"]
    assert {"cooperatesWith", "funds", "formerlyHeld", "heldIn", "headquarteredIn", "officialOf",
            "seeksMembershipIn"} <= code_predicates()


def test_every_predicate_of_the_rule_files_is_declared():
    undeclared = sorted(data_names()["relation"] - PROPERTIES)
    assert not undeclared, f"predicates not declared in ontology/kg.ttl: {undeclared}"


def test_every_predicate_of_the_extraction_code_is_declared():
    undeclared = sorted(code_predicates() - PROPERTIES)
    assert not undeclared, f"predicates not declared in ontology/kg.ttl: {undeclared}"


def test_every_event_type_of_the_rule_files_is_declared():
    undeclared = sorted(data_names()["event"] - EVENT_TYPES)
    assert not undeclared, f"event types not declared in ontology/kg.ttl: {undeclared}"


def test_every_entity_type_is_a_declared_class():
    assert set(_TYPE_SEGMENT) <= CLASSES


def test_kgo_holds_exactly_what_the_ontology_declares():
    assert PROPERTIES | CLASSES | {f"event-type/{t}" for t in EVENT_TYPES} <= declared_terms()
    for name in sorted(declared_terms()):
        assert KGO[name] == URIRef(str(KGO) + name)


# --------------------------------------------------------------------------- the namespace is closed


@pytest.mark.parametrize("name", ["visitd", "Persn", "event-type/Vist", "ontology"])
def test_an_undeclared_name_is_an_error(name):
    with pytest.raises(UnknownTerm) as raised:
        KGO[name]
    assert isinstance(raised.value, KGError) and raised.value.name == name
    assert f"kgo:{name} is not declared in ontology/kg.ttl" in str(raised.value)


def test_an_undeclared_attribute_is_an_error_too():
    with pytest.raises(UnknownTerm):
        KGO.headquarterdIn  # noqa: B018 (the lookup is the test)
    with pytest.raises(UnknownTerm):
        event_type_iri("Picnic")


def test_declared_names_and_python_names():
    assert KGO.visited == URIRef("https://w3id.org/kg/ontology#visited")
    assert KGO.title == URIRef("https://w3id.org/kg/ontology#title")  # not str.title
    assert event_type_iri("Visit") == URIRef("https://w3id.org/kg/ontology#event-type/Visit")
    with pytest.raises(AttributeError):
        KGO.__wrapped__  # noqa: B018 (dunder names stay Python's)


def test_the_error_crosses_process_boundaries():
    err = pickle.loads(pickle.dumps(UnknownTerm("visitd", "kgo:visitd is not declared", hint="fix it")))
    assert (err.name, err.message, err.hint) == ("visitd", "kgo:visitd is not declared", "fix it")
