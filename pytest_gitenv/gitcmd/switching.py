"""Moving the index and worktree between trees, as git's unpack-trees does.

`two_way` is checkout/switch (and `check_two_way` the refusals alone, which merges use):
paths that differ between the old and new tree are updated, local changes elsewhere are
carried over, and local changes or untracked files that would be lost (also inside a
directory standing where a file goes) abort the whole operation with git's messages.
`keep_reset` and `merge_reset` are `reset --keep` / `--merge`, which judge files by stat
and report only the first refusal. `hard_reset` is `reset --hard`: index and worktree
become the tree, whatever is in the way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from dulwich.ignore import IgnoreFilterManager

from . import deadline
from .errors import GitError
from .index import IndexEntry, IndexFile
from .paths import raw
from .repo import GitRepo
from .worktree import entry_state, ignore_manager, stat_unchanged, without_df_conflicts

TreeItems = dict[bytes, tuple[int, bytes]]
Update = tuple[bytes, tuple[int, bytes] | None]  # a path and what it becomes (None: removed)


def _same(entry: IndexEntry | None, item: tuple[int, bytes] | None) -> bool:
    if entry is None or item is None:
        return entry is None and item is None
    return entry.mode == item[0] and entry.sha == item[1]


def _clean(repo: GitRepo, entry: IndexEntry, missing_ok: bool = False) -> bool:
    """The worktree file matches the entry (`missing_ok`: or is gone, which for a switch
    means nothing would be lost, as git's verify_uptodate says; a directory or a file where
    a leading directory should be is not "gone")."""
    state = entry_state(repo, entry)[0]
    if state == "deleted" and missing_ok:
        return _missing(repo, entry.path)
    return state in ("clean", "refresh")


def _missing(repo: GitRepo, path: bytes) -> bool:
    """Only ENOENT is gone: not a directory, a file through a symlinked one, or ENOTDIR."""
    try:
        os.lstat(repo.abspath(path))
    except FileNotFoundError:
        return True
    except OSError:
        pass
    return False


def check_resolved(index: IndexFile) -> None:
    """git's "you need to resolve your current index first" for an index with conflicts."""
    unmerged = sorted({e.path for e in index.entries if e.stage})
    if unmerged:
        names = "".join(f"{raw(p)}: needs merge\n" for p in unmerged)
        raise GitError("error: you need to resolve your current index first\n", 1, names)


def file_in_the_way(repo: GitRepo, path: bytes) -> bytes | None:
    """A file (or symlink) in the worktree where a leading directory of `path` must be
    (git's check_leading_path)."""
    parts = path.split(b"/")[:-1]
    for i in range(1, len(parts) + 1):
        parent = b"/".join(parts[:i])
        full = repo.abspath(parent)
        if not os.path.lexists(full):
            return None
        if os.path.islink(full) or not os.path.isdir(full):
            return parent
    return None


@dataclass
class Refusals:
    """What unpack-trees would refuse, by git's error kinds, and its report of them."""

    verb: str
    rejected: list[bytes] = field(default_factory=list)  # index differs from both trees
    not_uptodate: list[bytes] = field(default_factory=list)  # worktree differs from index
    lost_dirs: list[bytes] = field(default_factory=list)  # directories with untracked files
    overwritten: list[bytes] = field(default_factory=list)  # untracked files in the way
    removed: list[bytes] = field(default_factory=list)  # untracked files where a file goes
    order: list[tuple[str, bytes]] = field(default_factory=list)

    def add(self, kind: str, path: bytes) -> None:
        getattr(self, kind).append(path)
        self.order.append((kind, path))

    def count(self) -> int:
        return len(self.order)

    def first_error(self) -> str:
        """git's plumbing message for the first refusal (reset --keep/--merge stop there)."""
        kind, path = self.order[0]
        return "error: " + _PLUMBING[kind].format(raw(path)) + "\n"

    def message(self) -> str:
        """git's messages for every kind that has paths, then "Aborting" ("" if none)."""
        before = "switch branches" if self.verb == "checkout" else self.verb
        local = (f"Your local changes to the following files would be overwritten by "
                 f"{self.verb}:\n", f"Please commit your changes or stash them before you {before}.\n")
        untracked = "The following untracked working tree files would be {} by " + self.verb + ":\n"
        move = f"Please move or remove them before you {before}.\n"
        kinds = ((self.rejected, *local), (self.not_uptodate, *local),
                 (self.lost_dirs, "Updating the following directories would lose untracked files "
                                  "in them:\n", "\n"),
                 (self.overwritten, untracked.format("overwritten"), move),
                 (self.removed, untracked.format("removed"), move))
        text = "".join(f"error: {head}{_listing(paths)}{tail}" for paths, head, tail in kinds if paths)
        return text + "Aborting\n" if text else ""


_PLUMBING = {"rejected": "Entry '{}' would be overwritten by merge. Cannot merge.",
             "not_uptodate": "Entry '{}' not uptodate. Cannot merge.",
             "lost_dirs": "Updating '{}' would lose untracked files in it",
             "overwritten": "Untracked working tree file '{}' would be overwritten by merge.",
             "removed": "Untracked working tree file '{}' would be removed by merge."}
Uptodate = Callable[[IndexEntry], bool]


def _listing(paths: list[bytes]) -> str:
    return "".join(f"\t{raw(p)}\n" for p in sorted(paths))


class _AbsenceCheck:
    """git's verify_absent: may the worktree path where a new or removed entry goes be
    replaced? Ignored files may; a directory may if it holds no local changes and no
    untracked files that a .gitignore does not name."""

    def __init__(self, repo: GitRepo, index: IndexFile, uptodate: Uptodate, refusals: Refusals) -> None:
        self.repo, self.uptodate, self.refusals = repo, uptodate, refusals
        self.entries = {e.path: e for e in index.entries if e.stage == 0}
        self.tracked = {e.path for e in index.entries}
        self._ignores: IgnoreFilterManager | None = None
        self._gitignores: IgnoreFilterManager | None = None

    def ignored(self, path: bytes, is_dir: bool) -> bool:
        """Excluded by .gitignore files or .git/info/exclude (check_ok_to_remove's test)."""
        self._ignores = self._ignores or ignore_manager(self.repo)
        return bool(self._ignores.is_ignored(_name(path, is_dir)))

    def verify(self, path: bytes, leading: bytes | None, removed: bool = False) -> bool:
        """True when `path` (or the non-directory `leading` it needs replaced) can go;
        otherwise record why not."""
        victim = leading or path
        full = self.repo.abspath(victim)
        if not os.path.lexists(full):
            return True
        is_dir = os.path.isdir(full) and not os.path.islink(full)
        if self.ignored(victim, is_dir):
            return True
        if is_dir:
            return self._clean_directory(victim)
        self.refusals.add("removed" if removed else "overwritten", victim)
        return False

    def _clean_directory(self, directory: bytes) -> bool:
        """git's verify_clean_subdirectory: tracked files below are unchanged and nothing
        untracked would be lost (here git reads only .gitignore files, not info/exclude)."""
        below = directory + b"/"
        dirty = [p for p, e in self.entries.items() if p.startswith(below) and not self.uptodate(e)]
        for path in dirty:
            self.refusals.add("not_uptodate", path)
        if dirty:
            return False
        if self._has_untracked(directory):
            self.refusals.add("lost_dirs", directory)
            return False
        return True

    def _has_untracked(self, directory: bytes) -> bool:
        self._gitignores = self._gitignores or IgnoreFilterManager(str(self.repo.worktree), [], False)
        pending = [directory]
        while pending:
            current = pending.pop()
            with os.scandir(self.repo.abspath(current)) as items:
                for item in items:
                    rel = current + b"/" + os.fsencode(item.name)
                    is_dir = item.is_dir(follow_symlinks=False)
                    if rel in self.tracked or self._gitignores.is_ignored(_name(rel, is_dir)):
                        continue
                    if not is_dir or item.name == ".git":
                        return True
                    pending.append(rel)
        return False


def _name(path: bytes, is_dir: bool) -> str:
    return path.decode(errors="surrogateescape") + ("/" if is_dir else "")


def check_two_way(repo: GitRepo, old: TreeItems, new: TreeItems, index: IndexFile,
                  verb: str = "checkout") -> list[Update]:
    """The updates that move the worktree from tree `old` to `new` following git's
    twoway_merge table, or GitError (exit 1) with every refusal, before anything changes.
    `verb` names the command in git's messages ("checkout" advises to switch branches)."""
    check_resolved(index)
    updates, refusals = _plan_two_way(repo, old, new, index, Refusals(verb),
                                      lambda e: _clean(repo, e, missing_ok=True))
    message = refusals.message()
    if message:
        raise GitError(message, 1)
    return updates


def _uptodate_by_stat(repo: GitRepo) -> Uptodate:
    """git's verify_uptodate on an index nobody refreshed: stat data decides; a missing file
    is fine."""
    return lambda entry: _missing(repo, entry.path) or stat_unchanged(repo, entry)


def _plan_two_way(repo: GitRepo, old: TreeItems, new: TreeItems, index: IndexFile, refusals: Refusals,
                  uptodate: Uptodate) -> tuple[list[Update], Refusals]:
    absent = _AbsenceCheck(repo, index, uptodate, refusals)
    entries = absent.entries
    updates: list[Update] = []
    failed: set[bytes] = set()  # git does not descend below a path it refused
    for n, path in enumerate(sorted(set(old) | set(new))):
        if n % 512 == 0:
            deadline.check()
        before, after = old.get(path), new.get(path)
        if before == after or (failed and any(path[:i] in failed for i in range(len(path))
                                              if path[i:i + 1] == b"/")):
            continue
        refused = refusals.count()
        entry = entries.get(path)
        blocker = file_in_the_way(repo, path) if entry is None else None
        # a file where a leading directory of a new or removed path should be blocks the
        # switch, unless this switch removes it (git's check_ok_to_remove); an indexed file
        # that stays blocks it too, and git lists it once per path it blocks
        if blocker is not None and not (blocker in old and blocker not in new):
            if blocker in entries:
                refusals.add("overwritten" if after is not None else "removed", blocker)
                continue
            if not absent.verify(path, blocker, removed=after is None):
                continue
        if entry is not None:
            if _same(entry, after):
                continue  # the index already has the new version: keep it
            full = repo.abspath(path)
            if before is None or not _same(entry, before):
                refusals.add("rejected", path)
            elif after is None and os.path.isdir(full) and not os.path.islink(full) and not absent.verify(
                    path, None, removed=True):
                pass  # git's verify_absent_if_directory: a directory where a removed file was
            elif not uptodate(entry):
                refusals.add("not_uptodate", path)
            else:
                updates.append((path, after))
        elif before is not None and after is not None:
            refusals.add("rejected", path)  # a staged deletion of a path that changes
        elif absent.verify(path, None, removed=after is None) and after is not None:
            updates.append((path, after))
        if refusals.count() > refused:
            failed.add(path)
    return updates, refusals


def two_way(repo: GitRepo, old: TreeItems, new: TreeItems, index: IndexFile,
            verb: str = "checkout") -> tuple[IndexFile, list[bytes]]:
    """Switch from tree `old` to `new` (see `check_two_way`); returns the new index and
    the paths written or removed."""
    entries = {e.path: e for e in index.entries if e.stage == 0}
    updates = check_two_way(repo, old, new, index, verb)
    return _apply(repo, entries, updates, index), [p for p, _ in updates]


def keep_reset(repo: GitRepo, head: TreeItems, target: TreeItems, index: IndexFile, revision: str) -> IndexFile:
    """`git reset --keep`: a two-way switch from HEAD's tree to `target` on an unrefreshed
    index (stat data decides what is up to date); the first refusal in git's plumbing words."""
    updates, refusals = _plan_two_way(repo, head, target, index, Refusals("merge"), _uptodate_by_stat(repo))
    _refuse_reset(refusals, revision)
    return _apply(repo, {e.path: e for e in index.entries if e.stage == 0}, updates, index)


def merge_reset(repo: GitRepo, target: TreeItems, index: IndexFile, revision: str) -> IndexFile:
    """`git reset --merge` (merge/cherry-pick/revert --abort): paths whose index entry differs
    from `target` take its version when their file is up to date by stat; conflicted paths
    always do; changes to other files stay; untracked files in the way refuse."""
    conflicted = {e.path for e in index.entries if e.stage}
    refusals = Refusals("merge")
    uptodate = _uptodate_by_stat(repo)
    absent = _AbsenceCheck(repo, index, uptodate, refusals)
    entries = absent.entries
    updates: list[Update] = []
    for path in sorted(set(entries) | conflicted | set(target)):
        entry, item = entries.get(path), target.get(path)
        if path in conflicted or (entry is not None and not _same(entry, item) and uptodate(entry)):
            updates.append((path, item))
        elif entry is not None and not _same(entry, item):
            refusals.add("not_uptodate", path)
        elif entry is None and item is not None:
            blocker = file_in_the_way(repo, path)
            leaving = blocker in entries and blocker not in target
            if absent.verify(path, None if leaving else blocker):
                updates.append((path, item))
    _refuse_reset(refusals, revision)
    return _apply(repo, entries, updates, index)


def _refuse_reset(refusals: Refusals, revision: str) -> None:
    if refusals.count():
        raise GitError(refusals.first_error() + f"fatal: Could not reset index file to revision '{revision}'.\n",
                       128)


def hard_reset(repo: GitRepo, new: TreeItems, index: IndexFile) -> IndexFile:
    """Make index and worktree match `new` exactly (tracked paths only)."""
    entries = {e.path: e for e in index.entries if e.stage == 0}
    stale = {e.path for e in index.entries if e.stage}
    updates: list[Update] = []
    for n, path in enumerate(sorted(set(entries) | set(new) | stale)):
        if n % 512 == 0:
            deadline.check()
        entry, item = entries.get(path), new.get(path)
        if path not in stale and _same(entry, item) and (entry is None or _clean(repo, entry)):
            continue
        updates.append((path, item))
    return _apply(repo, entries, updates, index)


def _apply(repo: GitRepo, entries: dict[bytes, IndexEntry],
           updates: list[Update], index: IndexFile) -> IndexFile:
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
