"""kg.data: every rule and gazetteer file shapes the build cache's fingerprint."""

from __future__ import annotations

from pathlib import Path

import kg.data
from kg.data import RULE_SUFFIXES, rule_files


def test_rule_files_are_every_data_file_but_the_ontology():
    root = Path(kg.data.__file__).parent
    on_disk = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                     if p.is_file() and p.suffix in RULE_SUFFIXES and "ontology" not in p.parts
                     and "__pycache__" not in p.parts)
    assert [name for name, _ in rule_files()] == on_disk
    assert "relations.json" in on_disk and "gazetteer/countries.csv" in on_disk


def test_a_changed_rule_file_changes_the_fingerprint(monkeypatch, tmp_path):
    import kg.cache as cache

    class FakeNLP:
        meta = {"lang": "en", "name": "x", "version": "1"}
        pipe_names = ["ner"]

    before = cache.fingerprint(FakeNLP())
    extra = tmp_path / "extra_rules.json"
    extra.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cache, "rule_files", lambda: rule_files() + [("extra_rules.json", extra)])
    changed = cache.fingerprint(FakeNLP())
    assert changed != before
    extra.write_text('{"a": 1}', encoding="utf-8")
    assert cache.fingerprint(FakeNLP()) not in (before, changed)
