"""git rev-parse: revisions to ids, --verify, --short, --abbrev-ref, --show-toplevel & co."""

from __future__ import annotations

import os

from ..abbrev import abbreviate
from ..context import CommandContext, CommandResult
from ..errors import GitError
from ..graph import merge_bases
from ..registry import command
from ..repo import GitRepo
from ..revisions import (
    dwim_ref,
    is_ambiguous,
    previous_branch,
    repeat_ambiguity_warning,
    resolve,
    shorten_ref,
    unknown_revision,
    upstream_ref,
)

_NEEDED = GitError("fatal: Needed a single revision\n", 128)


def _symbolic(repo: GitRepo, spec: str) -> str | None:
    """The full ref name `spec` stands for (HEAD, @{upstream} and @{-n} followed), or None
    for other revisions."""
    if spec in ("HEAD", "@"):
        return repo.head_target() or "HEAD"
    base, at, selector = spec.partition("@{")
    if at and selector.endswith("}"):
        selector = selector[:-1]
        if selector in ("u", "upstream", "push"):
            branch = base or repo.current_branch()
            return upstream_ref(repo, branch) if branch else None
        if not base and selector.startswith("-") and selector[1:].isdigit():
            name = previous_branch(repo, int(selector[1:]))
            return dwim_ref(repo, name) if name else None
    return dwim_ref(repo, spec)


def _show(repo: GitRepo, spec: str, mode: str, short: int | None) -> str | None:
    sha = resolve(repo, spec)
    if sha is None:
        return None
    if mode in ("abbrev-ref", "symbolic-full-name") and is_ambiguous(repo, spec):
        repo.warnings.append(f"error: refname '{spec}' is ambiguous\n")
        return ""
    if mode == "abbrev-ref":  # like git, a revision that is no ref prints nothing
        ref = _symbolic(repo, spec)
        return shorten_ref(repo, ref, strict=True) if ref else ""
    if mode == "symbolic-full-name":
        return _symbolic(repo, spec) or ""
    return abbreviate(repo, sha, short) if short else sha


def _location(repo: GitRepo, ctx: CommandContext, flag: str) -> str:
    prefix = repo.prefix(ctx.cwd).decode()
    if flag == "--show-toplevel":
        return str(repo.worktree)
    if flag == "--git-dir":
        return ".git" if not prefix else str(repo.git_dir)
    if flag == "--show-prefix":
        return prefix
    if flag == "--show-cdup":
        return "../" * prefix.count("/")
    return "true" if flag == "--is-inside-work-tree" else "false"


_LOCATION_FLAGS = ("--show-toplevel", "--git-dir", "--show-prefix", "--show-cdup",
                   "--is-inside-work-tree", "--is-inside-git-dir", "--is-bare-repository")


@command("rev-parse")
def rev_parse(args: list[str], repo: GitRepo, ctx: CommandContext) -> CommandResult:
    verify = quiet = False
    mode = "sha"
    short: int | None = None
    out: list[str] = []
    specs: list[str] = []
    for arg in args:
        if arg == "--verify":
            verify = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg in ("--abbrev-ref", "--symbolic-full-name"):
            mode = arg[2:]
        elif arg == "--short" or arg.startswith("--short="):  # like git, --short implies --verify
            short, verify = int(arg.partition("=")[2] or 7), True
        elif arg in _LOCATION_FLAGS:
            out.append(_location(repo, ctx, arg))
        elif arg == "--":
            break
        elif arg.startswith("-") and not verify:
            out.append(arg)
        else:
            specs.append(arg)
    if verify:
        if len(specs) != 1:
            raise _NEEDED
        value = _show(repo, specs[0], mode, short)
        if value is None:
            if quiet:
                return CommandResult(1)
            raise _NEEDED
        return CommandResult(0, value + "\n" if value else "")
    for n, spec in enumerate(specs):
        if spec.lstrip("^") in (s.lstrip("^") for s in specs[:n]):  # git warns at every lookup
            repeat_ambiguity_warning(repo, spec.lstrip("^"))
        value = _range(repo, spec) if ".." in spec else _show(repo, spec.lstrip("^"), mode, short)
        if value is None:
            if os.path.lexists(os.path.join(ctx.cwd, spec)):
                out.append(spec)
                continue
            raise GitError(unknown_revision(spec, repo).stderr, 128,
                           stdout="".join(f"{o}\n" for o in [*out, spec]))
        if value:
            out.append(("^" if spec.startswith("^") and ".." not in spec else "") + value)
    return CommandResult(0, "".join(f"{o}\n" for o in out))


def _range(repo: GitRepo, spec: str) -> str | None:
    """"B\n^A" for A..B (A...B prints B, A and the merge base exclusion like git: B A ^base)."""
    symmetric = "..." in spec
    left, right = (s or "HEAD" for s in spec.split("..." if symmetric else "..", 1))
    a, b = resolve(repo, left), resolve(repo, right)
    if a is None or b is None:
        return None
    if not symmetric:
        return f"{b}\n^{a}"
    bases = merge_bases(repo, repo.peel(a).id.decode(), repo.peel(b).id.decode())
    return "\n".join([b, a, *(f"^{base}" for base in bases)])
