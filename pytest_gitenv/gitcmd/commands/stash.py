"""git stash: push/save (-m), list, show (--stat/-p), apply, pop, drop, clear.

A stash is git's pair of commits: the index ("index on <branch>: ...") and the worktree
("WIP on <branch>: ..." with parents HEAD and the index commit), logged in refs/stash.
"""

from __future__ import annotations

import os
import re

from ..abbrev import abbreviate, abbreviator
from ..commits import new_commit
from ..context import CommandContext, CommandResult
from ..diffing import Blobs, tree_pairs
from ..diffopts import DIFF_OPTIONS, diff_context, diff_formats, render
from ..errors import GitError
from ..index import IndexEntry, IndexFile
from ..logformat import split_message
from ..options import Opt, OptionParser
from ..registry import command
from ..repo import GitRepo
from ..treemerge import apply_merge, check_worktree, merge_trees, reset_hard_to_head
from ..worktree import beyond_symlink, compare_tracked, entry_from_worktree, list_untracked
from .reset import remove_branch_state
from .status import status as status_command

STASH_REF = "refs/stash"
_PUSH = OptionParser("stash", (Opt("message", "m", "message", "value"),
                               Opt("quiet", "q", "quiet"), Opt("keep_index", "k", "keep-index"),
                               Opt("untracked", "u", "include-untracked")))
_SHOW = OptionParser("stash", DIFF_OPTIONS)
_APPLY = OptionParser("stash", (Opt("index", None, "index"), Opt("quiet", "q", "quiet")))
_NO_ENTRIES = GitError("No stash entries found.\n", 1)


def _entries(repo: GitRepo) -> list[tuple[str, str]]:
    """(commit id, message) of each stash, newest first."""
    return [(new, tail.partition("\t")[2]) for _old, new, tail in
            reversed(repo.read_reflog(STASH_REF))]


def _select(repo: GitRepo, args: list[str]) -> tuple[int, str, str]:
    """(position, display name, commit id) of the stash named by `args` (default: newest)."""
    entries = _entries(repo)
    if not entries:
        raise _NO_ENTRIES
    if not args:
        return 0, f"{STASH_REF}@{{0}}", entries[0][0]
    name = args[0]
    match = re.fullmatch(r"(?:stash)?@\{(\d+)\}|(\d+)", name)
    if match is None:
        raise GitError(f"error: {name} is not a valid reference\n", 1)
    n = int(match.group(1) or match.group(2))
    if n >= len(entries):
        raise GitError(f"error: stash@{{{n}}} is not a valid reference\n", 1)
    label = name if not name.isdigit() else f"stash@{{{n}}}"
    return n, label, entries[n][0]


def _push(args: list[str], repo: GitRepo) -> CommandResult:
    parsed = _PUSH.parse(args)
    head = repo.head_sha()
    if head is None:
        raise GitError("You do not have the initial commit yet\n", 1)
    index = repo.index()
    unmerged = sorted({e.path for e in index.entries if e.stage})
    if unmerged:
        return CommandResult(1, "".join(f"{p.decode(errors='replace')}: needs merge\n"
                                        for p in unmerged))
    head_tree = repo.commit(head).tree.decode()
    index_tree = repo.write_tree((e.path, e.mode, e.sha) for e in index.entries)
    changed = compare_tracked(repo, index)
    untracked = list_untracked(repo, index, all_files=True).untracked \
        if parsed["untracked"] else []
    if index_tree == head_tree and changed.is_clean() and not untracked:
        return CommandResult(0, "No local changes to save\n")
    entries = {e.path: e for e in index.entries}
    for path in changed.deleted:
        entries.pop(path, None)
    for path in changed.modified + changed.typechanged:
        entries[path] = entry_from_worktree(repo, path)
    indexed = {e.path for e in index.entries}
    for path in repo.commit_tree_items(head):  # removed from the index but still on disk
        if path not in indexed and os.path.lexists(repo.abspath(path)) \
                and not beyond_symlink(repo, path, {}):
            entries[path] = entry_from_worktree(repo, path)
    work_tree = repo.write_tree((e.path, e.mode, e.sha) for e in
                                sorted(entries.values(), key=lambda e: e.path))
    branch = repo.current_branch() or "(no branch)"
    base = f"{abbreviate(repo, head)} {split_message(repo.commit(head).message)[0]}"
    index_commit = new_commit(repo, index_tree, [head], f"index on {branch}: {base}\n")
    title = f"On {branch}: {parsed['message']}" if parsed["message"] else \
        f"WIP on {branch}: {base}"
    parents = [head, index_commit]
    if parsed["untracked"]:  # git records the (maybe empty) untracked tree whenever -u is given
        files = [entry_from_worktree(repo, path) for path in untracked]
        tree = repo.write_tree((e.path, e.mode, e.sha) for e in files)
        parents.append(new_commit(repo, tree, [], f"untracked files on {branch}: {base}\n"))
    stash = new_commit(repo, work_tree, parents, title)  # no trailing newline, like git
    repo.update_ref(STASH_REF, stash, title, force_log=True)
    reset_hard_to_head(repo)
    remove_branch_state(repo)  # like `git reset --hard`, the stash ends a merge or pick
    tracked_again = repo.commit_tree_items(head)  # `git clean` spares what reset re-tracked
    for path in untracked:
        if path not in tracked_again:
            repo.remove_file(path)
    if parsed["quiet"]:
        return CommandResult(0)
    return CommandResult(0, f"Saved working directory and index state {title}\n")


def _apply(repo: GitRepo, stash: str) -> tuple[bool, str]:
    """Merge the stash into the worktree; (clean, merge messages)."""
    commit = repo.commit(stash)
    base_sha, index_sha = (p.decode() for p in commit.parents[:2])
    head = repo.head_sha()
    assert head is not None
    base = repo.commit_tree_items(base_sha)
    ours = repo.commit_tree_items(head)
    outcome = merge_trees(repo, base, ours, repo.commit_tree_items(stash),
                          ("Updated upstream", "Stashed changes"))
    index = repo.index()
    check_worktree(repo, index, ours, outcome)
    merged = apply_merge(repo, index, ours, outcome)
    if outcome.clean:
        added = set(repo.commit_tree_items(index_sha)) - set(base)
        keep = [e for e in merged.entries if e.path in added or (
            ours.get(e.path) == (e.mode, e.sha))]
        kept = {e.path for e in keep}
        restored = IndexFile(extensions=merged.extensions)
        restored.set_entries(keep + [
            _entry(path, item) for path, item in ours.items() if path not in kept])
        repo.write_index(restored)
    unchanged = commit.tree == repo.commit(base_sha).tree
    return outcome.clean, "Already up to date.\n" if unchanged else "".join(outcome.messages)


def _restore_untracked(repo: GitRepo, files: dict[bytes, tuple[int, bytes]]) -> None:
    clashes = [p for p in files if os.path.lexists(repo.abspath(p))]
    if clashes:
        raise GitError("".join(f"{p.decode(errors='replace')} already exists, no checkout\n"
                               for p in clashes)
                       + "error: could not restore untracked files from stash\n", 1)
    for path, (mode, sha) in files.items():
        repo.write_file(path, repo.blob_data(sha), mode)


def _entry(path: bytes, item: tuple[int, bytes]) -> IndexEntry:
    return IndexEntry(path, item[1], item[0])


def _drop(repo: GitRepo, position: int, label: str, sha: str) -> str:
    lines = (repo.git_dir / "logs" / STASH_REF).read_text().splitlines(keepends=True)
    del lines[len(lines) - 1 - position]
    if lines:
        (repo.git_dir / "logs" / STASH_REF).write_text("".join(lines))
        repo._write_ref_file(STASH_REF, lines[-1].split(" ")[1])
    else:
        repo.delete_ref(STASH_REF)
    return f"Dropped {label} ({sha})\n"


@command("stash")
def stash(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    sub, rest = (args[0], args[1:]) if args and not args[0].startswith("-") else ("push", args)
    if sub == "save":
        sub, rest = "push", (["-m", " ".join(rest)] if rest else [])
    if sub == "push":
        return _push(rest, repo)
    if sub == "list":
        return CommandResult(0, "".join(f"stash@{{{i}}}: {msg}\n"
                                        for i, (_sha, msg) in enumerate(_entries(repo))))
    if sub == "clear":
        repo.delete_ref(STASH_REF)
        return CommandResult(0)
    if sub == "show":
        parsed = _SHOW.parse(rest)
        _, _, sha = _select(repo, parsed.args)
        commit = repo.commit(sha)
        pairs = tree_pairs(repo.objects, repo.commit(commit.parents[0].decode()).tree,
                           commit.tree)
        return CommandResult(0, render(pairs, diff_formats(parsed, ["stat"]),
                                       Blobs(repo.objects), abbreviator(repo),
                                       diff_context(parsed)))
    if sub in ("apply", "pop", "drop"):
        parsed = _APPLY.parse(rest)
        position, label, sha = _select(repo, parsed.args)
        if sub == "drop":
            return CommandResult(0, _drop(repo, position, label, sha))
        try:
            clean, messages = _apply(repo, sha)
            error = ""
        except GitError as err:  # refused before touching anything: status and the note follow
            if err.exit_code != 2:
                raise
            clean, messages, error = False, "", err.stderr
        parents = repo.commit(sha).parents
        if clean and len(parents) > 2:
            try:
                _restore_untracked(repo, repo.commit_tree_items(parents[2].decode()))
            except GitError as err:
                clean, error = False, err.stderr
        out = messages + status_command([], repo, ctx).stdout
        if not clean:
            kept = "The stash entry is kept in case you need it again.\n" if sub == "pop" else ""
            return CommandResult(1, out + kept, error)
        if sub == "pop":
            out += _drop(repo, position, label, sha)
        return CommandResult(0, out)
    raise GitError(f"error: unknown subcommand: {sub}\n", 129)
