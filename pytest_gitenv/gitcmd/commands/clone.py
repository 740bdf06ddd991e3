"""git clone [-q] [-b <branch>] [-o <name>]? <url> [<dir>]: a repository of the environment's Gitea.

The new repository borrows the machine's object cache (objects/info/alternates) and fetches
only what the cache lacks, then is laid out like git's clone (origin, remote-tracking refs in
packed-refs, reflogs "clone: from <url>", checked-out worktree and index).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dulwich.repo import Repo

from ..context import CommandContext, CommandResult
from ..errors import GitError, fatal
from ..options import Opt, OptionParser
from ..registry import command
from ..remotes import anonymize, endpoint, transport
from ..repo import GitRepo

_PARSER = OptionParser("clone", (
    Opt("quiet", "q", "quiet"), Opt("branch", "b", "branch", "value"),
))


def _target(ctx: CommandContext, url: str, given: str | None) -> tuple[str, Path]:
    name = given or anonymize(url).rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    root = ctx.workspace.resolve()
    path = (ctx.cwd / name).resolve()
    if path == root or root not in path.parents:
        raise fatal(f"could not create work tree dir '{name}': outside the workspace")
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise fatal(f"destination path '{name}' already exists and is not an empty directory.")
    return name, path


@command("clone")
def clone(args: list[str], repo: GitRepo | None, ctx: CommandContext) -> CommandResult:
    from pytest_gitenv.workspace.layout import StartState, checkout_tree, write_git_dir

    opts = _PARSER.parse(args)
    if not opts.args:
        raise GitError("fatal: You must specify a repository to clone.\n", 129)
    url = opts.args[0]
    name, path = _target(ctx, url, opts.args[1] if len(opts.args) > 1 else None)
    target = endpoint(ctx, url)
    made = not path.exists()
    try:
        with transport(ctx, url):
            listing = target.client.get_refs(target.path.encode())
            refs = {k: v for k, v in listing.refs.items() if v and k.startswith((b"refs/heads/", b"refs/tags/"))
                    and not k.endswith(b"^{}")}
            branch = opts["branch"]
            head_ref = f"refs/heads/{branch}".encode() if branch else listing.symrefs.get(b"HEAD")
            if branch and head_ref not in refs:
                raise fatal(f"Remote branch {branch} not found in upstream origin")
            git_dir = path / ".git"
            path.mkdir(exist_ok=True)
            Repo.init(str(path)).close()
            if target.objects is not None:
                (git_dir / "objects/info/alternates").write_text(f"{target.objects}\n")
            with Repo(str(path)) as local:
                missing = {sha for sha in refs.values() if sha not in local.object_store}
                if missing:
                    target.client.fetch(target.path, local, determine_wants=lambda r, depth=None: sorted(missing))
                when = ctx.clock.now()[0]
                commit = refs.get(head_ref) if head_ref else None
                if commit is None:  # an empty repository
                    return CommandResult(0, "", f"Cloning into '{name}'...\n"
                                         "warning: You appear to have cloned an empty repository.\n")
                start = StartState(commit, head_ref.decode().removeprefix("refs/heads/"), url, refs,
                                   target.objects or git_dir / "objects")
                for stale in ("config", "description", "hooks", "branches"):
                    item = git_dir / stale
                    shutil.rmtree(item) if item.is_dir() else item.unlink(missing_ok=True)
                write_git_dir(git_dir, start, local.object_store, ctx.identity, when)
                (git_dir / "refs/remotes/origin/HEAD").write_text(f"ref: refs/remotes/origin/{start.branch}\n")
                (git_dir / "logs/refs/remotes/origin").mkdir(parents=True, exist_ok=True)
                (git_dir / "logs/refs/remotes/origin/HEAD").write_bytes((git_dir / "logs/HEAD").read_bytes())
                if target.objects is None:
                    (git_dir / "objects/info/alternates").unlink()
                index = checkout_tree(local.object_store, local.object_store[commit].tree, path)
                index.write(git_dir / "index")
    except BaseException as exc:
        if made:
            shutil.rmtree(path, ignore_errors=True)
        else:
            for child in path.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        if isinstance(exc, GitError) and not opts["quiet"]:
            raise GitError(f"Cloning into '{name}'...\n" + exc.stderr, exc.exit_code) from None
        raise
    return CommandResult(0, "", "" if opts["quiet"] else f"Cloning into '{name}'...\n")
