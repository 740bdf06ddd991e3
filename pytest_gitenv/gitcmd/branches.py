"""Creating branches (validation, reflog text, upstream setup) for branch/checkout/switch."""

from __future__ import annotations

from .errors import fatal
from .repo import GitRepo, is_valid_ref_name
from .revisions import dwim_ref


def check_branch_name(name: str) -> str:
    """The full ref for a new branch name, or git's "not a valid branch name" error."""
    ref = f"refs/heads/{name}"
    if name.startswith("-") or name == "HEAD" or not is_valid_ref_name(ref):
        raise fatal(f"'{name}' is not a valid branch name")
    return ref


def set_upstream(repo: GitRepo, branch: str, upstream_ref: str) -> str:
    """Write branch.<b>.remote/merge for a remote-tracking or local upstream; git's message."""
    section = (b"branch", branch.encode())
    if upstream_ref.startswith("refs/remotes/"):
        remote, _, name = upstream_ref[len("refs/remotes/"):].partition("/")
        repo.config_set(section, b"remote", remote.encode())
        repo.config_set(section, b"merge", f"refs/heads/{name}".encode())
        repo.write_config()
        return f"branch '{branch}' set up to track '{remote}/{name}'.\n"
    repo.config_set(section, b"remote", b".")
    repo.config_set(section, b"merge", upstream_ref.encode())
    repo.write_config()
    return f"branch '{branch}' set up to track '{upstream_ref.removeprefix('refs/heads/')}'.\n"


def create_branch(repo: GitRepo, name: str, start_sha: str, start_name: str, *,
                  force: bool = False, track: bool | None = None) -> str:
    """Create (or with `force` reset) a branch; returns the tracking message, if any.

    `track`: None sets the upstream for remote-tracking start points (git's default
    branch.autoSetupMerge), True also for local branches (--track), False never."""
    ref = check_branch_name(name)
    exists = repo.resolve_ref(ref) is not None
    if exists and not force:
        raise fatal(f"a branch named '{name}' already exists")
    verb = "Reset to" if exists else "Created from"
    repo.update_ref(ref, start_sha, f"branch: {verb} {start_name}")
    start_ref = dwim_ref(repo, start_name)
    if track is False or start_ref is None or start_ref.endswith("/HEAD"):
        return ""
    if start_ref.startswith("refs/remotes/") or (track and start_ref.startswith("refs/heads/")):
        return set_upstream(repo, name, start_ref)
    return ""


def tracking_flag(value: object) -> bool | None:
    """An -t/--track/--no-track option value as create_branch's `track`."""
    return None if value is None else value is not False


def branch_from_track(start: str) -> str:
    """The branch `--track <start>` creates: `start` without its remote (origin/x -> x)."""
    name = start.removeprefix("refs/").removeprefix("remotes/")
    if "/" not in name:
        raise fatal("missing branch name; try -b")
    return name.split("/", 1)[1]
