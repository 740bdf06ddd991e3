"""git cherry-pick and git revert, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("cherry-pick-clean", ("git", "cherry-pick feature"), ("git", "log --oneline"),
             ("git", "show --stat"), setup="branches"),
    scenario("cherry-pick-conflict", ("git", "cherry-pick topic"), ("git", "status"),
             ("git", "ls-files -s"), setup="conflict"),
    scenario("cherry-pick-continue", ("git", "cherry-pick topic"),
             ("write", "a.txt", "alpha\nmerged\ngamma\ndelta\n"), ("git", "add a.txt"),
             ("git", "cherry-pick --continue"), ("git", "log -2"), setup="conflict"),
    scenario("cherry-pick-abort", ("git", "cherry-pick topic"), ("git", "cherry-pick --abort"),
             ("git", "status --short"), ("git", "cherry-pick --abort"), setup="conflict"),
    scenario("cherry-pick-errors", ("git", "cherry-pick nosuch"), ("git", "cherry-pick"),
             ("git", "cherry-pick --continue")),
    scenario("cherry-pick-range", ("git", "checkout -q -b pick HEAD~2"),
             ("git", "cherry-pick main~1..main"), ("git", "log --oneline"),
             ("git", "cherry-pick -x feature"), ("git", "log -1"), setup="branches"),
    scenario("cherry-pick-multi-conflict", ("git", "checkout -q -b pick HEAD~1"),
             ("git", "cherry-pick main topic"), ("git", "status --short"),
             ("write", "a.txt", "alpha\nmixed\ngamma\ndelta\n"), ("git", "add a.txt"),
             ("git", "cherry-pick --continue"), ("git", "log --oneline"), setup="conflict"),
    scenario("cherry-pick-multi-abort", ("git", "checkout -q -b pick HEAD~1"),
             ("git", "cherry-pick main topic"), ("git", "cherry-pick --abort"),
             ("git", "log --oneline"), ("git", "status --short"), setup="conflict"),
    scenario("cherry-pick-empty", ("git", "merge -q feature"), ("write", "u.txt", "u\n"),
             ("git", "cherry-pick feature"), ("git", "status --short"),
             ("git", "cherry-pick --skip"), setup="branches"),
    scenario("pick-dirty-index", ("write", "b.txt", "staged\n"), ("git", "add b.txt"),
             ("git", "revert --no-edit HEAD"), ("git", "cherry-pick main~1"),
             ("git", "merge feature"), ("git", "merge --squash feature"), setup="branches"),
    scenario("revert-empty", ("git", "revert --no-edit HEAD"), ("write", "n.txt", "n\n"),
             ("git", "revert --no-edit HEAD~1"), ("git", "status --short"), setup="branches"),
    scenario("pick-while-unmerged", ("git", "cherry-pick topic"), ("git", "cherry-pick topic"),
             ("git", "revert HEAD"), ("git", "cherry-pick nosuch"), setup="conflict"),
    scenario("revert-root-modify-delete", ("git", "revert HEAD~1 --no-edit"), ("git", "ls-files -m"),
             ("write", "a.txt", "dirty\n"), ("git", "ls-files -m"), ("git", "status --short")),
    scenario("revert-clean", ("git", "revert HEAD"), ("git", "log -2"), ("git", "show --stat")),
    scenario("revert-no-edit", ("git", "revert --no-edit HEAD~1"), ("git", "log --format=%B -1"),
             setup="branches"),
    scenario("revert-conflict", ("git", "revert HEAD~1"), ("git", "status"),
             ("git", "revert --abort"), ("git", "status --short"), setup="conflict"),
    scenario("revert-errors", ("git", "revert nosuch"), ("git", "revert --continue"),
             ("git", "revert")),
    scenario("revert-merge-needs-m", ("git", "merge -q feature"), ("git", "revert HEAD"),
             setup="branches"),
    scenario("revert-merge-mainline", ("git", "merge -q --no-edit feature"),
             ("git", "revert -m 1 --no-edit HEAD"), ("git", "log -1 --format=%B"),
             ("git", "cherry-pick -m 1 HEAD~1"), ("git", "log --oneline -3"), setup="branches"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_cherry_pick(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
