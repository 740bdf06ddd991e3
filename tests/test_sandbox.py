"""Hostile corpus for the git command layer: nothing may run, nothing may escape.

Every case runs `run_git` with process creation patched to fail loudly, checks the
clear error (never an internal error or traceback), and checks that the marker file a
successful attack would create outside the workspace never appears.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from dulwich.objects import Blob, Commit, Tree

from pytest_gitenv.gitcmd import CommandContext, FixedClock, run_git
from tests.gitoracle import IDENTITY, template

MARK = "@MARKER@"  # replaced by the absolute marker path outside the workspace
ERROR_PREFIXES = ("fatal: ", "error: ", "git: ", "usage: ", "unknown option")


@dataclass(frozen=True)
class Case:
    id: str
    command: str | list[str]
    ok: bool = False  # True when the command may succeed (but must still run nothing)
    prepare: Callable[[Path, Path], None] | None = None
    cwd: str = "repo"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _hook(repo: Path, outside: Path) -> None:
    for name in ("pre-commit", "commit-msg", "post-commit", "post-checkout", "reference-transaction"):
        _write(repo / ".git" / "hooks" / name, f"#!/bin/sh\ntouch {outside / 'MARKER'}\n")
        (repo / ".git" / "hooks" / name).chmod(0o755)
    _write(repo / "a.txt", "changed\n")


def _append_config(text: str) -> Callable[[Path, Path], None]:
    def prepare(repo: Path, outside: Path) -> None:
        with open(repo / ".git" / "config", "a") as handle:
            handle.write(text.replace(MARK, str(outside / "MARKER")))
        _write(repo / "a.txt", "changed\n")
        _write(repo / ".gitattributes", "* filter=evil diff=evil merge=evil\n")

    return prepare


def _conflicting_branch(repo: Path, outside: Path) -> None:
    """Branch `side` and main both change b.txt; a merge driver and textconv are configured."""
    _append_config(f'[merge "evil"]\n\tdriver = touch {MARK}\n[diff "evil"]\n'
                   f'\ttextconv = touch {MARK}\n')(repo, outside)
    ctx = CommandContext(workspace=repo.parent, cwd=repo, identity=IDENTITY, clock=FixedClock())
    for step in ("add -A", "commit -qm attrs", "checkout -q -b side"):
        assert run_git(step, ctx).exit_code == 0
    _write(repo / "b.txt", "side\n")
    assert run_git("commit -qam side", ctx).exit_code == 0
    assert run_git("checkout -q main", ctx).exit_code == 0
    _write(repo / "b.txt", "main\n")
    assert run_git("commit -qam main", ctx).exit_code == 0


def _link_out(name: str) -> Callable[[Path, Path], None]:
    def prepare(repo: Path, outside: Path) -> None:
        os.symlink(outside, repo / name)

    return prepare


def _swap_dir_for_link(repo: Path, outside: Path) -> None:
    shutil.rmtree(repo / "dir")
    os.symlink(outside, repo / "dir")


def _evil_commit(path: bytes) -> Callable[[Path, Path], None]:
    """A branch `evil` whose tree holds `path` (e.g. .git/hooks/x or ../x)."""

    def prepare(repo: Path, outside: Path) -> None:
        from dulwich.repo import Repo

        store = Repo(str(repo)).object_store
        blob = Blob.from_string(f"#!/bin/sh\ntouch {outside / 'MARKER'}\n".encode())
        store.add_object(blob)
        *dirs, name = path.split(b"/")
        tree = Tree()
        tree.add(name, 0o100755, blob.id)
        store.add_object(tree)
        for d in reversed(dirs):
            parent = Tree()
            parent.add(d, 0o040000, tree.id)
            store.add_object(parent)
            tree = parent
        commit = Commit()
        commit.tree = tree.id
        commit.author = commit.committer = b"E <e@x>"
        commit.author_time = commit.commit_time = 0
        commit.author_timezone = commit.commit_timezone = 0
        commit.message = b"evil\n"
        store.add_object(commit)
        _write(repo / ".git" / "refs" / "heads" / "evil", commit.id.decode() + "\n")

    return prepare


CONFIG_KEYS = [
    "core.fsmonitor", "core.hooksPath", "core.sshCommand", "core.pager", "core.editor",
    "core.askPass", "core.gitProxy", "core.excludesFile", "core.attributesFile",
    "sequence.editor", "diff.evil.textconv", "diff.external", "merge.evil.driver",
    "filter.evil.clean", "filter.evil.smudge", "filter.evil.process", "gpg.program",
    "commit.gpgSign", "credential.helper", "uploadpack.packObjectsHook",
    "remote.origin.uploadpack", "remote.origin.receivepack", "protocol.ext.allow",
    "include.path", "includeIf.gitdir:/.path", "pager.status", "http.proxy",
    "url.ext::sh.insteadOf", "core.worktree", "safe.directory",
]

CASES = [
    *(Case(f"config-{key}", f"config {key} 'touch {MARK}'") for key in CONFIG_KEYS),
    Case("config-unlisted-key", "config color.ui always"),
    Case("config-shell-alias", f"config alias.x '!touch {MARK}'"),
    Case("config-shell-alias-space", f"config alias.x ' !touch {MARK}'"),
    Case("config-global", "config --global user.name x"),
    Case("config-system", "config --system user.name x"),
    Case("config-file", f"config --file {MARK} user.name x"),
    Case("config-newline-value", ["config", "user.name", "a\n[core]\nfsmonitor = x"]),
    Case("global-c", f"-c alias.x='!touch {MARK}' x"),
    Case("global-c-attached", f"-ccore.fsmonitor='touch {MARK}' status"),
    Case("global-config-env", "--config-env=core.pager=HOME status"),
    Case("global-exec-path", "--exec-path=/tmp status"),
    Case("global-git-dir", "--git-dir=/etc status"),
    Case("global-work-tree", "--work-tree=/ status"),
    Case("global-paginate", "-p log"),
    Case("global-unknown", "--bogus status"),
    Case("dash-C-root", "-C / status"),
    Case("dash-C-parent", "-C ../.. status"),
    Case("dash-C-symlink-out", "-C out status", prepare=_link_out("out")),
    Case("alias-from-repo-config", "evil", prepare=_append_config(
        f"[alias]\n\tevil = !touch {MARK}\n")),
    Case("fsmonitor-in-repo-config", "status", ok=True, prepare=_append_config(
        f"[core]\n\tfsmonitor = touch {MARK}\n\thooksPath = /tmp\n")),
    Case("filter-via-attributes-add", "add -A", ok=True, prepare=_append_config(
        f'[filter "evil"]\n\tclean = touch {MARK}\n\tsmudge = touch {MARK}\n'
        f'\tprocess = touch {MARK}\n\trequired = true\n')),
    Case("textconv-via-attributes-diff", "diff", ok=True, prepare=_append_config(
        f'[diff "evil"]\n\ttextconv = touch {MARK}\n\tcommand = touch {MARK}\n')),
    Case("hooks-on-commit", "commit -am x", ok=True, prepare=_hook),
    Case("merge-driver-via-attributes", "merge side", ok=True, prepare=_conflicting_branch),
    Case("cherry-pick-driver-via-attributes", "cherry-pick side", ok=True,
         prepare=_conflicting_branch),
    Case("diff-textconv-between-branches", "diff main side", ok=True,
         prepare=_conflicting_branch),
    Case("hooks-on-checkout", "checkout -b other", ok=True, prepare=_hook),
    Case("pager-in-repo-config", "log --oneline", ok=True, prepare=_append_config(
        f"[core]\n\tpager = touch {MARK}\n[pager]\n\tlog = touch {MARK}\n")),
    Case("remote-ext-transport", f"remote add evil 'ext::sh -c touch% {MARK}'"),
    Case("remote-credentials", "remote add evil https://user:secret@example.com/r.git"),
    Case("remote-ssh-url", "remote add evil ssh://example.com/r.git"),
    Case("remote-scp-like", "remote add evil git@example.com:r.git"),
    Case("remote-file-url", "remote add evil file:///etc"),
    Case("remote-abs-path-outside", "remote add evil /etc"),
    Case("remote-rel-path-outside", "remote add evil ../../../elsewhere"),
    Case("remote-set-url-ext", f"remote set-url origin 'ext::sh -c touch% {MARK}'",
         prepare=_append_config('[remote "origin"]\n\turl = https://example.com/r.git\n')),
    Case("config-remote-url-creds", "config remote.origin.url https://u:p@example.com/x"),
    Case("ls-remote-upload-pack", f"ls-remote --upload-pack='touch {MARK}' ."),
    Case("fetch-upload-pack", f"fetch --upload-pack='touch {MARK}' origin"),
    Case("clone-upload-pack", f"clone -u 'touch {MARK}' . copy"),
    Case("push-receive-pack", f"push --receive-pack='touch {MARK}' origin"),
    Case("archive-remote-exec", f"archive --remote=. --exec='touch {MARK}' HEAD"),
    Case("submodule-foreach", f"submodule foreach 'touch {MARK}'"),
    Case("difftool", f"difftool -x 'touch {MARK}'"),
    Case("rebase-exec", f"rebase --exec 'touch {MARK}' HEAD~1"),
    Case("bisect-run", f"bisect run touch {MARK}"),
    Case("filter-branch", f"filter-branch --tree-filter 'touch {MARK}'"),
    Case("add-parent-path", "add ../outside.txt"),
    Case("add-absolute-path", "add /etc/passwd"),
    Case("add-through-symlink", "add out/secret", prepare=_link_out("out")),
    Case("rm-parent-path", "rm ../outside.txt"),
    Case("checkout-parent-path", "checkout -- ../outside.txt"),
    Case("restore-absolute", "restore /etc/passwd"),
    Case("mv-out-of-repo", "mv a.txt ../moved.txt"),
    Case("mv-through-symlink", "mv a.txt out/moved.txt", prepare=_link_out("out")),
    Case("commit-message-file-outside", "commit --allow-empty -F /etc/passwd"),
    Case("commit-message-file-parent", "commit --allow-empty -F ../outside.txt"),
    Case("diff-no-index", "diff --no-index /dev/null /etc/passwd"),
    Case("status-pathspec-outside", "status /etc"),
    Case("clean-pathspec-outside", "clean -f ../"),
    Case("checkout-tree-with-dotgit", "checkout evil", prepare=_evil_commit(b".git/hooks/post-checkout")),
    Case("checkout-tree-with-dotdot", "checkout evil", prepare=_evil_commit(b"../escape")),
    Case("reset-hard-through-symlinked-dir", "reset --hard", ok=True, prepare=_swap_dir_for_link),
    Case("clean-does-not-follow-symlink", "clean -fdx", ok=True, prepare=_link_out("out")),
    Case("add-reads-through-symlinked-dir", "add -A", ok=True, prepare=_swap_dir_for_link),
    Case("checkout-bad-tree-leaves-worktree", "checkout evil", prepare=_evil_commit(b".GIT/x")),
    Case("nul-in-argument", ["status", "a\0b"]),
    Case("very-long-argument", "add " + "a" * 2_000_000),
    Case("too-many-arguments", ["add", *["x"] * 20_000]),
    Case("binary-garbage", "\udcff\udcfe\x01\x02 status"),
    Case("unbalanced-quote", "commit -m 'oops"),
    Case("empty-command", ""),
    Case("unknown-command", "frobnicate"),
    Case("cwd-outside-workspace", "status", cwd="/"),
]


class ProcessSpawned(AssertionError):
    """Raised if the command layer tries to start any process."""


@pytest.fixture
def no_processes(monkeypatch):
    template("basic")  # built by the real git before process creation is forbidden

    def refuse(*_args, **_kwargs):
        raise ProcessSpawned("the git command layer tried to start a process")

    for module, names in ((subprocess, ("Popen", "run", "call", "check_call", "check_output")),
                          (os, ("system", "popen", "fork", "forkpty", "execv", "execve",
                                "execvp", "execvpe", "posix_spawn", "posix_spawnp", "spawnv",
                                "spawnve"))):
        for name in names:
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)


def _run(case: Case, tmp_path: Path, output_limit: int = 1 << 20,
         time_limit: float = 30.0) -> tuple[object, Path, Path]:
    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    outside.mkdir(parents=True)
    (outside / "keep.txt").write_text("precious\n")
    shutil.copytree(template("basic"), workspace, symlinks=True)
    repo = workspace / "repo"
    (workspace / "outside.txt").write_text("workspace file outside the repo\n")
    if case.prepare is not None:
        case.prepare(repo, outside)
    command = case.command
    if isinstance(command, str):
        command = command.replace(MARK, str(outside / "MARKER"))
    cwd = Path(case.cwd) if case.cwd.startswith("/") else workspace / case.cwd
    ctx = CommandContext(workspace=workspace, cwd=cwd, identity=IDENTITY, clock=FixedClock(),
                         output_limit=output_limit, time_limit=time_limit)
    return run_git(command, ctx), repo, outside


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile(case: Case, tmp_path: Path, no_processes) -> None:
    result, repo, outside = _run(case, tmp_path)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not (outside / "MARKER").exists(), "a program ran"
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "precious\n"
    assert not (repo / ".git" / "hooks" / "post-checkout").exists() or case.prepare is _hook
    if case.command == "checkout evil":
        assert (repo / "a.txt").is_file(), "a refused checkout must not touch the worktree"
    if case.ok:
        return
    assert result.exit_code != 0, result
    assert result.stderr.startswith(ERROR_PREFIXES), result.stderr
    assert len(result.stderr) < 4000


def test_output_is_capped(tmp_path: Path, no_processes) -> None:
    def many_files(repo: Path, _outside: Path) -> None:
        for i in range(3000):
            (repo / f"untracked-{i:05d}.txt").write_text("x\n")

    result, _, _ = _run(Case("huge", "status --porcelain", prepare=many_files), tmp_path,
                        output_limit=10_000)
    assert result.exit_code == 0
    assert len(result.stdout) < 10_200
    assert "[output truncated:" in result.stdout


def test_time_limit(tmp_path: Path, no_processes) -> None:
    result, _, _ = _run(Case("slow", "status"), tmp_path, time_limit=0.0)
    assert result.exit_code == 128
    assert result.stderr == "fatal: command timed out after 0 s\n"


def test_repo_config_never_reads_home(tmp_path: Path, monkeypatch, no_processes) -> None:
    home = tmp_path / "home"
    _write(home / ".gitconfig", "[user]\n\tname = FromHome\n[alias]\n\tst = status\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    result, _, _ = _run(Case("home", "config user.name"), tmp_path)
    assert result.exit_code == 1 and result.stdout == ""
    result, _, _ = _run(Case("home-alias", "st"), tmp_path / "again")
    assert result.stderr == "git: 'st' is not a git command. See 'git --help'.\n"


def test_symlinked_dir_is_not_read(tmp_path: Path, no_processes) -> None:
    """Tracked dir/c.txt behind a symlink to a dir holding c.txt must not be staged from there."""

    def prepare(repo: Path, outside: Path) -> None:
        (outside / "c.txt").write_text("secret from outside\n")
        _swap_dir_for_link(repo, outside)

    result, repo, _ = _run(Case("leak", "add -u", ok=True, prepare=prepare), tmp_path)
    assert result.exit_code == 0
    status = run_git("status --porcelain", CommandContext(repo.parent, repo))
    assert "D  dir/c.txt" in status.stdout

