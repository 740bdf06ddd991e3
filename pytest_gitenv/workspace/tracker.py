"""Which worktree paths changed since the last reset, from Linux inotify.

The kernel reports every create, write, chmod, delete and rename in a watched
directory, whoever made it, so a reset only has to look at those paths. Where
inotify is unavailable, out of watches, or its queue overflowed, `changes()`
returns None and the caller falls back to a full scan.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import struct
import sys
from pathlib import Path

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED = 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK = 0x01000000, 0x02000000, 0x04000000
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
_WATCH_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
               | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
_EVENT = struct.Struct("iIII")
_SELF_EVENTS = IN_DELETE_SELF | IN_MOVE_SELF


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return libc if hasattr(libc, "inotify_init1") else None


_LIBC = _libc()


class ChangeTracker:
    """Watches every directory of a worktree except `.git`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._fd = -1
        self._dirs: dict[int, str] = {}
        self._lost = False
        if _LIBC is not None and os.environ.get("GITENV_NO_INOTIFY") != "1":
            fd = _LIBC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
            self._fd = fd if fd >= 0 else -1

    @property
    def active(self) -> bool:
        return self._fd >= 0

    def watch_tree(self, relative: str = "") -> None:
        """Watch `relative` and every directory below it (not `.git`)."""
        if not self.active:
            return
        top = self.root / relative if relative else self.root
        for current, dirs, _ in os.walk(top):
            dirs[:] = [d for d in dirs if not (current == str(self.root) and d == ".git")]
            self.watch(os.path.relpath(current, self.root))

    def watch(self, relative: str) -> None:
        """Watch one directory (again: a directory replaced since is a new inode)."""
        if not self.active:
            return
        path = os.path.join(self.root, relative).encode()
        wd = _LIBC.inotify_add_watch(self._fd, path, _WATCH_MASK)
        if wd < 0:
            code = ctypes.get_errno()
            if code not in (errno.ENOENT, errno.ENOTDIR):
                self._lost = True  # ENOSPC (out of watches) and the like: fall back to scans
            return
        self._dirs[wd] = "" if relative in (".", "") else relative

    def changes(self) -> set[str] | None:
        """Relative paths touched since the last call, or None when they cannot be known."""
        if not self.active:
            return None
        touched: set[str] = set()
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                wd, mask, _, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size
                name = data[offset:offset + length].rstrip(b"\0").decode("utf-8", "surrogateescape")
                offset += length
                if mask & IN_Q_OVERFLOW:
                    self._lost = True
                directory = self._dirs.get(wd)
                if mask & IN_IGNORED:
                    self._dirs.pop(wd, None)
                    continue
                if directory is None:
                    continue
                if mask & _SELF_EVENTS or not name:
                    touched.add(directory)
                else:
                    touched.add(f"{directory}/{name}" if directory else name)
        if self._lost:
            self._lost = False
            return None
        return touched

    def close(self) -> None:
        if self.active:
            os.close(self._fd)
            self._fd = -1
            self._dirs.clear()
