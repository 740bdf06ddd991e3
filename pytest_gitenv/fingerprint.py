"""A digest of a workspace's complete git-visible state, independent of timestamps.

Covers every file, symlink and folder (the worktree, untracked and ignored files,
and all of `.git`: HEAD, refs, packed-refs, reflogs, stash, config, hooks, state
files such as MERGE_HEAD, loose objects) by path, type, executable bit and content.
The index counts by its entries, not by the stat data cached in it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from pytest_gitenv.gitcmd.index import IndexFile, IndexFormatError


def fingerprint_tree(root: Path) -> str:
    digest = hashlib.sha256()
    for rel, kind, content in sorted(_walk(root)):
        digest.update(f"{rel}\0{kind}\0".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def _walk(root: Path):
    for current, dirs, names in os.walk(root):
        rel_dir = os.path.relpath(current, root)
        for name in dirs + names:
            path = os.path.join(current, name)
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                yield rel, "link", os.readlink(path).encode("utf-8", "surrogateescape")
            elif stat.S_ISDIR(st.st_mode):
                yield rel, "dir", b""
            elif name == "index" and os.path.basename(current) == ".git":
                yield rel, "index", _index_content(Path(path))
            else:
                kind = "exec" if st.st_mode & 0o100 else "file"
                yield rel, kind, Path(path).read_bytes()


def _index_content(path: Path) -> bytes:
    try:
        index = IndexFile.read(path)
    except IndexFormatError:
        return b"unreadable:" + path.read_bytes()
    return b"".join(e.path + b"\0" + e.sha + f"{e.mode}:{e.stage}:{e.extended_flags}".encode()
                    for e in index.entries)
