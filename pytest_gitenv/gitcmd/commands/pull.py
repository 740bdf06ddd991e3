"""git pull [-q] [--ff-only|--no-rebase] [<remote> [<branch>]]: fetch, then merge FETCH_HEAD's branch.

Divergent histories without --no-rebase/--ff-only (or pull.rebase/pull.ff) stop with git
2.39's advice; --rebase is not supported here and says so.
"""

from __future__ import annotations

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..graph import is_ancestor
from ..registry import command
from ..remotes import short_url
from ..repo import GitRepo
from .fetch import MERGE, do_fetch
from .merge import merge

_DIVERGENT = (
    "hint: You have divergent branches and need to specify how to reconcile them.\n"
    "hint: You can do so by running one of the following commands sometime before\n"
    "hint: your next pull:\n"
    "hint: \n"
    "hint:   git config pull.rebase false  # merge\n"
    "hint:   git config pull.rebase true   # rebase\n"
    "hint:   git config pull.ff only       # fast-forward only\n"
    "hint: \n"
    "hint: You can replace \"git config\" with \"git config --global\" to set a default\n"
    "hint: preference for all repositories. You can also pass --rebase, --no-rebase,\n"
    "hint: or --ff-only on the command line to override the configured default per\n"
    "hint: invocation.\n"
    "fatal: Need to specify how to reconcile divergent branches.\n")


def _no_tracking(branch: str) -> GitError:
    return GitError("There is no tracking information for the current branch.\n"
                    "Please specify which branch you want to merge with.\n"
                    "See git-pull(1) for details.\n\n"
                    "    git pull <remote> <branch>\n\n"
                    "If you wish to set tracking information for this branch you can do so with:\n\n"
                    f"    git branch --set-upstream-to=origin/<branch> {branch}\n\n", 1)


def _relabel_reflog(repo: GitRepo, old_prefix: str, new_prefix: str) -> None:
    """Give the merge's reflog lines pull's action name, as git's GIT_REFLOG_ACTION does."""
    branch = repo.head_target()
    for name in ("HEAD", branch):
        path = repo.git_dir / "logs" / name if name else None
        if path is None or not path.is_file():
            continue
        lines = path.read_bytes().split(b"\n")
        if len(lines) >= 2 and b"\t" + old_prefix.encode() in lines[-2]:
            lines[-2] = lines[-2].replace(b"\t" + old_prefix.encode(), b"\t" + new_prefix.encode(), 1)
            path.write_bytes(b"\n".join(lines))


@command("pull")
def pull(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    flags = [a for a in args if a.startswith("-")]
    positional = [a for a in args if not a.startswith("-")]
    if "--rebase" in flags or "-r" in flags:
        raise fatal("pull --rebase is not supported in this environment; use fetch, then merge")
    mode = repo.config_get(("pull",), "ff")
    ff_only = "--ff-only" in flags or mode == "only"
    allow_merge = "--no-rebase" in flags or (repo.config_get(("pull",), "rebase") or "").lower() == "false"
    quiet = "-q" in flags or "--quiet" in flags
    rla = " ".join(["pull", *args])
    outcome = do_fetch(repo, ctx, (["-q"] if quiet else []) + positional, rla)
    err = outcome.stderr
    if outcome.exit_code:
        raise GitError(err, 1)
    merging = [u for u in outcome.updates if u.status == MERGE]
    branch = repo.current_branch()
    if not merging:
        if branch is None:
            raise GitError(err + "You are not currently on a branch.\nPlease specify which branch you want "
                           "to merge with.\nSee git-pull(1) for details.\n\n    git pull <remote> <branch>\n\n", 1)
        raise GitError(err + _no_tracking(branch).stderr, 1)
    target = merging[0].sha
    head = repo.head_sha()
    if head is not None and not is_ancestor(repo, head, target) and not is_ancestor(repo, target, head):
        if ff_only:
            raise GitError(err + "fatal: Not possible to fast-forward, aborting.\n", 128)
        if not allow_merge:
            raise GitError(err + _DIVERGENT, 128)
    kind, what = ("branch", merging[0].remote.removeprefix("refs/heads/")) \
        if merging[0].remote.startswith("refs/heads/") else ("", merging[0].remote)
    message = f"Merge {kind} '{what}' of {short_url(outcome.url)}".replace("Merge  ", "Merge ")
    if branch not in (None, "main", "master"):
        message += f" into {branch}"
    result = merge((["-q"] if quiet else []) + ["-m", message, target], repo, ctx)
    _relabel_reflog(repo, f"merge {target}:", f"{rla}:")
    return CommandResult(result.exit_code, result.stdout, err + result.stderr)
