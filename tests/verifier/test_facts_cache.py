"""The cache of parsed Python facts."""

from __future__ import annotations

from verifier.repo import facts_cache
from verifier.repo.python_facts import LITERAL_UNKNOWN

SOURCE = "import wandb as wb\n\n\ndef train(lr):\n    wb.init(config=lr)\n"


def test_a_second_parse_of_the_same_text_comes_from_the_cache(monkeypatch):
    first = facts_cache.parse_python_cached("a.py", SOURCE)
    assert first.calls[0].keywords["config"] is LITERAL_UNKNOWN

    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(facts_cache, "parse_python", fail)
    second = facts_cache.parse_python_cached("b.py", SOURCE)
    assert second.path == "b.py"
    assert second.calls == first.calls and second.functions == first.functions
    assert second.calls[0].keywords["config"] is LITERAL_UNKNOWN  # the sentinel survives pickling


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    facts_cache.parse_python_cached("a.py", SOURCE)
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("VERIFY_NO_CACHE")
    facts_cache.parse_python_cached("a.py", SOURCE)
    assert any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_a_corrupt_entry_is_parsed_again(monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    facts_cache.parse_python_cached("a.py", SOURCE)
    [entry] = [p for p in tmp_path.rglob("*") if p.is_file()]
    entry.write_bytes(b"not a pickle")
    assert facts_cache.parse_python_cached("a.py", SOURCE).calls[0].name == "wandb.init"
