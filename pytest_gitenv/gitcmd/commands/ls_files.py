"""git ls-files: cached (default), -s, -m, -d, -o [--exclude-standard, --directory], -u, -z, pathspecs."""

from __future__ import annotations

import os

from dulwich.ignore import IgnoreFilterManager

from ..context import CommandContext, CommandResult
from ..index import IndexEntry
from ..options import Opt, OptionParser
from ..paths import display, is_repository
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import compare_tracked, ignore_manager, tracked_dirs

_PARSER = OptionParser("ls-files", (
    Opt("cached", "c", "cached"), Opt("stage", "s", "stage"), Opt("modified", "m", "modified"),
    Opt("deleted", "d", "deleted"), Opt("others", "o", "others"), Opt("unmerged", "u", "unmerged"),
    Opt("exclude_standard", None, "exclude-standard"), Opt("directory", None, "directory"),
    Opt("full_name", None, "full-name"), Opt("error_unmatch", None, "error-unmatch"),
    Opt("nul", "z", None), Opt("no_empty_directory", None, "no-empty-directory", negatable=False),
))


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _holds_files(root: bytes, rel_dir: bytes, ignores: IgnoreFilterManager | None) -> bool:
    """Is there a file (not ignored, with `ignores`) anywhere below `rel_dir`?"""
    def ignored(rel: bytes, is_dir: bool) -> bool:
        name = rel.decode(errors="surrogateescape") + ("/" if is_dir else "")
        return ignores is not None and bool(ignores.is_ignored(name))

    for dirpath, dirs, files in os.walk(os.path.join(root, rel_dir)):
        rel = os.path.relpath(dirpath, root) + b"/"
        dirs[:] = [d for d in dirs if not ignored(rel + d, True)]
        if any(not ignored(rel + f, False) for f in files):
            return True
    return False


def _others(repo: GitRepo, tracked: set[bytes], exclude_standard: bool, directories: bool,
            hide_empty: bool) -> list[bytes]:
    """Untracked files, optionally without ignored ones. Nested repositories, and with
    `directories` every untracked directory (empty ones too unless `hide_empty`), are listed
    as "dir/"."""
    ignores = ignore_manager(repo) if exclude_standard else None
    holding_tracked = tracked_dirs(tracked)
    root = os.fsencode(repo.worktree)
    found: list[bytes] = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        prefix = b"" if rel_dir == b"." else rel_dir + b"/"
        dirs[:] = [d for d in dirs if d != b".git"]  # git never lists ".git", at any depth
        files = [f for f in files if f != b".git"]
        if ignores is not None:
            dirs[:] = [d for d in dirs if not ignores.is_ignored(
                (prefix + d).decode(errors="surrogateescape") + "/")]
        links = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        walked = []
        for name in dirs:
            path, full = prefix + name, os.path.join(dirpath, name)
            if name in links or path in holding_tracked or not (
                    directories or is_repository(full)):
                walked.append(name)
            elif path not in tracked and not (hide_empty and not _holds_files(root, path, ignores)):
                found.append(path + b"/")
        dirs[:] = [d for d in walked if d not in links]
        for name in files + links:
            path = prefix + name
            if path in tracked:
                continue
            if ignores is not None and ignores.is_ignored(path.decode(errors="surrogateescape")):
                continue
            found.append(path)
    return sorted(found)


@command("ls-files")
def ls_files(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    """git's show_files(): untracked files first, then per index entry (every stage) the cached
    line, the deleted line and the modified line, each in -s format when -s or -u is given."""
    parsed = _PARSER.parse(args)
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
        for path in _others(repo, tracked, bool(parsed["exclude_standard"]), bool(parsed["directory"]),
                            bool(parsed["no_empty_directory"])):
            emit(path)
    changes = compare_tracked(repo, index, spec.matches) \
        if parsed["deleted"] or parsed["modified"] else None
    for e in index.entries:
        if show_cached and (not parsed["unmerged"] or e.stage):
            emit(e.path, e)
        if changes is None:
            continue
        st = _lstat(repo.abspath(e.path)) if e.stage else None
        missing = e.path in changes.deleted or (e.stage and st is None)
        if parsed["deleted"] and missing:
            emit(e.path, e)
        if parsed["modified"] and (missing or (e.stage and st is not None and not e.stat_matches(st))
                                   or e.path in changes.modified or e.path in changes.typechanged):
            emit(e.path, e)
    if parsed["error_unmatch"] and spec.unmatched():
        errors = "".join(f"error: pathspec '{arg}' did not match any file(s) known to git\n"
                         for arg in spec.unmatched())
        return CommandResult(1, "".join(out), errors + "Did you forget to 'git add'?\n")
    return CommandResult(0, "".join(out))
