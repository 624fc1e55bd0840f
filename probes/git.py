"""Probe `git`: the repository's history and where it is hosted.

Emits ``git.repository`` (a work tree with commits), ``git.authors`` (distinct commit authors,
informational: the only indirect signal of who had write access) and ``git.github-remote``.
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.evidence import INFORMATIONAL, Finding
from verifier.probe import Probe
from verifier.repo.gitinfo import GITHUB_REMOTE as GITHUB
from verifier.repo.view import RepoView

# bounded parts (GitHub names are at most 100 characters): linear however often github.com repeats


def _run(view: RepoView) -> Iterator[Finding]:
    info = view.git
    if info is None or info.head is None:
        return
    yield PROBE.finding(
        "git.repository",
        None,
        None,
        f"{info.commits} commits, HEAD {info.head[:10]} ({info.head_date})",
        message=f"a git work tree with {info.commits} commits",
        data={"commits": info.commits, "head": info.head, "head_date": info.head_date},
    )
    names = list(info.authors)
    yield PROBE.finding(
        "git.authors",
        None,
        None,
        f"{info.commits} commits by {len(info.authors)} distinct authors",
        message=f"{len(info.authors)} distinct commit authors",
        flags=(INFORMATIONAL,),
        data={"authors": len(info.authors), "names": names[:20]},
    )
    for name, url in sorted(info.remotes.items()):
        match = GITHUB.search(url)
        if match:
            yield PROBE.finding(
                "git.github-remote",
                None,
                None,
                f"{name} {url}",
                message=f"remote {name!r} is on github.com",
                data={"remote": name, "owner": match.group(1), "name": match.group(2)},
            )


PROBE = Probe(
    id="git",
    description="git history: commits, distinct authors, a remote on github.com",
    kinds=("git.repository", "git.authors", "git.github-remote"),
    run=_run,
)
