"""git remote: list (-v, show), add, remove/rm, rename, get-url, set-url (URLs checked by
sandbox.py).

Nothing here contacts a remote: `add -f`, `update`, `prune` and `show <name>` are refused."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo, is_valid_ref_name
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
        for name in sorted(_names(repo)):
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
    if sub == "show" and not rest:
        return CommandResult(0, "".join(f"{name}\n" for name in sorted(_names(repo))))
    if sub == "rename":
        return _rename(repo, rest)
    if sub in ("show", "prune", "update", "set-head", "set-branches"):
        raise GitError(f"error: git remote {sub} is not supported in this environment\n", 1)
    raise GitError(f"error: unknown subcommand: {sub}\n{USAGE['remote']}", 129)


_RENAME_USAGE = ("usage: git remote rename [--[no-]progress] <old> <new>\n\n"
                 "    --progress            force progress reporting\n\n")


def _rename(repo: GitRepo, args: list[str]) -> CommandResult:
    """Rename a remote: its config section and fetch refspecs, the branches tracking it, and
    its remote-tracking refs (each logging "remote: renamed <old> to <new>")."""
    if len(args) != 2:
        raise GitError(_RENAME_USAGE, 129)
    old, new = args
    if old not in _names(repo):
        raise _no_such(old, colon=True)
    if new in _names(repo):
        raise GitError(f"error: remote {new} already exists.\n", 3)
    if not is_valid_ref_name(f"refs/remotes/{new}/test"):
        raise fatal(f"'{new}' is not a valid remote name")
    cfg = repo.config
    old_prefix, new_prefix = f"refs/remotes/{old}/", f"refs/remotes/{new}/"
    section = (b"remote", old.encode())
    fetch = [v.decode() for v in cfg.get_multivar(section, b"fetch")]
    repo.rename_config_section(section, (b"remote", new.encode()))
    cfg = repo.config
    new_section = (b"remote", new.encode())
    if fetch:
        cfg.remove(new_section, b"fetch")
        for spec in fetch:
            cfg.add(new_section, b"fetch", spec.replace(f":{old_prefix}", f":{new_prefix}").encode())
    for key in cfg.sections():
        if len(key) == 2 and key[0] == b"branch" and repo.config_get(("branch", key[1].decode()), "remote") == old:
            repo.config_set(key, b"remote", new.encode())
    repo.write_config()
    for ref in repo.refs(old_prefix):
        _move_remote_ref(repo, ref, new_prefix + ref[len(old_prefix):])
    return CommandResult(0)


def _move_remote_ref(repo: GitRepo, old_ref: str, new_ref: str) -> None:
    """Rename one remote-tracking ref (a symref is recreated pointing into the new name)."""
    raw = repo.read_raw_ref(old_ref) or ""
    message = f"remote: renamed {old_ref} to {new_ref}"
    if not raw.startswith("ref: "):
        repo.move_ref(old_ref, new_ref, message)
        return
    sha = repo.resolve_ref(old_ref)
    repo.delete_ref(old_ref)
    target = raw[5:].replace(old_ref.rsplit("/", 1)[0] + "/", new_ref.rsplit("/", 1)[0] + "/", 1)
    repo.write_symref(new_ref, target)
    repo.append_reflog(new_ref, None, sha, message)
