"""git merge-base: best common ancestors (--all) and --is-ancestor."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor, merge_bases
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve_commit

_MERGE_BASE = OptionParser("merge-base", (Opt("all", "a", "all"),
                                          Opt("is_ancestor", None, "is-ancestor")))


@command("merge-base")
def merge_base(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _MERGE_BASE.parse(args)
    if len(parsed.args) != 2:
        raise GitError("usage: git merge-base [-a | --all] <commit> <commit>...\n", 129)
    a, b = (resolve_commit(repo, spec) for spec in parsed.args)
    for spec, sha in zip(parsed.args, (a, b), strict=True):
        if sha is None:
            raise fatal(f"Not a valid commit name {spec}" if parsed["is_ancestor"]
                        else f"Not a valid object name {spec}")
    assert a is not None and b is not None
    if parsed["is_ancestor"]:
        return CommandResult(0 if is_ancestor(repo, a, b) else 1)
    bases = merge_bases(repo, a, b)
    if not bases:
        return CommandResult(1)
    shown = bases if parsed["all"] else bases[:1]
    return CommandResult(0, "".join(f"{sha}\n" for sha in shown))
