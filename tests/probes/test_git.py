"""The git probe: history, authors, GitHub remote."""

from __future__ import annotations

from probes.git import PROBE
from tests.conftest import git
from tests.probes.helpers import kinds, run
from verifier.evidence import INFORMATIONAL
from verifier.repo.view import RepoView


def test_commits_authors_and_github_remote(make_repo):
    root = make_repo({"a.py": "x = 1\n"})
    (root / "b.py").write_text("y = 2\n")
    git(root, "add", "b.py")
    git(
        root,
        "commit",
        "-qm",
        "second",
        env={"GIT_AUTHOR_NAME": "Other", "GIT_AUTHOR_EMAIL": "other@example.com"},
    )
    git(root, "remote", "add", "origin", "git@github.com:group7/pets.git")
    found = kinds(run(PROBE, RepoView.open(root)))
    assert found["git.repository"][0].data["commits"] == 2
    authors = found["git.authors"][0]
    assert authors.data["authors"] == 2 and INFORMATIONAL in authors.flags
    remote = found["git.github-remote"][0]
    assert (remote.data["owner"], remote.data["name"]) == ("group7", "pets")


def test_remote_elsewhere_is_not_github(make_repo):
    root = make_repo({"a.py": ""})
    git(root, "remote", "add", "origin", "https://gitlab.com/group7/pets.git")
    assert "git.github-remote" not in kinds(run(PROBE, RepoView.open(root)))


def test_no_git_gives_no_findings(make_view):
    assert run(PROBE, make_view({"a.py": ""}, git_init=False)) == []


def test_repository_without_commits(make_repo):
    root = make_repo({"a.py": ""}, git_init=False)
    git(root, "init", "-q")
    assert run(PROBE, RepoView.open(root)) == []
