"""Seeded random command sequences (history, diff, merge, pick, stash) against real git.

The generator is deterministic: a failing id can be replayed exactly.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.gitoracle import Scenario, check, scenario
from tests.test_git_merge import SETUPS  # noqa: F401  (registers the "conflict" setup)

FILES = ["a.txt", "b.txt", "dir/c.txt", "new.txt", "dir/sub/d.txt", "x y.txt"]
LINES = ["alpha\n", "beta\n", "gamma\n", "delta\n", "x = 1\n", "def f():\n", "    return 2\n", "\n"]
COMMANDS = [
    "diff", "diff --stat", "diff --cached", "diff HEAD", "diff --name-status HEAD~1", "log --oneline",
    "log --stat -2", "log -p -1", "show", "show --stat HEAD~1", "stash", "stash pop", "stash list",
    "stash apply", "stash -u", "stash show -p", "merge feature", "merge topic", "merge --abort",
    "merge --squash feature", "cherry-pick feature", "cherry-pick topic", "cherry-pick --abort",
    "cherry-pick --continue", "revert --no-edit HEAD", "revert HEAD~1 --no-edit", "tag -a t{n} -m tag{n}",
    "log --oneline --graph --all", "blame -s a.txt", "grep -n a", "ls-files -s", "ls-files -m",
    "reflog -3", "commit -qam c{n}", "add -A", "rev-parse HEAD~1", "show HEAD:a.txt",
    "log --follow --oneline -- a.txt", "diff HEAD~1 --summary", "describe --always",
]


def _generate(seed: int) -> Any:
    rng = random.Random(seed)
    steps: list[tuple[str, ...]] = []
    for i in range(rng.randint(5, 10)):
        if rng.random() < 0.35:
            text = "".join(rng.choice(LINES) for _ in range(rng.randint(0, 8)))
            steps.append(("write", rng.choice(FILES), text))
        else:
            steps.append(("git", rng.choice(COMMANDS).format(n=i)))
    return scenario(f"random-{seed}", *steps, setup=rng.choice(["basic", "branches", "conflict"]))


@pytest.mark.parametrize("sc", [_generate(seed) for seed in range(30)])
def test_random_history(sc: Scenario, tmp_path: Path) -> None:
    check(sc, tmp_path)
