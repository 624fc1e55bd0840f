"""Python facts: the ast collector, and code newer than the running Python through libcst."""

from __future__ import annotations

import pytest

from verifier.repo.python_facts import LITERAL_UNKNOWN, PythonParseError, parse_python


def test_names_are_resolved_through_imports():
    facts = parse_python(
        "t.py",
        (
            "import wandb as wb\nfrom torch import nn\nimport lightning.pytorch as pl\n\n"
            "class Net(nn.Module):\n    pass\n\n\nclass Lit(pl.LightningModule):\n    pass\n\n\n"
            "wb.init(project='p', config=cfg)\n"
        ),
    )
    call = facts.calls[0]
    assert call.name == "wandb.init" and call.line == 13
    assert call.keywords == {"project": "p", "config": LITERAL_UNKNOWN}
    assert [c.bases for c in facts.classes] == [("torch.nn.Module",), ("lightning.pytorch.LightningModule",)]


def test_functions_stubs_typing_and_main_guard():
    facts = parse_python(
        "m.py",
        (
            "class A:\n"
            "    def m(self, x: int) -> int:\n        '''Doc.'''\n        return x\n\n"
            "    def stub(self):\n        '''Only a docstring.'''\n\n"
            "def dots(a, b):\n    ...\n\n"
            "def todo():\n    raise NotImplementedError\n\n"
            "def outer():\n    def inner():\n        return 1\n    return inner\n\n"
            "if __name__ == '__main__':\n    outer()\n"
        ),
    )
    by_name = {f.name: f for f in facts.functions}
    assert by_name["m"].owner == "A" and by_name["m"].params == 1 and by_name["m"].annotated_params == 1
    assert by_name["m"].has_docstring and not by_name["m"].is_stub
    assert by_name["stub"].is_stub and by_name["dots"].is_stub and by_name["todo"].is_stub
    assert by_name["inner"].owner is None
    assert facts.has_main_guard


def test_decorators_keep_their_call_keywords():
    facts = parse_python(
        "h.py", "import hydra\n\n@hydra.main(config_path='c', version_base=None)\ndef f(cfg):\n    pass\n"
    )
    [decorator] = facts.decorators
    assert decorator.name == "hydra.main" and decorator.line == 3
    assert decorator.call.keywords == {"config_path": "c", "version_base": None}


NEWER = """\
import wandb

type Batch = list[float]


def mean[T](values: list[T]) -> T:
    return sum(values) / len(values)


class Box[T]:
    pass


name = {"k": "v"}
label = f"{name["k"]} and more"
wandb.init(project="p")
"""


def test_python_312_syntax_is_read_through_libcst_with_its_lines():
    facts = parse_python("new.py", NEWER)
    assert [(c.name, c.line) for c in facts.calls if c.name == "wandb.init"] == [("wandb.init", 16)]
    assert [(f.name, f.line) for f in facts.functions] == [("mean", 6)]
    assert [(c.name, c.line) for c in facts.classes] == [("Box", 10)]


def test_python2_code_is_still_refused_with_a_hint():
    with pytest.raises(PythonParseError, match="Python 2"):
        parse_python("old.py", 'print "hello"\n')


def test_deeply_nested_code_is_never_given_to_libcst():
    # ast refuses the nesting; libcst's native parser would crash the process on it
    text = 'label = f"{1}"\nx = ' + "(" * 3000 + "1" + ")" * 3000 + "\n"
    with pytest.raises(PythonParseError):
        parse_python("deep.py", text)


def test_literal_values_agree_with_literal_eval_on_every_display():
    """The cheap pre-check before ``ast.literal_eval`` must never turn a literal into an
    unknown, nor an unknown into a value."""
    import ast

    from verifier.repo.python_facts import LITERAL_UNKNOWN
    from verifier.repo.python_scan import literal

    sources = [
        "1", "-1", "+2.5", "1 + 2j", "[1, 2, [3, (4, 5)]]", "{'a': 1, 'b': [True, None]}",
        "{1, 2}", "(1,)", "()", "[]", "{}", "{**base}", "{'a': x}", "[f(1)]", "[-x]", "not True",
        "{'loss': loss.item()}", "[1, *rest]", "('a' 'b', b'c')", "-(1 + 2j)", "[1 - 1j, {'k': -3}]",
        "{'a': {'b': {'c': [1, 2, 3]}}}", "x + 1", "[a.b]", "[None, ...]",
    ]  # fmt: skip
    for source in sources:
        node = ast.parse(source, mode="eval").body
        try:  # what literal_eval makes of a constant, a display or a unary operation
            displays = (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp)
            expected = ast.literal_eval(node) if isinstance(node, displays) else LITERAL_UNKNOWN
        except Exception:
            expected = LITERAL_UNKNOWN
        got = literal(node)
        assert got == expected or (got is LITERAL_UNKNOWN and expected is LITERAL_UNKNOWN), source
