"""Rebuild ``defaults.json`` from a clone of the course template (every commit's files)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verifier.repo.gitcmd import run_git
from verifier.templates import fingerprint

GENERATED = "{{ cookiecutter.repo_name }}/"
KEEP_SUFFIXES = (".py", ".yaml", ".yml", ".dockerfile", ".md", ".toml", ".txt", ".cfg")
SKIP = ("README", "AGENTS", "LICENSE", ".gitignore", "prompts/", "agents/")


def git(repo: Path, *args: str) -> str:
    return run_git(repo, *args, timeout=300)


def build(repo: Path) -> dict:
    seen: set[str] = set()
    fingerprints = []
    for commit in git(repo, "rev-list", "--all").split():
        listing = git(repo, "ls-tree", "-r", commit)
        for row in listing.splitlines():
            meta, _, path = row.partition("\t")
            blob = meta.split()[2]
            if not path.startswith(GENERATED) or blob in seen:
                continue
            relative = path[len(GENERATED) :]
            if not relative.endswith(KEEP_SUFFIXES) and "Dockerfile" not in relative:
                continue
            if any(s in relative for s in SKIP):
                continue
            seen.add(blob)
            text = git(repo, "cat-file", "-p", blob)
            fp = fingerprint(f"{relative}@{commit[:10]}", text)
            if fp.lines:
                fingerprints.append(
                    {
                        "source": fp.source,
                        "lines": fp.lines,
                        "placeholders": fp.placeholders,
                        "hashes": sorted(fp.hashes),
                    }
                )
    fingerprints.sort(key=lambda f: f["source"])
    return {"template": "SkafteNicki/mlops_template", "fingerprints": fingerprints}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m verifier.templates PATH_TO_TEMPLATE_CLONE")
    data = build(Path(sys.argv[1]))
    out = Path(__file__).with_name("defaults.json")
    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(data['fingerprints'])} fingerprints written to {out}")


if __name__ == "__main__":
    main()
