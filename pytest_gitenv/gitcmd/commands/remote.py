"""git remote: list (-v), add, remove/rm, rename, get-url, set-url (URLs checked by sandbox.py).

Nothing here contacts a remote: `add -f`, `update`, `prune` and `show` are refused."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..sandbox import check_remote_url, sandbox_error
from ..usage_text import USAGE

PARSER = OptionParser("remote", [Opt("verbose", "v", "verbose", "count")],
                      stop_at_non_option=True)
ADD = OptionParser("remote", [
    Opt("fetch", "f", "fetch"),
    Opt("tags", None, "tags"),
    Opt("track", "t", "track", "list"),
    Opt("master", "m", "master", "value"),
    Opt("mirror", None, "mirror", "optional", const="both"),
])
GET_URL = OptionParser("remote", [Opt("push", None, "push"), Opt("all", None, "all")])
SET_URL = OptionParser("remote", [Opt("push", None, "push"), Opt("add", None, "add"),
                                  Opt("delete", None, "delete")])


def _names(repo: GitRepo) -> list[str]:
    return [s[1].decode() for s in repo.config.sections()
            if len(s) == 2 and s[0] == b"remote" and repo.config.has_section(s)]


def _url(repo: GitRepo, name: str) -> str | None:
    return repo.config_get(("remote", name), "url")


def _no_such(name: str, colon: bool = False) -> GitError:
    return GitError(f"error: No such remote{':' if colon else ''} '{name}'\n", 2)


def _drop_remote_refs(repo: GitRepo, name: str) -> None:
    for ref in repo.refs(f"refs/remotes/{name}/"):
        repo.delete_ref(ref)
    head = repo.git_dir / "refs" / "remotes" / name / "HEAD"
    head.unlink(missing_ok=True)


@command("remote")
def remote(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    if not opts.args:
        out = []
        for name in _names(repo):
            if opts["verbose"]:
                url = _url(repo, name) or ""
                out.append(f"{name}\t{url} (fetch)\n{name}\t{url} (push)\n")
            else:
                out.append(f"{name}\n")
        return CommandResult(0, "".join(out))
    sub, rest = opts.args[0], opts.args[1:]
    cfg = repo.config
    if sub == "add":
        parsed = ADD.parse(rest)
        if parsed["fetch"] or parsed["mirror"]:
            raise sandbox_error("git remote add --fetch/--mirror")
        if len(parsed.args) != 2:
            raise GitError(USAGE["remote add"], 129)
        name, url = parsed.args
        if name in _names(repo):
            raise GitError(f"error: remote {name} already exists.\n", 3)
        check_remote_url(url, repo.worktree, ctx.workspace)
        section = (b"remote", name.encode())
        cfg.set(section, b"url", url.encode())
        branches = parsed["track"] or ["*"]
        for branch in branches:
            cfg.add(section, b"fetch", f"+refs/heads/{branch}:refs/remotes/{name}/{branch}"
                    .encode())
        repo.write_config()
        return CommandResult(0)
    if sub in ("remove", "rm"):
        if len(rest) != 1:
            raise GitError(USAGE["remote remove"], 129)
        name = rest[0]
        if name not in _names(repo):
            raise _no_such(name, colon=True)
        del cfg[(b"remote", name.encode())]
        for section in list(cfg.sections()):
            if len(section) == 2 and section[0] == b"branch" \
                    and repo.config_get(("branch", section[1].decode()), "remote") == name:
                for key in (b"remote", b"merge"):
                    if key in dict(cfg.items(section)):
                        cfg.remove(section, key)
                if not list(cfg.items(section)):
                    del cfg[section]
        repo.write_config()
        _drop_remote_refs(repo, name)
        return CommandResult(0)
    if sub == "get-url":
        parsed = GET_URL.parse(rest)
        if len(parsed.args) != 1:
            raise GitError(USAGE["remote get-url"], 129)
        url = _url(repo, parsed.args[0])
        if url is None:
            raise _no_such(parsed.args[0])
        return CommandResult(0, url + "\n")
    if sub == "set-url":
        parsed = SET_URL.parse(rest)
        if parsed["add"] or parsed["delete"] or parsed["push"] or len(parsed.args) != 2:
            raise GitError(USAGE["remote set-url"], 129)
        name, url = parsed.args
        if name not in _names(repo):
            raise _no_such(name)
        check_remote_url(url, repo.worktree, ctx.workspace)
        repo.config_set((b"remote", name.encode()), b"url", url.encode())
        repo.write_config()
        return CommandResult(0)
    if sub in ("show", "prune", "update", "set-head", "set-branches", "rename"):
        raise GitError(f"error: git remote {sub} is not supported in this environment\n", 1)
    raise GitError(f"error: unknown subcommand: {sub}\n{USAGE['remote']}", 129)
