"""Distinct authors: .mailmap honoured, GitHub noreply addresses folded into names, bots left out."""

from __future__ import annotations

from tests.conftest import git
from verifier.repo.authors import distinct_authors, is_bot
from verifier.repo.gitinfo import read_git_info


def commit_as(root, name: str, email: str, message: str) -> None:
    (root / "log.txt").write_text(message)
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email})


def test_noreply_addresses_fold_into_the_person_and_bots_are_left_out():
    people = distinct_authors(
        [
            ("Jane Doe", "jane@student.dtu.dk"),
            ("janedoe", "12345+janedoe@users.noreply.github.com"),
            ("Jane Doe", "12345+janedoe@users.noreply.github.com"),
            ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
            ("github-actions", "41898282+github-actions[bot]@users.noreply.github.com"),
            ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
            ("GitHub Action", "action@github.com"),
            ("Bob", "bob@example.com"),
        ]
    )
    assert people == ["Jane Doe", "Bob"]


def test_different_people_stay_apart():
    assert (
        len(
            distinct_authors(
                [("Ann", "ann@x.dk"), ("Ben", "ben@x.dk"), ("Cy", "1+cy@users.noreply.github.com")]
            )
        )
        == 3
    )
    assert not is_bot("Dependable Dan", "dan@x.dk")


def test_history_authors_honour_the_mailmap(make_repo):
    root = make_repo({"README.md": "x\n"})  # first commit by Test Author <author@example.com>
    commit_as(root, "bob", "bob@laptop.local", "a")
    commit_as(root, "Bob Smith", "bob@student.dtu.dk", "b")
    commit_as(root, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "c")
    commit_as(root, "carla", "777+carla-k@users.noreply.github.com", "d")
    commit_as(root, "Carla K", "carla@student.dtu.dk", "e")
    before = read_git_info(root)
    assert len(before.authors) == 5  # no shared e-mail, name or login: five people, the bot left out
    assert "dependabot[bot]" not in before.authors
    (root / ".mailmap").write_text(
        "Bob Smith <bob@student.dtu.dk> <bob@laptop.local>\nCarla K <carla@student.dtu.dk> <777+carla-k@users.noreply.github.com>\n"
    )
    git(root, "add", ".mailmap")
    git(root, "commit", "-qm", "mailmap")
    after = read_git_info(root)
    assert sorted(after.authors) == ["Bob Smith", "Carla K", "Test Author"]
