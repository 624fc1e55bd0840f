"""Reading a Python file's facts with the standard ``ast`` parser.

The broad scan every probe shares needs names and line numbers only, which ``ast`` gives about
ten times faster than a concrete syntax tree. Names are resolved through the file's imports, so
``import wandb as wb; wb.init()`` records a call to ``wandb.init``. The facts themselves are the
records of :mod:`verifier.repo.python_facts`.
"""

from __future__ import annotations

import ast
import re
import sys

from verifier.lazy_re import lazy
from verifier.repo.python_facts import (
    LITERAL_UNKNOWN,
    CallFact,
    ClassFact,
    DecoratorFact,
    FunctionFact,
    ImportFact,
    NewerSyntaxSkipped,
    PythonFacts,
    PythonParseError,
)

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


def parse_python(path: str, text: str, newer_syntax: bool = True) -> PythonFacts:
    """Facts of one module. Raises :class:`PythonParseError` for code ``ast`` cannot parse
    (after trying it as newer Python with libcst; without ``newer_syntax``, raises
    :class:`NewerSyntaxSkipped` instead of trying)."""
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        if not newer_syntax:
            raise NewerSyntaxSkipped(path) from None
        tree, why_not = _newer_syntax(path, text)
        if tree is None:
            hint = " (Python 2 code?)" if _looks_like_python2(text) else ""
            hint += f"; read as newer Python: {why_not}" if why_not else ""
            raise PythonParseError(f"syntax error at line {exc.lineno}: {exc.msg}{hint}") from None
    except (RecursionError, MemoryError):
        raise PythonParseError("nested too deeply to parse") from None
    except ValueError as exc:  # e.g. source with NUL bytes
        raise PythonParseError(str(exc)) from None
    try:
        return _Collector(path).collect(tree)
    except RecursionError:
        raise PythonParseError("nested too deeply to analyse") from None


PY2_PRINT = lazy(r"^[ \t]*print[ \t]+[\"'\w]", re.M)
NEWER_SYNTAX_HINT = lazy(
    r"^[ \t]*type\s+\w+\s*[\[=]|^[ \t]*(?:async\s+)?def\s+\w+\s*\[|^[ \t]*class\s+\w+\s*\[|\bf['\"]",
    re.M,
)
MAX_NESTING_FOR_LIBCST = 50


def _nesting(text: str) -> int:
    """The deepest run of open brackets (a cheap bound; strings are not skipped)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _newer_syntax(path: str, text: str) -> tuple[ast.Module | None, str]:
    """Code written for a newer Python, lowered through libcst: (tree, "") or (None, why not).

    libcst's native parser is only given files that show a sign of newer syntax and no deep
    nesting, and runs in a bounded child process (:mod:`verifier.repo.python_cst`): on
    pathological input it can crash or exhaust memory.
    """
    if not NEWER_SYNTAX_HINT.search(text):
        return None, ""
    if _nesting(text) > MAX_NESTING_FOR_LIBCST:
        return None, f"nested deeper than {MAX_NESTING_FOR_LIBCST} brackets, not given to libcst"
    from verifier.repo.python_cst import lower_to_311

    try:
        return ast.parse(lower_to_311(text), filename=path), ""
    except ValueError as exc:  # a crash or a limit says so; a plain syntax error needs no more
        return None, str(exc) if "libcst" in str(exc) else ""
    except (SyntaxError, RecursionError, MemoryError):
        return None, ""


def _looks_like_python2(text: str) -> bool:
    return bool(PY2_PRINT.search(text) or "except Exception, " in text)


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for Name/Attribute chains; ``a().b`` gives ``a.b``; else None."""
    parts = []
    while True:
        kind = type(node)
        if kind is _ATTRIBUTE:
            parts.append(node.attr)
            node = node.value
        elif kind is _NAME:
            if not parts:
                return node.id
            parts.append(node.id)
            break
        elif kind is _CALL:
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Name | ast.Call):  # a subclass: rare
            return _dotted_slow(node)
        else:
            return None
    parts.reverse()
    return _intern(".".join(parts))  # the same names recur in every file: kept once


_intern = sys.intern
_ATTRIBUTE, _NAME, _CALL = ast.Attribute, ast.Name, ast.Call


def _dotted_slow(node: ast.AST) -> str | None:
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None
    return ".".join(reversed(parts))


_LITERAL_NODES = (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp)


def literal(node: ast.AST) -> Any:
    if type(node) is ast.Constant:
        return node.value
    if not isinstance(node, _LITERAL_NODES) or not _could_be_literal(node):
        return LITERAL_UNKNOWN
    try:
        return ast.literal_eval(node)
    except Exception:
        return LITERAL_UNKNOWN


def _could_be_literal(node: ast.AST) -> bool:
    """Whether every part of ``node`` is of a kind ``ast.literal_eval`` accepts: a cheap check
    that spares the exception it raises for a display holding a name or a call
    (``{"loss": loss.item()}``), which most displays in code do."""
    pending = [node]
    while pending:
        part = pending.pop()
        kind = type(part)
        if kind is ast.Constant:
            continue
        if kind is ast.List or kind is ast.Tuple or kind is ast.Set:
            pending.extend(part.elts)
        elif kind is ast.Dict:
            pending.extend(part.keys)  # a None key (``**mapping``) fails below
            pending.extend(part.values)
        elif kind is ast.UnaryOp:
            pending.append(part.operand)
        elif kind is ast.BinOp:  # complex numbers: 1 + 2j
            pending.append(part.left)
            pending.append(part.right)
        else:
            return False
    return True


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


_LEAVES = (ast.Name, ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)
# Fields that never hold a node that can hold a fact: names and other plain values, operators,
# expression contexts, and import aliases (read from the Import node itself).
_PLAIN_FIELDS = frozenset(
    {
        "id", "attr", "name", "arg", "asname", "module", "level", "kind", "conversion",
        "type_comment", "ctx", "op", "ops", "names", "kwd_attrs", "rest", "is_async", "tag", "simple",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        fields = tuple(f for f in node_type._fields if f not in _PLAIN_FIELDS)
        _CHILD_FIELDS[node_type] = fields
    return fields


# The node types the walk in _Collector.collect takes facts from; every other node is only walked.
_FACT_NODES = frozenset(
    {
        ast.Call, ast.Constant, ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom,
        ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Assert, ast.If,
    }
)  # fmt: skip
_NO_KEYWORDS: dict[str, Any] = {}  # shared by every call without keywords (never changed)
_NO_REFS: dict[str, str] = {}


class _Collector:
    """One flat walk over the tree (much cheaper than a recursive NodeVisitor), then names are
    resolved through the module's imports."""

    def __init__(self, path: str) -> None:
        self.facts = PythonFacts(path=path)
        self.aliases: dict[str, str] = {}
        self.assigned: dict[str, list[tuple[int, ast.expr]]] = {}  # name -> (line, value), in order
        self.spans: list[tuple[int, int]] = []  # (first, last) line of every function
        self.pending_built: list[tuple[str, int, str]] = []

    def scope(self, line: int) -> tuple[int, int] | None:
        """The innermost function holding ``line``; None at module level."""
        inner = None
        for first, last in self.spans:
            if first > line:
                break
            if line <= last:
                inner = (first, last)
        return inner

    def resolve(self, name: str | None) -> str | None:
        if not name:
            return name
        head, _, rest = name.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return name
        return _intern(f"{target}.{rest}") if rest else target

    def collect(self, tree: ast.AST) -> PythonFacts:
        facts = self.facts
        calls: list[ast.Call] = []
        classes: list[ast.ClassDef] = []
        functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        imports: list[ast.Import | ast.ImportFrom] = []
        owner: dict[int, str] = {}
        strings: list[tuple[int, int, str]] = []
        # One pass over the nodes that can hold facts, parents before children (names, operator
        # leaves and fields of plain values skipped: half the tree), sorting them as it goes.
        pending = [tree]
        append, fields_of, skip = pending.append, _CHILD_FIELDS.get, (ast.Name, type(None))
        call, constant, function, async_function = (
            ast.Call,
            ast.Constant,
            ast.FunctionDef,
            ast.AsyncFunctionDef,
        )
        interesting = _FACT_NODES
        for node in pending:  # the list grows as the loop goes: every node added is visited
            kind = type(node)
            fields = fields_of(kind)
            if fields is None:
                fields = _child_fields(kind)
            for field_name in fields:
                value = getattr(node, field_name)
                if type(value) is list:
                    for item in value:
                        if type(item) not in skip:
                            append(item)
                elif type(value) not in skip:
                    append(value)
            if kind not in interesting:
                continue
            if kind is call:
                calls.append(node)
            elif kind is constant:
                value = node.value
                if type(value) is str and 3 <= len(value) <= 500:
                    strings.append(
                        (node.lineno, node.col_offset, _intern(value) if len(value) <= 40 else value)
                    )
            elif kind is function or kind is async_function:
                functions.append(node)
            elif kind is ast.Import or kind is ast.ImportFrom:
                imports.append(node)
            elif kind is ast.ClassDef:
                classes.append(node)
                for child in node.body:
                    if isinstance(child, function | async_function):
                        owner[id(child)] = node.name
            elif kind is ast.Assign or kind is ast.AnnAssign:
                self._assignment(node)
            elif kind is ast.Assert:
                facts.asserts += 1
            elif kind is ast.If and not facts.has_main_guard and _is_main_guard(node):
                facts.has_main_guard = True
        # Later imports first, so that a name bound twice resolves through its first import.
        for node in sorted(imports, key=lambda n: (n.lineno, n.col_offset), reverse=True):
            if type(node) is ast.Import:
                self._import(node)
            else:
                self._import_from(node)
        facts.imports.sort(key=lambda i: i.line)
        for values in self.assigned.values():
            values.sort(key=lambda v: v[0])
        self.spans = sorted((n.lineno, n.end_lineno or n.lineno) for n in functions)
        facts.built = sorted(
            ((name, line, self.resolve(callee) or callee) for name, line, callee in self.pending_built),
            key=lambda b: b[1],
        )
        for node in sorted(classes, key=lambda n: n.lineno):
            self._class(node)
        for node in sorted(functions, key=lambda n: n.lineno):
            self._function(node, owner.get(id(node)))
        for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            fact = self._call_fact(node)
            if fact is not None:
                facts.calls.append(fact)
        facts.decorators.sort(key=lambda d: d.line)
        facts.strings = [(value, line) for line, _col, value in sorted(strings, key=lambda s: s[:2])]
        return facts

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.aliases[bound] = alias.name if alias.asname else alias.name.split(".")[0]
            self.facts.imports.append(ImportFact(alias.name, None, bound, node.lineno))

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = ("." * node.level) + (node.module or "")
        for alias in node.names:
            bound = alias.asname or alias.name
            if alias.name != "*":
                self.aliases[bound] = f"{module}.{alias.name}" if module else alias.name
            self.facts.imports.append(ImportFact(module, alias.name, bound, node.lineno))

    def _class(self, node: ast.ClassDef) -> None:
        bases = tuple(filter(None, (self.resolve(dotted(b)) for b in node.bases)))
        methods = tuple(n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
        self.facts.classes.append(ClassFact(node.name, bases, node.lineno, methods))
        self._decorators(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None) -> None:
        args = node.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            params.append(args.vararg)
        if args.kwarg:
            params.append(args.kwarg)
        if owner and params and params[0].arg in ("self", "cls"):
            params = params[1:]
        self.facts.functions.append(
            FunctionFact(
                name=node.name,
                line=node.lineno,
                owner=owner,
                params=len(params),
                annotated_params=sum(1 for p in params if p.annotation is not None),
                returns_annotated=node.returns is not None,
                has_docstring=_has_docstring(node.body),
                is_stub=_is_stub(node.body),
            )
        )
        self._decorators(node)

    def _decorators(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for dec in node.decorator_list:
            call = self._call_fact(dec) if isinstance(dec, ast.Call) else None
            name = self.resolve(dotted(dec.func if isinstance(dec, ast.Call) else dec))
            if name:
                self.facts.decorators.append(DecoratorFact(name, dec.lineno, node.name, call))

    def _assignment(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None:
            return
        for target in targets:
            if isinstance(target, ast.Name):
                self.assigned.setdefault(target.id, []).append((node.lineno, node.value))
                if isinstance(node.value, ast.Call) and (callee := dotted(node.value.func)):
                    self.pending_built.append((target.id, node.lineno, callee))

    def _value_of(self, node: ast.expr, line: int, depth: int = 0) -> ast.expr:
        """Follow a plain name to its last assignment above ``line`` in the same function (or at
        module level for module-level code); a name assigned elsewhere stays unknown."""
        where = self.scope(line)
        while isinstance(node, ast.Name) and depth < 4:
            earlier = [
                v for at, v in self.assigned.get(node.id, ()) if at <= line and self.scope(at) == where
            ]
            if not earlier:
                break
            node, depth = earlier[-1], depth + 1
        return node

    def _reference(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call):
            name = self.resolve(dotted(node.func))
            return f"{name}()" if name else None
        if isinstance(node, ast.Attribute | ast.Name):
            return self.resolve(dotted(node))
        return None

    def _keyword(self, value: ast.expr, line: int, keywords: dict, refs: dict, arg: str) -> None:
        value = self._value_of(value, line)
        keywords[arg] = literal(value)
        if keywords[arg] is LITERAL_UNKNOWN and (ref := self._reference(value)):
            refs[arg] = ref

    def _call_fact(self, node: ast.Call) -> CallFact | None:
        name = self.resolve(dotted(node.func))
        if not name:
            return None
        if not node.keywords:  # most calls: share the empty mappings instead of two new ones
            return CallFact(name, node.lineno, _NO_KEYWORDS, _arguments(node.args), _NO_REFS, False)
        keywords: dict[str, Any] = {}
        refs: dict[str, str] = {}
        unknown = False
        for kw in node.keywords:
            if kw.arg:
                self._keyword(kw.value, node.lineno, keywords, refs, kw.arg)
                continue
            mapping = self._value_of(kw.value, node.lineno)  # **mapping: read a dict display
            if isinstance(mapping, ast.Dict) and all(isinstance(k, ast.Constant) for k in mapping.keys):
                for key, value in zip(mapping.keys, mapping.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        self._keyword(value, node.lineno, keywords, refs, key.value)
            else:
                unknown = True
        return CallFact(name, node.lineno, keywords, _arguments(node.args), refs, unknown)


# Most calls pass no literal: one shared tuple per number of arguments instead of one per call
_UNKNOWN_ARGUMENTS = tuple((LITERAL_UNKNOWN,) * count for count in range(5))


def _arguments(nodes: list[ast.expr]) -> tuple[Any, ...]:
    """The literal values of a call's first four positional arguments."""
    values = tuple([literal(a) for a in nodes[:4]])
    if LITERAL_UNKNOWN in values and all(v is LITERAL_UNKNOWN for v in values):
        return _UNKNOWN_ARGUMENTS[len(values)]
    return values


def _has_docstring(body: list[ast.stmt]) -> bool:
    """What ``ast.get_docstring(node) is not None`` says, without cleaning the text."""
    first = body[0] if body else None
    return type(first) is ast.Expr and type(first.value) is ast.Constant and type(first.value.value) is str


def _is_stub(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # docstring or ...
        if isinstance(stmt, ast.Raise) and "NotImplementedError" in (dotted(stmt.exc) or ""):
            continue
        return False
    return True
