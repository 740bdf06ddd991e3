"""What `git status` knows: staged (HEAD vs index), unstaged (index vs worktree), unmerged.

Shared by status, commit (its summary and refusal texts) and checkout/switch.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from .index import IndexFile
from .pathspec import Pathspec
from .repo import GitRepo
from .worktree import TrackedChanges, compare_tracked

# Unmerged stage combinations -> (short code, long label), keyed by the stages present.
UNMERGED_LABELS = {
    (1,): ("DD", "both deleted:"), (2,): ("AU", "added by us:"),
    (1, 2): ("UD", "deleted by them:"), (3,): ("UA", "added by them:"),
    (1, 3): ("DU", "deleted by us:"), (2, 3): ("AA", "both added:"),
    (1, 2, 3): ("UU", "both modified:"),
}


@dataclass
class Staged:
    """One HEAD -> index difference: status letter A/M/D/R/T, path and rename source."""

    status: str
    path: bytes
    source: bytes | None = None


@dataclass
class Changes:
    staged: list[Staged] = field(default_factory=list)
    unstaged: TrackedChanges = field(default_factory=TrackedChanges)
    unmerged: dict[bytes, tuple[int, ...]] = field(default_factory=dict)


def staged_changes(repo: GitRepo, index: IndexFile, head_tree: dict[bytes, tuple[int, bytes]],
                   spec: Pathspec | None = None, renames: bool = True) -> list[Staged]:
    """HEAD tree vs stage-0 index entries, with exact-content rename pairing like git."""
    result: list[Staged] = []
    in_index: set[bytes] = set()
    unmerged = {e.path for e in index.entries if e.stage}
    for entry in index.entries:
        if entry.stage or (spec is not None and not spec.matches(entry.path)):
            continue
        in_index.add(entry.path)
        old = head_tree.get(entry.path)
        if old is None:
            result.append(Staged("A", entry.path))
        elif (old[0] & 0o170000) != (entry.mode & 0o170000):
            result.append(Staged("T", entry.path))
        elif old[1] != entry.sha or old[0] != entry.mode:
            result.append(Staged("M", entry.path))
    for path in head_tree:
        if path not in in_index and path not in unmerged and (spec is None or spec.matches(path)):
            result.append(Staged("D", path))
    if renames:
        result = _pair_renames(result, index, head_tree)
    return sorted(result, key=lambda s: s.path)


def _pair_renames(items: list[Staged], index: IndexFile,
                  head_tree: dict[bytes, tuple[int, bytes]]) -> list[Staged]:
    deleted = {s.path: head_tree[s.path][1] for s in items if s.status == "D"}
    if not deleted or not any(s.status == "A" for s in items):
        return items
    by_sha: dict[bytes, list[bytes]] = {}
    for path in sorted(deleted):
        by_sha.setdefault(deleted[path], []).append(path)
    entries = index.by_path()
    used: set[bytes] = set()
    paired: list[Staged] = []
    for item in items:
        if item.status == "A":
            sources = by_sha.get(entries[item.path].sha)
            if sources:
                source = sources.pop(0)
                used.add(source)
                paired.append(Staged("R", item.path, source))
                continue
        paired.append(item)
    return [s for s in paired if not (s.status == "D" and s.path in used)]


def collect(repo: GitRepo, spec: Pathspec | None = None, renames: bool = True) -> Changes:
    """Staged, unstaged and unmerged changes; refreshes the index stat cache on disk."""
    index = repo.index()
    head = repo.head_sha()
    changes = Changes()
    changes.staged = staged_changes(repo, index, repo.commit_tree_items(head), spec, renames)
    selected = spec.matches if spec is not None else None
    changes.unstaged = compare_tracked(repo, index, selected)
    for entry in index.entries:
        if entry.stage and (spec is None or spec.matches(entry.path)):
            changes.unmerged[entry.path] = (*changes.unmerged.get(entry.path, ()), entry.stage)
    if changes.unstaged.refreshed:
        with contextlib.suppress(OSError):  # like git, refreshing the index is opportunistic
            repo.write_index(index)
    return changes
