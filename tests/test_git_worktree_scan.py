"""The worktree scan behind diff and status (stat shortcut, same-size rewrites, unmerged paths,
staged changes under a pathspec), differential against real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)


def _repository(path: str) -> list[tuple[str, ...]]:
    """Steps writing the smallest directory git takes for a repository (HEAD, objects/, refs/)."""
    return [("write", path + "/.git/HEAD", "ref: refs/heads/main\n"), ("mkdir", path + "/.git/objects"),
            ("mkdir", path + "/.git/refs")]


IGNORED_TREE = (
    ("write", ".gitignore", "*.log\nbuild/\nign\n"), ("write", "build/o", "1\n"), ("write", "build/sub/o", "1\n"),
    ("mkdir", "emptyign.log"), ("mkdir", "build2/ign"), ("write", "u1/ign", "1\n"), ("write", "u1/sub/x.log", "1\n"),
    ("write", "u2/f", "1\n"), ("write", "u2/build/o", "1\n"), ("write", "u2/s/x.log", "1\n"),
    ("write", "u2/t/y.log", "1\n"), ("write", "u2/t/z", "1\n"), ("mkdir", "u3/e"), ("write", "u3/a.log", "x\n"),
    ("write", "dir/n.log", "1\n"), ("write", "dir/nsub/q.log", "1\n"), ("mkdir", "dir/emptysub"),
    ("write", "ig.log/f", "1\n"))
SCENARIOS = [
    scenario("scan-conflict-among-changes", ("git", "merge topic"),
             ("write", "dir/c.txt", "changed\n"), ("rm", "dir/sub/d.txt"),
             ("write", "0first.txt", "untracked\n"), ("git", "diff"), ("git", "diff --stat"),
             ("git", "diff --name-status"), ("git", "diff -- a.txt dir/sub"), ("git", "status"),
             ("git", "status -s"), ("git", "diff HEAD --stat"), ("git", "status -s dir"),
             ("git", "diff HEAD"), ("git", "diff --cached"), ("git", "diff --cached --stat"),
             ("git", "diff --cached -- a.txt t.txt"), setup="conflict"),
    scenario("scan-staged-under-pathspec", ("git", "rm -q dir/sub/d.txt"),
             ("write", "dir/new.txt", "new\n"), ("write", "b.txt", "one\nmore\n"),
             ("git", "add dir/new.txt b.txt"), ("git", "mv a.txt dir/moved.txt"),
             ("rm", "dir/c.txt"), ("symlink", "dir/c.txt", "../b.txt"), ("git", "add dir/c.txt"),
             ("git", "status -s dir"), ("git", "status dir/sub"), ("git", "status -s -- '*.txt'"),
             ("git", "status --porcelain"), ("git", "diff --cached --name-status -- dir")),
    scenario("scan-same-size-rewrite", ("write", "b.txt", "two\n"), ("git", "add b.txt"),
             ("write", "b.txt", "six\n"), ("git", "diff"), ("git", "status -s"),
             ("write", "b.txt", "two\n"), ("git", "diff --stat"), ("git", "status -s")),
    scenario("scan-symlink-retargeted", ("symlink", "ln", "a.txt"), ("git", "add ln"),
             ("git", "commit -q -m link"), ("git", "diff"), ("symlink", "ln", "b.txt"),
             ("git", "diff"), ("git", "status -s"), ("chmod", "dir/c.txt", "755"),
             ("git", "diff --stat"), ("git", "status -s")),
    scenario("untracked-dir-over-deleted-file", ("write", "b.txt/inner", "one\n"), ("write", "b.txt/in/ner", "x\n"),
             ("git", "status --porcelain -uall"), ("git", "status --porcelain"), ("git", "status -s"),
             ("git", "status"), ("git", "ls-files -o"), ("write", ".gitignore", "*.log\n"),
             ("write", "b.txt/x.log", "x\n"), ("git", "status --porcelain -uall --ignored"),
             ("git", "status --porcelain --ignored=matching"), ("rm", "b.txt/inner"), ("rm", "b.txt/in"),
             ("git", "status --porcelain --ignored=matching")),
    scenario("untracked-nested-repositories", ("write", "fake/.git/x", "x"), ("write", "fake/f", "f"),
             *_repository("nested"), ("write", "gf/.git", "gitdir: ../nested/.git\n"),
             ("write", "u/.git", "junk\n"), ("write", "u/g", "x\n"), ("write", "dir/.git/x", "x\n"),
             *_repository("dir/inner"), ("write", "dir/inner/f", "x\n"), *_repository("emptyrepo"),
             ("write", "w/sub/.git/HEAD", "x\n"), *_repository("in/deep/r"), ("write", ".gitignore", "rr\n"),
             *_repository("rr"), ("git", "status -s -uall"), ("git", "status -s"), ("git", "status --ignored -s"),
             ("git", "status --ignored=matching -s -uall")),
    scenario("untracked-ignored-matching", *IGNORED_TREE, ("git", "status --ignored=matching -s"),
             ("git", "status --ignored=matching -uall -s"), ("git", "status --ignored=traditional -uno -s"),
             ("git", "status --ignored=no -s"), ("git", "status --ignored=bogus")),
    scenario("untracked-ignored-traditional", *IGNORED_TREE, ("git", "status --ignored -s"),
             ("git", "status --ignored"), ("git", "status --ignored -uall -s"),
             ("git", "status --porcelain --ignored"), ("write", "emptyign.log/f", "1\n"), ("rm", "u2/f"),
             ("rm", "u2/t/z"), ("git", "status --ignored -s")),
    scenario("untracked-ignored-traditional-repos", ("write", ".gitignore", "ig/\n"), *_repository("ig/r"),
             ("write", "b.txt/x.log", "x\n"), ("write", "b.txt/.gitignore", "*.log\n"),
             ("git", "status --ignored -uall -s"), ("git", "status --ignored -s")),
]


@pytest.mark.parametrize("sc", SCENARIOS)
def test_worktree_scan(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)

