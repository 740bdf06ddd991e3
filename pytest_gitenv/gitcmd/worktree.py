"""Fast comparisons of the worktree against the index, and untracked/ignored file listing.

Tracked files are checked by stat data first; content is hashed only when the stat
data differs without a size change, or when the entry is racily clean (its mtime is
not older than the index file's), exactly as git does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from dulwich.ignore import IgnoreFilter, IgnoreFilterManager

from . import deadline
from .index import MODE_BITS, IndexEntry, IndexFile, mode_from_stat
from .paths import is_repository
from .repo import GitRepo

GITLINK = 0o160000
SYMLINK = 0o120000


@dataclass
class TrackedChanges:
    """Stage-0 index entries whose worktree file differs; `refreshed` if stat data changed."""

    modified: list[bytes] = field(default_factory=list)
    deleted: list[bytes] = field(default_factory=list)
    typechanged: list[bytes] = field(default_factory=list)
    refreshed: bool = False

    def is_clean(self) -> bool:
        return not (self.modified or self.deleted or self.typechanged)


_NS = 1_000_000_000


def beyond_symlink(repo: GitRepo, path: bytes, cache: dict[bytes, bool]) -> bool:
    """True when a leading directory of `path` is a symlink (git: "beyond a symbolic link")."""
    pos = path.rfind(b"/")
    if pos < 0:
        return False
    parent = path[:pos]
    known = cache.get(parent)
    if known is None:
        known = os.path.islink(repo.root_b + parent) or beyond_symlink(repo, parent, cache)
        cache[parent] = known
    return known


def _same_stat(entry: IndexEntry, st: os.stat_result) -> bool:
    """The stat fields git compares (mode is checked by the caller)."""
    return (divmod(st.st_mtime_ns, _NS) == entry.mtime
            and entry.size == st.st_size & 0xFFFFFFFF
            and entry.ino == st.st_ino & 0xFFFFFFFF
            and divmod(st.st_ctime_ns, _NS) == entry.ctime)


def _lstat(repo: GitRepo, entry: IndexEntry, links: dict[bytes, bool]) -> os.stat_result | None:
    """lstat of the entry's file; None when missing or reached through a symlinked dir."""
    if b"/" in entry.path and beyond_symlink(repo, entry.path, links):
        return None
    try:
        return os.lstat(repo.root_b + entry.path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def entry_state(repo: GitRepo, entry: IndexEntry, links: dict[bytes, bool] | None = None
                ) -> tuple[str, os.stat_result | None]:
    """("clean"|"refresh"|"modified"|"deleted"|"typechange", stat) for one stage-0 entry.

    A file reached through a symlinked directory counts as deleted, as in git."""
    st = _lstat(repo, entry, {} if links is None else links)
    if st is None:
        return "deleted", None
    fmt = st.st_mode & 0o170000
    if entry.mode == GITLINK:
        return ("clean" if fmt == 0o040000 else "typechange"), st
    if fmt == 0o040000:
        return "deleted", None
    mode = SYMLINK if fmt == SYMLINK else (0o100755 if st.st_mode & 0o100 else 0o100644)
    if (mode ^ entry.mode) & 0o170000:
        return "typechange", st
    if mode != entry.mode:
        return "modified", st
    if _same_stat(entry, st) and not repo.is_racy(entry):
        return "clean", st
    if entry.size and entry.size != (st.st_size & 0xFFFFFFFF):
        return "modified", st
    if repo.hash_blob(repo.read_worktree(entry.path, st)) != entry.sha:
        return "modified", st
    return "refresh", st


def stat_unchanged(repo: GitRepo, entry: IndexEntry) -> bool:
    """git's ie_match_stat: stat data decides; only racily clean entries are content-checked."""
    st = _lstat(repo, entry, {})
    if st is None or mode_from_stat(st.st_mode) != entry.mode or not _same_stat(entry, st):
        return False
    if not repo.is_racy(entry):
        return True
    return repo.hash_blob(repo.read_worktree(entry.path, st)) == entry.sha


def _suspects(repo: GitRepo, entries: list[IndexEntry],
              selected: Callable[[bytes], bool] | None) -> list[IndexEntry]:
    """Stage-0 entries whose stat data does not prove them unchanged (git's ie_match_stat
    fast path): one lstat per file, plus one per directory to rule out symlinked parents."""
    root, lstat = repo.root_b, os.lstat
    sec, nsec = repo.index_mtime
    racy_from = sec * _NS + nsec if sec or nsec else 1 << 64
    links: dict[bytes, bool] = {}
    checked = b""  # the last directory known not to lie beyond a symlink
    found = []
    for start in range(0, len(entries), 512):
        deadline.check()
        for entry in entries[start:start + 512]:
            path = entry.path
            if entry.stage or (selected is not None and not selected(path)):
                continue
            slash = path.rfind(b"/")
            if slash > 0 and path[:slash] != checked:
                if beyond_symlink(repo, path, links):
                    found.append(entry)
                    continue
                checked = path[:slash]
            try:
                st = lstat(root + path)
            except OSError:
                found.append(entry)
                continue
            key = entry.stat_key()
            if key[0] >= racy_from or key != (st.st_mtime_ns, st.st_ctime_ns, st.st_size & 0xFFFFFFFF,
                                              st.st_ino & 0xFFFFFFFF, st.st_mode & MODE_BITS):
                found.append(entry)
    return found


def changed_entries(repo: GitRepo, index: IndexFile,
                    selected: Callable[[bytes], bool] | None = None
                    ) -> Iterator[tuple[IndexEntry, str, os.stat_result | None]]:
    """Stage-0 entries that are not clean, with `entry_state`'s verdict and lstat data;
    "refresh" entries (unchanged content, stale stat data) have been refreshed in place."""
    links: dict[bytes, bool] = {}
    for entry in _suspects(repo, index.entries, selected):
        state, st = entry_state(repo, entry, links)
        if state == "refresh":
            assert st is not None
            entry.refresh_stat(st)
        if state != "clean":
            yield entry, state, st


def compare_tracked(repo: GitRepo, index: IndexFile,
                    selected: Callable[[bytes], bool] | None = None) -> TrackedChanges:
    """Compare stage-0 entries with the worktree, refreshing stat data of unchanged files."""
    changes = TrackedChanges()
    found = {"modified": changes.modified, "deleted": changes.deleted,
             "typechange": changes.typechanged}
    for entry, state, _st in changed_entries(repo, index, selected):
        if state == "refresh":
            changes.refreshed = True
        else:
            found[state].append(entry.path)
    return changes


def ignore_manager(repo: GitRepo) -> IgnoreFilterManager:
    """.gitignore files plus .git/info/exclude (never core.excludesFile or ~/.config)."""
    filters = []
    exclude = repo.git_dir / "info" / "exclude"
    if exclude.is_file() and not exclude.is_symlink():
        filters.append(IgnoreFilter.from_path(str(exclude)))
    return IgnoreFilterManager(str(repo.worktree), filters, False)


@dataclass
class Untracked:
    """Untracked paths (directories end in "/") and ignored ones, sorted like git."""

    untracked: list[bytes] = field(default_factory=list)
    ignored: list[bytes] = field(default_factory=list)


def tracked_dirs(paths: Iterable[bytes]) -> set[bytes]:
    dirs: set[bytes] = set()
    for path in paths:
        pos = path.rfind(b"/")
        while pos > 0:
            parent = path[:pos]
            if parent in dirs:
                break
            dirs.add(parent)
            pos = parent.rfind(b"/")
    return dirs


def list_untracked(repo: GitRepo, index: IndexFile, *, all_files: bool = False,
                   want_ignored: bool = False, ignored_mode: str = "matching",
                   within: Callable[[bytes], bool] | None = None, start: bytes = b"") -> Untracked:
    """Walk the worktree like `git status` does (git's "normal" mode collapses new dirs).

    `ignored_mode` is status's --ignored mode: "matching" lists what the ignore rules
    match ("dir/" for an ignored directory); "traditional" lists an untracked directory
    holding only ignored files as one "dir/" and, with `all_files`, every ignored file.
    `within` skips directories (repo paths) in which nothing can be of interest; `start`
    ("a/b/") begins the walk there, like git does at a pathspec's common prefix."""
    cacheable = within is None and not start and index is repo.index()
    key = (all_files, want_ignored, ignored_mode, repo.index_key)
    snapshot = repo.untracked_snapshot
    if cacheable and snapshot is not None and snapshot.key == key and snapshot.valid(repo):
        return Untracked(list(snapshot.result.untracked), list(snapshot.result.ignored))
    root = os.fsencode(repo.worktree)
    seen = _Snapshot(key, Untracked())
    walker = _Walker(root, index.entries, ignore_manager(repo), seen, all_files=all_files,
                     want_ignored=want_ignored, traditional=ignored_mode == "traditional", within=within)
    result = seen.result
    if not start or os.path.isdir(os.path.join(root, start)):
        walker.walk(start, result)
    result.untracked.sort()
    result.ignored.sort()
    if cacheable and seen.settled(repo):
        repo.untracked_snapshot = seen
    return Untracked(list(result.untracked), list(result.ignored))


class _Walker:
    """git's read_directory_recursive for one listing (see list_untracked)."""

    def __init__(self, root: bytes, entries: list[IndexEntry], ignores: IgnoreFilterManager, seen: _Snapshot, *,
                 all_files: bool, want_ignored: bool, traditional: bool,
                 within: Callable[[bytes], bool] | None) -> None:
        self.root = root
        self.tracked = {e.path for e in entries}
        self.gitlinks = {e.path for e in entries if e.mode == GITLINK}
        self.dirs = tracked_dirs(self.tracked)
        self.ignores, self.seen = ignores, seen
        self.all_files, self.want_ignored, self.traditional = all_files, want_ignored, traditional
        self.within = within

    def ignored(self, rel: bytes, is_dir: bool) -> bool:
        name = rel.decode(errors="surrogateescape") + ("/" if is_dir else "")
        return bool(self.ignores.is_ignored(name))

    def is_repository(self, rel: bytes) -> bool:
        return is_repository(os.path.join(self.root, rel))

    def has_content(self, rel: bytes) -> bool:
        """True when an untracked dir holds something git would show (a file or a repo)."""
        for item in self.seen.scan(self.root, rel + b"/"):
            sub = rel + b"/" + item.name
            is_dir = item.is_dir(follow_symlinks=False)
            if item.name == b".git" or self.ignored(sub, is_dir):
                continue
            if not is_dir or self.is_repository(sub) or self.has_content(sub):
                return True
        return False

    def holds_files(self, rel_dir: bytes) -> bool:
        """True when anything but (nested) empty directories lies below `rel_dir`."""
        return any(not item.is_dir(follow_symlinks=False) or self.holds_files(rel_dir + b"/" + item.name)
                   for item in self.seen.scan(self.root, rel_dir + b"/"))

    def files_below(self, rel_dir: bytes) -> Iterator[bytes]:
        """Everything but directories below `rel_dir`, a nested repository as "dir/"."""
        for item in self.seen.scan(self.root, rel_dir + b"/"):
            rel = rel_dir + b"/" + item.name
            if item.name == b".git":
                continue
            if not item.is_dir(follow_symlinks=False):
                yield rel
            elif self.is_repository(rel):
                yield rel + b"/"
            else:
                yield from self.files_below(rel)

    def walk(self, rel_dir: bytes, out: Untracked) -> None:
        """Add what lies in `rel_dir` ("" or ending in "/") to `out`."""
        deadline.check()
        tracked, within = self.tracked, self.within
        for item in self.seen.scan(self.root, rel_dir):
            if item.name == b".git":
                continue
            rel = rel_dir + item.name
            is_dir = item.is_dir(follow_symlinks=False)
            if is_dir:
                if within is not None and not within(rel):
                    continue
                if rel in self.dirs:
                    self.walk(rel + b"/", out)
                elif rel not in self.gitlinks:
                    self.new_dir(rel, out)
            elif rel in tracked:
                continue
            elif not self.ignored(rel, False):
                out.untracked.append(rel)
            elif self.want_ignored:
                out.ignored.append(rel)

    def new_dir(self, rel: bytes, out: Untracked) -> None:
        """A directory the index knows nothing below; one named like a tracked file is
        walked, but never listed whole (git's index_name_is_other)."""
        whole = rel not in self.tracked
        if self.ignored(rel, True):
            if self.want_ignored:
                self.ignored_dir(rel, out, whole)
        elif self.is_repository(rel):
            if whole:
                out.untracked.append(rel + b"/")
        elif self.all_files:
            self.walk(rel + b"/", out)
        elif self.want_ignored:
            self.untracked_dir(rel, out, whole)
        elif whole and self.has_content(rel):
            out.untracked.append(rel + b"/")

    def ignored_dir(self, rel: bytes, out: Untracked, whole: bool) -> None:
        """An ignored directory: "dir/" (traditional: only when it holds files, and file by
        file when all files are listed)."""
        if not self.traditional or self.is_repository(rel):
            if whole:
                out.ignored.append(rel + b"/")
        elif self.all_files:
            out.ignored.extend(self.files_below(rel))
        elif whole and self.holds_files(rel):
            out.ignored.append(rel + b"/")

    def untracked_dir(self, rel: bytes, out: Untracked, whole: bool) -> None:
        """An untracked directory while ignored paths are wanted: "dir/" when it holds
        untracked files, plus the ignored paths inside (traditional: "dir/" as ignored
        when everything inside is)."""
        inside = Untracked()
        self.walk(rel + b"/", inside)
        if inside.untracked:
            if whole:
                out.untracked.append(rel + b"/")
        elif self.traditional and inside.ignored:
            if whole:
                out.ignored.append(rel + b"/")
            return
        out.ignored.extend(inside.ignored)


_SETTLE_NS = 50_000_000  # file timestamps are coarse: trust only directories this old


class _Snapshot:
    """An untracked listing plus what it was derived from: every directory scanned (by
    mtime) and every ignore file (by stat). Git's untracked cache, simplified."""

    def __init__(self, key: tuple[object, ...], result: Untracked) -> None:
        self.key = key
        self.result = result
        self.started = time.time_ns()
        self.dirs: dict[bytes, int] = {}
        self.files: dict[bytes, tuple[int, int, int]] = {}

    def scan(self, root: bytes, rel_dir: bytes) -> list[os.DirEntry[bytes]]:
        """List `rel_dir` (ending in "/", or empty for the root) and remember its state."""
        path = os.path.join(root, rel_dir) if rel_dir else root
        try:
            self.dirs[path] = os.lstat(path).st_mtime_ns
            entries = list(os.scandir(path))
        except OSError:
            return []
        for item in entries:
            if item.name == b".gitignore":
                st = item.stat(follow_symlinks=False)
                self.files[item.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        return entries

    def _exclude(self, repo: GitRepo) -> tuple[int, int, int]:
        try:
            st = os.lstat(repo.git_dir / "info" / "exclude")
        except OSError:
            return (0, 0, 0)
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def settled(self, repo: GitRepo) -> bool:
        """Safe to reuse: nothing seen was modified too recently to trust its timestamp."""
        self.files[b""] = self._exclude(repo)
        limit = self.started - _SETTLE_NS
        return all(m < limit for m in self.dirs.values()) and all(
            f[0] < limit for f in self.files.values())

    def valid(self, repo: GitRepo) -> bool:
        """Nothing scanned has changed since (a new entry changes its directory's mtime)."""
        try:
            if any(os.lstat(p).st_mtime_ns != m for p, m in self.dirs.items()):
                return False
            for path, stat_key in self.files.items():
                if path:
                    st = os.lstat(path)
                    if (st.st_mtime_ns, st.st_size, st.st_ino) != stat_key:
                        return False
        except OSError:
            return False
        return self._exclude(repo) == self.files[b""]


def entry_from_worktree(repo: GitRepo, path: bytes) -> IndexEntry:
    """Hash and store the worktree file at `path`; return its fresh stage-0 index entry."""
    st = os.lstat(repo.abspath(path))
    mode = mode_from_stat(st.st_mode)
    entry = IndexEntry(path, repo.hash_blob(repo.read_worktree(path, st), write=True), mode)
    entry.refresh_stat(st)
    return entry


def without_df_conflicts(entries: Iterable[IndexEntry], added: Iterable[bytes]
                         ) -> list[IndexEntry]:
    """Drop the entries that newly added paths replace, as git's add_index_entry does: a
    file where one of them needs a directory, and anything below one of them."""
    added = set(added)
    entries = list(entries)
    if not added:
        return entries
    parents = {p[:i] for p in added for i in range(1, len(p)) if p[i:i + 1] == b"/"}
    below = tuple(p + b"/" for p in added)
    return [e for e in entries
            if e.path in added or (e.path not in parents and not e.path.startswith(below))]
