"""The repository view: listing from git, scoping, bounded reads, tolerant parsing."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import git
from verifier.repo.view import RepoView


def test_git_listing_holds_tracked_files_only(make_repo):
    root = make_repo({"src/a.py": "x = 1\n", ".gitignore": "secret.txt\n.venv/\n"})
    (root / "secret.txt").write_text("ignored")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "mod.py").write_text("import os\n")
    (root / "untracked.py").write_text("x = 2\n")
    view = RepoView.open(root)
    assert view.via == "git"
    assert view.files == [".gitignore", "src/a.py"]


def test_walk_without_git_skips_heavy_folders_and_gitignored_files(make_repo):
    root = make_repo(
        {
            "src/a.py": "x = 1\n",
            "data/raw/big.csv": "1,2\n",
            "node_modules/m/index.js": "",
            ".venv/bin/python": "",
            "notes.log": "x",
            ".gitignore": "*.log\n",
        },
        git_init=False,
    )
    view = RepoView.open(root)
    assert view.via == "walk"
    assert "src/a.py" in view.files
    assert not any(p.startswith(("data/", "node_modules/", ".venv/")) for p in view.files)
    assert "notes.log" not in view.files
    assert any("not a git work tree" in n.message for n in view.notices)


def test_project_in_subfolder_sees_its_files_and_repository_level_files(make_repo):
    root = make_repo(
        {
            "portfolio/reports/README.md": "# r\n",
            "portfolio/src/m.py": "x = 1\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            ".pre-commit-config.yaml": "repos: []\n",
            "other/unrelated.py": "y = 2\n",
            "pyproject.toml": "[project]\nname='outer'\n",
        }
    )
    view = RepoView.open(root / "portfolio")
    assert view.project_dir == "portfolio"
    assert view.root == root.resolve()
    assert "portfolio/src/m.py" in view.files
    assert ".github/workflows/ci.yml" in view.files
    assert ".pre-commit-config.yaml" in view.files
    assert "other/unrelated.py" not in view.files
    assert "pyproject.toml" not in view.files
    assert view.project_path("src/m.py") == "portfolio/src/m.py"


def test_subfolder_with_its_own_github_folder_is_a_repository_of_its_own(make_repo):
    root = make_repo(
        {
            "examples/demo/.github/workflows/ci.yml": "on: push\njobs: {}\n",
            "examples/demo/src/m.py": "x = 1\n",
            "tool/code.py": "z = 3\n",
        }
    )
    view = RepoView.open(root / "examples" / "demo")
    assert view.root == (root / "examples" / "demo").resolve()
    assert view.project_dir == ""
    assert sorted(view.files) == [".github/workflows/ci.yml", "src/m.py"]
    assert view.text("src/m.py") == "x = 1\n"
    assert view.git is not None and view.git.commits == 1


def test_each_file_is_read_once(make_view):
    view = make_view({"a.yaml": "k: 1\n", "b.py": "import os\n"})
    for _ in range(3):
        view.text("a.yaml")
        view.yaml("a.yaml")
        view.python("b.py")
        view.lines("b.py")
    assert view.reads == 2


def test_large_file_is_skipped_with_a_note(make_repo):
    root = make_repo({"big.py": "x = 1\n" * 10, "small.py": "y = 2\n"})
    view = RepoView.open(root, size_cap=20)
    assert view.text("big.py") is None
    assert view.text("small.py") == "y = 2\n"
    assert any(n.path == "big.py" and "cap" in n.message for n in view.notices)


def test_a_large_file_is_measured_not_read_and_its_size_is_known_after(make_repo, monkeypatch):
    """Reading a file takes its size from the open file: a file over the cap is refused
    before any byte of it is read, the notice says how large it is, and ``size`` agrees."""
    from verifier.repo import confined

    root = make_repo({"big.py": "x = 1\n" * 10, "small.py": "y = 2\n"})
    view = RepoView.open(root, size_cap=20)
    reads = []
    real_read = confined.os.read
    monkeypatch.setattr(confined.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    assert view.text("big.py") is None
    assert reads == []
    assert [n.message for n in view.notices if n.path == "big.py"] == [
        "skipped: 0 kB exceeds the 0 kB cap"
    ]  # sizes in kB
    assert view.size("big.py") == 60
    assert view.text("small.py") == "y = 2\n" and view.size("small.py") == 6


def test_binary_file_named_py_is_skipped_with_a_note(make_view):
    view = make_view({"model.py": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"})
    assert view.python("model.py") is None
    assert any("binary" in n.message for n in view.notices)


def test_invalid_utf8_is_decoded_with_replacement_and_noted(make_view):
    view = make_view({"train.py": b"import wandb\n# caf\xe9\nwandb.init()\n"})
    facts = view.python("train.py")
    assert facts is not None and [c.name for c in facts.calls] == ["wandb.init"]
    assert any("invalid UTF-8" in n.message for n in view.notices)


def test_python2_code_gives_a_notice_not_an_exception(make_view):
    view = make_view({"old.py": 'print "hello"\n'})
    assert view.python("old.py") is None
    [notice] = [n for n in view.notices if n.path == "old.py"]
    assert "Python 2" in notice.message


def test_deeply_nested_python_is_refused_cleanly(make_view):
    view = make_view({"deep.py": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"})
    assert view.python("deep.py") is None
    assert any(n.path == "deep.py" for n in view.notices)


def test_yaml_alias_bomb_is_refused(make_view):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    view = make_view({"bomb.yaml": bomb})
    assert view.yaml("bomb.yaml") is None
    assert any("alias" in n.message for n in view.notices)


def test_deeply_nested_yaml_is_refused(make_view):
    view = make_view({"deep.yaml": "[" * 500 + "]" * 500 + "\n"})
    assert view.yaml("deep.yaml") is None
    assert any(n.path == "deep.yaml" for n in view.notices)


def test_broken_yaml_names_the_parser_reason(make_view):
    view = make_view({"bad.yaml": "key: [unclosed\n"})
    assert view.yaml("bad.yaml") is None
    [notice] = [n for n in view.notices if n.path == "bad.yaml"]
    assert "cannot parse as YAML" in notice.message


def test_yaml_is_loaded_safely(make_view):
    view = make_view({"evil.yaml": "x: !!python/object/apply:os.system ['echo pwned']\n"})
    assert view.yaml("evil.yaml") is None
    assert any("could not determine a constructor" in n.message for n in view.notices)


def test_symlink_out_of_the_repository_is_not_followed(make_repo, tmp_path: Path):
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("secret")
    root = make_repo({"a.txt": "a"})
    os.symlink(outside, root / "link.yaml")
    git(root, "add", "link.yaml")
    git(root, "commit", "-qm", "link")
    view = RepoView.open(root)
    assert "link.yaml" in view.files
    assert view.text("link.yaml") is None
    assert any("symlink" in n.message for n in view.notices)


def test_glob_matches_names_anywhere_and_paths_from_the_root(make_view):
    view = make_view(
        {"Dockerfile": "FROM x\n", "dockerfiles/api.dockerfile": "FROM y\n", "src/pkg/train.py": ""}
    )
    assert view.glob("Dockerfile", "*.dockerfile") == ["Dockerfile", "dockerfiles/api.dockerfile"]
    assert view.glob("**/train.py") == ["src/pkg/train.py"]


def test_an_empty_git_index_falls_back_to_a_walk(make_repo):
    root = make_repo({"reports/README.md": "# r\n", "src/a.py": "x = 1\n"}, git_init=False)
    git(root, "init", "-q")  # files present, nothing added
    view = RepoView.open(root)
    assert view.via == "walk" and "src/a.py" in view.files
    assert view.git_root == root.resolve()
    assert any("tracks no files" in n.message for n in view.notices)


def test_the_empty_index_fallback_keeps_files_that_gitignore_matches(make_repo):
    root = make_repo({".gitignore": "models/\n", "src/models/train.py": "x = 1\n"}, git_init=False)
    git(root, "init", "-q")
    assert "src/models/train.py" in RepoView.open(root).files


def test_the_walk_skips_the_top_data_folder_but_not_a_data_package(make_repo):
    root = make_repo({"data/raw/x.csv": "1\n", "src/data/make_dataset.py": "x = 1\n"}, git_init=False)
    files = RepoView.open(root).files
    assert "src/data/make_dataset.py" in files and "data/raw/x.csv" not in files


def test_glob_agrees_with_fnmatch_for_every_file_and_pattern(make_view):
    import fnmatch

    files = {
        "Dockerfile": "",
        "docker/api.Dockerfile": "",
        "src/pkg/train.py": "",
        "train.py": "",
        "configs/exp/a.yaml": "",
        "tests/test_a.py": "",
        "wandb/run-1/files/config.yaml": "",
        "outputs/2024/train.py": "",
        ".github/workflows/ci.yml": "",
        "a[b].txt": "",
        "requirements-dev.txt": "",
        "env/requirements.txt": "",
        "Makefile": "",
        "build.mk": "",
        "prof/run.pt.trace.json": "",
        ".flake8": "",
        "weird.": "",
        "Dockerfile.gpu": "",
    }
    view = make_view(files)
    pattern_sets = [
        ("*.py",),
        ("Dockerfile", "*.Dockerfile"),
        ("**/train.py",),
        ("configs/**",),
        (".github/workflows/*.yml", "*.yaml"),
        ("test_*.py", "**/tests/*.py"),
        ("a[[]b].txt",),
        ("nothing",),
        ("requirements*.txt", "*requirements.txt"),
        ("Makefile", "makefile", "*.mk"),
        ("*.pt.trace.json", "*.json"),
        (".flake8", "ruff.toml"),
        ("weird.",),
        ("Dockerfile", "Dockerfile.*"),
        ("?ockerfile", "*.yml"),
        ("*",),
        ("a[b].txt", "*.txt"),
    ]

    def expected(patterns):
        out = []
        for path in sorted(files):
            if view.is_artifact(path):
                continue
            name = path.rsplit("/", 1)[-1]
            for pattern in patterns:
                hit = (
                    fnmatch.fnmatchcase(name, pattern)
                    if "/" not in pattern
                    else fnmatch.fnmatchcase(path, pattern)
                    or (pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:]))
                )
                if hit:
                    out.append(path)
                    break
        return out

    for patterns in pattern_sets:
        found = view.glob(*patterns)
        assert sorted(found) == expected(patterns), patterns
        assert found == [path for path in view.files if path in found], patterns  # in the files' order
    first = view.glob("*.py")
    first.append("changed by the caller")
    assert "changed by the caller" not in view.glob("*.py")


def test_a_quoted_line_is_the_same_near_the_top_and_far_down(make_view):
    """Lines near the top are found by scanning, later ones through an index of the file:
    both give the stripped line, and nothing past the end or for no line."""
    from verifier.repo import view as view_module

    text = "".join(f"  line {n}\r\n" if n % 3 else "\n" for n in range(1, 400)) + "last"
    view = make_view({"notes.txt": text})
    lines = text.split("\n")
    asked = [
        None,
        0,
        1,
        2,
        3,
        150,
        view_module.NEAR_THE_TOP,
        view_module.NEAR_THE_TOP + 1,
        399,
        400,
        401,
        900,
    ]
    expected = [lines[n - 1].strip() if n and n <= len(lines) else "" for n in asked]
    assert [view.line_text("notes.txt", n) for n in asked] == expected
    fresh = make_view({"notes.txt": text})  # the index first, then the scan is not used
    assert [fresh.line_text("notes.txt", n) for n in reversed(asked)] == list(reversed(expected))
    assert view.line_text("missing.txt", 1) == ""
