"""Commands that move the worktree between trees keep untracked and modified files, against
real git: directories where a file must go (git's verify_clean_subdirectory), files where a
directory must go, ignored and empty directories, symlinks, unresolved indexes, and the
refusals of merge, cherry-pick, revert and stash apply (differential)."""

from __future__ import annotations

import pytest

from tests.gitoracle import check, scenario

STATUS = ("git", "status --porcelain")
# branch `other` without b.txt, without dir/, or with a file `dir` (then back on main)
RM_B = (("git", "checkout -q -b other"), ("git", "rm -q b.txt"), ("git", "commit -q -m rmb"))
RM_DIR = (("git", "checkout -q -b other"), ("git", "rm -q -r dir"), ("git", "commit -q -m rmdir"))
DIR_FILE = (("git", "checkout -q -b other"), ("git", "rm -q -r dir"), ("write", "dir", "file\n"),
            ("git", "add dir"), ("git", "commit -q -m dirfile"), ("git", "checkout -q main"))
SWAP = (("git", "checkout -q -b swap"), ("git", "rm -q b.txt"), ("write", "b.txt/inner", "inner\n"),
        ("git", "add b.txt/inner"), ("git", "commit -q -m swap"))  # b.txt becomes a directory
NESTED = ("write", "b.txt/inner", "mine\n")
# branch `side` (ahead of main) changes a.txt and adds n.txt
SIDE = (("git", "checkout -q -b side"), ("write", "a.txt", "side\n"), ("write", "n.txt", "new\n"),
        ("git", "add ."), ("git", "commit -q -m side"), ("git", "checkout -q main"))
TOPIC_FILE = (("git", "checkout -q -b t"), ("write", "p", "p\n"), ("git", "add p"), ("git", "commit -q -m t"),
              ("git", "checkout -q main"))
SIDE_DIR = (("git", "checkout -q -b side"), ("write", "dir/c.txt", "side\n"), ("git", "commit -q -am side"),
            ("git", "checkout -q main"))
CONFLICT = (("write", "f.txt", "conflict\n"), ("git", "add f.txt"), ("git", "commit -q -m c"),
            ("git", "merge feature"))

SCENARIOS = [
    # a directory with untracked files where a tracked file must go
    scenario("dir-in-way-checkout", *RM_B, NESTED, ("git", "checkout main"), STATUS),
    scenario("dir-in-way-switch", *RM_B, NESTED, ("git", "switch main"), STATUS),
    scenario("dir-in-way-reset-hard", *RM_B, NESTED, ("git", "reset --hard main"), STATUS),
    scenario("dir-in-way-checkout-force", *RM_B, NESTED, ("git", "checkout -f main"), STATUS),
    scenario("dir-in-way-checkout-path", *RM_B, NESTED, ("git", "checkout main -- b.txt"), STATUS),
    scenario("dir-in-way-restore", *RM_B, NESTED, ("git", "restore -s main b.txt"), STATUS),
    scenario("dir-in-way-gitignored", *RM_B, NESTED, ("write", ".gitignore", "inner\n"),
             ("git", "checkout main"), STATUS),
    scenario("dir-in-way-excluded", *RM_B, NESTED, ("write", ".git/info/exclude", "inner\n"),
             ("git", "checkout main")),
    scenario("dir-in-way-dir-excluded", *RM_B, NESTED, ("write", ".git/info/exclude", "b.txt\n"),
             ("git", "checkout main"), STATUS),
    scenario("dir-in-way-some-ignored", *RM_B, NESTED, ("write", "b.txt/x.log", "log\n"),
             ("write", ".gitignore", "*.log\n"), ("git", "checkout main"), STATUS),
    scenario("dir-in-way-empty", *RM_B, ("mkdir", "b.txt/e/f"), ("git", "checkout main"), STATUS),
    scenario("symlink-in-way", *RM_B, ("symlink", "b.txt", "a.txt"), ("git", "checkout main")),
    scenario("symlink-to-dir-in-way", *RM_B, ("symlink", "b.txt", "dir"), ("git", "checkout main")),
    scenario("dir-in-way-nested-path", *RM_DIR, ("write", "dir/c.txt/x", "mine\n"),
             ("git", "checkout main"), STATUS),
    scenario("file-in-way-of-dir", *RM_DIR, ("write", "dir", "mine\n"), ("git", "checkout main")),
    scenario("symlink-in-way-of-dir", *RM_DIR, ("symlink", "dir", "a.txt"), ("git", "checkout main")),
    scenario("file-in-way-of-removed-path", *SWAP, ("git", "checkout main -- b.txt"), ("git", "checkout main~0"),
             STATUS),
    scenario("untracked-file-in-way-of-removed-path", *SWAP, ("git", "rm -q -r --cached b.txt"), ("rm", "b.txt"),
             ("write", "b.txt", "x\n"), ("git", "checkout main"), STATUS),
    scenario("staged-removal-dir-in-way", ("git", "rm -q b.txt"), NESTED, *RM_B[:1],
             ("git", "checkout -q main"), ("git", "checkout other"), STATUS),
    scenario("tracked-file-became-dir", *SIDE, ("rm", "a.txt"), ("write", "a.txt/x", "mine\n"),
             ("git", "checkout side"), STATUS),
    scenario("tracked-file-became-empty-dir", *SIDE_DIR, ("rm", "dir/c.txt"), ("mkdir", "dir/c.txt"),
             ("git", "checkout side"), STATUS),
    scenario("tracked-dir-became-file", *SIDE_DIR, ("rm", "dir"), ("write", "dir", "x\n"), ("git", "checkout side"),
             STATUS),
    # a tracked directory that a file replaces
    scenario("dir-to-file-untracked", *DIR_FILE, ("write", "dir/x", "mine\n"),
             ("git", "checkout other"), STATUS),
    scenario("dir-to-file-modified", *DIR_FILE, ("write", "dir/c.txt", "changed\n"),
             ("git", "checkout other"), STATUS),
    scenario("dir-to-file-excluded", *DIR_FILE, ("write", "dir/x.log", "log\n"),
             ("write", ".git/info/exclude", "*.log\n"), ("git", "checkout other")),
    scenario("dir-to-file-gitignored", *DIR_FILE, ("write", "dir/x.log", "log\n"),
             ("write", ".gitignore", "*.log\n"), ("git", "checkout other"), STATUS),
    scenario("dir-to-file-clean", *DIR_FILE, ("git", "checkout other"), STATUS),
    scenario("dir-to-file-staged-new", *DIR_FILE, ("write", "dir/new", "n\n"), ("git", "add dir/new"),
             ("git", "checkout other"), STATUS),
    scenario("dir-to-file-reset-hard", *DIR_FILE, ("write", "dir/x", "mine\n"),
             ("git", "reset --hard other"), STATUS),
    scenario("dir-to-file-checkout-path", *DIR_FILE, ("write", "dir/x", "mine\n"),
             ("git", "checkout other -- dir"), STATUS),
    # an index with conflicts, and operations in progress
    scenario("unmerged-checkout-current", *CONFLICT, ("git", "checkout main"), setup="branches"),
    scenario("unmerged-checkout-noarg", *CONFLICT, ("git", "checkout"), setup="branches"),
    scenario("unmerged-checkout-detach", *CONFLICT, ("git", "checkout --detach"), setup="branches"),
    scenario("unmerged-checkout-b", *CONFLICT, ("git", "checkout -b nb"), STATUS, setup="branches"),
    scenario("unmerged-checkout-b-head", *CONFLICT, ("git", "checkout -b nb HEAD"), setup="branches"),
    scenario("unmerged-checkout-other", *CONFLICT, ("git", "checkout merged"), setup="branches"),
    scenario("unmerged-switch", *CONFLICT, ("git", "switch main"), setup="branches"),
    scenario("unmerged-switch-c", *CONFLICT, ("git", "switch -c nb"), setup="branches"),
    scenario("merge-state-ends-on-checkout", ("git", "merge --no-commit --no-ff feature"),
             ("git", "checkout main"), STATUS, setup="branches"),
    scenario("pick-state-ends-on-checkout", ("write", "f.txt", "conflict\n"), ("git", "add f.txt"),
             ("git", "commit -q -m c"), ("git", "cherry-pick feature"), ("write", "f.txt", "r\n"),
             ("git", "add f.txt"), ("git", "checkout merged"), STATUS, setup="branches"),
    scenario("revert-state-blocks-switch", ("write", "b.txt", "conflict\n"), ("git", "commit -q -am c"),
             ("git", "revert HEAD~1"), ("write", "b.txt", "r\n"), ("git", "add b.txt"),
             ("git", "switch feature"), ("git", "checkout -q feature"), STATUS, setup="branches"),
    # which new-branch forms merge the worktree (and list local changes)
    scenario("new-branch-listing", ("write", "a.txt", "mine\n"), ("git", "checkout -b x1"),
             ("git", "checkout -b x2 HEAD"), ("git", "checkout -B x3"), ("git", "switch -c x4"),
             ("git", "switch -c x5 HEAD"), ("git", "switch -C x6"), ("git", "switch --detach"),
             ("git", "checkout --detach")),
    scenario("detach-at-branch-tracking", ("write", "a.txt", "mine\n"), ("git", "checkout --detach main"),
             ("git", "switch --detach main"), setup="remote"),
    scenario("detach-path-argument", ("git", "checkout --detach nope")),
    # merge, cherry-pick, revert and stash apply over local files
    scenario("merge-dir-in-way", ("write", "f.txt/inner", "mine\n"), ("git", "merge feature"), STATUS,
             setup="branches"),
    scenario("merge-dir-in-way-excluded", ("write", "f.txt/inner", "mine\n"),
             ("write", ".git/info/exclude", "inner\n"), ("git", "merge feature"), setup="branches"),
    scenario("merge-dir-in-way-gitignored", ("write", "f.txt/inner", "mine\n"),
             ("write", ".gitignore", "inner\n"), ("git", "merge feature"), STATUS, setup="branches"),
    scenario("merge-ignored-file-in-way", ("write", "f.txt", "mine\n"),
             ("write", ".git/info/exclude", "f.txt\n"), ("git", "merge feature"), STATUS, setup="branches"),
    scenario("merge-empty-dir-in-way", ("mkdir", "f.txt"), ("git", "merge feature"), STATUS,
             setup="branches"),
    scenario("merge-untracked-file-in-way", ("write", "f.txt", "mine\n"), ("git", "merge feature"),
             setup="branches"),
    scenario("merge-squash-dir-in-way", ("write", "f.txt/inner", "mine\n"), ("git", "merge --squash feature"),
             setup="branches"),
    scenario("merge-no-ff-dirty-and-untracked", *SIDE, ("write", "a.txt", "dirty\n"),
             ("write", "n.txt", "mine\n"), ("git", "merge --no-ff side"), STATUS),
    scenario("merge-file-becomes-dir", ("git", "checkout -q -b swap"), ("git", "rm -q b.txt"),
             ("write", "b.txt/inner", "inner\n"), ("git", "add b.txt/inner"), ("git", "commit -q -m swap"),
             ("git", "checkout -q main"), ("write", "a.txt", "main\n"), ("git", "commit -q -am main"),
             ("git", "merge --no-ff -m m swap"), STATUS),
    scenario("pick-dir-in-way", ("write", "f.txt/inner", "mine\n"), ("git", "cherry-pick feature"),
             setup="branches"),
    scenario("pick-ignored-file-in-way", ("write", "f.txt", "mine\n"),
             ("write", ".git/info/exclude", "f.txt\n"), ("git", "cherry-pick feature"), STATUS,
             setup="branches"),
    scenario("pick-dirty-touched", *SIDE, ("write", "a.txt", "dirty\n"), ("git", "cherry-pick side")),
    scenario("pick-staged", *SIDE, ("write", "b.txt", "dirty\n"), ("git", "add b.txt"),
             ("git", "cherry-pick side")),
    scenario("revert-dirty-touched", ("write", "b.txt", "dirty\n"), ("git", "revert HEAD"),
             setup="branches"),
    scenario("revert-dirty-elsewhere", ("write", "a.txt", "dirty\n"), ("git", "revert --no-edit HEAD"),
             STATUS, setup="branches"),
    scenario("stash-apply-dirty", ("write", "b.txt", "stashed\n"), ("git", "stash -q"),
             ("write", "b.txt", "dirty\n"), ("git", "stash apply"), STATUS),
    scenario("stash-apply-dir-in-way", ("write", "n.txt", "stashed\n"), ("git", "add n.txt"),
             ("git", "stash -q"), ("write", "n.txt/x", "mine\n"), ("git", "stash apply"), STATUS),
    # ort's file/directory and rename conflicts
    scenario("merge-file-directory", *TOPIC_FILE, ("write", "p/q.txt", "q\n"), ("git", "add p"),
             ("git", "commit -q -m p"), ("git", "merge t"), STATUS),
    scenario("merge-directory-file", *TOPIC_FILE, ("write", "p/q.txt", "q\n"), ("git", "add p"),
             ("git", "commit -q -m p"), ("git", "checkout -q t"), ("git", "merge main"), STATUS),
    scenario("pick-file-directory", *TOPIC_FILE, ("write", "p/q.txt", "q\n"), ("git", "add p"),
             ("git", "commit -q -m p"), ("git", "cherry-pick t"), STATUS),
    scenario("merge-file-directory-modify-delete", ("write", "p", "p\n"), ("git", "add p"),
             ("git", "commit -q -m p0"), ("git", "checkout -q -b t"), ("git", "rm -q p"),
             ("write", "p/q.txt", "q\n"), ("git", "add ."), ("git", "commit -q -m t"), ("git", "checkout -q main"),
             ("write", "p", "p2\n"), ("git", "commit -q -am p"), ("git", "merge t"), STATUS),
    scenario("merge-rename-delete", ("git", "checkout -q -b t"), ("git", "mv a.txt aa.txt"),
             ("append", "aa.txt", "more\n"), ("git", "commit -q -am t"), ("git", "checkout -q main"),
             ("git", "rm -q a.txt"), ("git", "commit -q -m d"), ("git", "merge t"), STATUS),
    scenario("merge-delete-rename", ("git", "checkout -q -b t"), ("git", "rm -q b.txt"), ("git", "commit -q -m t"),
             ("git", "checkout -q main"), ("git", "mv b.txt bb.txt"), ("git", "commit -q -m d"), ("git", "merge t"),
             STATUS),
    scenario("merge-rename-rename", ("git", "checkout -q -b t"), ("git", "mv b.txt b2.txt"), ("git", "commit -q -m t"),
             ("git", "checkout -q main"), ("git", "mv b.txt b1.txt"), ("git", "commit -q -m d"), ("git", "merge t"),
             STATUS),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_untracked_and_local_changes(sc, tmp_path):
    check(sc, tmp_path)
