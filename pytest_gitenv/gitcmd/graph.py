"""Commit-graph walks: ancestry, ahead/behind counts, merge bases."""

from __future__ import annotations

from . import deadline
from .repo import GitRepo


def ancestors(repo: GitRepo, start: str | None, stop: set[str] | None = None) -> set[str]:
    """`start` and every commit reachable from it (not entering `stop`)."""
    seen: set[str] = set()
    stack = [start] if start else []
    stop = stop or set()
    while stack:
        sha = stack.pop()
        if sha in seen or sha in stop:
            continue
        seen.add(sha)
        if len(seen) % 1000 == 0:
            deadline.check()
        stack.extend(p.decode() for p in repo.commit(sha).parents)
    return seen


def is_ancestor(repo: GitRepo, ancestor: str, descendant: str) -> bool:
    """True when `ancestor` is reachable from `descendant` (or equal)."""
    if ancestor == descendant:
        return True
    return ancestor in ancestors(repo, descendant)


def ahead_behind(repo: GitRepo, local: str, upstream: str) -> tuple[int, int]:
    """(commits only in `local`, commits only in `upstream`)."""
    mine, theirs = ancestors(repo, local), ancestors(repo, upstream)
    return len(mine - theirs), len(theirs - mine)


def merge_bases(repo: GitRepo, a: str, b: str) -> list[str]:
    """Best common ancestors of `a` and `b` (those not reachable from another common one)."""
    common = ancestors(repo, a) & ancestors(repo, b)
    redundant: set[str] = set()
    for sha in common:
        for parent in repo.commit(sha).parents:
            redundant |= ancestors(repo, parent.decode(), stop=redundant) & common
    return sorted(common - redundant)
