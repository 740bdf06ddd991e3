"""Pathspecs: user path arguments (relative to cwd, globs allowed) matched against repo paths,
with git's magic: ":/x" / ":(top)", ":!x" / ":^x" / ":(exclude)", ":(glob)", ":(icase)", ":(literal)"."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import fatal
from .options import not_supported
from .repo import GitRepo

_GLOB_CHARS = frozenset(b"*?[")
_LONG_MAGIC = frozenset({"top", "literal", "glob", "icase", "exclude"})
_SHORT_MAGIC = {"/": "top", "!": "exclude", "^": "exclude"}
_MAGIC_CHARS = frozenset("!\"#%&',-/:;<=>@_`~")  # git's GIT_PATHSPEC_MAGIC class


def parse_magic(arg: str) -> tuple[frozenset[str], str]:
    """git's parse_long_magic / parse_short_magic: (magic words, the path after them)."""
    if not arg.startswith(":"):
        return frozenset(), arg
    if arg.startswith(":("):
        end = arg.find(")")
        if end < 0:
            raise fatal(f"Missing ')' at the end of pathspec magic in '{arg}'")
        words = [w for w in arg[2:end].split(",") if w]
        for word in words:
            if word.startswith(("attr:", "prefix:")):
                raise not_supported("pathspec", f"magic '{word}'")
            if word not in _LONG_MAGIC:
                raise fatal(f"Invalid pathspec magic '{word}' in '{arg}'")
        return frozenset(words), arg[end + 1:]
    magic: set[str] = set()
    pos = 1
    while pos < len(arg) and arg[pos] != ":":
        char = arg[pos]
        if char not in _SHORT_MAGIC:
            if char in _MAGIC_CHARS:
                raise fatal(f"Unimplemented pathspec magic '{char}' in '{arg}'")
            break
        magic.add(_SHORT_MAGIC[char])
        pos += 1
    return frozenset(magic), arg[pos + 1 if arg[pos:pos + 1] == ":" else pos:]


@functools.lru_cache(maxsize=256)
def _wildmatch(pattern: bytes) -> re.Pattern[bytes]:
    """A (glob) pattern as a regex: "*" and "?" stop at "/", "**/" spans directories."""
    out: list[bytes] = []
    parts = re.split(rb"(\*\*/|/\*\*$|\*\*|\*|\?|\[!?\]?[^]]*\])", pattern)
    for part in parts:
        if part == b"**/":
            out.append(rb"(?:.*/)?")
        elif part in (b"/**", b"**"):
            out.append(rb"/.*" if part == b"/**" else rb".*")
        elif part == b"*":
            out.append(rb"[^/]*")
        elif part == b"?":
            out.append(rb"[^/]")
        elif part.startswith(b"[") and part.endswith(b"]") and len(part) > 1:
            out.append(b"[^" + part[2:] if part.startswith(b"[!") else part)
        else:
            out.append(re.escape(part))
    return re.compile(b"".join(out) + rb"\Z", re.DOTALL)


@dataclass(frozen=True)
class _Item:
    """One parsed pathspec element."""

    pattern: bytes
    magic: frozenset[str]

    def match(self, path: bytes) -> bool:
        """git's match_pathspec_item: the path itself, a leading directory, or the glob."""
        pattern = self.pattern
        if "icase" in self.magic:
            pattern, path = pattern.lower(), path.lower()
        if not pattern or path == pattern or path.startswith(pattern + b"/"):
            return True
        if "literal" in self.magic or not _GLOB_CHARS & set(pattern):
            return False
        if "glob" in self.magic:
            return _wildmatch(pattern).match(path) is not None
        return fnmatch.fnmatchcase(path, pattern)


class Pathspec:
    """A list of patterns as repository paths; empty matches everything. `args` and `patterns`
    are the including elements; exclusions (":!x") only filter. Only exclusions given means
    the whole tree, or the current directory with `prefer_cwd` (ls-files, grep, clean, rm)."""

    def __init__(self, repo: GitRepo, args: Sequence[str], cwd: Path, prefer_cwd: bool = False) -> None:
        self._is_dir = lambda path: os.path.isdir(repo.abspath(path)) and not os.path.islink(
            repo.abspath(path))
        self.args: list[str] = []
        self._items: list[_Item] = []
        self._excludes: list[_Item] = []
        for arg in args:
            magic, path = parse_magic(arg)
            if {"literal", "glob"} <= magic:
                raise fatal(f"{arg}: 'literal' and 'glob' are incompatible")
            pattern = repo.to_repo_path(path, repo.worktree if "top" in magic else cwd)
            if "exclude" in magic:
                self._excludes.append(_Item(pattern, magic))
            else:
                self.args.append(arg)
                self._items.append(_Item(pattern, magic))
        if self._excludes and not self._items:
            self.args.append("")
            self._items.append(_Item(repo.to_repo_path(".", cwd) if prefer_cwd else b"", frozenset()))
        self.patterns = [item.pattern for item in self._items]
        self.hits = [False] * len(self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    @property
    def plain(self) -> bool:
        """No exclusions and no glob/icase magic: patterns are paths or fnmatch globs."""
        return not self._excludes and not any({"glob", "icase", "literal"} & i.magic for i in self._items)

    def matches(self, path: bytes) -> bool:
        """True if any pattern matches `path` (a file or a directory prefix) and no exclusion
        does; records hits (also for excluded paths, like git's seen[])."""
        if not self.patterns:
            return True
        found = False
        for i, item in enumerate(self._items):
            if item.match(path):
                self.hits[i] = True
                found = True
        return found and not any(item.match(path) for item in self._excludes)

    def matches_dir(self, directory: bytes) -> bool:
        """True if some pattern could match a path inside `directory` (no hit recorded)."""
        if not self.patterns:
            return True
        directory = directory.rstrip(b"/")
        return any(item.pattern.startswith(directory + b"/") or item.match(directory)
                   or "icase" in item.magic or bool(_GLOB_CHARS & set(item.pattern)) for item in self._items)

    def common_dir(self) -> bytes:
        """The deepest directory ("a/b/") containing everything the patterns can match."""
        if not self.patterns or "" in self.args or any("icase" in item.magic for item in self._items):
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
