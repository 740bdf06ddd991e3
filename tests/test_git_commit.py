"""git commit against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

CONFLICT = (("write", "f.txt", "main side\n"), ("git", "add f.txt"), ("git", "commit -qm side"),
            ("git", "merge -q feature"))

SCENARIOS = [
    scenario("merge-status", *CONFLICT, ("git", "status"), ("git", "status -s"),
             ("write", "f.txt", "resolved\n"), ("git", "add f.txt"), ("git", "status"),
             setup="branches"),
    scenario("merge-commit-unresolved", *CONFLICT, ("git", "commit -m x"), setup="branches"),
    scenario("merge-commit-no-edit", *CONFLICT, ("write", "f.txt", "resolved\n"),
             ("git", "add f.txt"), ("git", "commit --no-edit"), setup="branches"),
    scenario("merge-commit-editor", *CONFLICT, ("write", "f.txt", "resolved\n"),
             ("git", "commit -a"), setup="branches"),
    scenario("merge-checkout-blocked", *CONFLICT, ("git", "checkout feature"),
             ("git", "checkout -- f.txt"), setup="branches"),
    scenario("merge-reset-hard", *CONFLICT, ("git", "reset --hard"), ("git", "status"),
             setup="branches"),
    scenario("merge-reset-mixed", *CONFLICT, ("git", "reset"), ("git", "status -s"),
             setup="branches"),
    scenario("merge-rm-conflicted", *CONFLICT, ("git", "rm -q f.txt"), ("git", "status -s"),
             setup="branches"),
    scenario("commit-one-file", ("write", "new.txt", "n\n"), ("git", "add new.txt"),
             ("git", "commit -m 'add new'")),
    scenario("commit-root", ("write", "x", "1\n"), ("git", "add x"), ("git", "commit -m first"),
             setup="empty"),
    scenario("commit-multi-m", ("write", "a.txt", "z\n"), ("git", "commit -a -m one -m two")),
    scenario("commit-all", ("write", "a.txt", "z\n"), ("rm", "b.txt"),
             ("git", "commit -am 'all changes'")),
    scenario("commit-nothing", ("git", "commit -m x")),
    scenario("commit-nothing-untracked", ("write", "u", "u\n"), ("git", "commit -m x")),
    scenario("commit-nothing-unstaged", ("write", "a.txt", "u\n"), ("git", "commit -m x")),
    scenario("commit-nothing-empty-repo", ("git", "commit -m x"), setup="empty"),
    scenario("commit-allow-empty", ("git", "commit --allow-empty -m empty")),
    scenario("commit-amend", ("write", "a.txt", "amended\n"), ("git", "add a.txt"),
             ("git", "commit --amend -m better")),
    scenario("commit-amend-no-edit", ("write", "new", "n\n"), ("git", "add new"),
             ("git", "commit --amend --no-edit")),
    scenario("commit-amend-empty-repo", ("git", "commit --amend -m x"), setup="empty"),
    scenario("commit-no-message", ("write", "a.txt", "z\n"), ("git", "commit -a")),
    scenario("commit-empty-message", ("write", "a.txt", "z\n"), ("git", "commit -a -m ''")),
    scenario("commit-author", ("write", "a.txt", "z\n"),
             ("git", "commit -a -m x --author 'Other Person <other@example.com>'")),
    scenario("commit-bad-author", ("write", "a.txt", "z\n"), ("git", "commit -a -m x --author nobody")),
    scenario("commit-paths-only", ("write", "a.txt", "z\n"), ("write", "b.txt", "y\n"),
             ("git", "commit -m partial a.txt"), ("git", "status -s")),
    scenario("commit-path-unknown", ("write", "a.txt", "z\n"), ("git", "commit -m x nope")),
    scenario("commit-rename-summary", ("git", "mv b.txt moved.txt"), ("git", "commit -m mv")),
    scenario("commit-delete-create", ("git", "rm -q dir/c.txt"), ("write", "e.sh", "#!/bin/sh\n"),
             ("chmod", "e.sh", "755"), ("git", "add e.sh"), ("git", "commit -m mixed")),
    scenario("commit-rename-edited", ("git", "mv a.txt moved.txt"),
             ("append", "moved.txt", "epsilon\n"), ("git", "commit -qam x"),
             ("git", "reset -q --soft HEAD~1"), ("git", "commit -m again")),
    scenario("commit-rename-into-dir", ("git", "mv dir/sub/d.txt dir/d.txt"),
             ("append", "dir/d.txt", "more\n"), ("git", "commit -am moved")),
    scenario("commit-mode-change", ("chmod", "b.txt", "755"), ("git", "commit -am mode")),
    scenario("commit-detached", ("git", "checkout -q HEAD~1"), ("write", "a.txt", "d\n"),
             ("git", "commit -qam quiet"), ("write", "a.txt", "e\n"), ("git", "commit -am d")),
    scenario("commit-whitespace-cleanup", ("write", "a.txt", "z\n"),
             ("git", "commit -a -m 'lead  \n\n\n# kept  \ntrail   \n\n'")),
    scenario("commit-signoff", ("write", "a.txt", "z\n"), ("git", "commit -a -s -m signed")),
    scenario("commit-ahead-status", ("write", "a.txt", "z\n"), ("git", "commit -a -m more"),
             ("git", "status"), setup="remote"),
    scenario("commit-nothing-remote", ("git", "commit -m x"), setup="remote"),
    scenario("commit-from-subdir", ("write", "dir/c.txt", "q\n"), ("git", "commit -am sub", "dir"),
             ("git", "commit -m none", "dir")),
    scenario("commit-binary", ("write", "bin.dat", b"\x00\x01\x02binary"), ("git", "add bin.dat"),
             ("git", "commit -m bin")),
    scenario("commit-file-message", ("write", "msg.txt", "from file\n\nbody\n"),
             ("write", "a.txt", "z\n"), ("git", "commit -a -F msg.txt")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_commit(sc, tmp_path):
    check(sc, tmp_path)
