"""git show-ref: refs with their ids (--heads, --tags, -d, -s, --verify, -q)."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo

_SHOW_REF = OptionParser("show-ref", (
    Opt("heads", None, "heads"), Opt("tags", None, "tags"), Opt("dereference", "d", "dereference"),
    Opt("verify", None, "verify"), Opt("quiet", "q", "quiet"), Opt("hash", "s", "hash"),
))


@command("show-ref")
def show_ref(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    parsed = _SHOW_REF.parse(args)
    if parsed["verify"]:
        lines = []
        for ref in parsed.args:
            sha = repo.resolve_ref(ref) if ref.startswith("refs/") else None
            if sha is None:
                if parsed["quiet"]:
                    return CommandResult(1)
                raise fatal(f"'{ref}' - not a valid ref")
            lines.append(sha if parsed["hash"] else f"{sha} {ref}")
        return CommandResult(0, "" if parsed["quiet"] else "".join(f"{x}\n" for x in lines))
    kinds = [p for flag, p in (("heads", "refs/heads/"), ("tags", "refs/tags/")) if parsed[flag]]
    lines = []
    for ref, sha in repo.refs().items():
        if kinds and not ref.startswith(tuple(kinds)):
            continue
        if parsed.args and not any(ref == p or ref.endswith("/" + p) for p in parsed.args):
            continue
        lines.append(sha if parsed["hash"] else f"{sha} {ref}")
        peeled = repo.peel(sha).id.decode()
        if parsed["dereference"] and peeled != sha:
            lines.append(peeled if parsed["hash"] else f"{peeled} {ref}^{{}}")
    if not lines:
        return CommandResult(1)
    if parsed["quiet"]:
        return CommandResult(0)
    return CommandResult(0, "".join(f"{x}\n" for x in lines))
