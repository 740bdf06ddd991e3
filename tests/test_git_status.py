"""git status against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

SCENARIOS = [
    scenario("clean", ("git", "status")),
    scenario("clean-short", ("git", "status -s")),
    scenario("empty-repo", ("git", "status"), setup="empty"),
    scenario("empty-repo-sb", ("git", "status -sb"), setup="empty"),
    scenario("empty-repo-staged", ("write", "x", "1\n"), ("git", "add x"), ("git", "status"),
             setup="empty"),
    scenario("modified", ("write", "a.txt", "changed\n"), ("git", "status")),
    scenario("modified-short", ("write", "a.txt", "changed\n"), ("git", "status -s")),
    scenario("deleted", ("rm", "b.txt"), ("git", "status")),
    scenario("untracked-file-and-dir", ("write", "new.txt", "n\n"), ("write", "nd/x/y", "y\n"),
             ("git", "status")),
    scenario("untracked-all", ("write", "nd/x/y", "y\n"), ("write", "nd/z", "z\n"),
             ("git", "status -uall"), ("git", "status --porcelain -uall")),
    scenario("untracked-no", ("write", "new.txt", "n\n"), ("git", "status -uno")),
    scenario("staged-new-and-modified", ("write", "new.txt", "n\n"), ("write", "a.txt", "q\n"),
             ("git", "add new.txt a.txt"), ("write", "a.txt", "r\n"), ("git", "status"),
             ("git", "status -s"), ("git", "status --porcelain")),
    scenario("from-subdir", ("write", "a.txt", "q\n"), ("write", "dir/new", "n\n"),
             ("git", "status", "dir"), ("git", "status -s", "dir"),
             ("git", "status --porcelain", "dir")),
    scenario("pathspec", ("write", "a.txt", "q\n"), ("write", "dir/c.txt", "n\n"),
             ("git", "status -s dir"), ("git", "status dir")),
    scenario("ignored", ("write", ".gitignore", "*.log\nbuild/\n"), ("write", "x.log", "l\n"),
             ("write", "build/out", "o\n"), ("git", "status"), ("git", "status --ignored"),
             ("git", "status -s --ignored")),
    scenario("ignored-dir-only", ("write", ".gitignore", "*.log\n"),
             ("write", "logs/x.log", "l\n"), ("git", "status")),
    scenario("ahead", ("git", "status"), ("git", "status -sb"), setup="remote"),
    scenario("ahead-behind", ("git", "reset -q --hard HEAD~2"), ("git", "status"),
             ("git", "status -sb"), setup="remote", compare_state=False),
    scenario("detached", ("git", "checkout -q HEAD~1"), ("git", "status"), ("git", "status -sb"),
             compare_state=False),
    scenario("renamed", ("git", "mv b.txt renamed.txt"), ("git", "status"), ("git", "status -s"),
             compare_state=False),
    scenario("renamed-no-renames", ("git", "mv b.txt renamed.txt"),
             ("git", "status --no-renames"), ("git", "status -s --no-renames")),
    scenario("detached-at-tag", ("git", "tag v1 HEAD~1"), ("git", "checkout -q v1"),
             ("git", "status"), ("write", "a.txt", "x\n"), ("git", "commit -qam moved"),
             ("git", "status"), ("git", "branch")),
    scenario("unmerged-short", ("write", "f.txt", "main side\n"), ("git", "add f.txt"),
             ("git", "commit -qm side"), ("git", "merge -q feature"), ("git", "status -sb"),
             ("git", "status --porcelain"), setup="branches"),
    scenario("renamed-and-edited", ("git", "mv a.txt moved.txt"),
             ("append", "moved.txt", "epsilon\n"), ("git", "add moved.txt"), ("git", "status"),
             ("git", "status -s")),
    scenario("renamed-two-candidates", ("git", "mv dir/c.txt dir/c2.txt"),
             ("git", "mv b.txt b2.txt"), ("append", "b2.txt", "two\n"), ("git", "add -A"),
             ("git", "status -s")),
    scenario("renamed-too-different", ("git", "mv a.txt moved.txt"),
             ("write", "moved.txt", "totally\ndifferent\ncontent\n"), ("git", "add -A"),
             ("git", "status -s")),
    scenario("typechange", ("rm", "b.txt"), ("symlink", "b.txt", "a.txt"), ("git", "status"),
             ("git", "status -s")),
    scenario("mode-change", ("chmod", "b.txt", "755"), ("git", "status -s")),
    scenario("quoted-names", ("write", "sp ace.txt", "x\n"), ("write", "tab\there", "x\n"),
             ("write", "caf\u00e9", "x\n"), ("git", "status"), ("git", "status -s")),
    scenario("bad-porcelain", ("git", "status --porcelain=v3")),
    scenario("bad-untracked-mode", ("git", "status -uxx")),
    scenario("unknown-option", ("git", "status --bogus")),
    scenario("null", ("write", "a.txt", "x\n"), ("write", "n", "x\n"), ("git", "status -z"),
             ("git", "status -sbz")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_status(sc, tmp_path):
    check(sc, tmp_path)
