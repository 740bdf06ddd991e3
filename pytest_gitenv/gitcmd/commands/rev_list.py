"""git rev-list: commit ids in git's walk order (--count, --all, -n, --reverse, ranges)."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError
from ..logselect import all_ref_commits, revision_ranges
from ..options import Opt, OptionParser
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revargs import split_args
from ..revwalk import walk

_REV_LIST = OptionParser("rev-list", (
    Opt("count", None, "count"), Opt("all", None, "all"), Opt("reverse", None, "reverse"),
    Opt("max_count", "n", "max-count", "value"), Opt("first_parent", None, "first-parent"),
    Opt("merges", None, "merges", negatable=False),
    Opt("no_merges", None, "no-merges", negatable=False),
), numeric="max_count")
@command("rev-list")
def rev_list(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _REV_LIST.parse(args)
    split = split_args(repo, parsed)
    include, exclude = revision_ranges(repo, split.revs)
    if parsed["all"]:
        include += all_ref_commits(repo)
    if not include:
        raise GitError("usage: git rev-list [<options>] <commit>... [--] [<path>...]\n", 129)
    spec = Pathspec(repo, split.paths, ctx.cwd) if split.paths else None
    shas = [sha for sha, c in walk(repo, include, exclude, first_parent=bool(parsed["first_parent"]),
                                   wanted=spec.matches if spec else None)
            if not ((parsed["merges"] and len(c.parents) < 2)
                    or (parsed["no_merges"] and len(c.parents) > 1))]
    if parsed["max_count"] is not None:
        shas = shas[:int(parsed["max_count"])]
    if parsed["count"]:
        return CommandResult(0, f"{len(shas)}\n")
    if parsed["reverse"]:
        shas.reverse()
    return CommandResult(0, "".join(f"{sha}\n" for sha in shas))
