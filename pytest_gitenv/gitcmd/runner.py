"""`run_git`: parse a git command line and run it in-process inside the sandbox.

Never starts the git binary or a shell. Global options that could run programs or
leave the workspace (`-c`, `--exec-path`, `--git-dir`, ...) are refused.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from . import commands, deadline  # noqa: F401 - importing `commands` registers them
from .context import CommandContext, CommandResult
from .errors import GitError, fatal
from .registry import COMMANDS, GIT_COMMANDS
from .repo import GitRepo

MAX_ARGS = 10_000
MAX_ARG_CHARS = 128 * 1024
_IGNORED_GLOBALS = {"--no-pager", "-P", "--no-optional-locks", "--no-replace-objects",
                    "--literal-pathspecs"}
_REFUSED_GLOBALS = {"-c", "--config-env", "--exec-path", "--git-dir", "--work-tree",
                    "--namespace", "--super-prefix", "--bare", "-p", "--paginate",
                    "--html-path", "--man-path", "--info-path", "--list-cmds", "--attr-source",
                    "--glob-pathspecs", "--noglob-pathspecs", "--icase-pathspecs"}
_REPOLESS = {"clone", "ls-remote"}  # also run outside a repository (repo=None)
_REPO_CACHE: OrderedDict[tuple[str, int], GitRepo] = OrderedDict()
_REPO_CACHE_SIZE = 16


def _argv(command: str | Sequence[str]) -> list[str]:
    if isinstance(command, str):
        if len(command) > MAX_ARG_CHARS:
            raise fatal("command line too long")
        try:
            argv = shlex.split(command)
        except ValueError as err:
            raise fatal(f"cannot parse command line: {err}") from None
    else:
        argv = [str(a) for a in command]
    if argv and argv[0] == "git":
        argv = argv[1:]
    if len(argv) > MAX_ARGS or sum(len(a) for a in argv) > MAX_ARG_CHARS:
        raise fatal("command line too long")
    if any("\0" in a for a in argv):
        raise fatal("arguments may not contain NUL bytes")
    try:
        for arg in argv:
            arg.encode()
    except UnicodeEncodeError:
        raise fatal("arguments must be valid UTF-8 text") from None
    return argv


def confine(path: Path, workspace: Path) -> Path:
    """Resolve `path` (symlinks included); refuse anything outside `workspace`."""
    root = workspace.resolve()
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise fatal(f"cannot change to '{path}': outside the workspace")
    return resolved


def _globals(argv: list[str], cwd: Path, workspace: Path) -> tuple[list[str], Path]:
    """Consume git's global options; return the remaining argv and the effective cwd."""
    while argv and argv[0].startswith("-"):
        opt = argv.pop(0)
        name = opt.split("=", 1)[0]
        if opt in _IGNORED_GLOBALS:
            continue
        if opt == "-C":
            if not argv:
                raise GitError("error: no directory given for '-C' option\n", 129)
            given = argv.pop(0)
            target = confine(cwd / given, workspace)
            if not target.is_dir():
                reason = "Not a directory" if target.exists() else "No such file or directory"
                raise fatal(f"cannot change to '{given}': {reason}")
            cwd = target
        elif name in _REFUSED_GLOBALS or opt.startswith("-c"):
            raise fatal(f"option '{name}' is not allowed in this sandbox")
        else:
            raise GitError(f"unknown option: {opt}\nusage: git [-C <path>] <command> [<args>]\n",
                           129)
    return argv, cwd


def _open_repo(cwd: Path, workspace: Path) -> GitRepo:
    """The repository at `cwd`, reusing the cached GitRepo (and its caches) when possible."""
    worktree, git_dir = GitRepo.locate(cwd, workspace)
    key = (os.fspath(git_dir), git_dir.stat().st_ino)
    cached = _REPO_CACHE.get(key)
    if cached is not None and cached.workspace == workspace.resolve():
        _REPO_CACHE.move_to_end(key)
        return cached
    repo = _REPO_CACHE[key] = GitRepo(worktree, git_dir, workspace.resolve())
    while len(_REPO_CACHE) > _REPO_CACHE_SIZE:
        _REPO_CACHE.popitem(last=False)
    return repo


def forget(worktree: Path) -> None:
    """Drop cached state of the repository at `worktree` (its .git was changed behind our back)."""
    git_dir = os.fspath(Path(worktree).resolve() / ".git")
    for key in [k for k in _REPO_CACHE if k[0] == git_dir]:
        _REPO_CACHE.pop(key).dulwich.close()


def _expand_alias(name: str, rest: list[str], repo: GitRepo) -> list[str]:
    seen = {name}
    argv = [name, *rest]
    while argv[0] not in COMMANDS:
        value = repo.config_get(("alias",), argv[0])
        if value is None:
            return argv
        if value.startswith("!"):
            raise fatal(f"alias '{argv[0]}' runs a shell command; not allowed in this sandbox")
        try:
            expansion = shlex.split(value)
        except ValueError:
            raise fatal(f"bad alias.{argv[0]} string: unclosed quote") from None
        if not expansion or expansion[0] in seen:
            raise fatal(f"alias loop detected: expansion of '{name}' does not terminate")
        seen.add(expansion[0])
        argv = expansion + argv[1:]
    return argv


def _unknown(name: str) -> GitError:
    if name in GIT_COMMANDS:
        supported = ", ".join(sorted(COMMANDS))
        return GitError(f"git: '{name}' is not supported in this environment. "
                        f"Supported commands: {supported}\n", 1)
    return GitError(f"git: '{name}' is not a git command. See 'git --help'.\n", 1)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[output truncated: {len(text) - limit} more characters]\n"


def _dispatch(command: str | Sequence[str], ctx: CommandContext) -> CommandResult:
    argv, cwd = _globals(_argv(command), confine(ctx.cwd, ctx.workspace), ctx.workspace)
    if not argv:
        raise GitError("usage: git [-C <path>] <command> [<args>]\n", 1)
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS and name in GIT_COMMANDS:
        raise _unknown(name)
    try:
        repo = _open_repo(cwd, ctx.workspace)
    except GitError:
        if name in _REPOLESS and name in COMMANDS:
            return COMMANDS[name].func(rest, None, dataclasses.replace(ctx, cwd=cwd))  # type: ignore[arg-type]
        if name not in COMMANDS:
            raise _unknown(name) from None
        raise
    name, *rest = _expand_alias(name, rest, repo)
    if name not in COMMANDS:
        raise _unknown(name)
    repo.ctx = dataclasses.replace(ctx, cwd=cwd)
    repo.warnings.clear()
    try:
        result = COMMANDS[name].func(rest, repo, repo.ctx)
    except GitError as err:
        repo.invalidate()
        err.stderr = "".join(repo.warnings) + err.stderr
        raise
    except BaseException:
        repo.invalidate()
        raise
    if repo.warnings:
        result = CommandResult(result.exit_code, result.stdout,
                               "".join(repo.warnings) + result.stderr)
    return result


def run_git(command: str | Sequence[str], ctx: CommandContext) -> CommandResult:
    """Run one git command line against the workspace in `ctx`; never raises."""
    token = deadline.start(ctx.time_limit)
    try:
        result = _dispatch(command, ctx)
    except GitError as err:
        result = CommandResult(err.exit_code, err.stdout, err.stderr)
    except RecursionError:
        result = CommandResult(128, "", "fatal: internal error: recursion too deep\n")
    except Exception as err:  # the sandbox must never leak a traceback
        result = CommandResult(128, "", f"fatal: internal error: {type(err).__name__}: {err}\n")
    finally:
        deadline.stop(token)
    return CommandResult(result.exit_code, _cap(result.stdout, ctx.output_limit),
                         _cap(result.stderr, ctx.output_limit))
