"""Sandboxed repository access: objects, refs + reflogs, cached index, confined worktree I/O.

The dulwich `Repo` is opened without global/system configuration and with its hooks
removed. Refs and reflogs are read and written here (not through dulwich) so reflog
lines match git's byte for byte and HEAD is logged alongside the branch it points to.
"""

from __future__ import annotations

import contextlib
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
from .errors import GitError, fatal
from .index import IndexEntry, IndexFile

ZERO_SHA = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_MAX_SYMREF_DEPTH = 5
_LOGGED_PREFIXES = ("refs/heads/", "refs/remotes/", "refs/notes/")
_FORBIDDEN_COMPONENTS = {b"", b".", b"..", b".git"}


class _SandboxedRepo(Repo):
    """dulwich Repo that never reads ~/.gitconfig or /etc/gitconfig and runs no hooks."""

    def __init__(self, root: str) -> None:
        super().__init__(root)
        self.hooks.clear()

    def get_config_stack(self) -> StackedConfig:
        local = self.get_config()
        return StackedConfig([local], writable=local)


def format_tz(offset: int) -> str:
    """Seconds east of UTC as git's `+HHMM`."""
    sign = "-" if offset < 0 else "+"
    minutes = abs(offset) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def is_valid_ref_name(name: str) -> bool:
    """git check-ref-format rules (the subset that matters for safety and fidelity)."""
    if not name or name.startswith("/") or name.endswith(("/", ".", ".lock")) or name == "@":
        return False
    if any(s in name for s in ("..", "//", "@{", "\\")):
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in " ~^:?*[" for c in name):
        return False
    return all(part and not part.startswith(".") for part in name.split("/"))


class GitRepo:
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

    # ----------------------------------------------------------------- refs
    def _ref_file(self, name: str) -> Path:
        special = name in ("HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD",
                           "FETCH_HEAD")
        if not special and not (name.startswith("refs/") and is_valid_ref_name(name)):
            raise fatal(f"invalid ref name '{name}'")
        return self.git_dir / name

    def packed_refs(self) -> dict[str, str]:
        try:
            text = (self.git_dir / "packed-refs").read_text(errors="replace")
        except FileNotFoundError:
            return {}
        refs: dict[str, str] = {}
        for line in text.splitlines():
            if line and line[0] not in "#^":
                sha, _, name = line.partition(" ")
                refs[name] = sha
        return refs

    def read_raw_ref(self, name: str) -> str | None:
        """Contents of a ref: a hex id, or "ref: <target>" for a symbolic ref."""
        try:
            path = self._ref_file(name)
        except GitError:
            return None
        try:
            if path.is_file():
                return path.read_text(errors="replace").strip()
        except OSError:
            return None
        return self.packed_refs().get(name)

    def resolve_ref(self, name: str) -> str | None:
        """Follow symbolic refs to a hex id; None for missing or unborn refs."""
        for _ in range(_MAX_SYMREF_DEPTH):
            raw = self.read_raw_ref(name)
            if raw is None:
                return None
            if not raw.startswith("ref: "):
                return raw
            name = raw[5:]
        return None

    def head_target(self) -> str | None:
        """The ref HEAD points at (e.g. "refs/heads/main"), or None when detached."""
        raw = self.read_raw_ref("HEAD") or ""
        return raw[5:] if raw.startswith("ref: ") else None

    def head_sha(self) -> str | None:
        return self.resolve_ref("HEAD")

    def current_branch(self) -> str | None:
        target = self.head_target()
        return target[len("refs/heads/"):] if target and target.startswith("refs/heads/") else None

    def refs(self, prefix: str = "refs/") -> dict[str, str]:
        """Every ref under `prefix` (loose over packed) -> hex id, sorted by name."""
        result = {k: v for k, v in self.packed_refs().items() if k.startswith(prefix)}
        base = self.git_dir / prefix.rstrip("/")
        if base.is_dir():
            for dirpath, _dirs, files in os.walk(base):
                for filename in files:
                    full = Path(dirpath, filename)
                    name = full.relative_to(self.git_dir).as_posix()
                    if not is_valid_ref_name(name):
                        continue
                    value = self.resolve_ref(name)
                    if value is not None:
                        result[name] = value
        return dict(sorted(result.items()))

    def _now(self) -> tuple[int, int]:
        assert self.ctx is not None, "GitRepo.ctx must be set by the runner"
        return self.ctx.clock.now()

    def ident(self, when: tuple[int, int] | None = None) -> bytes:
        """git's ident line "Name <email> <ts> <+tz>" for the context identity."""
        assert self.ctx is not None
        ts, tz = when if when is not None else self._now()
        who = self.ctx.identity
        return f"{who.name} <{who.email}> {ts} {format_tz(tz)}".encode()

    def append_reflog(self, name: str, old: str | None, new: str | None, message: str,
                      when: tuple[int, int] | None = None, force: bool = False) -> None:
        """Append one line to logs/<name> in git's format, if git would log this ref."""
        path = self.git_dir / "logs" / name
        if not (force or name == "HEAD" or name.startswith(_LOGGED_PREFIXES) or path.exists()):
            return
        message = " ".join(message.split())
        line = f"{old or ZERO_SHA} {new or ZERO_SHA} ".encode() + self.ident(when)
        if message:
            line += b"\t" + message.encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(line + b"\n")

    def _write_ref_file(self, name: str, content: str) -> None:
        path = self._ref_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise fatal(f"cannot lock ref '{name}': there is a non-empty directory in the way")
        lock = path.with_name(path.name + ".lock")
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise fatal(
                f"cannot lock ref '{name}': Unable to create '{lock}': File exists."
            ) from None
        with os.fdopen(fd, "w") as handle:
            handle.write(content + "\n")
        os.replace(lock, path)

    def update_ref(self, name: str, new: str, message: str | None, *,
                   when: tuple[int, int] | None = None, force_log: bool = False) -> None:
        """Point `name` (a full ref or HEAD, symrefs followed) at `new`, logging like git.

        `message` None writes the ref without any reflog entry."""
        target = name
        if name == "HEAD":
            target = self.head_target() or "HEAD"
        old = self.resolve_ref(target)
        if old != new:  # like git, an unchanged ref is neither rewritten nor logged ...
            self._write_ref_file(target, new)
            if message is not None:
                self.append_reflog(target, old, new, message, when, force_log)
        if message is not None and target != "HEAD" and self.head_target() == target:
            self.append_reflog("HEAD", old, new, message, when)  # ... but HEAD still is

    def set_head(self, target: str, message: str, *, detach: bool = False) -> None:
        """Make HEAD a symref to `target`, or detach it at commit `target`; log to HEAD."""
        old = self.head_sha()
        if detach:
            if self.head_target() is None and old == target:
                return  # like git: an unchanged detached HEAD is neither written nor logged
            self._write_ref_file("HEAD", target)
            new: str | None = target
        else:
            self._write_ref_file("HEAD", f"ref: {target}")
            new = self.resolve_ref(target)
        if message and new is not None:
            self.append_reflog("HEAD", old, new, message)

    def delete_ref(self, name: str) -> None:
        """Remove a ref (loose and packed) and its reflog."""
        path = self._ref_file(name)
        if path.is_file():
            path.unlink()
            self._prune_empty_dirs(path.parent, self.git_dir / "refs")
        packed = self.git_dir / "packed-refs"
        if name in self.packed_refs():
            lines = packed.read_text().splitlines(keepends=True)
            kept: list[str] = []
            skipping = False
            for line in lines:
                if line.startswith("^"):
                    if not skipping:
                        kept.append(line)
                    continue
                skipping = line.rstrip("\n").endswith(" " + name)
                if not skipping:
                    kept.append(line)
            lock = packed.with_name("packed-refs.lock")
            lock.write_text("".join(kept))
            os.replace(lock, packed)
        log = self.git_dir / "logs" / name
        if log.is_file():
            log.unlink()
            self._prune_empty_dirs(log.parent, self.git_dir / "logs" / "refs")

    def read_reflog(self, name: str) -> list[tuple[str, str, str]]:
        """Reflog of `name`, oldest first: (old, new, "ident<TAB>message" tail)."""
        try:
            data = (self.git_dir / "logs" / name).read_text(errors="replace")
        except FileNotFoundError:
            return []
        entries = []
        for line in data.splitlines():
            if len(line) > 82:
                entries.append((line[:40], line[41:81], line[82:]))
        return entries

    @staticmethod
    def _prune_empty_dirs(directory: Path, stop: Path) -> None:
        while directory != stop and stop in directory.parents:
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent

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
            self.index_mtime = (int(st.st_mtime), st.st_mtime_ns % 1_000_000_000) if st else (0, 0)
        return self._index

    def write_index(self, index: IndexFile) -> None:
        index.write(self.index_path)
        st = self.index_path.stat()
        self._index = index
        self._index_key = (st.st_mtime_ns, st.st_size, st.st_ino)
        self.index_mtime = (int(st.st_mtime), st.st_mtime_ns % 1_000_000_000)

    def is_racy(self, entry: IndexEntry) -> bool:
        """git's racy-git rule: stat data can't be trusted when mtime >= the index's mtime."""
        return self.index_mtime != (0, 0) and entry.mtime >= self.index_mtime

    # ----------------------------------------------------------------- worktree
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
        self._prune_empty_dirs(Path(os.path.dirname(target)), self.worktree)

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

