"""Seeded random walks over add/commit/checkout/reset/branch/mv/rm/clean/restore/status,
each compared step by step (and in final state) against real git."""

from __future__ import annotations

import random

import pytest

from tests.gitoracle import Scenario, check

FILES = ("a.txt", "b.txt", "dir/c.txt", "dir/sub/d.txt", "new1.txt", "dir/new2.txt", "nd/x.txt",
         "f.txt")
BRANCHES = ("main", "feature", "merged", "topic", "origin/main")
TEXTS = ("alpha\nbeta\ngamma\n", "one\n", "changed\n", "alpha\nbeta\ngamma\ndelta\nmore\n", "")
SEEDS = range(60)
STEPS = 24


def _step(rng: random.Random) -> tuple[str, ...]:
    f, b, t, n = rng.choice(FILES), rng.choice(BRANCHES), rng.choice(TEXTS), rng.randrange(100)
    return rng.choice((
        ("write", f, t), ("write", f, t), ("rm", f), ("mkdir", "emptyd"), ("chmod", f, "755"),
        ("rm", "ln"), ("symlink", "ln", f), ("rm", "dir"), ("write", "dir", "file now\n"),
        ("git", f"add {f}"), ("git", "add -A"), ("git", "add -u"), ("git", "add dir"),
        ("git", "commit -qm c"), ("git", f"commit -am 'msg {n}'"),
        ("git", "commit --amend -m amended"), ("git", "commit --allow-empty -m e"),
        ("git", f"commit -m only {f}"), ("git", "status"), ("git", "status -s"),
        ("git", "status -sb"), ("git", "status --porcelain -uall"), ("git", f"checkout {b}"),
        ("git", f"checkout -b t{n}"), ("git", f"switch {b}"), ("git", "checkout HEAD~1"),
        ("git", "checkout -"), ("git", f"checkout -- {f}"), ("git", f"checkout HEAD~1 -- {f}"),
        ("git", "reset --hard HEAD~1"), ("git", "reset HEAD~1"), ("git", f"reset {f}"),
        ("git", "reset --soft HEAD~1"), ("git", "reset --hard"), ("git", f"restore {f}"),
        ("git", f"restore --staged {f}"), ("git", f"rm -q {f}"), ("git", f"rm --cached {f}"),
        ("git", "rm -rf dir"), ("git", f"branch -d {b}"), ("git", f"branch -D {b}"),
        ("git", f"branch x{n}"), ("git", "branch -vv"), ("git", f"branch -m {b} r{n}"),
        ("git", f"mv {f} moved-{n}.txt"), ("git", "clean -fd"), ("git", "clean -n"),
        ("git", "-C dir status"), ("git", "-C dir add ."), ("git", "reset -q --hard ORIG_HEAD"),
        ("git", "checkout -B main"),
    ))


CASES = [(setup, seed) for setup, seeds in (("branches", SEEDS), ("remote", range(20)),
                                            ("empty", range(20))) for seed in seeds]


@pytest.mark.parametrize(("setup", "seed"), CASES, ids=lambda v: str(v))
def test_random_walk(setup: str, seed: int, tmp_path) -> None:
    rng = random.Random(seed)
    check(Scenario(f"{setup}-{seed}", tuple(_step(rng) for _ in range(STEPS)), setup), tmp_path)
