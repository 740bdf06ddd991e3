"""Split command arguments into revisions and paths the way git's setup_revisions does."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import fatal
from .options import Parsed
from .paths import both_revision_and_filename, check_filename, looks_like_pathspec
from .repo import GitRepo
from .revisions import repeat_ambiguity_warning, resolve, unknown_revision


def _pathspec_magic(arg: str) -> bool:
    """":!x", ":(glob)x" and the like (a colon, then neither a letter/digit nor "/"): git's
    index-path lookup of such an argument fails quietly, so it is taken as a path."""
    return len(arg) > 1 and arg[0] == ":" and not arg[1].isalnum() and arg[1] != "/"


def is_revision(repo: GitRepo, arg: str) -> bool:
    """True if `arg` names a revision or a range (A..B, A...B, ^A)."""
    if _pathspec_magic(arg):
        return False
    for sep in ("...", ".."):
        if sep in arg and not arg.startswith(":"):
            left, right = arg.split(sep, 1)
            return all(resolve(repo, side or "HEAD") is not None for side in (left, right))
    if arg.startswith("^"):
        return resolve(repo, arg[1:]) is not None
    return resolve(repo, arg) is not None


@dataclass
class RevArgs:
    revs: list[str]
    paths: list[str]


def split_args(repo: GitRepo, parsed: Parsed) -> RevArgs:
    """Revisions first, then paths; without `--` every path must exist in the worktree."""
    revs: list[str] = []
    paths: list[str] = []
    cwd = repo.ctx.cwd if repo.ctx else repo.worktree
    before = parsed.before_dashdash()
    for i, arg in enumerate(before):
        if is_revision(repo, arg):
            if parsed.dashdash is None and os.path.lexists(os.path.join(cwd, arg)):
                raise both_revision_and_filename(arg)
            if arg.lstrip("^") in (r.lstrip("^") for r in revs):  # git warns at every lookup
                repeat_ambiguity_warning(repo, arg.lstrip("^"))
            revs.append(arg)
            continue
        if parsed.dashdash is None and not arg.startswith("^"):  # "^X" is never a path
            for path in before[i:]:  # git's verify_filename
                if not (looks_like_pathspec(path) or check_filename(repo.worktree, cwd, path)):
                    raise unknown_revision(path, repo)
            paths = before[i:]
            break
        raise fatal(f"bad revision '{arg}'")
    return RevArgs(revs, paths + parsed.after_dashdash())
