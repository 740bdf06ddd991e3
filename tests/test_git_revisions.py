"""Revision names, reflogs, branch copies/filters and remote renames, against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_random_wide import SETUPS  # noqa: F401  (registers the "wide" setup)

SCENARIOS = [
    scenario("rev-missing-stash-reflog", ("git", "show stash@{0}"), ("git", "rev-parse stash@{0}"),
             ("git", "cat-file -t stash@{0}"), ("git", "rev-parse v1@{0}"), ("git", "diff stash@{0}"),
             ("git", "rev-parse HEAD@{99}"), ("git", "ls-tree stash@{0}"), setup="remote"),
    scenario("rev-parse-abbrev-ref-non-ref", ("git", "rev-parse --abbrev-ref HEAD~1"),
             ("git", "rev-parse --abbrev-ref HEAD HEAD^ main"), ("git", "rev-parse --verify --abbrev-ref HEAD^"),
             ("git", "rev-parse --symbolic-full-name HEAD^ main"), setup="remote"),
    scenario("rev-tree-path-diagnosis", ("write", "new.txt", "x\n"), ("git", "cat-file -p HEAD:new.txt"),
             ("git", "show HEAD:new.txt"), ("git", "show deadbeef:a.txt"), ("git", "rev-parse HEAD^2:a.txt"),
             ("git", "rev-parse --verify HEAD:nope"), ("git", "rev-parse --verify -q HEAD:nope"),
             ("git", "cat-file -p deadbeef:a.txt"), ("git", "show HEAD:nope"), ("git", "log HEAD:nope"),
             ("git", "log --oneline HEAD^2 -- a.txt"), ("git", "diff nope -- a.txt"), ("git", "show HEAD~1:dir"),
             ("git", "rev-list nope --")),
    scenario("reflog-names-and-starts", ("git", "reflog show origin/main"), ("git", "reflog show main"),
             ("git", "reflog --oneline -2 origin/main"), ("git", "reflog main@{1}"), ("git", "reflog HEAD@{1}"),
             ("git", "reflog -1 main@{0}"), ("git", "reflog main~1"), ("git", "reflog nope"),
             ("git", "reflog stash"), ("git", "tag v1"), ("git", "reflog v1"), ("git", "stash -u"),
             ("git", "reflog stash"), ("git", "reflog refs/stash"), ("git", "reflog -n1 heads/main"),
             setup="remote"),
    scenario("branch-copy", ("git", "config branch.main.remote ."),
             ("git", "config branch.main.merge refs/heads/feature"), ("git", "branch -c main c1"),
             ("git", "branch -c c1"), ("git", "branch -c c1 main"), ("git", "branch -C c1 main"),
             ("git", "branch -C main c1"), ("git", "branch -c nope x"), ("git", "branch -c"), ("git", "branch -m"),
             ("git", "branch -c a b c"), ("git", "branch -vv"), ("git", "checkout -q --detach"),
             ("git", "branch -c new"), ("git", "branch -m new"), setup="branches"),
    scenario("branch-list-filters-detached", ("git", "checkout -q --detach HEAD~1"), ("git", "branch -l 'm*'"),
             ("git", "branch -l '*'"), ("git", "branch --merged"), ("git", "branch --no-merged"),
             ("git", "branch --contains HEAD"), ("git", "branch --contains HEAD~1"),
             ("git", "branch --no-contains main"), ("git", "branch --merged nope"), ("git", "branch --contains nope"),
             ("git", "branch --contains feature -a"), setup="branches"),
    scenario("remote-rename-and-show", ("git", "remote show"), ("git", "remote rename origin up"),
             ("git", "remote -v"), ("git", "status -sb"), ("git", "branch -vv"), ("git", "reflog show up/main"),
             ("git", "remote rename nope x"), ("git", "remote rename up up"),
             ("git", "remote add o2 ../upstream.git"), ("git", "remote rename up o2"),
             ("git", "remote rename up 'a b'"), ("git", "remote rename up"), ("git", "remote show"),
             ("git", "remote"), setup="remote"),
    scenario("upstream-name-shortened-unambiguously", ("git", "branch origin/main main~1"), ("git", "status -sb"),
             ("git", "status"), ("git", "branch -vv"), ("git", "rev-parse --abbrev-ref @{u}"),
             ("git", "rev-parse --abbrev-ref refs/remotes/origin/main"), ("git", "tag main"),
             ("git", "rev-parse --abbrev-ref HEAD"), ("git", "branch -vv"), ("git", "status -sb"), setup="remote"),
    scenario("unborn-revisions", ("git", "rev-parse @{1}"), ("git", "rev-parse --short HEAD"),
             ("git", "rev-parse --short=10 nope"), ("git", "describe --tags"), ("git", "describe --always"),
             ("git", "branch --unset-upstream"), ("git", "rev-parse HEAD@{2}"), setup="empty"),
    scenario("reflog-at-after-rename", ("git", "branch -m main r1"),
             ("git", "rev-parse HEAD@{1} HEAD@{2} HEAD@{3} HEAD@{4}"), ("git", "rev-parse HEAD@{5}"),
             ("git", "rev-parse HEAD@{0} r1@{1} r1@{2}"), ("git", "rev-parse r1@{3}"),
             ("git", "switch -c n7 HEAD@{2}"), setup="branches"),
    scenario("log-walk-reflogs", ("git", "log -g --oneline"), ("git", "log -g -2"),
             ("git", "log -g --format='%gd|%gD|%gs|%gn|%ge|%h %%gd'"), ("git", "log -g --oneline --decorate -2"),
             ("git", "merge feature"), ("git", "log -g -1"), ("git", "log -g --oneline main"),
             ("git", "log -g --stat -1"), ("git", "log -g --oneline HEAD~1"), ("git", "log -g main..feature"),
             ("git", "log -g main...feature"), ("git", "log -g ^main"), ("git", "log -g --graph"),
             ("git", "log --walk-reflogs --oneline -n 2 --skip 1"), ("git", "log -g --pretty=oneline -1"),
             ("git", "log -g --oneline feature@{1}"), ("git", "log -g nope"), ("git", "branch -m main r1"),
             ("git", "log -g --oneline"), ("git", "reflog"), setup="branches"),
    scenario("log-walk-reflogs-unborn", ("git", "log -g"), ("git", "log -g --oneline"), setup="empty"),
    scenario("branch-unborn-copy-upstream", ("git", "branch -c main c42"), ("git", "branch -u origin/main main"),
             ("git", "branch -u main"), ("git", "branch -u main nope"), ("git", "branch --unset-upstream"),
             ("git", "branch --unset-upstream nope"), ("git", "branch -m main x"), ("git", "branch -c nope y"),
             ("git", "branch -f main main"), ("git", "branch -f x main"), setup="empty"),
    scenario("branch-detached-upstream-and-force", ("git", "checkout -q --detach"), ("git", "branch --unset-upstream"),
             ("git", "branch --unset-upstream HEAD"), ("git", "branch -u origin/main"),
             ("git", "branch --unset-upstream main"), ("git", "branch --unset-upstream main"),
             ("git", "branch -f main HEAD~1"), ("git", "checkout -q main"), ("git", "branch -f main nope"),
             ("git", "branch -f nope2 nope"), setup="remote"),
    scenario("negated-revision-names-nothing", ("git", "log --oneline HEAD ^HEAD^2"), ("git", "log --oneline ^nope"),
             ("git", "log --oneline HEAD ^nope -- a.txt"), ("git", "rev-list HEAD ^nope"), ("git", "shortlog ^nope")),
    scenario("describe-tag-known-by-another-name", ("git", "tag t11 v1"), ("git", "describe --always"),
             ("git", "describe"), ("git", "describe --long v1"), setup="wide"),
    scenario("ambiguous-ref-warnings", ("git", "tag feature main~1"), ("git", "log --oneline -1 feature"),
             ("git", "show -s --format=%h feature"), ("git", "diff --stat feature"), ("git", "rev-parse feature"),
             ("git", "rev-parse --verify feature"), ("git", "rev-list --count feature"),
             ("git", "merge-base main feature"), ("git", "cat-file -t feature"), ("git", "log --oneline main..feature"),
             ("git", "describe --tags feature"), ("git", "branch x feature"), ("git", "ls-tree feature"),
             ("git", "rev-parse --abbrev-ref feature"), ("git", "branch origin/main main~1"), setup="branches"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_revisions(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
