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
from .paths import quote_path
from .repo import GitRepo
from .worktree import entry_state, ignore_manager

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


def _refusal(kind: str, paths: list[bytes], verb: str, advice: str) -> str:
    listing = "".join(f"\t{quote_path(p)}\n" for p in sorted(paths))
    return f"error: {kind} would be overwritten by {verb}:\n{listing}{advice}"


def two_way(repo: GitRepo, old: TreeItems, new: TreeItems, index: IndexFile,
            verb: str = "checkout") -> tuple[IndexFile, list[bytes]]:
    """Switch from tree `old` to `new`; returns the new index and the paths written/removed."""
    entries = {e.path: e for e in index.entries if e.stage == 0}
    unmerged = {e.path for e in index.entries if e.stage}
    if unmerged:
        names = "".join(f"{quote_path(p)}: needs merge\n" for p in sorted(unmerged))
        raise GitError("error: you need to resolve your current index first\n", 1, names)
    dirty: list[bytes] = []
    untracked: list[bytes] = []
    updates: list[tuple[bytes, tuple[int, bytes] | None]] = []
    ignores = None
    for n, path in enumerate(sorted(set(old) | set(new))):
        if n % 512 == 0:
            deadline.check()
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        entry = entries.get(path)
        if _same(entry, after):
            continue  # the index already has the new version; keep the worktree as is
        if entry is None and before is None:
            full = repo.abspath(path)
            if os.path.lexists(full) and not os.path.isdir(full):
                ignores = ignores or ignore_manager(repo)
                if not ignores.is_ignored(path.decode(errors="surrogateescape")):
                    untracked.append(path)
                    continue
        elif not _same(entry, before) or (entry is not None
                                          and not _clean(repo, entry, missing_ok=True)):
            dirty.append(path)
            continue
        updates.append((path, after))
    message = ""
    if dirty:
        message += _refusal("Your local changes to the following files", dirty, verb,
                            "Please commit your changes or stash them before you switch "
                            "branches.\n")
    if untracked:
        message += _refusal("The following untracked working tree files", untracked, verb,
                            "Please move or remove them before you switch branches.\n")
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
    result.set_entries(entries.values())
    return result
