"""Moving the index and worktree between trees, as git's unpack-trees does.

`two_way` is checkout/switch: paths that differ between the old and new tree are
updated, local changes elsewhere are carried over, and local changes or untracked
files that would be lost abort the whole operation with git's message. `hard_reset`
is `reset --hard`: index and worktree become the tree, untracked files stay.
"""

from __future__ import annotations

import os

from . import deadline
from .errors import GitError
from .index import IndexEntry, IndexFile
from .paths import raw
from .repo import GitRepo
from .worktree import entry_state, ignore_manager, without_df_conflicts

TreeItems = dict[bytes, tuple[int, bytes]]


def _same(entry: IndexEntry | None, item: tuple[int, bytes] | None) -> bool:
    if entry is None or item is None:
        return entry is None and item is None
    return entry.mode == item[0] and entry.sha == item[1]


def _clean(repo: GitRepo, entry: IndexEntry, missing_ok: bool = False) -> bool:
    """The worktree file matches the entry (`missing_ok`: or is gone, which for a switch
    means nothing would be lost, as git's verify_uptodate says)."""
    return entry_state(repo, entry)[0] in (("clean", "refresh", "deleted") if missing_ok
                                           else ("clean", "refresh"))


def _refusal(kind: str, paths: list[bytes], action: str, advice: str) -> str:
    listing = "".join(f"\t{raw(p)}\n" for p in sorted(paths))
    return f"error: {kind} would be {action}:\n{listing}{advice}"


def _file_in_the_way(repo: GitRepo, path: bytes) -> bytes | None:
    """A file (or symlink) in the worktree where a leading directory of `path` must be."""
    parts = path.split(b"/")[:-1]
    for i in range(1, len(parts) + 1):
        parent = b"/".join(parts[:i])
        full = repo.abspath(parent)
        if os.path.islink(full) or (os.path.lexists(full) and not os.path.isdir(full)):
            return parent
    return None


def two_way(repo: GitRepo, old: TreeItems, new: TreeItems, index: IndexFile,
            verb: str = "checkout") -> tuple[IndexFile, list[bytes]]:
    """Switch from tree `old` to `new` following git's twoway_merge table; returns the new
    index and the paths written or removed. Refusals are collected and reported together,
    before anything changes."""
    entries = {e.path: e for e in index.entries if e.stage == 0}
    unmerged = {e.path for e in index.entries if e.stage}
    if unmerged:
        names = "".join(f"{raw(p)}: needs merge\n" for p in sorted(unmerged))
        raise GitError("error: you need to resolve your current index first\n", 1, names)
    rejected: list[bytes] = []  # index differs from both trees (reject_merge)
    not_uptodate: list[bytes] = []  # index matches the old tree, the worktree does not
    overwritten: list[bytes] = []  # untracked files in the way of new ones
    removed: list[bytes] = []  # untracked files where the old tree had a file
    updates: list[tuple[bytes, tuple[int, bytes] | None]] = []
    ignores = None

    def untracked_in_way(path: bytes) -> bool:
        nonlocal ignores
        full = repo.abspath(path)
        if not os.path.lexists(full) or (os.path.isdir(full) and not os.path.islink(full)):
            return False
        ignores = ignores or ignore_manager(repo)
        return not ignores.is_ignored(path.decode(errors="surrogateescape"))

    for n, path in enumerate(sorted(set(old) | set(new))):
        if n % 512 == 0:
            deadline.check()
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        entry = entries.get(path)
        blocker = _file_in_the_way(repo, path) if entry is None and after is not None else None
        # git's verify_absent: a file where a new path needs a directory blocks the switch,
        # unless this switch removes it; an indexed file that stays blocks it too
        if blocker is not None and not (blocker in old and blocker not in new) and (
                blocker in entries or untracked_in_way(blocker)):
            overwritten.append(blocker)  # git lists it once per path it blocks
            continue
        if entry is not None:
            if _same(entry, after):
                continue  # the index already has the new version: keep it
            if before is None or not _same(entry, before):
                rejected.append(path)
            elif not _clean(repo, entry, missing_ok=True):
                not_uptodate.append(path)
            else:
                updates.append((path, after))
        elif before is not None and after is not None:
            rejected.append(path)  # a staged deletion of a path that changes
        elif before is not None:
            if untracked_in_way(path):
                removed.append(path)
        elif untracked_in_way(path):
            overwritten.append(path)
        else:
            updates.append((path, after))
    local, untracked = ("Your local changes to the following files",
                        "The following untracked working tree files")
    keep = "Please commit your changes or stash them before you switch branches.\n"
    move = "Please move or remove them before you switch branches.\n"
    over, gone = f"overwritten by {verb}", f"removed by {verb}"
    message = "".join(_refusal(kind, paths, action, advice) for paths, kind, action, advice in (
        (rejected, local, over, keep), (not_uptodate, local, over, keep),
        (overwritten, untracked, over, move), (removed, untracked, gone, move)) if paths)
    if message:
        raise GitError(message + "Aborting\n", 1)
    return _apply(repo, entries, updates, index), [p for p, _ in updates]


def hard_reset(repo: GitRepo, new: TreeItems, index: IndexFile) -> IndexFile:
    """Make index and worktree match `new` exactly (tracked paths only)."""
    entries = {e.path: e for e in index.entries if e.stage == 0}
    stale = {e.path for e in index.entries if e.stage}
    updates: list[tuple[bytes, tuple[int, bytes] | None]] = []
    for n, path in enumerate(sorted(set(entries) | set(new) | stale)):
        if n % 512 == 0:
            deadline.check()
        entry, item = entries.get(path), new.get(path)
        if path not in stale and _same(entry, item) and (entry is None or _clean(repo, entry)):
            continue
        updates.append((path, item))
    return _apply(repo, entries, updates, index)


def _apply(repo: GitRepo, entries: dict[bytes, IndexEntry],
           updates: list[tuple[bytes, tuple[int, bytes] | None]], index: IndexFile) -> IndexFile:
    for path, item in updates:  # like git's verify_path: refuse bad trees before any change
        if item is not None:
            repo.check_repo_path(path)
    for path, item in updates:
        if item is None:
            entries.pop(path, None)
            repo.remove_file(path)
    for path, item in updates:
        if item is not None:
            entries[path] = repo.checkout_entry(path, item[0], item[1])
    result = IndexFile(extensions=index.extensions)
    result.set_entries(without_df_conflicts(entries.values(),
                                            (p for p, item in updates if item is not None)))
    return result
