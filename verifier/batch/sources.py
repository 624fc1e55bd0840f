"""Reading the list of groups to verify: the course's group CSV, a text file, or a folder.

A course CSV is typed by students into a form, so its ``repo_url`` may name only a remote
repository (``https://``, ``ssh://``, ``git@host:path``); a row naming a local folder or a
``file://`` URL is kept as a refused group with its reason unless local entries are allowed.
A text list or a folder comes from the grader and is taken as written.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from verifier.compiled import regex
from verifier.records import field, record
from verifier.safe_text import without_credentials

URL = regex(r"^(https?://|git@|ssh://|file://)")
SCP_LIKE = regex(r"^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(\S+)$")
REPO_COLUMNS = ("repo_url", "repo", "repository")
GROUP_COLUMNS = ("group_number", "group")
EXPECTED_HEADER = "group_number, student_1..student_5, repo_url"
ALLOWED = (
    "a course CSV may name only https://, ssh:// or git@host:path repositories; "
    "--allow-local accepts local ones"
)


class SourceError(ValueError):
    """The source cannot be read as groups; the message says why."""


@record(frozen=True)
class Group:
    """One group of a cohort: its repository and students."""

    id: str  # safe for a file name, unique in its source (case-insensitively)
    repo: str  # a URL or a local path
    students: tuple[str, ...] = field(default=())
    refused: str | None = None  # why this row is not verified (a local entry in a course CSV)

    @property
    def is_url(self) -> bool:
        return bool(URL.match(self.repo))


def safe_id(text: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", text.strip()).strip("._-")
    return cleaned[:80] or "group"


def remote_refusal(entry: str) -> str | None:
    """None when ``entry`` is a remote repository a course CSV may name; otherwise what it is."""
    if any(ch.isspace() or not ch.isprintable() for ch in entry):
        return "holds spaces or control characters"
    lowered = entry.lower()
    if lowered.startswith(("https://", "ssh://")):
        try:
            host = urlsplit(entry).hostname or ""
        except ValueError:
            return "is not a well-formed URL"
        if not host or host.startswith("-"):
            return "names no host"
        return None
    scp = SCP_LIKE.match(entry)
    if scp and not scp.group(1).startswith("-") and not scp.group(2).startswith("-"):
        return None
    if lowered.startswith("file:"):
        return "is a file:// URL (a folder on this machine)"
    if entry.startswith("~"):
        return "is a home-folder path"
    if entry.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", entry):
        return "is an absolute path"
    if "://" in entry or "::" in entry:
        return "uses a transport other than https or ssh"
    return "is a relative path"


def read_groups(source: Path, allow_local: bool = False) -> list[Group]:
    """Groups from a CSV (group_number, student_1..student_5, repo_url), a text file of paths or
    URLs (one per line, # comments), or a folder whose subfolders are repositories.

    Raises SourceError when the source is unreadable, empty, or a CSV with an unknown header.
    """
    if source.is_dir():
        groups = [Group(safe_id(p.name), str(p)) for p in sorted(source.iterdir()) if p.is_dir()]
    else:
        try:
            text = source.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as exc:
            raise SourceError(f"cannot read {source}: {exc.strerror}") from None
        first = text.split("\n", 1)[0]
        if not text.strip():
            groups = []
        elif source.suffix.lower() == ".csv" or "," in first:
            groups = _from_csv(text, allow_local)
        else:
            groups = []
            for line in text.splitlines():
                entry = line.strip()
                if entry and not entry.startswith("#"):
                    name = entry.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
                    groups.append(Group(safe_id(name), entry))
    if not groups:
        raise SourceError(f"{source} names no groups")
    return unique_ids(groups)


def _from_csv(text: str, allow_local: bool) -> list[Group]:
    reader = csv.DictReader(text.splitlines())
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if not any(column in header for column in REPO_COLUMNS):
        shown = ", ".join(h for h in header if h)[:200] or "nothing"
        raise SourceError(f"unknown CSV header ({shown}); expected {EXPECTED_HEADER}")
    groups = []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        url = next((row[c] for c in REPO_COLUMNS if row.get(c)), "")
        group = next((row[c] for c in GROUP_COLUMNS if row.get(c)), "") or str(number - 1)
        students = tuple(v for k, v in sorted(row.items()) if k.startswith("student") and v)
        refused = None
        if not url:
            refused = f"CSV line {number} has no repo_url"
        elif not allow_local:
            why = remote_refusal(url)
            if why:
                refused = f"refused: repo_url {why}; {ALLOWED}"
        groups.append(Group(safe_id(f"group_{group}" if group.isdigit() else group), url, students, refused))
    return groups


def unique_ids(groups: list[Group]) -> list[Group]:
    """Every group its own id, the same on every run over the same source.

    Groups sharing a name are told apart by a hash of their repository (credentials removed),
    so the suffix does not depend on their order; ids are compared case-insensitively, since
    they name files.
    """
    counts: dict[str, int] = {}
    for group in groups:
        counts[group.id.casefold()] = counts.get(group.id.casefold(), 0) + 1
    used: set[str] = set()
    out = []
    for group in groups:
        wanted = group.id
        if counts[wanted.casefold()] > 1:
            digest = hashlib.sha256(without_credentials(group.repo).encode()).hexdigest()[:10]
            wanted = f"{group.id}-{digest}"
        candidate, n = wanted, 2
        while candidate.casefold() in used or (candidate != group.id and candidate.casefold() in counts):
            candidate, n = f"{wanted}-{n}", n + 1
        used.add(candidate.casefold())
        if candidate != group.id:
            group = Group(candidate, group.repo, group.students, group.refused)
        out.append(group)
    return out
