"""The exact state a reset returns a workspace to, captured once per task."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from dulwich.objects import Blob

from pytest_gitenv.gitcmd.index import IndexFile, mode_from_stat

StatKey = tuple[int, int, int, int, int]  # ino, mtime_ns, ctime_ns, size, st_mode


def stat_key(st: os.stat_result) -> StatKey:
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_mode


@dataclass
class Pristine:
    """Every byte of `.git` (objects live in the store) plus the worktree as (mode, blob id)."""

    git_files: dict[str, bytes]
    git_modes: dict[str, int]
    git_dirs: set[str]
    files: dict[str, tuple[int, bytes]]
    children: dict[str, set[str]] = field(default_factory=dict)
    index_offsets: dict[str, int] = field(default_factory=dict)
    index: bytearray = field(default_factory=bytearray)


def capture(repo_dir: Path, known: dict[str, tuple[StatKey, int, bytes]],
            blobs: dict[bytes, bytes]) -> tuple[Pristine, dict[str, os.stat_result]]:
    """Record `repo_dir` as it is now.

    `known` maps paths just written by a checkout to (stat, mode, blob id), so only files
    changed since (by a task's setup) are read and hashed; their bytes go into `blobs`.
    Returns the pristine state and the current stat of every worktree file.
    """
    git_dir = repo_dir / ".git"
    git_files, git_modes, git_dirs = {}, {}, set()
    for current, _dirs, names in os.walk(git_dir):
        rel_dir = os.path.relpath(current, git_dir)
        if rel_dir != ".":
            git_dirs.add(rel_dir)
        for name in names:
            path = os.path.join(current, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            git_files[rel] = Path(path).read_bytes()
            git_modes[rel] = os.lstat(path).st_mode & 0o777
    files: dict[str, tuple[int, bytes]] = {}
    children: dict[str, set[str]] = {"": set()}
    stats: dict[str, os.stat_result] = {}
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        with os.scandir(repo_dir / rel_dir if rel_dir else repo_dir) as entries:
            for entry in entries:
                if not rel_dir and entry.name == ".git":
                    continue
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                children[rel_dir].add(entry.name)
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    children[rel] = set()
                    stack.append(rel)
                    continue
                stats[rel] = st
                seen = known.get(rel)
                if seen and seen[0] == stat_key(st):
                    files[rel] = (seen[1], seen[2])
                    continue
                data = os.readlink(entry.path).encode() if entry.is_symlink() else Path(entry.path).read_bytes()
                blob_id = Blob.from_string(data).id
                blobs[blob_id] = data
                files[rel] = (mode_from_stat(st.st_mode), blob_id)
    index_bytes = bytearray(git_files.pop("index", b""))
    pristine = Pristine(git_files, git_modes, git_dirs, files, children, index=index_bytes)
    pristine.index_offsets = _clean_offsets(index_bytes, files)
    return pristine, stats


def _clean_offsets(index_bytes: bytearray, files: dict[str, tuple[int, bytes]]) -> dict[str, int]:
    """Byte offsets of the stage-0 index entries whose content equals the pristine worktree file."""
    if not index_bytes:
        return {}
    offsets = {}
    for entry, offset in IndexFile.entry_offsets(bytes(index_bytes)):
        path = entry.path.decode("utf-8", "surrogateescape")
        expected = files.get(path)
        if entry.stage == 0 and expected and expected == (entry.mode, entry.hexsha):
            offsets[path] = offset
    return offsets
