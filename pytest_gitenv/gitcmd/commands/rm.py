"""git rm: paths, --cached, -r, -f, -n, -q, with git's local-modification refusals."""

from __future__ import annotations

import os

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..paths import raw
from ..pathspec import Pathspec
from ..registry import command
from ..repo import GitRepo
from ..worktree import GITLINK, entry_state

PARSER = OptionParser("rm", [
    Opt("dry_run", "n", "dry-run"),
    Opt("quiet", "q", "quiet"),
    Opt("cached", None, "cached"),
    Opt("force", "f", "force"),
    Opt("recursive", "r", None),
    Opt("ignore_unmatch", None, "ignore-unmatch"),
    Opt("sparse", None, "sparse"),
])

_BOTH = ("the following file has staged content different from both the\nfile and the HEAD:",
         "the following files have staged content different from both the\nfile and the HEAD:",
         "(use -f to force removal)")
_CACHED = ("the following file has changes staged in the index:",
           "the following files have changes staged in the index:",
           "(use --cached to keep the file, or -f to force removal)")
_LOCAL = ("the following file has local modifications:",
          "the following files have local modifications:",
          "(use --cached to keep the file, or -f to force removal)")


def _refusal(kind: tuple[str, str, str], paths: list[bytes]) -> str:
    head = kind[0] if len(paths) == 1 else kind[1]
    listing = "".join(f"\n    {raw(p)}" for p in paths)
    return f"error: {head}{listing}\n{kind[2]}\n"


@command("rm")
def rm(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    opts = PARSER.parse(args)
    if not opts.args:
        raise fatal("No pathspec was given. Which files should I remove?")
    spec = Pathspec(repo, opts.args, ctx.cwd)
    index = repo.index()
    chosen = sorted({e.path for e in index.entries if spec.matches(e.path)})
    for arg, pattern in zip(spec.args, spec.patterns, strict=True):
        if arg in spec.unmatched() and not opts["ignore_unmatch"]:
            raise fatal(f"pathspec '{arg}' did not match any files")
        if not opts["recursive"] and any(p.startswith(pattern + b"/") for p in chosen) \
                and pattern not in chosen:
            raise fatal(f"not removing '{arg}' recursively without -r")
    if not opts["force"]:
        _check_local_changes(repo, chosen, opts["cached"])
    lines = [] if opts["quiet"] else [f"rm '{raw(p)}'\n" for p in chosen]
    if not opts["dry_run"] and not opts["cached"]:
        entries = index.by_path()
        for path in chosen:
            full = repo.abspath(path)
            is_file_entry = path in entries and entries[path].mode != GITLINK
            if is_file_entry and os.path.isdir(full) and not os.path.islink(full):
                raise GitError(f"fatal: git rm: '{raw(path)}': Is a directory\n", 128,
                               "".join(lines))
    if not opts["dry_run"]:
        index.set_entries(e for e in index.entries if e.path not in set(chosen))
        repo.write_index(index)
        if not opts["cached"]:
            for path in chosen:
                repo.remove_file(path)
    return CommandResult(0, "".join(lines))


def _check_local_changes(repo: GitRepo, paths: list[bytes], cached: bool) -> None:
    head = repo.commit_tree_items(repo.head_sha())
    entries = repo.index().by_path()
    both: list[bytes] = []
    staged: list[bytes] = []
    local: list[bytes] = []
    for path in paths:
        entry = entries.get(path)
        if entry is None:
            continue  # unmerged: git removes it without complaint
        state, _ = entry_state(repo, entry)
        worktree_changed = state not in ("clean", "refresh", "deleted")
        in_head = head.get(path)
        index_changed = in_head is None or in_head != (entry.mode, entry.sha)
        if index_changed and worktree_changed:
            both.append(path)
        elif cached:
            continue
        elif index_changed:
            staged.append(path)
        elif worktree_changed:
            local.append(path)
    message = "".join(_refusal(kind, paths) for kind, paths in
                      ((_BOTH, both), (_CACHED, staged), (_LOCAL, local)) if paths)
    if message:
        raise GitError(message, 1)
