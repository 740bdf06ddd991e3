"""Commit traversal in git's default order (newest committer date first, ties in the
order commits were reached), with exclusions, --first-parent and path limiting."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence

from dulwich.diff_tree import tree_changes
from dulwich.objects import Commit, ObjectID, Tree

from . import deadline
from .graph import ancestors
from .repo import GitRepo

PathFilter = Callable[[bytes], bool]


def _entry_at(repo: GitRepo, tree: bytes | None, path: bytes) -> tuple[int, bytes] | None:
    """(mode, id) of `path` inside `tree`, None when absent."""
    if tree is None:
        return None
    item: tuple[int, bytes] = (0o040000, tree)
    for part in path.split(b"/") if path else []:
        node = repo.get(item[1].decode())
        if not isinstance(node, Tree) or part not in node:
            return None
        item = node[part]
    return item


def _touches(repo: GitRepo, old_tree: bytes | None, new_tree: bytes,
             wanted: PathFilter, literal: Sequence[bytes] | None) -> bool:
    if literal is not None:  # plain paths: compare just those entries, no full tree diff
        return any(_entry_at(repo, old_tree, p) != _entry_at(repo, new_tree, p) for p in literal)
    old_id = None if old_tree is None else ObjectID(old_tree)
    for change in tree_changes(repo.objects, old_id, ObjectID(new_tree)):
        side = change.new if change.new and change.new.path else change.old
        if side is not None and side.path is not None and wanted(side.path):
            return True
    return False


def walk(repo: GitRepo, include: Iterable[str], exclude: Iterable[str] = (), *,
         first_parent: bool = False, wanted: PathFilter | None = None,
         literal: Sequence[bytes] | None = None,
         since: int | None = None) -> Iterator[tuple[str, Commit]]:
    """Yield (sha, commit) in git log's default order; `wanted` limits to commits touching
    matching paths (`literal`: the same pathspec as plain paths, checked without tree diffs);
    commits older than `since` are dropped together with their ancestry (git's max_age)."""
    hidden: set[str] = set()
    for sha in exclude:
        hidden |= ancestors(repo, sha, stop=hidden)
    counter = 0
    heap: list[tuple[int, int, str]] = []
    queued: set[str] = set()

    def push(sha: str) -> None:
        nonlocal counter
        if sha in queued or sha in hidden:
            return
        queued.add(sha)
        heapq.heappush(heap, (-repo.commit(sha).commit_time, counter, sha))
        counter += 1

    for sha in include:
        push(sha)
    while heap:
        deadline.check()
        _, _, sha = heapq.heappop(heap)
        commit = repo.commit(sha)
        if since is not None and commit.commit_time < since:
            continue
        parents = [p.decode() for p in commit.parents]
        if first_parent:
            parents = parents[:1]
        if wanted is None:
            for p in parents:
                push(p)
            yield sha, commit
            continue
        if not parents:
            if _touches(repo, None, commit.tree, wanted, literal):
                yield sha, commit
            continue
        same = [p for p in parents
                if not _touches(repo, repo.commit(p).tree, commit.tree, wanted, literal)]
        if same:
            push(same[0])
            continue
        for p in parents:
            push(p)
        yield sha, commit
