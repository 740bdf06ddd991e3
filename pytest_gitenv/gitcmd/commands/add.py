"""git add: paths, ., -A/--all, -u/--update, -f, -n, -v."""

from __future__ import annotations

import errno
import os
import re

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..index import IndexEntry
from ..options import Opt, OptionParser, Parsed
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import (
    compare_tracked,
    entry_from_worktree,
    ignore_manager,
    list_untracked,
    without_df_conflicts,
)

PARSER = OptionParser("add", [
    Opt("dry_run", "n", "dry-run"),
    Opt("verbose", "v", "verbose"),
    Opt("force", "f", "force"),
    Opt("update", "u", "update"),
    Opt("all", "A", "all"),
    Opt("intent", "N", "intent-to-add"),
    Opt("ignore_removal", None, "ignore-removal"),
    Opt("refresh", None, "refresh"),
    Opt("ignore_errors", None, "ignore-errors"),
    Opt("ignore_missing", None, "ignore-missing"),
    Opt("chmod", None, "chmod", "value"),
])

_EMPTY_HINT = ("Nothing specified, nothing added.\n"
               "hint: Maybe you wanted to say 'git add .'?\n"
               "hint: Turn this message off by running\n"
               'hint: "git config advice.addEmptyPathspec false"\n')
_IGNORED_HINT = ("hint: Use -f if you really want to add them.\n"
                 "hint: Turn this message off by running\n"
                 'hint: "git config advice.addIgnoredFile false"\n')


def _walk_files(repo: GitRepo, rel_dir: bytes) -> list[bytes]:
    """Every file/symlink under an (ignored) directory, for `add -f`."""
    found = []
    base = os.fsencode(repo.worktree)
    for dirpath, dirs, files in os.walk(os.path.join(base, rel_dir)):
        dirs[:] = [d for d in dirs if d != b".git"]
        rel = os.path.relpath(dirpath, base)
        found += [os.path.join(rel, f) for f in files]
        found += [os.path.join(rel, d) for d in dirs if os.path.islink(os.path.join(dirpath, d))]
    return found


def _names(spec: Pathspec, path: bytes) -> bool:
    """git's exclude_matches_pathspec: some pattern's literal part is `path` or lies inside it."""
    return any(literal == path or literal.startswith(path + b"/")
               for literal in (re.split(rb"[*?\[]", p, maxsplit=1)[0] for p in spec.patterns))


def _leading_path(repo: GitRepo, spec: Pathspec, force: bool) -> tuple[bool, list[bytes]]:
    """git's treat_leading_path over the pathspec's common directory: whether the untracked walk
    runs, and the ignored directory on the way when the pathspec names it (or something in it).
    A missing directory after existing ones is opened anyway: git's "could not open" warning."""
    common = spec.common_dir().rstrip(b"/")
    leading = [common[:i] for i in range(len(common) + 1) if i == len(common) or common[i] == 47]
    if not common:
        return True, []
    if any(os.path.islink(repo.abspath(p)) for p in leading):
        return False, []
    ignores = None if force else ignore_manager(repo)
    for n, path in enumerate(leading):
        full = repo.abspath(path)
        if not os.path.isdir(full):
            if n:
                reason = os.strerror(errno.ENOTDIR if os.path.lexists(full) else errno.ENOENT)
                repo.warnings.append(f"warning: could not open directory '{raw(common)}/': {reason}\n")
            return False, []
        if path.rsplit(b"/", 1)[-1] == b".git":
            return False, []
        if ignores is not None and ignores.is_ignored(path.decode(errors="surrogateescape") + "/"):
            return False, [path] if _names(spec, path) else []
    return True, []


def _ignores_removal(opts: Parsed) -> bool:
    """--no-all / --ignore-removal (the last of them and --all wins); -u always removes."""
    last = next((d for d in reversed(opts.order) if d in ("all", "ignore_removal")), None)
    if opts["update"] or last is None:
        return False
    return bool(opts["ignore_removal"]) if last == "ignore_removal" else opts["all"] is False


@command("add")
def add(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    PARSER.refuse(opts, "intent", "chmod", "refresh")
    if opts["all"] and opts["update"]:
        raise fatal("options '-A' and '-u' cannot be used together")
    if opts["ignore_missing"] and not opts["dry_run"]:
        raise fatal("the option '--ignore-missing' requires '--dry-run'")
    spec = Pathspec(repo, opts.args, ctx.cwd)
    if not spec and not (opts["all"] or opts["update"]):
        return CommandResult(0, "", _EMPTY_HINT)
    index = repo.index()
    entries = {(e.path, e.stage): e for e in index.entries}
    changed = compare_tracked(repo, index, spec.matches)
    unmerged = sorted({e.path for e in index.entries if e.stage and spec.matches(e.path)})
    to_add = set(changed.modified + changed.typechanged)
    to_remove = set() if _ignores_removal(opts) else set(changed.deleted)
    for path in unmerged:
        if os.path.lexists(repo.abspath(path)):
            to_add.add(path)
        else:
            to_remove.add(path)
    updates = to_add | to_remove  # tracked paths: git's add_files_to_cache reports these first
    ignored_named: list[bytes] = []
    walk = False
    if not opts["update"]:
        walk, ignored_named = _leading_path(repo, spec, bool(opts["force"]))
    if walk:
        found = list_untracked(repo, index, all_files=True, want_ignored=True,
                               within=spec.matches_dir, start=spec.common_dir())
        to_add.update(p for p in found.untracked if not p.endswith(b"/") and spec.matches(p))
        for path in found.ignored:
            inner = _walk_files(repo, path) if path.endswith(b"/") else [path]
            stripped = path.rstrip(b"/")
            if opts["force"]:
                to_add.update(p for p in inner if spec.matches(p))
            elif _names(spec, stripped):
                ignored_named.append(stripped)
    missing = [arg for arg, pattern in zip(spec.args, spec.patterns, strict=True)
               if pattern and arg in spec.unmatched()
               and not os.path.lexists(repo.abspath(pattern))]
    if missing and not opts["ignore_missing"]:
        raise GitError(f"fatal: pathspec '{missing[0]}' did not match any files\n", 128)
    out = []
    for path in sorted(updates) + sorted((to_add | to_remove) - updates):
        verb = "remove" if path in to_remove else "add"
        if opts["dry_run"] or opts["verbose"]:
            out.append(f"{verb} '{raw(path)}'\n")
        if opts["dry_run"]:
            continue
        for stage in (0, 1, 2, 3):
            entries.pop((path, stage), None)
        if path not in to_remove:
            entry: IndexEntry = entry_from_worktree(repo, path)
            entries[(path, 0)] = entry
    if not opts["dry_run"] and (to_add or to_remove or changed.refreshed):
        index.set_entries(without_df_conflicts(entries.values(), to_add - to_remove))
        repo.write_index(index)
    if ignored_named:
        names = "".join(f"{raw(p)}\n" for p in ignored_named)
        return CommandResult(1, "".join(out), "The following paths are ignored by one of your "
                             f".gitignore files:\n{names}{_IGNORED_HINT}")
    return CommandResult(0, "".join(out))
