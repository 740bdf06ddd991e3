"""The user cache directory and an inter-process file lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def cache_dir() -> Path:
    """`$GITENV_CACHE_DIR`, else `$XDG_CACHE_HOME/pytest-gitenv`, else `~/.cache/pytest-gitenv`."""
    if env := os.environ.get("GITENV_CACHE_DIR"):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "pytest-gitenv"


@contextmanager
def file_lock(path: Path, on_wait: object = None) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (created if needed); `on_wait()` runs if we must wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if callable(on_wait):
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
