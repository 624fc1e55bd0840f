"""One read-only view of the repository, shared by every probe.

Each file is read at most once and parsed at most once per form (text, YAML, TOML, Python
facts, Dockerfile instructions, workflow model); results and failures are cached, and every
problem met (a file too large, binary, undecodable, unparsable, a symlink leaving the
repository) becomes one :class:`~verifier.evidence.Notice` instead of an exception.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import cached_property, lru_cache, partial
from pathlib import Path, PurePosixPath

from verifier.compiled import regex
from verifier.evidence import Notice
from verifier.repo.confined import TooLarge, read_inside, real_root, size_inside
from verifier.repo.content import DEFAULT_SIZE_CAP, decode, describe_size
from verifier.repo.listing import Listing, is_repository_level, list_files

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_FAILED = object()

CACHED_FORMS = frozenset({"Python", "YAML", "TOML", "template fingerprint"})  # kept between runs, by content
NEAR_THE_TOP = 200  # a line this near the start of a file is quoted without indexing its lines
TEMPLATE_FILE_LIMIT = 100_000  # bytes; the course template's files are all far smaller


class RepoView:
    """Files of one repository, as POSIX paths relative to :attr:`root`.

    ``root`` is the git work tree's top when there is one, else the folder given.
    ``project_dir`` is the project's folder relative to ``root`` ("" when they coincide):
    a project may sit in a subfolder of its git repository, with the workflows at the top.
    """

    def __init__(
        self,
        listing: Listing,
        project_dir: str = "",
        size_cap: int = DEFAULT_SIZE_CAP,
        reader: Callable[[str], bytes] | None = None,
        sizer: Callable[[str], int] | None = None,
    ) -> None:
        self.root = listing.root
        self.files: list[str] = listing.files
        self.via = listing.via
        self.git_root = listing.git_root
        self.project_dir = project_dir.strip("/")
        self.size_cap = size_cap
        self._reader = reader or self._read_worktree
        self._sizer = sizer or self._size_worktree
        self._file_set = set(self.files)
        self._cache: dict[tuple[str, str], Any] = {}
        self._notices: dict[tuple[str | None, str], Notice] = {}
        self.reads = 0
        self._real_folders: dict[str, str] = {}  # folder -> its real path, resolved once
        self._artifacts: dict[str, bool] = {}  # path -> committed run output, decided once
        self._git_job = None  # a Background reading the git facts, once prefetch_git started it
        self._branch_job = None
        self.shared_seconds = 0.0  # reading and parsing files, building the import graph, git facts
        self._shared_depth = 0
        self._helper = None  # a ParseHelper once started, False when there is none
        self.report_path: str | None = None  # set once the report is found
        self.revision = None  # a revision.Revision when reading a commit, not the work tree
        for note in listing.notes:
            self.notice(None, note)

    @classmethod
    def open(cls, path: Path, size_cap: int = DEFAULT_SIZE_CAP, source=None) -> RepoView:
        """The repository holding the folder ``path``, scoped to it.

        When ``path`` is a subfolder of its git work tree, the view holds the subfolder's
        files plus the repository-level files at the top that act on the whole repository
        (workflows, pre-commit, DVC). A subfolder with a ``.github`` folder of its own is
        verified as a repository of its own (an example or a copied project): its paths are
        relative to it, and only the history comes from the enclosing work tree.
        """
        path = path.resolve()
        listing = source.listing() if source is not None else list_files(path)
        io = {"reader": source.read, "sizer": source.size} if source is not None else {}
        project = os.path.relpath(path, listing.root)
        if project == ".":
            return cls(listing, project_dir="", size_cap=size_cap, **io)
        prefix = PurePosixPath(Path(project)).as_posix() + "/"
        inside = [f for f in listing.files if f.startswith(prefix)]
        if any(f.startswith(prefix + ".github/") for f in inside):
            rerooted = Listing(
                root=path,
                files=[f[len(prefix) :] for f in inside],
                via=listing.via,
                git_root=listing.git_root,
                notes=[
                    *listing.notes,
                    f"{prefix[:-1]} has its own .github folder: verified as a repository of its "
                    f"own inside the git work tree {listing.root}",
                ],
            )
            if source is not None:  # paths are now relative to the subfolder
                io = {"reader": lambda p: source.read(prefix + p), "sizer": lambda p: source.size(prefix + p)}
            return cls(rerooted, project_dir="", size_cap=size_cap, **io)
        scoped = inside + [f for f in listing.files if is_repository_level(f)]
        listing = Listing(listing.root, sorted(set(scoped)), listing.via, listing.git_root, listing.notes)
        return cls(listing, project_dir=prefix[:-1], size_cap=size_cap, **io)

    # ---- notices -------------------------------------------------------------------------
    def notice(self, path: str | None, message: str, source: str = "repository") -> None:
        key = (path, message)
        if key not in self._notices:
            self._notices[key] = Notice(source, path, message)

    @property
    def notices(self) -> list[Notice]:
        return list(self._notices.values())

    # ---- listing -------------------------------------------------------------------------
    def exists(self, path: str) -> bool:
        return path in self._file_set

    def project_path(self, relative: str) -> str:
        """A path given relative to the project folder, made relative to the root."""
        return f"{self.project_dir}/{relative}" if self.project_dir else relative

    def is_artifact(self, path: str) -> bool:
        """Committed run output (W&B run folders, Hydra outputs, MLflow and Lightning logs, a
        built documentation site), by its shape: copies that are not the project's own."""
        known = self._artifacts.get(path)
        if known is None:
            from verifier.repo.run_output import built_sites, is_run_output

            sites = self._cache.get(("sites", ""))
            if sites is None:
                sites = self._cache[("sites", "")] = built_sites(self._file_set)
            known = self._artifacts[path] = is_run_output(path, sites)
        return known

    def glob(self, *patterns: str) -> list[str]:
        """Files whose path (relative to root) or base name matches any fnmatch pattern.

        A pattern without ``/`` matches base names anywhere; with ``/`` it matches the whole
        path, where ``**/`` also matches the root itself. Committed run output is left out.
        Each call is one pass over the files with one compiled pattern per form (name, path).
        """
        key = ("glob", patterns)
        cached = self._cache.get(key)
        if cached is None:
            by_name, by_path = _glob_patterns(patterns)
            suffixes = _name_suffixes(patterns)
            if suffixes is None:  # a path pattern, or a name pattern that may end anyhow
                candidates = self._named_files
            else:  # only the files whose names end as the patterns' names must
                named, by_suffix = self._named_files, self._files_by_suffix
                found = sorted({at for suffix in suffixes for at in by_suffix.get(suffix, ())})
                candidates = [named[at] for at in found]
            cached = [
                path
                for path, name in candidates
                if (by_name is not None and by_name(name)) or (by_path is not None and by_path(path))
            ]
            self._cache[key] = cached
        return list(cached)

    @cached_property
    def _named_files(self) -> tuple[tuple[str, str], ...]:
        """(path, base name) of every file that is not committed run output, computed once."""
        return tuple((path, path.rsplit("/", 1)[-1]) for path in self.files if not self.is_artifact(path))

    @cached_property
    def _files_by_suffix(self) -> dict[str, list[int]]:
        """Positions in :attr:`_named_files` by what follows the base name's last dot ("" for
        a name without one)."""
        by_suffix: dict[str, list[int]] = {}
        for at, (_, name) in enumerate(self._named_files):
            by_suffix.setdefault(name.rpartition(".")[2] if "." in name else "", []).append(at)
        return by_suffix

    def python_files(self) -> list[str]:
        """The project's Python files; the course's own report script is not project code."""
        return list(self._python_files)

    @cached_property
    def _python_files(self) -> tuple[str, ...]:
        return tuple(
            p for p in self.files if p.endswith(".py") and not _course_tooling(p) and not self.is_artifact(p)
        )

    # ---- reading -------------------------------------------------------------------------
    def _read_worktree(self, path: str) -> bytes:
        return read_inside(self._root_real, path, self.size_cap + 1, self._real_folders)

    def _size_worktree(self, path: str) -> int:
        return size_inside(self._root_real, path, self._real_folders)

    @cached_property
    def _root_real(self) -> str:
        return real_root(self.root)

    def size(self, path: str) -> int | None:
        key = ("size", path)
        if key not in self._cache:
            try:
                self._cache[key] = self._sizer(path)
            except (OSError, KeyError, ValueError) as exc:
                self.notice(path, f"cannot read: {_reason(exc)}")
                self._cache[key] = None
        return self._cache[key]

    def text(self, path: str) -> str | None:
        """The file's text, or None (with a notice) when it is missing, large or binary."""
        key = ("text", path)
        if key in self._cache:
            return self._cache[key]
        if path not in self._file_set:
            self._cache[key] = None
            return None
        if self._helper and (delivered := self._helper.text(path)) is not None:
            text, size = delivered  # read once, by the parse helper
            self._cache[key] = text
            if size is not None:
                self._cache.setdefault(("size", path), size)
            return text
        with self._shared_work():
            result = self._read_text(path)
        self._cache[key] = result
        return result

    def _read_text(self, path: str) -> str | None:
        if self._reader == self._read_worktree and ("size", path) not in self._cache:
            return self._read_worktree_text(path)
        size = self.size(path)
        if size is not None and size > self.size_cap:
            self._too_large(path, size)
        elif size is not None:
            try:
                data = self._reader(path)
                self.reads += 1
            except (OSError, KeyError, ValueError) as exc:
                self.notice(path, f"cannot read: {_reason(exc)}")
            else:
                return self._decoded(path, data)
        return None

    def _read_worktree_text(self, path: str) -> str | None:
        """A work tree file's text, its size taken from the open file (one ``stat`` less)."""
        key = ("size", path)
        try:
            data = read_inside(
                self._root_real, path, self.size_cap + 1, self._real_folders, refuse_above=self.size_cap
            )
        except TooLarge as exc:
            self._cache[key] = exc.size
            self._too_large(path, exc.size)
            return None
        except (OSError, KeyError, ValueError) as exc:
            self._cache[key] = None
            self.notice(path, f"cannot read: {_reason(exc)}")
            return None
        self.reads += 1
        self._cache[key] = len(data)
        return self._decoded(path, data)

    def _too_large(self, path: str, size: int) -> None:
        self.notice(path, f"skipped: {describe_size(size)} exceeds the {describe_size(self.size_cap)} cap")

    def _decoded(self, path: str, data: bytes) -> str | None:
        if len(data) > self.size_cap:
            self.notice(path, f"skipped: larger than the {describe_size(self.size_cap)} cap")
            return None
        content = decode(data)
        if content.reason:
            self.notice(path, content.reason)
        return content.text

    def lines(self, path: str) -> list[str]:
        key = ("lines", path)
        if key not in self._cache:
            text = self.text(path)
            self._cache[key] = text.split("\n") if text is not None else []
        return self._cache[key]

    def find_line(self, path: str, needle: str, start: int = 1) -> int | None:
        """1-based number of the first line at or after ``start`` containing ``needle``."""
        lines = self.lines(path)
        for number in range(max(start, 1), len(lines) + 1):
            if needle in lines[number - 1]:
                return number
        return None

    def line_text(self, path: str, line: int | None) -> str:
        """The stripped text of a line; for a notebook, a line of its joined code cells."""
        if path.endswith(".ipynb"):
            code = self.parsed("notebook code", path, _notebook_code)
            if code:
                lines = code.split("\n")
                return lines[line - 1].strip() if line and 1 <= line <= len(lines) else ""
        if ("lines", path) in self._cache:
            lines = self.lines(path)
            return lines[line - 1].strip() if line and 1 <= line <= len(lines) else ""
        text = self.text(path)
        if text is None or not line or line < 1:
            return ""
        if line <= NEAR_THE_TOP and ("line starts", path) not in self._cache:
            return _nth_line(text, line).strip()  # most quoted lines: no index of the file needed
        starts = self._line_starts(path, text)
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(text)
        return text[starts[line - 1] : end].strip()

    def _line_starts(self, path: str, text: str | None):
        """Where each line of the file starts: a compact index, so that quoting one line of a
        file keeps no list of all its lines in memory."""
        key = ("line starts", path)
        starts = self._cache.get(key)
        if starts is None:
            from array import array
            from itertools import accumulate

            lengths = [len(part) + 1 for part in text.split("\n")] if text is not None else []
            kind = "I" if len(text or "") < 1 << 32 else "q"  # four bytes a line where that is enough
            starts = array(kind, [0, *accumulate(lengths[:-1])]) if lengths else array(kind)
            self._cache[key] = starts
        return starts

    # ---- parsed forms --------------------------------------------------------------------
    def parsed(self, form: str, path: str, parse: Callable[[str, str], T]) -> T | None:
        """``parse(path, text)`` once per (form, path); a failure becomes a notice and None."""
        key = (form, path)
        cached = self._cache.get(key)
        if cached is _FAILED:
            return None
        if cached is not None or key in self._cache:
            return cached
        with self._shared_work():
            helper = self._helper
            if helper and key in helper.items:  # first: the helper may have read the text too
                outcome = helper.outcome(form, path)
                if outcome is not None:
                    parse = partial(_replay, outcome)
            text = self.text(path)
            if text is None:
                self._cache[key] = _FAILED
                return None
            try:
                if form in CACHED_FORMS:
                    value = self.facts_cache.get(form, path, text, parse)
                else:
                    value = parse(path, text)
            except Exception as exc:  # parsers raise on bad input; the run goes on
                self.notice(path, f"cannot parse as {form}: {_reason(exc)}")
                self._cache[key] = _FAILED
                return None
        self._cache[key] = value
        return value

    @contextmanager
    def _shared_work(self):
        """Time work done once for every probe (outermost call only), kept in
        :attr:`shared_seconds` so that a probe's own time leaves out what it happened to ask first."""
        self._shared_depth += 1
        start = time.perf_counter()
        try:
            yield
        finally:
            self._shared_depth -= 1
            if not self._shared_depth:
                self.shared_seconds += time.perf_counter() - start

    def yaml(self, path: str) -> Any:
        """The first YAML document (safe loading, bounded), or None."""
        docs = self.yaml_documents(path)
        return docs[0] if docs else None

    def yaml_documents(self, path: str) -> list[Any]:
        return self.parsed("YAML", path, _load_yaml) or []

    def template_default(self, path: str) -> str | None:
        """The course template file that ``path`` is an unchanged copy of, or None."""
        size = self.size(path)
        if size is None or size > TEMPLATE_FILE_LIMIT:  # no template file is that large
            return None
        return self.parsed("template fingerprint", path, _template_default)

    def toml(self, path: str) -> dict[str, Any] | None:
        return self.parsed("TOML", path, _load_toml)

    def python(self, path: str):
        """:class:`~verifier.repo.python_facts.PythonFacts` of a Python file or a notebook's
        code cells (joined; line numbers count in the joined code), or None."""
        if path.endswith(".ipynb"):
            code = self.parsed("notebook code", path, _notebook_code)
            return self.parsed("Python", path, lambda p, _t: _parse_python(p, code)) if code else None
        self._parse_helper()
        return self.parsed("Python", path, _parse_python)

    @cached_property
    def facts_cache(self):
        """:class:`~verifier.repo.facts_cache.FactsCache` of this repository's parsed files."""
        with self._shared_work():
            from verifier.repo.facts_cache import FactsCache

            return FactsCache.for_repository(self.root)

    def save_caches(self, background: bool = False) -> None:
        """Keep what this run parsed for the next run (call it once the result is out;
        ``background`` leaves the writing to a forked process)."""
        if "facts_cache" in self.__dict__:
            self.facts_cache.save(background=background)

    def dockerfile(self, path: str):
        """Instructions of a Dockerfile (see :mod:`verifier.repo.dockerfile`), or None."""
        return self.parsed("Dockerfile", path, _parse_dockerfile)

    def workflow(self, path: str):
        """A GitHub Actions workflow model (see :mod:`verifier.repo.workflow`), or None."""
        return self.parsed("workflow", path, self._parse_workflow)

    def _parse_workflow(self, path: str, _text: str):
        from verifier.repo.workflow import parse_workflow

        return parse_workflow(self, path)

    # ---- git -----------------------------------------------------------------------------
    def prefetch_git(self) -> None:
        """Start reading the git facts, and the files of branches the revision lacks (asked for
        whenever a tick is questioned), in the background: :attr:`git` and
        :meth:`unmerged_branch_files` wait for them."""
        if self.git_root is None or "git" in self.__dict__ or self._git_job is not None:
            return
        from verifier.repo.background import Background

        self._git_job = Background(self._read_git)
        self._branch_job = Background(self._read_branches)

    def _revision_name(self) -> str:
        return self.revision.commit if self.revision else "HEAD"

    def _read_git(self):
        from verifier.repo.gitinfo import read_git_info

        return read_git_info(self.git_root, self._revision_name())

    def _read_branches(self):
        from verifier.repo.branches import unmerged_branch_files

        return unmerged_branch_files(self.git_root, self._revision_name())

    @cached_property
    def git(self):
        """:class:`~verifier.repo.gitinfo.GitInfo`, or None outside a git work tree."""
        if self.git_root is None:
            return None
        try:
            with self._shared_work():
                return self._git_job.result() if self._git_job is not None else self._read_git()
        except Exception as exc:
            self.notice(None, f"cannot read git history: {_reason(exc)}")
            return None

    def unmerged_branch_files(self):
        """:class:`~verifier.repo.branches.BranchFile` of the branches the verified revision
        lacks (read in the background from the start, see :meth:`prefetch_git`)."""
        if self.git_root is None:
            return []
        with self._shared_work():
            return self._branch_job.result() if self._branch_job is not None else self._read_branches()

    @cached_property
    def import_graph(self):
        """:class:`~verifier.repo.imports.ImportGraph` of the Python modules (built once)."""
        from verifier.repo.imports import build_import_graph

        with self._shared_work():
            return build_import_graph(self)

    # ---- helpers for probes ----------------------------------------------------------------
    def notebook_files(self) -> list[str]:
        return [p for p in self.files if p.endswith(".ipynb") and not self.is_artifact(p)]

    def iter_python(self, paths: Iterable[str] | None = None, notebooks: bool = True):
        """(path, facts) for every parsable Python file, then every notebook (or the given ones)."""
        if paths is None:
            paths = self.python_files() + (self.notebook_files() if notebooks else [])
        for path in paths:
            facts = self.python(path)
            if facts is not None:
                yield path, facts

    def has_parsed(self, form: str, path: str) -> bool:
        return (form, path) in self._cache

    def start_parse_helper(self, then: Callable[[], Any] | None = None) -> bool:
        """Start the parse helper now, if it pays (see :mod:`verifier.repo.parallel_parse`;
        otherwise it starts when the first Python file is asked for). ``then`` runs in the
        helper once its files are parsed (:meth:`finish_parse_helper` gives its outcome);
        whether a helper took it."""
        return bool(self._parse_helper(then)) and then is not None

    def release_parse_helper(self) -> None:
        """Tell the parse helper that no more files will be asked for (it goes on to its
        ``then``, or ends)."""
        if self._helper:
            self._helper.release()

    def finish_parse_helper(self):
        """Stop the parse helper once the probes are done (files asked for later are parsed
        here): (True, what its ``then`` returned), (False, why it failed), or None."""
        if not self._helper:
            return None
        with self._shared_work():
            return self._helper.finish()

    def _parse_helper(self, then: Callable[[], Any] | None = None):
        """A forked process parsing the Python and YAML files from the far end, or None."""
        if self._helper is None:
            self._helper = False  # the start parses one file itself
            from verifier.repo.parallel_parse import ParseHelper

            yaml_files = [p for p in self.files if p.endswith((".yml", ".yaml")) and not self.is_artifact(p)]
            with self._shared_work():
                self._helper = ParseHelper.start(self, self.python_files(), yaml_files, then) or False
        return self._helper


# Parsers behind the view's shared caches; each imports what it needs on first use, so that the
# import is timed as shared parsing, not charged to whichever probe asked first.
def _parse_python(path: str, text: str):
    from verifier.repo.python_facts import parse_python

    return parse_python(path, text)


def _nth_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, found by scanning to it; "" past the end."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if not start:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _replay(outcome: tuple[bool, Any], _path: str = "", _text: str = ""):
    """What a helper process's parse of a file gave: its value, or its parse error again."""
    parsed, value = outcome
    if parsed:
        return value
    from verifier.repo.python_facts import PythonParseError

    raise PythonParseError(value)


def _template_default(_path: str, text: str) -> str:
    from verifier.templates import match_default

    return match_default(text) or ""


def _load_toml(_path: str, text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


def _parse_dockerfile(path: str, text: str):
    from verifier.repo.dockerfile import parse_dockerfile

    return parse_dockerfile(path, text)


def _load_yaml(_path: str, text: str) -> list[Any]:
    from verifier.repo.yaml_safe import load_all

    return load_all(text)


@lru_cache(maxsize=256)
def _glob_patterns(patterns: tuple[str, ...]) -> tuple[Callable | None, Callable | None]:
    """The ``match`` of one regular expression for the name patterns and one for the path
    patterns (None where there are none), as :func:`fnmatch.fnmatchcase` would match them."""
    names = [fnmatch.translate(p) for p in patterns if "/" not in p]
    paths = []
    for pattern in patterns:
        if "/" in pattern:
            paths.append(fnmatch.translate(pattern))
            if pattern.startswith("**/"):
                paths.append(fnmatch.translate(pattern[3:]))
    by_name = regex("|".join(names)).match if names else None
    by_path = regex("|".join(paths)).match if paths else None
    return by_name, by_path


def _name_suffixes(patterns: tuple[str, ...]) -> set[str] | None:
    """What follows the last dot of every base name the patterns can match (see
    :attr:`RepoView._files_by_suffix`), or None when some pattern leaves it open: a path
    pattern, a character set, or a name pattern whose end after its last dot holds a wildcard
    (or that has no dot and a wildcard)."""
    suffixes = set()
    for pattern in patterns:
        if "/" in pattern or "[" in pattern:  # a set may hold the dot
            return None
        _, dot, tail = pattern.rpartition(".")
        if "*" in tail or "?" in tail:
            return None
        suffixes.add(tail if dot else "")
    return suffixes


def _notebook_code(path: str, text: str) -> str:
    """The code cells of a notebook, joined; shell and magic lines become blank lines."""
    import json

    cells = json.loads(text).get("cells", [])
    lines: list[str] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        for line in source.removesuffix("\n").split("\n"):
            lines.append("" if line.lstrip().startswith(("%", "!")) else line)
        lines.append("")
    return "\n".join(lines)


def _course_tooling(path: str) -> bool:
    """The course ships ``reports/report.py`` (groups rename it or move it to the root)."""
    parts = path.split("/")
    return (len(parts) >= 2 and parts[-2] == "reports") or parts[-1] in ("report.py", "reports.py")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
