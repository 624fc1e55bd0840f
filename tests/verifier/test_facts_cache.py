"""The cache of parsed Python facts: one file per repository, failures included."""

from __future__ import annotations

import pytest

from verifier.repo import python_facts
from verifier.repo.facts_cache import FactsCache
from verifier.repo.python_facts import LITERAL_UNKNOWN

SOURCE = "import wandb as wb\n\n\ndef train(lr):\n    wb.init(config=lr)\n"
BROKEN = "print 'python 2'\n"


def _never_parse(monkeypatch):
    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(python_facts, "parse_python", fail)


def test_a_second_run_reads_the_facts_from_one_file(monkeypatch, tmp_path):
    first = FactsCache.for_repository(tmp_path / "repo")
    facts = first.parse("a.py", SOURCE)
    assert facts.calls[0].keywords["config"] is LITERAL_UNKNOWN
    first.save()
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == [first.file.name]

    _never_parse(monkeypatch)
    second = FactsCache.for_repository(tmp_path / "repo")
    again = second.parse("b.py", SOURCE)
    assert again.path == "b.py" and second.parse("a.py", SOURCE).path == "a.py"
    assert again.calls == facts.calls and again.functions == facts.functions
    assert again.calls[0].keywords["config"] is LITERAL_UNKNOWN  # the sentinel survives pickling


@pytest.fixture(autouse=True)
def _cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))


def test_a_failed_parse_is_cached_with_its_reason(monkeypatch, tmp_path):
    first = FactsCache.for_repository(tmp_path / "repo")
    with pytest.raises(ValueError) as original:
        first.parse("old.py", BROKEN)
    first.save()
    _never_parse(monkeypatch)
    with pytest.raises(ValueError) as cached:
        FactsCache.for_repository(tmp_path / "repo").parse("old.py", BROKEN)
    assert str(cached.value) == str(original.value) and "Python 2" in str(cached.value)


def test_only_what_the_run_used_is_kept(tmp_path):
    first = FactsCache.for_repository(tmp_path / "repo")
    first.parse("a.py", SOURCE)
    first.parse("b.py", "x = 1\n")
    first.save()
    second = FactsCache.for_repository(tmp_path / "repo")
    second.parse("a.py", SOURCE)
    second.save()
    third = FactsCache.for_repository(tmp_path / "repo")
    assert set(third._load()) == set(second._used) and len(third._load()) == 1


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    cache = FactsCache.for_repository(tmp_path / "repo")
    cache.parse("a.py", SOURCE)
    cache.save()
    assert cache.file is None and not (tmp_path / "cache").exists()


def test_a_corrupt_file_is_parsed_again(tmp_path):
    cache = FactsCache.for_repository(tmp_path / "repo")
    cache.parse("a.py", SOURCE)
    cache.save()
    cache.file.write_bytes(b"not a pickle")
    assert FactsCache.for_repository(tmp_path / "repo").parse("a.py", SOURCE).calls[0].name == "wandb.init"


def test_verify_writes_the_cache_only_when_asked(tmp_path):
    from pathlib import Path

    from verifier.run import verify

    result = verify(Path(__file__).resolve().parents[2] / "examples" / "honest-project")
    assert not list((tmp_path / "cache").rglob("parses-*/*.pickle"))
    result.view.save_caches()
    assert len(list((tmp_path / "cache").rglob("parses-*/*.pickle"))) == 1


def test_yaml_and_template_fingerprints_are_kept_too(monkeypatch, tmp_path):
    import verifier.repo.yaml_safe as yaml_safe
    from verifier.repo.view import RepoView

    repo = tmp_path / "repo"
    (repo / "configs").mkdir(parents=True)
    (repo / "configs" / "a.yaml").write_text("lr: 0.1\nitems: [1, 2]\n")
    (repo / "configs" / "bad.yaml").write_text("a: [\n")
    first = RepoView.open(repo)
    assert first.yaml("configs/a.yaml") == {"lr": 0.1, "items": [1, 2]}
    assert first.yaml("configs/bad.yaml") is None
    first.template_default("configs/a.yaml")
    first.save_caches()

    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yaml_safe, "load_all", fail)
    again = RepoView.open(repo)
    value = again.yaml("configs/a.yaml")
    assert value == {"lr": 0.1, "items": [1, 2]}
    assert again.yaml("configs/bad.yaml") is None
    assert [n.message for n in again.notices] == [n.message for n in first.notices]
    assert again.yaml("configs/a.yaml") is value  # one parse per run, shared


def test_toml_tables_are_kept_too(monkeypatch, tmp_path):
    from verifier.repo import view as view_module
    from verifier.repo.view import RepoView

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[project]\nname = "pets"\ndependencies = ["torch>=2"]\n')
    (repo / "broken.toml").write_text("[project\n")
    first = RepoView.open(repo)
    assert first.toml("pyproject.toml") == {"project": {"name": "pets", "dependencies": ["torch>=2"]}}
    assert first.toml("broken.toml") is None
    first.save_caches()

    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(view_module, "_load_toml", fail)
    again = RepoView.open(repo)
    assert again.toml("pyproject.toml") == first.toml("pyproject.toml")
    assert again.toml("broken.toml") is None
    assert [n.message for n in again.notices] == [n.message for n in first.notices]


def test_the_command_line_writes_the_cache_after_the_result_from_another_process(tmp_path):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "honest-project"
    env = {**os.environ, "VERIFY_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("VERIFY_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-m", "verifier.cli", str(example), "--json"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.stdout.startswith(b"{") and done.returncode in (0, 1)
    deadline = time.monotonic() + 30
    while not list((tmp_path / "cache").rglob("parses-*/*.pickle")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list((tmp_path / "cache").rglob("parses-*/*.pickle"))) == 1


def test_a_run_over_an_unchanged_repository_imports_no_parser_and_no_heavy_module(tmp_path):
    """What a second run (the pre-commit case) does not need, it does not import: the YAML, TOML
    and Python parsers (their results are cached), dataclasses and inspect (records are built by
    verifier.records), typing (only imported for type checkers), shutil."""
    import json
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    example = root / "examples" / "honest-project"
    env = {**os.environ, "VERIFY_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(root)}
    env.pop("VERIFY_NO_CACHE", None)
    first = subprocess.run(
        [sys.executable, "-m", "verifier.cli", str(example), "--json"], env=env, timeout=120
    )
    assert first.returncode == 0
    deadline = time.monotonic() + 30
    while not list((tmp_path / "cache").rglob("parses-*/*.pickle")) and time.monotonic() < deadline:
        time.sleep(0.05)
    heavy = ("yaml", "tomllib", "ast", "dataclasses", "inspect", "typing", "shutil", "libcst", "git", "rich")
    # what the interpreter's own start-up already imports here (a site-packages .pth file may
    # import typing or shutil) is not the verifier's doing
    preloaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, sys; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    heavy = tuple(m for m in heavy if m not in json.loads(preloaded.stdout))
    assert "yaml" in heavy and "ast" in heavy  # the parsers at least are checked everywhere
    script = (
        "import contextlib, io, json, sys\n"
        "from verifier.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main([{str(example)!r}, '--json'])\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
    )
    again = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr[-500:]
    assert json.loads(again.stdout) == []
