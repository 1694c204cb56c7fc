"""The layering of kg (issue: a room for each concern), checked by
import-linter with the contracts in pyproject.toml: cli over commands over
the pipeline over its engine room over the stages over the support modules
over the records; stage modules never import the engine room; no import
cycles among the modules of a package."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(tmp_path, monkeypatch, capsys):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "3 kept, 0 broken" in out, out


def test_a_broken_contract_is_reported(tmp_path, monkeypatch, capsys):
    """The check can fail: a contract that the code breaks is reported."""
    from importlinter.cli import lint_imports

    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "kg"\n\n[[tool.importlinter.contracts]]\n'
                      'name = "records above the pipeline (wrong on purpose)"\ntype = "layers"\n'
                      'layers = ["kg.records", "kg.pipeline"]\n', encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) != 0
    assert "BROKEN" in capsys.readouterr().out
