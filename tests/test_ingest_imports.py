"""kg.ingest: each module imports alone, and the modules of ingest (with
kg.dates, which they use) import one another without a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kg

KG = Path(kg.__file__).parent
MODULES = sorted(f"kg.ingest.{p.stem}" for p in (KG / "ingest").glob("*.py") if p.stem != "__init__")


def _module_file(name: str) -> Path:
    path = KG.parent.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _imports(name: str) -> set[str]:
    """The kg modules *name* imports, at the top or inside a function."""
    path = _module_file(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate and candidate.split(".")[0] == "kg" and _module_file(candidate).exists():
                found.add(candidate)
    return found


def test_the_ingest_package_has_its_modules():
    assert MODULES == ["kg.ingest.corpus", "kg.ingest.decoding", "kg.ingest.documents", "kg.ingest.files",
                       "kg.ingest.formats", "kg.ingest.frontmatter", "kg.ingest.language", "kg.ingest.normalize",
                       "kg.ingest.read"]


def test_no_import_cycle_in_ingest():
    graph = {name: {m for m in _imports(name) if m.startswith("kg.ingest.") or m == "kg.dates"}
             for name in MODULES + ["kg.dates"]}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        assert state.get(name) != 1, "import cycle: " + " -> ".join(path[path.index(name):] + [name])
        state[name] = 1
        for dep in sorted(graph.get(name, ())):
            visit(dep, path + [name])
        state[name] = 2

    for name in graph:
        visit(name, [])


def test_ingest_modules_never_import_the_build():
    for name in MODULES:
        assert not {m for m in _imports(name) if m.startswith(("kg.builder", "kg.run", "kg.pipeline", "kg.nlp"))}, name


@pytest.mark.parametrize("name", MODULES + ["kg.ingest", "kg.dates"])
def test_each_module_imports_alone(name):
    """In a fresh interpreter, and without spaCy, rdflib or trafilatura."""
    code = (f"import sys, {name}; heavy = sorted(m for m in ('spacy', 'rdflib', 'trafilatura', 'lxml', 'ftfy') "
            "if m in sys.modules); print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KG.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
