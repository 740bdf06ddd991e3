"""Check kinds about the remote (the episode's Gitea copy when it pushed, else the base repository).

    - remote_branch_exists: feature/x                    # or {name: feature/x, remote: origin}
    - remote_ref_equals: {ref: main, equals: HEAD}       # remote main == the local commit HEAD names

Both ask the remote through `git ls-remote` in the episode's command context, so they see
exactly what the agent's pushes produced and nothing of other episodes.
"""

from __future__ import annotations

from typing import Any

from pytest_gitenv.checks import CheckContext, _kind


def _remote_sha(ctx: CheckContext, remote: str, ref: str) -> str | None:
    full = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
    for line in ctx.git(f"ls-remote {remote} {full}").splitlines():
        sha, _, name = line.partition("\t")
        if name == full:
            return sha
    return None


@_kind("remote_branch_exists", {"name": str, "remote": str}, ("name",), scalar="name")
def _remote_branch_exists(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    remote = p.get("remote", "origin")
    found = _remote_sha(ctx, remote, p["name"]) is not None
    return found, f"branch {p['name']!r} {'exists' if found else 'does not exist'} on {remote}"


@_kind("remote_ref_equals", {"ref": str, "equals": str, "remote": str}, ("ref",), scalar="ref")
def _remote_ref_equals(ctx: CheckContext, p: dict[str, Any]) -> tuple[bool, str]:
    remote = p.get("remote", "origin")
    local = p.get("equals", p["ref"])
    actual = _remote_sha(ctx, remote, p["ref"])
    expected = ctx.git(f"rev-parse --verify {local}^{{commit}}").strip()
    if actual is None:
        return False, f"{p['ref']} does not exist on {remote}"
    same = actual == expected
    return same, f"{p['ref']} on {remote} is {actual[:7]}, {'equal to' if same else 'not'} {local} ({expected[:7]})"
