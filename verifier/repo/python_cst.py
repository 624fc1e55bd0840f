"""Python newer than this interpreter: read with libcst, lowered to code ``ast`` accepts.

The broad scan uses the standard ``ast`` parser of the running Python (3.11), which refuses
syntax added later: ``type`` aliases, generic parameters (``def f[T](x: T)``), f-strings that
reuse their quote inside. libcst parses those; this module rewrites just those constructs into
3.11 syntax with the same lines (``type X = int`` becomes ``X = int``, type parameters are
dropped, such f-strings become plain strings with the same number of lines), so the one
collector of :mod:`verifier.repo.python_facts` reads the result with correct line numbers.
libcst is imported only when a file needs it.
"""

from __future__ import annotations


def lower_to_311(text: str) -> str:
    """The same module in syntax Python 3.11 parses. Raises ``ValueError`` if libcst cannot."""
    import libcst as cst

    try:
        module = cst.parse_module(text)
    except Exception as exc:  # libcst's ParserSyntaxError and friends
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(first) from None

    class Lower(cst.CSTTransformer):
        def leave_TypeAlias(self, original, updated):  # noqa: N802 (libcst's visitor names)
            return cst.Assign(targets=[cst.AssignTarget(target=updated.name)], value=updated.value)

        def leave_FunctionDef(self, original, updated):  # noqa: N802
            return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

        def leave_ClassDef(self, original, updated):  # noqa: N802
            return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

        def leave_FormattedString(self, original, updated):  # noqa: N802
            code = module.code_for_node(original)
            body = code[len(original.start) : len(code) - len(original.end)]
            if original.quote not in body:
                return updated
            newlines = code.count("\n")
            return cst.SimpleString('"""' + "\n" * newlines + '"""' if newlines else '""')

    return module.visit(Lower()).code
