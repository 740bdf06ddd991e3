"""git mv: rename files and directories in the index and the worktree (-f, -n, -v, -k)."""

from __future__ import annotations

import os

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..paths import raw
from ..registry import command
from ..repo import GitRepo
from ..usage_text import USAGE
from ..worktree import without_df_conflicts

PARSER = OptionParser("mv", [
    Opt("verbose", "v", "verbose"),
    Opt("dry_run", "n", "dry-run"),
    Opt("force", "f", "force"),
    Opt("skip_errors", "k", None),
    Opt("sparse", None, "sparse"),
])


@command("mv")
def mv(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    if len(opts.args) < 2:
        raise GitError(USAGE["mv"], 129)
    *sources, dest_arg = opts.args
    dest = repo.to_repo_path(dest_arg, ctx.cwd)
    dest_is_dir = os.path.isdir(repo.abspath(dest)) and not os.path.islink(repo.abspath(dest))
    if len(sources) > 1 and not dest_is_dir:
        raise fatal(f"destination '{dest_arg}' is not a directory")
    index = repo.index()
    tracked = {e.path for e in index.entries}
    moves: list[tuple[bytes, bytes]] = []  # worktree renames (files or whole directories)
    for arg in sources:
        src = repo.to_repo_path(arg, ctx.cwd)
        target = dest + b"/" + os.path.basename(src) if dest_is_dir else dest
        names = f"source={raw(src)}, destination={raw(target)}"
        src_abs = repo.abspath(src)
        inside = [p for p in tracked if p.startswith(src + b"/")]
        error = None
        if not os.path.lexists(src_abs):
            error = f"bad source, {names}"
        elif target == src:
            error = f"can not move directory into itself, {names}"
        elif os.path.isdir(src_abs) and not os.path.islink(src_abs):
            if target == src or target.startswith(src + b"/"):
                error = f"can not move directory into itself, {names}"
            elif not inside:
                error = f"source directory is empty, {names}"
        elif src not in tracked:
            error = f"not under version control, {names}"
        if error is None and os.path.lexists(repo.abspath(target)) and not opts["force"]:
            error = f"destination exists, {names}"
        if error is not None:
            if opts["skip_errors"]:
                continue
            raise fatal(error)
        moves.append((src, target))
    out = []
    entries = list(index.entries)
    for src, target in moves:
        if opts["dry_run"]:
            out.append(f"Checking rename of '{raw(src)}' to '{raw(target)}'\n")
        if opts["verbose"] or opts["dry_run"]:
            out.append(f"Renaming {raw(src)} to {raw(target)}\n")
        if opts["dry_run"]:
            continue
        target_abs = repo.abspath(target)
        if not os.path.isdir(os.path.dirname(target_abs)):
            raise fatal(f"renaming '{raw(src)}' failed: No such file or directory")
        os.replace(repo.abspath(src), target_abs)
        entries = [e for e in entries if e.path != target or target == src]
        moved = set()
        for entry in entries:
            if entry.path == src or entry.path.startswith(src + b"/"):
                entry.path = target + entry.path[len(src):]
                moved.add(entry.path)
        entries = without_df_conflicts(entries, moved)
    if not opts["dry_run"]:
        index.set_entries(entries)
        repo.write_index(index)
    return CommandResult(0, "".join(out))
