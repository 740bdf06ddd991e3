"""Branch headline texts: upstream ahead/behind lines and the detached-HEAD description."""

from __future__ import annotations

from .graph import ahead_behind
from .repo import GitRepo
from .revisions import dwim_ref, shorten_ref, upstream_ref


def _plural(n: int) -> str:
    return "commit" if n == 1 else "commits"


def upstream_state(repo: GitRepo, branch: str) -> tuple[str, int, int] | tuple[str, None, None]:
    """(upstream short name, ahead, behind); ahead/behind None when the upstream is gone."""
    up = upstream_ref(repo, branch)
    if up is None:
        return "", None, None
    up_sha = repo.resolve_ref(up)
    if up_sha is None:
        return shorten_ref(repo, up), None, None
    local = repo.resolve_ref(f"refs/heads/{branch}")
    if local is None:
        return shorten_ref(repo, up), 0, 0
    ahead, behind = ahead_behind(repo, local, up_sha)
    return shorten_ref(repo, up), ahead, behind


def tracking_text(repo: GitRepo, branch: str | None) -> str:
    """git's "Your branch is ..." paragraph (with hints), or "" without an upstream."""
    if branch is None:
        return ""
    name, ahead, behind = upstream_state(repo, branch)
    if not name:
        return ""
    if ahead is None or behind is None:
        return (f"Your branch is based on '{name}', but the upstream is gone.\n"
                '  (use "git branch --unset-upstream" to fixup)\n')
    if not ahead and not behind:
        return f"Your branch is up to date with '{name}'.\n"
    if not behind:
        return (f"Your branch is ahead of '{name}' by {ahead} {_plural(ahead)}.\n"
                '  (use "git push" to publish your local commits)\n')
    if not ahead:
        return (f"Your branch is behind '{name}' by {behind} {_plural(behind)}, "
                "and can be fast-forwarded.\n"
                '  (use "git pull" to update your local branch)\n')
    return (f"Your branch and '{name}' have diverged,\n"
            f"and have {ahead} and {behind} different commits each, respectively.\n"
            '  (use "git pull" to merge the remote branch into yours)\n')


def short_branch_line(repo: GitRepo) -> str:
    """The `## ...` header of `git status -sb`."""
    branch = repo.current_branch()
    if branch is None:
        return "## HEAD (no branch)\n"
    if repo.head_sha() is None:
        return f"## No commits yet on {branch}\n"
    name, ahead, behind = upstream_state(repo, branch)
    if not name:
        return f"## {branch}\n"
    if ahead is None or behind is None:
        return f"## {branch}...{name} [gone]\n"
    counts = ", ".join(part for part in (f"ahead {ahead}" if ahead else "",
                                         f"behind {behind}" if behind else "") if part)
    return f"## {branch}...{name}" + (f" [{counts}]" if counts else "") + "\n"


def detached_headline(repo: GitRepo) -> str:
    """ "HEAD detached at X" / "HEAD detached from X", X from the last checkout in the reflog."""
    head = repo.head_sha() or ""
    for _old, new, tail in reversed(repo.read_reflog("HEAD")):
        message = tail.partition("\t")[2]
        if not message.startswith("checkout: moving from "):
            continue
        target = message.rsplit(" to ", 1)[1]
        ref = dwim_ref(repo, target)
        peeled = repo.peel(repo.resolve_ref(ref) or "").id.decode() if ref else None
        if ref and ref != "HEAD" and peeled == new:
            label = ref.removeprefix("refs/tags/").removeprefix("refs/remotes/")
        else:
            label = new[:7]
        return f"HEAD detached {'at' if new == head else 'from'} {label}"
    return "Not currently on any branch."
