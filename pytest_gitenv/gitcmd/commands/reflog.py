"""git reflog [show] [<ref>]: "<short> <ref>@{n}: <message>", newest first."""

from __future__ import annotations

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revisions import dwim_ref, unknown_revision
from ..usage_text import USAGE

_PARSER = OptionParser("reflog", (Opt("max_count", "n", "max-count", "value"),),
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
    name = parsed.args[0] if parsed.args else "HEAD"
    if name == "HEAD" and repo.head_sha() is None:
        raise fatal(f"your current branch '{repo.current_branch() or 'HEAD'}' does not have any "
                    "commits yet")
    ref = "HEAD" if name == "HEAD" else (dwim_ref(repo, name) or "")
    if not ref:
        raise unknown_revision(name)
    short = abbreviator(repo)
    limit = int(parsed["max_count"]) if parsed["max_count"] is not None else None
    lines = []
    for n, (_old, new, tail) in enumerate(reversed(repo.read_reflog(ref))):
        if limit is not None and n >= limit:
            break
        lines.append(f"{short(new)} {name}@{{{n}}}: {tail.partition(chr(9))[2]}\n")
    return CommandResult(0, "".join(lines))
