"""The one place where git runs: every git command of the tool goes through this module.

A repository's own configuration (``.git/config``, and files it includes) can name programs
that git would run (a signature checker, an external diff, a pager, an fsmonitor hook, hooks,
credential helpers, an ssh command) and can change what is read (another work tree, lazy
fetches from a promisor remote). None of it may take effect: every command gets ``-c``
overrides for those options (the command line outranks every configuration file), the
``--no-*`` flags where a command has them, a clean environment (no system or global
configuration, no terminal prompt, no optional locks), and names taken from the repository
(branches, ``HEAD``) are resolved to a full commit hash after ``--end-of-options`` before they
are used, so they can never be read as options.

Reads use plain subprocesses (importing gitpython costs about as much as a whole verification
of a small repository); :func:`object_reader` opens gitpython's object database with the same
overrides for ``--rev``/``--at``; :func:`clone` and :func:`fetch` serve a cohort's cache, with a
timeout, no prompt, and only the transports a grader can mean.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path

from verifier.lazy_re import lazy

GITPYTHON_FLOOR = (3, 1, 41)  # older releases have option-injection and search-path flaws
HASH = lazy(r"^[0-9a-f]{40}([0-9a-f]{24})?$")

# Options that name a program git would run, or change what git reads, set to inert values.
# Empty values reset a list option (credential.helper) or turn a feature off.
NEUTRAL_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("pager.log", "false"),
    ("pager.config", "false"),
    ("log.showSignature", "false"),
    ("gpg.program", "false"),
    ("gpg.openpgp.program", "false"),
    ("gpg.x509.program", "false"),
    ("gpg.ssh.program", "false"),
    ("gpg.ssh.defaultKeyCommand", "false"),
    ("credential.helper", ""),
    ("core.askPass", ""),
    ("core.sshCommand", "ssh"),
    ("core.gitProxy", ""),
    ("core.alternateRefsCommand", ""),
    ("core.editor", "false"),
    ("sequence.editor", "false"),
    ("core.untrackedCache", "false"),
    ("gc.auto", "0"),  # no repacking (and its hooks) started behind a fetch
    ("maintenance.auto", "false"),
    ("protocol.allow", "never"),  # reads never go to the network (no lazy fetch of objects)
    ("mailmap.file", ""),  # names come from the tracked .mailmap only, never a file outside
    ("mailmap.blob", ""),
)
# The grader's own settings a clone may need (ssh agent and command, proxies).
GRADER_ENVIRONMENT = (
    "SSH_AUTH_SOCK",
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "XDG_CONFIG_HOME",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "no_proxy",
    "NO_PROXY",
)
# Extra flags for ``git log``: no signature check, no external diff, no textconv filter.
LOG_FLAGS = ("--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-color")


class GitCommandError(RuntimeError):
    """git failed; the message is git's own last line."""


class GitToolError(RuntimeError):
    """The git tooling itself is unusable (an unsafe gitpython); the message says what to do."""


def config_args(config: tuple[tuple[str, str], ...] = NEUTRAL_CONFIG) -> list[str]:
    args: list[str] = []
    for key, value in config:
        args += ["-c", f"{key}={value}"]
    return args


def base_env(global_config: bool = False) -> dict[str, str]:
    """The environment of every git command: nothing from the system configuration, nothing from
    the user's global one unless asked (clones may need the grader's credentials), no prompt."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
    }
    if not global_config:
        env["GIT_CONFIG_GLOBAL"] = os.devnull
    else:
        for name in GRADER_ENVIRONMENT:
            if name in os.environ:
                env[name] = os.environ[name]
    return env


def config_env(config: tuple[tuple[str, str], ...] = NEUTRAL_CONFIG) -> dict[str, str]:
    """The same overrides as ``-c``, as ``GIT_CONFIG_COUNT`` variables (for gitpython's commands)."""
    env = {"GIT_CONFIG_COUNT": str(len(config))}
    for index, (key, value) in enumerate(config):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def _command(root: Path | None, args: tuple[str, ...], config=NEUTRAL_CONFIG) -> list[str]:
    command = ["git", "--no-pager", *config_args(config)]
    if root is not None:
        command += ["-C", str(root)]
    return [*command, *args]


def run_git(root: Path, *args: str, timeout: float = 60) -> str:
    """Run a read-only git command in the work tree ``root``; its standard output as text."""
    completed = _run(_command(root, args), base_env(), timeout)
    if completed.returncode != 0:
        raise GitCommandError(_last_line(completed.stderr) or f"git {args[0]} failed")
    return completed.stdout.decode("utf-8", "replace")


def git_log(root: Path, *args: str, timeout: float = 60) -> str:
    """``git log`` with signatures, external diffs and textconv filters off."""
    return run_git(root, "log", *LOG_FLAGS, *args, timeout=timeout)


def resolve_commit(root: Path, name: str) -> str:
    """The full hash of the commit ``name`` names (a branch, tag, hash, ``HEAD~2``).

    The name comes after ``--end-of-options``, so a branch called ``--output=x`` is a name, not
    an option; everything after this uses the hash.
    """
    if not name or "\0" in name:
        raise GitCommandError(f"no commit {name!r}")
    out = run_git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    commit = out.strip()
    if not HASH.match(commit):
        raise GitCommandError(f"no commit {name!r}")
    return commit


def _run(command: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None):
    """Run git without a terminal: no standard input, its own session (so ssh cannot prompt on
    the terminal), the whole process group killed at the timeout."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise GitCommandError(f"git {command_name(command)} timed out after {timeout:g} s") from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def command_name(command: list[str]) -> str:
    skip = False
    for part in command[1:]:
        if skip:
            skip = False
        elif part in ("-c", "-C"):
            skip = True
        elif not part.startswith("-"):
            return part
    return "command"


def _last_line(stderr: bytes) -> str:
    """git's last line of error, without credentials of any URL it quotes."""
    from verifier.safe_text import without_credentials

    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return without_credentials(lines[-1]) if lines else ""


# ---- cohorts: clone and fetch ----------------------------------------------------------------

REMOTE_PROTOCOLS = ("https", "http", "ssh", "git")
FETCHED_HEAD = "refs/verifier/fetched-head"  # the remote's HEAD as last fetched


def transport_config(allow_file: bool) -> tuple[tuple[str, str], ...]:
    """Overrides for clone/fetch: the read overrides, with only the transports a grader can mean
    (never ``ext::``, which runs a command; ``file`` only for a local repository given as one)."""
    config = [(k, v) for k, v in NEUTRAL_CONFIG if not k.startswith("protocol.") and k != "credential.helper"]
    config += [("protocol.allow", "never"), ("protocol.ext.allow", "never")]
    config += [(f"protocol.{name}.allow", "always") for name in REMOTE_PROTOCOLS]
    config.append(("protocol.file.allow", "always" if allow_file else "never"))
    return tuple(config)


def is_local(url: str) -> bool:
    return url.startswith("file://") or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/]+@[^/:]+:", url)


def clone(url: str, target: Path, timeout: float = 600, checkout: bool = True) -> None:
    """Clone ``url`` into ``target`` (no hooks, no submodules, no LFS downloads, no prompt);
    ``checkout=False`` leaves the work tree empty (for checking out a given commit after).

    The grader's own global configuration stays in effect (their credential helper, ssh keys,
    proxies); the repository being cloned has no configuration of its own yet.
    """
    if url.startswith("-"):
        raise GitCommandError(f"refused: {url!r} is not a repository address")
    config = transport_config(allow_file=is_local(url))
    options = ("--quiet", "--no-recurse-submodules") + (() if checkout else ("--no-checkout",))
    command = _command(None, ("clone", *options, "--", url, str(target)), config)
    completed = _run(command, base_env(global_config=True), timeout)
    if completed.returncode != 0:
        raise GitCommandError(_last_line(completed.stderr) or "git clone failed")


def fetch(target: Path, url: str, timeout: float = 600) -> None:
    """Fetch ``url`` again into the cached clone ``target`` and move its work tree to the
    fetched default branch. The URL is given, not read from the clone's configuration, and
    the program run on the other side is git's own, so no ``remote.*`` setting is used."""
    if url.startswith("-"):
        raise GitCommandError(f"refused: {url!r} is not a repository address")
    config = transport_config(allow_file=is_local(url))
    args = (
        "fetch",
        "--quiet",
        "--no-recurse-submodules",
        "--upload-pack=git-upload-pack",
        "--",
        url,
        "+refs/heads/*:refs/remotes/origin/*",
        f"+HEAD:{FETCHED_HEAD}",
    )
    completed = _run(_command(target, args, config), base_env(global_config=True), timeout)
    if completed.returncode != 0:
        raise GitCommandError(_last_line(completed.stderr) or "git fetch failed")
    head = resolve_commit(target, FETCHED_HEAD)
    completed = _run(_command(target, ("reset", "--quiet", "--hard", head)), base_env(), timeout)
    if completed.returncode != 0:
        raise GitCommandError(_last_line(completed.stderr) or "git reset failed")


# ---- gitpython, for object reads -------------------------------------------------------------


def check_gitpython() -> None:
    """Refuse a gitpython older than :data:`GITPYTHON_FLOOR`."""
    import git

    version = getattr(git, "__version__", "0")
    if _version_tuple(version) < GITPYTHON_FLOOR:
        floor = ".".join(map(str, GITPYTHON_FLOOR))
        raise GitToolError(
            f"GitPython {version} is installed; {floor} or newer is needed (older releases let "
            f"repository data reach git as options): pip install 'gitpython>={floor}'"
        )


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = re.match(r"\d+", piece)
        parts.append(int(digits.group()) if digits else 0)
    return tuple(parts)


def object_reader(root: Path):
    """A gitpython ``Repo`` for reading objects, whose git commands get the same overrides."""
    check_gitpython()
    import git

    repo = git.Repo(root)
    env = {**base_env(), **config_env()}
    env.pop("PATH")
    env.pop("HOME")
    repo.git.update_environment(**env)
    return repo
