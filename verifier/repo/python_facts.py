"""What a Python file contains: the facts every probe shares (imports, calls with their keyword
arguments, decorators, classes and their bases, functions, the ``__main__`` guard), with their
line numbers.

The facts are read by :mod:`verifier.repo.python_scan` (with the standard ``ast`` parser),
which is imported only when a file is parsed: a run whose files are all in the parse cache
never imports ``ast``.
"""

from __future__ import annotations

from verifier.records import field, record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


class PythonParseError(ValueError):
    """The file is not Python this interpreter can parse (the message says where and why)."""


@record(frozen=True, slots=True)
class ImportFact:
    """One imported name of a module."""

    module: str  # "torch.nn" for "from torch import nn" is module "torch", name "nn"
    name: str | None
    alias: str
    line: int

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module

    @property
    def top_level(self) -> str:
        return self.module.split(".")[0]

    def __reduce__(self):  # pickled as its fields: loads far faster than slot state
        return ImportFact, (self.module, self.name, self.alias, self.line)


@record(frozen=True, slots=True)
class CallFact:
    """One call in a module, with its import-resolved name and literal arguments."""

    name: str  # dotted, import-resolved: "wandb.init", "self.log", "Trainer"
    line: int
    keywords: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    args: tuple[Any, ...] = ()  # literal positional arguments (non-literals are LITERAL_UNKNOWN)
    # where a keyword's value is not a literal: what it names, after following local names to
    # their assignment ("cfg.train.profiler", "lightning.pytorch.profilers.SimpleProfiler()")
    refs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    unknown_keywords: bool = False  # a ``**mapping`` whose keys cannot be read

    def __reduce__(self):  # pickled as its fields: loads far faster than slot state
        return CallFact, (self.name, self.line, self.keywords, self.args, self.refs, self.unknown_keywords)


@record(frozen=True, slots=True)
class DecoratorFact:
    """One decorator of a class or function."""

    name: str
    line: int
    target: str
    call: CallFact | None = None

    def __reduce__(self):  # pickled as its fields: loads far faster than slot state
        return DecoratorFact, (self.name, self.line, self.target, self.call)


@record(frozen=True, slots=True)
class ClassFact:
    """One class of a module."""

    name: str
    bases: tuple[str, ...]
    line: int
    methods: tuple[str, ...]

    def __reduce__(self):  # pickled as its fields: loads far faster than slot state
        return ClassFact, (self.name, self.bases, self.line, self.methods)


@record(frozen=True, slots=True)
class FunctionFact:
    """One function or method of a module."""

    name: str
    line: int
    owner: str | None  # enclosing class
    params: int  # parameters other than self/cls
    annotated_params: int
    returns_annotated: bool
    has_docstring: bool
    is_stub: bool  # body only a docstring, pass, ... or raise NotImplementedError

    def __reduce__(self):  # pickled as its fields: loads far faster than slot state
        return FunctionFact, (
            self.name,
            self.line,
            self.owner,
            self.params,
            self.annotated_params,
            self.returns_annotated,
            self.has_docstring,
            self.is_stub,
        )


@record
class PythonFacts:
    """What one Python module holds that probes ask about."""

    path: str
    imports: list[ImportFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    decorators: list[DecoratorFact] = field(default_factory=list)
    classes: list[ClassFact] = field(default_factory=list)
    functions: list[FunctionFact] = field(default_factory=list)
    has_main_guard: bool = False
    asserts: int = 0  # assert statements
    strings: list[tuple[str, int]] = field(default_factory=list)  # string constants, with line
    # ``name = call(...)``: (name, line, the call's import-resolved name)
    built: list[tuple[str, int, str]] = field(default_factory=list)

    def imports_module(self, prefix: str) -> list[ImportFact]:
        """Imports of ``prefix`` or of its submodules (``torch`` matches ``torch.nn``)."""
        return [
            i
            for i in self.imports
            if i.module == prefix or i.module.startswith(prefix + ".") or i.qualified == prefix
        ]

    def calls_named(self, *names: str) -> list[CallFact]:
        """Calls whose resolved name is one of ``names`` or ends with ``.name``."""
        out = []
        for call in self.calls:
            for name in names:
                if call.name == name or call.name.endswith("." + name):
                    out.append(call)
                    break
        return out


class _NotALiteral:
    """The value of an argument that is not a literal; one instance, kept across pickling."""

    def __reduce__(self) -> str:
        return "LITERAL_UNKNOWN"

    def __repr__(self) -> str:
        return "<not a literal>"


LITERAL_UNKNOWN = _NotALiteral()


class NewerSyntaxSkipped(Exception):
    """``ast`` refused the file and reading it as newer Python was not allowed here."""


def parse_python(path: str, text: str, newer_syntax: bool = True) -> PythonFacts:
    """Facts of one module (see :func:`verifier.repo.python_scan.parse_python`)."""
    from verifier.repo.python_scan import parse_python as scan

    return scan(path, text, newer_syntax)
