"""A workspace repository with exact resets whose cost follows the change.

The first `create()` lays out a clone (objects shared with the store through
alternates), checks out the start commit and runs the task's setup; the result is
captured as a `Pristine` state. `restore()` brings the repository back to a
pristine state by rewriting `.git` (a few small files) and only the worktree paths
the change tracker reports, or a stat scan where it cannot.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from dulwich.object_store import BaseObjectStore

from pytest_gitenv.gitcmd.context import Identity
from pytest_gitenv.gitcmd.index import patch_stat, reseal
from pytest_gitenv.workspace.layout import StartState, checkout_tree, write_git_dir
from pytest_gitenv.workspace.pristine import Pristine, capture, stat_key
from pytest_gitenv.workspace.tracker import ChangeTracker

# File timestamps advance in coarse ticks: a file recorded less than this long before the
# last reset may have been rewritten in the same tick with the same size, so its content is
# compared instead of trusting its stat (git's "racy clean" rule).
RACY_WINDOW_NS = 50_000_000


class Workspace:
    """`<path>`: a repository the environment resets; objects come from `store`."""

    def __init__(self, path: Path, store: BaseObjectStore) -> None:
        self.path = path
        self.store = store
        self.pristine: Pristine | None = None
        self.blobs: dict[bytes, bytes] = {}
        # worktree path -> (its stat when last seen, the (mode, blob id) it held then)
        self._seen: dict[str, tuple[os.stat_result, tuple[int, bytes]]] = {}
        # .git file -> (its stat when last verified, the bytes it was verified to hold)
        self._git_seen: dict[str, tuple[os.stat_result, bytes]] = {}
        self._tracker: ChangeTracker | None = None
        self._settled_ns = 0
        self.last_restore: dict[str, int] = {}

    @property
    def git_dir(self) -> Path:
        return self.path / ".git"

    def create(self, start: StartState, identity: Identity, timestamp: int,
               setup: Callable[[Path], None] | None = None) -> Pristine:
        """Build the repository from scratch at `start`, run `setup`, capture and return it."""
        self.close()
        if self.path.is_symlink() or self.path.is_file():
            self.path.unlink()
        elif self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        write_git_dir(self.git_dir, start, self.store, identity, timestamp)
        commit = self.store[start.commit]
        index = checkout_tree(self.store, commit.tree, self.path)
        index.write(self.git_dir / "index")
        known = {}
        for entry in index.entries:
            path = entry.path.decode("utf-8", "surrogateescape")
            if entry.mode != 0o160000:
                known[path] = (stat_key(os.lstat(self.path / path)), entry.mode, entry.hexsha)
        if setup:
            setup(self.path)
        self.pristine, stats = capture(self.path, known, self.blobs)
        self._seen = {rel: (st, self.pristine.files[rel]) for rel, st in stats.items()}
        self._start_tracking()
        return self.pristine

    def restore(self, target: Pristine | None = None) -> dict[str, int]:
        """Return to `target` (default: the current pristine state); returns what it cost."""
        current = self.pristine
        target = target or current
        if current is None or target is None or not self.path.is_dir():
            raise RuntimeError("workspace was never created")
        changed = self._tracker.changes() if self._tracker else None
        scanned = changed is None
        dirty: set[str] = {""} if changed is None else set(changed)
        if target is not current:
            dirty |= _differences(current, target)
        self.last_restore = {"paths": len(dirty), "written": 0, "removed": 0, "full_scan": int(scanned)}
        for rel in _outermost(dirty):
            self._sync_path(rel, target, trust_stat=scanned or rel in target.children)
        if target is not current:
            for rel in target.index_offsets:
                seen = self._seen.get(rel)
                if seen is not None and seen[1] == target.files[rel]:
                    self._patch_index(target, rel, seen[0])
        self._sync_git_dir(target)
        self.pristine = target
        self._settle()
        return self.last_restore

    def close(self) -> None:
        if self._tracker:
            self._tracker.close()
            self._tracker = None

    # --- worktree -------------------------------------------------------------------------

    def _sync_path(self, rel: str, target: Pristine, trust_stat: bool) -> None:
        linked = self._linked_parent(rel)
        if linked is not None:  # never follow a link an episode put in place of a folder
            rel = linked
        if rel == "" or rel in target.children:
            self._sync_dir(rel, target)
        elif rel in target.files:
            self._sync_file(rel, target, trust_stat)
        else:
            self._remove(self.path / rel)

    def _linked_parent(self, rel: str) -> str | None:
        """The first parent folder of `rel` that is now a symbolic link or a file, if any."""
        parts = rel.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            parent = "/".join(parts[:depth])
            try:
                if not stat.S_ISDIR(os.lstat(self.path / parent).st_mode):
                    return parent
            except FileNotFoundError:
                return parent
        return None

    def _sync_dir(self, rel: str, target: Pristine) -> None:
        """Make directory `rel` and everything below it equal to `target`."""
        path = self.path / rel if rel else self.path
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            self._remove(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._tracker:
            self._tracker.watch(rel)  # a directory replaced during the episode is a new inode
        wanted = target.children[rel]
        seen = set()
        with os.scandir(path) as entries:
            listing = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        for name, is_dir in listing:
            if not rel and name == ".git":
                continue
            child = f"{rel}/{name}" if rel else name
            if name not in wanted:
                self._remove(path / name)
                continue
            seen.add(name)
            if child in target.children:
                self._sync_dir(child, target)
            elif is_dir:
                self._remove(path / name)
                seen.discard(name)
            else:
                self._sync_file(child, target, trust_stat=True)
        for name in wanted - seen:
            child = f"{rel}/{name}" if rel else name
            if child in target.children:
                self._sync_dir(child, target)
            else:
                self._write_file(child, target)

    def _sync_file(self, rel: str, target: Pristine, trust_stat: bool) -> None:
        path = self.path / rel
        mode, blob_id = target.files[rel]
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            self._write_file(rel, target)
            return
        if stat.S_ISDIR(st.st_mode):
            self._remove(path)
            self._write_file(rel, target)
            return
        seen = self._seen.get(rel)
        if trust_stat and seen is not None and seen[1] == (mode, blob_id) and self._trusted(seen[0], st):
            return
        if self._matches(path, st, mode, blob_id):
            self._seen[rel] = (st, (mode, blob_id))
            self._patch_index(target, rel, st)
            return
        self._write_file(rel, target)

    def _matches(self, path: Path, st: os.stat_result, mode: int, blob_id: bytes) -> bool:
        if mode == 0o120000:
            return stat.S_ISLNK(st.st_mode) and os.readlink(path).encode() == self._blob(blob_id)
        if not stat.S_ISREG(st.st_mode) or bool(st.st_mode & 0o100) != bool(mode & 0o100):
            return False
        data = self._blob(blob_id)
        return st.st_size == len(data) and path.read_bytes() == data

    def _write_file(self, rel: str, target: Pristine) -> None:
        path = self.path / rel
        mode, blob_id = target.files[rel]
        data = self._blob(blob_id)
        if path.is_dir() and not path.is_symlink():
            self._remove(path)
        if mode == 0o120000:
            path.unlink(missing_ok=True)
            os.symlink(data, path)
        else:
            write_exact(str(path), data, 0o755 if mode & 0o100 else 0o644)
        st = os.lstat(path)
        self._seen[rel] = (st, (mode, blob_id))
        self._patch_index(target, rel, st)
        self.last_restore["written"] = self.last_restore.get("written", 0) + 1

    def _blob(self, blob_id: bytes) -> bytes:
        data = self.blobs.get(blob_id)
        if data is None:
            data = self.blobs[blob_id] = self.store[blob_id].data
        return data

    def _patch_index(self, target: Pristine, rel: str, st: os.stat_result) -> None:
        offset = target.index_offsets.get(rel)
        if offset is not None:
            patch_stat(target.index, offset, st)

    def _remove(self, path: Path) -> None:
        if not os.path.lexists(path):
            return
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path)
        rel = os.path.relpath(path, self.path)
        self._seen.pop(rel, None)
        self.last_restore["removed"] = self.last_restore.get("removed", 0) + 1

    # --- .git -----------------------------------------------------------------------------

    def _sync_git_dir(self, target: Pristine) -> None:
        """Make `.git` byte-identical to `target` (files whose stat is unchanged are trusted)."""
        git_dir = self.git_dir
        if git_dir.is_symlink() or not git_dir.is_dir():
            self._remove(git_dir)
            git_dir.mkdir()
        files_present, dirs_present = set(), set()
        stack = [""]
        while stack:
            rel_dir = stack.pop()
            with os.scandir(git_dir / rel_dir if rel_dir else git_dir) as entries:
                listing = [(entry.name, entry.path, entry.stat(follow_symlinks=False)) for entry in entries]
            for name, path, st in listing:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if stat.S_ISDIR(st.st_mode):
                    if rel in target.git_dirs:
                        dirs_present.add(rel)
                        stack.append(rel)
                    else:
                        self._remove(Path(path))
                    continue
                if rel == "index":
                    continue
                expected = target.git_files.get(rel)
                if expected is None or stat.S_ISLNK(st.st_mode):
                    os.unlink(path)
                    continue
                files_present.add(rel)
                seen = self._git_seen.get(rel)
                if seen is None or seen[1] != expected or not self._trusted(seen[0], st):  # switched task
                    with open(path, "rb") as handle:
                        same = handle.read() == expected
                    if not same or st.st_mode & 0o7777 != target.git_modes[rel]:
                        write_exact(path, expected, target.git_modes[rel])
                    self._git_seen[rel] = (os.lstat(path), expected)
        for rel in sorted(target.git_dirs - dirs_present):
            (git_dir / rel).mkdir(parents=True, exist_ok=True)
        for rel in target.git_files.keys() - files_present:
            write_exact(str(git_dir / rel), target.git_files[rel], target.git_modes[rel])
            self._git_seen[rel] = (os.lstat(git_dir / rel), target.git_files[rel])
        if target.index:
            reseal(target.index)
            write_exact(str(git_dir / "index"), target.index, 0o644)
        else:
            (git_dir / "index").unlink(missing_ok=True)

    def _trusted(self, seen: os.stat_result, st: os.stat_result) -> bool:
        """Unchanged since `seen`, and `seen` is older than the racy window before the last settle."""
        return stat_key(seen) == stat_key(st) and seen.st_mtime_ns + RACY_WINDOW_NS < self._settled_ns

    # --- tracking -------------------------------------------------------------------------

    def _start_tracking(self) -> None:
        self.close()
        self._tracker = ChangeTracker(self.path)
        self._tracker.watch_tree()
        self._settle()

    def _settle(self) -> None:
        """Forget the events caused by our own writes and note when the state settled."""
        if self._tracker:
            self._tracker.changes()
        self._settled_ns = time.time_ns()


def write_exact(path: str, data: bytes | bytearray, mode: int) -> None:
    """Make `path` a regular file holding `data` with permission bits `mode`.

    A plain file with a single link is rewritten in place (one metadata update instead of
    an unlink and a create); anything else is replaced by a new inode, so nothing is ever
    written through a symbolic or hard link that an episode left behind.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
        except PermissionError:
            fd = -1
        if fd >= 0:  # overwrite, then cut: truncating to zero first makes ext4 flush on close
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                if st.st_size > len(data):
                    os.ftruncate(fd, len(data))
                if st.st_mode & 0o7777 != mode:
                    os.fchmod(fd, mode)
            finally:
                os.close(fd)
            return
    if st is not None:
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        os.fchmod(handle.fileno(), mode)  # not subject to the umask, like git's checkout of 0644/0755


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths not below another path of the set (a directory covers its contents)."""
    chosen: set[str] = set()
    for rel in sorted(paths, key=lambda p: (p.count("/"), p)):
        if "" in chosen:
            return [""]
        parts = rel.split("/")
        if not any("/".join(parts[:i]) in chosen for i in range(1, len(parts) + 1)):
            chosen.add(rel)
    return sorted(chosen, key=lambda p: (p.count("/"), p))


def _differences(current: Pristine, target: Pristine) -> set[str]:
    """Worktree paths whose pristine content differs between two states."""
    changed = {p for p in current.files.keys() | target.files.keys()
               if current.files.get(p) != target.files.get(p)}
    changed |= current.children.keys() ^ target.children.keys()
    return changed
