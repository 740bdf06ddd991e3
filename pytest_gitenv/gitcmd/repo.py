"""Sandboxed repository access: objects, config and the cached index, plus refs
(refs.RefStore) and confined worktree I/O (worktree_files.WorktreeFiles).

The dulwich `Repo` is opened without global/system configuration and with its hooks
removed; refs and reflogs are handled by RefStore, not dulwich, so reflog lines match git.
"""

from __future__ import annotations

import os
import stat as stat_module
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dulwich.config import ConfigFile, StackedConfig
from dulwich.objects import Blob, Commit, ShaFile, Tag, Tree
from dulwich.repo import Repo

from .context import CommandContext
from .errors import fatal
from .index import IndexEntry, IndexFile
from .refs import ZERO_SHA, RefStore, format_tz, is_valid_ref_name
from .worktree_files import WorktreeFiles

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
__all__ = ["EMPTY_TREE", "ZERO_SHA", "GitRepo", "format_tz", "is_valid_ref_name"]


class _SandboxedRepo(Repo):
    """dulwich Repo that never reads ~/.gitconfig or /etc/gitconfig and runs no hooks."""

    def __init__(self, root: str) -> None:
        super().__init__(root)
        self.hooks.clear()

    def get_config_stack(self) -> StackedConfig:
        local = self.get_config()
        return StackedConfig([local], writable=local)


class GitRepo(RefStore, WorktreeFiles):
    """One repository inside a sandbox workspace. Keep one per workspace to reuse caches."""

    def __init__(self, worktree: Path, git_dir: Path, workspace: Path) -> None:
        self.worktree = worktree
        self.root_b = os.fsencode(worktree) + b"/"  # fast bytes path prefix for hot loops
        self.git_dir = git_dir
        self.workspace = workspace
        self.dulwich = _SandboxedRepo(str(worktree))
        self.objects = self.dulwich.object_store
        self.ctx: CommandContext | None = None
        self._index: IndexFile | None = None
        self._index_key: tuple[int, int, int] | None = None
        self.index_mtime: tuple[int, int] = (0, 0)
        self._object_cache: dict[str, ShaFile] = {}
        self._flat_trees: dict[str, dict[bytes, tuple[int, bytes]]] = {}
        self._tree_memo: dict[tuple[tuple[bytes, int, bytes], ...], bytes] = {}
        self._config: ConfigFile | None = None
        self._config_key: tuple[int, int] | None = None
        self.untracked_snapshot: Any = None  # worktree._Snapshot of the last untracked scan
        self.warnings: list[str] = []  # "warning: ..." lines, printed before the command's stderr

    # ----------------------------------------------------------------- opening
    @staticmethod
    def locate(start: Path, workspace: Path) -> tuple[Path, Path]:
        """(worktree, .git dir) of the repository containing `start`, never above `workspace`."""
        workspace = workspace.resolve()
        current = start.resolve()
        while True:
            dotgit = current / ".git"
            if dotgit.is_dir() and not dotgit.is_symlink():
                return current, dotgit
            if dotgit.exists() or dotgit.is_symlink():
                raise fatal("repositories with a .git file or symlink are not supported here")
            if current == workspace or workspace not in current.parents:
                raise fatal("not a git repository (or any of the parent directories): .git")
            current = current.parent

    def invalidate(self) -> None:
        """Drop mutable caches (after a failed command that may have changed them)."""
        self._index = None
        self._index_key = None
        self._config = None
        self._config_key = None
        self.untracked_snapshot = None

    # ----------------------------------------------------------------- objects
    def get(self, sha: str) -> ShaFile:
        """Object by hex id (cached; objects are immutable). KeyError when missing."""
        obj = self._object_cache.get(sha)
        if obj is None:
            obj = self.objects[sha.encode()]
            if len(self._object_cache) > 50_000:
                self._object_cache.clear()
            self._object_cache[sha] = obj
        return obj

    def has(self, sha: str) -> bool:
        return sha in self._object_cache or sha.encode() in self.objects

    def commit(self, sha: str) -> Commit:
        obj = self.get(sha)
        if not isinstance(obj, Commit):
            raise fatal(f"{sha} is not a commit")
        return obj

    def peel(self, sha: str) -> ShaFile:
        """Follow annotated tags to the tagged object."""
        obj = self.get(sha)
        while isinstance(obj, Tag):
            obj = self.get(obj.object[1].decode())
        return obj

    def peeled_tree(self, sha: str) -> str | None:
        """The tree an object names (tags and commits peeled); None for a blob."""
        obj = self.peel(sha)
        if isinstance(obj, Commit):
            return obj.tree.decode()
        return obj.id.decode() if isinstance(obj, Tree) else None

    def add_object(self, obj: ShaFile) -> str:
        """Store `obj` as a loose object (unless present here or in an alternate)."""
        sha = obj.id.decode()
        if sha in self._object_cache:
            return sha
        if sha.encode() not in self.objects:
            directory = self.git_dir / "objects" / sha[:2]
            directory.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix="tmp_obj_")
            with os.fdopen(fd, "wb") as handle:
                handle.write(obj.as_legacy_object())  # zlib-compressed "<type> <len>\0..."
            os.chmod(tmp, 0o444)
            os.replace(tmp, directory / sha[2:])
        self._object_cache[sha] = obj
        return sha

    def flat_tree(self, tree_sha: str | None) -> dict[bytes, tuple[int, bytes]]:
        """All blobs/links/gitlinks under a tree: path -> (mode, raw sha). Cached per tree."""
        if tree_sha is None:
            return {}
        cached = self._flat_trees.get(tree_sha)
        if cached is not None:
            return cached
        result: dict[bytes, tuple[int, bytes]] = {}
        tree = self.get(tree_sha)
        assert isinstance(tree, Tree)
        for item in tree.iteritems():
            if stat_module.S_ISDIR(item.mode):
                sub = self.flat_tree(item.sha.decode())
                prefix = item.path + b"/"
                for path, value in sub.items():
                    result[prefix + path] = value
            else:
                result[item.path] = (item.mode, bytes.fromhex(item.sha.decode()))
        if len(self._flat_trees) > 256:
            self._flat_trees.clear()
        self._flat_trees[tree_sha] = result
        return result

    def commit_tree_items(self, commit_sha: str | None) -> dict[bytes, tuple[int, bytes]]:
        if commit_sha is None:
            return {}
        return self.flat_tree(self.commit(commit_sha).tree.decode())

    def write_tree(self, entries: Iterable[tuple[bytes, int, bytes]]) -> str:
        """Write trees for sorted (path, mode, raw sha) file entries; return root tree id."""
        root: dict[bytes, object] = {}
        for path, mode, sha in entries:
            *dirs, name = path.split(b"/")
            node = root
            for d in dirs:
                node = node.setdefault(d, {})  # type: ignore[assignment]
            node[name] = (mode, sha)
        return self._write_node(root).hex()

    def _write_node(self, node: dict[bytes, object]) -> bytes:
        items: list[tuple[bytes, int, bytes]] = []
        for name, value in node.items():
            if isinstance(value, dict):
                items.append((name, 0o040000, self._write_node(value)))
            else:
                mode, sha = value  # type: ignore[misc]
                items.append((name, mode, sha))
        key = tuple(sorted(items))
        sha = self._tree_memo.get(key)
        if sha is None:
            tree = Tree()
            for name, mode, raw in items:
                tree.add(name, mode, raw.hex().encode())
            sha = bytes.fromhex(self.add_object(tree))
            self._tree_memo[key] = sha
        return sha

    def hash_blob(self, data: bytes, write: bool = False) -> bytes:
        """Raw sha of a blob with `data`; stored when `write`."""
        blob = Blob.from_string(data)
        if write:
            self.add_object(blob)
        return bytes.fromhex(blob.id.decode())

    def blob_data(self, raw_sha: bytes) -> bytes:
        obj = self.get(raw_sha.hex())
        assert isinstance(obj, Blob)
        return obj.as_raw_string()

    # ----------------------------------------------------------------- config
    @property
    def config(self) -> ConfigFile:
        """The repository's own .git/config (re-read when the file changes)."""
        path = self.git_dir / "config"
        try:
            st = path.stat()
            key = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            key = (0, 0)
        if self._config is None or key != self._config_key:
            self._config = ConfigFile.from_path(str(path)) if key != (0, 0) else ConfigFile()
            self._config.path = str(path)
            self._config_key = key
        return self._config

    def write_config(self) -> None:
        self.config.write_to_path(str(self.git_dir / "config"))
        self._config = None

    def config_set(self, section: tuple[bytes, ...], name: bytes, value: bytes) -> None:
        """Set a single value in place (git keeps the key's position); not written yet."""
        config = self.config
        if not config.has_section(section):
            config.set(section, name, value)
            return
        values = config[section]
        items = list(values.items())
        if not any(k.lower() == name.lower() for k, _ in items):
            values[name] = value
            return
        for key in {k.lower() for k, _ in items}:
            del values[key]
        done = False
        for key, old in items:
            if key.lower() != name.lower():
                values[key] = old
            elif not done:
                values[key] = value
                done = True

    def rename_config_section(self, old: tuple[bytes, ...], new: tuple[bytes, ...]) -> None:
        """Rename a section in place (git keeps its position in the file); then write."""
        config = self.config
        order = [(sec, list(config.items(sec))) for sec in list(config.sections())]
        for sec, _items in order:
            del config[sec]
        for sec, items in order:
            target = new if sec == old else sec
            if sec == new and old in dict(order):
                continue
            for key, value in items:
                config.set(target, key, value)
        self.write_config()

    def config_get(self, section: tuple[str, ...], name: str) -> str | None:
        try:
            value = self.config.get(tuple(s.encode() for s in section), name.encode())
        except KeyError:
            return None
        return value.decode(errors="replace")

    # ----------------------------------------------------------------- index
    @property
    def index_path(self) -> Path:
        return self.git_dir / "index"

    @property
    def index_key(self) -> tuple[int, int, int] | None:
        """(mtime_ns, size, inode) of the index file when it was last read or written."""
        return self._index_key

    def index(self) -> IndexFile:
        """The parsed index, cached until the file's mtime/size/inode change."""
        try:
            st = self.index_path.stat()
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            key = (0, 0, 0)
            st = None
        if self._index is None or key != self._index_key:
            self._index = IndexFile.read(self.index_path)
            self._index_key = key
            self.index_mtime = divmod(st.st_mtime_ns, 1_000_000_000) if st else (0, 0)
        return self._index

    def write_index(self, index: IndexFile) -> None:
        index.write(self.index_path)
        st = self.index_path.stat()
        self._index = index
        self._index_key = (st.st_mtime_ns, st.st_size, st.st_ino)
        self.index_mtime = divmod(st.st_mtime_ns, 1_000_000_000)  # exact (a float st_mtime can round up)

    def is_racy(self, entry: IndexEntry) -> bool:
        """git's racy-git rule: stat data can't be trusted when mtime >= the index's mtime."""
        return self.index_mtime != (0, 0) and entry.mtime >= self.index_mtime
