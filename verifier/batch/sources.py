"""Reading the list of groups to verify: the course's group CSV, a text file, or a folder."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

URL = re.compile(r"^(https?://|git@|ssh://|file://)")


class SourceError(ValueError):
    """The source cannot be read as groups; the message says why."""


@dataclass(frozen=True)
class Group:
    id: str  # safe for a file name
    repo: str  # a URL or a local path
    students: tuple[str, ...] = field(default=())

    @property
    def is_url(self) -> bool:
        return bool(URL.match(self.repo))


def safe_id(text: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", text.strip()).strip("._")
    return cleaned[:80] or "group"


def read_groups(source: Path) -> list[Group]:
    """Groups from a CSV (group_number, student_1..student_5, repo_url), a text file of paths or
    URLs (one per line, # comments), or a folder whose subfolders are repositories."""
    if source.is_dir():
        return _unique([Group(safe_id(p.name), str(p)) for p in sorted(source.iterdir()) if p.is_dir()])
    try:
        text = source.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror}") from None
    first = text.split("\n", 1)[0].lower()
    if "repo" in first and "," in first:
        return _from_csv(text)
    groups = []
    for line in text.splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            name = entry.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
            groups.append(Group(safe_id(name), entry))
    return _unique(groups)


def _from_csv(text: str) -> list[Group]:
    rows = list(csv.DictReader(text.splitlines()))
    groups = []
    for number, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        url = row.get("repo_url") or row.get("repo") or row.get("repository") or ""
        if not url:
            raise SourceError(f"CSV line {number} has no repo_url")
        group = row.get("group_number") or row.get("group") or str(number - 1)
        students = tuple(v for k, v in sorted(row.items()) if k.startswith("student") and v)
        groups.append(Group(safe_id(f"group_{group}" if group.isdigit() else group), url, students))
    return _unique(groups)


def _unique(groups: list[Group]) -> list[Group]:
    seen: dict[str, int] = {}
    out = []
    for group in groups:
        count = seen.get(group.id, 0)
        seen[group.id] = count + 1
        out.append(group if not count else Group(f"{group.id}_{count + 1}", group.repo, group.students))
    return out
