"""Pathspecs: user path arguments (relative to cwd, globs allowed) matched against repo paths."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from pathlib import Path

from .repo import GitRepo

_GLOB_CHARS = frozenset(b"*?[")


class Pathspec:
    """A list of patterns as repository paths; empty matches everything."""

    def __init__(self, repo: GitRepo, args: Sequence[str], cwd: Path) -> None:
        self.args = list(args)
        self._is_dir = lambda path: os.path.isdir(repo.abspath(path)) and not os.path.islink(
            repo.abspath(path))
        self.patterns: list[bytes] = []
        for arg in self.args:
            if arg.startswith(":/"):
                self.patterns.append(arg[2:].strip("/").encode())
            else:
                self.patterns.append(repo.to_repo_path(arg, cwd))
        self.hits = [False] * len(self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    @staticmethod
    def _match(pattern: bytes, path: bytes) -> bool:
        if not pattern or path == pattern or path.startswith(pattern + b"/"):
            return True
        return bool(_GLOB_CHARS & set(pattern)) and fnmatch.fnmatchcase(path, pattern)

    def matches(self, path: bytes) -> bool:
        """True if any pattern matches `path` (a file or a directory prefix); records hits."""
        if not self.patterns:
            return True
        found = False
        for i, pattern in enumerate(self.patterns):
            if self._match(pattern, path):
                self.hits[i] = True
                found = True
        return found

    def matches_dir(self, directory: bytes) -> bool:
        """True if some pattern could match a path inside `directory` (no hit recorded)."""
        if not self.patterns:
            return True
        prefix = directory.rstrip(b"/") + b"/"
        return any(p.startswith(prefix) or self._match(p, directory.rstrip(b"/"))
                   or bool(_GLOB_CHARS & set(p)) for p in self.patterns)

    def common_dir(self) -> bytes:
        """The deepest directory ("a/b/") containing everything the patterns can match."""
        if not self.patterns or "" in self.args:
            return b""
        dirs = []
        for pattern in self.patterns:
            glob_at = min((i for i, c in enumerate(pattern) if c in _GLOB_CHARS),
                          default=len(pattern))
            literal = pattern[:glob_at]
            # like git's treat_leading_path: a literal naming a directory is walked into
            named_dir = glob_at == len(pattern) and literal and self._is_dir(literal)
            dirs.append(literal.split(b"/") if named_dir else literal.split(b"/")[:-1])
        common: list[bytes] = []
        for parts in zip(*dirs, strict=False):
            if any(part != parts[0] for part in parts):
                break
            common.append(parts[0])
        return b"/".join(common) + b"/" if common else b""

    def unmatched(self) -> list[str]:
        """Arguments that matched nothing (for "did not match any files" errors)."""
        return [arg for arg, hit in zip(self.args, self.hits, strict=True) if not hit]
