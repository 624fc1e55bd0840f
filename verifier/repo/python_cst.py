"""Python newer than this interpreter: read with libcst, lowered to code ``ast`` accepts.

The broad scan uses the standard ``ast`` parser of the running Python (3.11), which refuses
syntax added later: ``type`` aliases, generic parameters (``def f[T](x: T)``), f-strings that
reuse their quote inside. libcst parses those; this module rewrites just those constructs into
3.11 syntax with the same lines (``type X = int`` becomes ``X = int``, type parameters are
dropped, such f-strings become plain strings with the same number of lines), so the one
collector of :mod:`verifier.repo.python_facts` reads the result with correct line numbers.
libcst is imported only when a file needs it, and only in a child process: its native parser
can crash (a segmentation fault) or take gigabytes on some input (a long chain of unary
operators), and must not take the verification down with it. The child (this file run as a
script, started once per process and reused) gets source texts on standard input, parses them
with libcst and nothing else (no code of the repository runs), under limits on memory and CPU
time and a wall-clock timeout per file. A crash, a timeout or a limit is a ``ValueError`` for
that file, and the next file gets a fresh child.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time

MEMORY_LIMIT = 1 << 30  # bytes of address space for the child
CPU_SECONDS = 600  # for the child's whole life; a file is stopped sooner by the wall clock
WALL_SECONDS = 30  # per file
OK, PARSE_ERROR, FAILED = 0, 1, 2
_HEADER = struct.Struct(">Q")

_child: subprocess.Popen | None = None
_child_owner = 0  # the pid that started it: a forked worker starts its own


def lower_to_311(text: str) -> str:
    """The same module in syntax Python 3.11 parses, lowered in the bounded child process.
    Raises ``ValueError`` when libcst cannot parse it, crashes or runs out of bounds."""
    payload = text.encode("utf-8", "surrogatepass")
    child = _running_child()
    try:
        child.stdin.write(_HEADER.pack(len(payload)) + payload)
        child.stdin.flush()
        deadline = time.monotonic() + WALL_SECONDS
        status = _read_exact(child, 1, deadline)[0]
        body = _read_exact(child, _HEADER.unpack(_read_exact(child, _HEADER.size, deadline))[0], deadline)
    except (OSError, EOFError, TimeoutError) as exc:
        raise ValueError(_stop_child(timed_out=isinstance(exc, TimeoutError))) from None
    if status == OK:
        return body.decode("utf-8", "surrogatepass")
    if status == FAILED:
        _stop_child()
    raise ValueError(body.decode("utf-8", "replace")[:300] or "not parsable")


def _running_child() -> subprocess.Popen:
    global _child, _child_owner
    if _child is None or _child_owner != os.getpid() or _child.poll() is not None:
        _child = subprocess.Popen(
            [sys.executable, "-I", os.path.abspath(__file__)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        _child_owner = os.getpid()
    return _child


def _stop_child(timed_out: bool = False) -> str:
    """Stop the child; why it failed, in words."""
    global _child
    child, _child = _child, None
    if child is None:
        return "libcst failed"
    if child.poll() is None:
        child.kill()
    code = child.wait()
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()
    if timed_out:
        return f"libcst took longer than {WALL_SECONDS} s, stopped"
    if code < 0:
        return f"libcst's parser crashed on it (signal {-code})"
    return f"libcst failed (its process ended with status {code})"


def _read_exact(child: subprocess.Popen, size: int, deadline: float) -> bytes:
    import select

    descriptor = child.stdout.fileno()
    chunks: list[bytes] = []
    while size > 0:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(descriptor, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _limit_child() -> None:
    """Run by the child on itself before libcst is imported (no ``preexec_fn``, which is not
    safe while the parent has threads, such as a progress bar's)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


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


def _serve() -> int:
    """The child's loop: length-prefixed texts in, a status byte and the lowered text out."""
    _limit_child()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return 0
        text = source.read(_HEADER.unpack(header)[0]).decode("utf-8", "surrogatepass")
        try:
            status, body = OK, _lower_in_process(text)
        except ValueError as exc:
            status, body = PARSE_ERROR, str(exc)
        except MemoryError:
            status, body = FAILED, f"libcst needed more than {MEMORY_LIMIT >> 20} MB"
        except RecursionError:
            status, body = FAILED, "libcst: nested too deeply"
        data = body.encode("utf-8", "surrogatepass")
        sink.write(bytes([status]) + _HEADER.pack(len(data)) + data)
        sink.flush()
        if status == FAILED:
            return 1


if __name__ == "__main__":
    raise SystemExit(_serve())
