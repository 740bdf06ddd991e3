"""git grep and git blame, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("grep-basic", ("git", "grep a"), ("git", "grep -n eta"), ("git", "grep -i ALPHA"),
             ("git", "grep -l e"), ("git", "grep -c a")),
    scenario("grep-no-match", ("git", "grep zzz"), ("git", "grep -n zzz -- dir")),
    scenario("grep-paths", ("git", "grep -n e -- dir"), ("git", "grep e", "dir"),
             ("git", "grep -n 'e' HEAD~1 -- a.txt")),
    scenario("grep-regex", ("git", "grep 'al\\|ga'"), ("git", "grep -E 'al|ga'"),
             ("git", "grep -F 'a.'"), ("git", "grep -w one"), ("git", "grep -v a"),
             ("git", "grep -e one -e deep")),
    scenario("grep-worktree-edit", ("write", "a.txt", "changed line\n"), ("git", "grep changed"),
             ("git", "grep --cached changed"), ("write", "untracked.txt", "changed\n"),
             ("git", "grep -l changed")),
    scenario("grep-binary", ("write", "b.txt", "bin\0arygamma\nalpha\n"), ("git", "grep -c a"),
             ("git", "grep -l a"), ("git", "grep a"), ("git", "grep -v zz")),
    scenario("blame-basic", ("git", "blame a.txt"), ("git", "blame b.txt")),
    scenario("blame-history", ("write", "a.txt", "alpha\nBETA\ngamma\ndelta\nnew tail\n"),
             ("git", "commit -qam third"), ("git", "blame a.txt"), ("git", "blame HEAD~1 -- a.txt"),
             ("git", "blame -s a.txt")),
    scenario("blame-errors", ("git", "blame nosuch.txt"), ("git", "blame")),
    scenario("blame-during-merge", ("git", "merge topic"), ("git", "blame -s a.txt"),
             ("git", "blame -s b.txt"), setup="conflict"),
    scenario("blame-range", ("git", "blame -L 2,3 a.txt"), ("git", "blame -L 4 a.txt"),
             ("git", "blame -L 2,+1 a.txt"), ("git", "blame -L 9,10 a.txt")),
    scenario("blame-merge", ("git", "merge -q --no-edit feature"), ("git", "blame f.txt"),
             ("git", "blame b.txt"), setup="branches", compare_state=False),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_grep_blame(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
