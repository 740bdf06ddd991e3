"""git show, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("show-head", ("git", "show")),
    scenario("show-commit-formats", ("git", "show HEAD~1 --stat"), ("git", "show --name-only"),
             ("git", "show --name-status HEAD~1"), ("git", "show -s --format=%s%n%an"),
             ("git", "show --oneline"), ("git", "show --shortstat")),
    scenario("show-blob-tree", ("git", "show HEAD:a.txt"), ("git", "show HEAD~1:dir/c.txt"),
             ("git", "show HEAD:dir"), ("git", "show HEAD^{tree}")),
    scenario("show-annotated-tag", ("git", "tag -a v1 -m 'Version 1'"), ("git", "show v1"),
             ("git", "show --stat v1")),
    scenario("show-multiple", ("git", "show HEAD~1 HEAD --oneline --stat"),
             ("git", "show HEAD HEAD~1 -s")),
    scenario("show-paths", ("git", "show HEAD~1 -- dir"), ("git", "show HEAD~1 --stat -- b.txt")),
    scenario("show-errors", ("git", "show nosuch"), ("git", "show HEAD:nosuch")),
    scenario("show-merge", ("git", "merge -q feature"), ("git", "show"), ("git", "show --stat"),
             ("git", "show --name-only"), ("git", "show -s"), setup="branches"),
    scenario("show-resolved-merge", ("git", "merge topic"),
             ("write", "a.txt", "alpha\nmerged both\ngamma\ndelta\n"), ("git", "commit -qam resolved"),
             ("git", "show"), ("git", "show --name-status"), ("git", "show --name-only"),
             ("git", "show --stat"), ("git", "log -p -1 --cc"), ("git", "log --cc --oneline -2"),
             setup="conflict"),
    scenario("show-merge-formats", ("git", "merge topic"), ("git", "add -A"),
             ("git", "commit -qm m"), ("git", "show --stat -p"), ("git", "show --summary"),
             ("git", "show --numstat -p"), ("git", "show --name-status --summary"),
             ("git", "show --name-only --stat -p"), ("git", "show --name-only --name-status"),
             ("git", "log --summary -3"), ("git", "log --summary --oneline -3"),
             ("git", "log --numstat --format=%s -3"), ("git", "diff --numstat HEAD~2"),
             ("git", "show -s --name-only"), setup="conflict"),
    scenario("show-tag-formats", ("git", "tag -a v2 -m two HEAD~1"),
             ("git", "show --format=%H -s v2"), ("git", "show --oneline -s v2"),
             ("git", "show --pretty=fuller -s v2"), ("git", "show --pretty=short -s v2"),
             ("git", "show --format=tformat:%h -s v2 HEAD"), ("git", "show v2 v2^{tree}"),
             ("git", "show HEAD^{tree} v2 --stat"), ("git", "show --oneline HEAD v2"),
             ("git", "tag -a v3 -m three v2"), ("git", "show -s v3"),
             ("git", "log -2 --format="), ("git", "log -1 --format=%h --oneline"),
             ("git", "log -1 --oneline --format=%h"), ("git", "log -1 --format=hello"),
             ("git", "log -2 --format=format:%s"), setup="conflict"),
    scenario("show-branch-commit", ("git", "show feature"), ("git", "show main~1 --stat"),
             setup="branches"),
    scenario("show-paths-untouched", ("git", "show --stat --oneline -- dir"),
             ("git", "show --oneline ':(top)dir'", "dir"),
             ("git", "merge -q --no-ff -m m feature"), ("git", "show --stat -- f.txt"), ("git", "show --stat -- a.txt"),
             ("git", "show HEAD~1 HEAD -s --oneline -- b.txt"), setup="branches"),
    scenario("show-non-utf8-blob", ("write", "a.txt", b"caf\xe9\n"), ("write", "caf\udce9.txt", "x\n"),
             ("git", "add ."), ("git", "commit -qm latin"), ("git", "show HEAD:a.txt"),
             ("git", "cat-file -p HEAD:a.txt"), ("git", "cat-file blob HEAD:a.txt"),
             ("git", "cat-file -p HEAD^{tree}"), ("git", "show HEAD:")),
    scenario("show-null-terminated", ("git", "merge -q --no-ff -m m feature"),
             *[("git", "show -z " + a) for a in (
                 "--format=%s --name-only", "--format=%s --name-status", "--format=%s --stat",
                 "--format=%s --numstat", "--format=%s", "-s", "HEAD HEAD~1", "--oneline --name-only HEAD HEAD~1",
                 "--name-status HEAD~1 HEAD~2")], setup="branches"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_show(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
