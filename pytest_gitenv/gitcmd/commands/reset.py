"""git reset: --soft/--mixed/--hard to any revision, and `reset [<rev>] [--] <paths>`."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from dulwich.objects import Commit

from ..abbrev import abbreviate
from ..commits import post_commit_cleanup
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexEntry, IndexFile
from ..logformat import split_message
from ..options import Opt, OptionParser, Parsed
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve, unknown_revision
from ..switching import TreeItems, hard_reset, keep_reset, merge_reset
from ..worktree import compare_tracked, without_df_conflicts

PARSER = OptionParser("reset", [
    Opt("quiet", "q", "quiet"),
    Opt("no_refresh", None, "no-refresh"),
    Opt("mixed", None, "mixed"),
    Opt("soft", None, "soft"),
    Opt("hard", None, "hard"),
    Opt("merge", None, "merge"),
    Opt("keep", None, "keep"),
    Opt("recurse", None, "recurse-submodules", "optional"),
    Opt("patch", "p", "patch"),
    Opt("intent", "N", "intent-to-add"),
    Opt("pathspec_from_file", None, "pathspec-from-file", "value"),
])


def remove_branch_state(repo: GitRepo) -> None:
    """Forget an in-progress merge/cherry-pick/revert, as git's remove_branch_state does."""
    post_commit_cleanup(repo)


def end_branch_state(repo: GitRepo, verbose: bool = False) -> str:
    """remove_branch_state (the sequencer goes too when its last pick was the one in progress);
    `verbose` (a branch switch) returns git's warnings for the cherry-pick or revert it cancels."""
    warnings = "".join(f"warning: cancelling a {what} in progress\n"
                       for name, what in (("CHERRY_PICK_HEAD", "cherry picking"), ("REVERT_HEAD", "revert"))
                       if verbose and (repo.git_dir / name).is_file())
    post_commit_cleanup(repo)
    return warnings


def split_rev_and_paths(repo: GitRepo, parsed: Parsed, cwd_exists: Callable[[str], bool]) -> tuple[str, list[str]]:
    """git's parse_args: a `--` first or second splits; else a leading argument naming an object
    is the revision (and must not also be a file), or the first argument must be a file."""
    argv = parsed.before_dashdash() + (["--", *parsed.after_dashdash()] if parsed.dashdash is not None else [])
    if not argv:
        return "HEAD", []
    if argv[0] == "--":
        return "HEAD", argv[1:]
    if len(argv) > 1 and argv[1] == "--":
        return argv[0], argv[2:]
    if resolve(repo, argv[0]) is not None:
        if cwd_exists(argv[0]):
            raise GitError(f"fatal: ambiguous argument '{argv[0]}': both revision and "
                           "filename\nUse '--' to separate paths from revisions, like this:\n"
                           "'git <command> [<revision>...] -- [<file>...]'\n", 128)
        return argv[0], argv[1:]
    if not cwd_exists(argv[0]):
        raise unknown_revision(argv[0], repo)
    return "HEAD", argv


def _target_commit(repo: GitRepo, rev: str) -> str:
    """The commit a reset without paths moves to (tags peeled), or git's refusal."""
    sha = resolve(repo, rev)
    if sha is None:
        raise fatal(f"Failed to resolve '{rev}' as a valid revision.")
    obj = repo.peel(sha)
    if not isinstance(obj, Commit):
        raise GitError(f"error: object {obj.id.decode()} is a {obj.type_name.decode()}, not a commit\n"
                       f"fatal: Could not parse object '{rev}'.\n", 128)
    return obj.id.decode()


def _target_tree(repo: GitRepo, rev: str) -> TreeItems:
    """The files of the tree-ish a reset with paths reads from, or git's refusal."""
    sha = resolve(repo, rev)
    if sha is None:
        raise fatal(f"Failed to resolve '{rev}' as a valid tree.")
    tree = repo.peeled_tree(sha)
    if tree is None:
        raise fatal(f"Could not parse object '{rev}'.")
    return repo.flat_tree(tree)


def index_from_tree(items: TreeItems, old: IndexFile, keep: dict[bytes, IndexEntry]) -> IndexFile:
    """An index holding `items`, reusing stat data of entries whose content is unchanged."""
    entries = []
    for path, (mode, sha) in items.items():
        prev = keep.get(path)
        if prev is not None and prev.mode == mode and prev.sha == sha:
            entries.append(prev)
        else:
            entries.append(IndexEntry(path, sha, mode))
    result = IndexFile(extensions=old.extensions)
    result.set_entries(entries)
    return result


def _deleted_letter(repo: GitRepo, path: bytes) -> str:
    """git's refresh says "D" only for ENOENT; a directory where the file was is "T", a file
    where a leading directory should be is "M"."""
    try:
        st = os.lstat(repo.abspath(path))
    except NotADirectoryError:
        return "M"
    except FileNotFoundError:
        return "D"
    return "T" if stat.S_ISDIR(st.st_mode) else "D"


def refresh_report(repo: GitRepo, index: IndexFile, quiet: bool) -> str:
    """git's refresh_index after a reset: "Unstaged changes after reset:" and an "M\tpath" (T, D,
    U) line per path; quiet keeps only the unmerged paths, as "path: needs merge" lines."""
    unmerged = {e.path for e in index.entries if e.stage}
    changed = compare_tracked(repo, index)  # refreshes stat data, quiet or not
    if quiet:
        return "".join(f"{raw(p)}: needs merge\n" for p in sorted(unmerged))
    letters = dict.fromkeys(unmerged, "U")
    letters.update(dict.fromkeys(changed.modified, "M"))
    letters.update({p: _deleted_letter(repo, p) for p in changed.deleted})
    letters.update(dict.fromkeys(changed.typechanged, "T"))
    if not letters:
        return ""
    lines = "".join(f"{letters[p]}\t{raw(p)}\n" for p in sorted(letters))
    return "Unstaged changes after reset:\n" + lines


@command("reset")
def reset(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "patch", "intent", "pathspec_from_file", "recurse")
    modes = [m for m in ("soft", "mixed", "hard", "merge", "keep") if opts[m]]
    mode = modes[-1] if modes else "mixed"

    def exists(arg: str) -> bool:
        return os.path.lexists(os.path.join(ctx.cwd, arg))

    spec_text, paths = split_rev_and_paths(repo, opts, exists)
    target = None
    if spec_text == "HEAD" and repo.head_sha() is None:  # an unborn branch: the empty tree
        items: TreeItems = {}
    elif paths:
        items = _target_tree(repo, spec_text)
    else:
        target = _target_commit(repo, spec_text)
        items = repo.commit_tree_items(target)
    index = repo.index()
    prefix_out = ""
    if paths:
        if mode != "mixed":
            raise fatal(f"Cannot do {mode} reset with paths.")
        if opts["mixed"]:
            prefix_out = ("warning: --mixed with paths is deprecated; use 'git reset -- <paths>' "
                          "instead.\n")
        return _reset_paths(repo, ctx, index, items, paths, bool(opts["quiet"]), not opts["no_refresh"],
                            prefix_out)
    if mode in ("soft", "keep") and (repo.git_dir / "MERGE_HEAD").is_file():
        raise fatal(f"Cannot do a {mode} reset in the middle of a merge.")
    old_head = repo.head_sha()
    if mode == "hard":
        new_index = hard_reset(repo, items, index)
    elif mode == "mixed":
        new_index = index_from_tree(items, index, index.by_path())
    elif mode == "merge":
        new_index = merge_reset(repo, items, index, spec_text)
    elif mode == "keep":  # then, like git, a mixed reset of the index to the target
        kept = keep_reset(repo, repo.commit_tree_items(old_head), items, index, spec_text)
        new_index = index_from_tree(items, kept, kept.by_path())
    if mode != "soft":
        # a mixed reset refreshes the index (stat data), quiet or not
        refresh = mode == "mixed" and not opts["no_refresh"]
        out = refresh_report(repo, new_index, bool(opts["quiet"])) if refresh else ""
        repo.write_index(new_index)
    else:
        out = ""
    if target is not None:
        if old_head is not None:
            (repo.git_dir / "ORIG_HEAD").write_text(old_head + "\n")
        repo.update_ref("HEAD", target, f"reset: moving to {spec_text}")
    remove_branch_state(repo)
    if mode == "hard" and not opts["quiet"] and target is not None:
        subject = split_message(repo.commit(target).message)[0]
        out = f"HEAD is now at {abbreviate(repo, target)} {subject}\n"
    return CommandResult(0, out)


def _reset_paths(repo: GitRepo, ctx: CommandContext, index: IndexFile, items: TreeItems,
                 paths: list[str], quiet: bool, refresh: bool, warning: str) -> CommandResult:
    spec = Pathspec(repo, paths, ctx.cwd)
    entries = {(e.path, e.stage): e for e in index.entries}
    touched = {p for p, _stage in entries if spec.matches(p)} | {p for p in items
                                                                   if spec.matches(p)}
    for path in touched:
        prev = entries.get((path, 0))
        for stage in (0, 1, 2, 3):
            entries.pop((path, stage), None)
        item = items.get(path)
        if item is not None:
            keep = prev is not None and prev.mode == item[0] and prev.sha == item[1]
            entries[(path, 0)] = prev if keep and prev else IndexEntry(path, item[1], item[0])
    new_index = IndexFile(extensions=index.extensions)
    new_index.set_entries(without_df_conflicts(entries.values(),
                                               (p for p in touched if p in items)))
    report = refresh_report(repo, new_index, quiet) if refresh else ""
    repo.write_index(new_index)
    return CommandResult(0, report, warning)
