"""Rebuild ``defaults.json`` from a clone of the course template (every commit's files)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verifier.repo.gitcmd import run_git
from verifier.templates import fingerprint

GENERATED = "{{ cookiecutter.repo_name }}/"
# every name the generated project's folder has had, for the tool sections of pyproject files
PROJECT_FOLDERS = (GENERATED, "{{ cookiecutter.project_name }}/", "{{cookiecutter.project_name}}/")
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
    return {
        "template": "SkafteNicki/mlops_template",
        "fingerprints": fingerprints,
        "tool_sections": _tool_sections(repo),
    }


def _tool_sections(repo: Path) -> dict[str, list[str]]:
    """Hashes of every version of the template's ``[tool.<name>]`` tables in pyproject files."""
    from verifier.templates import TOOL_SECTIONS, section_hash, tool_table

    found: dict[str, set[str]] = {name: set() for name in TOOL_SECTIONS}
    seen: set[str] = set()
    for commit in git(repo, "rev-list", "--all").split():
        for row in git(repo, "ls-tree", "-r", commit).splitlines():
            meta, _, path = row.partition("\t")
            blob = meta.split()[2]
            name = path.rsplit("/", 1)[-1]
            if blob in seen or not path.startswith(PROJECT_FOLDERS) or not name.startswith("pyproject"):
                continue
            seen.add(blob)
            text = git(repo, "cat-file", "-p", blob)
            for section in TOOL_SECTIONS:
                table = tool_table(text, section)
                if table is not None:
                    found[section].add(section_hash(table))
    return {name: sorted(hashes) for name, hashes in found.items() if hashes}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m verifier.templates PATH_TO_TEMPLATE_CLONE")
    data = build(Path(sys.argv[1]))
    out = Path(__file__).with_name("defaults.json")
    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(data['fingerprints'])} fingerprints written to {out}")


if __name__ == "__main__":
    main()
