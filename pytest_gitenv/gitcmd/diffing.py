"""What differs between trees, the index and the worktree, rendered exactly as git does.

Sources produce `FilePair`s (tree-tree via dulwich's accelerated `tree_changes`,
index-tree, worktree-index with stat checks so unchanged files are never read);
renderers produce the patch, --stat, --shortstat, --name-only and --name-status.
Exact renames (same blob) are detected, as git does by default.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dulwich.diff_tree import tree_changes
from dulwich.object_store import BaseObjectStore
from dulwich.objects import ObjectID

from . import deadline
from .combined import combined_hunks
from .index import IndexFile, mode_from_stat
from .paths import quote_path as quote_c
from .paths import raw
from .renames import MAX_SCORE, find_renames
from .repo import GitRepo
from .worktree import beyond_symlink, changed_entries
from .xdiff import unified_hunks

NULL_SHA = b"0" * 40
GITLINK = 0o160000
_BINARY_PROBE = 8000

Abbrev = Callable[[str], str]
PathFilter = Callable[[bytes], bool]


@dataclass(frozen=True, slots=True)
class Entry:
    """One side of a file pair: git mode and hex object id."""

    mode: int
    sha: bytes


@dataclass(frozen=True, slots=True)
class FilePair:
    """A changed path; `old_path` differs from `path` only for renames."""

    path: bytes
    old: Entry | None
    new: Entry | None
    old_path: bytes | None = None
    unmerged: bool = False
    theirs: Entry | None = None  # second parent of a combined diff (stage 3 when unmerged)
    score: int = MAX_SCORE  # rename similarity

    @property
    def similarity(self) -> int:
        """git's similarity index in percent."""
        return self.score * 100 // MAX_SCORE

    @property
    def source(self) -> bytes:
        return self.old_path or self.path

    @property
    def status(self) -> str:
        if self.unmerged:
            return "U"
        if self.old is None:
            return "A"
        if self.new is None:
            return "D"
        if self.old_path is not None:
            return f"R{self.similarity:03d}"
        if stat_module.S_IFMT(self.old.mode) != stat_module.S_IFMT(self.new.mode):
            return "T"
        return "M"


def blob_sha(data: bytes) -> bytes:
    """The hex id git gives `data` as a blob."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest().encode()


class Blobs:
    """Reads blob contents from the object store, plus worktree contents hashed on the way."""

    def __init__(self, store: BaseObjectStore) -> None:
        self.store = store
        self._extra: dict[bytes, bytes] = {NULL_SHA: b""}

    def remember(self, data: bytes) -> bytes:
        sha = blob_sha(data)
        self._extra[sha] = data
        return sha

    def read(self, entry: Entry | None) -> bytes:
        if entry is None:
            return b""
        if entry.mode == GITLINK:
            return b"Subproject commit " + entry.sha + b"\n"
        data = self._extra.get(entry.sha)
        return data if data is not None else self.store[ObjectID(entry.sha)].as_raw_string()


def _sorted_with_renames(pairs: list[FilePair], blobs: Blobs | None = None) -> list[FilePair]:
    """Sort by path and turn deletion + addition pairs into renames like git: same blob,
    or (when `blobs` can read contents) similar enough by git's score."""
    pairs.sort(key=lambda p: p.path)
    deleted = {p.path: p for p in pairs if p.new is None and p.old is not None and not p.unmerged}
    added = {p.path: p for p in pairs if p.old is None and p.new is not None}
    if not deleted or not added:
        return pairs
    sources = {path: (p.old.mode, p.old.sha) for path, p in deleted.items() if p.old}
    targets = {path: (p.new.mode, p.new.sha) for path, p in added.items() if p.new}
    if blobs is None:  # exact renames only: nothing else may be read
        sources = {path: v for path, v in sources.items()
                   if any(t[1] == v[1] for t in targets.values())}
    found = {dst: (src, score) for src, dst, score in find_renames(
        sources, targets, lambda sha: blobs.read(Entry(0o100644, sha)) if blobs else b"")
        if blobs is not None or score == MAX_SCORE}
    if not found:
        return pairs
    moved = {src for src, _ in found.values()}
    out: list[FilePair] = []
    for p in pairs:
        if p.path in found and p.old is None:
            src, score = found[p.path]
            out.append(FilePair(p.path, deleted[src].old, p.new, old_path=src, score=score))
        elif not (p.path in deleted and p.new is None and p.path in moved):
            out.append(p)
    return out


def tree_pairs(store: BaseObjectStore, old_tree: bytes | None, new_tree: bytes | None,
               wanted: PathFilter | None = None) -> list[FilePair]:
    """Changes from `old_tree` to `new_tree` (None = empty tree)."""
    pairs = []
    old_id = None if old_tree is None else ObjectID(old_tree)
    new_id = None if new_tree is None else ObjectID(new_tree)
    for ch in tree_changes(store, old_id, new_id, change_type_same=True):
        old = Entry(ch.old.mode, ch.old.sha) if ch.old and ch.old.path is not None else None
        new = Entry(ch.new.mode, ch.new.sha) if ch.new and ch.new.path is not None else None
        side = ch.new if new else ch.old
        path = side.path if side is not None else None
        if path is not None and (wanted is None or wanted(path)):
            pairs.append(FilePair(path, old, new))
    return _sorted_with_renames(pairs, Blobs(store))


FlatTree = dict[bytes, tuple[int, bytes]]  # path -> (mode, raw sha), as GitRepo.flat_tree gives


def _entry(item: tuple[int, bytes] | None) -> Entry | None:
    return None if item is None else Entry(item[0], item[1].hex().encode())


def index_flat(index: IndexFile) -> FlatTree:
    """Stage-0 entries as a flattened tree."""
    return {e.path: (e.mode, e.sha) for e in index.entries if not e.stage}


def compare_flat(old: FlatTree, new: FlatTree, wanted: PathFilter | None = None,
                 blobs: Blobs | None = None) -> list[FilePair]:
    """Pairs for every path whose (mode, sha) differs between two flattened trees."""
    pairs = [FilePair(path, _entry(old.get(path)), _entry(new.get(path)))
             for path in {path for path, _item in old.items() ^ new.items()}
             if wanted is None or wanted(path)]
    return _sorted_with_renames(pairs, blobs)


def index_pairs(base: FlatTree, index: IndexFile, wanted: PathFilter | None = None,
                blobs: Blobs | None = None) -> list[FilePair]:
    """Changes from a flattened tree to the index (what `git diff --cached` shows)."""
    unmerged = {e.path for e in index.entries if e.stage and (wanted is None or wanted(e.path))}
    if not unmerged:
        return compare_flat(base, index_flat(index), wanted, blobs)
    merged = {path: item for path, item in base.items() if path not in unmerged}
    pairs = compare_flat(merged, index_flat(index), wanted, blobs)
    pairs += [FilePair(path, _entry(base.get(path)), None, unmerged=True) for path in unmerged]
    return sorted(pairs, key=lambda p: p.path)


def _worktree_entry(repo: GitRepo, path: bytes, blobs: Blobs) -> Entry | None:
    try:
        st = os.lstat(repo.root_b + path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat_module.S_ISDIR(st.st_mode):
        return None
    return Entry(mode_from_stat(st.st_mode), blobs.remember(repo.read_worktree(path, st)))


def split_unmerged(pairs: Iterable[FilePair]) -> list[FilePair]:
    """Unmerged worktree paths as git lists them: the "U" marker, then the change of the
    worktree file against our side (stage 2) when there is one."""
    out: list[FilePair] = []
    for p in pairs:
        if not p.unmerged:
            out.append(p)
            continue
        out.append(FilePair(p.path, None, None, unmerged=True))
        if p.old is not None and p.new is not None and p.old != p.new:
            out.append(FilePair(p.path, p.old, p.new))
    return out


def _unmerged_pairs(repo: GitRepo, index: IndexFile, blobs: Blobs,
                    wanted: PathFilter | None) -> list[FilePair]:
    """One pair per unmerged path: our side (stage 2), the worktree file, their side."""
    stages = {(e.path, e.stage): Entry(e.mode, e.hexsha) for e in index.entries if e.stage}
    links: dict[bytes, bool] = {}
    pairs = []
    for path in dict.fromkeys(path for path, _stage in stages):
        if wanted is not None and not wanted(path):
            continue
        current = None if beyond_symlink(repo, path, links) else _worktree_entry(repo, path, blobs)
        pairs.append(FilePair(path, stages.get((path, 2)), current, unmerged=True,
                              theirs=stages.get((path, 3))))
    return pairs


def worktree_pairs(repo: GitRepo, index: IndexFile, blobs: Blobs,
                   wanted: PathFilter | None = None) -> tuple[list[FilePair], bool]:
    """Changes from the index to the worktree, and whether stat data was refreshed.

    Uses the worktree module's stat rules (racy entries; files beyond symlinked directories
    count as deleted); files that only look changed get their stat data refreshed in place,
    so the caller can write the index back as git does.
    """
    pairs = _unmerged_pairs(repo, index, blobs, wanted)
    refreshed = False
    for e, state, st in changed_entries(repo, index, wanted):
        if state == "refresh":
            refreshed = True
        elif state == "deleted":
            pairs.append(FilePair(e.path, Entry(e.mode, e.hexsha), None))
        else:
            assert st is not None
            content = repo.read_worktree(e.path, st)
            new = Entry(mode_from_stat(st.st_mode), blobs.remember(content))
            pairs.append(FilePair(e.path, Entry(e.mode, e.hexsha), new))
    pairs.sort(key=lambda p: p.path)
    return pairs, refreshed


def quote_prefixed(prefix: str, path: bytes) -> str:
    """`prefix` + `path`, quoted as a whole when the path needs it ("a/\\303\\251")."""
    quoted = quote_c(path)
    return '"' + prefix + quoted[1:] if quoted.startswith('"') else prefix + quoted


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:_BINARY_PROBE]


def _short(abbrev: Abbrev, entry: Entry | None) -> str:
    return abbrev(entry.sha.decode()) if entry else "0000000"


def default_abbrev(sha: str) -> str:
    return sha[:7]


def _plain_change(pair: FilePair) -> bool:
    """Same path, same mode: a file git omits when ignored whitespace was all that changed."""
    return (pair.old is not None and pair.new is not None and pair.old_path is None
            and pair.old.mode == pair.new.mode)


def _single_patch(pair: FilePair, blobs: Blobs, abbrev: Abbrev, context: int,
                  prefixes: tuple[str, str], whitespace: str | None) -> str:
    old, new = pair.old, pair.new
    a_name = quote_prefixed(prefixes[0], pair.source)
    b_name = quote_prefixed(prefixes[1], pair.path)
    lines = [f"diff --git {a_name} {b_name}\n"]
    if old is None and new is not None:
        lines.append(f"new file mode {new.mode:06o}\n")
    elif new is None and old is not None:
        lines.append(f"deleted file mode {old.mode:06o}\n")
    elif old and new and old.mode != new.mode:
        lines.append(f"old mode {old.mode:06o}\nnew mode {new.mode:06o}\n")
    if pair.old_path is not None:
        lines.append(f"similarity index {pair.similarity}%\nrename from {quote_c(pair.old_path)}\n"
                     f"rename to {quote_c(pair.path)}\n")
    if (old.sha if old else None) != (new.sha if new else None):
        same_mode = old is not None and new is not None and old.mode == new.mode
        suffix = f" {old.mode:06o}" if same_mode and old else ""
        lines.append(f"index {_short(abbrev, old)}..{_short(abbrev, new)}{suffix}\n")
        before, after = blobs.read(old), blobs.read(new)
        a_label = a_name + ("\t" if " " in a_name else "") if old else "/dev/null"
        b_label = b_name + ("\t" if " " in b_name else "") if new else "/dev/null"
        if _is_binary(before) or _is_binary(after):
            lines.append(f"Binary files {a_label.rstrip()} and {b_label.rstrip()} differ\n")
        else:
            hunks = unified_hunks(before, after, context, whitespace)[0]
            if not hunks and whitespace and _plain_change(pair):
                return ""
            if hunks:
                lines.append(f"--- {a_label}\n+++ {b_label}\n")
                lines.append(hunks.decode("utf-8", "replace"))
    return "".join(lines)


def format_patch(pairs: Iterable[FilePair], blobs: Blobs, abbrev: Abbrev = default_abbrev,
                 context: int = 3, prefixes: tuple[str, str] = ("a/", "b/"),
                 whitespace: str | None = None) -> str:
    """The unified diff of every pair (`git diff` default output); `prefixes` go before
    the old and new names, `whitespace` is xdiff's WHITESPACE_KEYS choice."""
    out = []
    for pair in pairs:
        deadline.check()
        if pair.old and pair.new and pair.theirs:
            out.append(_combined_patch(pair, blobs, abbrev))
        elif pair.unmerged:
            out.append(f"* Unmerged path {quote_c(pair.path)}\n")
        elif pair.old and pair.new and pair.status == "T":
            out.append(_single_patch(FilePair(pair.path, pair.old, None), blobs, abbrev, context,
                                     prefixes, whitespace))
            out.append(_single_patch(FilePair(pair.path, None, pair.new), blobs, abbrev, context,
                                     prefixes, whitespace))
        else:
            out.append(_single_patch(pair, blobs, abbrev, context, prefixes, whitespace))
    return "".join(out)


def _combined_patch(pair: FilePair, blobs: Blobs, abbrev: Abbrev) -> str:
    """`diff --cc` of a conflicted worktree file against our and their versions."""
    assert pair.old and pair.theirs and pair.new
    name = quote_c(pair.path)
    hunks = combined_hunks([blobs.read(pair.old), blobs.read(pair.theirs)], blobs.read(pair.new))
    result = "0000000" if pair.unmerged else _short(abbrev, pair.new)  # worktree: not hashed
    head = (f"diff --cc {name}\nindex {_short(abbrev, pair.old)},{_short(abbrev, pair.theirs)}"
            f"..{result}\n")
    if pair.new.mode != pair.old.mode or pair.new.mode != pair.theirs.mode:
        head += f"mode {pair.old.mode:06o},{pair.theirs.mode:06o}..{pair.new.mode:06o}\n"
    if not hunks and not pair.unmerged:  # a worktree file always gets its ---/+++ lines
        return head
    return head + f"--- {quote_prefixed('a/', pair.path)}\n+++ {quote_prefixed('b/', pair.path)}\n" \
        + hunks


def format_name_only(pairs: Iterable[FilePair], null: bool = False) -> str:
    """--name-only; `null` (-z): verbatim names, each ended by NUL."""
    if null:
        return "".join(raw(p.path) + "\0" for p in split_unmerged(pairs))
    return "".join(quote_c(p.path) + "\n" for p in split_unmerged(pairs))


def format_name_status(pairs: Iterable[FilePair], null: bool = False) -> str:
    """--name-status; `null` (-z): status and verbatim names each ended by NUL."""
    name, sep, end = (raw, "\0", "\0") if null else (quote_c, "\t", "\n")
    out = []
    for p in split_unmerged(pairs):
        names = (p.path,) if p.old_path is None else (p.old_path, p.path)
        out.append(p.status + "".join(sep + name(n) for n in names) + end)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class FileStat:
    name: str
    added: int
    deleted: int
    binary: bool = False
    unmerged: bool = False
    paths: tuple[bytes, ...] = ()  # (path,) or (old path, new path) of a rename


def _rename_name(a: bytes, b: bytes) -> str:
    """git's `pprint_rename`: "dir/{old => new}" around the common prefix and suffix."""
    qa, qb = quote_c(a), quote_c(b)
    if qa.startswith('"') or qb.startswith('"'):
        return f"{qa} => {qb}"
    pfx = 0
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        if a[i] == 0x2F:
            pfx = i + 1
        i += 1
    # suffix scan starts on the terminating NUL (equal in both), like git's
    sa, sb = a + b"\0", b + b"\0"
    ia, ib = len(a), len(b)
    sfx = 0
    adjust = 1 if pfx else 0
    while pfx - adjust <= ia and pfx - adjust <= ib and sa[ia] == sb[ib]:
        if sa[ia] == 0x2F:
            sfx = len(a) - ia
        ia -= 1
        ib -= 1
        if ia < 0 or ib < 0:
            break
    a_mid = max(len(a) - pfx - sfx, 0)
    b_mid = max(len(b) - pfx - sfx, 0)
    mid = f"{a[pfx:pfx + a_mid].decode()} => {b[pfx:pfx + b_mid].decode()}"
    if pfx + sfx:
        return f"{a[:pfx].decode()}{{{mid}}}{a[len(a) - sfx:].decode()}"
    return mid


def format_change_summary(pairs: Iterable[FilePair]) -> str:
    """git's --summary lines: create/delete mode, mode change, rename."""
    out = []
    for p in pairs:
        name = quote_c(p.path)
        if p.old_path is not None:
            out.append(f" rename {_rename_name(p.old_path, p.path)} ({p.similarity}%)\n")
        elif p.old is None and p.new is not None:
            out.append(f" create mode {p.new.mode:06o} {name}\n")
        elif p.new is None and p.old is not None:
            out.append(f" delete mode {p.old.mode:06o} {name}\n")
        elif p.old and p.new and p.old.mode != p.new.mode:
            out.append(f" mode change {p.old.mode:06o} => {p.new.mode:06o} {name}\n")
    return "".join(out)


def file_stats(pairs: Iterable[FilePair], blobs: Blobs,
               whitespace: str | None = None) -> list[FileStat]:
    """Added/deleted line counts per pair (byte sizes for binary files); with `whitespace`,
    files whose only changes it ignores are left out."""
    stats = []
    for p in split_unmerged(pairs):
        deadline.check()
        name = _rename_name(p.old_path, p.path) if p.old_path else quote_c(p.path)
        paths = (p.path,) if p.old_path is None else (p.old_path, p.path)
        if p.unmerged:
            stats.append(FileStat(name, 0, 0, unmerged=True, paths=paths))
            continue
        before, after = blobs.read(p.old), blobs.read(p.new)
        if _is_binary(before) or _is_binary(after):
            stats.append(FileStat(name, len(after), len(before), binary=True, paths=paths))
            continue
        _, added, deleted = unified_hunks(before, after, whitespace=whitespace) \
            if before != after else (b"", 0, 0)
        if added or deleted or not (whitespace and _plain_change(p)):
            stats.append(FileStat(name, added, deleted, paths=paths))
    return stats


def format_numstat(stats: list[FileStat], null: bool = False) -> str:
    """git's --numstat: added, deleted ("-" for binary files) and the name, tab-separated;
    `null` (-z): the verbatim name ended by NUL, a rename as NUL, old, NUL, new, NUL."""
    out = []
    for s in stats:
        if s.unmerged:
            continue
        counts = "-\t-\t" if s.binary else f"{s.added}\t{s.deleted}\t"
        if not null:
            out.append(f"{counts}{s.name}\n")
        elif len(s.paths) == 1:
            out.append(f"{counts}{raw(s.paths[0])}\0")
        else:
            out.append(counts + "".join(f"\0{raw(path)}" for path in s.paths) + "\0")
    return "".join(out)


def _scale(value: int, width: int, max_change: int) -> int:
    return 0 if not value else 1 + value * (width - 1) // max_change


def format_summary(stats: list[FileStat]) -> str:
    """The " N files changed, X insertions(+), Y deletions(-)" line."""
    shown = [s for s in stats if not s.unmerged]
    if not shown:
        return " 0 files changed\n" if stats else ""
    adds = sum(s.added for s in shown if not s.binary)
    dels = sum(s.deleted for s in shown if not s.binary)
    files = len(shown)
    out = f" {files} file{'s' if files != 1 else ''} changed"
    if adds or dels == 0:
        out += f", {adds} insertion{'s' if adds != 1 else ''}(+)"
    if dels or adds == 0:
        out += f", {dels} deletion{'s' if dels != 1 else ''}(-)"
    return out + "\n"


def format_stat(stats: list[FileStat], width: int = 80) -> str:
    """git's --stat block: scaled +/- graph, long names shortened with "...", summary."""
    if not stats:
        return ""
    max_len = max(len(s.name) for s in stats)
    max_change, number_width, bin_width = 0, 0, 0
    for s in stats:
        if s.unmerged:
            bin_width = max(bin_width, 8)
        elif s.binary:
            bin_width = max(bin_width, 14 + len(str(s.added)) + len(str(s.deleted)))
            number_width = 3
        else:
            max_change = max(max_change, s.added + s.deleted)
    number_width = max(number_width, len(str(max_change)))
    width = max(width, 16 + 6 + number_width)
    graph_width = max_change if max_change + 4 > bin_width else bin_width - 4
    name_width = max_len
    if name_width + number_width + 6 + graph_width > width:
        if graph_width > width * 3 // 8 - number_width - 6:
            graph_width = max(width * 3 // 8 - number_width - 6, 6)
        if name_width > width - number_width - 6 - graph_width:
            name_width = width - number_width - 6 - graph_width
        else:
            graph_width = width - number_width - 6 - name_width
    lines = []
    for s in stats:
        name, prefix, length = s.name, "", name_width
        if name_width < len(name):
            prefix, length = "...", name_width - 3
            name = name[len(name) - length:]
            slash = name.find("/")
            if slash >= 0:
                name = name[slash:]
        head = f" {prefix}{name:<{length}} |"
        if s.binary:
            body = f" {'Bin':>{number_width}}"
            if s.added or s.deleted:
                body += f" {s.deleted} -> {s.added} bytes"
            lines.append(head + body + "\n")
            continue
        if s.unmerged:
            lines.append(head + " Unmerged")  # git 2.39 prints no newline here
            continue
        add, dele = s.added, s.deleted
        if graph_width <= max_change:
            total = _scale(add + dele, graph_width, max_change)
            if total < 2 and add and dele:
                total = 2
            if add < dele:
                add = _scale(add, graph_width, max_change)
                dele = total - add
            else:
                dele = _scale(dele, graph_width, max_change)
                add = total - dele
        count = s.added + s.deleted
        lines.append(f"{head} {count:>{number_width}}{' ' if count else ''}"
                     f"{'+' * add}{'-' * dele}\n")
    return "".join(lines) + format_summary(stats)

