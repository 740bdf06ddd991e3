"""git log, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

SCENARIOS = [
    scenario("log-left-right", ("git", "log --left-right --oneline main...topic"),
             ("git", "log --left-right -1 main...topic"), ("git", "log --format='%m %s' main...topic"),
             ("git", "log --format='%m %s' -2"), ("git", "log --left-right --oneline topic...main"),
             ("git", "log --left-right --graph --oneline main...topic"), ("git", "merge topic"),
             ("git", "add -A"), ("git", "commit -qm m"),
             ("git", "log --left-right --graph --oneline HEAD~1...topic"),
             ("git", "log --left-right --graph --oneline --all"), setup="conflict"),
    scenario("log-default", ("git", "log")),
    scenario("log-oneline", ("git", "log --oneline")),
    scenario("log-n", ("git", "log -n 1"), ("git", "log -1 --oneline"), ("git", "log -n1")),
    scenario("log-all-branches", ("git", "log --all --oneline"), setup="branches"),
    scenario("log-decorate", ("git", "log --decorate --oneline --all"), setup="branches"),
    scenario("log-decorate-tags", ("git", "tag v1 HEAD~1"), ("git", "tag -a -m rel v2"),
             ("git", "log --decorate"), ("git", "log --format=%h%d")),
    scenario("log-format", ("git", "log --format=%H%n%h%n%s%n%an%n%ae%n%ad%n%b%n%d%n%P%n%T")),
    scenario("log-pretty-oneline", ("git", "log --pretty=oneline"),
             ("git", "log --pretty=format:%h-%s"), ("git", "log --pretty=short"),
             ("git", "log --pretty=full"), ("git", "log --pretty=fuller")),
    scenario("log-stat", ("git", "log --stat")),
    scenario("log-patch", ("git", "log -p")),
    scenario("log-patch-stat", ("git", "log -p --stat -1")),
    scenario("log-name-status", ("git", "log --name-status"), ("git", "log --name-only --oneline")),
    scenario("log-range", ("git", "log --oneline main..feature"),
             ("git", "log --oneline feature..main"), ("git", "log --oneline ^main feature"),
             ("git", "log --oneline main...feature"), setup="branches"),
    scenario("log-path-stat", ("git", "log --stat -- dir"), ("git", "log -p --oneline -- b.txt")),
    scenario("log-path", ("git", "log --oneline -- a.txt"), ("git", "log --oneline dir"),
             ("git", "log --oneline -- nothing")),
    scenario("log-unknown-rev", ("git", "log nosuchref"), ("git", "log --oneline nosuch..main")),
    scenario("log-graph-linear", ("git", "log --graph --oneline"), ("git", "log --graph")),
    scenario("log-date-modes", ("git", "log --date=iso"), ("git", "log --date=short --format=%ad"),
             ("git", "log --format=%ai|%aI|%at|%cd")),
    scenario("log-reverse-skip", ("git", "log --reverse --oneline"),
             ("git", "log --skip=1 --oneline")),
    scenario("log-merge", ("git", "merge -q --no-edit feature"), ("git", "log --oneline"),
             ("git", "log"), ("git", "log --first-parent --oneline"),
             ("git", "log --merges --oneline"), ("git", "log --no-merges --oneline"),
             setup="branches", compare_state=False),
    scenario("log-pickaxe", ("git", "log --oneline -S delta"), ("git", "log --oneline -Sgamma"),
             ("git", "log --oneline -G 'del.a'"), ("git", "log -S nested --stat"),
             ("git", "log --oneline -S nothing-here")),
    scenario("log-follow", ("git", "mv b.txt moved.txt"),
             ("write", "moved.txt", "one\nmore\n"), ("git", "commit -qam move"),
             ("write", "moved.txt", "one\nmore\nlast\n"), ("git", "commit -qam edit"),
             ("git", "log --oneline --follow -- moved.txt"), ("git", "log --oneline -- moved.txt"),
             ("git", "log --follow --stat --format=%s moved.txt"),
             ("git", "log --follow --name-status --oneline moved.txt"),
             ("git", "log --follow --oneline")),
    scenario("log-dates", ("git", "log --oneline --since=2023-12-31"),
             ("git", "log --oneline --until=2023-12-31"), ("git", "log --oneline --since=2.weeks"),
             ("git", "log --oneline --before='2025-01-01 10:00'"),
             ("git", "log --oneline --after='10 years ago'")),
    scenario("log-all-annotated-tag", ("git", "checkout -q -b side HEAD~1"),
             ("write", "s.txt", "s\n"), ("git", "add s.txt"), ("git", "commit -qm side"),
             ("git", "tag -a only-tag -m t"), ("git", "checkout -q main"), ("git", "branch -D side"),
             ("git", "log --all --oneline"), ("git", "shortlog -sn --all HEAD"),
             ("git", "shortlog HEAD"), ("git", "shortlog -e HEAD~1"),
             ("git", "rev-list --all --count"), setup="branches"),
    scenario("log-empty-repo", ("git", "log"), setup="empty"),
    scenario("log-grep-author", ("git", "log --oneline --grep=sec"), ("git", "log --grep=INIT -i"),
             ("git", "log --oneline --author=Agent"), ("git", "log --oneline --author=nobody"),
             ("git", "log --oneline --grep=second --invert-grep")),
    scenario("log-bad-option", ("git", "log --bogus")),
    scenario("log-reference-format", *[("git", "log " + a) for a in (
        "--format=reference -2", "--pretty=reference --date=iso -1", "--pretty=ref -1", "--pretty=s -1",
        "--pretty=f -1", "--format=MEDIUM -1", "--pretty=m -1", "--pretty=reference --graph",
        "--oneline --format=reference",
        "--pretty=reference --relative-date -1")], ("git", "show --format=reference --stat"), setup="branches"),
    scenario("log-null-terminated", *[("git", "log -z " + a) for a in (
        "--name-only --format=%s", "--oneline", "", "--format=%s", "--name-status --oneline", "--stat --oneline",
        "-p --oneline", "--numstat --format=%s", "--graph --oneline", "--name-only --format=format:%s", "--name-only",
        "--graph", "--graph --format=%s%n", "--graph --name-only", "-g --oneline", "-g", "-g --format=%s --name-only")],
             ("git", "merge -q --no-ff -m m feature"), ("git", "log -z --cc --name-status -2 --format=%s"),
             ("git", "log -z --graph --stat -3"), setup="branches"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_log(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)


GRAPH_SCENARIOS = [
    # a `stash -u` commit has three parents; its first parent merging left draws no octopus dashes
    scenario("log-graph-stash-octopus", ("git", "checkout -q -b b1"), ("write", "f.txt", "f\n"), ("git", "add f.txt"),
             ("git", "commit -qm b1-work"), ("git", "checkout -q main"), ("write", "new.txt", "n\n"),
             ("write", "a.txt", "x\n"), ("git", "stash -u"), ("git", "checkout -q b1"),
             ("git", "log --graph --oneline --all"), ("git", "log --graph --all --format=%s")),
    scenario("log-graph-merge", ("git", "merge -q feature"), ("git", "log --graph --oneline"),
             ("git", "log --graph"), ("git", "log --graph --all --stat"),
             setup="branches", compare_state=False),
    scenario("log-graph-branches", ("git", "checkout -q -b side HEAD~1"),
             ("write", "s.txt", "s\n"), ("git", "add s.txt"), ("git", "commit -q -m side"),
             ("git", "log --graph --all --format=%s"), ("git", "merge -q --no-edit main"),
             ("git", "log --graph --oneline --all"), ("git", "log --graph --all --decorate"),
             setup="branches", compare_state=False),
    scenario("log-topo-all", ("git", "log --oneline --all --graph"),
             ("git", "log --oneline --all"), setup="branches"),
]


@pytest.mark.parametrize("sc", GRAPH_SCENARIOS)
def test_log_graph(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
