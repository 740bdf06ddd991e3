"""git branch against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

SCENARIOS = [
    scenario("list", ("git", "branch"), setup="branches"),
    scenario("list-verbose", ("git", "branch -v"), ("git", "branch -vv"), setup="branches"),
    scenario("list-all-remote", ("git", "branch -a"), ("git", "branch -r"), ("git", "branch -vv"),
             setup="remote"),
    scenario("list-behind-gone", ("git", "reset -q --hard HEAD~2"), ("git", "branch -vv"),
             ("git", "branch -v"), setup="remote"),
    scenario("list-detached", ("git", "checkout -q HEAD~1"), ("git", "branch"),
             ("git", "branch -v"), setup="branches"),
    scenario("list-pattern", ("git", "branch --list 'f*'"), ("git", "branch -l m*"),
             setup="branches"),
    scenario("list-empty-repo", ("git", "branch"), setup="empty"),
    scenario("merged", ("git", "branch --merged"), ("git", "branch --no-merged"),
             ("git", "branch --merged feature"), setup="branches"),
    scenario("show-current", ("git", "branch --show-current"), ("git", "checkout -q HEAD~1"),
             ("git", "branch --show-current")),
    scenario("create", ("git", "branch topic"), ("git", "branch -v")),
    scenario("create-start", ("git", "branch topic HEAD~1"), ("git", "branch -v")),
    scenario("create-exists", ("git", "branch feature"), setup="branches"),
    scenario("create-bad-name", ("git", "branch 'bad..name'"), ("git", "branch -- -x")),
    scenario("create-bad-start", ("git", "branch topic nope")),
    scenario("create-empty-repo", ("git", "branch topic"), setup="empty"),
    scenario("create-force", ("git", "branch -f feature main~1"), setup="branches"),
    scenario("create-force-current", ("git", "branch -f main HEAD~1"), setup="branches"),
    scenario("create-tracking", ("git", "branch topic origin/main"), ("git", "branch -vv"),
             setup="remote"),
    scenario("create-track-local", ("git", "branch --track w main"),
             ("git", "branch -t v origin/main"), ("git", "branch -vv"), setup="remote"),
    scenario("create-no-track", ("git", "branch --no-track topic origin/main"), setup="remote"),
    scenario("delete-merged", ("git", "branch -d merged"), setup="branches"),
    scenario("delete-unmerged-refused", ("git", "branch -d feature"), setup="branches"),
    scenario("delete-force", ("git", "branch -D feature"), setup="branches"),
    scenario("delete-current-refused", ("git", "branch -d main"), setup="branches"),
    scenario("delete-missing", ("git", "branch -d nope merged"), setup="branches"),
    scenario("delete-with-config", ("git", "branch -q topic origin/main"),
             ("git", "branch -d topic"), setup="remote"),
    scenario("delete-remote", ("git", "branch -dr origin/main"), setup="remote"),
    scenario("rename-current", ("git", "branch -m trunk"), ("git", "branch"), setup="remote"),
    scenario("rename-other", ("git", "branch -m feature topic"), setup="branches"),
    scenario("rename-exists", ("git", "branch -m feature merged"), setup="branches"),
    scenario("rename-force", ("git", "branch -M feature merged"), setup="branches"),
    scenario("rename-missing", ("git", "branch -m nope x"), setup="branches"),
    scenario("set-upstream", ("git", "branch -q topic"), ("git", "branch -u origin/main topic"),
             ("git", "branch -vv"), setup="remote"),
    scenario("set-upstream-missing", ("git", "branch -u origin/nope"), setup="remote"),
    scenario("unset-upstream", ("git", "branch --unset-upstream"), ("git", "status -sb"),
             setup="remote"),
    scenario("unset-upstream-none", ("git", "branch --unset-upstream"), setup="branches"),
    scenario("unknown-option", ("git", "branch --bogus")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_branch(sc, tmp_path):
    check(sc, tmp_path)
