"""Shortest unique abbreviation of object ids (git's default: at least 7 hex digits)."""

from __future__ import annotations

from collections.abc import Callable

from .repo import GitRepo

MIN_ABBREV = 7


def abbreviate(repo: GitRepo, sha: str, length: int = MIN_ABBREV) -> str:
    """`sha` cut to `length` digits, longer when that prefix names more than one object."""
    if length >= 40:
        return sha
    n = max(length, 4)
    while n < 40:
        prefix = sha[:n].encode()
        count = 0
        for _ in repo.objects.iter_prefix(prefix):
            count += 1
            if count > 1:
                break
        if count <= 1:
            return sha[:n]
        n += 1
    return sha


def abbreviator(repo: GitRepo, length: int = MIN_ABBREV) -> Callable[[str], str]:
    """A cached `abbreviate` for one command run."""
    cache: dict[str, str] = {}

    def short(sha: str) -> str:
        value = cache.get(sha)
        if value is None:
            value = cache[sha] = abbreviate(repo, sha, length)
        return value

    return short
