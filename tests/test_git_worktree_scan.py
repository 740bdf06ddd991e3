"""The worktree scan behind diff and status (stat shortcut, same-size rewrites, unmerged paths,
staged changes under a pathspec), differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("scan-conflict-among-changes", ("git", "merge topic"),
             ("write", "dir/c.txt", "changed\n"), ("rm", "dir/sub/d.txt"),
             ("write", "0first.txt", "untracked\n"), ("git", "diff"), ("git", "diff --stat"),
             ("git", "diff --name-status"), ("git", "diff -- a.txt dir/sub"), ("git", "status"),
             ("git", "status -s"), ("git", "diff HEAD --stat"), ("git", "status -s dir"),
             ("git", "diff HEAD"), ("git", "diff --cached"), ("git", "diff --cached --stat"),
             ("git", "diff --cached -- a.txt t.txt"), setup="conflict"),
    scenario("scan-staged-under-pathspec", ("git", "rm -q dir/sub/d.txt"),
             ("write", "dir/new.txt", "new\n"), ("write", "b.txt", "one\nmore\n"),
             ("git", "add dir/new.txt b.txt"), ("git", "mv a.txt dir/moved.txt"),
             ("rm", "dir/c.txt"), ("symlink", "dir/c.txt", "../b.txt"), ("git", "add dir/c.txt"),
             ("git", "status -s dir"), ("git", "status dir/sub"), ("git", "status -s -- '*.txt'"),
             ("git", "status --porcelain"), ("git", "diff --cached --name-status -- dir")),
    scenario("scan-same-size-rewrite", ("write", "b.txt", "two\n"), ("git", "add b.txt"),
             ("write", "b.txt", "six\n"), ("git", "diff"), ("git", "status -s"),
             ("write", "b.txt", "two\n"), ("git", "diff --stat"), ("git", "status -s")),
    scenario("scan-symlink-retargeted", ("symlink", "ln", "a.txt"), ("git", "add ln"),
             ("git", "commit -q -m link"), ("git", "diff"), ("symlink", "ln", "b.txt"),
             ("git", "diff"), ("git", "status -s"), ("chmod", "dir/c.txt", "755"),
             ("git", "diff --stat"), ("git", "status -s")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_worktree_scan(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
