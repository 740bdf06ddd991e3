"""git reflog [show] [<ref>]: "<short> <ref>@{n}: <message>", newest first."""

from __future__ import annotations

from ..abbrev import abbreviator
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..revisions import dwim_log, dwim_ref, resolve, unknown_revision
from ..usage_text import USAGE

_PARSER = OptionParser("reflog", (Opt("max_count", "n", "max-count", "value"),
                                  Opt("oneline", long="oneline"),
                                  Opt("abbrev_commit", long="abbrev-commit")),
                       numeric="max_count")


def _reflog_name(repo: GitRepo, name: str) -> tuple[str, str] | None:
    """(ref whose log to read, name to print) like git's read_complete_reflog: the name as
    given when it, its symref target, refs/<name> or refs/heads/<name> has a log, else the
    full name of the ref it means."""
    target = repo.head_target() if name == "HEAD" else None
    for ref in (name, target, f"refs/{name}", f"refs/heads/{name}"):
        if ref and repo.read_reflog(ref):
            return ref, name
    full = dwim_log(repo, name)
    return (full, full) if full else None


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
    name, at, selector = spec.partition("@{")
    numbered = bool(at) and selector.endswith("}") and selector[:-1].isdigit()  # ref@{n}
    skip = int(selector[:-1]) if numbered else 0
    found = _reflog_name(repo, name if numbered else spec)
    if found is None:
        if resolve(repo, spec) is None:
            raise unknown_revision(spec, repo)
        return CommandResult(0)  # like git: a revision without a reflog shows nothing
    ref, label = found
    short = abbreviator(repo)
    limit = int(parsed["max_count"]) if parsed["max_count"] is not None else None
    entries = list(enumerate(reversed(repo.read_reflog(ref))))[skip:]
    lines = [f"{short(new)} {label}@{{{n}}}: {tail.partition(chr(9))[2]}\n"
             for n, (_old, new, tail) in entries[:limit]]
    return CommandResult(0, "".join(lines))
