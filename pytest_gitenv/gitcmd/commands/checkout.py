"""git checkout, git switch and git restore.

Branch switching carries local changes over (or refuses with git's message), prints
git's detached-HEAD advice, orphaned-commit warning and upstream state; path checkout
restores files from the index or a tree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..abbrev import abbreviate
from ..branches import branch_from_track, check_branch_name, create_branch, tracking_flag
from ..changes import staged_changes
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexEntry, IndexFile
from ..logformat import split_message
from ..options import Opt, OptionParser, Parsed, not_supported
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revisions import dwim_ref, previous_branch, resolve, resolve_commit, upstream_ref
from ..revwalk import walk
from ..switching import TreeItems, check_resolved, hard_reset, two_way
from ..tracking import tracking_text
from ..worktree import compare_tracked, stat_unchanged, without_df_conflicts
from .reset import end_branch_state

_DETACH_ADVICE = """\
Note: switching to '{name}'.

You are in 'detached HEAD' state. You can look around, make experimental
changes and commit them, and you can discard any commits you make in this
state without impacting any branches by switching back to a branch.

If you want to create a new branch to retain commits you create, you may
do so (now or later) by using -c with the switch command. Example:

  git switch -c <new-branch-name>

Or undo this operation with:

  git switch -

Turn off this advice by setting config variable advice.detachedHead to false

"""

CHECKOUT = OptionParser("checkout", [
    Opt("quiet", "q", "quiet"),
    Opt("branch", "b", None, "value"),
    Opt("force_branch", "B", None, "value"),
    Opt("track", "t", "track", "optional", const="direct"),
    Opt("guess", None, "guess"),
    Opt("detach", None, "detach"),
    Opt("force", "f", "force"),
    Opt("merge", "m", "merge"),
    Opt("orphan", None, "orphan", "value"),
    Opt("patch", "p", "patch"),
    Opt("ours", "2", "ours"),
    Opt("theirs", "3", "theirs"),
    Opt("overlay", None, "overlay"),
    Opt("progress", None, "progress"),
])
SWITCH = OptionParser("switch", [
    Opt("create", "c", "create", "value"),
    Opt("force_create", "C", "force-create", "value"),
    Opt("guess", None, "guess"),
    Opt("detach", "d", "detach"),
    Opt("track", "t", "track", "optional", const="direct"),
    Opt("orphan", None, "orphan", "value"),
    Opt("quiet", "q", "quiet"),
    Opt("force", "f", "force"),
    Opt("discard_changes", None, "discard-changes"),
    Opt("merge", "m", "merge"),
    Opt("progress", None, "progress"),
])
RESTORE = OptionParser("restore", [
    Opt("source", "s", "source", "value"),
    Opt("staged", "S", "staged"),
    Opt("worktree", "W", "worktree"),
    Opt("ignore_unmerged", None, "ignore-unmerged"),
    Opt("overlay", None, "overlay"),
    Opt("quiet", "q", "quiet"),
    Opt("progress", None, "progress"),
    Opt("patch", "p", "patch"),
    Opt("ours", "2", "ours"),
    Opt("theirs", "3", "theirs"),
])


@dataclass
class Target:
    """Where HEAD goes: a commit, and a branch (short name) unless detaching."""

    sha: str
    branch: str | None
    label: str  # as typed; used in reflog and advice


def _describe(repo: GitRepo, sha: str) -> str:
    return f"{abbreviate(repo, sha)} {split_message(repo.commit(sha).message)[0]}"


def _orphan_warning(repo: GitRepo, old: str, new: str) -> str:
    """git's "you are leaving N commits behind" or "Previous HEAD position was" (`new` "": an
    orphan branch)."""
    tips = [obj.id.decode() for obj in (repo.peel(s) for s in {new, *repo.refs().values()} if s)
            if obj.type_name == b"commit"]
    ordered = [sha for sha, _commit in walk(repo, [old], tips)]
    if not ordered:
        return f"Previous HEAD position was {_describe(repo, old)}\n"
    n = len(ordered)
    shown = ordered[:5] if n <= 5 else ordered[:4]
    listing = "".join(f"  {_describe(repo, s)}\n" for s in shown)
    if n > 5:
        listing += f" ... and {n - 4} more.\n"
    them = "it" if n == 1 else "them"
    return (f"Warning: you are leaving {n} commit{'s' if n != 1 else ''} behind, not connected "
            f"to\nany of your branches:\n\n{listing}\n"
            f"If you want to keep {them} by creating a new branch, this may be a good time\n"
            f"to do so with:\n\n git branch <new-branch-name> {abbreviate(repo, old)}\n\n")


def _local_changes(repo: GitRepo, index: IndexFile, tree: TreeItems) -> str:
    """The "M\tpath" list git prints for changes carried into the new HEAD: the new tree
    against the worktree, as `git diff-index --name-status HEAD` shows it."""
    letters = {s.path: ("D" if s.status == "D" else "A" if s.status == "A" else "M")
               for s in staged_changes(repo, index, tree, renames=False)}
    changed = compare_tracked(repo, index)
    for path in changed.modified + changed.typechanged:
        letters.setdefault(path, "M")
    for path in changed.deleted:
        if path in tree:
            letters[path] = "D"
        else:
            letters.pop(path, None)  # added to the index, gone from the worktree: no change
    return "".join(f"{letters[p]}\t{raw(p)}\n" for p in sorted(letters))


_IN_PROGRESS = (("MERGE_HEAD", "while merging", "merge"),
                ("rebase-apply/applying", "in the middle of an am session", "am"),
                ("rebase-merge", "while rebasing", "rebase"), ("rebase-apply", "while rebasing", "rebase"),
                ("CHERRY_PICK_HEAD", "while cherry-picking", "cherry-pick"),
                ("REVERT_HEAD", "while reverting", "revert"))


def refuse_in_progress(repo: GitRepo) -> None:
    """`git switch` refuses to leave a merge, am, rebase, cherry-pick or revert."""
    for name, doing, command_name in _IN_PROGRESS:
        if (repo.git_dir / name).exists():
            raise fatal(f"cannot switch branch {doing}\nConsider \"git {command_name} --quit\" "
                        "or \"git worktree add\".")


def switch_to(repo: GitRepo, target: Target, *, new_branch: str | None = None,
              reset_branch: bool = False, start_label: str = "HEAD", force: bool = False,
              quiet: bool = False, explicit_detach: bool = False, track: bool | None = None,
              keep_worktree: bool = False, verb: str = "checkout", in_progress_ok: bool = True,
              orphan: bool = False, stay: bool = False) -> CommandResult:
    """Move HEAD (and index/worktree) to `target`, printing what git prints.

    Like git (which reads branch config once, up front), the upstream state is reported
    only for branches whose upstream was configured before this command. `keep_worktree`:
    no start point was named and git skips merge_working_tree (`switch -c/-C/--detach`,
    `checkout -b`), leaving index and worktree alone and listing no changes.
    `in_progress_ok` False (git switch) refuses during a merge, rebase, cherry-pick or revert.
    `orphan`: HEAD goes to the unborn branch `new_branch` (`target.sha` "" is the empty tree).
    `stay`: git's "nothing to do" for `checkout` / `checkout HEAD`: HEAD and the reflog are left
    alone; the local changes and the upstream state are still reported."""
    if not in_progress_ok:
        refuse_in_progress(repo)
    # git reports the upstream of the branch named, even when detaching at it
    named = target.branch or (target.label if target.label != "HEAD" and
                              repo.resolve_ref(f"refs/heads/{target.label}") else None)
    had_upstream = named is not None and upstream_ref(repo, named) is not None
    existed = new_branch is not None and repo.resolve_ref(f"refs/heads/{new_branch}") is not None
    old_sha = repo.head_sha()
    old_branch = repo.current_branch()
    index = repo.index()
    old_items = repo.commit_tree_items(old_sha)
    new_items = repo.commit_tree_items(target.sha or None)
    if keep_worktree:
        new_index = index
    elif force:
        new_index = hard_reset(repo, new_items, index)
    elif old_items is new_items or old_items == new_items:
        check_resolved(index)
        new_index = index
    else:
        new_index, _ = two_way(repo, old_items, new_items, index, verb)
    out, err = "", ""
    # git looks for orphaned commits before it creates or resets the branch
    if not quiet and old_branch is None and old_sha and old_sha != target.sha:
        err += _orphan_warning(repo, old_sha, target.sha)
    if new_branch is not None and not orphan:
        out += create_branch(repo, new_branch, target.sha, start_label, force=reset_branch,
                             track=track)
    if new_index is not index:
        repo.write_index(new_index)
    if not quiet and not force and not keep_worktree and target.sha:
        out = _local_changes(repo, new_index, new_items) + out
    if stay:
        err += end_branch_state(repo, verbose=not quiet)
        if not quiet and had_upstream and old_branch is not None:
            out += tracking_text(repo, old_branch)
        return CommandResult(0, out, err)
    old_desc = old_branch or old_sha or "HEAD"
    message = f"checkout: moving from {old_desc} to {target.branch or target.label}"
    if target.branch is None:
        repo.set_head(target.sha, message, detach=True)
        if not quiet:
            if old_branch is not None and not explicit_detach:
                err += _DETACH_ADVICE.format(name=target.label)
            err += f"HEAD is now at {_describe(repo, target.sha)}\n"
        if not quiet and had_upstream and named is not None:
            out += tracking_text(repo, named)
        return CommandResult(0, out, err + end_branch_state(repo, verbose=not quiet))
    repo.set_head(f"refs/heads/{target.branch}", message)
    if not quiet:
        if new_branch is not None and existed and old_branch == new_branch:
            err += f"Reset branch '{new_branch}'\n"
        elif new_branch is not None:
            exists_msg = "Switched to and reset branch" if existed else "Switched to a new branch"
            err += f"{exists_msg} '{new_branch}'\n"
        elif old_branch == target.branch:
            err += f"Already on '{target.branch}'\n"
        else:
            err += f"Switched to branch '{target.branch}'\n"
    err += end_branch_state(repo, verbose=not quiet)
    if not quiet and had_upstream:
        out += tracking_text(repo, target.branch)
    return CommandResult(0, out, err)


def _orphan(repo: GitRepo, name: str, start: str | None, opts: Parsed, verb: str) -> CommandResult:
    """`checkout --orphan <name> [<start>]` (index and worktree of the start point) or `switch
    --orphan <name>` (start None: the empty tree); the branch is born with the next commit."""
    check_branch_name(name)
    if repo.resolve_ref(f"refs/heads/{name}") is not None:
        raise fatal(f"a branch named '{name}' already exists")
    quiet = bool(opts["quiet"])
    if verb == "switch":
        return switch_to(repo, Target("", name, name), new_branch=name, force=bool(opts["force"]), quiet=quiet,
                         in_progress_ok=False, orphan=True)
    sha = resolve_commit(repo, start or "HEAD")
    if sha is None and start is None:
        return _switch_unborn(repo, name, quiet)
    if sha is None:
        raise fatal(f"'{start}' is not a commit and a branch '{name}' cannot be created from it")
    return switch_to(repo, Target(sha, name, name), new_branch=name, start_label=start or "HEAD",
                     force=bool(opts["force"]), quiet=quiet, orphan=True)


def _switch_unborn(repo: GitRepo, branch: str, quiet: bool) -> CommandResult:
    """`checkout -b`/`switch -c` before the first commit only renames HEAD's branch."""
    check_branch_name(branch)
    repo.set_head(f"refs/heads/{branch}", "")
    return CommandResult(0, "", "" if quiet else f"Switched to a new branch '{branch}'\n")


def _remote_dwim(repo: GitRepo, name: str) -> str | None:
    """The single refs/remotes/<r>/<name> a missing local branch name can be created from."""
    matches = [ref for ref in repo.refs("refs/remotes/") if ref.split("/", 3)[-1] == name
               and ref.count("/") >= 3]
    return matches[0] if len(matches) == 1 else None


def _expand_previous(repo: GitRepo, name: str) -> str:
    """`-` and `@{-N}` as the name recorded in HEAD's reflog (a branch or a commit id)."""
    if name == "-":
        name = "@{-1}"
    if name.startswith("@{-") and name.endswith("}") and name[3:-1].isdigit():
        return previous_branch(repo, int(name[3:-1])) or name
    return name


def _branch_target(repo: GitRepo, name: str) -> Target | None:
    sha = repo.resolve_ref(f"refs/heads/{name}") if name != "HEAD" else None
    if sha is not None:
        return Target(sha, name, name)
    return None


def _checkout_paths(repo: GitRepo, ctx: CommandContext, source: str | None,
                    paths: list[str], quiet: bool, report: bool, overlay: bool = True,
                    staged: bool = False, worktree: bool = True, stage: int = 0) -> CommandResult:
    """Restore `paths` from the index (source None) or a tree, into index and/or worktree;
    `stage` (2 --ours, 3 --theirs) writes that side of unmerged paths, which stay unmerged."""
    spec = Pathspec(repo, paths, ctx.cwd)
    index = repo.index()
    entries = {(e.path, e.stage): e for e in index.entries}
    source_items: TreeItems | None = None
    source_id = ""
    if source is not None:
        sha = resolve(repo, source)
        obj = repo.peel(sha) if sha else None
        if obj is None or obj.type_name not in (b"commit", b"tree"):
            raise fatal(f"invalid reference: {source}")
        tree = obj.tree.decode() if obj.type_name == b"commit" else obj.id.decode()
        source_items = repo.flat_tree(tree)
        source_id = abbreviate(repo, tree)
    from_index = source_items is None or not overlay  # overlay mode only adds from the tree
    candidates = sorted({p for p, _ in entries if from_index and spec.matches(p)}
                        | {p for p in (source_items or {}) if spec.matches(p)})
    missing = spec.unmatched()
    if missing:
        errors = "".join(f"error: pathspec '{a}' did not match any file(s) known to git\n"
                         for a in missing)
        raise GitError(errors, 1)
    unmerged = [p for p in candidates if (p, 0) not in entries] if source_items is None else []
    if stage:
        whose = "our" if stage == 2 else "their"
        refusals = [f"error: path '{p.decode()}' does not have {whose} version\n" for p in unmerged
                    if (p, stage) not in entries and overlay]
    else:
        refusals = [f"error: path '{p.decode()}' is unmerged\n" for p in unmerged]
    if refusals:
        raise GitError("".join(refusals), 1)
    updated = 0
    added: set[bytes] = set()
    for path in candidates:
        current = entries.get((path, 0))
        if path in unmerged:  # --ours/--theirs: the stage entry keeps the written file's stat data
            side = entries.get((path, stage))
            if side is None:  # no such side, without overlay (restore): the file goes
                repo.remove_file(path)
            elif not stat_unchanged(repo, side):
                entries[(path, stage)] = replace(repo.checkout_entry(path, side.mode, side.sha), stage=stage)
                updated += 1
            continue
        if source_items is None:
            wanted: tuple[int, bytes] | None = (current.mode, current.sha) if current else None
        else:
            wanted = source_items.get(path)
            if wanted is None and overlay:
                continue
        same = current is not None and (current.mode, current.sha) == wanted
        if staged and not same:
            for stage in (0, 1, 2, 3):
                entries.pop((path, stage), None)
            if wanted is not None:
                entries[(path, 0)] = IndexEntry(path, wanted[1], wanted[0])
                added.add(path)
        if not worktree:
            continue
        if wanted is None:
            repo.remove_file(path)
            continue
        if same and current is not None and stat_unchanged(repo, current):
            continue
        written = repo.checkout_entry(path, wanted[0], wanted[1])
        updated += 1
        if staged or same:
            entries[(path, 0)] = written
    new_index = IndexFile(extensions=index.extensions)
    new_index.set_entries(without_df_conflicts(entries.values(), added))
    repo.write_index(new_index)
    if report and not quiet:
        where = f"from {source_id}" if source is not None else "from the index"
        return CommandResult(0, "", f"Updated {updated} path{'s' if updated != 1 else ''} "
                                    f"{where}\n")
    return CommandResult(0)


def _side(opts: Parsed) -> int:
    """The index stage --ours (2) or --theirs (3) names; the later option wins, 0 for neither."""
    last = next((dest for dest in reversed(opts.order) if dest in ("ours", "theirs")), None)
    return {"ours": 2, "theirs": 3}.get(last or "", 0)


@command("checkout")
def checkout(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = CHECKOUT.parse(args)
    CHECKOUT.refuse(opts, "patch", "merge", "overlay")
    before, after = opts.before_dashdash(), opts.after_dashdash()
    if opts["orphan"] is not None:
        if opts["branch"] or opts["force_branch"]:
            raise fatal("options '-b', '-B', and '--orphan' cannot be used together")
        return _orphan(repo, opts["orphan"], next(iter(before + after), None), opts, "checkout")
    new_branch = opts["branch"] or opts["force_branch"]
    stage = _side(opts)
    if stage and opts["force"]:
        raise fatal("git checkout: --ours/--theirs, --force and --merge are incompatible when\n"
                    "checking out of the index.")
    switching = not before or (len(before) == 1 and resolve_commit(repo, before[0]) is not None)
    if stage and (new_branch or opts["detach"] or (switching and opts.dashdash is None)):
        raise fatal("'--ours/--theirs' cannot be used with switching branches")
    if opts.dashdash is not None or (before and not new_branch and len(before) > 1):
        source = before[0] if before else None
        paths = after if opts.dashdash is not None else before[1:]
        if opts.dashdash is None and resolve_commit(repo, before[0]) is None:
            source, paths = None, before
        if len(before) > 1 and opts.dashdash is not None:
            raise fatal(f"invalid reference: {before[0]}")
        if not paths:
            raise fatal(f"'{source}' is not a commit" if source else "you must specify path(s)")
        if stage and source is not None:
            raise not_supported("checkout", "--ours" if stage == 2 else "--theirs")
        return _checkout_paths(repo, ctx, source, paths, bool(opts["quiet"]),
                               report=opts.dashdash is None, staged=source is not None, stage=stage)
    if stage:  # the arguments are paths
        return _checkout_paths(repo, ctx, None, before, bool(opts["quiet"]), report=True, stage=stage)
    name = _expand_previous(repo, before[0]) if before else None
    track = tracking_flag(opts["track"])
    if track and new_branch is None and name is not None:
        new_branch = branch_from_track(name)
    if new_branch is not None:
        start = name or "HEAD"
        sha = resolve_commit(repo, start)
        if sha is None and name is None and repo.head_sha() is None:
            return _switch_unborn(repo, new_branch, bool(opts["quiet"]))
        if sha is None:
            raise fatal(f"'{start}' is not a commit and a branch '{new_branch}' cannot be "
                        "created from it")
        return switch_to(repo, Target(sha, new_branch, new_branch), new_branch=new_branch,
                         reset_branch=bool(opts["force_branch"]), start_label=start,
                         force=bool(opts["force"]), quiet=bool(opts["quiet"]), track=track,
                         keep_worktree=name is None and not opts["force_branch"] and not opts["force"])
    if name is None or name == "HEAD":
        sha = repo.head_sha()
        if sha is None:
            return CommandResult(0)
        detach = bool(opts["detach"])
        target = Target(sha, None if detach else repo.current_branch(), "HEAD")
        return switch_to(repo, target, force=bool(opts["force"]), quiet=bool(opts["quiet"]),
                         explicit_detach=detach, stay=not detach)
    target = None if opts["detach"] else _branch_target(repo, name)
    if target is None and name == before[0]:
        guess = opts["guess"] is not False and resolve_commit(repo, name) is None
        remote = _remote_dwim(repo, name) if guess else None
        if remote is not None and opts["detach"]:
            raise fatal("'--detach' cannot be used with '-b/-B/--orphan'")
        if remote is not None:
            sha = repo.resolve_ref(remote) or ""
            return switch_to(repo, Target(sha, name, name), new_branch=name, start_label=remote,
                             quiet=bool(opts["quiet"]))
    if target is None:
        sha = resolve_commit(repo, name)
        if sha is None and opts["detach"]:
            raise fatal(f"git checkout: --detach does not take a path argument '{before[0]}'")
        if sha is None:
            return _checkout_paths(repo, ctx, None, before, bool(opts["quiet"]), report=True)
        target = Target(sha, None, name)
    return switch_to(repo, target, force=bool(opts["force"]), quiet=bool(opts["quiet"]),
                     explicit_detach=bool(opts["detach"]))


@command("switch")
def switch(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = SWITCH.parse(args)
    SWITCH.refuse(opts, "merge")
    args_ = opts.args
    if opts["orphan"] is not None:
        if args_:
            raise fatal("'--orphan' cannot take <start-point>")
        return _orphan(repo, opts["orphan"], None, opts, "switch")
    force = bool(opts["force"] or opts["discard_changes"])
    quiet = bool(opts["quiet"])
    new_branch = opts["create"] or opts["force_create"]
    track = tracking_flag(opts["track"])
    if track and new_branch is None and args_:
        new_branch = branch_from_track(args_[0])
    if new_branch is not None:
        start = args_[0] if args_ else "HEAD"
        sha = resolve_commit(repo, start)
        if sha is None and not args_ and repo.head_sha() is None:
            return _switch_unborn(repo, new_branch, quiet)
        if sha is None:
            raise fatal(f"invalid reference: {start}")
        return switch_to(repo, Target(sha, new_branch, new_branch), new_branch=new_branch,
                         reset_branch=bool(opts["force_create"]), start_label=start,
                         force=force, quiet=quiet, track=track, keep_worktree=not args_,
                         in_progress_ok=False)
    if not args_ and not opts["detach"]:
        raise fatal("missing branch or commit argument")
    name = _expand_previous(repo, args_[0]) if args_ else "HEAD"
    as_typed = "@{-1}" if args_ and args_[0] == "-" else args_[0] if args_ else name  # for errors
    if opts["detach"]:
        sha = resolve_commit(repo, name)
        if sha is None:
            raise fatal(f"invalid reference: {as_typed}")
        return switch_to(repo, Target(sha, None, name), force=force, quiet=quiet,
                         explicit_detach=True, keep_worktree=not args_, in_progress_ok=False)
    target = _branch_target(repo, name)
    if target is not None:
        return switch_to(repo, target, force=force, quiet=quiet, in_progress_ok=False)
    guess = opts["guess"] is not False and dwim_ref(repo, name) is None
    remote = _remote_dwim(repo, name) if guess else None
    if remote is not None:
        sha = repo.resolve_ref(remote) or ""
        return switch_to(repo, Target(sha, name, name), new_branch=name, start_label=remote,
                         quiet=quiet, in_progress_ok=False)
    ref = dwim_ref(repo, name)
    if resolve_commit(repo, name) is None:
        raise fatal(f"invalid reference: {as_typed}")
    if ref == "HEAD" and repo.current_branch():  # git's dwim_ref follows HEAD to its branch
        ref = f"refs/heads/{repo.current_branch()}"
    got = (f"commit '{name}'" if ref is None else f"tag '{ref.removeprefix('refs/tags/')}'"
           if ref.startswith("refs/tags/") else f"remote branch '{ref.removeprefix('refs/remotes/')}'"
           if ref.startswith("refs/remotes/") else f"'{ref}'")
    raise GitError(f"fatal: a branch is expected, got {got}\nhint: If you want to "
                   "detach HEAD at the commit, try again with the --detach option.\n", 128)


@command("restore")
def restore(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = RESTORE.parse(args)
    RESTORE.refuse(opts, "patch", "ignore_unmerged", "overlay")
    if not opts.args:
        raise fatal("you must specify path(s) to restore")
    staged = bool(opts["staged"])
    worktree = bool(opts["worktree"]) or not staged
    stage = _side(opts)
    if stage and staged:
        raise fatal("'--ours' or '--theirs' cannot be used with --staged")
    if stage and opts["source"]:
        raise not_supported("restore", "--ours" if stage == 2 else "--theirs")
    source = opts["source"] or ("HEAD" if staged else None)
    if source is not None and resolve(repo, source) is None:
        raise fatal(f"could not resolve {source}")
    return _checkout_paths(repo, ctx, source, opts.args, bool(opts["quiet"]), report=False,
                           overlay=bool(opts["overlay"]), staged=staged, worktree=worktree, stage=stage)
