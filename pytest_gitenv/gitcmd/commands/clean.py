"""git clean: -n, -f, -d, -x, -X, -q, pathspecs; refuses without -f like git."""

from __future__ import annotations

import os
import shutil

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser
from ..paths import display, is_repository
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import list_untracked

PARSER = OptionParser("clean", [
    Opt("quiet", "q", "quiet"),
    Opt("dry_run", "n", "dry-run"),
    Opt("force", "f", "force", "count"),
    Opt("interactive", "i", "interactive"),
    Opt("dirs", "d", None),
    Opt("exclude", "e", "exclude", "list"),
    Opt("ignored", "x", None),
    Opt("only_ignored", "X", None),
])


@command("clean")
def clean(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "interactive", "exclude")
    if opts["ignored"] and opts["only_ignored"]:
        raise fatal("-x and -X cannot be used together")
    if not opts["force"] and not opts["dry_run"]:
        raise fatal("clean.requireForce defaults to true and neither -i, -n, nor -f given; "
                    "refusing to clean")
    spec = Pathspec(repo, opts.args or ["."], ctx.cwd)
    found = list_untracked(repo, repo.index(), want_ignored=True, empty_dirs=True)
    candidates: list[bytes] = []
    if not opts["only_ignored"]:
        candidates += found.untracked
    if opts["ignored"] or opts["only_ignored"]:
        candidates += found.ignored
    prefix = repo.prefix(ctx.cwd)
    lines = []
    verb = "Would remove" if opts["dry_run"] else "Removing"
    for path in sorted(candidates):
        is_dir = path.endswith(b"/")
        if is_dir and not opts["dirs"]:
            continue
        if is_dir and is_repository(os.fsencode(repo.abspath(path))) and opts["force"] < 2:
            continue
        if not spec.matches(path.rstrip(b"/")):
            continue
        if not opts["quiet"]:
            lines.append(f"{verb} {display(path, prefix)}\n")
        if opts["dry_run"]:
            continue
        target = repo.abspath(path.rstrip(b"/"))
        if is_dir and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            os.unlink(target)
    return CommandResult(0, "".join(lines))
