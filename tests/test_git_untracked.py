"""Commands that move the worktree between trees keep untracked and modified files, against
real git: directories where a file must go (git's verify_clean_subdirectory), files where a
directory must go, ignored and empty directories, symlinks, unresolved indexes, and the
refusals of merge, cherry-pick, revert and stash apply (differential)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pytest_gitenv.gitcmd.repo import GitRepo
from tests.gitoracle import check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

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
    scenario("dir-over-removed-tracked-file", *SWAP, ("git", "checkout -q main"), ("rm", "b.txt"),
             ("write", "b.txt/x", "mine\n"), ("git", "checkout swap"), STATUS),
    scenario("empty-dir-over-removed-tracked-file", *SWAP, ("git", "checkout -q main"), ("rm", "b.txt"),
             ("mkdir", "b.txt"), ("git", "checkout swap"), STATUS),
    scenario("orphan-check-before-branch-reset", ("git", "checkout -q --detach main"),
             ("git", "checkout -B main main~1")),
    scenario("reset-mixed-dir-over-file", ("rm", "b.txt"), ("write", "b.txt/x", "mine\n"), ("git", "reset"),
             ("git", "reset -q"), ("rm", "a.txt"), ("write", "a.txt", "x\n"), ("rm", "dir"), ("write", "dir", "f\n"),
             ("git", "reset")),
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
    # reset --keep / --merge (and the aborts built on it) judge files by stat, like git
    scenario("reset-keep-stat-dirty", ("git", "reset --keep HEAD~1"), STATUS),
    scenario("reset-keep-refreshed", ("git", "reset -q"), ("write", "b.txt", "mine\n"), ("git", "reset --keep HEAD~1"),
             STATUS),
    scenario("reset-keep-touched", ("git", "reset -q"), ("write", "a.txt", "mine\n"), ("git", "reset --keep HEAD~1"),
             STATUS),
    scenario("reset-keep-unstages", ("write", "b.txt", "mine\n"), ("git", "add b.txt"), ("git", "reset --keep"),
             STATUS),
    scenario("reset-keep-untracked-in-way", ("git", "rm -q b.txt"), ("git", "commit -q -m rm"),
             ("write", "b.txt", "mine\n"), ("git", "reset --keep HEAD~1"), STATUS),
    scenario("reset-keep-dir-in-way", ("git", "rm -q b.txt"), ("git", "commit -q -m rm"),
             ("write", "b.txt/x", "mine\n"), ("git", "reset --keep HEAD~1"), STATUS),
    scenario("reset-keep-during-merge", *CONFLICT, ("git", "reset --keep HEAD"), setup="branches"),
    scenario("reset-keep-paths", ("git", "reset --keep HEAD~1 -- a.txt")),
    scenario("reset-merge-staged", ("git", "reset -q"), ("write", "a.txt", "mine\n"), ("git", "add a.txt"),
             ("write", "b.txt", "mine\n"), ("git", "reset --merge HEAD~1"), STATUS),
    scenario("reset-merge-staged-and-dirty", ("write", "b.txt", "mine\n"), ("git", "add b.txt"),
             ("write", "b.txt", "again\n"), ("git", "reset --merge HEAD"), STATUS),
    scenario("reset-merge-new-file", ("git", "reset -q"), ("write", "n.txt", "n\n"), ("git", "add n.txt"),
             ("git", "reset --merge HEAD~1"), STATUS),
    scenario("reset-merge-conflict", *CONFLICT, ("write", "b.txt", "x\n"), ("git", "reset --merge HEAD"), STATUS,
             setup="branches"),
    scenario("reset-quiet-refreshes", ("git", "reset -q"), ("git", "reset --merge HEAD~1"), STATUS),
    scenario("merge-abort-stat-dirty", *CONFLICT, ("write", "a.txt", "x\n"), ("git", "merge --abort"), STATUS,
             setup="branches"),
    scenario("merge-abort-refreshed", ("git", "reset -q"), *CONFLICT, ("write", "a.txt", "x\n"),
             ("git", "merge --abort"), STATUS, setup="branches"),
    # clean: a directory where a tracked file was deleted is never removed whole (index_name_is_other),
    # but its contents are candidates when something inside is ignored
    scenario("clean-dir-over-deleted-file", NESTED, ("write", "b.txt/x.log", "log\n"),
             ("write", ".gitignore", "*.log\n"), ("git", "clean -nd"), ("git", "clean -fd"), ("git", "clean -fdX"),
             STATUS),
    scenario("clean-dir-over-deleted-file-whole", NESTED, ("write", "b.txt/in/ner", "x\n"), ("git", "clean -fdx"),
             ("git", "clean -fdX"), ("git", "clean -nd b.txt"), STATUS),
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
    # add: tracked updates are reported before new files (add_files_to_cache, then add_files)
    scenario("add-verbose-dir-became-file", ("rm", "dir"), ("write", "dir", "f\n"), ("write", "0.txt", "n\n"),
             ("append", "b.txt", "m\n"), ("git", "add -n -A"), ("git", "add -v ."), STATUS),
    scenario("add-update-file-became-dir", NESTED, ("git", "add -v -u"), ("git", "ls-files -s"), STATUS),
    # a tracked file became a directory: its files are added and the file entry goes (also with --no-all)
    *(scenario("add-file-became-dir-" + name, NESTED, ("write", "b.txt/in/ner", "x\n"), ("git", "add -v " + args),
               ("git", "ls-files -s"), STATUS)
      for name, args in (("dot", "."), ("all", "-A"), ("paths", "dir b.txt"), ("no-all", "--no-all ."),
                         ("dry-run", "-n -A"))),
    # a reset or branch switch during the last pick of a sequence ends the sequence (sequencer_post_commit_cleanup)
    scenario("reset-ends-last-pick", ("git", "checkout -q -b pick HEAD~1"), ("git", "cherry-pick topic main"),
             ("git", "reset -q --hard"), ("git", "status"), setup="conflict"),
    scenario("checkout-ends-last-pick", ("git", "checkout -q -b pick HEAD~1"), ("git", "cherry-pick topic main"),
             ("git", "checkout -f main"), ("git", "status"), setup="conflict"),
    scenario("reset-keeps-unfinished-sequence", ("git", "checkout -q -b x main"), ("write", "z.txt", "z\n"),
             ("git", "add z.txt"), ("git", "commit -qm z"), ("git", "checkout -q -b pick main~1"),
             ("git", "cherry-pick topic main x"), ("git", "reset -q --merge"), ("git", "status"),
             ("git", "cherry-pick --continue"), setup="conflict"),
    # mv of a directory standing where a tracked file is: git's prepare_move_submodule dies (even with -k, -n)
    scenario("mv-dir-over-tracked-file", NESTED, ("git", "mv b.txt c.txt"), ("git", "mv -n b.txt c.txt"),
             ("git", "mv -k a.txt b.txt dir"), ("git", "mv a.txt b.txt"), STATUS),
    # checkout/restore --ours/--theirs: one side of unmerged paths into the worktree, the index stays unmerged
    scenario("checkout-ours-theirs", ("git", "merge topic"), ("git", "checkout --ours a.txt"), STATUS,
             ("git", "checkout --theirs -- a.txt b.txt"), ("git", "checkout -3 ."), ("git", "checkout -2 main"),
             ("git", "checkout --ours"), ("git", "checkout --ours -b x"), ("git", "checkout -f --ours a.txt"),
             ("git", "checkout --ours nope"), ("git", "checkout --theirs --ours a.txt"), ("git", "ls-files -s"),
             setup="conflict"),
    scenario("checkout-ours-missing-side", ("git", "rm -q a.txt"), ("git", "commit -qm rm"), ("git", "merge topic"),
             ("git", "checkout --ours a.txt"), ("git", "checkout --theirs a.txt"), ("git", "checkout --ours -- ."),
             STATUS, setup="conflict"),
    scenario("restore-ours-theirs", ("git", "merge topic"), ("git", "restore --ours a.txt"), STATUS,
             ("git", "restore --theirs -- a.txt b.txt"), ("git", "restore -3 ."),
             ("git", "restore --staged --ours a.txt"), ("git", "restore --ours --theirs a.txt"), ("git", "ls-files -s"),
             setup="conflict"),
    scenario("restore-ours-missing-side", ("git", "rm -q a.txt"), ("git", "commit -qm rm"), ("git", "merge topic"),
             ("git", "restore --ours a.txt"), STATUS, ("git", "restore --theirs a.txt"), setup="conflict"),
    # checkout --orphan (the start point's index and worktree) and switch --orphan (the empty tree)
    scenario("checkout-orphan", ("write", "a.txt", "dirty\n"), ("git", "add a.txt"), ("write", "b.txt", "d\n"),
             ("git", "checkout --orphan o"), STATUS, ("git", "commit -qm o"), ("git", "log --oneline"),
             ("git", "checkout --orphan main"), ("git", "checkout --orphan 'a..b'"),
             ("git", "checkout --orphan p nope"), ("git", "checkout -b x --orphan p"),
             ("git", "checkout --orphan p -- a.txt"), ("git", "checkout -q --orphan q main~1"), STATUS,
             setup="branches"),
    scenario("switch-orphan", ("write", "n.txt", "u\n"), ("git", "switch --orphan o"), STATUS,
             ("git", "switch --orphan p main"), ("git", "commit -q --allow-empty -m o"), ("git", "log --oneline"),
             ("git", "checkout -q --detach main"), ("write", "a.txt", "dirty\n"), ("git", "switch --orphan q"),
             ("git", "switch -f --orphan q"), STATUS, setup="branches"),
    scenario("orphan-unborn-and-unmerged", ("git", "merge topic"), ("git", "checkout --orphan o"),
             ("git", "switch --orphan o"), setup="conflict"),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_untracked_and_local_changes(sc, tmp_path):
    check(sc, tmp_path)


def test_index_mtime_is_exact_near_a_second_boundary(tmp_path: Path) -> None:
    """The racy-git reference time (what decides whether stat data can be trusted) is the index
    file's mtime to the nanosecond: a float st_mtime rounds ...999999999 up to the next second."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f").write_text("x\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "f"], check=True)
    stamp = 1_700_000_000_999_999_999
    os.utime(tmp_path / ".git" / "index", ns=(stamp, stamp))
    repo = GitRepo(tmp_path, tmp_path / ".git", tmp_path.parent)
    repo.index()
    assert repo.index_mtime == (1_700_000_000, 999_999_999)
