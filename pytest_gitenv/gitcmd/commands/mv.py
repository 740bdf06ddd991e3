"""git mv: rename files and directories in the index and the worktree (-f, -n, -v, -k).

Follows builtin/mv.c: every source is checked first (a directory adds its index entries to
the list, which are checked too), then the worktree is renamed and the index updated."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexEntry
from ..options import Opt, OptionParser, Parsed
from ..paths import raw
from ..registry import command
from ..repo import GitRepo
from ..usage_text import USAGE
from ..worktree import GITLINK, without_df_conflicts

PARSER = OptionParser("mv", [
    Opt("verbose", "v", "verbose"),
    Opt("dry_run", "n", "dry-run"),
    Opt("force", "f", "force"),
    Opt("skip_errors", "k", None),
    Opt("sparse", None, "sparse"),
])


@dataclass
class _Move:
    src: bytes
    dst: bytes
    whole_dir: bool = False  # the worktree directory moves; its entries follow in the index
    index_only: bool = False  # an entry inside a moved directory


def _lstat(repo: GitRepo, path: bytes) -> os.stat_result | None:
    try:
        return os.lstat(repo.abspath(path))
    except OSError:
        return None


def _is_dir(repo: GitRepo, path: bytes) -> bool:
    st = _lstat(repo, path)
    return st is not None and stat.S_ISDIR(st.st_mode)


def _valid(repo: GitRepo, path: bytes) -> bool:
    """git's verify_path (no ".git" component, ...) for an index path."""
    try:
        repo.check_repo_path(path)
    except GitError:
        return False
    return True


def _repo_path(repo: GitRepo, arg: str, ctx: CommandContext) -> bytes:
    """to_repo_path with mv's wording for a path outside the repository (prefix_path)."""
    full = os.path.normpath(os.path.join(ctx.cwd, arg))
    root = os.fspath(repo.worktree)
    if full != root and not full.startswith(root + os.sep):
        raise fatal(f"'{arg}' is outside repository at '{root}'")
    return repo.to_repo_path(arg, ctx.cwd)


def _planned(repo: GitRepo, args: list[str], ctx: CommandContext) -> list[_Move]:
    """Each source with its destination: into `dest` when it is a directory, else onto it."""
    *sources, dest_arg = args
    srcs = [_repo_path(repo, arg, ctx) for arg in sources]
    dest = _repo_path(repo, dest_arg, ctx)
    # git keeps the destination's trailing slash ("mv file no-such-dir/" must fail), except
    # for "mv directory no-such-dir/"
    if dest and dest_arg.endswith("/") and not (len(srcs) == 1 and _is_dir(repo, srcs[0])
                                                and not _is_dir(repo, dest)):
        dest += b"/"
    names = [os.fsencode(os.path.basename(arg.rstrip("/"))) for arg in sources]
    if not dest:
        return [_Move(src, name) for src, name in zip(srcs, names, strict=True)]
    if _is_dir(repo, dest.rstrip(b"/")):
        return [_Move(src, dest.rstrip(b"/") + b"/" + name) for src, name in zip(srcs, names, strict=True)]
    if len(srcs) != 1:
        raise fatal(f"destination '{raw(dest)}' is not a directory")
    return [_Move(srcs[0], dest)]


def _problem(repo: GitRepo, move: _Move, entries: list[IndexEntry], targets: set[bytes],
             opts: Parsed, out: list[str]) -> tuple[str | None, list[_Move]]:
    """git's verdict on one move ("bad source", "destination exists", ...) and, for a directory,
    the moves of the index entries inside it; a directory standing where a tracked file is dies."""
    src, dst = move.src, move.dst
    st = _lstat(repo, src)
    if st is None:
        return "bad source", []
    if dst == src or dst.startswith(src + b"/"):
        return "can not move directory into itself", []
    target = _lstat(repo, dst)
    own = [e for e in entries if e.path == src]
    stages = [e.stage for e in own]
    if stat.S_ISDIR(st.st_mode):
        if target is not None:
            return "cannot move directory over file", []
        if own and own[0].stage == 0:  # git's prepare_move_submodule
            if own[0].mode != GITLINK:
                raise GitError(f"fatal: Directory {raw(src)} is in index and no submodule?\n", 128, "".join(out))
            return None, []
        inside = [e.path for e in entries if e.path.startswith(src + b"/")]
        if not inside:
            return "source directory is empty", []
        move.whole_dir = True
        return None, [_Move(p, dst + p[len(src):], index_only=True) for p in inside]
    if not stages:
        return "not under version control", []
    if stages[0]:
        return "conflicted", []
    if target is not None:
        if not opts["force"]:
            return "destination exists", []
        if not (stat.S_ISREG(target.st_mode) or stat.S_ISLNK(target.st_mode)):
            return "Cannot overwrite", []
        if opts["verbose"]:
            repo.warnings.append(f"warning: overwriting '{raw(dst)}'\n")
        return None, []
    if dst in targets:
        return "multiple sources for the same target", []
    if dst.endswith(b"/"):
        return "destination directory does not exist", []
    targets.add(dst)
    return None, []


def _checked(repo: GitRepo, moves: list[_Move], entries: list[IndexEntry], opts: Parsed,
             out: list[str]) -> list[_Move]:
    """The moves that pass git's checks (-k drops the others, else the first one dies)."""
    accepted: list[_Move] = []
    targets: set[bytes] = set()
    i = 0
    while i < len(moves):
        move = moves[i]
        i += 1
        if opts["dry_run"]:
            out.append(f"Checking rename of '{raw(move.src)}' to '{raw(move.dst)}'\n")
        problem, inner = _problem(repo, move, entries, targets, opts, out)
        moves += inner
        if problem is None:
            accepted.append(move)
        elif not opts["skip_errors"]:
            raise GitError(f"fatal: {problem}, source={raw(move.src)}, destination={raw(move.dst)}\n",
                           128, "".join(out))
    return accepted


@command("mv")
def mv(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    if len(opts.args) < 2:
        raise GitError(USAGE["mv"], 129)
    index = repo.index()
    entries = list(index.entries)
    out: list[str] = []
    for move in _checked(repo, _planned(repo, opts.args, ctx), entries, opts, out):
        if opts["verbose"] or opts["dry_run"]:
            out.append(f"Renaming {raw(move.src)} to {raw(move.dst)}\n")
        if opts["dry_run"]:
            continue
        if not _valid(repo, move.dst):  # git renames into .git/, then drops the entry;
            repo.warnings.append(f"error: invalid path '{raw(move.dst)}'\n")  # we never write
            entries = [e for e in entries if e.path != move.src]  # inside .git
            continue
        if not move.index_only:
            try:
                os.rename(repo.abspath(move.src), repo.abspath(move.dst))
            except OSError as err:
                if opts["skip_errors"]:
                    continue
                raise GitError(f"fatal: renaming '{raw(move.src)}' failed: {err.strerror}\n", 128,
                               "".join(out)) from None
        if move.whole_dir:
            continue
        entries = without_df_conflicts(
            [replace(e, path=move.dst) if e.path == move.src else e for e in entries
             if e.path != move.dst], [move.dst])
    if not opts["dry_run"]:
        index.set_entries(entries)
        repo.write_index(index)
    return CommandResult(0, "".join(out))
