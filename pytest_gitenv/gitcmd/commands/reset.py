"""git reset: --soft/--mixed/--hard to any revision, and `reset [<rev>] [--] <paths>`."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexEntry, IndexFile
from ..logformat import split_message
from ..options import Opt, OptionParser, Parsed
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve_commit, unknown_revision
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
STATE_FILES = ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "CHERRY_PICK_HEAD", "REVERT_HEAD",
               "AUTO_MERGE", "SQUASH_MSG")


def remove_branch_state(repo: GitRepo) -> None:
    """Forget an in-progress merge/cherry-pick/revert, as git's remove_branch_state does."""
    end_branch_state(repo)


def end_branch_state(repo: GitRepo, verbose: bool = False) -> str:
    """remove_branch_state; `verbose` (a branch switch) returns git's warnings for the
    cherry-pick or revert it cancels."""
    warnings = "".join(f"warning: cancelling a {what} in progress\n"
                       for name, what in (("CHERRY_PICK_HEAD", "cherry picking"), ("REVERT_HEAD", "revert"))
                       if verbose and (repo.git_dir / name).is_file())
    for name in STATE_FILES:
        (repo.git_dir / name).unlink(missing_ok=True)
    return warnings


def split_rev_and_paths(repo: GitRepo, parsed: Parsed,
                        cwd_exists: Callable[[str], bool]) -> tuple[str | None, list[str]]:
    """git's rule: a leading argument naming a commit is the revision, the rest are paths."""
    before, after = parsed.before_dashdash(), parsed.after_dashdash()
    if parsed.dashdash is not None and len(before) == 1:
        return before[0], after
    if parsed.dashdash is not None and len(before) > 1:
        raise unknown_revision(before[1])
    if before and resolve_commit(repo, before[0]) is not None:
        if len(before) == 1 and cwd_exists(before[0]):
            raise GitError(f"fatal: ambiguous argument '{before[0]}': both revision and "
                           "filename\nUse '--' to separate paths from revisions, like this:\n"
                           "'git <command> [<revision>...] -- [<file>...]'\n", 128)
        return before[0], before[1:] + after
    for arg in before:
        if not cwd_exists(arg):
            raise unknown_revision(arg)
    return None, before + after


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


def unstaged_report(repo: GitRepo, index: IndexFile) -> str:
    """ "Unstaged changes after reset:" and one "M\\tpath" line per changed file."""
    changed = compare_tracked(repo, index)
    letters = {p: "M" for p in changed.modified}
    letters.update({p: _deleted_letter(repo, p) for p in changed.deleted})
    letters.update({p: "T" for p in changed.typechanged})
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

    rev, paths = split_rev_and_paths(repo, opts, exists)
    spec_text = rev or "HEAD"
    target = resolve_commit(repo, spec_text)
    if target is None and (rev is not None or repo.head_sha() is not None):
        raise unknown_revision(spec_text)
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
        report = unstaged_report(repo, new_index) if mode == "mixed" and not opts["no_refresh"] else ""
        out = "" if opts["quiet"] else report
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
    report = unstaged_report(repo, new_index) if refresh else ""
    repo.write_index(new_index)
    return CommandResult(0, "" if quiet else report, warning)
