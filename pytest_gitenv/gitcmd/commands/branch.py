"""git branch: list (-a/-r/-v/-vv/--merged/--no-merged/--contains/--list), create (start
point, -f), delete (-d refusing unmerged, -D), rename (-m/-M), copy (-c/-C),
-u/--unset-upstream, --show-current."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable

from ..abbrev import abbreviate
from ..branches import check_branch_name, create_branch, set_upstream, tracking_flag
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import ahead_behind, ancestors, is_ancestor
from ..logformat import split_message
from ..options import Opt, OptionParser, Parsed
from ..registry import command
from ..repo import ZERO_SHA, GitRepo
from ..revisions import dwim_ref, is_ambiguous, resolve_commit, shorten_ref, upstream_ref
from ..tracking import detached_headline
from .tag import commit_of

PARSER = OptionParser("branch", [
    Opt("verbose", "v", "verbose", "count"),
    Opt("quiet", "q", "quiet"),
    Opt("track", "t", "track", "optional", const="direct"),
    Opt("set_upstream_to", "u", "set-upstream-to", "value"),
    Opt("unset_upstream", None, "unset-upstream"),
    Opt("color", None, "color", "optional"),
    Opt("remotes", "r", "remotes"),
    Opt("contains", None, "contains", "value"),
    Opt("no_contains", None, "no-contains", "value"),
    Opt("abbrev", None, "abbrev", "optional"),
    Opt("all", "a", "all"),
    Opt("delete", "d", "delete"),
    Opt("force_delete", "D", None),
    Opt("move", "m", "move"),
    Opt("force_move", "M", None),
    Opt("copy", "c", "copy"),
    Opt("force_copy", "C", None),
    Opt("list", "l", "list"),
    Opt("show_current", None, "show-current"),
    Opt("create_reflog", None, "create-reflog"),
    Opt("edit_description", None, "edit-description"),
    Opt("force", "f", "force"),
    Opt("merged", None, "merged", "lastarg", const="HEAD"),
    Opt("no_merged", None, "no-merged", "lastarg", const="HEAD"),
    Opt("column", None, "column", "optional"),
    Opt("sort", None, "sort", "value"),
    Opt("points_at", None, "points-at", "value"),
    Opt("ignore_case", "i", "ignore-case"),
    Opt("recurse_submodules", None, "recurse-submodules"),
    Opt("format", None, "format", "value"),
])


def _not_a_commit(name: str) -> GitError:
    return fatal(f"not a valid object name: '{name}'")


def _tracking_note(repo: GitRepo, branch: str, verbose: int) -> str:
    up = upstream_ref(repo, branch)
    if up is None:
        return ""
    up_short = shorten_ref(repo, up, strict=True)
    up_sha = repo.resolve_ref(up)
    local = repo.resolve_ref(f"refs/heads/{branch}")
    if up_sha is None:
        return f"[{up_short}: gone] " if verbose > 1 else "[gone] "
    ahead, behind = ahead_behind(repo, local or "", up_sha) if local else (0, 0)
    parts = ", ".join(p for p in (f"ahead {ahead}" if ahead else "",
                                  f"behind {behind}" if behind else "") if p)
    if verbose > 1:
        return f"[{up_short}: {parts}] " if parts else f"[{up_short}] "
    return f"[{parts}] " if parts else ""


def _list(repo: GitRepo, opts: Parsed) -> CommandResult:
    rows: list[tuple[str, str, str | None, str]] = []  # (marker, label, sha, kind)
    current = repo.current_branch()
    head = repo.head_sha()
    shown = _list_filter(repo, opts)
    if current is None and head is not None and not opts["remotes"] and shown("HEAD", head):
        rows.append(("*", f"({detached_headline(repo)})", head, "detached"))
    kinds = []
    if not opts["remotes"]:
        kinds.append(("refs/heads/", "local"))
    if opts["remotes"] or opts["all"]:
        kinds.append(("refs/remotes/", "remote"))
    for prefix, kind in kinds:
        for ref, sha in repo.refs(prefix).items():
            short = ref[len(prefix):]
            label = short if kind == "local" or opts["remotes"] else f"remotes/{short}"
            if not shown(short, sha):
                continue
            marker = "*" if kind == "local" and short == current else " "
            rows.append((marker, label, sha, kind))
    lines = []
    width = max((len(r[1]) for r in rows), default=0)
    for marker, label, sha, kind in rows:
        raw = repo.read_raw_ref(f"refs/remotes/{label.removeprefix('remotes/')}") \
            if kind == "remote" else None
        if raw is not None and raw.startswith("ref: "):
            target = raw[5:].removeprefix("refs/remotes/")
            lines.append(f"{marker} {label} -> {target}\n")
            continue
        if not opts["verbose"] or sha is None:
            lines.append(f"{marker} {label}\n")
            continue
        note = _tracking_note(repo, label, opts["verbose"]) if kind == "local" else ""
        subject = split_message(repo.commit(sha).message)[0]
        lines.append(f"{marker} {label:<{width}} {abbreviate(repo, sha)} {note}{subject}\n")
    return CommandResult(0, "".join(lines))


def _list_filter(repo: GitRepo, opts: Parsed) -> Callable[[str, str], bool]:
    """Whether a branch (short name, id) passes the patterns, --merged/--no-merged and
    --contains/--no-contains of a listing."""
    reach_filters = []  # (commits reachable from the option's commit, keep those?)
    for key, keep in (("merged", True), ("no_merged", False)):
        if opts[key]:
            sha = resolve_commit(repo, opts[key])
            if sha is None:
                raise fatal(f"malformed object name {opts[key]}")
            reach_filters.append((ancestors(repo, sha), keep))
    contains_filters = []  # (commit that must be reachable from the branch, keep those?)
    for key, keep in (("contains", True), ("no_contains", False)):
        if opts[key]:
            contains_filters.append((commit_of(repo, opts[key]), keep))

    def shown(short: str, sha: str) -> bool:
        if opts.args and not any(fnmatch.fnmatchcase(short, p) for p in opts.args):
            return False
        commit_sha = resolve_commit(repo, sha) or sha
        return (all((commit_sha in reach) == keep for reach, keep in reach_filters)
                and all(is_ancestor(repo, wanted, commit_sha) == keep
                        for wanted, keep in contains_filters))

    return shown


def _merged_for_delete(repo: GitRepo, name: str, sha: str, head: str | None
                       ) -> tuple[bool, str]:
    """git's branch_merged(): judged against the upstream when there is one (warning when
    HEAD disagrees), else against HEAD."""
    in_head = head is not None and is_ancestor(repo, sha, head)
    up = upstream_ref(repo, name)
    up_sha = repo.resolve_ref(up) if up else None
    if up_sha is None:
        return in_head, ""
    in_upstream = is_ancestor(repo, sha, up_sha)
    if in_upstream and not in_head:
        return True, (f"warning: deleting branch '{name}' that has been merged to\n"
                      f"         '{up}', but not yet merged to HEAD.\n")
    if in_head and not in_upstream:
        return False, (f"warning: not deleting branch '{name}' that is not yet merged to\n"
                       f"         '{up}', even though it is merged to HEAD.\n")
    return in_upstream, ""


def _delete(repo: GitRepo, names: list[str], force: bool, remotes: bool,
            quiet: bool) -> CommandResult:
    if not names:
        raise fatal("branch name required")
    out, err, code = [], [], 0
    head = repo.head_sha()
    for name in names:
        ref = f"refs/remotes/{name}" if remotes else f"refs/heads/{name}"
        sha = repo.resolve_ref(ref)
        kind = "remote-tracking branch" if remotes else "branch"
        if not remotes and repo.current_branch() == name:
            err.append(f"error: Cannot delete branch '{name}' checked out at "
                       f"'{repo.worktree}'\n")
            code = 1
            continue
        if sha is None:
            err.append(f"error: {kind} '{name}' not found.\n")
            code = 1
            continue
        if not force and not remotes:
            merged, warning = _merged_for_delete(repo, name, sha, head)
            err.append(warning)
            if not merged:
                err.append(f"error: The branch '{name}' is not fully merged.\nIf you are sure "
                           f"you want to delete it, run 'git branch -D {name}'.\n")
                code = 1
                continue
        repo.delete_ref(ref)
        if not remotes:
            section = (b"branch", name.encode())
            if repo.config.has_section(section):
                del repo.config[section]
                repo.write_config()
        label = "Deleted remote-tracking branch" if remotes else "Deleted branch"
        if not quiet:
            out.append(f"{label} {name} (was {abbreviate(repo, sha)}).\n")
    return CommandResult(code, "".join(out), "".join(err))


def _copy_or_rename(repo: GitRepo, args: list[str], force: bool, copy: bool) -> CommandResult:
    """-m/-M and -c/-C: move (or copy) a branch with its reflog and config section."""
    verb = "copy" if copy else "rename"
    if not args:
        raise fatal("branch name required")
    if len(args) > 2:
        raise fatal("too many branches for a copy operation" if copy
                    else "too many arguments for a rename operation")
    current = repo.current_branch()
    old = args[0] if len(args) == 2 else current
    new = args[-1] if args else None
    if old is None or new is None:
        raise fatal(f"cannot {verb} the current branch while not on any.")
    old_ref, new_ref = f"refs/heads/{old}", check_branch_name(new)
    sha = repo.resolve_ref(old_ref)
    if sha is None and current == old and repo.head_sha() is None and not copy:
        repo.set_head(new_ref, "")  # an unborn branch is just HEAD's name
        return CommandResult(0)
    if sha is None:
        raise fatal(f"No commit on branch '{old}' yet." if copy and old == current else f"No branch named '{old}'.")
    if repo.resolve_ref(new_ref) is not None and old != new:
        if not force:
            raise fatal(f"a branch named '{new}' already exists")
        if copy and current == new:
            raise fatal(f"cannot force update the branch '{new}' checked out at '{repo.worktree}'")
    message = f"Branch: {'copied' if copy else 'renamed'} {old_ref} to {new_ref}"
    if old != new:
        repo.move_ref(old_ref, new_ref, message, copy=copy)
    else:
        repo.append_reflog(new_ref, sha, sha, message)
    if current == old and not copy:
        repo.append_reflog("HEAD", sha, ZERO_SHA, message)
        repo.set_head(new_ref, "")
        repo.append_reflog("HEAD", ZERO_SHA, sha, message)
    section = (b"branch", old.encode())
    if old != new and repo.config.has_section(section):
        if copy:
            _append_config_section(repo, section, f'branch "{new}"')
        else:
            repo.rename_config_section(section, (b"branch", new.encode()))
    return CommandResult(0)


def _append_config_section(repo: GitRepo, section: tuple[bytes, ...], header: str) -> None:
    """Copy `section`'s entries under a new `[header]` at the end of the config, like git
    (which appends even when a section of that name exists)."""
    body = "".join(f"\t{key.decode()} = {value.decode()}\n" for key, value in repo.config.items(section))
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(f"[{header}]\n{body}")


@command("branch")
def branch(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    if opts["color"] not in (None, False, "never", "auto"):
        PARSER.refuse(opts, "color")
    PARSER.refuse(opts, "edit_description", "format", "points_at", "sort", "column", "abbrev")
    if opts["show_current"]:
        current = repo.current_branch()
        return CommandResult(0, f"{current}\n" if current else "")
    if opts["delete"] or opts["force_delete"]:
        return _delete(repo, opts.args, bool(opts["force_delete"] or opts["force"]),
                       bool(opts["remotes"]), bool(opts["quiet"]))
    if opts["move"] or opts["force_move"] or opts["copy"] or opts["force_copy"]:
        force = opts["force_move"] or opts["force_copy"] or opts["force"]
        return _copy_or_rename(repo, opts.args, bool(force), bool(opts["copy"] or opts["force_copy"]))
    if opts["unset_upstream"]:
        name = opts.args[0] if opts.args and opts.args[0] != "HEAD" else repo.current_branch()
        if name is None:
            raise fatal("could not unset upstream of HEAD when it does not point to any branch.")
        if upstream_ref(repo, name) is None:
            raise fatal(f"Branch '{name}' has no upstream information")
        key = (b"branch", name.encode())
        section = repo.config[key]
        for name_ in (b"remote", b"merge"):
            del section[name_]
        if not list(repo.config.items(key)):
            del repo.config[key]
        repo.write_config()
        return CommandResult(0)
    if opts["set_upstream_to"]:
        return _set_upstream(repo, opts)
    if opts["list"] or opts["verbose"] or opts["all"] or opts["remotes"] or not opts.args \
            or opts["merged"] or opts["no_merged"] or opts["contains"] or opts["no_contains"]:
        return _list(repo, opts)
    if len(opts.args) > 2:
        raise fatal("too many arguments")
    name = opts.args[0]
    start = opts.args[1] if len(opts.args) > 1 else (repo.current_branch() or "HEAD")
    check_branch_name(name)
    if opts["force"] and repo.current_branch() == name and repo.resolve_ref(f"refs/heads/{name}"):
        raise fatal(f"cannot force update the branch '{name}' checked out at '{repo.worktree}'")
    sha = resolve_commit(repo, start)
    if sha is None:
        raise _not_a_commit(start)
    if is_ambiguous(repo, start):  # git's create_branch refuses the start point
        raise fatal(f"ambiguous object name: '{start}'")
    track = tracking_flag(opts["track"])
    message = create_branch(repo, name, sha, start, force=bool(opts["force"]), track=track)
    return CommandResult(0, "" if opts["quiet"] else message)


def _set_upstream(repo: GitRepo, opts: Parsed) -> CommandResult:
    upstream = opts["set_upstream_to"]
    name = opts.args[0] if opts.args else repo.current_branch()
    if name is None:
        raise fatal("could not set upstream of HEAD to "
                    f"{upstream} when it does not point to any branch.")
    if repo.resolve_ref(f"refs/heads/{name}") is None:
        if not opts.args or name == repo.current_branch():
            raise fatal(f"No commit on branch '{name}' yet.")
        raise fatal(f"branch '{name}' does not exist")
    ref = dwim_ref(repo, upstream)
    if ref is None or not ref.startswith(("refs/remotes/", "refs/heads/")):
        raise GitError(f"fatal: the requested upstream branch '{upstream}' does not exist\n"
                       + _UPSTREAM_HINT, 128)
    return CommandResult(0, "" if opts["quiet"] else set_upstream(repo, name, ref))


_UPSTREAM_HINT = "".join(f"hint: {line}".rstrip(" ") + ("" if line else " ") + "\n" for line in (
    "",
    "If you are planning on basing your work on an upstream",
    "branch that already exists at the remote, you may need to",
    'run "git fetch" to retrieve it.',
    "",
    "If you are planning to push out a new local branch that",
    "will track its remote counterpart, you may want to use",
    '"git push -u" to set the upstream config as you push.',
    'Disable this message with "git config advice.setUpstreamFailure false"',
))
