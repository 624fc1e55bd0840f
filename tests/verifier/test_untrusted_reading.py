"""Reading a hostile repository: nothing outside it is read, nothing blocks or crashes the run.

Each test builds the hostile input in a temporary folder: a folder symlinked to outside, a
``.git`` file pointing at another repository, named pipes, 1,500 nested folders, a Python file
that crashes libcst's native parser, a YAML file whose one anchor expands to gigabytes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import git
from verifier.cli import main
from verifier.repo.view import RepoView

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()
SECRET = "OUTSIDE-SECRET-7731"


def run_verify(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``verify`` in a child process: a hang fails the test at the timeout, a crash shows as a
    signal in the exit status instead of taking the test run down."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "verifier.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


# ---- paths leaving the repository ---------------------------------------------------------------


def test_a_tracked_file_under_a_symlinked_folder_is_not_read(make_repo, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "train.py").write_text(f"import wandb\n\nwandb.init()  # {SECRET}\n")
    root = make_repo({"reports/README.md": REPORT, "src/train.py": "x = 1\n"})
    shutil.rmtree(root / "src")
    (root / "src").symlink_to(outside, target_is_directory=True)  # git still tracks src/train.py
    status = main([str(root), "--json", "-v"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert SECRET not in out
    notices = {n["path"]: n["message"] for n in json.loads(out)["notices"]}
    assert "symlink leading outside the repository" in notices["src/train.py"]
    main([str(root), "-v"])
    assert SECRET not in capsys.readouterr().out


def test_a_symlinked_file_leading_outside_is_still_refused(make_repo, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(f"key: {SECRET}\n")
    root = make_repo({"reports/README.md": REPORT})
    (root / "config.yaml").symlink_to(outside)
    git(root, "add", "config.yaml")
    view = RepoView.open(root)
    assert view.text("config.yaml") is None
    assert any("symlink pointing outside" in n.message for n in view.notices)


def test_a_symlinked_file_leading_inside_is_read_and_one_swapped_to_outside_is_not(make_repo, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(f"key: {SECRET}\n")
    root = make_repo(
        {"reports/README.md": REPORT, "configs/base.yaml": "lr: 0.1\n", "configs/other.yaml": "x: 1\n"}
    )
    (root / "configs" / "link.yaml").symlink_to("base.yaml")
    git(root, "add", "configs/link.yaml")
    view = RepoView.open(root)
    assert view.text("configs/base.yaml") == "lr: 0.1\n"  # the folder is resolved and remembered
    (root / "configs" / "other.yaml").unlink()
    (root / "configs" / "other.yaml").symlink_to(outside)  # swapped after listing
    assert view.size("configs/link.yaml") == len("lr: 0.1\n")  # the size of what it points to
    assert view.text("configs/link.yaml") == "lr: 0.1\n"
    assert view.size("configs/other.yaml") is None
    assert view.text("configs/other.yaml") is None
    assert any(
        n.path == "configs/other.yaml" and "symlink pointing outside" in n.message for n in view.notices
    )


def test_a_git_file_pointing_to_another_repository_is_named(make_repo, tmp_path, capsys):
    other = make_repo({"reports/README.md": REPORT, "src/app.py": "import wandb\n"}, name="other")
    here = tmp_path / "here"
    (here / "reports").mkdir(parents=True)
    (here / "reports" / "README.md").write_text(REPORT)
    (here / ".git").write_text(f"gitdir: {other / '.git'}\n")
    for args in ([], ["--rev", "HEAD"]):
        main([str(here), "--json", *args])
        data = json.loads(capsys.readouterr().out)
        messages = [n["message"] for n in data["notices"]]
        named = [m for m in messages if "gitdir" in m and str(other) in m]
        assert named, messages
    main([str(here)])
    assert "gitdir" in capsys.readouterr().out


def test_a_linked_work_tree_names_the_repository_it_belongs_to(make_repo, tmp_path, capsys):
    main_repo = make_repo({"reports/README.md": REPORT}, name="main-repo")
    linked = tmp_path / "linked"
    git(main_repo, "worktree", "add", "-q", str(linked))
    main([str(linked), "--json"])
    messages = [n["message"] for n in json.loads(capsys.readouterr().out)["notices"]]
    assert any(f"repository at {main_repo}" in m for m in messages), messages


def test_a_git_folder_of_its_own_gives_no_such_notice(make_repo, capsys):
    root = make_repo({"reports/README.md": REPORT})
    main([str(root), "--json"])
    assert not any("gitdir" in n["message"] for n in json.loads(capsys.readouterr().out)["notices"])


# ---- special files and deep folders -------------------------------------------------------------


def test_named_pipes_are_never_opened(make_repo, tmp_path):
    tracked = make_repo({"reports/README.md": REPORT, "notes.md": "notes\n", "config.yaml": "a: 1\n"})
    for name in ("notes.md", "config.yaml"):
        os.remove(tracked / name)
        os.mkfifo(tracked / name)  # still tracked by git, now a pipe nobody writes to
    walked = make_repo({"reports/README.md": REPORT}, git_init=False, name="walked")
    for name in ("notes.md", ".gitignore", "params.yaml"):
        os.mkfifo(walked / name)
    for root in (tracked, walked):
        completed = run_verify(str(root), "--json", timeout=60)
        assert completed.returncode in (0, 1), completed.stderr
        notices = {n["path"]: n["message"] for n in json.loads(completed.stdout)["notices"]}
        assert "named pipe" in notices["notes.md"]


def test_a_pipe_swapped_in_after_listing_is_refused_on_open(tmp_path):
    from verifier.repo.confined import RefusedPath, read_regular

    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(RefusedPath, match="named pipe"):
        read_regular(tmp_path / "pipe", 100)


def _nest(root: Path, levels: int) -> None:
    """``root/d/d/.../d/deep.py`` without recursion (os.makedirs recurses)."""
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=descriptor)
            inner = os.open("d", os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        with open(os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor), "w") as f:
            f.write("import wandb\n")
    finally:
        os.close(descriptor)


def _unnest(root: Path, levels: int) -> None:
    """Remove what :func:`_nest` made, also without recursion."""
    chain = [os.open(root, os.O_RDONLY)]
    for _ in range(levels):
        chain.append(os.open("d", os.O_RDONLY, dir_fd=chain[-1]))
    os.remove("deep.py", dir_fd=chain[-1])
    for parent in reversed(chain[:-1]):
        os.close(chain.pop())
        os.rmdir("d", dir_fd=parent)
    os.close(chain.pop())


def test_deep_folders_give_a_notice_not_a_recursion_error(make_repo, capsys):
    root = make_repo({"reports/README.md": REPORT}, git_init=False)
    _nest(root, 1500)
    try:
        status = main([str(root), "--json"])
        data = json.loads(capsys.readouterr().out)
    finally:
        _unnest(root, 1500)
    assert status in (0, 1)
    assert any("deeper than" in n["message"] for n in data["notices"])


# ---- parsers that must not take the process down -------------------------------------------------


def test_a_file_that_crashes_libcst_becomes_a_notice(make_repo):
    crashing = "type Alias = int\n\nx = " + "-" * 50_000 + "1\n"  # 3.12 syntax, a long unary chain
    root = make_repo(
        {
            "reports/README.md": REPORT,
            "src/new_syntax.py": crashing,
            "src/train.py": 'import wandb\n\nif __name__ == "__main__":\n    wandb.init()\n',
        }
    )
    completed = run_verify(str(root), "--json", timeout=120)
    assert completed.returncode in (0, 1), completed.stderr[-500:]
    data = json.loads(completed.stdout)
    notices = {n["path"]: n["message"] for n in data["notices"]}
    if sys.version_info < (3, 12):  # ast refuses the type alias, so libcst is tried, and crashes
        assert "libcst" in notices["src/new_syntax.py"]
    else:  # ast reads the type alias itself and refuses the depth
        assert "nested too deeply" in notices["src/new_syntax.py"]
    assert {i["id"]: i["verdict"] for i in data["items"]}["wandb"] == "supported"


def test_after_a_crash_the_next_file_gets_a_fresh_libcst_process():
    from verifier.repo.python_cst import lower_to_311

    with pytest.raises(ValueError, match="crashed"):
        lower_to_311("type A = int\nx = " + "-" * 50_000 + "1\n")
    assert lower_to_311("type B = str\n") == "B = str\n"


def test_libcst_still_reads_newer_syntax_in_its_child_process():
    from verifier.repo.python_cst import lower_to_311

    lowered = lower_to_311("type Vector = list[float]\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n")
    assert lowered.splitlines()[0] == "Vector = list[float]"
    assert "def first(xs: list[T]) -> T:" in lowered


def test_a_large_anchor_used_many_times_is_refused_quickly(make_repo):
    anchor = "x" * 50_000
    bomb = f"base: &a {anchor}\nsteps: [" + ", ".join(["*a"] * 80_000) + "]\n"
    assert 350_000 < len(bomb) < 400_000
    root = make_repo({"reports/README.md": REPORT, "cloudbuild.yaml": bomb})
    view = RepoView.open(root)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        assert view.yaml("cloudbuild.yaml") is None
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("MB of text through aliases" in n.message for n in view.notices)
    assert seconds < 10  # generous: it takes well under a second
    assert peak < 200_000_000  # bytes; expanding it would take 4 GB


def test_folders_resolved_from_their_parents_agree_with_realpath(tmp_path):
    from verifier.repo.confined import _real_folder, real_root

    root = tmp_path / "repo"
    (root / "a" / "b" / "c").mkdir(parents=True)
    (root / "d").mkdir()
    (tmp_path / "outside" / "e").mkdir(parents=True)
    (root / "a" / "to_d").symlink_to("../d")  # inside, one level up
    (root / "d" / "back").symlink_to(root / "a" / "b")  # absolute, then chained through to_d
    (root / "a" / "out").symlink_to(tmp_path / "outside")
    (root / "loop").symlink_to("loop2")
    (root / "loop2").symlink_to("loop")
    folders: dict[str, str] = {}
    top = real_root(root)
    for folder in ["a/b/c", "a/to_d", "a/to_d/back/c", "a/out/e", "loop", "d/back/c", "a", "a/b"]:
        assert _real_folder(top, folder, folders) == os.path.realpath(os.path.join(top, folder)), folder
