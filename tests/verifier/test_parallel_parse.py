"""Parsing Python files in a forked helper gives the same facts and notices, in the
same order, as parsing them all in one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.repo import parallel_parse
from verifier.repo import view as view_module
from verifier.repo.view import RepoView

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is a forked process")


def _files() -> dict[str, str]:
    files = {
        f"src/pkg/mod{n:02d}.py": f"import torch\nfrom torch import nn\n\n\ndef f{n}(x: int) -> int:\n"
        f'    """Doc."""\n    return nn.Linear({n}, 2)(x)\n'
        for n in range(24)
    }
    files["src/pkg/mod05.py"] = "def broken(:\n    pass\n"  # first half: parsed here
    files["src/pkg/mod20.py"] = "print 'python two'\n"  # second half: parsed by the helper
    files["src/pkg/mod21.py"] = "x = 1\n" * 3 + "def g(\n"
    return files


def _walk(view: RepoView) -> tuple[list[tuple[str, str]], list[tuple[str | None, str]]]:
    facts = [(path, repr(f)) for path, f in view.iter_python()]
    return facts, [(n.path, n.message) for n in view.notices]


def force_helper(monkeypatch) -> None:
    """A parse helper even for the few files of a test repository, on any machine."""
    monkeypatch.setattr(parallel_parse, "MIN_FILES", 4)
    monkeypatch.setattr(parallel_parse, "spare_core", lambda: True)


def helper_that_finishes_first(monkeypatch) -> list:
    """Force a helper on the small test repositories, and let it finish before this process
    asks for any file (so which files come from it is certain); returns the helpers started."""
    started: list = []
    start = parallel_parse.ParseHelper.start.__func__

    def start_and_let_it_finish(cls, view, paths, yaml_paths=(), then=None):
        helper = start(cls, view, paths, yaml_paths, then)
        started.append(helper)
        if helper is not None:
            os.waitpid(helper.pid, 0)  # every file is written before this process asks for one
        return helper

    force_helper(monkeypatch)
    monkeypatch.setattr(parallel_parse.ParseHelper, "start", classmethod(start_and_let_it_finish))
    return started


def paths_parsed_here(monkeypatch, parser: str) -> list[str]:
    """The paths the view's own ``parser`` (``_parse_python``, ``_load_yaml``) is called with
    from now on: what this process parsed itself."""
    seen: list[str] = []
    real = getattr(view_module, parser)

    def counted(path, text):
        seen.append(path)
        return real(path, text)

    monkeypatch.setattr(view_module, parser, counted)
    return seen


def test_helper_gives_the_same_facts_and_notices_in_the_same_order(make_repo, monkeypatch):
    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    alone = _walk(RepoView.open(root))

    started = helper_that_finishes_first(monkeypatch)
    parsed_here = paths_parsed_here(monkeypatch, "_parse_python")
    helped = _walk(RepoView.open(root))

    assert started and started[0] is not None
    assert len([item for item in started[0].items if item[0] == "Python"]) == 24
    # the helper's files are not parsed twice, but those ast refuses are left to this process
    # (which alone may read them as newer Python); the first file is parsed before the fork
    refused = ["src/pkg/mod05.py", "src/pkg/mod20.py", "src/pkg/mod21.py"]
    assert sorted(parsed_here) == ["src/pkg/mod00.py", *refused]
    assert helped == alone
    assert any("mod20.py" in (path or "") and "syntax error" in msg for path, msg in helped[1])


def test_the_helper_works_from_the_far_end_and_skips_files_claimed_here(make_repo, monkeypatch):
    import mmap
    import pickle
    import tempfile

    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    view = RepoView.open(root)
    paths = view.python_files()
    items = [("Python", path) for path in paths]
    board = mmap.mmap(-1, len(paths))
    for number in range(12):  # this process has claimed the first half
        board[number] = parallel_parse.CLAIMED_HERE
    with tempfile.TemporaryFile() as handle:
        parallel_parse._write_outcomes(view, items, handle.fileno(), board, os.getppid())
        handle.seek(0)
        data = handle.read()
    written = []
    at = 0
    while at < len(data):
        (length,) = parallel_parse._FRAME.unpack_from(data, at)
        for form, path, _outcome, text, size in pickle.loads(data[at + 4 : at + 4 + length]):
            written.append(path)
            assert form == "Python" and text == (root / path).read_text()  # the text comes along
            assert size == (root / path).stat().st_size  # and its size: no stat here for it
        at += 4 + length
    expected = [p for p in reversed(paths[12:]) if p not in ("src/pkg/mod20.py", "src/pkg/mod21.py")]
    assert expected and expected[0] == "src/pkg/mod23.py"
    assert written == expected
    assert all(board[n] == parallel_parse.TAKEN_BY_HELPER for n in range(12, len(paths)))


def _alone_and_with_helper(make_repo, monkeypatch, helper_work) -> tuple:
    """The walk of the test repository without a helper, and a view whose helper does
    ``helper_work`` instead of parsing."""
    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    alone = _walk(RepoView.open(root))
    force_helper(monkeypatch)
    monkeypatch.setattr(parallel_parse, "_write_outcomes", helper_work)
    return alone, RepoView.open(root)


def test_a_helper_that_has_not_reached_a_file_leaves_it_here(make_repo, monkeypatch):
    def stuck_helper(view, paths, descriptor, board, parent):
        import time

        time.sleep(60)  # never delivers; stopped once the probes are done

    alone, view = _alone_and_with_helper(make_repo, monkeypatch, stuck_helper)
    assert _walk(view) == alone
    helper = view._parse_helper()
    assert helper
    assert view.finish_parse_helper() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(helper.pid, os.WNOHANG)  # stopped and reaped


def test_files_the_helper_did_not_deliver_are_parsed_here(make_repo, monkeypatch):
    def failing_helper(view, paths, descriptor, board, parent):
        raise RuntimeError("the helper fails")

    alone, view = _alone_and_with_helper(make_repo, monkeypatch, failing_helper)
    assert _walk(view) == alone


def test_no_helper_for_a_few_files_or_without_a_spare_core(make_repo, monkeypatch):
    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    monkeypatch.setattr(parallel_parse, "spare_core", lambda: False)
    monkeypatch.setattr(parallel_parse, "MIN_FILES", 4)
    view = RepoView.open(root)
    assert parallel_parse.ParseHelper.start(view, view.python_files()) is None
    monkeypatch.setattr(parallel_parse, "spare_core", lambda: True)
    monkeypatch.setattr(parallel_parse, "MIN_FILES", 400)
    assert parallel_parse.ParseHelper.start(view, view.python_files()) is None


def test_the_helper_loads_yaml_files_too_with_the_same_documents_and_notices(make_repo, monkeypatch):
    files = {f"src/m{n}.py": f"import yaml\n\nX = {n}\n" for n in range(5)}
    files.update({f"configs/c{n}.yaml": f"lr: 0.{n}\nlayers: [1, 2, {n}]\n" for n in range(5)})
    files["configs/broken.yaml"] = "a: [1, 2\nb: }\n"
    root = make_repo(files)
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")

    def walk(view: RepoView):
        view.start_parse_helper()
        facts = [(path, repr(f)) for path, f in view.iter_python()]
        docs = [(path, view.yaml_documents(path)) for path in sorted(view.files) if path.endswith(".yaml")]
        return facts, docs, [(n.path, n.message) for n in view.notices]

    alone = walk(RepoView.open(root))
    assert any(path == "configs/broken.yaml" and "YAML" in message for path, message in alone[2])

    helper_that_finishes_first(monkeypatch)
    loaded_here = paths_parsed_here(monkeypatch, "_load_yaml")
    assert walk(RepoView.open(root)) == alone
    assert loaded_here == []  # every YAML file, the broken one included, came from the helper


def test_the_helper_runs_its_closing_task_after_its_files_and_says_how_it_went(make_repo, monkeypatch):
    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    force_helper(monkeypatch)
    alone = _walk(RepoView.open(root))

    view = RepoView.open(root)
    assert view.start_parse_helper(then=lambda: {"pid": os.getpid()})
    assert _walk(view) == alone
    view.release_parse_helper()
    ok, value = view.finish_parse_helper()
    assert ok and value["pid"] != os.getpid()  # it ran in the helper
    with pytest.raises(ChildProcessError):
        os.waitpid(view._helper.pid, os.WNOHANG)  # and the helper is reaped

    def failing():
        raise RuntimeError("git is gone")

    view = RepoView.open(root)
    assert view.start_parse_helper(then=failing)
    view.release_parse_helper()
    assert view.finish_parse_helper() == (False, "RuntimeError: git is gone")


def test_a_released_helper_parses_nothing_more(make_repo, monkeypatch):
    import mmap
    import tempfile

    root = make_repo(_files())
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    view = RepoView.open(root)
    items = [("Python", path) for path in view.python_files()]
    board = mmap.mmap(-1, len(items))
    board[3] = parallel_parse.TAKEN_BY_HELPER
    with tempfile.TemporaryFile() as handle:
        helper = parallel_parse.ParseHelper(0, handle, board, items)
        helper.release()
        assert board[3] == parallel_parse.TAKEN_BY_HELPER  # what it has taken stays its own
        assert all(board[n] == parallel_parse.CLAIMED_HERE for n in range(len(items)) if n != 3)
        parallel_parse._write_outcomes(view, items, handle.fileno(), board, os.getppid())
        handle.seek(0)
        assert handle.read() == b""  # nothing left to parse


def test_uncommitted_work_is_the_same_whether_the_helper_or_a_thread_reads_it(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import git
    from verifier.run import verify

    root = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "honest-project", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    python_file = next(p for p in sorted(root.rglob("*.py")) if p.stat().st_size)
    python_file.write_text(python_file.read_text() + "\n# changed\n")
    (root / "notes.txt").write_text("untracked\n")
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")

    def status(helped: bool):
        monkeypatch.setattr(parallel_parse, "MIN_FILES", 1 if helped else 10**9)
        monkeypatch.setattr(parallel_parse, "spare_core", lambda: True)
        result = verify(root)
        assert bool(result.view._helper) is helped
        return result.uncommitted, result.untracked

    threaded = status(helped=False)
    assert str(python_file.relative_to(root)) in threaded[0] and threaded[1] == ["notes.txt"]
    assert status(helped=True) == threaded


def test_files_the_helper_read_are_not_read_again_here(make_repo, monkeypatch):
    files = _files()
    files["src/pkg/mod22.py"] = b"x = '\xff'\n"  # invalid UTF-8: read again here, to say so
    root = make_repo(files)
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    alone_view = RepoView.open(root)
    alone = _walk(alone_view)
    texts = {path: alone_view.text(path) for path in alone_view.python_files()}
    helper_that_finishes_first(monkeypatch)
    view = RepoView.open(root)
    assert _walk(view) == alone
    assert {path: view.text(path) for path in view.python_files()} == texts
    # read here: the first file (before the fork), those ast refuses, the one that gave a notice
    assert view.reads == 5
