"""git reflog [show] [<ref>]: "<short> <ref>@{n}: <message>", newest first."""

from __future__ import annotations

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revisions import dwim_ref, reflog_walk, resolve, unknown_revision
from ..usage_text import USAGE

_PARSER = OptionParser("reflog", (Opt("max_count", "n", "max-count", "value"),
                                  Opt("oneline", long="oneline"),
                                  Opt("abbrev_commit", long="abbrev-commit")),
                       numeric="max_count")


@command("reflog")
def reflog(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    if args and args[0] in ("expire", "delete", "exists"):
        if args[0] != "exists" or len(args) != 2:
            raise GitError(f"error: reflog {args[0]} is not supported here\n", 1)
        ref = dwim_ref(repo, args[1]) or args[1]
        return CommandResult(0 if (repo.git_dir / "logs" / ref).is_file() else 1)
    if args and args[0] == "show":
        args = args[1:]
    parsed = _PARSER.parse(args)
    if len(parsed.args) > 1:
        raise GitError(USAGE["reflog"], 129)
    spec = parsed.args[0] if parsed.args else "HEAD"
    if spec == "HEAD" and repo.head_sha() is None:
        raise fatal(f"your current branch '{repo.current_branch() or 'HEAD'}' does not have any "
                    "commits yet")
    entries = reflog_walk(repo, spec)
    if entries is None:
        if resolve(repo, spec) is None:
            raise unknown_revision(spec, repo)
        return CommandResult(0)  # like git: a revision without a reflog shows nothing
    short = abbreviator(repo)
    limit = int(parsed["max_count"]) if parsed["max_count"] is not None else None
    return CommandResult(0, "".join(f"{short(e.sha)} {e.selector}: {e.message}\n" for e in entries[:limit]))
