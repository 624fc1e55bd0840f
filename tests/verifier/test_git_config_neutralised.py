"""A repository's own git configuration never runs a program or changes what is read.

Each test builds a repository whose ``.git/config`` names a script of the repository for one
class of options (signature display, fsmonitor, pager, external diff and textconv, hooks,
credential helpers and ssh through a lazy fetch, clean/process/smudge filters under a name of the
repository's choosing) and runs every path that reads git: ``verify .``, ``--rev``, ``--at``,
``--committed``, a batch row of the local folder, and a cached clone fetched again. A tracked
file is touched after the commit, so a comparison of the work tree would have to look at it. The script writes a
marker file; the marker must never appear.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, git
from verifier.batch.runner import BatchOptions, run_batch
from verifier.batch.sources import Group
from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()
SIGNATURE = {
    "openpgp": ("-----BEGIN PGP SIGNATURE-----", "iQEzBAABCAAdFiEE", "-----END PGP SIGNATURE-----"),
    "ssh": ("-----BEGIN SSH SIGNATURE-----", "U1NIU0lHAAAAAQAAADMAAAAL", "-----END SSH SIGNATURE-----"),
}


def evil_script(root: Path, marker: Path) -> Path:
    """A script inside the repository that leaves a marker when anything runs it."""
    script = root / "tools" / "evil.sh"
    script.parent.mkdir(exist_ok=True)
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\ncat > /dev/null\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def sign_head(root: Path, kind: str = "openpgp") -> None:
    """Replace HEAD by the same commit carrying a (fake) signature header."""
    raw = git(root, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    lines = SIGNATURE[kind]
    signed = head + "\ngpgsig " + "\n ".join(lines) + "\n\n" + message
    path = root / "signed-commit.txt"
    path.write_text(signed)
    sha = git(root, "hash-object", "-t", "commit", "-w", str(path)).strip()
    path.unlink()
    git(root, "update-ref", "refs/heads/main", sha)


def hostile_repo(make_repo, tmp_path: Path, option_class: str) -> tuple[Path, Path]:
    """(repository, marker path) for one class of program-naming options."""
    marker = tmp_path / f"marker-{option_class}"
    root = make_repo(
        {
            "reports/README.md": REPORT,
            "src/app.py": "import wandb\n",
            ".gitattributes": "* diff=evil filter=evil\n",
        },
        name=f"hostile-{option_class}",
    )
    script = evil_script(root, marker)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "second")  # a commit with a parent: diffs have something to show
    sign_head(root, "ssh" if option_class == "ssh-signature" else "openpgp")
    settings: dict[str, str] = {}
    if option_class == "signature":
        settings = {"log.showSignature": "true", "gpg.program": str(script)}
    elif option_class == "ssh-signature":
        signers = root / "tools" / "allowed_signers"
        signers.write_text("author@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n")
        settings = {
            "log.showSignature": "true",
            "gpg.format": "ssh",
            "gpg.ssh.program": str(script),
            "gpg.ssh.allowedSignersFile": str(signers),
        }
    elif option_class == "fsmonitor":
        settings = {"core.fsmonitor": str(script)}
    elif option_class == "pager":
        settings = {"core.pager": str(script), "pager.log": str(script), "pager.config": str(script)}
    elif option_class == "diff":
        settings = {
            "diff.external": str(script),
            "diff.evil.command": str(script),
            "diff.evil.textconv": str(script),
            "log.showRoot": "true",
        }
    elif option_class == "hooks":
        hooks = root / "tools" / "hooks"
        hooks.mkdir()
        for name in ("post-checkout", "post-merge", "reference-transaction", "post-index-change"):
            (hooks / name).symlink_to(script)
        settings = {"core.hooksPath": str(hooks)}
    elif option_class == "lazy-fetch":
        # a partial clone missing one object: reading it would fetch from the promisor remote
        # over "ssh", which the config points at the script (and its credential helpers)
        blob = git(root, "rev-parse", "HEAD:src/app.py").strip()
        os.remove(root / ".git" / "objects" / blob[:2] / blob[2:])
        settings = {
            "core.repositoryFormatVersion": "1",
            "extensions.partialClone": "origin",
            "remote.origin.url": "ssh://git.invalid/x.git",
            "remote.origin.promisor": "true",
            "core.sshCommand": str(script),
            "credential.helper": str(script),
            "core.askPass": str(script),
        }
    elif option_class == "filter":
        settings = {
            "filter.evil.clean": str(script),
            "filter.evil.smudge": str(script),
            "filter.evil.process": str(script),
        }
    for key, value in settings.items():
        git(root, "config", key, value)
    touched = root / "src" / "app.py"
    later = touched.stat().st_mtime + 5
    os.utime(touched, (later, later))  # same bytes, new stat data: git would look at the content
    return root, marker


OPTION_CLASSES = ["signature", "ssh-signature", "fsmonitor", "pager", "diff", "hooks", "lazy-fetch", "filter"]


@pytest.mark.parametrize("option_class", OPTION_CLASSES)
def test_no_path_runs_a_program_the_repository_names(option_class, make_repo, tmp_path, capsys):
    root, marker = hostile_repo(make_repo, tmp_path, option_class)
    for args in ([], ["--rev", "HEAD"], ["--rev", "main"], ["--at", "2100-01-01 00:00"], ["--committed"]):
        main([str(root), "--json", *args])
        capsys.readouterr()
        assert not marker.exists(), f"{option_class}: ran {marker.read_text()!r} with {args}"
    main([str(root)])  # the terminal report too
    capsys.readouterr()
    assert not marker.exists()
    out = tmp_path / "out"
    records = run_batch([Group("hostile", str(root))], BatchOptions(out=out, cache=out / "repos", jobs=1))
    assert records[0]["status"] == "ok", records[0]
    assert not marker.exists(), marker.read_text() if marker.exists() else ""


@pytest.mark.parametrize("option_class", ["signature", "ssh-signature"])
def test_the_signature_check_would_have_run_without_the_overrides(option_class, make_repo, tmp_path):
    """The hostile repository is real: plain git runs the script (so the test above can fail)."""
    root, marker = hostile_repo(make_repo, tmp_path, option_class)
    # git may die of SIGPIPE when the script exits before reading what git sends it; what
    # matters here is only that git started the script
    subprocess.run(
        ["git", "log", "-1"], cwd=root, env={**os.environ, **GIT_ENV}, capture_output=True, check=False
    )
    assert marker.exists()


@pytest.mark.parametrize("command", [["status"], ["diff"], ["checkout", "--", "src/app.py"]])
def test_the_filter_would_have_run_without_avoiding_status(command, make_repo, tmp_path):
    """The hostile repository is real: git's own work-tree comparison (and a checkout) runs the
    repository's filter, which is why the verifier compares blob hashes itself."""
    root, marker = hostile_repo(make_repo, tmp_path, "filter")
    git(root, "config", "--unset", "filter.evil.process")  # the script would stall its handshake
    if command[0] == "checkout":
        (root / "src" / "app.py").write_text("changed\n")
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *command], cwd=root, env=env, capture_output=True, check=False, timeout=60)
    assert marker.exists()


def test_a_fetch_of_a_cached_clone_runs_nothing_its_config_names(make_repo, tmp_path):
    work = make_repo({"reports/README.md": REPORT}, name="remote-work")
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    out = tmp_path / "out"
    group = Group("g", bare.as_uri())
    options = BatchOptions(out=out, cache=out / "repos", jobs=1)
    assert run_batch([group], options)[0]["status"] == "ok"
    clone = next((out / "repos").iterdir())
    marker = tmp_path / "marker-fetch"
    script = evil_script(tmp_path, marker)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-merge", "reference-transaction", "post-index-change"):
        (hooks / name).symlink_to(script)
    for key, value in {
        "remote.origin.uploadpack": str(script),
        "core.fsmonitor": str(script),
        "core.hooksPath": str(hooks),
        "core.sshCommand": str(script),
        "log.showSignature": "true",
        "gpg.program": str(script),
    }.items():
        git(clone, "config", key, value)
    (work / "late.txt").write_text("new")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "late")
    git(work, "push", "-q", str(bare), "HEAD:main")
    refreshed = BatchOptions(out=out, cache=out / "repos", jobs=1, refresh=True, force=True)
    record = run_batch([group], refreshed)[0]
    assert record["status"] == "ok", record.get("reason")
    assert not marker.exists(), marker.read_text() if marker.exists() else ""
    assert (clone / "late.txt").read_text() == "new"  # the fetch happened, through safe settings


def test_a_clone_refuses_the_ext_transport(tmp_path):
    """``ext::`` runs a command of the URL's choosing: never allowed, whatever the source."""
    from verifier.repo.gitcmd import GitCommandError, clone

    marker = tmp_path / "marker-ext"
    with pytest.raises(GitCommandError):
        clone(f"ext::sh -c touch% {marker}", tmp_path / "target", timeout=30)
    assert not marker.exists()


def test_a_remote_clone_cannot_be_redirected_to_local_files(tmp_path):
    from verifier.repo.gitcmd import transport_config

    remote = dict(transport_config(allow_file=False))
    local = dict(transport_config(allow_file=True))
    assert remote["protocol.file.allow"] == "never" and local["protocol.file.allow"] == "always"
    assert remote["protocol.ext.allow"] == "never" == local["protocol.ext.allow"]


def test_a_branch_named_like_an_option_never_reaches_git_as_one(make_repo, tmp_path, capsys):
    root = make_repo({"reports/README.md": REPORT}, name="option-branch")
    head = git(root, "rev-parse", "HEAD").strip()
    git(root, "update-ref", "refs/heads/--output=written-by-git", head)
    git(root, "symbolic-ref", "HEAD", "refs/heads/--output=written-by-git")
    (root / ".git" / "refs" / "remotes" / "origin").mkdir(parents=True)
    git(root, "update-ref", "refs/remotes/origin/--output=written-too", head)
    git(root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/--output=written-too")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        for args in (["--at", "2100-01-01"], ["--rev", "HEAD"], []):
            status = main([str(root), "--json", *args])
            data = json.loads(capsys.readouterr().out)
            assert status in (0, 1)
            assert data["repository"]["revision"]["commit"] == head
    finally:
        os.chdir(cwd)
    written = [p for base in (root, tmp_path) for p in base.rglob("written-*")]
    assert written == []


def test_an_old_gitpython_is_refused_with_a_clear_message(make_repo, monkeypatch, capsys):
    import git as gitpython

    root = make_repo({"reports/README.md": REPORT}, name="old-gitpython")
    monkeypatch.setattr(gitpython, "__version__", "3.1.30")
    assert main([str(root), "--rev", "HEAD"]) == 2
    err = capsys.readouterr().err
    assert "GitPython 3.1.30" in err and "3.1.41" in err


def test_the_dependency_floor_excludes_flawed_gitpython_releases():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floor = [d for d in project["dependencies"] if d.lower().startswith("gitpython")]
    assert floor == ["gitpython>=3.1.41"]


def test_git_runs_only_through_the_audited_module():
    """No other module imports gitpython or starts git (or anything) in a subprocess."""
    import re

    allowed_subprocess = {"gitcmd.py", "python_cst.py", "screenshot.py"}  # git; libcst child; chromium
    offenders = []
    for path in sorted([*(ROOT / "verifier").rglob("*.py"), *(ROOT / "probes").rglob("*.py")]):
        if path.name == "gitcmd.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import git\b|from git\b)", text, re.M) or re.search(
            r"[\[(]\s*[\"']git[\"']", text
        ):
            offenders.append(f"{path.name}: git")
        if "subprocess" in text and path.name not in allowed_subprocess:
            offenders.append(f"{path.name}: subprocess")
    assert offenders == []


def test_a_clone_that_never_answers_stops_at_its_timeout(tmp_path):
    """A server that accepts and then says nothing: the clone is stopped, not waited on."""
    import socket
    import threading
    import time

    from verifier.repo.gitcmd import GitCommandError, clone

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                held.append(server.accept()[0])
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://user:{'TOKEN' * 3}@127.0.0.1:{server.getsockname()[1]}/group.git"
    start = time.monotonic()
    try:
        with pytest.raises(GitCommandError, match="timed out") as error:
            clone(url, tmp_path / "target", timeout=2)
    finally:
        server.close()
        for connection in held:
            connection.close()
    assert time.monotonic() - start < 30
    assert "TOKEN" not in str(error.value)


def test_object_reads_through_gitpython_get_the_same_overrides(make_repo, tmp_path):
    """A missing object in a partial clone: gitpython's ``cat-file`` must not fetch it through
    the ssh command the repository names (plain gitpython does)."""
    from verifier.repo.gitcmd import object_reader

    root = make_repo({"a.txt": "hello\n"}, name="partial")
    blob = git(root, "rev-parse", "HEAD:a.txt").strip()
    os.remove(root / ".git" / "objects" / blob[:2] / blob[2:])
    marker = tmp_path / "marker-cat-file"
    script = tmp_path / "ssh.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marker}"\nexit 1\n')
    script.chmod(0o755)
    for key, value in {
        "core.repositoryFormatVersion": "1",
        "extensions.partialClone": "origin",
        "remote.origin.url": "ssh://git.invalid/x.git",
        "remote.origin.promisor": "true",
        "core.sshCommand": str(script),
    }.items():
        git(root, "config", key, value)
    repo = object_reader(root)
    try:
        with pytest.raises(ValueError):
            repo.odb.stream(bytes.fromhex(blob)).read()
    finally:
        repo.close()
    assert not marker.exists()


def test_a_revision_given_like_an_option_is_a_name(make_repo, tmp_path, capsys):
    root = make_repo({"reports/README.md": REPORT}, name="rev-option")
    target = tmp_path / "written-by-rev"
    assert main([str(root), f"--rev=--output={target}"]) == 2
    assert "no commit" in capsys.readouterr().err
    assert not target.exists()


def test_a_clone_asking_for_a_password_fails_instead_of_prompting(tmp_path):
    """A server answering 401: git gives up at once rather than asking at the terminal."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from verifier.repo.gitcmd import GitCommandError, clone

    class AskForPassword(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="private"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), AskForPassword)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(GitCommandError, match="terminal prompts disabled|Authentication failed"):
            clone(f"http://127.0.0.1:{server.server_port}/private.git", tmp_path / "target", timeout=30)
    finally:
        server.shutdown()
        server.server_close()


def test_author_names_never_come_from_a_mailmap_file_outside_the_repository(make_repo, tmp_path, capsys):
    root = make_repo({"reports/README.md": REPORT}, name="outside-mailmap")
    email = git(root, "log", "-1", "--format=%ae").strip()
    outside = tmp_path / "names-outside.txt"
    outside.write_text(f"Outside Name <{email}>\n")
    git(root, "config", "mailmap.file", str(outside))
    assert git(root, "log", "-1", "--format=%aN").strip() == "Outside Name"  # plain git reads it
    for args in ([], ["--rev", "HEAD"]):
        main([str(root), "--json", *args])
        assert "Outside Name" not in capsys.readouterr().out
    (root / ".mailmap").write_text(f"Tracked Name <{email}>\n")
    git(root, "add", ".mailmap")
    git(root, "commit", "-qm", "mailmap")
    main([str(root), "--json"])
    assert "Tracked Name" in capsys.readouterr().out  # the repository's own .mailmap still counts
