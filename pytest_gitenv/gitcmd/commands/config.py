"""git config on the repository's own file: get, set, --unset, --list, --get-all, --add.

Only .git/config is read or written (never global/system files), and only allow-listed
keys may be set (see sandbox.py)."""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..sandbox import check_config_key, check_config_value, sandbox_error
from ..usage_text import USAGE

PARSER = OptionParser("config", [
    Opt("global_", None, "global"),
    Opt("system", None, "system"),
    Opt("local", None, "local"),
    Opt("worktree", None, "worktree"),
    Opt("file", "f", "file", "value"),
    Opt("blob", None, "blob", "value"),
    Opt("get", None, "get"),
    Opt("get_all", None, "get-all"),
    Opt("get_regexp", None, "get-regexp"),
    Opt("add", None, "add"),
    Opt("unset", None, "unset"),
    Opt("unset_all", None, "unset-all"),
    Opt("rename_section", None, "rename-section"),
    Opt("remove_section", None, "remove-section"),
    Opt("list", "l", "list"),
    Opt("edit", "e", "edit"),
    Opt("type", "t", "type", "value"),
    Opt("bool", None, "bool"),
    Opt("int", None, "int"),
    Opt("null", "z", "null"),
    Opt("name_only", None, "name-only"),
    Opt("includes", None, "includes"),
    Opt("show_origin", None, "show-origin"),
    Opt("show_scope", None, "show-scope"),
    Opt("default", None, "default", "value"),
])
_REFUSED = ("global_", "system", "worktree", "file", "blob", "edit", "includes", "get_regexp",
            "rename_section", "remove_section", "type", "bool", "int", "null", "name_only",
            "show_origin", "show_scope")


def split_key(key: str, exit_code: int) -> tuple[tuple[bytes, ...], bytes]:
    """("section", "sub") and "name" for "section.sub.name"; git's error if malformed."""
    if "." not in key:
        raise GitError(f"error: key does not contain a section: {key}\n", exit_code)
    first, _, rest = key.partition(".")
    sub, _, name = rest.rpartition(".")
    if not name or not first:
        raise GitError(f"error: invalid key: {key}\n", exit_code)
    section = (first.encode(), sub.encode()) if sub else (first.encode(),)
    return section, name.encode()


def _listing(repo: GitRepo) -> str:
    lines = []
    for section in repo.config.sections():
        head = section[0].decode().lower()
        if len(section) > 1:
            head += "." + section[1].decode()
        for name, value in repo.config.items(section):
            lines.append(f"{head}.{name.decode().lower()}={value.decode(errors='replace')}\n")
    return "".join(lines)


@command("config")
def config(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    for name in _REFUSED:
        if opts[name]:
            flag = name.rstrip("_").replace("_", "-")
            raise sandbox_error(f"git config --{flag}")
    if opts["list"]:
        return CommandResult(0, _listing(repo))
    if not opts.args:
        raise GitError(USAGE["config"], 129)
    key, values = opts.args[0], opts.args[1:]
    setting = bool(values) and not (opts["get"] or opts["get_all"])
    section, name = split_key(key, 2 if setting or opts["unset"] or opts["unset_all"] else 1)
    cfg = repo.config
    if opts["unset"] or opts["unset_all"]:
        existing = list(cfg.get_multivar(section, name)) if cfg.has_section(section) else []
        if not existing:
            return CommandResult(5)
        if len(existing) > 1 and opts["unset"]:
            return CommandResult(5, "", f"warning: {key} has multiple values\n")
        check_config_key(key)
        cfg.remove(section, name)
        if not list(cfg.items(section)):
            del cfg[section]
        repo.write_config()
        return CommandResult(0)
    if not values or opts["get"] or opts["get_all"]:
        try:
            found = list(cfg.get_multivar(section, name))
        except KeyError:
            found = []
        if not found:
            return CommandResult(1)
        shown = found if opts["get_all"] else found[-1:]
        return CommandResult(0, "".join(v.decode(errors="replace") + "\n" for v in shown))
    if len(values) > 1:
        raise GitError(USAGE["config"], 129)
    check_config_key(key)
    check_config_value(key, values[0], repo.worktree, ctx.workspace)
    if opts["add"]:
        cfg.add(section, name, values[0].encode())
    else:
        repo.config_set(section, name, values[0].encode())
    repo.write_config()
    return CommandResult(0)
