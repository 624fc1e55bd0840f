"""Reading a repository at a git revision: the objects, never the working tree.

``verify PATH --rev REV`` and ``--at DATE`` read every file from the commit's tree through
gitpython's object database (``git cat-file --batch``); nothing is checked out and nothing in
the repository changes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from verifier.records import field, record
from verifier.repo.gitcmd import GitCommandError, git_log, object_reader, resolve_commit, run_git
from verifier.repo.listing import Listing, find_git_root, linked_git_dir

DEFAULT_TIMEZONE = "Europe/Copenhagen"  # the course's deadlines are Danish time


class RevisionError(ValueError):
    """The revision or date cannot be resolved; the message says why in one line."""


@record(frozen=True)
class Revision:
    """The commit verified instead of the work tree, and how it was chosen."""

    commit: str
    date: str  # committer date, ISO 8601 with offset
    chosen_by: str  # how it was chosen, in words


@record
class RevisionSource:
    """File listing, sizes and contents of one commit's tree."""

    git_root: Path
    revision: Revision
    sizes: dict[str, int]
    blobs: dict[str, str]  # path -> blob sha
    skipped: list[str]
    missing: list[str] = field(default_factory=list)
    _repo: object = None

    def listing(self) -> Listing:
        notes = [f"read at commit {self.revision.commit[:10]} ({self.revision.chosen_by})"]
        notes += [f"{path}: symlink or submodule at this revision, not read" for path in self.skipped[:20]]
        notes += [f"{path}: object missing from the repository, not fetched" for path in self.missing[:20]]
        link = linked_git_dir(self.git_root)
        notes += [link] if link else []
        return Listing(
            root=self.git_root, files=sorted(self.blobs), via="git", git_root=self.git_root, notes=notes
        )

    def read(self, path: str) -> bytes:
        if self._repo is None:
            self._repo = object_reader(self.git_root)
        return self._repo.odb.stream(bytes.fromhex(self.blobs[path])).read()

    def close(self) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    def size(self, path: str) -> int:
        return self.sizes[path]


def parse_moment(text: str, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """A timezone-aware moment; a time without an offset is taken in ``timezone``."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise RevisionError(f"cannot read {text!r} as a date (use e.g. '2026-01-23 23:59')") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def resolve(
    path: Path, rev: str | None = None, at: str | None = None, timezone: str = DEFAULT_TIMEZONE
) -> tuple[Path, Revision]:
    """(git root, revision) for ``--rev`` or ``--at``. Names are resolved to a full hash before
    anything else reads them, so a branch named like an option is never passed as one."""
    git_root = find_git_root(path.resolve())
    if git_root is None:
        raise RevisionError(f"{path} is not in a git repository; --rev and --at need one")
    if rev is not None:
        try:
            commit = resolve_commit(git_root, rev)
            date = git_log(git_root, "-1", "--format=%cI", commit, "--").strip()
        except GitCommandError:
            raise RevisionError(f"no commit {rev!r} in {git_root}") from None
        return git_root, Revision(commit, date, f"--rev {rev}")
    moment = parse_moment(at or "", timezone)
    branch, head = default_branch(git_root)
    try:
        out = git_log(git_root, "--first-parent", "--format=%H %cI", head, "--") if head else ""
    except GitCommandError:
        out = ""
    for row in out.splitlines():
        commit, _, date = row.partition(" ")
        if date and datetime.fromisoformat(date) <= moment:
            return git_root, Revision(
                commit, date, f"last commit on {branch} at or before {moment.isoformat()} (--at {at})"
            )
    raise RevisionError(f"no commit on {branch} at or before {moment.isoformat()}")


def default_branch(git_root: Path) -> tuple[str, str | None]:
    """(name, full hash) of origin's default branch when known, else the checked-out branch,
    else HEAD; the hash is None for a repository without commits."""
    for ref in ("refs/remotes/origin/HEAD", "HEAD"):
        try:
            target = run_git(git_root, "symbolic-ref", "-q", ref).strip()
            if target:
                name = target.removeprefix("refs/heads/").removeprefix("refs/remotes/")
                return name, resolve_commit(git_root, target)
        except GitCommandError:
            continue
    try:
        return "HEAD", resolve_commit(git_root, "HEAD")
    except GitCommandError:
        return "HEAD", None


def revision_source(git_root: Path, revision: Revision) -> RevisionSource:
    out = run_git(git_root, "ls-tree", "-r", "-z", "--long", revision.commit)
    sizes: dict[str, int] = {}
    blobs: dict[str, str] = {}
    skipped: list[str] = []
    missing: list[str] = []
    for row in out.split("\0"):
        if not row:
            continue
        meta, _, rel = row.partition("\t")
        mode, kind, sha, size = meta.split()
        if kind != "blob" or mode == "120000":
            skipped.append(rel)
            continue
        if not size.isdigit():  # the object is missing (a partial clone): never fetched
            missing.append(rel)
            continue
        blobs[rel] = sha
        sizes[rel] = int(size)
    return RevisionSource(git_root, revision, sizes, blobs, skipped, missing)
