"""Python newer than this interpreter: read with libcst, lowered to code ``ast`` accepts.

The broad scan uses the standard ``ast`` parser of the running Python (3.11), which refuses
syntax added later: ``type`` aliases, generic parameters (``def f[T](x: T)``), f-strings that
reuse their quote inside. libcst parses those; this module rewrites just those constructs into
3.11 syntax with the same lines (``type X = int`` becomes ``X = int``, type parameters are
dropped, such f-strings become plain strings with the same number of lines), so the one
collector of :mod:`verifier.repo.python_facts` reads the result with correct line numbers.
libcst is imported only when a file needs it, and only in a child process: its native parser
can crash (a segmentation fault) or take gigabytes on some input (a long chain of unary
operators), and must not take the verification down with it. The child gets the source text on
standard input, parses it with libcst and nothing else (no code of the repository runs), under
limits on memory and CPU time and a wall-clock timeout; any failure is a ``ValueError``.
"""

from __future__ import annotations

import subprocess
import sys

MEMORY_LIMIT = 1 << 30  # bytes of address space for the child
CPU_SECONDS = 20
WALL_SECONDS = 30


def lower_to_311(text: str) -> str:
    """The same module in syntax Python 3.11 parses, lowered in a bounded child process.
    Raises ``ValueError`` when libcst cannot parse it, crashes or runs out of bounds."""
    try:
        completed = subprocess.run(
            [sys.executable, "-I", "-m", "verifier.repo.python_cst"],
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=WALL_SECONDS,
            preexec_fn=_limit_child,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ValueError(f"libcst took longer than {WALL_SECONDS} s, stopped") from None
    if completed.returncode == 0:
        return completed.stdout.decode("utf-8", "surrogatepass")
    if completed.returncode == EXIT_PARSE_ERROR:
        raise ValueError(
            completed.stderr.decode("utf-8", "replace").strip()[:300] or "libcst cannot parse it"
        )
    if completed.returncode < 0:
        raise ValueError(f"libcst's parser crashed on it (signal {-completed.returncode})")
    return _failed(completed)


def _failed(completed: subprocess.CompletedProcess) -> str:
    last = completed.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = last[-1] if last else f"exit status {completed.returncode}"
    if "MemoryError" in reason or "memory" in reason.lower():
        reason = f"libcst needed more than {MEMORY_LIMIT >> 20} MB"
    raise ValueError(f"libcst failed: {reason[:200]}")


def _limit_child() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


EXIT_PARSE_ERROR = 3


def _lower_in_process(text: str) -> str:
    """The lowering itself; run only in the bounded child (see :func:`lower_to_311`)."""
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


def _child() -> int:
    text = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
    try:
        lowered = _lower_in_process(text)
    except ValueError as exc:
        sys.stderr.write(str(exc))
        return EXIT_PARSE_ERROR
    sys.stdout.buffer.write(lowered.encode("utf-8", "surrogatepass"))
    return 0


if __name__ == "__main__":
    raise SystemExit(_child())
