"""read_file / write_file / list_files, confined to the workspace."""

from __future__ import annotations

import os
from pathlib import Path

MAX_READ = 1 << 20
MAX_LISTED = 5000


class PathRefused(ValueError):
    """A path that leads outside the workspace (or into a place agents may not write)."""


def confine(root: Path, user_path: str) -> Path:
    """`root / user_path` with symlinks resolved; refuses absolute paths, `..` and escapes."""
    if not user_path or "\0" in user_path:
        raise PathRefused(f"invalid path {user_path!r}")
    if os.path.isabs(user_path):
        raise PathRefused(f"absolute paths are not allowed: {user_path!r} (use a path inside the workspace)")
    if ".." in Path(user_path).parts:
        raise PathRefused(f"'..' is not allowed in paths: {user_path!r}")
    real_root = root.resolve()
    resolved = (real_root / user_path).resolve()
    if resolved != real_root and real_root not in resolved.parents:
        raise PathRefused(f"{user_path!r} leads outside the workspace (through a symbolic link)")
    return resolved


def read_file(root: Path, user_path: str) -> str:
    path = confine(root, user_path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {user_path}")
    with path.open("rb") as handle:
        data = handle.read(MAX_READ + 1)
    text = data[:MAX_READ].decode("utf-8", "replace")
    return text + (f"\n[truncated at {MAX_READ} bytes]" if len(data) > MAX_READ else "")


def write_file(root: Path, user_path: str, content: str) -> int:
    """Write `content` (UTF-8); parent folders are created. Returns the number of bytes."""
    path = confine(root, user_path)
    if ".git" in path.relative_to(root.resolve()).parts:
        raise PathRefused(f"refusing to write inside .git: {user_path!r} (use git commands)")
    if path.is_dir():
        raise IsADirectoryError(f"{user_path} is a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode()
    path.write_bytes(data)
    return len(data)


def list_files(root: Path, user_path: str = ".") -> list[str]:
    """Files below `user_path` (relative to it, sorted), skipping `.git` folders."""
    base = confine(root, user_path) if user_path not in ("", ".") else root.resolve()
    if not base.is_dir():
        raise NotADirectoryError(f"not a directory: {user_path}")
    found = []
    for current, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        rel_dir = os.path.relpath(current, base)
        for name in sorted(names):
            found.append(name if rel_dir == "." else f"{rel_dir}/{name}")
            if len(found) >= MAX_LISTED:
                return found
    return sorted(found)
