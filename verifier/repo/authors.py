"""Distinct people among a history's commit authors.

Names and e-mails arrive already mapped through the repository's ``.mailmap`` (git's ``%aN`` and
``%aE``, read as data by git itself). On top of that: a GitHub noreply address
(``12345+login@users.noreply.github.com``) stands for its login, and an identity sharing an
e-mail, a name or a login with another is the same person. Bots (dependabot, github-actions,
pre-commit-ci, renovate, anything ``[bot]``) are left out.
"""

from __future__ import annotations

import re

from verifier.compiled import regex

NOREPLY = regex(r"^(?:\d+\+)?(?P<login>[^@+]+)@users\.noreply\.github\.com$", re.I)
BOT_NAMES = frozenset(
    {
        "dependabot",
        "dependabot-preview",
        "github-actions",
        "github actions",
        "github action",
        "pre-commit-ci",
        "renovate",
        "renovate-bot",
        "actions-user",
        "github-classroom",
        "snyk-bot",
    }
)
BOT_EMAILS = frozenset(
    {"action@github.com", "actions@github.com", "bot@renovateapp.com", "noreply@github.com"}
)


def is_bot(name: str, email: str) -> bool:
    name, email = name.strip().lower(), email.strip().lower()
    if "[bot]" in name or "[bot]" in email or email in BOT_EMAILS:
        return True
    login = NOREPLY.match(email)
    return name in BOT_NAMES or bool(login and login["login"].lower() in BOT_NAMES)


def distinct_authors(identities: list[tuple[str, str]]) -> list[str]:
    """One display name per person among ``(name, email)`` pairs, in order of first appearance."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    people: list[tuple[str, str]] = []  # (first key, display name)
    for name, email in identities:
        name, email = " ".join(name.split()), email.strip().lower()
        if is_bot(name, email):
            continue
        keys = []
        if email:
            login = NOREPLY.match(email)
            keys.append(f"login:{login['login'].lower()}" if login else f"email:{email}")
            if login:
                keys.append(f"name:{login['login'].casefold()}")
        if name:
            keys.append(f"name:{name.casefold()}")
        if not keys:
            continue
        for key in keys[1:]:
            union(keys[0], key)
        people.append((keys[0], name or email))
    seen: dict[str, str] = {}
    for key, display in people:
        seen.setdefault(find(key), display)
    return list(seen.values())
