"""Confined worktree I/O for GitRepo: path conversion, atomic writes, removals.

Paths from trees or the index are checked (no "..", no ".git", no absolute paths), parent
directories replace any file or symlink in the way, and user paths must stay inside the
worktree and may not pass through a symlinked directory.
"""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import fatal
from .index import IndexEntry
from .paths import prune_empty_dirs

_FORBIDDEN_COMPONENTS = {b"", b".", b"..", b".git"}


class WorktreeFiles:
    """Worktree operations of GitRepo (which provides `worktree`, `root_b`, `warnings` and
    `blob_data`)."""

    worktree: Path
    root_b: bytes
    warnings: list[str]
    blob_data: Callable[[bytes], bytes]

    def check_repo_path(self, path: bytes) -> None:
        """Refuse tree/index paths that could escape the worktree or touch .git."""
        if b"\0" in path or path.startswith(b"/"):
            raise fatal(f"invalid path '{path.decode(errors='replace')}'")
        for part in path.split(b"/"):
            if part.lower() in _FORBIDDEN_COMPONENTS or part.lower().startswith(b".git/"):
                raise fatal(f"invalid path '{path.decode(errors='replace')}'")

    def abspath(self, path: bytes) -> str:
        return (self.root_b + path).decode(errors="surrogateescape")

    def to_repo_path(self, arg: str, cwd: Path) -> bytes:
        """A user-supplied path (relative to `cwd`) as a repository path; git's error if outside."""
        if "\0" in arg:
            raise fatal("path contains a NUL byte")
        full = os.path.normpath(os.path.join(cwd, arg))
        root = os.fspath(self.worktree)
        if full != root and not full.startswith(root + os.sep):
            raise fatal(f"{arg}: '{arg}' is outside repository at '{root}'")
        rel = os.path.relpath(full, root)
        if rel == ".":
            return b""
        parent = root
        for part in rel.split(os.sep)[:-1]:
            parent = os.path.join(parent, part)
            if os.path.islink(parent):
                raise fatal(f"pathspec '{arg}' is beyond a symbolic link")
        return os.fsencode(rel)

    def prefix(self, cwd: Path) -> bytes:
        """cwd relative to the worktree root as "a/b/" ("" at the top)."""
        rel = self.to_repo_path(".", cwd)
        return rel + b"/" if rel else b""

    def _prepare_parents(self, path: bytes) -> None:
        """Create parent directories, replacing any file or symlink in the way."""
        current = os.fsencode(self.worktree)
        for part in path.split(b"/")[:-1]:
            current = os.path.join(current, part)
            try:
                st = os.lstat(current)
            except FileNotFoundError:
                os.mkdir(current)
                continue
            if not stat_module.S_ISDIR(st.st_mode):
                os.unlink(current)
                os.mkdir(current)

    def write_file(self, path: bytes, data: bytes, mode: int) -> os.stat_result:
        """Atomically (re)create a worktree file or symlink; returns its lstat."""
        self.check_repo_path(path)
        self._prepare_parents(path)
        target = self.abspath(path)
        if os.path.isdir(target) and not os.path.islink(target):
            self._remove_tree(target)
        directory = os.path.dirname(target)
        if mode == 0o120000:
            tmp = os.path.join(directory, f".gitenv-tmp-{os.getpid()}-{id(data)}")
            os.symlink(data, tmp)
        else:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".gitenv-tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o755 if mode == 0o100755 else 0o644)
        os.replace(tmp, target)
        return os.lstat(target)

    def remove_file(self, path: bytes) -> None:
        """Delete a worktree file and any directories left empty (never the root), like
        git's remove_path (which prunes even when the file was already gone)."""
        self.check_repo_path(path)
        target = self.abspath(path)
        if os.path.isdir(target) and not os.path.islink(target):
            self.warnings.append(f"warning: unable to unlink '{path.decode(errors='replace')}': "
                                 "Is a directory\n")
            return
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            os.unlink(target)
        prune_empty_dirs(Path(os.path.dirname(target)), self.worktree)

    @staticmethod
    def _remove_tree(target: str) -> None:
        for dirpath, dirs, files in os.walk(target, topdown=False):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
                os.unlink(os.path.join(dirpath, name))
            for name in dirs:
                if not os.path.islink(os.path.join(dirpath, name)):
                    os.rmdir(os.path.join(dirpath, name))
        os.rmdir(target)

    def read_worktree(self, path: bytes, st: os.stat_result | None = None) -> bytes:
        """Content git would hash for a worktree path (link target for symlinks)."""
        target = self.root_b + path
        st = st or os.lstat(target)
        if stat_module.S_ISLNK(st.st_mode):
            return os.readlink(target)
        with open(target, "rb") as handle:
            return handle.read()

    def checkout_entry(self, path: bytes, mode: int, raw_sha: bytes) -> IndexEntry:
        """Write a blob to the worktree and return a fresh stage-0 index entry for it."""
        if mode == 0o160000:
            os.makedirs(self.abspath(path), exist_ok=True)
            st = os.lstat(self.abspath(path))
        else:
            st = self.write_file(path, self.blob_data(raw_sha), mode)
        entry = IndexEntry(path, raw_sha, mode)
        entry.refresh_stat(st)
        return entry
