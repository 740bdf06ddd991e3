"""Three-way merge of trees into the index and worktree, as git's "ort" strategy reports it.

Per path: unchanged sides resolve trivially; changes on both sides are merged line by
line (conflicts get markers and index stages 1/2/3); modify/delete leaves the modified
version; a file where the other side has a directory moves to "<path>~<side>"; renames
against deletions or other renames conflict. Messages ("Auto-merging f", "CONFLICT
(content): ...") come out sorted by path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from . import deadline
from .errors import GitError, fatal
from .index import IndexEntry, IndexFile
from .options import not_supported
from .paths import quote_path
from .renames import find_renames
from .repo import GitRepo
from .switching import check_two_way, hard_reset, merge_reset
from .worktree import entry_state, tracked_dirs
from .xmerge import FAVOR_OURS, FAVOR_THEIRS, merge_content

TreeItems = dict[bytes, tuple[int, bytes]]
_OTHER_STRATEGY_OPTIONS = frozenset((
    "subtree", "patience", "histogram", "diff-algorithm", "ignore-space-change",
    "ignore-all-space", "ignore-space-at-eol", "ignore-cr-at-eol", "renormalize",
    "no-renormalize", "find-renames", "rename-threshold", "no-renames"))
Item = tuple[int, bytes] | None


@dataclass
class MergeOutcome:
    """The merged index (with conflict stages), worktree writes and ort's messages."""

    result: TreeItems = field(default_factory=dict)  # clean stage-0 entries
    stages: dict[bytes, tuple[Item, Item, Item]] = field(default_factory=dict)
    worktree: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)  # conflicted files
    messages: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.stages


def _blob(repo: GitRepo, item: Item) -> bytes:
    return repo.blob_data(item[1]) if item else b""


def _merge_mode(base: Item, ours: tuple[int, bytes], theirs: tuple[int, bytes]) -> int:
    if base is not None and ours[0] == base[0]:
        return theirs[0]
    return ours[0]


def _path_merge(repo: GitRepo, out: MergeOutcome, path: bytes, base: Item, ours: Item,
                theirs: Item, labels: tuple[str, str], favor: int) -> None:
    name = quote_path(path)
    if ours is not None and theirs is not None:
        out.messages.append(f"Auto-merging {name}\n")
        merged = merge_content(_blob(repo, base), _blob(repo, ours), _blob(repo, theirs),
                               *labels, favor)
        mode = _merge_mode(base, ours, theirs)
        if merged.conflicts == 0:
            out.result[path] = (mode, repo.hash_blob(merged.data, write=True))
            return
        kind = "content" if base is not None else "add/add"
        out.messages.append(f"CONFLICT ({kind}): Merge conflict in {name}\n")
        out.stages[path] = (base, ours, theirs)
        out.worktree[path] = (mode, merged.data)
        return
    assert base is not None
    if ours is None:
        assert theirs is not None
        out.messages.append(f"CONFLICT (modify/delete): {name} deleted in {labels[0]} and "
                            f"modified in {labels[1]}.  Version {labels[1]} of {name} left "
                            "in tree.\n")
        out.worktree[path] = theirs[0], _blob(repo, theirs)
    else:
        out.messages.append(f"CONFLICT (modify/delete): {name} deleted in {labels[1]} and "
                            f"modified in {labels[0]}.  Version {labels[0]} of {name} left "
                            "in tree.\n")
    out.stages[path] = (base, ours, theirs)


def _renames(repo: GitRepo, base: TreeItems, side: TreeItems) -> dict[bytes, bytes]:
    """base path -> new path for files one side renamed (git's rename detection)."""
    deleted = {p: item for p, item in base.items() if p not in side}
    added = {p: item for p, item in side.items() if p not in base}
    if not deleted or not added:
        return {}
    return {src: dst for src, dst, _score in find_renames(deleted, added, repo.blob_data)}


Triple = tuple[Item, Item, Item, tuple[str, str]]


def _rename_triples(base: TreeItems, ours: TreeItems, theirs: TreeItems, labels: tuple[str, str],
                    ours_moves: dict[bytes, bytes], theirs_moves: dict[bytes, bytes]
                    ) -> tuple[dict[bytes, Triple], set[bytes]]:
    """For files renamed on one side only: result path -> (base, ours, theirs, labels), and
    the old paths. The content merges at the new path and conflict markers name both paths,
    as ort does."""
    triples: dict[bytes, Triple] = {}
    old_paths: set[bytes] = set()
    for old, new in theirs_moves.items():
        if old not in ours_moves and old in ours and new not in ours:
            triples[new] = (base[old], ours[old], theirs[new],
                            (f"{labels[0]}:{quote_path(old)}", f"{labels[1]}:{quote_path(new)}"))
            old_paths.add(old)
    for old, new in ours_moves.items():
        if old not in theirs_moves and old in theirs and new not in theirs:
            triples[new] = (base[old], ours[new], theirs[old],
                            (f"{labels[0]}:{quote_path(new)}", f"{labels[1]}:{quote_path(old)}"))
            old_paths.add(old)
    return triples, old_paths


def strategy_favor(command: str, options: list[str] | None) -> int:
    """The xmerge favor for -X ours/theirs; git's error for options it does not know."""
    favor = 0
    for option in options or []:
        if option in ("ours", "theirs"):
            favor = FAVOR_OURS if option == "ours" else FAVOR_THEIRS
        elif option.split("=")[0] in _OTHER_STRATEGY_OPTIONS:
            raise not_supported(command, f"-X{option}")
        else:
            raise fatal(f"unknown strategy option: -X{option}")
    return favor


def merge_trees(repo: GitRepo, base: TreeItems, ours: TreeItems, theirs: TreeItems,
                labels: tuple[str, str], favor: int = 0) -> MergeOutcome:
    """Merge `theirs` into `ours` relative to `base` (flat path -> (mode, raw sha) maps);
    `favor` resolves content conflicts to one side (-X ours/theirs)."""
    out = MergeOutcome()
    by_path: dict[bytes, list[str]] = {}
    ours_moves, theirs_moves = _renames(repo, base, ours), _renames(repo, base, theirs)
    triples, moved = _rename_triples(base, ours, theirs, labels, ours_moves, theirs_moves)
    moved |= _rename_conflicts(repo, out, by_path, (base, ours, theirs), labels, (ours_moves, theirs_moves))
    for n, path in enumerate(sorted(set(base) | set(ours) | set(theirs))):
        if n % 512 == 0:
            deadline.check()
        if path in moved and path not in triples:
            continue  # the old name of a renamed file: merged at its new path
        b, o, t, path_labels = triples.get(path) or (
            base.get(path), ours.get(path), theirs.get(path), labels)
        if o == t or b == t:
            if o is not None:
                out.result[path] = o
        elif b == o:
            if t is not None:
                out.result[path] = t
        else:
            before = len(out.messages)
            _path_merge(repo, out, path, b, o, t, path_labels, favor)
            by_path[path] = out.messages[before:]
    _file_directory_conflicts(repo, out, by_path, (base, ours, theirs), labels, favor)
    out.messages = [m for path in sorted(by_path) for m in by_path[path]]
    return out


def _rename_conflicts(repo: GitRepo, out: MergeOutcome, by_path: dict[bytes, list[str]],
                      trees: tuple[TreeItems, TreeItems, TreeItems], labels: tuple[str, str],
                      moves: tuple[dict[bytes, bytes], dict[bytes, bytes]]) -> set[bytes]:
    """ort's rename/delete (one side renamed a file the other deleted) and rename/rename (both
    renamed it, differently): each name keeps its side's stage. Returns the paths settled."""
    base, ours, theirs = trees
    settled: set[bytes] = set()
    for side, (mine, other) in enumerate(((moves[0], moves[1]), (moves[1], moves[0]))):
        renamed_tree, other_tree = (ours, theirs) if side == 0 else (theirs, ours)
        for old, new in mine.items():
            if old in other and side == 0 and other[old] != new:  # renamed both ways
                by_path[old] = [f"CONFLICT (rename/rename): {quote_path(old)} renamed to {quote_path(new)} in "
                                f"{labels[0]} and to {quote_path(other[old])} in {labels[1]}.\n"]
                out.stages[old] = (base[old], None, None)
                out.stages[new] = (None, ours[new], None)
                out.stages[other[old]] = (None, None, theirs[other[old]])
                out.worktree[other[old]] = theirs[other[old]][0], _blob(repo, theirs[other[old]])
                settled |= {old, new, other[old]}
            elif old not in other and old not in other_tree and new not in other_tree:
                item = renamed_tree[new]
                sides = (item, None) if side == 0 else (None, item)
                before = len(out.messages)
                if item != base[old]:  # renamed and changed: a modify/delete at the new name too
                    _path_merge(repo, out, new, base[old], *sides, labels, 0)
                by_path[old] = [f"CONFLICT (rename/delete): {quote_path(old)} renamed to {quote_path(new)} in "
                                f"{labels[side]}, but deleted in {labels[1 - side]}.\n", *out.messages[before:]]
                out.stages[new] = (base[old], *sides)
                if side == 1:
                    out.worktree[new] = item[0], _blob(repo, item)
                settled |= {old, new}
    return settled


def _file_directory_conflicts(repo: GitRepo, out: MergeOutcome, by_path: dict[bytes, list[str]],
                              trees: tuple[TreeItems, TreeItems, TreeItems], labels: tuple[str, str],
                              favor: int) -> None:
    """A file left where the other side put a directory moves to "<path>~<side>" with its
    side's stage, as ort's "CONFLICT (file/directory)" does; a modify/delete goes along."""
    base, ours, theirs = trees
    paths = set(out.result) | set(out.stages)
    directories = tracked_dirs(paths)
    for path in sorted(paths & directories):
        side = 0 if ours.get(path) is not None and theirs.get(path) is None else 1
        item = (ours, theirs)[side][path]
        new = path + b"~" + labels[side].replace("/", "_").encode()
        for table in (out.result, out.stages, out.worktree):
            table.pop(path, None)
        messages = [f"CONFLICT (file/directory): directory in the way of {quote_path(path)} from "
                    f"{labels[side]}; moving it to {quote_path(new)} instead.\n"]
        before = len(out.messages)
        sides = (item, None) if side == 0 else (None, item)
        if base.get(path) is not None:
            _path_merge(repo, out, new, base[path], *sides, labels, favor)
        by_path[path] = messages + out.messages[before:]
        out.stages[new] = (base.get(path), *sides)
        out.worktree[new] = item[0], _blob(repo, item)


def staged_paths(index: IndexFile, head: TreeItems) -> list[bytes]:
    """Paths where the index differs from HEAD's tree (git's repo_index_has_changes)."""
    staged = {e.path: (e.mode, e.sha) for e in index.entries if e.stage == 0}
    unmerged = {e.path for e in index.entries if e.stage}
    return sorted(p for p in set(staged) | set(head) | unmerged
                  if p in unmerged or staged.get(p) != head.get(p))


def check_worktree(repo: GitRepo, index: IndexFile, ours: TreeItems, outcome: MergeOutcome) -> None:
    """Refuse (git's text, exit 2) when writing the merge result would lose local changes
    or untracked files: ort checks out its result tree, conflicted files with their
    markers, over `ours` as a two-way switch does (git's unpack-trees, verb "merge")."""
    result = dict(outcome.result)
    for path in outcome.stages:
        if path in outcome.worktree:
            mode, data = outcome.worktree[path]
            result[path] = (mode, repo.hash_blob(data))
        elif path in ours:
            result[path] = ours[path]
    try:
        check_two_way(repo, ours, result, index, "merge")
    except GitError as err:
        raise GitError(err.stderr, 2) from None


def apply_merge(repo: GitRepo, index: IndexFile, ours: TreeItems,
                outcome: MergeOutcome) -> IndexFile:
    """Write the merged index (stages for conflicts) and update the worktree."""
    old = {e.path: e for e in index.entries if e.stage == 0}
    entries: list[IndexEntry] = []
    for path in ours:  # removals first: a directory may take a removed file's place
        if path not in outcome.result and path not in outcome.stages:
            repo.remove_file(path)
    for path, item in outcome.result.items():
        current = old.get(path)
        if ours.get(path) == item and current is not None and current.sha == item[1]:
            entries.append(current)
        else:
            entries.append(repo.checkout_entry(path, item[0], item[1]))
    for path, stages in outcome.stages.items():
        for stage, side in enumerate(stages, start=1):
            if side is None:
                continue
            entry = IndexEntry(path, side[1], side[0], stage=stage)
            kept = old.get(path)
            if stage == 2 and path not in outcome.worktree and kept is not None:
                entry = replace(kept, stage=2)  # our file stays: git keeps its (refreshed) stat
                if entry_state(repo, kept)[0] == "refresh":
                    entry.refresh_stat(os.lstat(repo.abspath(path)))
            entries.append(entry)
        if path in outcome.worktree:
            mode, data = outcome.worktree[path]
            repo.write_file(path, data, mode)
    merged = IndexFile(extensions=index.extensions)
    merged.set_entries(entries)
    repo.write_index(merged)
    return merged



def reset_hard_to_head(repo: GitRepo, target: str = "HEAD", commit: str | None = None,
                       keep_local: bool = False) -> None:
    """`git reset --hard <target>` (what stash push runs) or, with `keep_local`, `git reset
    --merge` (merge/cherry-pick --abort: unstaged changes to other files survive); also
    ORIG_HEAD and the "reset: moving to" reflog; `commit` moves HEAD."""
    head = repo.head_sha()
    assert head is not None
    new = commit or head
    new_items = repo.commit_tree_items(new)
    index = repo.index()
    if keep_local:
        repo.write_index(merge_reset(repo, new_items, index, target))
    else:
        repo.write_index(hard_reset(repo, new_items, index))
    record_reset(repo, head, new, target)


def record_reset(repo: GitRepo, head: str, new: str, target: str = "HEAD") -> None:
    """What any `git reset` leaves besides index and worktree: ORIG_HEAD, the moved HEAD and
    its "reset: moving to <target>" reflog entry."""
    (repo.git_dir / "ORIG_HEAD").write_text(head + "\n")
    if new != head:
        repo.update_ref("HEAD", new, f"reset: moving to {target}")
    elif repo.head_target() is not None:  # git logs an unchanged HEAD only through its branch
        repo.append_reflog("HEAD", head, head, f"reset: moving to {target}")
