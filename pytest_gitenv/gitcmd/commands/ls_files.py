"""git ls-files: cached (default), -s, -m, -d, -o [--exclude-standard, -x, --directory], -i, -u, -z, pathspecs."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ..context import CommandContext, CommandResult
from ..errors import fatal
from ..index import IndexEntry
from ..options import Opt, OptionParser, Parsed
from ..paths import display, is_repository
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import compare_tracked, tracked_dirs
from .clean import children, exclusion_test

Excluded = Callable[[bytes, bool], bool]

_PARSER = OptionParser("ls-files", (
    Opt("cached", "c", "cached"), Opt("stage", "s", "stage"), Opt("modified", "m", "modified"),
    Opt("deleted", "d", "deleted"), Opt("others", "o", "others"), Opt("unmerged", "u", "unmerged"),
    Opt("exclude_standard", None, "exclude-standard"), Opt("directory", None, "directory"),
    Opt("full_name", None, "full-name"), Opt("error_unmatch", None, "error-unmatch"),
    Opt("nul", "z", None), Opt("no_empty_directory", None, "no-empty-directory", negatable=False),
    Opt("ignored", "i", "ignored"), Opt("exclude", "x", "exclude", "list"),
))


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _holds_files(root: bytes, rel_dir: bytes, excluded: Excluded | None) -> bool:
    """Is there a file (not excluded, with `excluded`) anywhere below `rel_dir`?"""
    for dirpath, dirs, files in os.walk(os.path.join(root, rel_dir)):
        rel = os.path.relpath(dirpath, root) + b"/"
        if excluded is not None:
            dirs[:] = [d for d in dirs if not excluded(rel + d, True)]
        if any(excluded is None or not excluded(rel + f, False) for f in files):
            return True
    return False


def _others(repo: GitRepo, tracked: set[bytes], excluded: Excluded | None, directories: bool,
            hide_empty: bool) -> list[bytes]:
    """Untracked files, optionally without excluded ones. Nested repositories, and with
    `directories` every untracked directory (empty ones too unless `hide_empty`), are listed
    as "dir/"."""
    holding_tracked = tracked_dirs(tracked)
    root = os.fsencode(repo.worktree)
    found: list[bytes] = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        prefix = b"" if rel_dir == b"." else rel_dir + b"/"
        dirs[:] = [d for d in dirs if d != b".git"]  # git never lists ".git", at any depth
        files = [f for f in files if f != b".git"]
        if excluded is not None:
            dirs[:] = [d for d in dirs if not excluded(prefix + d, True)]
        links = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        walked = []
        for name in dirs:
            path, full = prefix + name, os.path.join(dirpath, name)
            if name in links or path in holding_tracked or not (
                    directories or is_repository(full)):
                walked.append(name)
            elif path not in tracked and not (hide_empty and not _holds_files(root, path, excluded)):
                found.append(path + b"/")
        dirs[:] = [d for d in walked if d not in links]
        for name in files + links:
            path = prefix + name
            if path in tracked:
                continue
            if excluded is not None and excluded(path, False):
                continue
            found.append(path)
    return sorted(found)


@dataclass
class _IgnoredOthers:
    """`ls-files -o -i`: untracked paths the exclude rules match. With `directories` an excluded
    directory is one "dir/", and an untracked directory without untracked files but with
    something excluded inside is listed too, before its contents (git 2.39; with `hide_empty`
    only such directories holding files are, without their contents)."""

    root: bytes
    tracked: set[bytes]
    excluded: Excluded
    directories: bool
    hide_empty: bool
    holding_tracked: set[bytes] = field(init=False)

    def __post_init__(self) -> None:
        self.holding_tracked = tracked_dirs(self.tracked)

    def scan(self, rel_dir: bytes) -> list[bytes]:
        found: list[bytes] = []
        for name, is_dir in children(self.root, rel_dir):
            path = rel_dir + name
            if not is_dir:
                found += [path] if path not in self.tracked and self.excluded(path, False) else []
            elif path in self.holding_tracked:
                found += self.scan(path + b"/")
            elif self.excluded(path, True):
                found += self._excluded_dir(path)
            elif not is_repository(os.path.join(self.root, path)):
                found += self._untracked_dir(path)
        return found

    def _excluded_dir(self, path: bytes) -> list[bytes]:
        if not self.directories:
            return [os.path.join(os.path.relpath(d, self.root), f) for d, dirs, files
                    in os.walk(os.path.join(self.root, path))
                    for f in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]]
        return [path + b"/"] if not self.hide_empty or _holds_files(self.root, path, None) else []

    def _untracked_dir(self, path: bytes) -> list[bytes]:
        if not self.directories:
            return self.scan(path + b"/")
        if _holds_files(self.root, path, self.excluded):
            return [] if self.hide_empty else self.scan(path + b"/")
        if self.hide_empty:
            return [path + b"/"] if _holds_files(self.root, path, None) else []
        inner = self.scan(path + b"/")
        return [path + b"/", *inner] if inner else []


def _check_ignored_options(parsed: Parsed) -> None:
    """git's refusals for -i without -o/-c or without any exclude pattern."""
    if not parsed["ignored"]:
        return
    if not (parsed["others"] or parsed["cached"]):
        raise fatal("ls-files -i must be used with either -o or -c")
    if not (parsed["exclude_standard"] or parsed["exclude"]):
        raise fatal("ls-files --ignored needs some exclude pattern")


@command("ls-files")
def ls_files(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    """git's show_files(): untracked files first, then per index entry (every stage) the cached
    line, the deleted line and the modified line, each in -s format when -s or -u is given."""
    parsed = _PARSER.parse(args)
    _check_ignored_options(parsed)
    excluded = exclusion_test(repo, parsed["exclude"], bool(parsed["exclude_standard"])) \
        if parsed["exclude_standard"] or parsed["exclude"] else None
    prefix = b"" if parsed["full_name"] else repo.prefix(ctx.cwd)
    spec = Pathspec(repo, parsed.args or ["."], ctx.cwd)
    index = repo.index()
    stage_format = parsed["stage"] or parsed["unmerged"]
    show_cached = parsed["cached"] or stage_format or not any(
        parsed[k] for k in ("modified", "deleted", "others"))
    out: list[str] = []
    end = "\0" if parsed["nul"] else "\n"

    def emit(path: bytes, entry: IndexEntry | None = None) -> None:
        if spec.matches(path):
            head = f"{entry.mode:06o} {entry.hexsha.decode()} {entry.stage}\t" if entry and stage_format else ""
            out.append(head + display(path, prefix, verbatim=bool(parsed["nul"])) + end)

    if parsed["others"]:
        tracked = {e.path for e in index.entries}
        directories, hide_empty = bool(parsed["directory"]), bool(parsed["no_empty_directory"])
        if parsed["ignored"] and excluded is not None:
            root = os.fsencode(repo.worktree)
            others = sorted(_IgnoredOthers(root, tracked, excluded, directories, hide_empty).scan(b""))
        else:
            others = _others(repo, tracked, excluded, directories, hide_empty)
        for path in others:
            emit(path)
    changes = compare_tracked(repo, index, spec.matches) \
        if parsed["deleted"] or parsed["modified"] else None
    deleted = set(changes.deleted) if changes else set()
    changed = set(changes.modified) | set(changes.typechanged) if changes else set()
    for e in index.entries:
        if parsed["ignored"] and excluded is not None and not excluded(e.path, False):
            continue
        if show_cached and (not parsed["unmerged"] or e.stage):
            emit(e.path, e)
        if changes is None:
            continue
        st = _lstat(repo.abspath(e.path)) if e.stage else None
        missing = e.path in deleted or (e.stage and st is None)
        if parsed["deleted"] and missing:
            emit(e.path, e)
        if parsed["modified"] and (missing or (e.stage and st is not None and not e.stat_matches(st))
                                   or e.path in changed):
            emit(e.path, e)
    if parsed["error_unmatch"] and spec.unmatched():
        errors = "".join(f"error: pathspec '{arg}' did not match any file(s) known to git\n"
                         for arg in spec.unmatched())
        return CommandResult(1, "".join(out), errors + "Did you forget to 'git add'?\n")
    return CommandResult(0, "".join(out))
