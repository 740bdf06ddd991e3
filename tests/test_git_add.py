"""git add and git rm against real git (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

SCENARIOS = [
    scenario("add-file", ("write", "new.txt", "n\n"), ("git", "add new.txt"), ("git", "status -s")),
    scenario("add-dot", ("write", "new.txt", "n\n"), ("write", "a.txt", "m\n"), ("rm", "b.txt"),
             ("git", "add ."), ("git", "status -s")),
    scenario("add-dir", ("write", "nd/x", "n\n"), ("write", "nd/y/z", "n\n"), ("git", "add nd"),
             ("git", "status -s")),
    scenario("add-all", ("write", "new.txt", "n\n"), ("rm", "dir/c.txt"), ("git", "add -A")),
    scenario("add-update", ("write", "new.txt", "n\n"), ("write", "a.txt", "m\n"),
             ("rm", "b.txt"), ("git", "add -u"), ("git", "status -s")),
    scenario("add-verbose", ("write", "new.txt", "n\n"), ("rm", "b.txt"), ("git", "add -v -A")),
    scenario("add-dry-run", ("write", "new.txt", "n\n"), ("write", "a.txt", "q\n"),
             ("git", "add -n .")),
    scenario("add-nothing", ("git", "add")),
    scenario("add-missing", ("write", "new.txt", "n\n"), ("git", "add new.txt nope")),
    scenario("add-update-missing", ("git", "add -u nope")),
    scenario("add-ignored", ("write", ".gitignore", "*.log\n"), ("write", "x.log", "l\n"),
             ("write", "y", "y\n"), ("git", "add x.log y"), ("git", "add -f x.log")),
    scenario("add-glob", ("write", "n1.txt", "1\n"), ("write", "n2.md", "2\n"),
             ("write", "dir/n3.txt", "3\n"), ("git", "add *.txt")),
    scenario("add-glob-quoted", ("write", "n1.txt", "1\n"), ("write", "dir/n3.txt", "3\n"),
             ("git", "add '*.txt'")),
    scenario("add-from-subdir", ("write", "dir/new", "1\n"), ("write", "top", "2\n"),
             ("git", "add -v .", "dir"), ("git", "add -v ../top", "dir")),
    scenario("add-outside", ("git", "add ../x"), ("git", "add /etc/passwd")),
    scenario("add-exec-and-link", ("write", "run.sh", "#!/bin/sh\n"), ("chmod", "run.sh", "755"),
             ("symlink", "ln", "a.txt"), ("git", "add -A")),
    scenario("add-empty-repo", ("write", "x", "1\n"), ("git", "add -v x"), setup="empty"),
    scenario("add-unknown-option", ("git", "add --bogus")),
    scenario("rm-file", ("git", "rm b.txt")),
    scenario("rm-cached", ("git", "rm --cached b.txt")),
    scenario("rm-dir-needs-r", ("git", "rm dir")),
    scenario("rm-recursive", ("git", "rm -r dir")),
    scenario("rm-quiet", ("git", "rm -q -r dir")),
    scenario("rm-modified-refused", ("write", "a.txt", "zz\n"), ("git", "rm a.txt")),
    scenario("rm-staged-refused", ("write", "a.txt", "zz\n"), ("git", "add a.txt"),
             ("git", "rm a.txt")),
    scenario("rm-force", ("write", "a.txt", "zz\n"), ("git", "add a.txt"), ("git", "rm -f a.txt")),
    scenario("rm-missing", ("git", "rm nope")),
    scenario("rm-already-deleted", ("rm", "b.txt"), ("git", "rm b.txt")),
    scenario("rm-glob", ("git", "rm -r 'dir/*.txt'")),
    scenario("rm-dry-run", ("git", "rm -n -r dir")),
    scenario("mv-file", ("git", "mv b.txt z.txt"), ("git", "status -s")),
    scenario("mv-into-dir", ("git", "mv b.txt dir"), ("git", "status -s")),
    scenario("mv-dir", ("git", "mv dir renamed"), ("git", "status -s")),
    scenario("mv-missing", ("git", "mv nope x")),
    scenario("mv-untracked", ("write", "u", "1\n"), ("git", "mv u v")),
    scenario("mv-exists", ("git", "mv a.txt b.txt")),
    scenario("mv-force", ("git", "mv -f a.txt b.txt")),
    scenario("mv-verbose", ("git", "mv -v b.txt q.txt")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_add_rm_mv(sc, tmp_path):
    check(sc, tmp_path)


NAMES = (("write", "sp ace.txt", "x\n"), ("write", "caf\u00e9.txt", "x\n"),
         ("write", "tab\tname", "x\n"), ("write", 'q"uote', "x\n"))
NAME_SCENARIOS = [
    scenario("names-add-commit", *NAMES, ("git", "add -v ."), ("git", "status"),
             ("git", "status -s"), ("git", "commit -m names")),
    scenario("names-mv-rm-reset", *NAMES, ("git", "add ."), ("git", "commit -qm names"),
             ("git", "mv 'sp ace.txt' 'sp ace2.txt'"), ("git", "mv -v caf\u00e9.txt cafe2.txt"),
             ("git", "status"), ("git", "rm 'sp ace2.txt'"), ("git", "rm --cached 'tab\tname'"),
             ("git", "status -s"), ("git", "reset"), ("write", "caf\u00e9.txt", "y\n"),
             ("git", "reset"), ("git", "clean -n")),
    scenario("from-subdirectory", ("write", "dir/c.txt", "q\n"), ("write", "a.txt", "q\n"),
             ("write", "dir/n.txt", "n\n"), ("git", "status", "dir"),
             ("git", "status -s", "dir/sub"), ("git", "add c.txt", "dir"),
             ("git", "add ../a.txt", "dir"), ("git", "status", "dir/sub"),
             ("git", "reset c.txt", "dir"), ("git", "rm --cached ../b.txt", "dir"),
             ("git", "rm sub/d.txt", "dir"), ("git", "checkout -- c.txt", "dir"),
             ("git", "restore ../a.txt", "dir"), ("git", "clean -n", "dir"),
             ("git", "mv n.txt n2.txt", "dir"), ("git", "add -A .", "dir"), ("git", "status", "dir"),
             ("git", "commit -m sub", "dir"), ("git", "reset --hard HEAD~1", "dir"),
             ("git", "add nonexist", "dir"), ("git", "rm nonexist", "dir"),
             ("git", "checkout nonexist", "dir")),
    scenario("names-refusals", *NAMES, ("git", "add ."), ("git", "commit -qm names"),
             ("git", "checkout -q -b other"), ("write", "caf\u00e9.txt", "o\n"),
             ("git", "commit -qam o"), ("git", "checkout -q main"),
             ("write", "caf\u00e9.txt", "m\n"), ("git", "rm caf\u00e9.txt"),
             ("git", "checkout other")),
]


@pytest.mark.parametrize("sc", NAME_SCENARIOS)
def test_unusual_names(sc, tmp_path):
    check(sc, tmp_path)
