"""Differential harness: run the same steps with real git and with `run_git`, compare all.

A scenario is data::

    scenario("commit-amend", ("write", "a.txt", "x\\n"), ("git", "commit -a --amend -m x"),
             setup="basic")

Both sides start from copies of the same repository (built once per session by real
git). Every step's stdout, stderr and exit code must match byte for byte, and at the
end so must a state summary: HEAD, refs, reflogs, index entries (with stages), worktree
files with modes, state files (MERGE_HEAD, ORIG_HEAD, ...) and .git/config.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_gitenv.gitcmd import CommandContext, FixedClock, Identity, run_git

GIT = shutil.which("git") or "/usr/bin/git"
IDENTITY = Identity("Agent", "agent@gitenv.invalid")
EPOCH = 1_704_067_200
STATE_FILES = ("HEAD", "ORIG_HEAD", "MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "CHERRY_PICK_HEAD",
               "REVERT_HEAD", "FETCH_HEAD", "config", "info/exclude")

Step = tuple[Any, ...]


def git_env(home: Path) -> dict[str, str]:
    """Environment for the real git: nothing from the host, fixed identity and dates."""
    date = f"@{EPOCH} +0000"
    return {
        "PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "TZ": "UTC",
        "GIT_AUTHOR_NAME": IDENTITY.name, "GIT_AUTHOR_EMAIL": IDENTITY.email,
        "GIT_COMMITTER_NAME": IDENTITY.name, "GIT_COMMITTER_EMAIL": IDENTITY.email,
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_PAGER": "cat", "PAGER": "cat",
        "GIT_EDITOR": "true", "GIT_TERMINAL_PROMPT": "0", "GIT_ADVICE": "1",
    }


@dataclass(frozen=True)
class Scenario:
    """Steps run in `<root>/repo` after `setup` built the starting state."""

    id: str
    steps: tuple[Step, ...]
    setup: str = "basic"
    compare_state: bool = True


def scenario(id: str, *steps: Step, setup: str = "basic", compare_state: bool = True) -> Any:
    """A pytest param for one scenario, with a readable id."""
    return pytest.param(Scenario(id, steps, setup, compare_state), id=id)


# Starting states, built by real git. Steps run in <base>/repo unless a 3rd item names a dir.
SETUPS: dict[str, tuple[Step, ...]] = {
    "empty": (("git", "init -q -b main"),),
    "basic": (
        ("git", "init -q -b main"),
        ("write", "a.txt", "alpha\nbeta\ngamma\n"),
        ("write", "b.txt", "one\n"),
        ("write", "dir/c.txt", "nested\n"),
        ("write", "dir/sub/d.txt", "deep\n"),
        ("git", "add ."),
        ("git", "commit -q -m initial"),
        ("write", "a.txt", "alpha\nbeta\ngamma\ndelta\n"),
        ("git", "commit -q -am second"),
    ),
    "branches": (
        ("setup", "basic"),
        ("git", "checkout -q -b feature"),
        ("write", "f.txt", "feature\n"),
        ("git", "add f.txt"),
        ("git", "commit -q -m feature-work"),
        ("git", "checkout -q main"),
        ("write", "b.txt", "one\ntwo\n"),
        ("git", "commit -q -am main-work"),
        ("git", "branch merged HEAD~1"),
    ),
    "remote": (
        ("setup", "basic"),
        ("git", "clone -q --bare repo upstream.git", "."),
        ("git", "remote add origin ../upstream.git"),
        ("git", "fetch -q origin"),
        ("git", "branch -q -u origin/main"),
        ("write", "e.txt", "local\n"),
        ("git", "add e.txt"),
        ("git", "commit -q -m local-change"),
    ),
}

_TEMPLATES: dict[str, Path] = {}
_SCRATCH = Path(tempfile.mkdtemp(prefix="gitoracle-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)


def _make_room(repo: Path, path: Path) -> None:
    """Replace files standing where `path`'s directories go, and a directory at `path`."""
    current = repo
    for part in path.relative_to(repo).parts[:-1]:
        current = current / part
        if current.is_symlink() or current.is_file():
            current.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def apply_file_step(repo: Path, step: Step) -> None:
    """Run a non-git step: write, append, rm, mkdir, symlink, chmod."""
    kind, path = step[0], repo / step[1]
    if kind in ("write", "append"):
        _make_room(repo, path)
        data = step[2].encode() if isinstance(step[2], str) else step[2]
        with open(path, "ab" if kind == "append" else "wb") as handle:
            handle.write(data)
    elif kind == "rm":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.is_symlink() or path.exists():
            path.unlink()
    elif kind == "mkdir":
        path.mkdir(parents=True, exist_ok=True)
    elif kind == "symlink":
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        os.symlink(step[2], path)
    elif kind == "chmod":
        if path.is_file() and not path.is_symlink():
            path.chmod(int(step[2], 8))
    else:
        raise ValueError(f"unknown step {step!r}")


def real_git(args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[bytes]:
    import shlex

    return subprocess.run([GIT, *shlex.split(args)], cwd=cwd, env=git_env(home),
                          capture_output=True, timeout=60, check=False)


def _build(name: str, base: Path) -> None:
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    (base / "repo").mkdir(exist_ok=True)
    for step in SETUPS[name]:
        if step[0] == "setup":
            _build(step[1], base)
        elif step[0] == "git":
            cwd = base / (step[2] if len(step) > 2 else "repo")
            proc = real_git(step[1], cwd, home)
            if proc.returncode:
                raise RuntimeError(f"setup {name} step {step} failed: {proc.stderr.decode()}")
        else:
            apply_file_step(base / "repo", step)


def template(name: str) -> Path:
    """The starting state `name`, built once per session."""
    if name not in _TEMPLATES:
        base = _SCRATCH / f"template-{name}"
        _build(name, base)
        _TEMPLATES[name] = base
    return _TEMPLATES[name]


def state_summary(base: Path) -> dict[str, Any]:
    """Everything a command may change in <base>/repo, read by real git and the filesystem."""
    repo, home = base / "repo", base / "home"
    git_dir = repo / ".git"

    def git(args: str) -> str:
        return real_git(args, repo, home).stdout.decode(errors="replace")

    files: dict[str, str] = {}
    for dirpath, dirs, names in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if not (dirpath == str(repo) and d == ".git"))
        for entry in [*names, *(d for d in dirs if os.path.islink(os.path.join(dirpath, d)))]:
            full = os.path.join(dirpath, entry)
            st = os.lstat(full)
            rel = os.path.relpath(full, repo)
            if stat.S_ISLNK(st.st_mode):
                files[rel] = f"link -> {os.readlink(full)}"
            else:
                digest = hashlib.sha1(Path(full).read_bytes()).hexdigest()[:12]
                files[rel] = f"{oct(st.st_mode & 0o777)} {digest}"
        empty = [d for d in dirs if not os.listdir(os.path.join(dirpath, d))]
        for d in empty:
            files[os.path.relpath(os.path.join(dirpath, d), repo) + "/"] = "empty dir"
    logs: dict[str, str] = {}
    logs_dir = git_dir / "logs"
    if logs_dir.is_dir():
        for dirpath, _dirs, names in os.walk(logs_dir):
            for entry in names:
                full = Path(dirpath, entry)
                logs[full.relative_to(logs_dir).as_posix()] = full.read_text(errors="replace")
    state = {name: (git_dir / name).read_text(errors="replace")
             for name in STATE_FILES if (git_dir / name).is_file()}
    return {
        "refs": git("for-each-ref --format=%(refname)=%(objectname)"),
        "index": git("ls-files -s"),
        "files": files,
        "logs": logs,
        "state": state,
    }


# git dates blame's uncommitted lines by the wall clock (no variable fixes it), so the two
# sides may straddle a second: that date alone is compared as a placeholder
_UNCOMMITTED_DATE = re.compile(r"((?:Not Committed Yet|<not\.committed\.yet>) +)"
                               r"(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\d{9,}) ([+-]\d{4})")


def _normalise(text: str, base: Path) -> str:
    text = _UNCOMMITTED_DATE.sub(r"\1<now> \2", text)
    return text.replace(str(base.resolve()), "$ROOT").replace(str(base), "$ROOT")


def run_side(sc: Scenario, base: Path, ours: bool) -> list[tuple[str, str, str, int]]:
    """Copy the template to `base` and run every step; returns (step, out, err, code)."""
    shutil.copytree(template(sc.setup), base, symlinks=True)
    home = base / "home"
    results = []
    for step in sc.steps:
        if step[0] != "git":
            apply_file_step(base / "repo", step)
            continue
        cwd = base / "repo" / (step[2] if len(step) > 2 else "")
        if ours:
            ctx = CommandContext(workspace=base, cwd=cwd, identity=IDENTITY,
                                 clock=FixedClock(EPOCH, 0))
            res = run_git(step[1], ctx)
            out, err, code = res.stdout, res.stderr, res.exit_code
        else:
            proc = real_git(step[1], cwd, home)
            out = proc.stdout.decode(errors="replace")
            err = proc.stderr.decode(errors="replace")
            code = proc.returncode
        results.append((step[1], _normalise(out, base), _normalise(err, base), code))
    return results


@dataclass
class Outcome:
    git: list[tuple[str, str, str, int]] = field(default_factory=list)
    ours: list[tuple[str, str, str, int]] = field(default_factory=list)
    git_state: dict[str, Any] = field(default_factory=dict)
    our_state: dict[str, Any] = field(default_factory=dict)


def run_both(sc: Scenario, tmp_path: Path) -> Outcome:
    outcome = Outcome()
    git_base, our_base = tmp_path / "git", tmp_path / "ours"
    outcome.git = run_side(sc, git_base, ours=False)
    outcome.ours = run_side(sc, our_base, ours=True)
    if sc.compare_state:
        outcome.git_state = state_summary(git_base)
        outcome.our_state = state_summary(our_base)
    return outcome


def check(sc: Scenario, tmp_path: Path) -> None:
    """Assert that real git and run_git agree on every step and on the final state."""
    outcome = run_both(sc, tmp_path)
    for theirs, mine in zip(outcome.git, outcome.ours, strict=True):
        assert mine == theirs, (f"step `git {theirs[0]}` differs\n--- git:\n{theirs[1:]!r}\n"
                                f"--- ours:\n{mine[1:]!r}")
    for key, expected in outcome.git_state.items():
        mine = outcome.our_state[key]
        assert mine == expected, (f"final state differs in {key!r}\n--- git:\n{expected!r}\n"
                                  f"--- ours:\n{mine!r}")
