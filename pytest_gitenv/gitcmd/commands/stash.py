"""git stash: push/save (-m, -u, -k, pathspecs), list, show, apply/pop (--index), branch,
drop, clear.

A stash is git's pair of commits: the index ("index on <branch>: ...") and the worktree
("WIP on <branch>: ..." with parents HEAD and the index commit), logged in refs/stash.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..abbrev import abbreviate, abbreviator
from ..commits import new_commit
from ..context import CommandContext, CommandResult
from ..diffing import Blobs, tree_pairs
from ..diffopts import DIFF_OPTIONS, diff_context, diff_formats, render
from ..errors import GitError, fatal
from ..index import IndexEntry, IndexFile
from ..logformat import split_message
from ..options import Opt, OptionParser
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..revisions import resolve
from ..switching import file_in_the_way
from ..treemerge import (
    TreeItems,
    apply_merge,
    check_worktree,
    merge_trees,
    record_reset,
    reset_hard_to_head,
    staged_paths,
)
from ..worktree import (
    TrackedChanges,
    beyond_symlink,
    compare_tracked,
    entry_from_worktree,
    ignore_manager,
    list_untracked,
    tracked_dirs,
)
from ..xdiff import unified_hunks
from .checkout import checkout as checkout_command
from .reset import remove_branch_state
from .status import status as status_command

STASH_REF = "refs/stash"
_PUSH = OptionParser("stash", (Opt("message", "m", "message", "value"),
                               Opt("quiet", "q", "quiet"), Opt("keep_index", "k", "keep-index"),
                               Opt("untracked", "u", "include-untracked")))
_SHOW = OptionParser("stash", DIFF_OPTIONS)
_APPLY = OptionParser("stash", (Opt("index", None, "index"), Opt("quiet", "q", "quiet")))
_NO_ENTRIES = GitError("No stash entries found.\n", 1)


def _entries(repo: GitRepo) -> list[tuple[str, str]]:
    """(commit id, message) of each stash, newest first."""
    return [(new, tail.partition("\t")[2]) for _old, new, tail in
            reversed(repo.read_reflog(STASH_REF))]


def _select(repo: GitRepo, args: list[str]) -> tuple[int | None, str, str]:
    """(reflog position if a stash@{n}, display name, commit id) of the stash named by
    `args` (default: newest), with git's errors for names it does not accept."""
    if not args:
        entries = _entries(repo)
        if not entries:
            raise _NO_ENTRIES
        return 0, f"{STASH_REF}@{{0}}", entries[0][0]
    name = f"{STASH_REF}@{{{args[0]}}}" if args[0].isdigit() else args[0]
    sha = resolve(repo, name) if repo.resolve_ref(STASH_REF) is not None else None
    if sha is None:
        raise GitError(f"error: {name} is not a valid reference\n", 1)
    if len(repo.commit(sha).parents) < 2:
        raise fatal(f"'{name}' is not a stash-like commit")
    match = re.fullmatch(r"(?:refs/)?stash@\{(\d+)\}", name)
    return (int(match.group(1)) if match else None), name, sha


def _needs_merge(paths: list[bytes]) -> str:
    return "".join(f"{p.decode(errors='replace')}: needs merge\n" for p in paths)


def _pathspec_error(repo: GitRepo, spec: Pathspec, cwd: Path) -> str:
    """git's complaint about pathspecs matching no index entry (with its odd magic prefix)."""
    prefix = os.path.relpath(cwd, repo.worktree)
    prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
    return "".join(f"error: pathspec ':(,prefix:{len(prefix)}){prefix}{arg}' did not match "
                   "any file(s) known to git\n" for arg in spec.unmatched()) + \
        "Did you forget to 'git add'?\n"


def _restore_paths(repo: GitRepo, index: IndexFile, target: TreeItems,
                   paths: set[bytes]) -> None:
    """Put `paths` back to their `target` version in the index and the worktree (removing
    those it lacks); everything else stays as it was."""
    entries = {e.path: e for e in index.entries}
    for path in sorted(paths):
        if path in target:
            entries[path] = repo.checkout_entry(path, *target[path])
        else:
            entries.pop(path, None)
            repo.remove_file(path)
    result = IndexFile(extensions=index.extensions)
    result.set_entries(entries.values())
    repo.write_index(result)


def _is_file(repo: GitRepo, path: bytes) -> bool:
    """Something `git update-index --add` could record: a file or symlink, not a directory."""
    full = repo.abspath(path)
    return os.path.lexists(full) and (os.path.islink(full) or not os.path.isdir(full))


@dataclass
class LocalChanges:
    """What `git stash create` records: staged paths, tracked worktree changes, and files
    removed from the index but still on disk."""

    staged: list[bytes]
    changed: TrackedChanges
    unindexed: list[bytes]

    @classmethod
    def of(cls, repo: GitRepo, index: IndexFile, head_items: TreeItems,
           selected: Callable[[bytes], bool] | None = None) -> LocalChanges:
        indexed = {e.path for e in index.entries}
        return cls([p for p in staged_paths(index, head_items) if selected is None or selected(p)],
                   compare_tracked(repo, index, selected),
                   [p for p in head_items if p not in indexed and (selected is None or selected(p))
                    and _is_file(repo, p) and not beyond_symlink(repo, p, {})])

    def none(self) -> bool:
        return not self.staged and self.changed.is_clean() and not self.unindexed

    def replaced_by_directories(self, repo: GitRepo) -> list[bytes]:
        """Deleted tracked files with a directory standing at their path."""
        return [p for p in self.changed.deleted
                if os.path.lexists(repo.abspath(p)) and not _is_file(repo, p)]

    def work_tree(self, repo: GitRepo, index: IndexFile, head_items: TreeItems) -> str:
        """The stash's worktree tree: the index with the worktree's versions of changed files.
        Like git's diff-index, a deleted file that HEAD does not have is not a change: it stays."""
        entries = {e.path: e for e in index.entries}
        directories = set(self.replaced_by_directories(repo))
        for path in self.changed.deleted:
            if path in head_items and path not in directories:
                entries.pop(path, None)  # (git's update-index keeps a directory's path)
        for path in self.changed.modified + self.changed.typechanged + self.unindexed:
            entries[path] = entry_from_worktree(repo, path)
        return repo.write_tree((e.path, e.mode, e.sha) for e in
                               sorted(entries.values(), key=lambda e: e.path))


def _push(args: list[str], repo: GitRepo, cwd: Path) -> CommandResult:
    parsed = _PUSH.parse(args)
    head = repo.head_sha()
    if head is None:
        raise GitError("You do not have the initial commit yet\n", 1)
    index = repo.index()
    spec = Pathspec(repo, parsed.args, cwd)
    if spec and not parsed["untracked"]:  # every pathspec must name something in the index
        for entry in index.entries:
            spec.matches(entry.path)
        if spec.unmatched():
            return CommandResult(1, "", _pathspec_error(repo, spec, cwd))
    unmerged = sorted({e.path for e in index.entries if e.stage})
    if unmerged:
        return CommandResult(1, _needs_merge(unmerged))
    selected = spec.matches if spec else None
    head_items = repo.commit_tree_items(head)
    local = LocalChanges.of(repo, index, head_items, selected)
    staged, changed, unindexed = local.staged, local.changed, local.unindexed
    untracked = [p for p in list_untracked(repo, index, all_files=True).untracked
                 if selected is None or selected(p)] if parsed["untracked"] else []
    if local.none() and not untracked:
        return CommandResult(0, "" if parsed["quiet"] else "No local changes to save\n")
    index_tree = repo.write_tree((e.path, e.mode, e.sha) for e in index.entries)
    work_tree = local.work_tree(repo, index, head_items)
    branch = repo.current_branch() or "(no branch)"
    base = f"{abbreviate(repo, head)} {split_message(repo.commit(head).message)[0]}"
    index_commit = new_commit(repo, index_tree, [head], f"index on {branch}: {base}\n")
    title = f"On {branch}: {parsed['message']}" if parsed["message"] else \
        f"WIP on {branch}: {base}"
    parents = [head, index_commit]
    if parsed["untracked"]:  # git records the (maybe empty) untracked tree whenever -u is given
        files = [entry_from_worktree(repo, path) for path in untracked]
        tree = repo.write_tree((e.path, e.mode, e.sha) for e in files)
        parents.append(new_commit(repo, tree, [], f"untracked files on {branch}: {base}\n"))
    stash = new_commit(repo, work_tree, parents, title)  # no trailing newline, like git
    repo.update_ref(STASH_REF, stash, title, force_log=True)
    stashed = set(staged) | set(changed.deleted) | set(changed.modified) | set(
        changed.typechanged) | set(unindexed)
    kept = {e.path: (e.mode, e.sha) for e in index.entries} if parsed["keep_index"] else None
    saved = "" if parsed["quiet"] else f"Saved working directory and index state {title}\n"
    if spec and unindexed:  # git's `apply -R --index` will not recreate files still on disk
        return CommandResult(1, saved, "".join(
            f"error: {p.decode(errors='replace')}: already exists in working directory\n"
            for p in unindexed))
    if spec:  # git reverts just these paths, to HEAD or (--keep-index) to the index
        _restore_paths(repo, index, head_items if kept is None else kept,
                       stashed | set(untracked))
    else:
        reset_hard_to_head(repo)
        remove_branch_state(repo)  # like `git reset --hard`, the stash ends a merge or pick
        tracked_again = repo.commit_tree_items(head)  # `git clean` spares what reset re-tracked
        again_dirs = tracked_dirs(tracked_again)  # (an untracked file may now be such a directory)
        # `git clean -d`: untracked directories that end up empty go too
        emptied = _unignored_dirs(repo, again_dirs) if parsed["untracked"] else []
        for path in untracked:
            if path not in tracked_again and path not in again_dirs:
                repo.remove_file(path)
        for full in reversed(emptied):  # deepest first, so emptied parents go too
            if os.path.isdir(full) and not os.listdir(full):  # (remove_file may have pruned it)
                os.rmdir(full)
        if kept is not None:  # git then checks the index's tree out again
            _restore_paths(repo, repo.index(), kept, stashed)
    return CommandResult(0, saved)


def _unignored_dirs(repo: GitRepo, keep: set[bytes]) -> list[bytes]:
    """Worktree directories (parents first) that are neither ignored, nor inside an ignored
    one, nor in `keep` (those holding tracked files): what `git clean -d` may remove once
    they are empty."""
    ignores = ignore_manager(repo)
    root = os.fsencode(repo.worktree)
    found: list[bytes] = []
    for dirpath, dirs, _files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root) if dirpath != root else b""
        dirs[:] = [d for d in dirs if not (not rel_dir and d == b".git") and not ignores.is_ignored(
            os.fsdecode(os.path.join(rel_dir, d)) + "/")]
        found += [full for d in dirs if os.path.join(rel_dir, d) not in keep
                  and not os.path.islink(full := os.path.join(dirpath, d))]
    return found


def _apply_failure(repo: GitRepo, path: bytes, base: TreeItems, stashed: TreeItems,
                   ours: TreeItems) -> str:
    """`git apply --cached`'s complaint about one path of the stash's staged diff."""
    name = path.decode(errors="replace")
    if path not in base:
        return f"error: {name}: already exists in index\n"
    if path not in ours:
        return f"error: {name}: does not exist in index\n"
    new = repo.blob_data(stashed[path][1]) if path in stashed else b""
    found = re.match(rb"@@ -(\d+)", unified_hunks(repo.blob_data(base[path][1]), new)[0])
    line = int(found.group(1)) if found else 1
    return f"error: patch failed: {name}:{line}\nerror: {name}: patch does not apply\n"


def _unstash_index(repo: GitRepo, base: TreeItems, stashed: TreeItems,
                   ours: TreeItems) -> TreeItems:
    """The index with the stash's staged changes applied (`git apply --cached` of
    base..stashed index), refused unless each changed path still has its base version."""
    result = dict(ours)
    failures = []
    for path in sorted(set(base) | set(stashed)):
        if base.get(path) == stashed.get(path):
            continue
        if ours.get(path) != base.get(path):
            failures.append(_apply_failure(repo, path, base, stashed, ours))
        elif path in stashed:
            result[path] = stashed[path]
        else:
            del result[path]
    if failures:
        raise GitError("".join(failures) + "error: conflicts in index. Try without --index.\n", 1)
    return result


def _not_unstashed(with_index: bool) -> str:
    return "Index was not unstashed.\n" if with_index else ""


def _apply(repo: GitRepo, stash: str, with_index: bool) -> tuple[bool, str, str]:
    """Merge the stash into the index's tree and the worktree; (clean, merge messages,
    error note)."""
    commit = repo.commit(stash)
    base_sha, index_sha = (p.decode() for p in commit.parents[:2])
    base = repo.commit_tree_items(base_sha)
    index = repo.index()
    ours = {e.path: (e.mode, e.sha) for e in index.entries if e.stage == 0}
    staged = None
    if with_index:
        stashed = repo.commit_tree_items(index_sha)
        if stashed not in (base, ours):
            staged = _unstash_index(repo, base, stashed, ours)
            head = repo.head_sha()
            assert head is not None
            record_reset(repo, head, head)  # git runs `git reset --refresh` here
    outcome = merge_trees(repo, base, ours, repo.commit_tree_items(stash),
                          ("Updated upstream", "Stashed changes"))
    check_worktree(repo, index, ours, outcome)
    merged = apply_merge(repo, index, ours, outcome)
    refused = ""
    if outcome.clean:  # the stash's index, or (git's unstage_changes_unless_new) only new files
        target = staged
        if target is None:
            target, refused = _unstage_changes_unless_new(ours, outcome.result)
        keep = [e for e in merged.entries if target.get(e.path) == (e.mode, e.sha)]
        kept = {e.path for e in keep}
        restored = IndexFile(extensions=merged.extensions)
        restored.set_entries(keep + [
            _entry(path, item) for path, item in target.items() if path not in kept])
        repo.write_index(restored)
    unchanged = commit.tree == repo.commit(base_sha).tree
    messages = "Already up to date.\n" if unchanged else "".join(outcome.messages)
    return outcome.clean, messages, refused if outcome.clean else _not_unstashed(with_index)


def _unstage_changes_unless_new(ours: TreeItems, merged: TreeItems) -> tuple[TreeItems, str]:
    """The index git keeps after a clean apply without --index: the merged entries of paths new
    since `ours`, every other path as in `ours`; re-adding a deleted path refuses where it now
    clashes with a file or directory (add_index_entry without OK_TO_REPLACE)."""
    target = {**{p: item for p, item in merged.items() if p not in ours},
              **{p: item for p, item in ours.items() if p in merged}}
    dirs = tracked_dirs(target)
    errors = []
    for path in sorted(set(ours) - set(merged)):
        parents = [path[:i] for i in range(len(path)) if path[i:i + 1] == b"/"]
        if path in dirs or any(parent in target for parent in parents):
            errors.append(f"error: '{path.decode(errors='replace')}' appears as both a file and as a directory\n")
            continue
        target[path] = ours[path]
        dirs.update(parents)
    return target, "".join(errors)


def _restore_untracked(repo: GitRepo, files: dict[bytes, tuple[int, bytes]]) -> None:
    """`git checkout-index --all` of the stash's untracked tree, in index order: a path that
    exists is skipped with a complaint; a non-directory where a directory must go stops it."""
    errors = []
    for path, (mode, sha) in sorted(files.items()):
        blocked = file_in_the_way(repo, path)
        if blocked is not None:
            errors.append(f"fatal: cannot create directory at '{blocked.decode(errors='replace')}': File exists\n")
            break
        if os.path.lexists(repo.abspath(path)):
            errors.append(f"{path.decode(errors='replace')} already exists, no checkout\n")
            continue
        repo.write_file(path, repo.blob_data(sha), mode)
    if errors:
        raise GitError("".join(errors) + "error: could not restore untracked files from stash\n", 1)


def _entry(path: bytes, item: tuple[int, bytes]) -> IndexEntry:
    return IndexEntry(path, item[1], item[0])


def _drop(repo: GitRepo, position: int, label: str, sha: str) -> str:
    """Delete a reflog entry like `git reflog delete --rewrite --updateref`."""
    lines = (repo.git_dir / "logs" / STASH_REF).read_text().splitlines(keepends=True)
    k = len(lines) - 1 - position
    del lines[k]
    if k < len(lines):  # the next entry now follows on from the previous one
        before = lines[k - 1].split(" ")[1] if k else "0" * 40
        lines[k] = before + lines[k][len(before):]
    if lines:
        (repo.git_dir / "logs" / STASH_REF).write_text("".join(lines))
        repo._write_ref_file(STASH_REF, lines[-1].split(" ")[1])
    else:
        repo.delete_ref(STASH_REF)
    return f"Dropped {label} ({sha})\n"


@command("stash")
def stash(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    sub, rest = (args[0], args[1:]) if args and not args[0].startswith("-") else ("push", args)
    if sub == "save":
        sub, rest = "push", (["-m", " ".join(rest)] if rest else [])
    if sub == "push":
        return _push(rest, repo, ctx.cwd)
    if sub == "list":
        return CommandResult(0, "".join(f"stash@{{{i}}}: {msg}\n"
                                        for i, (_sha, msg) in enumerate(_entries(repo))))
    if sub == "clear":
        repo.delete_ref(STASH_REF)
        return CommandResult(0)
    if sub == "show":
        parsed = _SHOW.parse(rest)
        _, _, sha = _select(repo, parsed.args)
        commit = repo.commit(sha)
        pairs = tree_pairs(repo.objects, repo.commit(commit.parents[0].decode()).tree,
                           commit.tree)
        return CommandResult(0, render(pairs, diff_formats(parsed, ["stat"]),
                                       Blobs(repo.objects), abbreviator(repo),
                                       diff_context(parsed)))
    if sub in ("apply", "pop", "drop"):
        parsed = _APPLY.parse(rest)
        position, label, sha = _select(repo, parsed.args)
        if sub == "apply":
            return _unstash(repo, ctx, sha, parsed["index"], None, parsed["quiet"])
        if position is None:
            raise GitError(f"error: '{label}' is not a stash reference\n", 1)
        if sub == "drop":
            dropped = _drop(repo, position, label, sha)
            return CommandResult(0, "" if parsed["quiet"] else dropped)
        return _unstash(repo, ctx, sha, parsed["index"], (position, label), parsed["quiet"])
    if sub == "branch":
        if not rest:
            raise GitError("No branch name specified\n", 1)
        position, label, sha = _select(repo, rest[1:])
        try:
            switched = checkout_command(["-b", rest[0], repo.commit(sha).parents[0].decode()],
                                        repo, ctx)
        except GitError as err:
            switched = CommandResult(err.exit_code, "", err.stderr)
        if switched.exit_code:  # git reports any failure of its `git checkout -b` as 1
            return CommandResult(1, switched.stdout, switched.stderr)
        result = _unstash(repo, ctx, sha, True,
                          None if position is None else (position, label), False)
        return CommandResult(result.exit_code, switched.stdout + result.stdout,
                             switched.stderr + result.stderr)
    raise GitError(f"fatal: subcommand wasn't specified; 'push' can't be assumed due to "
                   f"unexpected token '{sub}'\n", 128)


def _unstash(repo: GitRepo, ctx: CommandContext, sha: str, with_index: bool,
             drop: tuple[int, str] | None, quiet: bool) -> CommandResult:
    """apply/pop/branch: apply the stash, show the status (unless `quiet`), then drop it if
    asked and clean."""
    kept = "The stash entry is kept in case you need it again.\n" if drop else ""
    unmerged = sorted({e.path for e in repo.index().entries if e.stage})
    if unmerged:
        return CommandResult(1, _needs_merge(unmerged) + kept)
    try:
        clean, messages, error = _apply(repo, sha, with_index)
    except GitError as err:  # refused before touching anything: status and the note follow
        if err.exit_code != 2:
            raise
        clean, messages, error = False, "", err.stderr + _not_unstashed(with_index)
    parents = repo.commit(sha).parents
    if clean and len(parents) > 2:
        try:
            _restore_untracked(repo, repo.commit_tree_items(parents[2].decode()))
        except GitError as err:
            clean, error = False, error + err.stderr
    out = messages + ("" if quiet else status_command([], repo, ctx).stdout)
    if not clean:
        return CommandResult(1, out + kept, error)
    if drop:
        dropped = _drop(repo, *drop, sha)
        out += "" if quiet else dropped
    return CommandResult(0, out, error)
