"""git reset, checkout, switch and restore against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

DIRTY = ("write", "a.txt", "local edit\n")

SCENARIOS = [
    # reset
    scenario("reset-mixed-default", DIRTY, ("git", "add a.txt"), ("rm", "b.txt"), ("git", "reset")),
    scenario("reset-mixed-rev", ("git", "reset HEAD~1"), ("git", "status -s")),
    scenario("reset-soft", ("git", "reset --soft HEAD~1"), ("git", "status -s")),
    scenario("reset-hard", DIRTY, ("write", "new", "n\n"), ("git", "reset --hard HEAD~1")),
    scenario("reset-hard-quiet", DIRTY, ("git", "reset -q --hard")),
    scenario("reset-hard-removes-added", ("write", "new", "n\n"), ("git", "add new"),
             ("git", "reset --hard")),
    scenario("reset-unknown-rev", ("git", "reset --hard nope")),
    scenario("reset-paths", DIRTY, ("git", "add a.txt"), ("git", "reset a.txt"),
             ("git", "status -s")),
    scenario("reset-paths-dashdash", DIRTY, ("git", "add a.txt"), ("git", "reset -- a.txt nope")),
    scenario("reset-rev-paths", ("git", "reset HEAD~1 a.txt"), ("git", "status -s")),
    scenario("reset-hard-paths", ("git", "reset --hard HEAD -- a.txt")),
    scenario("reset-soft-paths", ("git", "reset --soft HEAD a.txt")),
    scenario("reset-mixed-paths-warning", ("git", "reset --mixed HEAD a.txt")),
    scenario("reset-reflog-at", ("git", "reset -q --hard HEAD~1"), ("git", "reset --hard HEAD@{1}")),
    scenario("reset-from-subdir", ("write", "dir/c.txt", "x\n"), ("git", "add -A"),
             ("git", "reset", "dir")),
    scenario("reset-empty-repo", ("write", "x", "1\n"), ("git", "add x"), ("git", "reset"),
             ("git", "status -s"), setup="empty"),
    scenario("reset-hard-dir-to-file", ("git", "reset -q --hard HEAD~1"), ("rm", "dir"),
             ("git", "reset --hard")),
    # checkout / switch
    scenario("checkout-branch", ("git", "checkout feature"), setup="branches"),
    scenario("checkout-already-on", ("git", "checkout main"), setup="branches"),
    scenario("checkout-new-branch", ("git", "checkout -b topic"), ("git", "status")),
    scenario("checkout-new-branch-start", ("git", "checkout -b topic HEAD~1")),
    scenario("checkout-new-branch-exists", ("git", "checkout -b feature"), setup="branches"),
    scenario("checkout-force-branch", ("git", "checkout -B feature main~1"), setup="branches"),
    scenario("checkout-force-current", ("git", "checkout -B main HEAD~1"), setup="branches"),
    scenario("checkout-detached", ("git", "checkout HEAD~1"), ("git", "status")),
    scenario("checkout-detach-flag", ("git", "checkout --detach")),
    scenario("checkout-back-from-detached", ("git", "checkout -q HEAD~1"),
             ("git", "checkout main")),
    scenario("checkout-orphaned-commit", ("git", "checkout -q --detach"),
             ("git", "commit -q --allow-empty -m lost"), ("git", "checkout main")),
    scenario("checkout-dash", ("git", "checkout -q feature"), ("git", "checkout -"),
             setup="branches"),
    scenario("checkout-dirty-carried", DIRTY, ("git", "checkout feature"), setup="branches"),
    scenario("checkout-dirty-blocked", ("write", "b.txt", "conflict\n"),
             ("git", "checkout feature"), setup="branches"),
    scenario("checkout-untracked-blocked", ("write", "f.txt", "mine\n"),
             ("git", "checkout feature"), setup="branches"),
    scenario("checkout-force-discards", ("write", "b.txt", "conflict\n"),
             ("git", "checkout -f feature"), setup="branches"),
    scenario("checkout-unknown", ("git", "checkout nope")),
    scenario("checkout-paths-index", DIRTY, ("git", "checkout -- a.txt")),
    scenario("checkout-paths-no-dashdash", DIRTY, ("git", "checkout a.txt")),
    scenario("checkout-rev-paths", ("git", "checkout HEAD~1 -- a.txt"), ("git", "status -s")),
    scenario("checkout-rev-paths-count", ("git", "checkout HEAD~1 a.txt b.txt")),
    scenario("checkout-paths-missing", ("git", "checkout -- nope")),
    scenario("checkout-remote-dwim", ("git", "branch -q -m main other"),
             ("git", "checkout -q --detach"), ("git", "branch -q -D other"),
             ("git", "checkout main"), setup="remote"),
    scenario("checkout-track-remote", ("git", "checkout -b topic origin/main"), setup="remote"),
    scenario("checkout-tracking-report", ("git", "checkout -q -b side"), ("git", "checkout main"),
             setup="remote"),
    scenario("checkout-bad-branch-name", ("git", "checkout -b 'bad name'")),
    scenario("checkout-deleted-file-carried", ("rm", "dir/c.txt"), ("git", "checkout feature"),
             setup="branches"),
    scenario("switch-branch", ("git", "switch feature"), setup="branches"),
    scenario("switch-create", ("git", "switch -c topic"), ("git", "switch -C topic HEAD~1")),
    scenario("switch-commit-refused", ("git", "switch HEAD~1")),
    scenario("switch-tag-refused", ("git", "tag v1 HEAD~1"), ("git", "switch v1")),
    scenario("switch-detach", ("git", "switch --detach HEAD~1"), ("git", "switch -")),
    scenario("switch-missing-arg", ("git", "switch")),
    scenario("switch-unknown", ("git", "switch nope")),
    scenario("switch-dirty-blocked", ("write", "b.txt", "x\n"), ("git", "switch feature"),
             setup="branches"),
    # restore
    scenario("restore-worktree", DIRTY, ("git", "restore a.txt"), ("git", "status -s")),
    scenario("restore-staged", DIRTY, ("git", "add a.txt"), ("git", "restore --staged a.txt"),
             ("git", "status -s")),
    scenario("restore-staged-new-file", ("write", "n", "1\n"), ("git", "add n"),
             ("git", "restore --staged n"), ("git", "status -s")),
    scenario("restore-source", ("git", "restore --source=HEAD~1 a.txt"), ("git", "status -s")),
    scenario("restore-source-staged-worktree", ("git", "restore -s HEAD~1 -SW a.txt"),
             ("git", "status -s")),
    scenario("restore-dir", ("write", "dir/c.txt", "x\n"), ("rm", "dir/sub/d.txt"),
             ("git", "restore dir"), ("git", "status -s")),
    scenario("restore-no-paths", ("git", "restore")),
    scenario("restore-missing", ("git", "restore nope")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_checkout_reset(sc, tmp_path):
    check(sc, tmp_path)
