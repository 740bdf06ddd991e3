"""git ls-remote: [--heads] [--tags] [--refs] [-q] [--exit-code] [--symref] [--get-url] [<repo> [<patterns>...]]."""

from __future__ import annotations

import fnmatch

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..remotes import endpoint, remote_url, transport
from ..repo import GitRepo

_PARSER = OptionParser("ls-remote", (
    Opt("heads", None, "heads"), Opt("tags", "t", "tags"), Opt("refs", None, "refs"),
    Opt("quiet", "q", "quiet"), Opt("exit_code", None, "exit-code"), Opt("symref", None, "symref"),
    Opt("get_url", None, "get-url"),
))


def default_remote(repo: GitRepo | None) -> str | None:
    """The current branch's remote, else "origin" when configured."""
    if repo is None:
        return None
    branch = repo.current_branch()
    remote = repo.config_get(("branch", branch), "remote") if branch else None
    if remote and remote != ".":
        return remote
    return "origin" if repo.config_get(("remote", "origin"), "url") is not None else None


@command("ls-remote")
def ls_remote(args: list[str], repo: GitRepo | None, ctx: CommandContext) -> CommandResult:
    opts = _PARSER.parse(args)
    given = opts.args[0] if opts.args else None
    name = given or default_remote(repo)
    if name is None:
        raise fatal("No remote configured to list refs from.")
    _, url = remote_url(repo, name)
    if opts["get_url"]:
        return CommandResult(0, url + "\n")
    target = endpoint(ctx, url)
    with transport(ctx, url):
        listing = target.client.get_refs(target.path.encode())
    patterns = ["*/" + p for p in opts.args[1:]]
    prefixes = tuple(p for p, on in (("refs/heads/", opts["heads"]), ("refs/tags/", opts["tags"])) if on)
    lines = []
    order = [r for name in listing.refs if not name.endswith(b"^{}")
             for r in (name, name + b"^{}") if r in listing.refs]  # a peeled tag right after its tag
    for raw in order:
        sha = listing.refs[raw]
        ref = raw.decode()
        if sha is None or (prefixes and not ref.startswith(prefixes)):
            continue
        if opts["refs"] and (not ref.startswith("refs/") or ref.endswith("^{}")):
            continue
        if patterns and not any(fnmatch.fnmatchcase("/" + ref, p) for p in patterns):
            continue
        target_ref = listing.symrefs.get(raw)
        if opts["symref"] and target_ref:
            lines.append(f"ref: {target_ref.decode()}\t{ref}\n")
        lines.append(f"{sha.decode()}\t{ref}\n")
    err = f"From {url}\n" if given is None and not opts["quiet"] else ""
    code = 2 if opts["exit_code"] and not lines else 0
    return CommandResult(code, "".join(lines), err)
