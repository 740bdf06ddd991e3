"""git stash, differential against real git (commits, refs/stash and its reflog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario

EDIT = ("write", "a.txt", "alpha\nbeta\ngamma\ndelta\nepsilon\n")
SCENARIOS = [
    scenario("stash-nothing", ("git", "stash"), ("git", "stash list")),
    scenario("stash-push-list", EDIT, ("write", "new.txt", "n\n"), ("git", "add new.txt"),
             ("write", "untracked.txt", "u\n"), ("git", "stash"), ("git", "status --short"),
             ("git", "stash list"), ("git", "log --all --oneline")),
    scenario("stash-message", EDIT, ("git", "stash push -m 'my work'"),
             ("write", "b.txt", "two\n"), ("git", "stash save other"), ("git", "stash list")),
    scenario("stash-show", EDIT, ("git", "stash"), ("git", "stash show"),
             ("git", "stash show -p"), ("git", "stash show stash@{0} --name-only")),
    scenario("stash-pop", EDIT, ("write", "new.txt", "n\n"), ("git", "add new.txt"),
             ("git", "stash"), ("git", "stash pop"), ("git", "stash list"),
             ("git", "status --short")),
    scenario("stash-apply-drop", EDIT, ("git", "stash"), ("write", "b.txt", "changed\n"),
             ("git", "stash"), ("git", "stash apply stash@{1}"), ("git", "stash drop stash@{1}"),
             ("git", "stash list"), ("git", "stash drop"), ("git", "stash list")),
    scenario("stash-pop-conflict", EDIT, ("git", "stash"),
             ("write", "a.txt", "alpha\nbeta\ngamma\ndelta\nother\n"), ("git", "commit -qam c"),
             ("git", "stash pop"), ("git", "stash list"), ("git", "ls-files -s")),
    scenario("stash-untracked", EDIT, ("write", "new.txt", "n\n"), ("write", "d/deep.txt", "d\n"),
             ("write", ".gitignore", "*.log\n"), ("write", "x.log", "ignored\n"),
             ("git", "stash -u"), ("git", "status --short"), ("git", "stash show --stat"),
             ("git", "log --all --oneline"), ("git", "stash pop"), ("git", "status --short")),
    scenario("stash-untracked-empty-dirs", ("mkdir", "un/empty"), ("mkdir", "dir/sub/none"), ("symlink", "ln", "un"),
             ("write", ".gitignore", "kept/\n"), ("mkdir", "kept/e"), ("write", "new.txt", "u\n"),
             ("git", "stash -u"), ("git", "stash pop")),
    scenario("stash-untracked-clash", ("write", "new.txt", "n\n"), ("git", "stash -u"),
             ("write", "new.txt", "other\n"), ("git", "stash pop"), ("git", "stash list")),
    scenario("stash-removed-from-index", ("write", "dir/sub/d.txt", "new\n"),
             ("git", "rm -q --cached dir/c.txt"), ("git", "stash"), ("git", "ls-tree -r stash@{0}"),
             ("git", "status --short"), ("git", "stash pop")),
    scenario("stash-pop-refused", EDIT, ("git", "stash"), ("write", "a.txt", "dirty\n"),
             ("git", "stash pop"), ("git", "stash list")),
    scenario("stash-pathspec", EDIT, ("write", "b.txt", "staged\n"), ("git", "add b.txt"),
             ("write", "new.txt", "n\n"), ("git", "stash push -m part a.txt"),
             ("git", "status --short"), ("git", "stash show -p"), ("git", "stash push nope"),
             ("git", "stash push -- new.txt"), ("git", "stash push -u new.txt"),
             ("git", "status --short"), ("git", "stash push dir"), ("git", "stash list"),
             ("git", "stash pop"), ("git", "status --short")),
    scenario("stash-keep-index", EDIT, ("write", "b.txt", "staged\n"), ("git", "add b.txt"),
             ("write", "b.txt", "worktree\n"), ("git", "stash -k"), ("git", "status --short"),
             ("git", "stash pop --index"), ("git", "status --short"), ("git", "stash -k -- b.txt"),
             ("git", "status --short"), ("git", "stash list")),
    scenario("stash-apply-index", EDIT, ("write", "b.txt", "staged\n"), ("git", "add b.txt"),
             ("git", "stash"), ("git", "stash apply --index"), ("git", "status --short"),
             ("git", "stash apply --index"), ("git", "reset -q --hard"),
             ("write", "b.txt", "other\n"), ("git", "add b.txt"), ("git", "stash apply --index"),
             ("git", "reflog -3")),
    scenario("stash-branch", EDIT, ("write", "b.txt", "staged\n"), ("git", "add b.txt"),
             ("git", "stash"), ("git", "commit -q --allow-empty -m later"), ("git", "stash branch"),
             ("git", "stash branch work"), ("git", "status --short"), ("git", "reflog -3"),
             ("git", "stash branch work"), ("git", "stash branch 'bad name'"),
             ("git", "stash branch other stash@{3}")),
    scenario("stash-names-and-quiet", EDIT, ("git", "stash -q"), ("write", "b.txt", "two\n"),
             ("git", "stash -q"), ("write", "b.txt", "three\n"), ("git", "stash -q"),
             ("git", "stash drop 5"), ("git", "stash drop stash@{7}"), ("git", "stash apply @{9}"),
             ("git", "stash drop @{0}"), ("git", "stash show 1"), ("git", "stash drop -q 1"),
             ("git", "stash drop stash@{1}"), ("git", "stash pop -q"), ("git", "stash -q"),
             ("git", "stash -q"), ("git", "stash list")),
    scenario("stash-pathspec-untracked-in-index", ("write", "dir/c.txt", "zz\n"),
             ("git", "rm -q --cached dir/c.txt"), ("git", "stash push -m m dir"),
             ("git", "status --short"), ("git", "stash list")),
    scenario("stash-bad-subcommand", EDIT, ("git", "stash a.txt"), ("git", "stash list")),
    scenario("stash-empty-errors", ("git", "stash pop"), ("git", "stash drop"),
             ("git", "stash show"), ("git", "stash apply")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_stash(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
