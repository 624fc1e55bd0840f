"""A pattern compiled on first use answers as the compiled pattern does, and compiles once."""

from __future__ import annotations

import re

from verifier import lazy_re
from verifier.lazy_re import lazy


def test_a_lazy_pattern_answers_as_re_does_and_compiles_once(monkeypatch):
    compiled = []
    real = re.compile
    monkeypatch.setattr(lazy_re, "regex", lambda *args: compiled.append(args) or real(*args))
    pattern = lazy(r"(\d+)-(\w+)", re.I)
    assert compiled == []  # nothing until it is used
    text = "a 12-ab 7-CD"
    reference = real(r"(\d+)-(\w+)", re.I)
    assert pattern.search(text).groups() == reference.search(text).groups()
    assert pattern.match(text) is None and pattern.match("3-x").group(2) == "x"
    assert pattern.fullmatch("3-x") and not pattern.fullmatch("3-x y")
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in reference.finditer(text)]
    assert pattern.findall(text) == reference.findall(text)
    assert pattern.sub(r"\2", text) == reference.sub(r"\2", text)
    assert pattern.search(text, 5).group(0) == "7-CD"
    assert pattern.split(text) == reference.split(text) and pattern.split(text, 1) == reference.split(text, 1)
    assert len(compiled) == 1
