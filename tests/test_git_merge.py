"""git merge, differential against real git (output, index stages, MERGE_* files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import SETUPS, Scenario, check, scenario

SETUPS["conflict"] = (
    ("setup", "basic"),
    ("git", "checkout -q -b topic"),
    ("write", "a.txt", "alpha\nBETA from topic\ngamma\ndelta\n"),
    ("write", "b.txt", "one\ntopic line\n"),
    ("write", "t.txt", "topic only\n"),
    ("git", "add ."),
    ("git", "commit -q -m topic-change"),
    ("git", "checkout -q main"),
    ("write", "a.txt", "alpha\nbeta on main\ngamma\ndelta\n"),
    ("git", "commit -q -am main-change"),
)

SCENARIOS = [
    scenario("merge-fast-forward", ("git", "checkout -q -b work"), ("git", "checkout -q main"),
             ("git", "merge feature"), ("git", "log --oneline"), setup="branches"),
    scenario("merge-ff-real", ("git", "checkout -q feature"), ("git", "merge merged"),
             ("git", "checkout -q merged"), ("git", "merge feature"), ("git", "log --oneline"),
             setup="branches"),
    scenario("merge-true-merge", ("git", "merge feature"), ("git", "log --oneline --graph"),
             ("git", "show --stat HEAD"), setup="branches"),
    scenario("merge-no-ff", ("git", "checkout -q feature"), ("git", "merge --no-ff merged"),
             ("git", "log --oneline -3"), setup="branches"),
    scenario("merge-message", ("git", "merge -m 'Custom merge' feature"), ("git", "log -1"),
             setup="branches"),
    scenario("merge-into-topic", ("git", "checkout -q -b topic"), ("git", "merge feature"),
             ("git", "log -1 --format=%s"), setup="branches"),
    scenario("merge-up-to-date", ("git", "merge merged"), ("git", "merge main"),
             setup="branches"),
    scenario("merge-conflict", ("git", "merge topic"), ("git", "status"),
             ("git", "ls-files -s"), setup="conflict"),
    scenario("merge-conflict-resolve", ("git", "merge topic"),
             ("write", "a.txt", "alpha\nresolved\ngamma\ndelta\n"), ("git", "add a.txt"),
             ("git", "commit --no-edit"), ("git", "log --oneline --graph"), ("git", "log -1"),
             setup="conflict"),
    scenario("merge-conflict-commit-refused", ("git", "merge topic"), ("git", "commit -m x"),
             ("git", "merge topic"), setup="conflict"),
    scenario("merge-abort", ("git", "merge topic"), ("git", "merge --abort"), ("git", "status"),
             ("git", "merge --abort"), setup="conflict"),
    scenario("merge-continue", ("git", "merge topic"),
             ("write", "a.txt", "alpha\nfixed\ngamma\ndelta\n"), ("git", "add a.txt"),
             ("git", "merge --continue"), ("git", "log --oneline -3"), setup="conflict"),
    scenario("merge-dirty-worktree", ("write", "b.txt", "local edit\n"), ("git", "merge topic"),
             setup="conflict"),
    scenario("merge-unknown", ("git", "merge nosuch"), ("git", "merge --ff-only topic"),
             setup="conflict"),
    scenario("merge-modify-delete", ("git", "checkout -q -b del"), ("git", "rm -q b.txt"),
             ("git", "commit -q -m delete-b"), ("git", "checkout -q main"),
             ("write", "b.txt", "one\nchanged\n"), ("git", "commit -q -am change-b"),
             ("git", "merge del"), ("git", "status --short")),
    scenario("merge-add-add", ("git", "checkout -q -b other"), ("write", "n.txt", "x\ny\n"),
             ("git", "add n.txt"), ("git", "commit -q -m add-n"), ("git", "checkout -q main"),
             ("write", "n.txt", "x\nz\n"), ("git", "add n.txt"), ("git", "commit -q -m add-n2"),
             ("git", "merge other")),
    scenario("merge-no-commit", ("git", "merge --no-commit feature"), ("git", "status --short"),
             setup="branches"),
    scenario("merge-squash", ("git", "merge --squash feature"), ("git", "status --short"),
             ("git", "log --oneline -1"), setup="branches"),
    scenario("merge-squash-ff", ("git", "checkout -q merged"), ("git", "merge --squash feature"),
             ("git", "status --short"), setup="branches"),
    scenario("merge-squash-conflict", ("git", "merge --squash topic"), ("git", "status --short"),
             setup="conflict"),
    scenario("merge-edge-cases", ("git", "merge --squash merged"), ("git", "merge topic"),
             ("git", "ls-files -m"), ("git", "ls-files -d -m"), ("git", "stash"), ("git", "stash -u"),
             setup="conflict"),
    scenario("revert-root-dirty", ("write", "a.txt", "local\n"), ("git", "revert --no-edit HEAD~1"),
             ("git", "status --short")),
    scenario("stash-u-nothing-untracked", ("write", "b.txt", ""), ("git", "stash -u"),
             ("git", "log --all --format='%s %P'"), ("git", "stash pop"), setup="branches"),
    scenario("merge-rename-modify", ("write", "long.txt", "".join(f"line {i}\n" for i in range(20))),
             ("git", "add long.txt"), ("git", "commit -qm long"), ("git", "checkout -q -b side"),
             ("git", "mv long.txt moved.txt"), ("git", "commit -qm rename"), ("git", "checkout -q main"),
             ("write", "long.txt", "".join(f"line {i}\n" if i != 3 else "LINE 3\n" for i in range(20))),
             ("git", "commit -qam edit"), ("git", "merge side"), ("git", "log --stat -1 --format=%s"),
             ("git", "checkout -q -b s2 HEAD~1"),
             ("write", "long.txt", "".join(f"line {i}\n" if i != 10 else "TEN\n" for i in range(20))),
             ("git", "commit -qam ten"), ("git", "checkout -q side"),
             ("write", "moved.txt", "".join(f"line {i}\n" if i != 10 else "ten!\n" for i in range(20))),
             ("git", "commit -qam tenb"), ("git", "merge s2"), ("git", "ls-files -s"), ("git", "diff")),
    scenario("merge-strategy-option", ("git", "merge -X theirs topic"), ("git", "show HEAD:a.txt"),
             ("git", "reset -q --hard HEAD~1"), ("git", "merge -Xours topic"),
             ("git", "show HEAD:a.txt"), ("git", "reset -q --hard HEAD~1"),
             ("git", "merge -X bogus topic"), ("git", "cherry-pick -X theirs topic"),
             ("git", "revert -X ours --no-edit HEAD"), ("git", "log --oneline -3"),
             setup="conflict"),
    scenario("merge-unconcluded", ("git", "merge topic"), ("git", "merge topic"),
             ("git", "add a.txt"), ("git", "merge topic"), setup="conflict"),
    scenario("merge-diff-during-conflict", ("git", "merge topic"), ("git", "diff --cached"),
             ("git", "diff --name-status"), ("git", "diff"), ("git", "diff --stat"),
             ("git", "diff --name-only"), ("write", "a.txt", "alpha\nresolved\ngamma\ndelta\n"),
             ("git", "diff"), ("git", "diff --stat"), ("git", "diff HEAD --stat"),
             setup="conflict"),
    scenario("merge-diff-two-hunks", ("write", "long.txt", "".join(f"l{i}\n" for i in range(20))),
             ("git", "add long.txt"), ("git", "commit -qm long"), ("git", "checkout -q -b other"),
             ("write", "long.txt", "".join(f"l{i}\n" if i not in (2, 15) else f"T{i}\n"
                                           for i in range(20))),
             ("git", "commit -qam theirs"), ("git", "checkout -q main"),
             ("write", "long.txt", "".join(f"l{i}\n" if i not in (2, 15) else f"O{i}\n"
                                           for i in range(20))),
             ("git", "commit -qam ours"), ("git", "merge other"), ("git", "diff"),
             ("write", "long.txt", "".join(f"l{i}\n" if i != 15 else "O15\n"
                                           for i in range(20))),
             ("git", "diff"), ("git", "diff --stat")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_merge(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
