"""Compiled forms kept between runs: a pattern or an ``__init__`` taken from the store behaves as
one compiled on the spot, a later process takes them without compiling, and a missing, damaged
or stale store only costs the compiling."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.verifier.test_linear_regex import LINES, _patterns
from verifier import compiled

SAMPLES = [
    *LINES.values(),
    "- [x] Create a git repository (M5)\n- [ ] Use DVC",
    "FROM python:3.11-slim\nRUN pip install -r requirements.txt\nCMD uvicorn app:api --port $PORT",
    "import wandb\nwandb.init(project='x')  # TODO\n\tAKIA0123456789ABCDEF",
    "Question 12 > Answer: We did not use hyperparameter sweeps, see `configs/sweep.yaml`.",
    "",
]


@pytest.fixture
def fresh_store(monkeypatch):
    store = compiled._Store()
    monkeypatch.setattr(compiled, "_STORE", store)
    return store


def store_file() -> Path:
    store = compiled._Store()
    store.stored("regex")
    assert store.path is not None
    return store.path


def test_every_project_pattern_rebuilt_from_its_opcodes_matches_as_re_does():
    patterns = _patterns()
    assert len(patterns) > 100
    for name, pattern in patterns.items():
        parts = compiled._parts(pattern.pattern, pattern.flags)
        assert parts is not None, name
        parts = marshal.loads(marshal.dumps(parts))  # as the store keeps them
        rebuilt = compiled._from_parts(pattern.pattern, parts)
        reference = re.compile(pattern.pattern, pattern.flags)
        assert rebuilt is not None and rebuilt is not reference, name
        assert (rebuilt.pattern, rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == (
            reference.pattern,
            reference.flags,
            reference.groups,
            reference.groupindex,
        ), name
        for text in SAMPLES:
            text = text[:2000] if isinstance(reference.pattern, str) else text.encode()[:2000]
            assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in reference.finditer(text)]
            assert rebuilt.findall(text) == reference.findall(text), name


def test_a_later_process_takes_stored_patterns_and_record_code_without_compiling(tmp_path):
    env = {**os.environ, "VERIFY_CACHE_DIR": str(tmp_path)}
    env.pop("VERIFY_NO_CACHE", None)
    program = """
import re._parser, sys
parses = []
real = re._parser.parse
re._parser.parse = lambda *a, **k: parses.append(a[0]) or real(*a, **k)
real_compile = compile
from verifier import compiled
from verifier.records import field, record
pattern = compiled.regex(r"(?P<tool>wandb|mlflow)\\.(\\w+)\\(", re.I)
@record
class Seen:
    name: str
    lines: list = field(default_factory=list)
seen = Seen("x")
seen.lines.append(3)
compiled.save()
print(pattern.search("x = WandB.init(").group("tool", 2), seen, Seen("y").lines, len(parses))
"""
    first = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    expected = "('WandB', 'init') Seen(name='x', lines=[3]) []"
    assert first.stdout.startswith(expected) and not first.stdout.strip().endswith(" 0")
    assert second.stdout.strip() == f"{expected} 0"  # nothing parsed: the opcodes came from the store
    assert len(list(tmp_path.glob("compiled-*.marshal"))) == 1


def test_a_damaged_or_stale_store_is_compiled_again_and_rewritten(fresh_store):
    path = store_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00not marshal data")
    assert compiled.regex(r"dvc (pull|push)").search("run dvc pull now").group(1) == "pull"
    compiled.save()
    data = marshal.loads(path.read_bytes())
    assert data["tag"] == compiled._tag() and ("dvc (pull|push)", 0) in data["regex"]

    stale = {**data, "tag": (0, "another interpreter")}
    path.write_bytes(marshal.dumps(stale))
    assert compiled._read(path) is None


def test_opcodes_the_engine_refuses_fall_back_to_compiling(fresh_store):
    path = store_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    flags, _code, groups, groupindex, indexgroup = compiled._parts("a(b)c", 0)
    broken = {
        "tag": compiled._tag(),
        "regex": {("a(b)c", 0): (flags, [1, 2, 3], groups, groupindex, indexgroup)},
    }
    path.write_bytes(marshal.dumps({**broken, "code": {}}))
    pattern = compiled.regex("a(b)c")
    assert pattern.search("xabcx").span(1) == (2, 3)
    assert fresh_store.added  # the good opcodes replace the refused ones at the next save


def test_an_invalid_pattern_raises_as_re_does(fresh_store):
    with pytest.raises(re.error):
        compiled.regex("(unclosed")


def test_nothing_is_written_with_the_cache_off(fresh_store, monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    assert compiled.regex(r"nothing (kept)?").match("nothing kept")
    compiled.code("x = 1\n")
    compiled.save()
    assert not fresh_store.added and list(tmp_path.iterdir()) == []


def test_the_same_pattern_is_the_same_object_within_a_process(fresh_store):
    assert compiled.regex(r"\bM(\d+)\b", re.I) is compiled.regex(r"\bM(\d+)\b", re.I | 0)
