"""rev-parse, cat-file, ls-files, reflog: differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario

SCENARIOS = [
    scenario("rev-parse-basic", ("git", "rev-parse HEAD"), ("git", "rev-parse HEAD~1 main"),
             ("git", "rev-parse --short HEAD"), ("git", "rev-parse --short=10 HEAD")),
    scenario("rev-parse-abbrev-ref", ("git", "rev-parse --abbrev-ref HEAD"),
             ("git", "rev-parse --symbolic-full-name HEAD"), ("git", "checkout -q --detach"),
             ("git", "rev-parse --abbrev-ref HEAD")),
    scenario("rev-parse-verify", ("git", "rev-parse --verify HEAD"),
             ("git", "rev-parse --verify nosuch"), ("git", "rev-parse --verify -q nosuch"),
             ("git", "rev-parse --verify HEAD~7")),
    scenario("rev-parse-unknown", ("git", "rev-parse nosuch"), ("git", "rev-parse HEAD nosuch")),
    scenario("rev-parse-toplevel", ("git", "rev-parse --show-toplevel"),
             ("git", "rev-parse --show-toplevel", "dir/sub"),
             ("git", "rev-parse --show-prefix", "dir/sub"), ("git", "rev-parse --show-cdup", "dir"),
             ("git", "rev-parse --git-dir"), ("git", "rev-parse --is-inside-work-tree")),
    scenario("rev-parse-upstream", ("git", "rev-parse --abbrev-ref @{u}"),
             ("git", "rev-parse --symbolic-full-name @{u}"), ("git", "rev-parse --abbrev-ref main@{upstream}"),
             ("git", "checkout -q -b x"), ("git", "checkout -q main"), ("git", "rev-parse --abbrev-ref @{-1}"),
             ("git", "rev-parse --abbrev-ref x@{u}"), setup="remote"),
    scenario("rev-parse-ranges", ("git", "rev-parse main..feature"),
             ("git", "rev-parse HEAD^{tree} HEAD:a.txt"), setup="branches"),
    scenario("cat-file-kinds", ("git", "cat-file -t HEAD"), ("git", "cat-file -s HEAD"),
             ("git", "cat-file -p HEAD"), ("git", "cat-file -p HEAD^{tree}"),
             ("git", "cat-file -p HEAD:a.txt"), ("git", "cat-file blob HEAD:b.txt"),
             ("git", "cat-file -t HEAD:dir"), ("git", "cat-file -e HEAD")),
    scenario("cat-file-errors", ("git", "cat-file -p nosuch"), ("git", "cat-file -e nosuch"),
             ("git", "cat-file -t HEAD:nosuch")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_plumbing(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)

MORE = [
    scenario("reflog-show", ("git", "reflog"), ("git", "reflog show main"),
             ("git", "reflog -n 1"), ("git", "reflog show nosuch")),
    scenario("reflog-after-reset", ("git", "reset -q --hard HEAD~1"), ("git", "reflog"),
             ("git", "reset -q --hard HEAD@{1}"), ("git", "log --oneline")),
    scenario("empty-repo-errors", ("git", "show"), ("git", "reflog"), ("git", "blame a.txt"),
             ("write", "a.txt", "x\n"), ("git", "add a.txt"), ("git", "diff --cached --stat"),
             ("git", "log --oneline"), setup="empty"),
    scenario("detached-head", ("git", "checkout -q --detach HEAD~1"), ("write", "a.txt", "zz\n"),
             ("git", "stash"), ("git", "stash list"), ("git", "merge feature"),
             ("git", "log --oneline --decorate --all"), ("git", "rev-parse --abbrev-ref HEAD"),
             setup="branches"),
    scenario("ls-files-basic", ("git", "ls-files"), ("git", "ls-files -s"),
             ("git", "ls-files dir"), ("git", "ls-files", "dir"), ("git", "ls-files -- '*.txt'"),
             ("git", "ls-files --error-unmatch a.txt nosuch"),
             ("git", "ls-files --error-unmatch a.txt")),
    scenario("ls-files-modified-others", ("write", "a.txt", "x\n"), ("rm", "b.txt"),
             ("write", "new.txt", "n\n"), ("write", ".gitignore", "*.log\n"),
             ("write", "junk.log", "j\n"), ("write", "sub/deep.txt", "d\n"),
             ("git", "ls-files -m"), ("git", "ls-files -d"), ("git", "ls-files -o"),
             ("git", "ls-files -o --exclude-standard"), ("git", "ls-files --others", "dir")),
]


@pytest.mark.parametrize("sc", MORE)
def test_reflog_ls_files(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)


HELPERS = [
    scenario("rev-list", ("git", "rev-list HEAD"), ("git", "rev-list --count HEAD"),
             ("git", "rev-list --all --count"), ("git", "rev-list main..feature"),
             ("git", "rev-list --reverse -n 2 main"), ("git", "rev-list HEAD -- b.txt"),
             ("git", "rev-list nosuch"), setup="branches"),
    scenario("merge-base", ("git", "merge-base main feature"), ("git", "merge-base --all main feature"),
             ("git", "merge-base --is-ancestor merged main"),
             ("git", "merge-base --is-ancestor feature main"), ("git", "merge-base main nosuch"),
             setup="branches"),
    scenario("ls-tree", ("git", "ls-tree HEAD"), ("git", "ls-tree -r HEAD"),
             ("git", "ls-tree -r --name-only HEAD"), ("git", "ls-tree -r -t HEAD"),
             ("git", "ls-tree -d HEAD"), ("git", "ls-tree HEAD dir"), ("git", "ls-tree HEAD", "dir"),
             ("git", "ls-tree -r HEAD", "dir"), ("git", "ls-tree HEAD~1 a.txt"),
             ("git", "ls-tree nosuch")),
]


@pytest.mark.parametrize("sc", HELPERS)
def test_helpers(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)


REFS = [
    scenario("for-each-ref", ("git", "tag -a v1 -m 'release one'"), ("git", "tag v0 HEAD~1"),
             ("git", "for-each-ref"), ("git", "for-each-ref refs/heads"),
             ("git", "for-each-ref --format='%(refname:short) %(objectname:short) %(subject)'"),
             ("git", "for-each-ref --sort=-refname --format='%(refname)|%(HEAD)|%(objecttype)'"),
             ("git", "for-each-ref --count=2 --format='%(authorname) %(authoremail)'"),
             ("git", "for-each-ref --sort=-committerdate refs/heads/ --format='%(refname:short)'"),
             ("git", "for-each-ref 'refs/tags/v*' --format='%(refname:short) %(taggername)'"),
             setup="branches"),
    scenario("show-ref", ("git", "tag -a v1 -m one"), ("git", "show-ref"), ("git", "show-ref --tags"),
             ("git", "show-ref --heads"), ("git", "show-ref -d --tags"), ("git", "show-ref main"),
             ("git", "show-ref nosuch"), ("git", "show-ref --verify refs/heads/main"),
             ("git", "show-ref --verify refs/heads/nosuch"), ("git", "show-ref -s --heads"),
             setup="branches"),
]


@pytest.mark.parametrize("sc", REFS)
def test_refs(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
