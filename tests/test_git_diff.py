"""git diff, differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

EDIT = ("write", "a.txt", "alpha\nBETA\ngamma\ndelta\n")
SCENARIOS = [
    scenario("diff-clean", ("git", "diff"), ("git", "diff --stat")),
    scenario("diff-worktree", EDIT, ("write", "dir/c.txt", "changed\n"), ("git", "diff")),
    scenario("diff-worktree-formats", EDIT, ("git", "diff --stat"), ("git", "diff --shortstat"),
             ("git", "diff --name-only"), ("git", "diff --name-status")),
    scenario("diff-deleted-file", ("rm", "b.txt"), ("git", "diff"), ("git", "diff --stat")),
    scenario("diff-mode-change", ("chmod", "b.txt", "755"), ("git", "diff")),
    scenario("diff-cached", EDIT, ("write", "new.txt", "new\n"), ("git", "add a.txt new.txt"),
             ("git", "diff --cached"), ("git", "diff --staged --stat"), ("git", "diff")),
    scenario("diff-cached-rename", ("git", "mv b.txt renamed.txt"), ("git", "diff --cached"),
             ("git", "diff --cached --stat"), ("git", "diff --cached --name-status")),
    scenario("diff-inexact-renames",
             ("write", "long.txt", "".join(f"line number {i}\n" for i in range(20))),
             ("write", "half.txt", "".join(f"bbb {i}\n" for i in range(10))),
             ("git", "add ."), ("git", "commit -qm files"), ("git", "mv long.txt z.txt"),
             ("write", "z.txt", "".join(f"line number {i}\n" if i != 5 else "FIVE\n"
                                        for i in range(20))),
             ("git", "mv half.txt dir_b.txt"),
             ("write", "dir_b.txt", "".join(f"bbb {i}\n" for i in range(10) if i % 2)),
             ("git", "mv b.txt d.txt"), ("write", "d.txt", "one\nmore\n"), ("git", "add -A"),
             ("git", "diff --cached"), ("git", "diff --cached --stat"),
             ("git", "diff --cached --name-status"), ("git", "commit -qm renames"),
             ("git", "show --stat"), ("git", "log --name-status -1"),
             ("git", "diff HEAD~1 HEAD --summary")),
    scenario("diff-head", EDIT, ("git", "add a.txt"), ("write", "b.txt", "two\n"),
             ("git", "diff HEAD"), ("git", "diff HEAD~1 --stat")),
    scenario("diff-commits", ("git", "diff HEAD~1 HEAD"), ("git", "diff HEAD~1..HEAD --stat"),
             ("git", "diff HEAD HEAD~1")),
    scenario("diff-branches", ("git", "diff main feature"), ("git", "diff main...feature"),
             ("git", "diff feature...main --name-only"), setup="branches"),
    scenario("diff-paths", EDIT, ("write", "dir/c.txt", "changed\n"), ("git", "diff -- dir"),
             ("git", "diff a.txt"), ("git", "diff HEAD~1 HEAD -- a.txt")),
    scenario("diff-no-newline", ("write", "b.txt", "one\ntwo"), ("git", "diff")),
    scenario("diff-binary", ("write", "bin.dat", "\0\1\2"), ("git", "add bin.dat"),
             ("git", "diff --cached"), ("git", "diff --cached --stat")),
    scenario("diff-funcname", ("write", "m.c", "int f(void)\n{\n" + "\tx();\n" * 10 + "}\n"),
             ("git", "add m.c"), ("git", "commit -q -m c"),
             ("write", "m.c", "int f(void)\n{\n" + "\tx();\n" * 8 + "\ty();\n\tx();\n}\n"),
             ("git", "diff")),
    scenario("diff-unified", EDIT, ("git", "diff -U1"), ("git", "diff --unified=0"),
             ("git", "log -p -U1 -1"), ("git", "show -U0")),
    scenario("diff-exit-code", EDIT, ("git", "diff --exit-code --stat"), ("git", "diff --quiet")),
    scenario("diff-unknown-rev", ("git", "diff nosuch"), ("git", "diff HEAD nosuch")),
    scenario("diff-filter-color", EDIT, ("git", "rm -q b.txt"), ("write", "n.txt", "n\n"),
             ("git", "add n.txt"), ("git", "diff --diff-filter=M --name-only HEAD"),
             ("git", "diff --diff-filter=d --name-status HEAD"),
             ("git", "diff --diff-filter=AD --stat --cached"), ("git", "diff --diff-filter=Q"),
             ("git", "diff --exit-code --diff-filter=A"), ("git", "diff --no-color"),
             ("git", "diff --color=never --numstat HEAD"), ("git", "log --no-color -1 --stat"),
             ("git", "diff --no-ext-diff")),
    scenario("diff-reverse-prefix", EDIT, ("git", "rm -q b.txt"), ("write", "n.txt", "n\n"),
             ("git", "add n.txt"), ("git", "diff -R"), ("git", "diff -R --cached"),
             ("git", "diff -R HEAD --stat"), ("git", "mv dir/c.txt moved.txt"),
             ("git", "diff -R -M --cached --name-status"), ("git", "diff -R HEAD --summary"),
             ("git", "diff --no-prefix HEAD"), ("git", "diff --src-prefix=x/ --dst-prefix=y/"),
             ("git", "diff -R --no-prefix --find-renames HEAD")),
    scenario("diff-whitespace", ("write", "a.txt", "alpha  \nbeta  on main\ngamma\n  delta"),
             ("write", "b.txt", "one \n"), ("write", "dir/c.txt", "x\n"), ("git", "diff -w"),
             ("git", "diff -b"), ("git", "diff --ignore-space-at-eol"), ("git", "diff -w --stat"),
             ("git", "diff -b --numstat"), ("git", "diff -w --name-status"),
             ("git", "diff --ignore-all-space --shortstat HEAD~1"), setup="conflict"),
    scenario("diff-subdir", EDIT, ("write", "dir/c.txt", "x\n"), ("git", "diff", "dir"),
             ("git", "diff --stat", "dir")),
    scenario("diff-negated-revision", ("git", "diff HEAD ^HEAD~1"), ("git", "diff HEAD~1 ^HEAD^2"),
             ("git", "diff ^HEAD~1 HEAD --stat"), ("git", "diff ^HEAD~1 ^HEAD --stat"), ("git", "diff ^HEAD~1 --stat"),
             ("git", "diff ^nope HEAD"), ("git", "diff --cached ^HEAD~1 --stat"),
             ("git", "diff HEAD ^HEAD~1 -- a.txt"), ("git", "diff HEAD~1 ^HEAD~1"),
             ("git", "diff HEAD~1..HEAD ^HEAD --stat")),
    scenario("diff-null-terminated", ("write", "caf\u00e9 x.txt", "x\n"), ("write", "caf\udce9.txt", b"caf\xe9\n"),
             ("write", 'q"t.txt', "q\n"), ("git", "add ."), ("git", "commit -qm files"),
             ("git", "rm -q --cached 'caf\u00e9 x.txt'"), ("git", "mv b.txt 'n\u00e9w.txt'"),
             ("write", "bin.dat", "\0\1"), ("git", "add bin.dat"), ("write", "a.txt", b"caf\xe9 latin\n"),
             ("git", "diff --cached --name-only -z"), ("git", "diff --cached --name-status -z"),
             ("git", "diff -z --name-only"), ("git", "diff -z --name-status HEAD"), ("git", "diff -z --numstat HEAD"),
             ("git", "diff -z --stat HEAD"), ("git", "diff -z HEAD"), ("git", "diff -z --name-only --stat HEAD"),
             ("git", "diff --cached --summary -z"), ("git", "diff HEAD~1 -z --name-status")),
    scenario("diff-latin1-content", ("write", "a.txt", b"caf\xe9\n"), ("git", "diff"), ("git", "diff --stat"),
             ("git", "commit -qam latin"), ("git", "show"), ("git", "log -p -1 --format=%s")),
    scenario("diff-latin1-combined", ("git", "merge topic"), ("write", "a.txt", b"caf\xe9 ours\nt\xe9\n"),
             ("git", "diff"), setup="conflict"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_diff(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
