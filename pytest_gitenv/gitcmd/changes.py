"""What `git status` knows: staged (HEAD vs index), unstaged (index vs worktree), unmerged.

Shared by status, commit (its summary and refusal texts) and checkout/switch.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from .diffing import index_flat
from .index import IndexFile
from .pathspec import Pathspec
from .renames import find_renames
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
    """One HEAD -> index difference: status letter A/M/D/R/T, path, rename source and score."""

    status: str
    path: bytes
    source: bytes | None = None
    score: int = 0


@dataclass
class Changes:
    staged: list[Staged] = field(default_factory=list)
    unstaged: TrackedChanges = field(default_factory=TrackedChanges)
    unmerged: dict[bytes, tuple[int, ...]] = field(default_factory=dict)


def staged_changes(repo: GitRepo, index: IndexFile, head_tree: dict[bytes, tuple[int, bytes]],
                   spec: Pathspec | None = None, renames: bool = True) -> list[Staged]:
    """HEAD tree vs stage-0 index entries, with git's rename detection (see renames.py)."""
    staged = index_flat(index)
    unmerged = {e.path for e in index.entries if e.stage}
    result: list[Staged] = []
    for path in {path for path, _item in staged.items() ^ head_tree.items()}:
        if spec is not None and not spec.matches(path):
            continue
        old, new = head_tree.get(path), staged.get(path)
        if new is None:
            if path not in unmerged:
                result.append(Staged("D", path))
        elif old is None:
            result.append(Staged("A", path))
        elif (old[0] & 0o170000) != (new[0] & 0o170000):
            result.append(Staged("T", path))
        else:
            result.append(Staged("M", path))
    result.sort(key=lambda s: s.path)
    return _pair_renames(repo, result, index, head_tree) if renames else result


def _pair_renames(repo: GitRepo, items: list[Staged], index: IndexFile,
                  head_tree: dict[bytes, tuple[int, bytes]]) -> list[Staged]:
    deleted = {s.path: head_tree[s.path] for s in items if s.status == "D"}
    if not deleted or not any(s.status == "A" for s in items):
        return items
    entries = index.by_path()
    added = {s.path: (entries[s.path].mode, entries[s.path].sha) for s in items
             if s.status == "A"}
    found = find_renames(deleted, added, repo.blob_data)
    sources = {dst: (src, score) for src, dst, score in found}
    used = {src for src, _dst, _score in found}
    paired: list[Staged] = []
    for item in items:
        if item.status == "A" and item.path in sources:
            src, score = sources[item.path]
            paired.append(Staged("R", item.path, src, score))
        elif not (item.status == "D" and item.path in used):
            paired.append(item)
    return paired


def collect(repo: GitRepo, spec: Pathspec | None = None, renames: bool = True,
            index: IndexFile | None = None, base: str | None = "HEAD") -> Changes:
    """Staged (against commit `base`), unstaged and unmerged changes of `index` (default:
    the repository's, whose refreshed stat data is then written back)."""
    own = index is None
    index = repo.index() if index is None else index
    head = repo.head_sha() if base == "HEAD" else base
    changes = Changes()
    changes.staged = staged_changes(repo, index, repo.commit_tree_items(head), spec, renames)
    selected = spec.matches if spec is not None else None
    changes.unstaged = compare_tracked(repo, index, selected)
    for entry in index.entries:
        if entry.stage and (spec is None or spec.matches(entry.path)):
            changes.unmerged[entry.path] = (*changes.unmerged.get(entry.path, ()), entry.stage)
    if own and changes.unstaged.refreshed:
        with contextlib.suppress(OSError):  # like git, refreshing the index is opportunistic
            repo.write_index(index)
    return changes
